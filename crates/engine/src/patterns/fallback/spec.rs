//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Choice, LayerSpec, MarkerSpec};
use crate::sim::Outcome;

use crate::catalog::FieldKind::{ChoiceOrService, FailureKinds};

const ACTIONS: &[Choice] =
    &[choice("static value", "static", ""), choice("stale cache entry", "stale_cache", r#""stale_cache""#)];

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "fallback",
    label: "Fallback",
    summary: "answer something useful when the call fails",
    fields: &[
        ENABLED,
        field("/action", "Answer with", ChoiceOrService, "", "", None).pick(ACTIONS),
        field("/on", "Answer on", FailureKinds, "", "which failures the fallback answers", None),
    ],
    outcomes: &[Outcome::Fallback],
    states: &[],
    counters: &["served"],
    readings: &[],
    chart: None,
    events: &[],
    marker: Some(MarkerSpec { label: "fallback", outcome: Outcome::Fallback }),
    example: r#"{"action":"static"}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[],
};
