//! The five algorithms, each as its library computes it. Times are microseconds since the start
//! of the run; every size was checked to be at least 1 when the settings were read, and all
//! arithmetic saturates, so no input can panic or overflow here.

use super::Permit;

/// `Now` for no wait, `After` otherwise.
const fn wait(wait_us: u64) -> Permit {
    if wait_us == 0 { Permit::Now } else { Permit::After(wait_us) }
}

/// resilience4j's `AtomicRateLimiter`: cycles aligned to the start, refilled to `limit`.
#[derive(Clone, Debug)]
pub(super) struct Resilience4j {
    limit: i64,
    period_us: u64,
    cycle: u64,
    permissions: i64,
}

impl Resilience4j {
    pub(super) fn new(limit: u64, period_us: u64) -> Self {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX).max(1);
        Self { limit, period_us: period_us.max(1), cycle: 0, permissions: limit }
    }

    /// The cycle at `now_us` and the balance refreshed to it (no carry-over past `limit`).
    fn refreshed(&self, now_us: u64) -> (u64, i64) {
        let cycle = now_us / self.period_us;
        if cycle <= self.cycle {
            return (self.cycle, self.permissions);
        }
        let cycles = i64::try_from(cycle - self.cycle).unwrap_or(i64::MAX);
        (cycle, self.permissions.saturating_add(cycles.saturating_mul(self.limit)).min(self.limit))
    }

    pub(super) fn acquire(&mut self, now_us: u64, max_wait_us: u64) -> Permit {
        let (cycle, permissions) = self.refreshed(now_us);
        (self.cycle, self.permissions) = (cycle, permissions);
        if permissions >= 1 {
            self.permissions -= 1;
            return Permit::Now;
        }
        let to_next_cycle = (cycle + 1).saturating_mul(self.period_us).saturating_sub(now_us);
        let short = 1 - (permissions + self.limit);
        let full_cycles =
            if short <= 0 { 0 } else { short.div_euclid(self.limit) + i64::from(short % self.limit != 0) };
        let wait_us = to_next_cycle.saturating_add((full_cycles as u64).saturating_mul(self.period_us));
        if wait_us > max_wait_us {
            // `acquirePermission` parks for its whole timeout before it says no.
            return Permit::Refused(max_wait_us);
        }
        self.permissions -= 1;
        wait(wait_us)
    }

    pub(super) fn available(&self, now_us: u64) -> i64 {
        self.refreshed(now_us).1
    }
}

/// .NET's `TokenBucketRateLimiter` (Polly v8): starts full, `per_period` tokens at each period
/// boundary up to `burst`, a FIFO of at most `queue` waiting calls.
#[derive(Clone, Debug)]
pub(super) struct TokenBucket {
    per_period: i64,
    period_us: u64,
    burst: i64,
    queue: i64,
    boundary: u64,
    /// Tokens held; negative: tokens owed to the calls waiting in the queue.
    tokens: i64,
}

impl TokenBucket {
    pub(super) fn new(per_period: u64, period_us: u64, burst: u64, queue: u64) -> Self {
        let burst = i64::try_from(burst).unwrap_or(i64::MAX).max(1);
        Self {
            per_period: i64::try_from(per_period).unwrap_or(i64::MAX).max(1),
            period_us: period_us.max(1),
            burst,
            queue: i64::try_from(queue).unwrap_or(i64::MAX),
            boundary: 0,
            tokens: burst,
        }
    }

    fn refreshed(&self, now_us: u64) -> (u64, i64) {
        let boundary = now_us / self.period_us;
        if boundary <= self.boundary {
            return (self.boundary, self.tokens);
        }
        let periods = i64::try_from(boundary - self.boundary).unwrap_or(i64::MAX);
        (boundary, self.tokens.saturating_add(periods.saturating_mul(self.per_period)).min(self.burst))
    }

    pub(super) fn acquire(&mut self, now_us: u64, max_wait_us: u64) -> Permit {
        (self.boundary, self.tokens) = self.refreshed(now_us);
        if self.tokens >= 1 {
            self.tokens -= 1;
            return Permit::Now;
        }
        let queued = -self.tokens;
        if queued >= self.queue {
            return Permit::Refused(0);
        }
        let short = 1 - self.tokens;
        let periods = short.div_euclid(self.per_period) + i64::from(short % self.per_period != 0);
        let served_at = (self.boundary.saturating_add(periods as u64)).saturating_mul(self.period_us);
        let wait_us = served_at.saturating_sub(now_us);
        if wait_us > max_wait_us {
            return Permit::Refused(0);
        }
        self.tokens -= 1;
        wait(wait_us)
    }

    pub(super) fn available(&self, now_us: u64) -> i64 {
        self.refreshed(now_us).1
    }
}

/// failsafe's smooth limiter: one permit every `period / limit`, evenly spaced.
#[derive(Clone, Debug)]
pub(super) struct Smooth {
    interval_us: u64,
    next_free_us: u64,
}

impl Smooth {
    pub(super) fn new(limit: u64, period_us: u64) -> Self {
        Self { interval_us: (period_us / limit.max(1)).max(1), next_free_us: 0 }
    }

    pub(super) fn acquire(&mut self, now_us: u64, max_wait_us: u64) -> Permit {
        let interval = self.interval_us;
        let next_free = if now_us >= self.next_free_us {
            (now_us / interval).saturating_mul(interval).saturating_add(interval)
        } else {
            self.next_free_us.saturating_add(interval)
        };
        let wait_us = next_free.saturating_sub(now_us.saturating_add(interval));
        if wait_us > max_wait_us {
            return Permit::Refused(0);
        }
        self.next_free_us = next_free;
        wait(wait_us)
    }

    pub(super) fn available(&self, now_us: u64) -> i64 {
        i64::from(now_us >= self.next_free_us)
    }
}

/// failsafe's bursty limiter: `limit` permits at the start of each period; a debt is paid back
/// by later periods, without a cap (as failsafe's source does).
#[derive(Clone, Debug)]
pub(super) struct Bursty {
    limit: i64,
    period_us: u64,
    period: u64,
    available: i64,
}

impl Bursty {
    pub(super) fn new(limit: u64, period_us: u64) -> Self {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX).max(1);
        Self { limit, period_us: period_us.max(1), period: 0, available: limit }
    }

    fn refreshed(&self, now_us: u64) -> (u64, i64) {
        let period = now_us / self.period_us;
        if period <= self.period {
            return (self.period, self.available);
        }
        let elapsed = i64::try_from(period - self.period).unwrap_or(i64::MAX);
        let available = if self.available < 0 {
            self.available.saturating_add(elapsed.saturating_mul(self.limit))
        } else {
            self.limit
        };
        (period, available)
    }

    pub(super) fn acquire(&mut self, now_us: u64, max_wait_us: u64) -> Permit {
        (self.period, self.available) = self.refreshed(now_us);
        if self.available >= 1 {
            self.available -= 1;
            return Permit::Now;
        }
        let deficit = 1 - self.available;
        let to_next = (self.period + 1).saturating_mul(self.period_us).saturating_sub(now_us);
        let periods = (deficit / self.limit - i64::from(deficit % self.limit == 0)).max(0) as u64;
        let wait_us = to_next.saturating_add(periods.saturating_mul(self.period_us));
        if wait_us > max_wait_us {
            return Permit::Refused(0);
        }
        self.available -= 1;
        wait(wait_us)
    }

    pub(super) fn available(&self, now_us: u64) -> i64 {
        self.refreshed(now_us).1
    }
}

/// tower's `RateLimit`: a window of `period` opens at the first call after the last one
/// closed; when its `limit` calls are used, callers wait for the next window, which opens the
/// moment this one closes.
#[derive(Clone, Debug)]
pub(super) struct FixedWindow {
    limit: u64,
    period_us: u64,
    /// The latest window (reserved calls may have pushed it into the future).
    start_us: u64,
    end_us: u64,
    remaining: u64,
}

impl FixedWindow {
    pub(super) fn new(limit: u64, period_us: u64) -> Self {
        Self { limit: limit.max(1), period_us: period_us.max(1), start_us: 0, end_us: 0, remaining: 0 }
    }

    pub(super) fn acquire(&mut self, now_us: u64, max_wait_us: u64) -> Permit {
        let (start_us, end_us, remaining) = if now_us >= self.end_us {
            (now_us, now_us.saturating_add(self.period_us), self.limit)
        } else if self.remaining == 0 {
            (self.end_us, self.end_us.saturating_add(self.period_us), self.limit)
        } else {
            (self.start_us, self.end_us, self.remaining)
        };
        let wait_us = start_us.saturating_sub(now_us);
        if wait_us > max_wait_us {
            return Permit::Refused(0);
        }
        (self.start_us, self.end_us, self.remaining) = (start_us, end_us, remaining - 1);
        wait(wait_us)
    }

    pub(super) fn available(&self, now_us: u64) -> i64 {
        let remaining = i64::try_from(self.remaining).unwrap_or(i64::MAX);
        if now_us >= self.end_us {
            i64::try_from(self.limit).unwrap_or(i64::MAX)
        } else if self.start_us <= now_us {
            remaining
        } else {
            remaining - i64::try_from(self.limit).unwrap_or(i64::MAX)
        }
    }
}
