//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Chart, Choice, LayerSpec, MarkerSpec, Range, Reading, ReadingSpec, StateSpec};
use crate::scenario::{CAPACITY, GROWTH, PERCENT, POSITIVE_SPAN, WAIT_SPAN, WINDOW_CALLS, WINDOW_SECONDS};
use crate::sim::Outcome;

use crate::catalog::FieldKind::{Bool, Choice as Pick, Duration, FailureKinds, Number, Whole};

const WINDOWS: &[Choice] =
    &[choice("last N calls", "count", ""), choice("last N seconds", "seconds", r#"{"seconds":10}"#)];
const BOUNDARIES: &[Choice] = &[
    choice("strictly after (resilience4j)", "strictly_after", ""),
    choice("at or after (Polly, cockatiel)", "at_or_after", r#""at_or_after""#),
];
const EVALUATE: &[Choice] = &[
    choice("after every call (resilience4j)", "every_call", ""),
    choice("only after failures (Polly)", "on_failure", r#""on_failure""#),
];
const AFTER_MAX_WAIT: &[Choice] = &[choice("open", "open", ""), choice("closed", "closed", r#""closed""#)];
const MODES: &[Choice] = &[
    choice("normal", "normal", ""),
    choice("forced open", "forced_open", r#""forced_open""#),
    choice("metrics only (never blocks)", "metrics_only", r#""metrics_only""#),
    choice("disabled", "disabled", r#""disabled""#),
];
const HALF_OPEN_ADMISSION: &[Choice] = &[
    choice("reject extra calls (resilience4j)", "reject", ""),
    choice("queue until the probes decide (cockatiel)", "queue", r#""queue""#),
];

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "circuit_breaker",
    label: "Circuit breaker",
    summary: "stop calling a failing dependency, probe it now and then",
    fields: &[
        ENABLED,
        field("/window", "Window", Pick, "", "calls judged in the closed state", None).pick(WINDOWS),
        field("/window/count", "Window size", Whole, "calls", "", Some(&Range::Whole(WINDOW_CALLS))).required(),
        field("/window/seconds", "Window length", Whole, "s", "", Some(&Range::Whole(WINDOW_SECONDS))).required(),
        field(
            "/failure_rate",
            "Failure rate threshold",
            Number,
            "%",
            "opens at or above this",
            Some(&Range::Number(PERCENT)),
        ),
        field(
            "/minimum_calls",
            "Minimum calls",
            Whole,
            "calls",
            "no verdict before this many calls",
            Some(&Range::Whole(CAPACITY)),
        ),
        field("/wait_open", "Wait in open", Duration, "", "before a probe may pass", Some(&Range::Duration(WAIT_SPAN))),
        field(
            "/wait_multiplier",
            "Wait multiplier",
            Number,
            "×",
            "growth of the wait on each re-open",
            Some(&Range::Number(GROWTH)),
        ),
        field("/wait_max", "Max wait in open", Duration, "", "cap on the grown wait", None),
        field(
            "/permitted_half_open",
            "Probes in half-open",
            Whole,
            "calls",
            "extra calls are rejected",
            Some(&Range::Whole(WINDOW_CALLS)),
        ),
        field("/slow_call_duration", "Slow call above", Duration, "", "", Some(&Range::Duration(POSITIVE_SPAN))),
        field("/slow_call_rate", "Slow-call rate threshold", Number, "%", "", Some(&Range::Number(PERCENT))),
        field(
            "/max_wait_half_open",
            "Max wait in half-open",
            Duration,
            "",
            "leave half-open after this long",
            Some(&Range::Duration(POSITIVE_SPAN)),
        ),
        field("/after_max_wait", "Then go", Pick, "", "where the max wait in half-open leads", None)
            .pick(AFTER_MAX_WAIT),
        field(
            "/consecutive_failures",
            "Consecutive failures",
            Whole,
            "",
            "open after N failures in a row instead of rates",
            Some(&Range::Whole(WINDOW_CALLS)),
        ),
        field("/open_boundary", "Open wait ends", Pick, "", "", None).pick(BOUNDARIES),
        field("/evaluate", "Judge", Pick, "", "", None).pick(EVALUATE),
        field("/record", "Count as failures", FailureKinds, "", "other failures count as successes", None),
        field("/ignore", "Ignore", FailureKinds, "", "these give the permit back uncounted", None),
        field(
            "/half_open_successes",
            "Successes to close",
            Whole,
            "probes",
            "close after this many successful probes, 1 to the probes in half-open (failsafe); empty: judge the rate",
            None,
        ),
        field("/half_open_admission", "When probes are taken", Pick, "", "", None).pick(HALF_OPEN_ADMISSION),
        field("/round_rates", "Whole percent", Bool, "", "judge rates rounded to whole percent (failsafe)", None),
        field("/mode", "Mode", Pick, "", "force a state, or only measure", None).pick(MODES),
    ],
    outcomes: &[Outcome::RejectedByBreaker],
    states: &[
        StateSpec { code: 0, label: "closed", entered: "breaker closed" },
        StateSpec { code: 1, label: "open", entered: "breaker opened" },
        StateSpec { code: 2, label: "half-open", entered: "breaker half-open" },
        StateSpec { code: 3, label: "disabled", entered: "breaker disabled" },
        StateSpec { code: 4, label: "forced open", entered: "breaker forced open" },
        StateSpec { code: 5, label: "metrics only", entered: "breaker measuring only" },
    ],
    counters: &["permitted", "rejected", "recorded"],
    readings: &[
        ReadingSpec { reading: Reading::State, label: "state" },
        ReadingSpec { reading: Reading::FailureRate, label: "failure rate" },
    ],
    chart: Some(Chart::StateStrip),
    events: &[],
    marker: Some(MarkerSpec { label: "breaker rejection", outcome: Outcome::RejectedByBreaker }),
    example: r#"{"window":{"count":50},"failure_rate":50,"minimum_calls":20,"wait_open":"5s","permitted_half_open":5}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[],
};
