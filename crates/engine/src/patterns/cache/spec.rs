//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{ENABLED, field};
use crate::catalog::{Chart, LayerSpec, MarkerSpec, Range, Reading, ReadingSpec};
use crate::scenario::{CAPACITY, POSITIVE_SPAN};
use crate::sim::Outcome;

use crate::catalog::FieldKind::{Bool, Duration, Whole};

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "cache",
    label: "Cache",
    summary: "answer from recent results; serve stale on errors",
    fields: &[
        ENABLED,
        field("/ttl", "TTL", Duration, "", "how long an entry is fresh", Some(&Range::Duration(POSITIVE_SPAN)))
            .required(),
        field("/capacity", "Capacity", Whole, "entries", "least recently used go first", Some(&Range::Whole(CAPACITY))),
        field("/serve_stale", "Serve stale on error", Bool, "", "", None),
        field("/max_staleness", "Max staleness", Duration, "", "past the TTL; empty = any age", None),
    ],
    outcomes: &[Outcome::CacheFresh, Outcome::CacheStale],
    states: &[],
    counters: &["hits", "misses", "stale served"],
    readings: &[ReadingSpec { reading: Reading::HitRatio, label: "hit ratio" }],
    chart: Some(Chart::HitRatio),
    events: &[],
    marker: Some(MarkerSpec { label: "cache answer", outcome: Outcome::CacheFresh }),
    example: r#"{"ttl":"10s","capacity":1000,"serve_stale":true}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[],
};
