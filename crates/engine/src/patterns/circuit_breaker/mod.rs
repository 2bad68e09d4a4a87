//! Circuit breaker: stop calling a dependency that keeps failing, probe it now and then.
//!
//! Semantics and defaults follow resilience4j; the rules where libraries differ are settings
//! ([`OpenBoundary`], [`Evaluate`], a consecutive-failures mode).
//!
//! ```text
//!            rate >= threshold (min calls reached)
//!            or N consecutive failures
//!   Closed ─────────────────────────────────────────> Open(until = now + wait(n))
//!     ▲                                                 │ a call after `until`
//!     │ half-open window below thresholds               ▼ (or at it: `at_or_after`)
//!     └───────────────────────────────────────────── HalfOpen(permits)
//!                    half-open window over threshold ──> Open (n + 1: the wait may grow)
//!                    max_wait_half_open elapsed ────────> Open or Closed (setting)
//! ```
//!
//! Every transition starts fresh metrics. Results of calls permitted before a transition are
//! ignored (their permit belongs to an older epoch).

mod layer;

mod config;
mod window;

pub use config::{AfterMaxWait, BreakerConfig, Evaluate, OpenBoundary, WindowConfig};
pub use window::Totals;

use crate::patterns::{FailureKind, KindSet, Rejection};
use crate::time::{Instant, micros_of_f64};
use window::Window;

/// The breaker's state, as traces and the UI show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BreakerState {
    /// Calls pass; outcomes are recorded.
    Closed,
    /// Calls are rejected until `until`.
    Open {
        /// End of the open wait.
        until: Instant,
    },
    /// A limited number of probe calls pass.
    HalfOpen,
}

impl BreakerState {
    /// A small code for traces and charts: 0 closed, 1 open, 2 half-open.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::Closed => 0,
            Self::Open { .. } => 1,
            Self::HalfOpen => 2,
        }
    }
}

#[derive(Clone, Debug)]
enum Phase {
    Closed,
    Open { until: Instant },
    HalfOpen { permits_issued: u32, since: Instant },
}

/// Proof that a call was let through; hand it back with [`CircuitBreaker::record`] or
/// [`CircuitBreaker::release`].
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a permit must be recorded or released"]
pub struct BreakerPermit {
    epoch: u32,
    started: Instant,
}

/// How a permitted call ended, from the breaker's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallResult {
    /// The call succeeded.
    Success,
    /// The call failed with this kind of failure.
    Failure(FailureKind),
}

/// Read-only counters for traces and the UI.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BreakerStats {
    /// Totals in the current window.
    pub window: Totals,
    /// Calls rejected since the last transition.
    pub not_permitted: u64,
    /// Times opened in a row without closing.
    pub open_count: u32,
}

/// A circuit breaker's state machine.
#[derive(Clone, Debug)]
pub struct CircuitBreaker {
    config: BreakerSettings,
    phase: Phase,
    window: Window,
    epoch: u32,
    open_count: u32,
    consecutive_failures: u32,
    not_permitted: u64,
}

/// The config, pre-digested into the units the hot path uses.
#[derive(Clone, Debug)]
struct BreakerSettings {
    window: WindowConfig,
    failure_rate: f64,
    slow_call_rate: f64,
    slow_call_us: u64,
    /// resilience4j caps a count window's minimum at the window size.
    minimum_calls_closed: u32,
    minimum_calls: u32,
    wait_open_us: u64,
    wait_multiplier: f64,
    wait_max_us: u64,
    permitted_half_open: u32,
    max_wait_half_open_us: Option<u64>,
    after_max_wait: AfterMaxWait,
    consecutive_failures: Option<u32>,
    record: KindSet,
    open_boundary: OpenBoundary,
    evaluate: Evaluate,
}

impl CircuitBreaker {
    /// A closed breaker with the (validated) config.
    #[must_use]
    pub fn new(config: &BreakerConfig) -> Self {
        let settings = BreakerSettings {
            window: config.window,
            failure_rate: config.failure_rate,
            slow_call_rate: config.slow_call_rate,
            slow_call_us: config.slow_call_duration.as_micros(),
            minimum_calls_closed: match config.window {
                WindowConfig::Count(size) => config.minimum_calls.min(size),
                WindowConfig::Seconds(_) => config.minimum_calls,
            },
            minimum_calls: config.minimum_calls,
            wait_open_us: config.wait_open.as_micros(),
            wait_multiplier: config.wait_multiplier,
            wait_max_us: config.wait_max.map_or(u64::MAX, |w| w.as_micros()),
            permitted_half_open: config.permitted_half_open,
            max_wait_half_open_us: config.max_wait_half_open.map(|w| w.as_micros()),
            after_max_wait: config.after_max_wait,
            consecutive_failures: config.consecutive_failures,
            record: KindSet::of(&config.record),
            open_boundary: config.open_boundary,
            evaluate: config.evaluate,
        };
        let window = closed_window(settings.window);
        Self {
            config: settings,
            phase: Phase::Closed,
            window,
            epoch: 0,
            open_count: 0,
            consecutive_failures: 0,
            not_permitted: 0,
        }
    }

    // ---- inputs -------------------------------------------------------------------------

    /// Asks to let a call through at `now`. An open breaker whose wait is over half-opens here.
    ///
    /// # Errors
    /// [`Rejection::CircuitOpen`] while open, [`Rejection::HalfOpenFull`] when half-open and
    /// all probe permits are out.
    pub fn try_acquire(&mut self, now: Instant) -> Result<BreakerPermit, Rejection> {
        if let Phase::Open { until } = self.phase {
            let over = match self.config.open_boundary {
                OpenBoundary::StrictlyAfter => now > until,
                OpenBoundary::AtOrAfter => now >= until,
            };
            if !over {
                self.not_permitted += 1;
                return Err(Rejection::CircuitOpen { until });
            }
            self.enter_half_open(now);
        }
        if let Phase::HalfOpen { permits_issued, .. } = &mut self.phase {
            if *permits_issued >= self.config.permitted_half_open {
                self.not_permitted += 1;
                return Err(Rejection::HalfOpenFull);
            }
            *permits_issued += 1;
        }
        Ok(BreakerPermit { epoch: self.epoch, started: now })
    }

    /// Records how a permitted call ended at `now`; its duration is measured from the permit.
    pub fn record(&mut self, now: Instant, permit: BreakerPermit, result: CallResult) {
        if permit.epoch != self.epoch {
            return;
        }
        let failed = match result {
            CallResult::Success => false,
            CallResult::Failure(kind) => self.config.record.contains(kind),
        };
        let slow = now.micros_since(permit.started) > self.config.slow_call_us;
        self.window.record(now, failed, slow);
        match self.phase {
            Phase::Closed => self.judge_closed(now, failed),
            Phase::HalfOpen { .. } => self.judge_half_open(now, failed),
            Phase::Open { .. } => {}
        }
    }

    /// Gives a permit back without a verdict (the call was abandoned by an outer layer):
    /// a half-open probe slot becomes free again, nothing is recorded.
    pub fn release(&mut self, permit: BreakerPermit) {
        if permit.epoch != self.epoch {
            return;
        }
        if let Phase::HalfOpen { permits_issued, .. } = &mut self.phase {
            *permits_issued = permits_issued.saturating_sub(1);
        }
    }

    // ---- timers -------------------------------------------------------------------------

    /// When the breaker wants [`CircuitBreaker::handle_timeout`]: the end of the half-open
    /// maximum wait, if set. (The open wait ends lazily, on the next call, as in resilience4j.)
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::HalfOpen { since, .. } => self.config.max_wait_half_open_us.map(|w| since.plus_micros(w)),
            _ => None,
        }
    }

    /// Leaves half-open if its maximum wait is over; spurious calls are no-ops.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.poll_timeout().is_some_and(|deadline| deadline <= now) {
            match self.config.after_max_wait {
                AfterMaxWait::Open => self.open(now),
                AfterMaxWait::Closed => self.close(),
            }
        }
    }

    // ---- getters ------------------------------------------------------------------------

    /// The current state.
    #[must_use]
    pub fn state(&self) -> BreakerState {
        match self.phase {
            Phase::Closed => BreakerState::Closed,
            Phase::Open { until } => BreakerState::Open { until },
            Phase::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// Counters of the current window (totals as of the last recorded call).
    #[must_use]
    pub fn stats(&self) -> BreakerStats {
        let window = match &self.window {
            Window::Count { totals, .. } | Window::Time { totals, .. } => *totals,
        };
        BreakerStats { window, not_permitted: self.not_permitted, open_count: self.open_count }
    }

    // ---- transitions --------------------------------------------------------------------

    fn judge_closed(&mut self, now: Instant, failed: bool) {
        if let Some(limit) = self.config.consecutive_failures {
            self.consecutive_failures = if failed { self.consecutive_failures + 1 } else { 0 };
            if self.consecutive_failures >= limit {
                self.open(now);
            }
            return;
        }
        if self.config.evaluate == Evaluate::OnFailure && !failed {
            return;
        }
        let totals = self.window.totals(now);
        if totals.calls >= self.config.minimum_calls_closed && self.exceeded(totals) {
            self.open(now);
        }
    }

    fn judge_half_open(&mut self, now: Instant, failed: bool) {
        if self.config.consecutive_failures.is_some() {
            // Any failed probe re-opens; `permitted_half_open` successes close.
            let totals = self.window.totals(now);
            if failed {
                self.open(now);
            } else if totals.calls >= self.config.permitted_half_open {
                self.close();
            }
            return;
        }
        let totals = self.window.totals(now);
        let needed = self.config.minimum_calls.min(self.config.permitted_half_open);
        if totals.calls < needed {
            return;
        }
        if self.exceeded(totals) { self.open(now) } else { self.close() }
    }

    fn exceeded(&self, totals: Totals) -> bool {
        totals.failure_rate() >= self.config.failure_rate || totals.slow_rate() >= self.config.slow_call_rate
    }

    fn open(&mut self, now: Instant) {
        self.open_count += 1;
        let until = now.plus_micros(self.open_wait_us(self.open_count));
        self.transition(Phase::Open { until }, Window::count(1));
    }

    fn enter_half_open(&mut self, now: Instant) {
        let window = Window::count(self.config.permitted_half_open);
        self.transition(Phase::HalfOpen { permits_issued: 0, since: now }, window);
    }

    fn close(&mut self) {
        self.open_count = 0;
        let window = closed_window(self.config.window);
        self.transition(Phase::Closed, window);
    }

    fn transition(&mut self, phase: Phase, window: Window) {
        self.phase = phase;
        self.window = window;
        self.epoch = self.epoch.wrapping_add(1);
        self.consecutive_failures = 0;
        self.not_permitted = 0;
    }

    /// The open wait of the `n`-th opening in a row: `wait × multiplier^(n−1)`, capped.
    fn open_wait_us(&self, n: u32) -> u64 {
        let c = &self.config;
        if c.wait_multiplier == 1.0 {
            return c.wait_open_us;
        }
        let grown = c.wait_open_us as f64 * libm::pow(c.wait_multiplier, f64::from(n - 1));
        micros_of_f64(grown).min(c.wait_max_us)
    }
}

fn closed_window(config: WindowConfig) -> Window {
    match config {
        WindowConfig::Count(size) => Window::count(size),
        WindowConfig::Seconds(seconds) => Window::time(seconds),
    }
}

#[cfg(test)]
mod tests;
