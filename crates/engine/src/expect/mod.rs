//! Assertions a scenario makes about its own run ("resilience unit tests"): the document's
//! optional `expect` list.
//!
//! ```json
//! "expect": [
//!   { "success_rate": { "at_least": 0.99 } },
//!   { "success_rate": { "at_least": 0.9, "from": "20s", "to": "40s" } },
//!   { "goodput": { "at_least_rps": 150 } },
//!   { "latency": { "percentile": 99, "at_most": "500ms" } },
//!   { "amplification": { "at_most": 1.5 } },
//!   { "breaker": { "opens_within": "2s", "of_fault": 0 } },
//!   { "breaker": { "never_opens": true } },
//!   { "slowest": { "at_most": "2s" } },
//!   { "outcome_share": { "outcome": "fallback", "at_least": 0.2, "at_most": 0.5 } }
//! ]
//! ```
//!
//! The list travels with the document (links, embeds, files); it is not part of the run
//! model ([`Scenario`](crate::Scenario) reads the document without it), so a run never depends
//! on it. [`read`] turns the list into [`Expectation`]s, naming a wrong entry by its path, and
//! [`check`] measures each against a [`Report`](crate::Report).

mod check;
pub mod report;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use check::{Verdict, check};

use crate::ScenarioError;
use crate::sim::Outcome;
use crate::time::Span;

/// The document key of the list.
pub const KEY: &str = "expect";

/// Most assertions in one document.
pub const EXPECT_MAX: usize = 64;

/// One assertion about a run. Rates and shares are fractions in `[0, 1]`; a window
/// (`from`, `to`) counts the requests that completed in it, at the metrics' bucket width.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Expectation {
    /// The share of requests that got a real answer (service or cache) is at least `at_least`.
    SuccessRate(ShareAtLeast),
    /// Real answers per second, over the measured time, at least `at_least_rps`.
    Goodput(GoodputAtLeast),
    /// A latency percentile of all requests is at most `at_most`.
    Latency(LatencyAtMost),
    /// Downstream attempts per request at most `at_most`.
    Amplification(AtMost),
    /// The first circuit breaker of endpoint `endpoint` opens within `opens_within` of the
    /// start of fault `of_fault` of the endpoint's service, or never opens.
    Breaker(BreakerExpectation),
    /// No request takes longer than `at_most`, end to end.
    Slowest(SpanAtMost),
    /// The share of requests ending with `outcome` lies within the bounds.
    OutcomeShare(OutcomeShare),
}

/// A share with an optional window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareAtLeast {
    /// The lowest share that passes.
    pub at_least: f64,
    /// Start of the window (default: the start of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Span>,
    /// End of the window (default: the end of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Span>,
}

/// A goodput bound.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodputAtLeast {
    /// The lowest goodput that passes, in requests per second.
    pub at_least_rps: f64,
}

/// A latency percentile bound.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyAtMost {
    /// 50, 95 or 99.
    pub percentile: u8,
    /// The highest latency that passes.
    pub at_most: Span,
}

/// A bound on a plain figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtMost {
    /// The highest value that passes.
    pub at_most: f64,
}

/// A bound on a duration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanAtMost {
    /// The longest that passes.
    pub at_most: Span,
}

/// When a breaker should open, or that it should not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerExpectation {
    /// The endpoint whose first circuit breaker is meant (default 0).
    #[serde(default)]
    pub endpoint: usize,
    /// It opens within this long of the fault's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_within: Option<Span>,
    /// Index of the fault in the endpoint's service's `faults` (default 0).
    #[serde(default)]
    pub of_fault: usize,
    /// True: it never opens.
    #[serde(default)]
    pub never_opens: bool,
}

/// Bounds on the share of one outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeShare {
    /// The outcome, as summaries name it (`fallback`, `served-from-cache`, …).
    pub outcome: String,
    /// Lowest share that passes (default 0).
    #[serde(default)]
    pub at_least: f64,
    /// Highest share that passes (default 1).
    #[serde(default = "one")]
    pub at_most: f64,
}

const fn one() -> f64 {
    1.0
}

/// The outcome a summary names `name`.
fn outcome_named(name: &str) -> Option<Outcome> {
    Outcome::ALL.iter().copied().find(|o| o.name() == name)
}

/// The document's assertions (none when it has no `expect`).
///
/// # Errors
/// The first wrong entry, by its path (`expect[2].latency.percentile: …`).
pub fn read(doc: &Value) -> Result<Vec<Expectation>, ScenarioError> {
    let Some(list) = doc.get(KEY) else { return Ok(Vec::new()) };
    let Value::Array(items) = list else { return Err(ScenarioError::new(KEY, "expected a list of assertions")) };
    if items.len() > EXPECT_MAX {
        return Err(ScenarioError::new(KEY, format!("has {} assertions; the limit is {EXPECT_MAX}", items.len())));
    }
    items.iter().enumerate().map(|(i, item)| read_one(item, &format!("{KEY}[{i}]"))).collect()
}

/// One entry, then its ranges.
fn read_one(item: &Value, path: &str) -> Result<Expectation, ScenarioError> {
    let expectation: Expectation =
        serde_json::from_value(item.clone()).map_err(|e| ScenarioError::new(path, e.to_string()))?;
    match problem(&expectation) {
        Some((field, message)) => Err(ScenarioError::new(format!("{path}.{field}"), message)),
        None => Ok(expectation),
    }
}

/// The first out-of-range value of an assertion, as (field, message).
fn problem(expectation: &Expectation) -> Option<(&'static str, String)> {
    let share = |field: &'static str, x: f64| {
        (!(0.0..=1.0).contains(&x)).then(|| (field, format!("must be a fraction between 0 and 1, got {x}")))
    };
    match expectation {
        Expectation::SuccessRate(s) => share("success_rate.at_least", s.at_least).or_else(|| match (s.from, s.to) {
            (Some(from), Some(to)) if to <= from => Some(("success_rate.to", format!("must be after from ({from})"))),
            _ => None,
        }),
        Expectation::Goodput(g) if !(g.at_least_rps >= 0.0 && g.at_least_rps.is_finite()) => {
            Some(("goodput.at_least_rps", "must be a number of requests per second, 0 or more".into()))
        }
        Expectation::Latency(l) if ![50, 95, 99].contains(&l.percentile) => {
            Some(("latency.percentile", format!("must be 50, 95 or 99, got {}", l.percentile)))
        }
        Expectation::Amplification(a) if !(a.at_most >= 0.0 && a.at_most.is_finite()) => {
            Some(("amplification.at_most", "must be a number of attempts per request, 0 or more".into()))
        }
        Expectation::Breaker(b) if b.never_opens == b.opens_within.is_some() => {
            Some(("breaker", "say either opens_within or never_opens: true".into()))
        }
        Expectation::OutcomeShare(o) if outcome_named(&o.outcome).is_none() => {
            let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.name()).collect();
            Some(("outcome_share.outcome", format!("unknown outcome {:?}; one of {}", o.outcome, names.join(", "))))
        }
        Expectation::OutcomeShare(o) => {
            share("outcome_share.at_least", o.at_least).or_else(|| share("outcome_share.at_most", o.at_most)).or_else(
                || (o.at_least > o.at_most).then(|| ("outcome_share.at_most", "must not be below at_least".into())),
            )
        }
        _ => None,
    }
}
