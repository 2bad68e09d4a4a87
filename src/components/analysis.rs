//! What the worker chunk says about the run on screen: the verdict of each claim in the
//! scenario's `expect` list, the cause of each breaker transition, and the configuration
//! insights, which [`insights`] shows beside the layer they concern with their one-click fix.
//! The analysis follows each finished run; until the next one arrives the last one stays,
//! marked stale (its fixes are disabled: they were computed for another document).

use std::rc::Rc;

use serde_json::Value;
use yew::prelude::*;

use crate::number::fixed;
use crate::state::{Action, AppContext, Edit};

/// The analysis of one run: the worker's reply, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The document revision it belongs to.
    pub revision: u64,
    /// The reply (`verdicts`, `expect_error`, `insights`, `transitions`) or the reason.
    pub reply: Result<Value, String>,
}

/// The trace limit the worker's run must use to see the same run as the page: the page's
/// when its run kept a trace, else metrics only.
pub fn trace_events(state: &AppContext) -> usize {
    let traced = state.result.as_ref().is_some_and(|r| r.report.trace.is_some());
    if traced { crate::runner::TRACE_EVENTS_MAX } else { 0 }
}

/// Asks the worker for the analysis of each finished run; the state keeps the answer.
#[hook]
pub fn use_analysis(state: &AppContext) {
    let state = state.clone();
    use_effect_with(state.result.as_ref().map(|r| r.revision), move |revision| {
        let (Some(revision), Some(result)) = (*revision, &state.result) else { return };
        let request = format!(r#"{{"op":"analyse","trace_events":{},"doc":{}}}"#, trace_events(&state), result.doc);
        let dispatch = state.dispatcher();
        crate::worker::ask(Some("analyse"), request, move |reply| {
            dispatch.dispatch(Action::Analysed(Rc::new(Analysis { revision, reply })));
        });
    });
}

/// The analysis's list `key`, and whether it belongs to the run on screen.
fn list(state: &AppContext, key: &str) -> (Vec<Value>, bool) {
    let Some(analysis) = &state.analysis else { return (Vec::new(), false) };
    let fresh = fresh(state);
    let items = analysis.reply.as_ref().ok().and_then(|r| r[key].as_array().cloned()).unwrap_or_default();
    (items, fresh)
}

/// Whether the analysis is of the run on screen, and that run of the document as it is.
pub fn fresh(state: &crate::state::State) -> bool {
    state.analysis.as_ref().zip(state.result.as_ref()).is_some_and(|(a, r)| a.revision == r.revision) && !state.stale()
}

/// A time in seconds, as the timeline's axis writes it.
pub fn seconds(at_us: u64) -> String {
    format!("{} s", fixed(at_us as f64 / 1e6, 3))
}

/// A button that moves the play head to `at_us` (through `seek`).
pub fn seek_button(label: String, at_us: u64, seek: &Callback<u64>) -> Html {
    let onclick = seek.reform(move |_: MouseEvent| at_us);
    html! { <button class="seek" title="Show this moment on the timeline" {onclick}>{ label }</button> }
}

/// A callback that moves the play head (it does not follow the play head: a view that seeks
/// is not drawn again on every playback tick).
#[hook]
pub fn use_seek() -> Callback<u64> {
    crate::playback::use_cursor_cell().1
}

/// [`claims`] as a component, which reads the seek callback itself.
#[function_component(ClaimsPanel)]
pub fn claims_panel() -> Html {
    let state = crate::state::use_app();
    let seek = use_seek();
    claims(&state, &seek)
}

/// The claims of the scenario's `expect` list, each with its verdict and measured value, and
/// the cause of each breaker transition (each a button to its moment, through `seek`).
/// Nothing when the scenario has neither.
pub fn claims(state: &AppContext, seek: &Callback<u64>) -> Html {
    let (verdicts, fresh) = list(state, "verdicts");
    let (transitions, _) = list(state, "transitions");
    let reply = state.analysis.as_ref().map(|a| &a.reply);
    let problem = match reply {
        Some(Err(error)) => Some(error.clone()),
        Some(Ok(reply)) => reply["expect_error"].as_str().map(|e| format!("The claims cannot be checked: {e}")),
        None => None,
    };
    if verdicts.is_empty() && transitions.is_empty() && problem.is_none() {
        return html! {};
    }
    let held = verdicts.iter().filter(|v| v["pass"] == true).count();
    let items = verdicts.iter().map(|v| {
        let pass = v["pass"] == true;
        let (mark, word) = if pass { ("✓", "holds") } else { ("✗", "fails") };
        html! {
            <li class={if pass { "pass" } else { "fail" }}>
                <span class="mark" aria-label={word}>{ mark }</span>{ text(v, "claim") }
                <span class="measured">{ "measured " }{ text(v, "measured") }</span>
            </li>
        }
    });
    let causes = transitions.iter().map(|t| {
        let at_us = t["at_us"].as_u64().unwrap_or(0);
        html! { <li>{ seek_button(seconds(at_us), at_us, seek) }{ format!(" {}: {}", text(t, "to"), text(t, "why")) }</li> }
    });
    html! {
        <section class={if fresh { "panel claims" } else { "panel claims stale" }} id="claims" aria-labelledby="claims-title">
            <h2 id="claims-title">{ "Claims" }
                if !verdicts.is_empty() { <span class="hint">{ format!(" {held} of {} hold", verdicts.len()) }</span> }</h2>
            if let Some(problem) = problem { <p class="error" role="alert">{ problem }</p> }
            if !verdicts.is_empty() { <ul class="verdicts" id="verdicts">{ for items }</ul> }
            if !transitions.is_empty() {
                <details class="transitions"><summary>{ format!("Why the breaker changed state ({})", transitions.len()) }</summary>
                    <ol id="transitions">{ for causes }</ol></details>
            }
        </section>
    }
}

/// The string at `key` of a reply's item.
fn text(item: &Value, key: &str) -> String {
    item[key].as_str().unwrap_or_default().to_owned()
}

/// The configuration insights about layer `layer` of the shown endpoint (or, for none, about
/// the endpoint as a whole), each with its fix as a button (one undo step).
pub fn insights(state: &AppContext, layer: Option<usize>) -> Html {
    let (all, fresh) = list(state, "insights");
    let here = all.iter().filter(|i| {
        i["endpoint"].as_u64() == Some(state.endpoint as u64) && i["layer"].as_u64() == layer.map(|l| l as u64)
    });
    let items: Vec<Html> = here.map(|insight| insight_item(state, insight, fresh)).collect();
    if items.is_empty() {
        return html! {};
    }
    html! { <ul class={if fresh { "insights" } else { "insights stale" }}>{ for items }</ul> }
}

fn insight_item(state: &AppContext, insight: &Value, fresh: bool) -> Html {
    let fix = insight["fix"].as_object().map(|fix| {
        let edits: Vec<(String, Value)> = fix["edits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| Some((e[0].as_str()?.to_owned(), e[1].clone())))
            .collect();
        let dispatch = state.dispatcher();
        let onclick = Callback::from(move |_| dispatch.dispatch(Action::Edit(Edit::SetMany(edits.clone()))));
        let label = fix["label"].as_str().unwrap_or("Fix").to_owned();
        html! { <button class="fix" disabled={!fresh} {onclick}>{ label }</button> }
    });
    html! { <li class="insight" role="note"><span aria-hidden="true">{ "⚠ " }</span>{ text(insight, "message") }{ for fix }</li> }
}
