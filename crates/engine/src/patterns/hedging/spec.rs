//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::FieldKind::{Choice as Pick, Duration, FailureKinds, Number, Whole};
use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Choice, LayerSpec, Range};
use crate::scenario::{Bounds, WAIT_SPAN};

const MODES: &[Choice] = &[
    choice("after a delay (Polly latency mode)", "latency", ""),
    choice("all at once (Polly parallel mode)", "parallel", r#""parallel""#),
    choice("only after a failure (Polly fallback mode)", "fallback", r#""fallback""#),
    choice("after a latency percentile (tower)", "percentile", r#""percentile""#),
];

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "hedging",
    label: "Hedging",
    summary: "send the call again beside a slow one; the first good answer wins",
    fields: &[
        ENABLED,
        field("/mode", "Hedge", Pick, "", "when hedged attempts are sent", None).pick(MODES),
        field("/delay", "Delay", Duration, "", "latency mode: wait this long for an answer first", None),
        field(
            "/max_hedged_attempts",
            "Hedged attempts",
            Whole,
            "beside the first",
            "",
            Some(&Range::Whole(Bounds { min: 1, max: 10 })),
        ),
        field(
            "/handle",
            "Hedge on",
            FailureKinds,
            "",
            "failures that start the next attempt instead of ending the call",
            None,
        ),
        field("/percentile", "Percentile", Number, "%", "percentile mode: of the last period's latencies", None),
        field("/min_data_points", "Data points", Whole, "calls", "percentile mode: no hedge before this many", None),
        field("/period", "Period", Duration, "", "percentile mode", Some(&Range::Duration(WAIT_SPAN))),
    ],
    outcomes: &[],
    states: &[],
    counters: &["hedges sent", "hedge won", "first won"],
    readings: &[],
    chart: None,
    events: &["sent a hedged attempt", "a hedged attempt answered first", "the first attempt answered first"],
    marker: None,
    example: r#"{"mode":"latency","delay":"100ms","max_hedged_attempts":1}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Polly),
    either: &[],
};
