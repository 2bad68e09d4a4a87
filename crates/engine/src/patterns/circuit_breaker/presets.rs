//! What each library's circuit breaker does out of the box (`../shared/reference/semantics.md`
//! §2.1, §2.3, §2.5, §2.6). The plain defaults are resilience4j's.

use crate::patterns::semantics::Semantics::{Cockatiel, Failsafe, Polly, Resilience4j};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a circuit breaker, resilience4j first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(
        Resilience4j,
        "{}",
        "CircuitBreakerConfig defaults: opens at 50 % failures of the last 100 calls (at least 100 calls), \
         stays open 60 s (until strictly after), then lets 10 calls through half-open.",
    ),
    preset(
        Polly,
        r#"{"window":{"seconds":30},"failure_rate":10,"minimum_calls":100,"wait_open":"5s","permitted_half_open":1,"open_boundary":"at_or_after","evaluate":"on_failure"}"#,
        "CircuitBreakerStrategyOptions: FailureRatio 0.1 over a 30 s SamplingDuration (30 one-second buckets \
         here; Polly keeps 10 of 3 s), MinimumThroughput 100, BreakDuration 5 s; judged only when a call fails; \
         one probe when the break ends. Polly has no slow-call rule.",
    ),
    preset(
        Cockatiel,
        r#"{"consecutive_failures":5,"wait_open":"10s","permitted_half_open":1,"open_boundary":"at_or_after","evaluate":"on_failure","half_open_admission":"queue"}"#,
        "cockatiel has no default breaker: this is its README's ConsecutiveBreaker(5) with halfOpenAfter 10 s \
         and halfOpenSampling { calls: 1 }; callers arriving during the probe wait for its verdict.",
    ),
    preset(
        Failsafe,
        r#"{"consecutive_failures":1,"wait_open":"60s","permitted_half_open":1,"half_open_successes":1,"open_boundary":"at_or_after","round_rates":true}"#,
        "CircuitBreaker.ofDefaults(): opens on 1 failure of the last 1, delay 1 min, one half-open trial that \
         must succeed; rates in whole percent.",
    ),
];
