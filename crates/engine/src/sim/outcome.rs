//! The outcome vocabulary: how a request ended, with fixed names, colours and glyphs (charts
//! never rely on colour alone).

use serde::{Deserialize, Serialize};

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[repr(u8)]
#[non_exhaustive]
pub enum Outcome {
    /// Answered by the service on the first attempt.
    Success = 0,
    /// Answered by the service after one or more retries.
    SuccessAfterRetry = 1,
    /// Answered from a fresh cache entry.
    #[serde(rename = "served-from-cache")]
    CacheFresh = 2,
    /// Answered from an expired cache entry after a failure.
    #[serde(rename = "served-stale")]
    CacheStale = 3,
    /// Answered by a fallback.
    Fallback = 4,
    /// Refused by an open or half-open circuit breaker.
    RejectedByBreaker = 5,
    /// Refused by a full bulkhead.
    RejectedByBulkhead = 6,
    /// Refused by a rate limiter.
    RejectedByRateLimiter = 7,
    /// A timeout gave up on it.
    TimedOut = 8,
    /// The service's error (or an exhausted client pool) reached the caller.
    Failed = 9,
}

impl Outcome {
    /// Every outcome, in display order.
    pub const ALL: [Self; 10] = [
        Self::Success,
        Self::SuccessAfterRetry,
        Self::CacheFresh,
        Self::CacheStale,
        Self::Fallback,
        Self::RejectedByBreaker,
        Self::RejectedByBulkhead,
        Self::RejectedByRateLimiter,
        Self::TimedOut,
        Self::Failed,
    ];

    /// The outcome with this code (`as u8`).
    #[must_use]
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }

    /// The name used in files, charts and docs.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::SuccessAfterRetry => "success-after-retry",
            Self::CacheFresh => "served-from-cache",
            Self::CacheStale => "served-stale",
            Self::Fallback => "fallback",
            Self::RejectedByBreaker => "rejected-by-breaker",
            Self::RejectedByBulkhead => "rejected-by-bulkhead",
            Self::RejectedByRateLimiter => "rejected-by-rate-limiter",
            Self::TimedOut => "timed-out",
            Self::Failed => "failed",
        }
    }

    /// A glyph shown beside the colour.
    #[must_use]
    pub const fn glyph(self) -> &'static str {
        match self {
            Self::Success => "✓",
            Self::SuccessAfterRetry => "↻",
            Self::CacheFresh => "◆",
            Self::CacheStale => "◇",
            Self::Fallback => "↪",
            Self::RejectedByBreaker => "⊘",
            Self::RejectedByBulkhead => "▣",
            Self::RejectedByRateLimiter => "◍",
            Self::TimedOut => "◔",
            Self::Failed => "✗",
        }
    }

    /// The fixed colour (resilience4j's dashboard: success green, failed red, not-permitted
    /// orange).
    #[must_use]
    pub const fn colour(self) -> &'static str {
        match self {
            Self::Success => "#2e9d4f",
            Self::SuccessAfterRetry => "#7cc36e",
            Self::CacheFresh => "#2f7ed8",
            Self::CacheStale => "#8ab6e8",
            Self::Fallback => "#9b6fd0",
            Self::RejectedByBreaker => "#f28c28",
            Self::RejectedByBulkhead => "#d9a400",
            Self::RejectedByRateLimiter => "#c7a26a",
            Self::TimedOut => "#b04a8c",
            Self::Failed => "#d63a3a",
        }
    }

    /// True when the caller got a real answer (goodput): from the service or a cache.
    #[must_use]
    pub const fn is_good(self) -> bool {
        matches!(self, Self::Success | Self::SuccessAfterRetry | Self::CacheFresh | Self::CacheStale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_names_are_unique() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome as u8), Some(outcome));
        }
        let mut names: Vec<_> = Outcome::ALL.iter().map(|o| o.name()).collect();
        names.dedup();
        assert_eq!(names.len(), 10);
        assert_eq!(Outcome::from_code(10), None);
        assert_eq!(serde_json::to_string(&Outcome::CacheFresh).unwrap(), "\"served-from-cache\"");
    }
}
