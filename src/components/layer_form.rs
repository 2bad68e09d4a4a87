//! The settings of one layer, by kind. Fields whose parent is absent (the linear backoff's
//! delay while the backoff is exponential, say) are not shown.

use yew::prelude::*;

use super::field::{Field, Kind};
use crate::state::AppContext;

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
const FALLBACKS: &[(&str, &str)] = &[("static value", r#""static""#), ("stale cache entry", r#""stale_cache""#)];

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
        _ => vec![
            ("/action", "Answer with", Kind::Select(FALLBACKS), "", "what the fallback answers", "static"),
            (
                "/on",
                "Answer on",
                Kind::FailureKinds,
                "",
                "which failures the fallback answers",
                "5xx,429,4xx,timeout,rejected",
            ),
        ],
    }
}

/// The form of one layer.
#[function_component(LayerForm)]
pub fn layer_form(props: &Props) -> Html {
    let state = use_context::<AppContext>().expect("state context");
    // A nested field belongs to one variant of its parent (the exponential backoff's initial
    // wait, the count window's size): it is shown only while that variant is chosen.
    let fields = specs(&props.kind).into_iter().filter_map(|(relative, label, kind, unit, help, default)| {
        let pointer = format!("{}{relative}", props.pointer);
        let shown = relative.matches('/').count() == 1 || state.doc.pointer(&pointer).is_some();
        shown.then(|| html! { <Field {pointer} {label} {kind} {unit} {help} {default} /> })
    });
    let own_problems = state.problems.iter().filter(|p| p.path == crate::doc::path_of(&props.pointer));
    html! {
        <div class="layer-form">
            { for own_problems.map(|p| html! { <p class="field-error form-error" role="alert">{ p.message.clone() }</p> }) }
            { for fields }
        </div>
    }
}
