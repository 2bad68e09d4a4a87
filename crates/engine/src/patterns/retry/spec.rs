//! The catalogue entry: how editors and the web app describe this layer kind.

use crate::catalog::layers::{ENABLED, choice, field};
use crate::catalog::{Choice, LayerSpec, Range, Reading, ReadingSpec};
use crate::scenario::{ATTEMPTS, GROWTH, RETRIES, WAIT_SPAN};
use crate::sim::Outcome;

use crate::catalog::FieldKind::{Choice as Pick, Duration, FailureKinds, Number, Whole};

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
    ],
    outcomes: &[Outcome::SuccessAfterRetry],
    states: &[],
    counters: &["retries", "gave up"],
    readings: &[ReadingSpec { reading: Reading::WaitingToRetry, label: "waiting to retry" }],
    chart: None,
    events: &[],
    marker: None,
    example: r#"{"max_attempts":3,"backoff":{"exponential":{"initial":"100ms","multiplier":2.0}},"jitter":"full"}"#,
};
