//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::FieldKind::{Choice as Pick, Duration, FailureKinds, Number, Whole};
use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Choice, LayerSpec, MarkerSpec, Range};
use crate::scenario::{GROWTH, QUEUE, SHARE, WAIT_SPAN};
use crate::sim::Outcome;

const RULES: &[Choice] = &[
    choice("Google SRE: K = 2 over 2 min, refused calls count", "sre", ""),
    choice("failsafe-go: K = 1/0.9 over 1 min, at most 90 %", "failsafe_go", r#""failsafe_go""#),
];

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "throttle",
    label: "Adaptive throttle",
    summary: "refuse calls locally as the backend stops accepting them (Google SRE)",
    fields: &[
        ENABLED,
        field("/rule", "Rule", Pick, "", "whose rule counts the requests", None).pick(RULES),
        field(
            "/k",
            "K",
            Number,
            "× accepts",
            "refuse beyond K times the accepted calls; empty = the rule's",
            Some(&Range::Number(GROWTH)),
        ),
        field(
            "/window",
            "Window",
            Duration,
            "",
            "sliding, 20 buckets; empty = the rule's",
            Some(&Range::Duration(WAIT_SPAN)),
        ),
        field(
            "/max_rejection",
            "Max refusal",
            Number,
            "probability",
            "empty = the rule's (1 or 0.9)",
            Some(&Range::Number(SHARE)),
        ),
        field(
            "/min_requests",
            "Min requests",
            Whole,
            "calls",
            "in the window before any refusal",
            Some(&Range::Whole(QUEUE)),
        ),
        field("/record", "Not accepted", FailureKinds, "", "failures the backend did not accept", None),
    ],
    outcomes: &[Outcome::RejectedByRateLimiter],
    states: &[],
    counters: &["refused", "not accepted", "accepted"],
    readings: &[],
    chart: None,
    events: &["refused locally (probability, %)", "not accepted by the backend", "accepted by the backend"],
    marker: Some(MarkerSpec { label: "throttled locally", outcome: Outcome::RejectedByRateLimiter }),
    example: r#"{"k":2,"window":"10s"}"#,
    presets: super::presets::PRESETS,
    semantics: None,
    either: &[],
};
