//! Rate limiter: at most `limit` calls per `period`; a call over the rate waits for a later
//! permit, up to `max_wait`, or is refused.
//!
//! Libraries disagree on almost everything here, so the algorithm is a setting
//! ([`Algorithm`]), each one as its library computes it (`../shared/reference/semantics.md`):
//!
//! - `resilience4j`: cycles of `period` aligned to the start of the run; each cycle refills
//!   the balance to `limit` (no carry-over), a waiting call reserves a permit of a later cycle
//!   (the balance goes negative and later cycles pay it back). A refused call first waits the
//!   whole `max_wait` (resilience4j's `acquirePermission` parks for its timeout).
//! - `token_bucket` (Polly / .NET `TokenBucketRateLimiter`): starts full (`burst` tokens),
//!   `limit` tokens are added at each period boundary up to `burst`; up to `queue` calls wait,
//!   oldest first, for the replenishment that serves them.
//! - `smooth` (failsafe): one permit every `period / limit`, evenly spaced.
//! - `bursty` (failsafe): `limit` permits at the start of each period; a debt is paid back by
//!   later periods without a cap.
//! - `fixed_window` (tower `RateLimit`): a window of `period` starts at the first call after
//!   the last one ended; when its `limit` calls are used, callers wait for the next window
//!   (back-pressure, never a refusal unless `max_wait` is set).
//!
//! ```text
//!   acquire ──permit now──────────────────────────> Forward
//!   acquire ──permit at t, t − now ≤ max_wait──────> Waiting(until t) ──> Forward
//!   acquire ──no permit within max_wait────────────> Refused (resilience4j: after max_wait)
//! ```
//!
//! A permit is taken when it is granted or reserved, and is not given back when the call is
//! abandoned (as in every library above but .NET's queue).

mod doc;
mod layer;
mod limiters;
mod presets;
mod spec;
#[cfg(test)]
mod tests;

pub use doc::{Algorithm, RateLimiterDoc};
pub use layer::RateLimiterLayer;

use limiters::{Bursty, FixedWindow, Resilience4j, Smooth, TokenBucket};

/// A rate limiter's settings (read from a [`RateLimiterDoc`]), in microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimiterSettings {
    algorithm: Algorithm,
    /// Permits per period (at least 1).
    limit: u64,
    /// The period (at least 1 ms).
    period_us: u64,
    /// How long a call may wait for its permit; `None`: as long as it takes.
    max_wait_us: Option<u64>,
    /// Token bucket: tokens held at most (at least 1).
    burst: u64,
    /// Token bucket: calls that may wait.
    queue: u64,
}

/// The answer to [`RateLimiter::acquire`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permit {
    /// Go now.
    Now,
    /// A permit is reserved; go after waiting this many microseconds.
    After(u64),
    /// Refused, after waiting this many microseconds first (0 but for resilience4j).
    Refused(u64),
}

/// A rate limiter's state: one of the algorithms.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    max_wait_us: Option<u64>,
    algorithm: State,
}

#[derive(Clone, Debug)]
enum State {
    Resilience4j(Resilience4j),
    TokenBucket(TokenBucket),
    Smooth(Smooth),
    Bursty(Bursty),
    FixedWindow(FixedWindow),
}

impl RateLimiter {
    /// A limiter at the start of the run (time 0), in the algorithm's initial state.
    #[must_use]
    pub fn new(settings: RateLimiterSettings) -> Self {
        let RateLimiterSettings { algorithm, limit, period_us, burst, queue, .. } = settings;
        let state = match algorithm {
            Algorithm::Resilience4j => State::Resilience4j(Resilience4j::new(limit, period_us)),
            Algorithm::TokenBucket => State::TokenBucket(TokenBucket::new(limit, period_us, burst, queue)),
            Algorithm::Smooth => State::Smooth(Smooth::new(limit, period_us)),
            Algorithm::Bursty => State::Bursty(Bursty::new(limit, period_us)),
            Algorithm::FixedWindow => State::FixedWindow(FixedWindow::new(limit, period_us)),
        };
        Self { max_wait_us: settings.max_wait_us, algorithm: state }
    }

    /// Asks for one permit at `now_us`. A permit granted later is reserved at once.
    pub fn acquire(&mut self, now_us: u64) -> Permit {
        let max_wait_us = self.max_wait_us.unwrap_or(u64::MAX);
        match &mut self.algorithm {
            State::Resilience4j(l) => l.acquire(now_us, max_wait_us),
            State::TokenBucket(l) => l.acquire(now_us, max_wait_us),
            State::Smooth(l) => l.acquire(now_us, max_wait_us),
            State::Bursty(l) => l.acquire(now_us, max_wait_us),
            State::FixedWindow(l) => l.acquire(now_us, max_wait_us),
        }
    }

    /// Permits that could be taken at once right now (negative: owed to waiting calls), as
    /// far as the algorithm keeps a balance (smooth: 1 when the next slot is free, else 0).
    #[must_use]
    pub fn available(&self, now_us: u64) -> i64 {
        match &self.algorithm {
            State::Resilience4j(l) => l.available(now_us),
            State::TokenBucket(l) => l.available(now_us),
            State::Smooth(l) => l.available(now_us),
            State::Bursty(l) => l.available(now_us),
            State::FixedWindow(l) => l.available(now_us),
        }
    }
}
