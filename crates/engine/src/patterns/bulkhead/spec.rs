//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{BULKHEAD_COUNTERS, BULKHEAD_READINGS, ENABLED, field};
use crate::catalog::{Chart, LayerSpec, MarkerSpec, Range};
use crate::scenario::{CAPACITY, QUEUE};
use crate::sim::Outcome;

use crate::catalog::FieldKind::{Duration, Whole};

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "bulkhead",
    label: "Bulkhead",
    summary: "bound the calls inside at once",
    fields: &[
        ENABLED,
        field("/max_concurrent", "Max concurrent", Whole, "calls", "", Some(&Range::Whole(CAPACITY))),
        field("/max_wait", "Max wait for a permit", Duration, "", "0 rejects at once", None),
        field("/queue", "Queue", Whole, "calls", "bounded FIFO of waiting calls", Some(&Range::Whole(QUEUE))),
    ],
    outcomes: &[Outcome::RejectedByBulkhead],
    states: &[],
    counters: BULKHEAD_COUNTERS,
    readings: BULKHEAD_READINGS,
    chart: Some(Chart::Occupancy),
    events: &[],
    marker: Some(MarkerSpec { label: "bulkhead rejection", outcome: Outcome::RejectedByBulkhead }),
    example: r#"{"max_concurrent":25}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[],
};
