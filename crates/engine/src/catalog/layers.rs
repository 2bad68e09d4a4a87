//! The rows every layer's catalogue entry is made of, the layer kinds in palette order (each
//! pattern's own `spec.rs`), and the client pool. Adding a field to a pattern is one row in
//! its `spec.rs`.

use serde::Serialize;
use serde_json::Value;

use super::{Chart, Choice, FieldKind, FieldSpec, LayerSpec, Named, Range, Reading, ReadingSpec};
use crate::scenario::{CAPACITY, QUEUE};
use crate::sim::Outcome;

use FieldKind::{Duration, Switch, Whole};

/// A field row: optional, no choices (see [`FieldSpec::required`], [`FieldSpec::pick`]).
pub(crate) const fn field(
    path: &'static str,
    label: &'static str,
    kind: FieldKind,
    unit: &'static str,
    help: &'static str,
    range: Option<&'static Range>,
) -> FieldSpec {
    FieldSpec { path, label, kind, required: false, unit, help, range, choices: &[] }
}

impl FieldSpec {
    /// The same field, required.
    pub(crate) const fn required(self) -> Self {
        Self { required: true, ..self }
    }

    /// The same field, offering `choices`.
    pub(crate) const fn pick(self, choices: &'static [Choice]) -> Self {
        Self { choices, ..self }
    }
}

/// The config as JSON.
pub(super) fn json_of<T: Serialize>(config: T) -> Value {
    // Through text: the compact writer's serialisers are smaller in the web app than `to_value`'s.
    serde_json::to_string(&config).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or(Value::Null)
}

/// The switch every layer has.
pub(crate) const ENABLED: FieldSpec = field(
    "/enabled",
    "Enabled",
    Switch,
    "",
    "off keeps the layer in the stack but lets calls pass straight through",
    None,
);

/// A choice of a pick field.
pub(crate) const fn choice(label: &'static str, variant: &'static str, value: &'static str) -> Choice {
    Choice { label, variant, value }
}

/// The failure kinds that `retry_on`, `record` and `on` select.
pub static FAILURE_KINDS: &[Named] = &[
    Named { name: "5xx", label: "5xx" },
    Named { name: "429", label: "429" },
    Named { name: "4xx", label: "other 4xx" },
    Named { name: "timeout", label: "timeout" },
    Named { name: "rejected", label: "rejected inside" },
];

/// The layer kinds, in palette order: each pattern's own entry (`patterns/<p>/spec.rs`).
pub static LAYERS: &[&LayerSpec] = crate::patterns::registry::SPECS;

/// The bulkhead's counters (the client pool is one).
pub(crate) const BULKHEAD_COUNTERS: &[&str] = &["admitted", "queued", "rejected"];
/// The bulkhead's readings (the client pool is one).
pub(crate) const BULKHEAD_READINGS: &[ReadingSpec] = &[
    ReadingSpec { reading: Reading::InUse, label: "in use" },
    ReadingSpec { reading: Reading::Waiting, label: "waiting" },
];

/// The shared client worker pool: the scenario's `client`, a bulkhead in front of every stack.
pub static CLIENT_POOL: LayerSpec = LayerSpec {
    name: "client_pool",
    label: "Client pool",
    summary: "requests hold a client thread until they complete",
    fields: &[
        field("/workers", "Threads", Whole, "", "", Some(&Range::Whole(CAPACITY))).required(),
        field(
            "/queue",
            "Queue",
            Whole,
            "waiting",
            "requests that may wait for a thread; empty = any number",
            Some(&Range::Whole(QUEUE)),
        ),
        field("/max_wait", "Max wait for a thread", Duration, "", "", None),
    ],
    outcomes: &[Outcome::Failed],
    states: &[],
    counters: BULKHEAD_COUNTERS,
    readings: BULKHEAD_READINGS,
    chart: Some(Chart::Occupancy),
    events: &[],
    marker: None,
    example: r#"{"workers":40,"max_wait":"500ms"}"#,
    presets: &[],
    semantics: None,
    either: &[],
};
