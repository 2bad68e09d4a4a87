//! The catalogue entry: how editors and the web app describe this layer kind.

use super::doc::{BACKOFF_RATIO, SMOOTHING};
use crate::catalog::FieldKind::{Choice as Pick, Duration, FailureKinds, Number, Whole};
use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Chart, Choice, LayerSpec, MarkerSpec, Range, Reading, ReadingSpec};
use crate::scenario::{Bounds, CAPACITY, GROWTH, POSITIVE_SPAN, SHARE, WAIT_SPAN, WINDOW_CALLS};
use crate::sim::Outcome;

const ALGORITHMS: &[Choice] = &[
    choice("AIMD: +1 on success, ×0.9 on a drop (Netflix)", "aimd", ""),
    choice("Gradient2: long vs short RTT (Netflix)", "gradient2", r#""gradient2""#),
    choice("Vegas: queue from the no-load RTT (Netflix)", "vegas", r#""vegas""#),
    choice("gradient controller: min RTT vs sampled RTT (Envoy)", "envoy_gradient", r#""envoy_gradient""#),
];

const BACKOFF: Range = Range::Number(BACKOFF_RATIO);
const QUEUE_SIZE: Range = Range::Whole(Bounds { min: 0, max: CAPACITY.max });

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "adaptive_limit",
    label: "Adaptive limit",
    summary: "a bulkhead whose limit follows the latency and drops it sees",
    fields: &[
        ENABLED,
        field("/algorithm", "Algorithm", Pick, "", "how the limit moves", None).pick(ALGORITHMS),
        field("/initial_limit", "Initial limit", Whole, "calls", "empty = 20", Some(&Range::Whole(CAPACITY))),
        field("/min_limit", "Min limit", Whole, "calls", "empty = 20 (Vegas: 1)", Some(&Range::Whole(CAPACITY))),
        field("/max_limit", "Max limit", Whole, "calls", "empty = 200 (Vegas: 1000)", Some(&Range::Whole(CAPACITY))),
        field(
            "/backoff_ratio",
            "Backoff ratio",
            Number,
            "×",
            "AIMD: a drop multiplies the limit by this",
            Some(&BACKOFF),
        ),
        field(
            "/timeout",
            "Drop after",
            Duration,
            "",
            "AIMD: a slower call counts as a drop",
            Some(&Range::Duration(POSITIVE_SPAN)),
        ),
        field(
            "/smoothing",
            "Smoothing",
            Number,
            "",
            "Gradient2, Vegas: weight of a new estimate",
            Some(&Range::Number(SMOOTHING)),
        ),
        field("/queue_size", "Queue size", Whole, "calls", "Gradient2: growth while latency is low", Some(&QUEUE_SIZE)),
        field(
            "/long_window",
            "Long window",
            Whole,
            "samples",
            "Gradient2: long-term RTT average",
            Some(&Range::Whole(WINDOW_CALLS)),
        ),
        field(
            "/rtt_tolerance",
            "RTT tolerance",
            Number,
            "×",
            "Gradient2: slowdown accepted",
            Some(&Range::Number(GROWTH)),
        ),
        field(
            "/alpha",
            "Alpha",
            Whole,
            "calls",
            "Vegas: grow below this queue; empty = 3·log10(limit)",
            Some(&Range::Whole(CAPACITY)),
        ),
        field(
            "/beta",
            "Beta",
            Whole,
            "calls",
            "Vegas: shrink above this queue; empty = 6·log10(limit)",
            Some(&Range::Whole(CAPACITY)),
        ),
        field(
            "/probe_multiplier",
            "Probe multiplier",
            Whole,
            "",
            "Vegas: re-probe the no-load RTT",
            Some(&Range::Whole(CAPACITY)),
        ),
        field("/drop_on", "Drops", FailureKinds, "", "failures that lower the limit", None),
        field(
            "/update_interval",
            "Update interval",
            Duration,
            "",
            "Envoy: how often the limit moves",
            Some(&Range::Duration(WAIT_SPAN)),
        ),
        field(
            "/min_rtt_interval",
            "Min RTT interval",
            Duration,
            "",
            "Envoy: how often the min RTT is measured",
            Some(&Range::Duration(WAIT_SPAN)),
        ),
        field(
            "/min_rtt_requests",
            "Min RTT requests",
            Whole,
            "calls",
            "Envoy: samples of a min RTT measurement",
            Some(&Range::Whole(CAPACITY)),
        ),
        field(
            "/jitter",
            "Jitter",
            Number,
            "share",
            "Envoy: random share added to the min RTT interval",
            Some(&Range::Number(SHARE)),
        ),
        field(
            "/buffer",
            "Buffer",
            Number,
            "share",
            "Envoy: how far above the min RTT is fine",
            Some(&Range::Number(SHARE)),
        ),
        field(
            "/percentile",
            "Percentile",
            Number,
            "share",
            "Envoy: the RTT that stands for a window (0.5 = p50)",
            Some(&Range::Number(SHARE)),
        ),
    ],
    outcomes: &[Outcome::RejectedByBulkhead],
    states: &[],
    counters: &["refused", "limit raised", "limit lowered"],
    readings: &[ReadingSpec { reading: Reading::InUse, label: "in flight" }],
    chart: Some(Chart::Occupancy),
    events: &["refused: at the limit", "limit raised to", "limit lowered to", "calls in flight now"],
    marker: Some(MarkerSpec { label: "over the adaptive limit", outcome: Outcome::RejectedByBulkhead }),
    example: r#"{"algorithm":"gradient2","initial_limit":10,"min_limit":2,"max_limit":50}"#,
    presets: super::presets::PRESETS,
    semantics: None,
    either: &[],
};
