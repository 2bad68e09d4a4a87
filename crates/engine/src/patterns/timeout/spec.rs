//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{ENABLED, field};
use crate::catalog::{LayerSpec, MarkerSpec, Range};
use crate::scenario::POSITIVE_SPAN;
use crate::sim::Outcome;

use crate::catalog::FieldKind::Duration;

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "timeout",
    label: "Timeout",
    summary: "bound the time spent inside",
    fields: &[
        ENABLED,
        field(
            "/timeout",
            "Timeout",
            Duration,
            "",
            "inside a retry: per attempt; outside: the whole call",
            Some(&Range::Duration(POSITIVE_SPAN)),
        ),
    ],
    outcomes: &[Outcome::TimedOut],
    states: &[],
    counters: &["timed out"],
    readings: &[],
    chart: None,
    events: &[],
    marker: Some(MarkerSpec { label: "timeout", outcome: Outcome::TimedOut }),
    example: r#"{"timeout":"500ms"}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[],
};
