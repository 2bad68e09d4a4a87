//! Retry: call the inner layers again after a failure, waiting a backoff in between.
//!
//! The policy ([`Retry`]) is shared by every call through the layer; each call keeps its own
//! [`RetryCall`] (attempts so far, previous wait), as tower separates `Retry` from its budget.
//!
//! ```text
//!   start ──> Attempting(n) ──ok / not retryable / n = max──> Done
//!                  │  ▲
//!       retryable  │  │ wait elapsed
//!       failure    ▼  │
//!               Waiting(delay)
//! ```
//!
//! Attempt counting is "total attempts" (resilience4j, AWS); `max_retries` in the config gives
//! the "retries" reading (Polly, cockatiel, Envoy): `max_retries: 2` = `max_attempts: 3`.

mod layer;
mod presets;
mod spec;
pub use layer::RetryLayer;

mod backoff;
mod budget;
mod budget_doc;
mod doc;

pub use backoff::Backoff;
pub use budget::{AwsQuota, Budget, EnvoyBudget, TpsBudget};
pub use budget_doc::BudgetDoc;
pub use doc::{BackoffDoc, Jitter, RetryAfter, RetryDoc};

use crate::patterns::contract::Random;
use crate::patterns::{Failure, FailureKind, KindSet};

/// How far past the backoff a clamped `Retry-After` may go (AWS SDKs: 5 s).
const RETRY_AFTER_SLACK_US: u64 = 5_000_000;

/// A retry layer's shared, immutable policy: its settings, read from a [`RetryDoc`].
#[derive(Clone, Debug)]
pub struct Retry {
    attempts_max: u32,
    backoff: Backoff,
    retry_on: KindSet,
    retry_after: RetryAfter,
}

/// One call's progress through a retry layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryCall {
    attempts: u32,
    previous_delay_us: u64,
}

impl RetryCall {
    /// Attempts started so far (1 after the first).
    #[must_use]
    pub const fn attempts(self) -> u32 {
        self.attempts
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait `delay_us` microseconds, then start attempt `attempt`.
    RetryAfter {
        /// The wait.
        delay_us: u64,
        /// The number of the attempt that follows the wait (2 for the first retry).
        attempt: u32,
    },
    /// Give up: hand the failure to the caller.
    GiveUp,
}

impl Retry {
    /// The policy of a checked document (see [`RetryDoc`]'s `parse`).
    fn of_checked(config: &RetryDoc) -> Self {
        let cap_us = config.max_delay.map_or(u64::MAX, |cap| cap.as_micros());
        Self {
            attempts_max: config.total_attempts(),
            backoff: Backoff::new(&config.backoff, cap_us, config.jitter),
            retry_on: KindSet::of(&config.retry_on),
            retry_after: config.retry_after_policy(),
        }
    }

    /// Attempts in total, the first included.
    #[must_use]
    pub const fn attempts_max(&self) -> u32 {
        self.attempts_max
    }

    /// The waits of a call that uses every attempt, before jitter, in microseconds: how long
    /// the retry spends waiting besides the attempts themselves.
    #[must_use]
    pub fn waits_us(&self) -> u64 {
        (1..self.attempts_max).map(|retry| self.backoff.nominal_us(retry)).fold(0, u64::saturating_add)
    }

    /// A new call: its first attempt starts now.
    #[must_use]
    pub const fn start(&self) -> RetryCall {
        RetryCall { attempts: 1, previous_delay_us: 0 }
    }

    /// True if this layer retries `kind` at all.
    #[must_use]
    pub const fn retries(&self, kind: FailureKind) -> bool {
        self.retry_on.contains(kind)
    }

    /// Decides after attempt `call.attempts()` failed with `failure`. On a retry the call's
    /// attempt count moves on; `jitter` is drawn from only when a wait is computed.
    pub fn on_failure<R: Random>(&self, call: &mut RetryCall, failure: Failure, jitter: &mut R) -> RetryDecision {
        if !self.retries(failure.kind()) || call.attempts >= self.attempts_max {
            return RetryDecision::GiveUp;
        }
        let retry = call.attempts;
        let backoff = |jitter: &mut R| self.backoff.delay_us(retry, call.previous_delay_us, jitter.unit());
        let delay_us = match (self.retry_after, failure) {
            (RetryAfter::AsSent, Failure::Status { retry_after_us: Some(after), .. }) => after,
            (RetryAfter::Clamp, Failure::Status { retry_after_us: Some(after), .. }) => {
                let floor = backoff(jitter);
                after.clamp(floor, floor.saturating_add(RETRY_AFTER_SLACK_US))
            }
            _ => backoff(jitter),
        };
        call.attempts += 1;
        call.previous_delay_us = delay_us;
        RetryDecision::RetryAfter { delay_us, attempt: call.attempts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Rejection;
    use crate::patterns::document::PatternDoc;
    use crate::rng::{Stream, StreamId};
    use crate::time::Span;

    const MS: u64 = 1_000;
    const E500: Failure = Failure::Status { code: 500, retry_after_us: None };

    fn jitter() -> Stream {
        Stream::new(1, StreamId::Jitter { endpoint: 0, layer: 0 })
    }

    /// Drives a call that always fails; returns the start times (ms) of its attempts.
    fn attempt_times(policy: &Retry, failure: Failure) -> Vec<u64> {
        let (mut call, mut rng, mut now, mut starts) = (policy.start(), jitter(), 0, vec![0]);
        while let RetryDecision::RetryAfter { delay_us, .. } = policy.on_failure(&mut call, failure, &mut rng) {
            now += delay_us / MS;
            starts.push(now);
        }
        starts
    }

    /// C12: `Retry.ofDefaults()`: 3 attempts, 500 ms apart, then the original failure.
    #[test]
    fn c12_default_retry_three_attempts() {
        let policy = RetryDoc::default().parse().unwrap();
        assert_eq!(attempt_times(&policy, E500), [0, 500, 1000]);
    }

    /// C13: `ofExponentialBackoff(500, 2.0)`: calls at t0, t500, t1500.
    #[test]
    fn c13_exponential_waits() {
        let config = RetryDoc {
            backoff: BackoffDoc::Exponential { initial: Span::from_millis(500), multiplier: 2.0 },
            ..RetryDoc::default()
        };
        assert_eq!(attempt_times(&config.parse().unwrap(), E500), [0, 500, 1500]);
    }

    /// C19: Polly, `MaxRetryAttempts 3`, linear 2 s: executions at t0, t2, t6, t12.
    #[test]
    fn c19_polly_retry_count_and_linear_timeline() {
        let config = RetryDoc {
            max_retries: Some(3),
            backoff: BackoffDoc::Linear { delay: Span::from_secs(2) },
            ..RetryDoc::default()
        };
        assert_eq!(attempt_times(&config.parse().unwrap(), E500), [0, 2_000, 6_000, 12_000]);
        let capped = RetryDoc { max_delay: Some(Span::from_millis(123)), ..config };
        assert_eq!(attempt_times(&capped.parse().unwrap(), E500), [0, 123, 246, 369]);
        let twelve = RetryDoc { max_retries: Some(12), ..RetryDoc::default() };
        assert_eq!(attempt_times(&twelve.parse().unwrap(), E500).len(), 13);
    }

    /// C30: cockatiel `maxAttempts: 5` means 5 retries: 6 calls; a failure it does not handle
    /// stops at once.
    #[test]
    fn c30_retry_counts_and_filters() {
        let config = RetryDoc { max_retries: Some(5), ..RetryDoc::default() };
        let policy = config.parse().unwrap();
        assert_eq!(attempt_times(&policy, E500).len(), 6);
        let (mut call, mut rng) = (policy.start(), jitter());
        assert!(matches!(policy.on_failure(&mut call, E500, &mut rng), RetryDecision::RetryAfter { attempt: 2, .. }));
        let not_handled = Failure::Rejected(Rejection::BulkheadFull);
        assert_eq!(policy.on_failure(&mut call, not_handled, &mut rng), RetryDecision::GiveUp);
        assert_eq!(call.attempts(), 2);
    }

    #[test]
    fn retry_after_replaces_the_backoff_when_honoured() {
        let throttled = Failure::Status { code: 429, retry_after_us: Some(2_000 * MS) };
        let config =
            RetryDoc { retry_on: vec![FailureKind::Throttled], honor_retry_after: true, ..RetryDoc::default() };
        assert_eq!(attempt_times(&config.parse().unwrap(), throttled), [0, 2_000, 4_000]);
        let ignoring = RetryDoc { honor_retry_after: false, ..config.clone() };
        assert_eq!(attempt_times(&ignoring.parse().unwrap(), throttled), [0, 500, 1_000]);
        let as_sent = RetryDoc { honor_retry_after: false, retry_after: RetryAfter::AsSent, ..config };
        assert_eq!(attempt_times(&as_sent.parse().unwrap(), throttled), [0, 2_000, 4_000]);
    }

    /// AWS `retry2026_test.go` (standard mode, backoff 50 ms with the randomizer pinned to 1):
    /// `x-amz-retry-after` 1500 → 1500 ms; 0 → the backoff, 50 ms ("minimum is exponential
    /// backoff duration"); 10000 → 5050 ms ("maximum is 5+exponential backoff duration").
    #[test]
    fn aws_clamps_retry_after_to_the_backoff_plus_five_seconds() {
        let config = RetryDoc {
            backoff: BackoffDoc::Constant { delay: Span::from_millis(50) },
            retry_after: RetryAfter::Clamp,
            ..RetryDoc::default()
        };
        let policy = config.parse().unwrap();
        let first_wait = |after_ms: u64| {
            let failure = Failure::Status { code: 500, retry_after_us: Some(after_ms * MS) };
            match policy.on_failure(&mut policy.start(), failure, &mut jitter()) {
                RetryDecision::RetryAfter { delay_us, .. } => delay_us / MS,
                RetryDecision::GiveUp => panic!("retried"),
            }
        };
        assert_eq!([first_wait(1_500), first_wait(0), first_wait(10_000)], [1_500, 50, 5_050]);
        assert_eq!(attempt_times(&policy, E500), [0, 50, 100], "no Retry-After: the backoff");
    }
}
