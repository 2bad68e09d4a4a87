//! The resilience patterns, one folder each, as sans-IO state machines on the virtual clock.
//!
//! Every machine takes the caller's `now` with each input, never reads a clock, and answers
//! with values: a rejection is a [`Rejection`], never a panic. Machines that need waking say
//! when through `poll_timeout`, and the driver calls `handle_timeout` then.
//!
//! Composition is an ordered stack, **first = outermost** (as in Polly, cockatiel, failsafe and
//! tower; resilience4j's decorator builder lists them the other way round).

pub mod adaptive_limit;
pub mod bulkhead;
pub mod cache;
pub mod check;
pub mod circuit_breaker;
pub mod contract;
pub mod document;
pub mod fallback;
pub mod hedging;
pub mod rate_limiter;
pub mod registry;
pub mod retry;
pub mod semantics;
pub mod throttle;
pub mod timeout;

use core::fmt;

use serde::{Deserialize as _, Serialize};

use crate::sim::Outcome;
use crate::time::Instant;

/// Why a layer refused a call without sending it further in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The circuit breaker is open until `until` (at least), or forced open.
    CircuitOpen {
        /// When the breaker may let a probe through ([`Instant::NEVER`] when forced open).
        until: Instant,
    },
    /// The breaker is half-open and all its probe permits are taken.
    HalfOpenFull,
    /// All bulkhead permits are in use and waiting is not allowed or the queue is full.
    BulkheadFull,
    /// The call waited for a bulkhead permit for the whole maximum wait.
    BulkheadWaitExpired,
    /// The shared client worker pool is exhausted.
    ClientPoolFull,
    /// A layer refused the call in its own name; the request ends with this outcome (how a
    /// new pattern refuses without a variant of its own).
    Refused(Outcome),
}

impl Rejection {
    /// True for the breaker's rejections.
    #[must_use]
    pub const fn is_breaker(self) -> bool {
        matches!(self, Self::CircuitOpen { .. } | Self::HalfOpenFull)
    }

    /// True for the bulkhead's rejections.
    #[must_use]
    pub const fn is_bulkhead(self) -> bool {
        matches!(self, Self::BulkheadFull | Self::BulkheadWaitExpired)
    }

    /// The outcome of a request that this rejection reaches (an exhausted client pool is a
    /// plain failure).
    #[must_use]
    pub const fn outcome(self) -> Outcome {
        match self {
            Self::CircuitOpen { .. } | Self::HalfOpenFull => Outcome::RejectedByBreaker,
            Self::BulkheadFull | Self::BulkheadWaitExpired => Outcome::RejectedByBulkhead,
            Self::ClientPoolFull => Outcome::Failed,
            Self::Refused(outcome) => outcome,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::CircuitOpen { .. } => "circuit open",
            Self::HalfOpenFull => "half-open permits taken",
            Self::BulkheadFull => "bulkhead full",
            Self::BulkheadWaitExpired => "bulkhead wait expired",
            Self::ClientPoolFull => "client pool exhausted",
            Self::Refused(outcome) => outcome.name(),
        })
    }
}

/// How a call or attempt failed, as it travels back out through the layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The service answered with an error status.
    Status {
        /// HTTP-like status code (400..=599).
        code: u16,
        /// The `Retry-After` the service sent, in microseconds.
        retry_after_us: Option<u64>,
    },
    /// A timeout layer gave up waiting.
    Timeout,
    /// A layer refused the call.
    Rejected(Rejection),
}

impl Failure {
    /// The class of this failure, used by `retry_on`, `record` and `on` settings.
    #[must_use]
    pub const fn kind(self) -> FailureKind {
        match self {
            Self::Status { code: 429, .. } => FailureKind::Throttled,
            Self::Status { code, .. } if code >= 500 => FailureKind::ServerError,
            Self::Status { .. } => FailureKind::ClientError,
            Self::Timeout => FailureKind::Timeout,
            Self::Rejected(_) => FailureKind::Rejected,
        }
    }
}

/// Classes of failure that settings select (`retry_on`, a breaker's `record`, a fallback's `on`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum FailureKind {
    /// A 5xx answer.
    #[default]
    #[serde(rename = "5xx")]
    ServerError,
    /// A 429 answer.
    #[serde(rename = "429")]
    Throttled,
    /// A 4xx answer other than 429.
    #[serde(rename = "4xx")]
    ClientError,
    /// A timeout layer gave up.
    #[serde(rename = "timeout")]
    Timeout,
    /// An inner layer rejected the call (breaker, bulkhead, client pool).
    #[serde(rename = "rejected")]
    Rejected,
}

read_as_words!(FailureKind: ServerError = "5xx", Throttled = "429", ClientError = "4xx", Timeout = "timeout", Rejected = "rejected");

/// A set of [`FailureKind`]s as a bit mask: cheap to copy and test on the hot path.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindSet(u8);

impl KindSet {
    /// Every kind.
    pub const ALL: Self = Self(0b1_1111);

    /// The set holding `kinds`.
    #[must_use]
    pub fn of(kinds: &[FailureKind]) -> Self {
        Self(kinds.iter().fold(0, |bits, kind| bits | Self::bit(*kind)))
    }

    /// True if `kind` is in the set.
    #[must_use]
    pub const fn contains(self, kind: FailureKind) -> bool {
        self.0 & Self::bit(kind) != 0
    }

    const fn bit(kind: FailureKind) -> u8 {
        1 << kind as u8
    }
}

/// Reads one of `words` (the spellings of a unit enum's variants): its index. One reader for
/// every such enum keeps the web bundle small (serde's derive makes a visitor per enum).
///
/// # Errors
/// Not a string, or none of `words` ("unknown variant `x`, expected one of …").
pub fn read_word<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    words: &'static [&'static str],
) -> Result<usize, D::Error> {
    let word = String::deserialize(deserializer)?;
    words.iter().position(|w| *w == word).ok_or_else(|| serde::de::Error::unknown_variant(&word, words))
}

/// Implements `Deserialize` for a unit enum through [`read_word`]: `read_as_words!(Type: Variant =
/// "word", ...)`, in the order of the variants (serialising stays derived).
macro_rules! read_as_words {
    ($ty:ty: $($variant:ident = $word:literal),+ $(,)?) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const VARIANTS: &[$ty] = &[$(<$ty>::$variant),+];
                let index = $crate::patterns::read_word(deserializer, &[$($word),+])?;
                Ok(VARIANTS.get(index).copied().unwrap_or_default())
            }
        }
    };
}
pub(crate) use read_as_words;

/// The default of `enabled` fields in layer configs.
pub(crate) const fn enabled_by_default() -> bool {
    true
}

/// Every failure kind: the default of `record` and `on` lists.
pub(crate) fn all_failure_kinds() -> Vec<FailureKind> {
    vec![
        FailureKind::ServerError,
        FailureKind::Throttled,
        FailureKind::ClientError,
        FailureKind::Timeout,
        FailureKind::Rejected,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_classify_by_status() {
        let status = |code| Failure::Status { code, retry_after_us: None };
        assert_eq!(status(503).kind(), FailureKind::ServerError);
        assert_eq!(status(429).kind(), FailureKind::Throttled);
        assert_eq!(status(404).kind(), FailureKind::ClientError);
        assert_eq!(Failure::Timeout.kind(), FailureKind::Timeout);
        assert_eq!(Failure::Rejected(Rejection::BulkheadFull).kind(), FailureKind::Rejected);
    }

    #[test]
    fn kind_sets_hold_what_they_were_given() {
        let set = KindSet::of(&[FailureKind::ServerError, FailureKind::Timeout]);
        assert!(set.contains(FailureKind::ServerError));
        assert!(set.contains(FailureKind::Timeout));
        assert!(!set.contains(FailureKind::Throttled));
        assert!(KindSet::of(&all_failure_kinds()) == KindSet::ALL);
    }
}
