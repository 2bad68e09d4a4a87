//! Client-side adaptive throttling (Google SRE book, "Handling Overload"): the client refuses
//! a call locally, before sending it, with probability
//!
//! ```text
//!   p = min(max(0, requests − K·accepts) / (requests + 1), max_rejection)
//! ```
//!
//! over a sliding window, where `accepts` are the calls the backend answered successfully
//! (a failure of a `record` kind is not accepted). While the backend accepts everything,
//! `requests ≤ K·accepts` and nothing is refused; during an outage `accepts` falls, so most
//! calls fail locally and cheaply, and a few still go through to notice the recovery.
//!
//! Two rules (`../shared/reference/semantics.md`), each with its defaults:
//!
//! - `sre` (the SRE book): K = 2, a window of 2 minutes, no cap on `p`; `requests` counts
//!   every call the application made, the locally refused ones included, when it is made.
//! - `failsafe_go` (`adaptivethrottler`): K = 1 / successRateThreshold = 1 / 0.9, a window of
//!   1 minute, `p` capped at 0.9; `requests` counts executions when their result is recorded,
//!   so refused calls never count.
//!
//! Under `sre` a cold start refuses a few calls: the first requests count before any answer
//! has come back (`min_requests` holds refusals off until the window has that many).
//!
//! Either way the window is 20 buckets of `window / 20` (failsafe-go's `TimedStats`), no call
//! is refused until `min_requests` are in the window, and a call is refused when a uniform draw
//! `r ∈ [0, 1)` falls below `p`.
//!
//! ```text
//!   enter ──r ≥ p──> Sent ──reply──> record(accepted = not a `record` failure) ──> answer
//!   enter ──r < p──> Refused (RejectedByRateLimiter; counted as a request under `sre`)
//!   Sent ──cancelled by an outer layer──> no result (under `sre` it stays a request)
//! ```

mod doc;
mod layer;
mod presets;
mod spec;
#[cfg(test)]
mod tests;

pub use doc::{Rule, ThrottleDoc};
pub use layer::{ThrottleCall, ThrottleLayer};

use crate::patterns::KindSet;

/// Buckets of the sliding window (failsafe-go's `NewTimedStats(20, …)`).
pub const BUCKETS: usize = 20;

/// A throttle's settings (read from a [`ThrottleDoc`]), checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThrottleSettings {
    rule: Rule,
    /// The multiplier of accepts (at least 1).
    k: f64,
    /// The window, in microseconds (at least a millisecond).
    window_us: u64,
    /// The highest refusal probability, in `[0, 1]`.
    max_rejection: f64,
    /// Requests in the window before anything is refused.
    min_requests: u64,
    /// Which failures are not accepted.
    record: KindSet,
}

/// Requests and accepts of one bucket (or of the whole window).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    requests: u64,
    accepts: u64,
}

/// A throttle's state: the sliding window of requests and accepts.
#[derive(Clone, Debug)]
pub struct Throttle {
    settings: ThrottleSettings,
    bucket_us: u64,
    buckets: [Tally; BUCKETS],
    /// The number of the current bucket (`now / bucket_us`).
    current: u64,
    total: Tally,
}

impl Throttle {
    /// A throttle at the start of the run, its window empty.
    #[must_use]
    pub fn new(settings: ThrottleSettings) -> Self {
        let bucket_us = (settings.window_us / BUCKETS as u64).max(1);
        Self { settings, bucket_us, buckets: [Tally::default(); BUCKETS], current: 0, total: Tally::default() }
    }

    /// True when a failure of this kind is not accepted.
    #[must_use]
    pub const fn records(&self, kind: crate::patterns::FailureKind) -> bool {
        self.settings.record.contains(kind)
    }

    /// The probability of refusing a call made at `now_us`.
    pub fn rejection(&mut self, now_us: u64) -> f64 {
        self.expire(now_us);
        let Tally { requests, accepts } = self.total;
        if requests < self.settings.min_requests {
            return 0.0;
        }
        let (requests, accepts) = (requests as f64, accepts as f64);
        let excess = (requests - self.settings.k * accepts).max(0.0);
        (excess / (requests + 1.0)).min(self.settings.max_rejection)
    }

    /// A call is made at `now_us` with the uniform draw `r ∈ [0, 1)`: true if it may go.
    pub fn admit(&mut self, now_us: u64, r: f64) -> bool {
        let p = self.rejection(now_us);
        if self.settings.rule == Rule::Sre {
            self.bucket(now_us).requests += 1;
            self.total.requests += 1;
        }
        !(p > 0.0 && r < p)
    }

    /// The backend's answer to an admitted call, at `now_us`: accepted or not.
    pub fn record(&mut self, now_us: u64, accepted: bool) {
        let counted = u64::from(self.settings.rule == Rule::FailsafeGo);
        let accepted = u64::from(accepted);
        let bucket = self.bucket(now_us);
        bucket.requests += counted;
        bucket.accepts += accepted;
        self.total.requests += counted;
        self.total.accepts += accepted;
    }

    /// (requests, accepts) in the window at `now_us`.
    pub fn counts(&mut self, now_us: u64) -> (u64, u64) {
        self.expire(now_us);
        (self.total.requests, self.total.accepts)
    }

    fn bucket(&mut self, now_us: u64) -> &mut Tally {
        self.expire(now_us);
        &mut self.buckets[(self.current % BUCKETS as u64) as usize]
    }

    /// Empties the buckets that slid out of the window by `now_us`.
    fn expire(&mut self, now_us: u64) {
        let number = now_us / self.bucket_us;
        if number <= self.current {
            return;
        }
        let stale = (number - self.current).min(BUCKETS as u64);
        for step in 1..=stale {
            let slot = &mut self.buckets[((self.current + step) % BUCKETS as u64) as usize];
            self.total.requests = self.total.requests.saturating_sub(slot.requests);
            self.total.accepts = self.total.accepts.saturating_sub(slot.accepts);
            *slot = Tally::default();
        }
        self.current = number;
    }
}
