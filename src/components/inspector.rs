//! The request inspector: one request's journey through the layers, in words ("cache miss →
//! breaker closed, permitted → attempt 1 → timed out …"), then why it was refused, timed out
//! or gave up, each cause a button to its moment on the timeline. It opens as a drawer beside
//! the timeline (a bottom sheet on narrow screens), where the eye already is.
//!
//! The words come from the engine (`explain::journey` and `explain::request`), through the
//! worker chunk, which keeps the run, so walking from request to request costs one lookup.

use resilience_engine::sim::Outcome;
use serde_json::Value;
use yew::prelude::*;

use crate::number::fixed;
use crate::state::{Action, use_app};

/// The inspector panel of the selected request (the app draws it only while one is selected).
#[function_component(Inspector)]
pub fn inspector() -> Html {
    let state = use_app();
    let seek = super::analysis::use_seek();
    let answer = use_causes(&state);
    let Some(result) = &state.result else { return html! {} };
    let Some(journey) = state.selected_request.and_then(|id| result.derived.journeys.get(id as usize)) else {
        return html! {};
    };
    if result.report.trace.is_none() {
        return html! {};
    }
    let close = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::SelectRequest(None)))
    };
    let outcome = journey.outcome.map_or("unfinished", Outcome::name);
    html! {
        <aside class="panel inspector" id="inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">{ format!("Request #{} · {outcome}", journey.id) }
                <button class="close" aria-label="Close the inspector" onclick={close}>{ "✕" }</button></h2>
            <p class="muted">{ format!("arrived at {} s · ← → on the timeline walk through requests", fixed(journey.arrival_us as f64 / 1e6, 3)) }</p>
            { explained(&answer, (result.revision, journey.id), journey.arrival_us, &seek) }
        </aside>
    }
}

/// The worker's words for a request: `(revision, request, reply)`.
type Causes = Option<(u64, u32, Result<Value, String>)>;

/// Asks the worker chunk for the selected request's journey and the causes of its refusals,
/// timeouts and give-ups, once per run and request.
#[hook]
fn use_causes(state: &crate::state::AppContext) -> UseStateHandle<Causes> {
    let answer = use_state(|| None);
    let revision = state.result.as_ref().map_or(0, |r| r.revision);
    let (state, setter) = (state.clone(), answer.clone());
    use_effect_with((revision, state.selected_request), move |(_, request)| {
        let (Some(result), Some(request)) = (&state.result, *request) else { return };
        let trace_events = super::analysis::trace_events(&state);
        let ask =
            format!(r#"{{"op":"explain","request":{request},"trace_events":{trace_events},"doc":{}}}"#, result.doc);
        crate::worker::ask(Some("explain"), ask, move |reply| setter.set(Some((revision, request, reply))));
    });
    answer
}

/// The journey (times after the arrival at `arrival_us`), then the causes, each a button that
/// seeks the timeline to what caused it.
fn explained(answer: &Causes, wanted: (u64, u32), arrival_us: u64, seek: &Callback<u64>) -> Html {
    let reply = match answer {
        Some((revision, request, reply)) if (*revision, *request) == wanted => reply,
        _ => return html! { <p class="muted" role="status">{ "Reading the journey…" }</p> },
    };
    let reply = match reply {
        Err(error) => return html! { <p class="muted" role="status">{ "No journey: " }{ error.clone() }</p> },
        Ok(reply) => reply,
    };
    let list = |key: &str| reply[key].as_array().cloned().unwrap_or_default();
    let steps = list("journey").into_iter().map(|step| {
        let after_us = step["at_us"].as_u64().unwrap_or(0).saturating_sub(arrival_us);
        html! { <li><span class="t">{ format!("+{} ms", fixed(after_us as f64 / 1e3, 1)) }</span>{ text(&step, "text") }</li> }
    });
    let causes = list("steps");
    let items = causes.iter().map(|step| {
        let at_us = step["cause"]["at_us"].as_u64().unwrap_or(0);
        html! { <li><strong>{ text(step, "what") }</strong>{ ": " }
        { super::analysis::seek_button(text(&step["cause"], "text"), at_us, seek) }</li> }
    });
    html! {
        <>
            <ol class="journey" id="journey">{ for steps }</ol>
            if !causes.is_empty() { <h3 class="why">{ "Why" }</h3><ul class="why" id="why">{ for items }</ul> }
        </>
    }
}

/// The string at `key`.
fn text(item: &Value, key: &str) -> String {
    item[key].as_str().unwrap_or_default().to_owned()
}
