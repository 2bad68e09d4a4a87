//! What each library's retry does out of the box (`../shared/reference/semantics.md` §1.1,
//! §2.2, §2.4-§2.6, §2.8-§2.10). The plain defaults are resilience4j's.

use crate::patterns::semantics::Semantics::{Aws, Cockatiel, Envoy, Failsafe, Polly, Resilience4j, Tower};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a retry, resilience4j first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(Resilience4j, "{}", "RetryConfig defaults: 3 attempts in all, 500 ms apart."),
    preset(
        Polly,
        r#"{"max_attempts":4,"backoff":{"constant":{"delay":"2s"}}}"#,
        "RetryStrategyOptions: MaxRetryAttempts 3 (4 attempts in all), a constant 2 s Delay, no jitter.",
    ),
    preset(
        Cockatiel,
        r#"{"max_attempts":4,"backoff":{"exponential":{"initial":"128ms","multiplier":2}},"max_delay":"30s","jitter":"decorrelated"}"#,
        "cockatiel retries forever without delay unless told: this is its README's retry(handleAll, \
         { maxAttempts: 3, backoff: new ExponentialBackoff() }): 128 ms doubling to at most 30 s with \
         decorrelated jitter (AWS's formula here; cockatiel draws Polly's V2).",
    ),
    preset(
        Failsafe,
        r#"{"max_attempts":3,"backoff":{"constant":{"delay":"0s"}}}"#,
        "RetryPolicy.ofDefaults(): 2 retries (3 attempts), no delay.",
    ),
    preset(
        Tower,
        r#"{"max_attempts":4,"backoff":{"exponential":{"initial":"50ms","multiplier":2}},"budget":{"tps":{}}}"#,
        "tower's Retry counts nothing itself (its Policy decides: 3 retries here); ExponentialBackoffMaker's \
         50 ms doubling (its additive jitter left out) and TpsBudget::default(): 10 s, 10 retries/s, 20 %.",
    ),
    preset(
        Envoy,
        r#"{"max_attempts":2,"backoff":{"exponential":{"initial":"25ms","multiplier":2}},"max_delay":"250ms","jitter":"full","budget":{"envoy":{"budget_percent":0,"min_retry_concurrency":3}}}"#,
        "route RetryPolicy: num_retries 1, 25 ms base doubling to 10× base with full jitter; the cluster's \
         default circuit breaker allows 3 retries at once (a 0 % budget with a floor of 3).",
    ),
    preset(
        Aws,
        r#"{"max_attempts":3,"backoff":{"exponential":{"initial":"1s","multiplier":2}},"max_delay":"20s","jitter":"full","budget":{"aws":{}}}"#,
        "standard retry mode: 3 attempts, rand·2^i s backoff capped at 20 s, a 500-token retry quota \
         (5 per retry, 10 after a timeout, 1 back per first-try success).",
    ),
];
