//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Choice, LayerSpec, Range, Reading, ReadingSpec};
use crate::scenario::{ATTEMPTS, CAPACITY, GROWTH, RETRIES, WAIT_SPAN};
use crate::sim::Outcome;

use crate::catalog::FieldKind::{Choice as Pick, Duration, FailureKinds, Number, Text, Whole};

const BACKOFFS: &[Choice] = &[
    choice("constant", "constant", ""),
    choice("linear", "linear", r#"{"linear":{"delay":"200ms"}}"#),
    choice("exponential", "exponential", r#"{"exponential":{"initial":"100ms","multiplier":2.0}}"#),
];
const JITTERS: &[Choice] = &[
    choice("none", "none", ""),
    choice("full: random in [0, d]", "full", r#""full""#),
    choice("equal: d/2 + random in [0, d/2]", "equal", r#""equal""#),
    choice("decorrelated", "decorrelated", r#""decorrelated""#),
    choice("±25 % (Polly)", "factor", r#"{"factor":0.25}"#),
];
const BUDGETS: &[Choice] = &[
    choice("none", "none", ""),
    choice("tower TpsBudget: % of successes", "tps", r#"{"tps":{}}"#),
    choice("Envoy: % of requests in flight", "envoy", r#"{"envoy":{}}"#),
    choice("AWS SDK retry quota: tokens", "aws", r#"{"aws":{}}"#),
];
const RETRY_AFTER: &[Choice] = &[
    choice("ignore it", "ignore", ""),
    choice("honour it as sent", "as_sent", r#""as_sent""#),
    choice("clamp to backoff … +5 s (AWS SDK)", "clamp", r#""clamp""#),
];

/// What a scenario editor needs to know about this layer kind.
pub static SPEC: LayerSpec = LayerSpec {
    name: "retry",
    label: "Retry",
    summary: "try again after a failure, with backoff and jitter",
    fields: &[
        ENABLED,
        field(
            "/max_attempts",
            "Max attempts",
            Whole,
            "in total",
            "attempts in total, the first included (resilience4j)",
            Some(&Range::Whole(ATTEMPTS)),
        ),
        field(
            "/max_retries",
            "Max retries",
            Whole,
            "after the first",
            "retries after the first attempt (Polly); set one of the two",
            Some(&Range::Whole(RETRIES)),
        ),
        field("/backoff", "Backoff", Pick, "", "how the wait grows", None).pick(BACKOFFS),
        field("/backoff/constant/delay", "Delay", Duration, "", "", None).required(),
        field("/backoff/linear/delay", "Delay step", Duration, "× n", "", None).required(),
        field("/backoff/exponential/initial", "Initial wait", Duration, "", "", Some(&Range::Duration(WAIT_SPAN)))
            .required(),
        field("/backoff/exponential/multiplier", "Multiplier", Number, "×", "", Some(&Range::Number(GROWTH)))
            .required(),
        field("/max_delay", "Max wait", Duration, "", "cap on any single wait", None),
        field("/jitter", "Jitter", Pick, "", "randomises each wait so clients do not retry in lockstep", None)
            .pick(JITTERS),
        field("/retry_after", "Retry-After", Pick, "", "what a 429/503's Retry-After does to the wait", None)
            .pick(RETRY_AFTER),
        field("/retry_on", "Retry on", FailureKinds, "", "which failures are retried", None),
        field("/budget", "Budget", Pick, "", "caps retries across calls so they cannot multiply the load", None)
            .pick(BUDGETS),
        field("/budget/tps/ttl", "Deposits count for", Duration, "", "1 s to 60 s", None),
        field("/budget/tps/min_per_sec", "Always allowed", Whole, "retries/s", "", None),
        field("/budget/tps/retry_percent", "Retries", Number, "% of successes", "", None),
        field("/budget/envoy/budget_percent", "Retries in flight", Number, "% of requests", "", None),
        field("/budget/envoy/min_retry_concurrency", "Always allowed", Whole, "in flight", "", None),
        field("/budget/aws/capacity", "Tokens", Whole, "", "", Some(&Range::Whole(CAPACITY))),
        field("/budget/aws/retry_cost", "Retry costs", Whole, "tokens", "", None),
        field("/budget/aws/timeout_cost", "Retry after a timeout costs", Whole, "tokens", "", None),
        field("/budget/tps/shared", "Shared as", Text, "", "retry layers naming the same budget share it", None),
        field("/budget/envoy/shared", "Shared as", Text, "", "retry layers naming the same budget share it", None),
        field("/budget/aws/shared", "Shared as", Text, "", "retry layers naming the same budget share it", None),
    ],
    outcomes: &[Outcome::SuccessAfterRetry],
    states: &[],
    counters: &["retries", "gave up", "refused by budget"],
    readings: &[ReadingSpec { reading: Reading::WaitingToRetry, label: "waiting to retry" }],
    chart: None,
    // Code 2 only (codes 0 and 1 are the retry's own trace kinds, its first two counters).
    events: &["", "", "retry refused by its budget"],
    marker: None,
    example: r#"{"max_attempts":3,"backoff":{"exponential":{"initial":"100ms","multiplier":2.0}},"jitter":"full"}"#,
    presets: super::presets::PRESETS,
    semantics: Some(crate::patterns::semantics::Semantics::Resilience4j),
    either: &[("max_attempts", "max_retries")],
};
