//! Measuring assertions against a run.

use serde::{Deserialize, Serialize};

use super::{BreakerExpectation, Expectation, ShareAtLeast, outcome_named};
use crate::Scenario;
use crate::catalog;
use crate::decimal::{fixed, shortest};
use crate::sim::{Metrics, Outcome, Report};

/// One assertion's result: what it claims, what the run measured, and whether it held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The claim in words ("success rate ≥ 99 % in 20 s..40 s").
    pub claim: String,
    /// What the run measured, in words ("97.3 %").
    pub measured: String,
    /// True if the claim held.
    pub pass: bool,
}

/// Each assertion's verdict on `report`, a run of `scenario`, in the list's order.
#[must_use]
pub fn check(expectations: &[Expectation], scenario: &Scenario, report: &Report) -> Vec<Verdict> {
    expectations.iter().map(|e| verdict(e, scenario, report)).collect()
}

fn verdict(expectation: &Expectation, scenario: &Scenario, report: &Report) -> Verdict {
    let total = &report.summary.total;
    match expectation {
        Expectation::SuccessRate(bound) => success_rate(bound, &report.metrics, total.success_rate),
        Expectation::Goodput(g) => Verdict {
            claim: format!("goodput ≥ {} req/s", shortest(g.at_least_rps)),
            measured: format!("{} req/s", fixed(total.goodput_rps, 1)),
            pass: total.goodput_rps >= g.at_least_rps,
        },
        Expectation::Latency(l) => {
            let ms = match l.percentile {
                50 => total.latency.p50_ms,
                95 => total.latency.p95_ms,
                _ => total.latency.p99_ms,
            };
            let at_most_ms = l.at_most.as_micros() as f64 / 1e3;
            Verdict {
                claim: format!("p{} latency ≤ {}", l.percentile, l.at_most),
                measured: format!("{} ms", fixed(ms, 1)),
                pass: ms <= at_most_ms,
            }
        }
        Expectation::Amplification(a) => Verdict {
            claim: format!("amplification ≤ {}", shortest(a.at_most)),
            measured: fixed(total.amplification, 2),
            pass: total.amplification <= a.at_most,
        },
        Expectation::Breaker(b) => breaker(b, scenario, &report.metrics),
        Expectation::Slowest(s) => {
            let at_most_ms = s.at_most.as_micros() as f64 / 1e3;
            Verdict {
                claim: format!("no request longer than {}", s.at_most),
                measured: format!("slowest {} ms", fixed(total.latency.max_ms, 1)),
                pass: total.latency.max_ms <= at_most_ms,
            }
        }
        Expectation::OutcomeShare(o) => {
            let outcome = outcome_named(&o.outcome).unwrap_or(Outcome::Failed);
            let share = share(total.outcomes.get(outcome), total.requests);
            let claim = match (o.at_least > 0.0, o.at_most < 1.0) {
                (true, false) => format!("{} ≥ {}", o.outcome, percent(o.at_least)),
                (false, true) => format!("{} ≤ {}", o.outcome, percent(o.at_most)),
                _ => format!("{} between {} and {}", o.outcome, percent(o.at_least), percent(o.at_most)),
            };
            Verdict { claim, measured: percent(share), pass: (o.at_least..=o.at_most).contains(&share) }
        }
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

fn percent(x: f64) -> String {
    format!("{} %", fixed(x * 100.0, 1))
}

/// The success rate overall, or of the requests completed in a window.
fn success_rate(bound: &ShareAtLeast, metrics: &Metrics, overall: f64) -> Verdict {
    let claim = format!("success rate ≥ {}", percent(bound.at_least));
    if bound.from.is_none() && bound.to.is_none() {
        return Verdict { claim, measured: percent(overall), pass: overall >= bound.at_least };
    }
    let from_us = bound.from.map_or(0, |s| s.as_micros());
    let to_us = bound.to.map_or(u64::MAX, |s| s.as_micros());
    let width = metrics.bucket_us.max(1);
    let in_window = metrics.buckets.iter().enumerate().filter(|(i, _)| {
        let start = *i as u64 * width;
        start >= from_us && start < to_us
    });
    let (good, completed) =
        in_window.fold((0u64, 0u64), |(g, c), (_, b)| (g + u64::from(b.good()), c + u64::from(b.completed())));
    let rate = share(good, completed);
    let window =
        format!(" in {}..{}", span_text(from_us), bound.to.map_or_else(|| "the end".to_owned(), |t| t.to_string()));
    Verdict {
        claim: claim + &window,
        measured: format!("{} of {completed}", percent(rate)),
        pass: completed > 0 && rate >= bound.at_least,
    }
}

fn span_text(us: u64) -> String {
    crate::time::Span::from_micros(us).to_string()
}

/// When the endpoint's first breaker first opened at or after the fault's start, at the
/// metrics' bucket width (the end of the bucket it opened in, so a pass is never early).
fn breaker(b: &BreakerExpectation, scenario: &Scenario, metrics: &Metrics) -> Verdict {
    let endpoint = scenario.endpoints.get(b.endpoint);
    let layer = endpoint.and_then(|e| e.stack.iter().position(|l| l.kind_name() == "circuit_breaker"));
    let fault_start_us = endpoint
        .and_then(|e| scenario.service_index(&e.service))
        .and_then(|s| scenario.services[s].faults.get(b.of_fault))
        .map(|f| f.window().0.as_micros());
    let open_code =
        catalog::layer("circuit_breaker").and_then(|s| s.states.iter().find(|st| st.label == "open")).map(|st| st.code);
    let series = layer.and_then(|l| {
        metrics.layers.iter().find(|s| usize::from(s.endpoint) == b.endpoint && usize::from(s.layer) == l)
    });
    let width = metrics.bucket_us.max(1);
    let after_us = if b.never_opens { 0 } else { fault_start_us.unwrap_or(0) };
    let opened_us = series.and_then(|s| {
        s.samples
            .iter()
            .enumerate()
            .find(|(i, sample)| (*i as u64 + 1) * width > after_us && Some(sample.worst_state) == open_code)
    });
    let opened_us = opened_us.map(|(i, _)| (i as u64 + 1) * width);
    let start = fault_start_us.unwrap_or(0);
    let claim = match b.opens_within {
        None => "the breaker never opens".to_owned(),
        Some(within) => format!("the breaker opens within {within} of fault {} (at {})", b.of_fault, span_text(start)),
    };
    if series.is_none() {
        // No breaker (or one switched off): the claim keeps its words and fails, saying why.
        let measured = format!("endpoint {} has no circuit breaker switched on", b.endpoint);
        return Verdict { claim, measured, pass: false };
    }
    match b.opens_within {
        None => Verdict {
            claim,
            measured: opened_us.map_or_else(|| "never opened".to_owned(), |t| format!("opened by {}", span_text(t))),
            pass: opened_us.is_none(),
        },
        Some(within) => {
            let took = opened_us.map(|t| t.saturating_sub(start));
            Verdict {
                claim,
                measured: took
                    .map_or_else(|| "never opened".to_owned(), |t| format!("opened by {} after", span_text(t))),
                pass: took.is_some_and(|t| t <= within.as_micros()) && fault_start_us.is_some(),
            }
        }
    }
}
