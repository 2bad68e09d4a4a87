//! Why a breaker changed state, and why it refused a call.

use serde::Serialize;

use super::{Cause, Endpoints, at, attempt_words};
use crate::Scenario;
use crate::patterns::circuit_breaker::{BreakerDoc, RecordedNote, RecordedOutcome, WindowDoc};
use crate::scenario::Layer;
use crate::sim::{NO_REQUEST, Trace, TraceEvent, TraceKind};

/// Breaker state codes (the catalogue's `circuit_breaker` states).
const CLOSED: u32 = 0;
const OPEN: u32 = 1;
const HALF_OPEN: u32 = 2;

/// One breaker transition and its cause.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transition {
    /// The endpoint whose stack holds the breaker.
    pub endpoint: usize,
    /// The breaker's place in that stack.
    pub layer: usize,
    /// When, in microseconds.
    pub at_us: u64,
    /// The state it entered (`open`, `half-open`, `closed`, …).
    pub to: &'static str,
    /// Why, in words.
    pub why: String,
}

/// Every breaker transition of the run, with its cause.
#[must_use]
pub fn transitions(scenario: &Scenario, trace: &Trace) -> Vec<Transition> {
    let events = &trace.events;
    let endpoints = Endpoints::of(events);
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == TraceKind::StateChange && e.request == NO_REQUEST)
        .filter_map(|(index, e)| {
            let (endpoint, layer) = ((e.value >> 8) as usize, usize::from(e.layer));
            let Some(Layer::CircuitBreaker(doc)) = scenario.endpoints.get(endpoint)?.stack.get(layer) else {
                return None;
            };
            let why = why(doc, events, &endpoints, index, None);
            Some(Transition { endpoint, layer, at_us: e.at_us, to: state_word(e.value & 0xff), why })
        })
        .collect()
}

fn state_word(code: u32) -> &'static str {
    crate::catalog::layer("circuit_breaker")
        .and_then(|spec| spec.states.iter().find(|s| u32::from(s.code) == code))
        .map_or("?", |s| s.label)
}

/// Why a call was refused by an open breaker: the opening before it.
pub(super) fn refusal(
    scenario: &Scenario,
    events: &[TraceEvent],
    endpoints: &Endpoints,
    (endpoint, layer): (usize, usize),
    index: usize,
) -> Option<(String, Cause)> {
    let Layer::CircuitBreaker(doc) = scenario.endpoints[endpoint].stack.get(layer)? else { return None };
    let event = &events[index];
    let opening = events[..index].iter().rposition(|e| is_change_of(e, endpoint, layer) && e.value & 0xff == OPEN)?;
    let opened = &events[opening];
    let text = format!(
        "the breaker opened at {}, {}",
        at(opened.at_us),
        why(doc, events, endpoints, opening, Some(event.request))
    );
    let what = format!("{} was refused: the breaker was open", attempt_words(events, index));
    Some((what, Cause { at_us: opened.at_us, text }))
}

fn is_change_of(e: &TraceEvent, endpoint: usize, layer: usize) -> bool {
    e.kind == TraceKind::StateChange && (e.value >> 8) as usize == endpoint && usize::from(e.layer) == layer
}

/// The cause of the transition at `events[index]`; `request` adds that request's part in it.
fn why(doc: &BreakerDoc, events: &[TraceEvent], endpoints: &Endpoints, index: usize, request: Option<u32>) -> String {
    let change = &events[index];
    let endpoint = (change.value >> 8) as usize;
    let layer = usize::from(change.layer);
    let previous = events[..index].iter().rposition(|e| is_change_of(e, endpoint, layer));
    let from = previous.map_or(CLOSED, |p| events[p].value & 0xff);
    match (from, change.value & 0xff) {
        (OPEN, HALF_OPEN) => format!("after its {} wait in the open state", doc.wait_open),
        (HALF_OPEN, OPEN) | (CLOSED, OPEN) => {
            let recorded = recorded_since(events, endpoints, previous.map_or(0, |p| p + 1)..index, (endpoint, layer));
            failures(doc, &recorded, from == HALF_OPEN, request)
        }
        (HALF_OPEN, CLOSED) => "its probe calls succeeded".to_owned(),
        _ => "its mode was set so".to_owned(),
    }
}

/// The breaker's counted results between two trace positions.
fn recorded_since<'a>(
    events: &'a [TraceEvent],
    endpoints: &Endpoints,
    range: core::ops::Range<usize>,
    (endpoint, layer): (usize, usize),
) -> Vec<(&'a TraceEvent, RecordedNote)> {
    events[range]
        .iter()
        .filter(|e| e.kind == TraceKind::BreakerRecorded && usize::from(e.layer) == layer)
        .filter(|e| endpoints.get(e.request) == Some(endpoint))
        .map(|e| (e, RecordedNote::decode(e.value)))
        .filter(|(_, note)| matches!(note.outcome, RecordedOutcome::Success | RecordedOutcome::Failure))
        .collect()
}

/// "after 26 of the last 50 recorded calls failed (52 %; threshold 50 %); this request's
/// attempts 1 and 2 were two of them".
fn failures(
    doc: &BreakerDoc,
    recorded: &[(&TraceEvent, RecordedNote)],
    half_open: bool,
    request: Option<u32>,
) -> String {
    let Some((last, note)) = recorded.last() else { return "with no recorded calls (forced)".to_owned() };
    let window: Vec<&(&TraceEvent, RecordedNote)> = match (half_open, doc.consecutive_failures, doc.window) {
        (true, _, _) => recorded.iter().collect(),
        (false, Some(n), _) => recorded.iter().rev().take(n as usize).collect(),
        (false, None, WindowDoc::Count(n)) => recorded.iter().rev().take(n as usize).collect(),
        (false, None, WindowDoc::Seconds(s)) => {
            let since = last.at_us.saturating_sub(u64::from(s) * 1_000_000);
            recorded.iter().filter(|(e, _)| e.at_us >= since).collect()
        }
    };
    let failed: Vec<&&TraceEvent> =
        window.iter().filter(|(_, n)| n.outcome == RecordedOutcome::Failure).map(|(e, _)| e).collect();
    let mut text = match (half_open, doc.consecutive_failures) {
        (true, _) => format!("after {} of its {} probe calls failed", failed.len(), window.len()),
        (false, Some(n)) => format!("after {n} failures in a row"),
        (false, None) => {
            let rate = note.failure_rate_pct.map_or_else(String::new, |r| format!("{r:.0} %; "));
            format!(
                "after {} of the last {} recorded calls failed ({rate}threshold {} %)",
                failed.len(),
                window.len(),
                doc.failure_rate
            )
        }
    };
    if let Some(request) = request {
        let mut mine: Vec<u16> = failed.iter().filter(|e| e.request == request).map(|e| e.attempt).collect();
        mine.sort_unstable();
        let mine: Vec<String> = mine.iter().map(u16::to_string).collect();
        if !mine.is_empty() {
            let plural = if mine.len() == 1 { "attempt" } else { "attempts" };
            text.push_str(&format!("; this request's {plural} {} among them", mine.join(" and ")));
        }
    }
    text
}
