//! The request inspector: one request's journey through the layers, in words, straight from
//! the trace ("cache miss → breaker closed, permitted → attempt 1 → timed out …"). It opens
//! as a drawer beside the timeline (a bottom sheet on narrow screens), where the eye already is.

use resilience_engine::patterns::circuit_breaker::{RecordedNote, RecordedOutcome};

use resilience_engine::catalog;

use resilience_engine::sim::{Outcome, SERVICE, TraceKind};
use yew::prelude::*;

use crate::state::{Action, use_app};

fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1e3)
}

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector() -> Html {
    let state = use_app();
    let Some(result) = &state.result else { return html! {} };
    let Some(journey) = state.selected_request.and_then(|id| result.derived.journeys.get(id as usize)) else {
        return html! {};
    };
    let Some(trace) = &result.report.trace else { return html! {} };
    let stack = &result.scenario.endpoints[usize::from(journey.endpoint)].stack;
    // Layers by their catalogue labels, in lower case: "circuit breaker (3)", "client pool".
    let noun = |kind: &str| catalog::layer(kind).map_or(kind, |spec| spec.label).to_ascii_lowercase();
    let layer_name = |label: u8| match label {
        SERVICE => "service".to_owned(),
        resilience_engine::sim::POOL => noun(catalog::CLIENT_POOL.name),
        l => {
            stack.get(usize::from(l)).map_or("?".to_owned(), |layer| format!("{} ({})", noun(layer.kind_name()), l + 1))
        }
    };
    let steps = trace.events[journey.first_event..]
        .iter()
        .filter(|e| e.request == journey.id)
        .take_while(|e| e.at_us <= journey.end_us)
        .filter_map(|e| {
            let what = match e.kind {
                TraceKind::Arrival => {
                    format!("arrived at endpoint {}", result.scenario.endpoints[e.value as usize].name)
                }
                TraceKind::CacheHit => format!("{}: fresh hit for key {}", layer_name(e.layer), e.value),
                TraceKind::CacheMiss => format!("{}: miss for key {}", layer_name(e.layer), e.value),
                TraceKind::CacheStale => format!("{}: served a stale entry", layer_name(e.layer)),
                TraceKind::BreakerPermitted => format!("{}: permitted", layer_name(e.layer)),
                TraceKind::BreakerRejected => format!(
                    "{}: rejected ({})",
                    layer_name(e.layer),
                    if e.value == 1 { "half-open, probes taken" } else { "open" }
                ),
                TraceKind::BreakerRecorded => recorded(&layer_name(e.layer), RecordedNote::decode(e.value)),
                TraceKind::BreakerReleased if e.value == 1 => {
                    format!("{}: left the half-open queue (the call was abandoned)", layer_name(e.layer))
                }
                TraceKind::BreakerReleased => format!("{}: permit given back unrecorded", layer_name(e.layer)),
                TraceKind::BreakerQueued => {
                    format!("{}: half-open, probes taken: waits until they decide", layer_name(e.layer))
                }
                TraceKind::BulkheadAdmitted => format!("{}: admitted", layer_name(e.layer)),
                TraceKind::BulkheadQueued => format!("{}: waiting for a permit", layer_name(e.layer)),
                TraceKind::BulkheadRejected => format!(
                    "{}: rejected ({})",
                    layer_name(e.layer),
                    if e.value == 1 { "wait expired" } else { "full" }
                ),
                TraceKind::BulkheadReleased => format!(
                    "{}: {}",
                    layer_name(e.layer),
                    match e.value {
                        0 => "permit given back",
                        1 => "permit given back (the call was abandoned)",
                        _ => "left the queue (the call was abandoned)",
                    }
                ),
                TraceKind::RetryScheduled => format!(
                    "{}: waiting {} before attempt {}",
                    layer_name(e.layer),
                    ms(u64::from(e.value)),
                    e.attempt + 1
                ),
                TraceKind::RetryGaveUp => format!("{}: gave up after {} attempts", layer_name(e.layer), e.value),
                TraceKind::TimeoutFired => format!("{}: timed out", layer_name(e.layer)),
                TraceKind::FallbackServed => format!(
                    "{}: answered with {}",
                    layer_name(e.layer),
                    ["the static value", "a stale cache entry", "the secondary service"][e.value.min(2) as usize]
                ),
                TraceKind::AttemptStart => {
                    format!("attempt {} sent to {}", e.attempt, result.scenario.services[e.value as usize].name)
                }
                TraceKind::AttemptQueued => "queued at the service (all workers busy)".to_owned(),
                TraceKind::AttemptEnd => format!("attempt {} answered {}", e.attempt, e.value),
                TraceKind::AttemptAbandoned => {
                    format!("attempt {} abandoned (the service keeps working on it)", e.attempt)
                }
                TraceKind::Complete => {
                    let outcome = Outcome::from_code(e.value as u8).map_or("?", Outcome::name);
                    format!("completed: {outcome} after {}", ms(e.at_us - journey.arrival_us))
                }
                _ => return None,
            };
            Some(html! { <li><span class="t">{ format!("+{}", ms(e.at_us - journey.arrival_us)) }</span>{ what }</li> })
        });
    let close = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::SelectRequest(None)))
    };
    let outcome = journey.outcome.map_or("unfinished", Outcome::name);
    html! {
        <aside class="panel inspector" id="inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">{ format!("Request #{} · {outcome}", journey.id) }
                <button class="close" aria-label="Close the inspector" onclick={close}>{ "✕" }</button></h2>
            <p class="muted">{ format!("arrived at {:.3} s · ← → on the timeline walk through requests", journey.arrival_us as f64 / 1e6) }</p>
            <ol class="journey" id="journey">{ for steps }</ol>
        </aside>
    }
}

/// What the breaker did with a call's result, and the failure rate it judged by right after.
fn recorded(layer: &str, note: RecordedNote) -> String {
    let counted = match note.outcome {
        RecordedOutcome::Success => "recorded a success",
        RecordedOutcome::Failure => "recorded a failure",
        RecordedOutcome::Ignored => "ignored the failure (its kind is in `ignore`)",
        RecordedOutcome::NotCounted => "did not count the result",
    };
    match note.failure_rate_pct {
        Some(rate) => format!("{layer}: {counted}; failure rate {rate:.0} %"),
        None => format!("{layer}: {counted}; failure rate not yet computed (below the minimum calls)"),
    }
}
