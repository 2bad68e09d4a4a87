//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::FieldKind::{Choice as Pick, Duration, Text, Whole};
use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Choice, LayerSpec, MarkerSpec, Range, Reading, ReadingSpec};
use crate::scenario::{CAPACITY, QUEUE, WAIT_SPAN};
use crate::sim::Outcome;

const ALGORITHMS: &[Choice] = &[
    choice("resilience4j: refill each cycle, reserve ahead", "resilience4j", ""),
    choice("token bucket (Polly, .NET)", "token_bucket", r#""token_bucket""#),
    choice("smooth: evenly spaced (failsafe)", "smooth", r#""smooth""#),
    choice("bursty: all at the period start (failsafe)", "bursty", r#""bursty""#),
    choice("fixed window, back-pressure (tower)", "fixed_window", r#""fixed_window""#),
];

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "rate_limiter",
    label: "Rate limiter",
    summary: "at most N calls per period; the rest wait or are refused",
    fields: &[
        ENABLED,
        field("/algorithm", "Algorithm", Pick, "", "whose rules count the permits", None).pick(ALGORITHMS),
        field("/limit", "Limit", Whole, "per period", "", Some(&Range::Whole(CAPACITY))),
        field("/period", "Period", Duration, "", "", Some(&Range::Duration(WAIT_SPAN))),
        field("/max_wait", "Max wait", Duration, "", "for a permit; empty = the library's default", None),
        field(
            "/burst",
            "Burst",
            Whole,
            "tokens",
            "token bucket: tokens held at most; empty = limit",
            Some(&Range::Whole(CAPACITY)),
        ),
        field("/queue", "Queue", Whole, "calls", "token bucket: calls that may wait", Some(&Range::Whole(QUEUE))),
        field("/shared", "Shared as", Text, "", "layers with the same name are one limiter", None),
    ],
    outcomes: &[Outcome::RejectedByRateLimiter],
    states: &[],
    counters: &["waited", "refused", "waited to be refused"],
    readings: &[ReadingSpec { reading: Reading::Waiting, label: "waiting" }],
    chart: None,
    events: &["waits for a reserved permit", "refused: over the rate", "waits out max wait, then is refused"],
    marker: Some(MarkerSpec { label: "rate limited", outcome: Outcome::RejectedByRateLimiter }),
    example: r#"{"limit":20,"period":"1s","max_wait":"0s"}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[],
};
