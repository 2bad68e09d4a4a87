//! Sliding windows of recorded calls: count-based (a ring of the last N calls) and time-based
//! (N one-second buckets aligned to t = 0), both with running totals.

use crate::time::Instant;

/// Totals of a window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Calls recorded.
    pub calls: u32,
    /// Of which failed.
    pub failed: u32,
    /// Of which slow.
    pub slow: u32,
}

impl Totals {
    fn add(&mut self, other: Self) {
        self.calls += other.calls;
        self.failed += other.failed;
        self.slow += other.slow;
    }

    fn sub(&mut self, other: Self) {
        self.calls -= other.calls;
        self.failed -= other.failed;
        self.slow -= other.slow;
    }

    /// Failure rate in percent (0 for an empty window; see `BreakerMetrics` for the rate the
    /// breaker reports, which is `None` below the minimum number of calls).
    #[must_use]
    pub fn failure_rate(self) -> f64 {
        super::metrics::percent(self.failed, self.calls, false)
    }

    /// Slow-call rate in percent (0 for an empty window).
    #[must_use]
    pub fn slow_rate(self) -> f64 {
        super::metrics::percent(self.slow, self.calls, false)
    }
}

/// A sliding window of outcomes.
#[derive(Clone, Debug)]
pub(crate) enum Window {
    /// The last `ring.len()` calls: (failed, slow) per slot.
    Count { ring: Vec<(bool, bool)>, next: usize, filled: usize, totals: Totals },
    /// Per-second buckets: `buckets[s % n]` holds second `s`.
    Time { buckets: Vec<(u64, Totals)>, newest_second: u64, totals: Totals },
}

const US_PER_SECOND: u64 = 1_000_000;

impl Window {
    /// A window of the last `size` calls (`0`: a window that records nothing).
    pub(crate) fn count(size: u32) -> Self {
        Self::Count { ring: vec![(false, false); size as usize], next: 0, filled: 0, totals: Totals::default() }
    }

    /// A window of the last `seconds` whole seconds (at least one).
    pub(crate) fn time(seconds: u32) -> Self {
        Self::Time {
            buckets: vec![(0, Totals::default()); seconds.max(1) as usize],
            newest_second: 0,
            totals: Totals::default(),
        }
    }

    /// Records one call at `now`.
    pub(crate) fn record(&mut self, now: Instant, failed: bool, slow: bool) {
        let call = Totals { calls: 1, failed: u32::from(failed), slow: u32::from(slow) };
        match self {
            Self::Count { ring, .. } if ring.is_empty() => {}
            Self::Count { ring, next, filled, totals } => {
                if *filled == ring.len() {
                    let (f, s) = ring[*next];
                    totals.sub(Totals { calls: 1, failed: u32::from(f), slow: u32::from(s) });
                } else {
                    *filled += 1;
                }
                ring[*next] = (failed, slow);
                *next = (*next + 1) % ring.len();
                totals.add(call);
            }
            Self::Time { .. } => {
                self.advance(now);
                if let Self::Time { buckets, totals, .. } = self {
                    let second = now.as_micros() / US_PER_SECOND;
                    let index = (second % buckets.len() as u64) as usize;
                    buckets[index].1.add(call);
                    totals.add(call);
                }
            }
        }
    }

    /// The totals as of the last record or look (a time window has not slid since).
    pub(crate) const fn last_totals(&self) -> Totals {
        match self {
            Self::Count { totals, .. } | Self::Time { totals, .. } => *totals,
        }
    }

    /// The totals at `now` (a time window first drops the seconds that slid out).
    pub(crate) fn totals(&mut self, now: Instant) -> Totals {
        self.advance(now);
        match self {
            Self::Count { totals, .. } | Self::Time { totals, .. } => *totals,
        }
    }

    fn advance(&mut self, now: Instant) {
        let Self::Time { buckets, newest_second, totals } = self else { return };
        let second = now.as_micros() / US_PER_SECOND;
        let n = buckets.len() as u64;
        if second <= *newest_second && buckets[(second % n) as usize].0 == second {
            return;
        }
        let first_stale = newest_second.saturating_add(1).max(second.saturating_sub(n - 1));
        for s in first_stale..=second {
            let bucket = &mut buckets[(s % n) as usize];
            totals.sub(bucket.1);
            *bucket = (s, Totals::default());
        }
        *newest_second = (*newest_second).max(second);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_window_keeps_the_last_n() {
        let mut w = Window::count(3);
        let t = Instant::ZERO;
        for failed in [true, true, false, false] {
            w.record(t, failed, false);
        }
        assert_eq!(w.totals(t), Totals { calls: 3, failed: 1, slow: 0 });
    }

    #[test]
    fn empty_windows_record_nothing_and_never_panic() {
        let mut w = Window::count(0);
        w.record(Instant::ZERO, true, true);
        assert_eq!(w.totals(Instant::ZERO), Totals::default());
        let mut w = Window::time(0);
        w.record(Instant::from_secs(3), true, false);
        assert_eq!(w.totals(Instant::from_secs(3)).calls, 1);
    }

    #[test]
    fn time_window_drops_old_seconds() {
        let mut w = Window::time(2);
        w.record(Instant::from_millis(100), true, false);
        w.record(Instant::from_millis(1_500), false, true);
        assert_eq!(w.totals(Instant::from_millis(1_900)), Totals { calls: 2, failed: 1, slow: 1 });
        assert_eq!(w.totals(Instant::from_millis(2_000)), Totals { calls: 1, failed: 0, slow: 1 });
        assert_eq!(w.totals(Instant::from_secs(10)), Totals::default());
        w.record(Instant::from_secs(10), true, false);
        assert_eq!(w.totals(Instant::from_secs(10)).calls, 1);
    }
}
