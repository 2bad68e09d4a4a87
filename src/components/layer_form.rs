//! The settings of one layer, by kind. Fields whose parent is absent (the linear backoff's
//! delay while the backoff is exponential, say) are not shown.

use yew::prelude::*;

use super::field::{Field, Kind};
use crate::state::{AppContext, use_app};

/// Props of [`LayerForm`].
#[derive(Properties, PartialEq, Debug)]
pub struct Props {
    /// JSON pointer of the layer's config object (`/endpoints/0/stack/2/retry`).
    pub pointer: String,
    /// The layer's kind.
    pub kind: AttrValue,
}

const BACKOFFS: &[(&str, &str)] = &[
    ("constant", r#"{"constant":{"delay":"500ms"}}"#),
    ("linear", r#"{"linear":{"delay":"200ms"}}"#),
    ("exponential", r#"{"exponential":{"initial":"100ms","multiplier":2.0}}"#),
];
const JITTERS: &[(&str, &str)] = &[
    ("none", r#""none""#),
    ("full: random in [0, d]", r#""full""#),
    ("equal: d/2 + random in [0, d/2]", r#""equal""#),
    ("decorrelated", r#""decorrelated""#),
    ("±25 % (Polly)", r#"{"factor":0.25}"#),
];
const WINDOWS: &[(&str, &str)] = &[("last N calls", r#"{"count":100}"#), ("last N seconds", r#"{"seconds":10}"#)];
const BOUNDARIES: &[(&str, &str)] =
    &[("strictly after (resilience4j)", r#""strictly_after""#), ("at or after (Polly, cockatiel)", r#""at_or_after""#)];
const EVALUATE: &[(&str, &str)] =
    &[("after every call (resilience4j)", r#""every_call""#), ("only after failures (Polly)", r#""on_failure""#)];

/// Field descriptors of a kind: (relative pointer, label, kind, unit, help, engine default).
type Spec = (&'static str, &'static str, Kind, &'static str, &'static str, &'static str);

fn specs(kind: &str) -> Vec<Spec> {
    match kind {
        "retry" => vec![
            (
                "/max_attempts",
                "Max attempts",
                Kind::OptInt,
                "in total",
                "attempts in total, the first included (resilience4j)",
                "",
            ),
            (
                "/max_retries",
                "Max retries",
                Kind::OptInt,
                "after the first",
                "retries after the first attempt (Polly); set one of the two",
                "",
            ),
            ("/backoff", "Backoff", Kind::Select(BACKOFFS), "", "how the wait grows", "constant"),
            ("/backoff/constant/delay", "Delay", Kind::Duration, "", "", ""),
            ("/backoff/linear/delay", "Delay step", Kind::Duration, "× n", "", ""),
            ("/backoff/exponential/initial", "Initial wait", Kind::Duration, "", "", ""),
            ("/backoff/exponential/multiplier", "Multiplier", Kind::Float, "×", "", ""),
            ("/max_delay", "Max wait", Kind::OptDuration, "", "cap on any single wait", ""),
            (
                "/jitter",
                "Jitter",
                Kind::Select(JITTERS),
                "",
                "randomises each wait so clients do not retry in lockstep",
                "none",
            ),
            ("/honor_retry_after", "Honour Retry-After", Kind::Bool, "", "wait what a 429/503 says", "false"),
            ("/retry_on", "Retry on", Kind::FailureKinds, "", "which failures are retried", "5xx,timeout"),
        ],
        "timeout" => {
            vec![(
                "/timeout",
                "Timeout",
                Kind::Duration,
                "",
                "inside a retry: per attempt; outside: the whole call",
                "1s",
            )]
        }
        "circuit_breaker" => vec![
            ("/window", "Window", Kind::Select(WINDOWS), "", "calls judged in the closed state", "count"),
            ("/window/count", "Window size", Kind::Int, "calls", "", ""),
            ("/window/seconds", "Window length", Kind::Int, "s", "", ""),
            ("/failure_rate", "Failure rate threshold", Kind::Float, "%", "opens at or above this", "50"),
            ("/minimum_calls", "Minimum calls", Kind::Int, "calls", "no verdict before this many calls", "100"),
            ("/wait_open", "Wait in open", Kind::Duration, "", "before a probe may pass", "60s"),
            ("/wait_multiplier", "Wait multiplier", Kind::Float, "×", "growth of the wait on each re-open", "1"),
            ("/permitted_half_open", "Probes in half-open", Kind::Int, "calls", "extra calls are rejected", "10"),
            ("/slow_call_duration", "Slow call above", Kind::Duration, "", "", "60s"),
            ("/slow_call_rate", "Slow-call rate threshold", Kind::Float, "%", "", "100"),
            (
                "/max_wait_half_open",
                "Max wait in half-open",
                Kind::OptDuration,
                "",
                "leave half-open after this long",
                "",
            ),
            (
                "/consecutive_failures",
                "Consecutive failures",
                Kind::OptInt,
                "",
                "open after N failures in a row instead of rates",
                "",
            ),
            ("/open_boundary", "Open wait ends", Kind::Select(BOUNDARIES), "", "", "strictly_after"),
            ("/evaluate", "Judge", Kind::Select(EVALUATE), "", "", "every_call"),
            (
                "/record",
                "Count as failures",
                Kind::FailureKinds,
                "",
                "other failures count as successes",
                "5xx,429,4xx,timeout,rejected",
            ),
        ],
        "bulkhead" => vec![
            ("/max_concurrent", "Max concurrent", Kind::Int, "calls", "", "25"),
            ("/max_wait", "Max wait for a permit", Kind::Duration, "", "0 rejects at once", "0s"),
            ("/queue", "Queue", Kind::OptInt, "calls", "bounded FIFO of waiting calls", ""),
        ],
        "cache" => vec![
            ("/ttl", "TTL", Kind::Duration, "", "how long an entry is fresh", ""),
            ("/capacity", "Capacity", Kind::Int, "entries", "least recently used go first", "1000"),
            ("/serve_stale", "Serve stale on error", Kind::Bool, "", "", "false"),
            ("/max_staleness", "Max staleness", Kind::OptDuration, "", "past the TTL; empty = any age", ""),
        ],
        _ => vec![(
            "/on",
            "Answer on",
            Kind::FailureKinds,
            "",
            "which failures the fallback answers",
            "5xx,429,4xx,timeout,rejected",
        )],
    }
}

/// The form of one layer.
#[function_component(LayerForm)]
pub fn layer_form(props: &Props) -> Html {
    let state = use_app();
    // A nested field belongs to one variant of its parent (the exponential backoff's initial
    // wait, the count window's size): it is shown only while that variant is chosen.
    let fields = specs(&props.kind).into_iter().filter_map(|(relative, label, kind, unit, help, default)| {
        let pointer = format!("{}{relative}", props.pointer);
        let shown = relative.matches('/').count() == 1 || state.doc.pointer(&pointer).is_some();
        shown.then(|| html! { <Field {pointer} {label} {kind} {unit} {help} {default} /> })
    });
    let own_problems = state.problems.iter().filter(|p| p.path == crate::doc::path_of(&props.pointer));
    let action = (props.kind == "fallback").then(|| fallback_action(&state, &props.pointer));
    html! {
        <div class="layer-form">
            { for own_problems.map(|p| html! { <p class="field-error form-error" role="alert">{ p.message.clone() }</p> }) }
            { for action }
            { for fields }
        </div>
    }
}

/// The fallback's answer: a static value, a stale cache entry, or a call to another service of
/// the scenario (listed by name).
fn fallback_action(state: &AppContext, config: &str) -> Html {
    let pointer = format!("{config}/action");
    let services: Vec<String> = state.doc["services"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let mut choices: Vec<(String, serde_json::Value)> = vec![
        ("static value".into(), serde_json::json!("static")),
        ("stale cache entry".into(), serde_json::json!("stale_cache")),
    ];
    choices
        .extend(services.iter().map(|name| (format!("call service {name}"), serde_json::json!({ "service": name }))));
    let current = state.doc.pointer(&pointer).cloned().unwrap_or_else(|| serde_json::json!("static"));
    let values: Vec<serde_json::Value> = choices.iter().map(|(_, v)| v.clone()).collect();
    let dispatch = state.dispatcher();
    let pointer_set = pointer.clone();
    let onchange = Callback::from(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        if let Some(value) = values.get(select.selected_index().max(0) as usize) {
            dispatch.dispatch(crate::state::Action::Edit(crate::state::Edit::Set(pointer_set.clone(), value.clone())));
        }
    });
    let id = super::field::input_id(&pointer);
    let problems = state.problems_at(&crate::doc::path_of(&pointer));
    html! {
        <div class={classes!("field", (!problems.is_empty()).then_some("invalid"))}>
            <label for={id.clone()}>{ "Answer with" }</label>
            <select id={id.clone()} {onchange}>
                { for choices.iter().map(|(label, value)| html! { <option selected={*value == current}>{ label.clone() }</option> }) }
            </select>
            <span class="field-error">{ for problems.iter().map(|p| html! { <span>{ p.message.clone() }</span> }) }</span>
        </div>
    }
}
