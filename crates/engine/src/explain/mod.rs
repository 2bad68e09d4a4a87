//! Why things happened in a run, read from its trace: the causes behind a request's refusals,
//! timeouts and give-ups, and behind each circuit-breaker transition.
//!
//! "Attempt 3 was refused: the breaker opened at 12.400 s, after 52 % of the last 100
//! recorded calls failed (threshold 50 %); this request's attempts 1 and 2 were two of them."
//! Every cause carries the time it points at, so a viewer can seek there.

mod breaker;
mod journey;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use breaker::{Transition, transitions};
pub use journey::{Step, journey};

use crate::Scenario;
use crate::scenario::Layer;
use crate::sim::{NO_REQUEST, Trace, TraceEvent, TraceKind};

/// What caused an event, and when the cause happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cause {
    /// When the cause happened (a viewer seeks here), in microseconds.
    pub at_us: u64,
    /// The cause in words.
    pub text: String,
}

/// One event of a request's journey that has a cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explained {
    /// Its index in the trace's events.
    pub event: usize,
    /// When it happened, in microseconds.
    pub at_us: u64,
    /// What happened, in words.
    pub what: String,
    /// Why.
    pub cause: Cause,
}

/// The events of `request` that have a cause, in trace order. Empty if the trace does not hold
/// the request (or was cut short before it).
#[must_use]
pub fn request(scenario: &Scenario, trace: &Trace, request: u32) -> Vec<Explained> {
    let events = &trace.events;
    let endpoints = Endpoints::of(events);
    let Some(endpoint) = endpoints.get(request) else { return Vec::new() };
    let mut found = Vec::new();
    for (index, event) in events.iter().enumerate().filter(|(_, e)| e.request == request) {
        let layer = usize::from(event.layer);
        let explained = match event.kind {
            TraceKind::BreakerRejected if event.value == 0 => {
                breaker::refusal(scenario, events, &endpoints, (endpoint, layer), index)
            }
            TraceKind::BreakerRejected => Some(half_open_full(scenario, events, (endpoint, layer), index)),
            TraceKind::BulkheadRejected => bulkhead_full(scenario, events, &endpoints, (endpoint, layer), index),
            TraceKind::TimeoutFired => timeout(scenario, events, (endpoint, layer), index),
            TraceKind::RetryGaveUp => Some(gave_up(events, request, event)),
            _ => None,
        };
        if let Some((what, cause)) = explained {
            found.push(Explained { event: index, at_us: event.at_us, what, cause });
        }
    }
    found
}

/// The endpoint each request arrived at, from the `Arrival` records, by request id.
pub(super) struct Endpoints(Vec<u16>);

impl Endpoints {
    /// Reads every arrival once.
    pub(super) fn of(events: &[TraceEvent]) -> Self {
        let mut by_request = Vec::new();
        for e in events.iter().filter(|e| e.kind == TraceKind::Arrival && e.request != NO_REQUEST) {
            let id = e.request as usize;
            if by_request.len() <= id {
                by_request.resize(id + 1, u16::MAX);
            }
            by_request[id] = e.value as u16;
        }
        Self(by_request)
    }

    /// The endpoint `request` arrived at, if the trace holds its arrival.
    pub(super) fn get(&self, request: u32) -> Option<usize> {
        self.0.get(request as usize).filter(|e| **e != u16::MAX).map(|e| usize::from(*e))
    }
}

/// A time as the trace viewer shows it: `12.400 s`.
fn at(us: u64) -> String {
    format!("{:.3} s", us as f64 / 1e6)
}

/// "attempt 3": which try of the request reached the layer of `events[index]`, counted by
/// that layer's own decisions (a refused try never starts downstream, so the trace's attempt
/// count does not tell it).
fn attempt_words(events: &[TraceEvent], index: usize) -> String {
    let event = &events[index];
    let decided = |e: &&TraceEvent| {
        e.request == event.request
            && e.layer == event.layer
            && matches!(
                e.kind,
                TraceKind::BreakerPermitted
                    | TraceKind::BreakerRejected
                    | TraceKind::BulkheadAdmitted
                    | TraceKind::BulkheadRejected
            )
    };
    let tries = events[..=index].iter().filter(decided).count();
    if tries == 0 { format!("attempt {}", event.attempt.max(1)) } else { format!("attempt {tries}") }
}

fn half_open_full(
    scenario: &Scenario,
    events: &[TraceEvent],
    (endpoint, layer): (usize, usize),
    index: usize,
) -> (String, Cause) {
    let event = &events[index];
    let probes = match scenario.endpoints[endpoint].stack.get(layer) {
        Some(Layer::CircuitBreaker(b)) => b.permitted_half_open,
        _ => 0,
    };
    let what = format!("{} was refused by the half-open breaker", attempt_words(events, index));
    (
        what,
        Cause {
            at_us: event.at_us,
            text: format!("all {probes} of its probe calls were taken, still waiting for answers"),
        },
    )
}

/// The bulkhead's permits in use just before `event`, from its admissions and releases.
fn bulkhead_full(
    scenario: &Scenario,
    events: &[TraceEvent],
    endpoints: &Endpoints,
    (endpoint, layer): (usize, usize),
    index: usize,
) -> Option<(String, Cause)> {
    let event = &events[index];
    let Layer::Bulkhead(doc) = scenario.endpoints[endpoint].stack.get(layer)? else { return None };
    let mut in_use = 0i64;
    let mut last_admit = event.at_us;
    let here = |e: &&TraceEvent| usize::from(e.layer) == layer && e.at_us <= event.at_us && e.request != NO_REQUEST;
    for e in events.iter().filter(here).filter(|e| endpoints.get(e.request) == Some(endpoint)) {
        match e.kind {
            TraceKind::BulkheadAdmitted => {
                in_use += 1;
                last_admit = e.at_us;
            }
            TraceKind::BulkheadReleased if e.value != 2 => in_use -= 1,
            _ => {}
        }
    }
    let waited = if event.value == 1 { " and its wait ran out" } else { "" };
    let what = format!("{} was refused by the bulkhead{waited}", attempt_words(events, index));
    let text = format!(
        "{} of its {} permits were in use (the last taken at {})",
        in_use.max(0),
        doc.max_concurrent,
        at(last_admit)
    );
    Some((what, Cause { at_us: last_admit, text }))
}

fn timeout(
    scenario: &Scenario,
    events: &[TraceEvent],
    (endpoint, layer): (usize, usize),
    index: usize,
) -> Option<(String, Cause)> {
    let event = &events[index];
    let Layer::Timeout(doc) = scenario.endpoints[endpoint].stack.get(layer)? else { return None };
    let started = event.at_us.saturating_sub(doc.timeout.as_micros());
    let queued = events.iter().any(|e| {
        e.request == event.request && e.kind == TraceKind::AttemptQueued && (started..=event.at_us).contains(&e.at_us)
    });
    let extra = if queued { ", part of it waiting in the service's queue" } else { "" };
    let what = if event.attempt == 0 {
        "the call timed out".to_owned()
    } else {
        format!("attempt {} timed out", event.attempt)
    };
    let text = format!("no answer within {} of {}{extra}", doc.timeout, at(started));
    Some((what, Cause { at_us: started, text }))
}

fn gave_up(events: &[TraceEvent], request: u32, event: &TraceEvent) -> (String, Cause) {
    let failures: Vec<String> = events
        .iter()
        .filter(|e| e.request == request && e.kind == TraceKind::AttemptEnd && e.at_us <= event.at_us && e.value >= 400)
        .map(|e| format!("{} at {}", e.value, at(e.at_us)))
        .collect();
    let what = format!("the retry gave up after {} attempts", event.value);
    let first =
        events.iter().find(|e| e.request == request && e.kind == TraceKind::AttemptStart).map_or(0, |e| e.at_us);
    let text = if failures.is_empty() {
        "every attempt failed or was refused before the service answered".to_owned()
    } else {
        format!("the service answered {}", failures.join(", "))
    };
    (what, Cause { at_us: first, text })
}
