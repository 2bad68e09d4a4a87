//! What the breaker measured: the window of the state that owns it, the minimum number of calls
//! its rates need, and the calls it refused. resilience4j's `CircuitBreakerMetrics`.

use super::window::{Totals, Window};
use crate::time::Instant;

/// The breaker's own read-out of its current metrics, as resilience4j's `Metrics` reports them.
/// This is what the UI shows; it is computed over the breaker's own window kind, with `record`
/// and `ignore` respected.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BreakerMetrics {
    /// Failure rate in percent; `None` ("not yet computed", resilience4j's −1) while fewer
    /// than `minimum_calls` calls are buffered. Whole percent when `round_rates` is set.
    pub failure_rate: Option<f64>,
    /// Slow-call rate in percent; `None` as for `failure_rate`.
    pub slow_call_rate: Option<f64>,
    /// Calls in the window.
    pub buffered: u32,
    /// Of which recorded as failures.
    pub failed: u32,
    /// Of which successful (`buffered − failed`).
    pub successful: u32,
    /// Of which slower than `slow_call_duration` (failed or not).
    pub slow: u32,
    /// Calls refused since these metrics were created.
    pub not_permitted: u64,
    /// Calls the window must hold before its rates are computed.
    pub minimum_calls: u32,
}

/// A window with the minimum its rates need and the count of refused calls. A transition
/// creates a new one, except into open, which keeps the metrics of the state that opened.
#[derive(Clone, Debug)]
pub(super) struct Metrics {
    pub(super) window: Window,
    pub(super) minimum_calls: u32,
    pub(super) not_permitted: u64,
}

impl Metrics {
    pub(super) const fn new(window: Window, minimum_calls: u32) -> Self {
        Self { window, minimum_calls, not_permitted: 0 }
    }

    /// Metrics that never record (disabled, forced open): an empty count window.
    pub(super) fn empty() -> Self {
        Self::new(Window::count(0), 0)
    }

    /// The read-out over `totals`.
    pub(super) fn read_out(&self, totals: Totals, round: bool) -> BreakerMetrics {
        let computed = totals.calls > 0 && totals.calls >= self.minimum_calls;
        let rate = |part| computed.then(|| percent(part, totals.calls, round));
        BreakerMetrics {
            failure_rate: rate(totals.failed),
            slow_call_rate: rate(totals.slow),
            buffered: totals.calls,
            failed: totals.failed,
            successful: totals.calls - totals.failed,
            slow: totals.slow,
            not_permitted: self.not_permitted,
            minimum_calls: self.minimum_calls,
        }
    }

    /// The read-out as of `now` (a time window drops the seconds that slid out).
    pub(super) fn at(&mut self, now: Instant, round: bool) -> BreakerMetrics {
        let totals = self.window.totals(now);
        self.read_out(totals, round)
    }
}

/// `part / whole` in percent; rounded half up to a whole percent when `round` is set (failsafe's
/// `Math.round` in `CountingCircuitStats.getFailureRate`).
pub(super) fn percent(part: u32, whole: u32, round: bool) -> f64 {
    let exact = if whole == 0 { 0.0 } else { f64::from(part) * 100.0 / f64::from(whole) };
    if round { libm::floor(exact + 0.5) } else { exact }
}
