//! Timeout: a deadline on whatever is inside it.
//!
//! Inside a retry it bounds each attempt; outside a retry it bounds the whole call, backoff
//! waits included. When the deadline passes first, the caller gets [`Failure::Timeout`] and
//! the inner work is abandoned, but the service does not learn that the caller gave up: a
//! request already queued or running there keeps its place and its worker.
//!
//! ```text
//!   Armed(deadline) ──inner answered first──> Done(answer)
//!   Armed(deadline) ──deadline reached──────> Done(timeout), inner work abandoned
//! ```
//!
//! [`Failure::Timeout`]: crate::patterns::Failure::Timeout

mod layer;

use serde::{Deserialize, Serialize};

use crate::patterns::enabled_by_default;
use crate::time::{Instant, Span};

/// Settings of a timeout layer. Default 1 s, as resilience4j's TimeLimiter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutConfig {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// How long the inner layers may take.
    #[serde(default = "default_timeout")]
    pub timeout: Span,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self { enabled: true, timeout: default_timeout() }
    }
}

fn default_timeout() -> Span {
    Span::from_secs(1)
}

/// A timeout layer's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout {
    timeout_us: u64,
}

impl Timeout {
    /// The policy of a (validated) config.
    #[must_use]
    pub const fn new(config: &TimeoutConfig) -> Self {
        Self { timeout_us: config.timeout.as_micros() }
    }

    /// The deadline of a call entering the layer at `now`.
    #[must_use]
    pub const fn deadline(self, now: Instant) -> Instant {
        now.plus_micros(self.timeout_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_is_entry_plus_timeout() {
        let timeout = Timeout::new(&TimeoutConfig { enabled: true, timeout: Span::from_millis(500) });
        assert_eq!(timeout.deadline(Instant::from_secs(2)), Instant::from_millis(2_500));
        assert_eq!(TimeoutConfig::default().timeout, Span::from_secs(1));
    }
}
