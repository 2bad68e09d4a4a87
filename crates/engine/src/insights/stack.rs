//! The checks, one function each, over one endpoint's stack.

use serde_json::{Value, json};

use super::{Fix, Insight, pointer};
use crate::Scenario;
use crate::decimal::fixed;
use crate::patterns::circuit_breaker::WindowDoc;
use crate::patterns::document::PatternDoc;
use crate::patterns::hedging::HedgeMode;
use crate::scenario::{Endpoint, Fault, Latency, Layer, Load, Service};
use crate::sim::Report;
use crate::time::Span;

/// What the checks look at: one endpoint, its service, its enabled layers and its run.
pub(super) struct Scope<'a> {
    scenario: &'a Scenario,
    endpoint: usize,
    e: &'a Endpoint,
    service: Option<&'a Service>,
    /// Requests per second the endpoint sent in the run.
    rps: f64,
}

impl<'a> Scope<'a> {
    pub(super) fn new(scenario: &'a Scenario, report: &Report, endpoint: usize) -> Self {
        let e = &scenario.endpoints[endpoint];
        let service = scenario.service_index(&e.service).map(|i| &scenario.services[i]);
        let seconds = scenario.duration.as_micros() as f64 / 1e6;
        let requests = report.summary.endpoints.get(endpoint).map_or(0, |t| t.requests);
        Self { scenario, endpoint, e, service, rps: requests as f64 / seconds.max(1e-6) }
    }

    /// The enabled layers with their index in the stack.
    fn layers(&self) -> impl Iterator<Item = (usize, &'a Layer)> + '_ {
        self.e.stack.iter().enumerate().filter(|(_, layer)| layer.enabled())
    }

    fn insight(&self, id: &'static str, layer: usize, message: String, fix: Option<Fix>) -> Insight {
        Insight { id, endpoint: self.endpoint, layer: Some(layer), message, fix }
    }

    /// A fix that sets one field of layer `layer` (of kind `kind`).
    fn set(&self, label: String, layer: usize, kind: &str, field: &str, value: Value) -> Option<Fix> {
        Some(Fix { label, edits: vec![(format!("{}/{field}", pointer(self.endpoint, layer, kind)), value)] })
    }

    /// A fix that moves layer `from` to place `to` in the stack.
    fn moved(&self, label: String, from: usize, to: usize) -> Option<Fix> {
        let mut stack = self.e.stack.clone();
        let layer = stack.remove(from);
        stack.insert(to, layer);
        let value = serde_json::to_value(&stack).ok()?;
        Some(Fix { label, edits: vec![(format!("/endpoints/{}/stack", self.endpoint), value)] })
    }
}

/// Every check's insights for one endpoint.
pub(super) fn all(scope: &Scope<'_>) -> Vec<Insight> {
    let checks: [fn(&Scope<'_>) -> Vec<Insight>; 9] = [
        retries_through_breaker,
        timeout_cuts_retries,
        attempt_timeout_too_long,
        retries_multiply,
        bulkhead_over_capacity,
        breaker_never_judges,
        no_jitter,
        stale_shorter_than_outage,
        hedge_below_median,
    ];
    checks.iter().flat_map(|check| check(scope)).collect()
}

/// The retry layers, with their index and attempts in all.
fn retries<'a>(scope: &'a Scope<'_>) -> impl Iterator<Item = (usize, u32, &'a crate::patterns::retry::RetryDoc)> + 'a {
    scope.layers().filter_map(|(i, layer)| match layer {
        Layer::Retry(doc) if doc.total_attempts() > 1 => Some((i, doc.total_attempts(), doc)),
        _ => None,
    })
}

fn retries_through_breaker(scope: &Scope<'_>) -> Vec<Insight> {
    let mut found = Vec::new();
    for (b, layer) in scope.layers() {
        let Layer::CircuitBreaker(breaker) = layer else { continue };
        let Some((r, attempts, _)) = retries(scope).find(|(r, _, _)| *r < b) else { continue };
        let calls = breaker.minimum_calls.div_ceil(attempts);
        let message = format!(
            "the retry (layer {}) sits outside this breaker, so the breaker records each of up to {attempts} attempts of a call: \
             a failing dependency opens it after about {calls} calls instead of {}",
            r + 1,
            breaker.minimum_calls
        );
        let fix = scope.moved("Move the breaker outside the retry".into(), b, r);
        found.push(scope.insight("retries_through_breaker", b, message, fix));
    }
    found
}

fn timeout_cuts_retries(scope: &Scope<'_>) -> Vec<Insight> {
    let mut found = Vec::new();
    for (t, layer) in scope.layers() {
        let Layer::Timeout(timeout) = layer else { continue };
        for (r, attempts, doc) in retries(scope).filter(|(r, _, _)| *r > t) {
            let Ok(retry) = doc.parse() else { continue };
            let waits = Span::from_micros(retry.waits_us());
            if waits < timeout.timeout {
                continue;
            }
            let message = format!(
                "this timeout ({}) ends the whole call, but the retry inside it (layer {}) waits {waits} between its {attempts} \
                 attempts: the later attempts never run",
                timeout.timeout,
                r + 1
            );
            let fix = scope.moved("Move the timeout inside the retry (a timeout per attempt)".into(), t, r);
            found.push(scope.insight("timeout_cuts_retries", t, message, fix));
        }
    }
    found
}

fn attempt_timeout_too_long(scope: &Scope<'_>) -> Vec<Insight> {
    let timeouts: Vec<(usize, Span)> = scope
        .layers()
        .filter_map(|(i, layer)| match layer {
            Layer::Timeout(t) => Some((i, t.timeout)),
            _ => None,
        })
        .collect();
    let mut found = Vec::new();
    for (r, attempts, _) in retries(scope) {
        let outer = timeouts.iter().filter(|(i, _)| *i < r).map(|(_, t)| *t).min();
        for &(inner_at, inner) in timeouts.iter().filter(|(i, _)| *i > r) {
            let Some(outer) = outer.filter(|outer| inner >= *outer) else { continue };
            let message = format!(
                "this per-attempt timeout ({inner}) is no shorter than the whole call's ({outer}): an attempt never times out \
                 before the call does, so the retry (layer {}) never retries a timeout",
                r + 1
            );
            let share = Span::from_micros((outer.as_micros() / u64::from(attempts)).max(1_000));
            let fix = scope.set(format!("Set it to {share}"), inner_at, "timeout", "timeout", json!(share.to_string()));
            found.push(scope.insight("attempt_timeout_too_long", inner_at, message, fix));
        }
    }
    found
}

fn retries_multiply(scope: &Scope<'_>) -> Vec<Insight> {
    let layers: Vec<(usize, u32, _)> = retries(scope).collect();
    let [(first, _, _), .., (last, _, _)] = layers.as_slice() else { return Vec::new() };
    let worst: u64 = layers.iter().map(|(_, n, _)| u64::from(*n)).product();
    let counts: Vec<String> = layers.iter().map(|(_, n, _)| n.to_string()).collect();
    let message = format!(
        "{} retry layers multiply: up to {} = {worst} attempts reach the service for one call",
        layers.len(),
        counts.join(" × ")
    );
    let edits = layers
        .iter()
        .filter(|(i, _, _)| i != last)
        .map(|(i, _, _)| (format!("{}/enabled", pointer(scope.endpoint, *i, "retry")), json!(false)))
        .collect();
    let fix = Some(Fix { label: "Retry at the innermost layer only".into(), edits });
    vec![scope.insight("retries_multiply", *first, message, fix)]
}

fn bulkhead_over_capacity(scope: &Scope<'_>) -> Vec<Insight> {
    let Some(capacity) = scope.service.and_then(|s| s.capacity) else { return Vec::new() };
    let serves = capacity.concurrency.saturating_add(capacity.queue);
    scope
        .layers()
        .filter_map(|(i, layer)| match layer {
            Layer::Bulkhead(b) if b.max_concurrent > serves => {
                let message = format!(
                    "this bulkhead lets {} calls in at once, but the service works on {} and queues {}: the calls over that wait \
                     or are turned away at the service instead of being refused here at once",
                    b.max_concurrent, capacity.concurrency, capacity.queue
                );
                let fix = scope.set(format!("Set it to {serves}"), i, "bulkhead", "max_concurrent", json!(serves));
                Some(scope.insight("bulkhead_over_capacity", i, message, fix))
            }
            _ => None,
        })
        .collect()
}

fn breaker_never_judges(scope: &Scope<'_>) -> Vec<Insight> {
    scope
        .layers()
        .filter_map(|(i, layer)| {
            let Layer::CircuitBreaker(b) = layer else { return None };
            let WindowDoc::Seconds(seconds) = b.window else { return None };
            let per_window = scope.rps * f64::from(seconds);
            if b.consecutive_failures.is_some() || per_window >= f64::from(b.minimum_calls) {
                return None;
            }
            let message = format!(
                "at {} requests a second its {seconds} s window holds about {} calls, fewer than its minimum of {}: \
                 it never judges, so it never opens",
                fixed(scope.rps, 0),
                fixed(per_window, 0),
                b.minimum_calls
            );
            let minimum = ((per_window / 2.0).floor() as u32).max(1);
            let fix = scope.set(
                format!("Judge after {minimum} calls"),
                i,
                "circuit_breaker",
                "minimum_calls",
                json!(minimum),
            );
            Some(scope.insight("breaker_never_judges", i, message, fix))
        })
        .collect()
}

/// Callers that act independently: closed-loop clients, or open-loop arrivals a second.
fn callers(load: &Load) -> f64 {
    match load {
        Load::Closed { clients, .. } => f64::from(*clients),
        Load::Constant { rps } | Load::Poisson { rps } | Load::Spike { rps, .. } => *rps,
        Load::Ramp { from_rps, to_rps } => from_rps.max(*to_rps),
        _ => 0.0,
    }
}

/// At or above this many callers, retries on one schedule arrive together.
const MANY_CALLERS: f64 = 10.0;

fn no_jitter(scope: &Scope<'_>) -> Vec<Insight> {
    let many = callers(&scope.e.load);
    if many < MANY_CALLERS {
        return Vec::new();
    }
    retries(scope)
        .filter(|(_, _, doc)| doc.jitter == crate::patterns::retry::Jitter::None)
        .map(|(i, _, _)| {
            let message = format!(
                "about {} callers retry on the same schedule without jitter: after a failure their retries arrive together, \
                 in waves",
                fixed(many, 0)
            );
            let fix = scope.set("Use full jitter".into(), i, "retry", "jitter", json!("full"));
            scope.insight("no_jitter", i, message, fix)
        })
        .collect()
}

/// The service's outages, as (start, length).
fn outages(scope: &Scope<'_>) -> Vec<(Span, Span)> {
    let end = scope.scenario.duration;
    let faults = scope.service.map_or(&[][..], |s| s.faults.as_slice());
    faults
        .iter()
        .filter(|f| matches!(f, Fault::Outage { .. }))
        .map(|f| {
            let (from, to) = f.window();
            let to = to.unwrap_or(end);
            (from, Span::from_micros(to.as_micros().saturating_sub(from.as_micros())))
        })
        .collect()
}

fn stale_shorter_than_outage(scope: &Scope<'_>) -> Vec<Insight> {
    let Some(&(start, longest)) = outages(scope).iter().max_by_key(|(_, length)| *length) else { return Vec::new() };
    let mut found = Vec::new();
    for (i, layer) in scope.layers() {
        let Layer::Cache(cache) = layer else { continue };
        let (message, fix) = match (cache.serve_stale, cache.max_staleness) {
            (true, Some(stale)) if stale < longest => (
                format!(
                    "stale answers are served for at most {stale} past their TTL, but the outage at {start} lasts {longest}"
                ),
                scope.set(
                    format!("Serve stale for {longest}"),
                    i,
                    "cache",
                    "max_staleness",
                    json!(longest.to_string()),
                ),
            ),
            (false, _) if cache.ttl < longest => (
                format!(
                    "entries expire after {} during the {longest} outage at {start}, and stale ones are not served",
                    cache.ttl
                ),
                scope.set("Serve stale answers".into(), i, "cache", "serve_stale", json!(true)),
            ),
            _ => continue,
        };
        found.push(scope.insight("stale_shorter_than_outage", i, message, fix));
    }
    found
}

/// The service's median service time, from its latency model.
fn median(latency: &Latency) -> Option<Span> {
    let micros = match latency {
        Latency::Constant(t) => t.as_micros(),
        Latency::Uniform { min, max } => (min.as_micros() + max.as_micros()) / 2,
        Latency::Normal { mean, .. } => mean.as_micros(),
        Latency::Lognormal { p50, .. } => p50.as_micros(),
        Latency::Sequence(times) => {
            let mut sorted: Vec<u64> = times.iter().map(|t| t.as_micros()).collect();
            sorted.sort_unstable();
            *sorted.get(sorted.len() / 2)?
        }
    };
    Some(Span::from_micros(micros))
}

fn hedge_below_median(scope: &Scope<'_>) -> Vec<Insight> {
    let Some(p50) = scope.service.and_then(|s| median(&s.latency)) else { return Vec::new() };
    scope
        .layers()
        .filter_map(|(i, layer)| match layer {
            Layer::Hedging(h) if h.mode == HedgeMode::Latency && h.delay < p50 => {
                let message = format!(
                    "this hedge waits {} but the service's median answer takes {p50}: most calls are sent twice",
                    h.delay
                );
                let delay = Span::from_micros(p50.as_micros().saturating_mul(2));
                let fix = scope.set(format!("Hedge after {delay}"), i, "hedging", "delay", json!(delay.to_string()));
                Some(scope.insight("hedge_below_median", i, message, fix))
            }
            _ => None,
        })
        .collect()
}
