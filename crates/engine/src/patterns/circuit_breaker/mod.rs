//! Circuit breaker: stop calling a dependency that keeps failing, probe it now and then.
//!
//! Semantics and defaults follow resilience4j; the rules where libraries differ are settings
//! ([`OpenBoundary`], [`Evaluate`], a consecutive-failures mode, failsafe's half-open success
//! threshold and whole-percent rates).
//!
//! ```text
//!            rate >= threshold (min calls reached)
//!            or N consecutive failures
//!   Closed ─────────────────────────────────────────> Open(until = now + wait(n))
//!     ▲                                                 │ a call after `until`
//!     │ half-open window below thresholds               ▼ (or at it: `at_or_after`)
//!     │ (or `half_open_successes` reached)
//!     └───────────────────────────────────────────── HalfOpen(permits)
//!                    half-open window over threshold ──> Open (n + 1: the wait may grow)
//!                    max_wait_half_open elapsed ────────> Open or Closed (setting)
//!
//!   Special states (config `mode`, or `transition_to`): no automatic way out.
//!     ForcedOpen   rejects every call          MetricsOnly  records and judges, never blocks
//!     Disabled     permits every call, records nothing
//!   Manual transitions: any state to any state except Closed → HalfOpen,
//!   MetricsOnly → Open and MetricsOnly → HalfOpen (resilience4j's table).
//! ```
//!
//! Every transition starts fresh metrics, except into open, which keeps the metrics of the state
//! that opened (resilience4j: buffered and failed calls and the rate stay readable, and late
//! results are still recorded there). Results of calls permitted before any other transition
//! are not recorded (their permit belongs to an older epoch). A transition to the same state
//! publishes no event.

mod layer;
mod presets;
mod spec;
pub use layer::{BreakerLayer, RecordedNote, RecordedOutcome};

mod doc;
mod metrics;
mod state;
mod transitions;
mod window;

pub use doc::{AfterMaxWait, BreakerDoc, BreakerMode, Evaluate, HalfOpenAdmission, OpenBoundary, WindowDoc};
pub use metrics::BreakerMetrics;
pub use state::{BreakerEvent, BreakerState, IllegalTransition, Target};
pub use window::Totals;

use crate::patterns::{FailureKind, KindSet, Rejection};
use crate::time::Instant;
use metrics::Metrics;
use state::{Events, Phase};
use window::Window;

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

/// What [`CircuitBreaker::record`] did with a result: what a trace should call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recorded {
    /// Counted as a success (a failure of a kind not in `record` counts as one).
    Success {
        /// Slower than `slow_call_duration`.
        slow: bool,
    },
    /// Counted as a failure.
    Failure {
        /// Slower than `slow_call_duration`.
        slow: bool,
    },
    /// A kind in `ignore`: the permit went back, nothing was counted.
    Ignored,
    /// Not counted: the permit is from before a transition, or the breaker is disabled or
    /// forced open.
    NotCounted,
}

/// Read-only counters for traces and the UI (see also [`CircuitBreaker::metrics`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BreakerStats {
    /// Totals in the current window.
    pub window: Totals,
    /// Calls rejected since the current metrics were created.
    pub not_permitted: u64,
    /// Times opened in a row without closing.
    pub open_count: u32,
}

/// A circuit breaker's state machine.
#[derive(Clone, Debug)]
pub struct CircuitBreaker {
    config: BreakerSettings,
    phase: Phase,
    metrics: Metrics,
    epoch: u32,
    open_count: u32,
    consecutive_failures: u32,
    /// The growing open wait's last step: (n, un-capped wait of the n-th opening).
    wait_step: (u32, u64),
    events: Events,
}

/// A breaker's settings (read from a [`BreakerDoc`]), in the units the hot path uses. Only
/// `parse` makes them, so sizes are at least 1 and rates are in range: the machine cannot
/// panic or divide by zero.
#[derive(Clone, Debug)]
pub struct BreakerSettings {
    mode: BreakerMode,
    half_open_admission: HalfOpenAdmission,
    window: WindowDoc,
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
    half_open_successes: Option<u32>,
    max_wait_half_open_us: Option<u64>,
    after_max_wait: AfterMaxWait,
    consecutive_failures: Option<u32>,
    record: KindSet,
    ignore: KindSet,
    round_rates: bool,
    open_boundary: OpenBoundary,
    evaluate: Evaluate,
}

impl BreakerSettings {
    /// The settings of a checked document.
    fn of(config: &BreakerDoc) -> Self {
        let window = match config.window {
            WindowDoc::Count(size) => WindowDoc::Count(size.max(1)),
            WindowDoc::Seconds(seconds) => WindowDoc::Seconds(seconds.max(1)),
        };
        let permitted_half_open = config.permitted_half_open.max(1);
        Self {
            mode: config.mode,
            half_open_admission: config.half_open_admission,
            window,
            failure_rate: config.failure_rate,
            slow_call_rate: config.slow_call_rate,
            slow_call_us: config.slow_call_duration.as_micros(),
            minimum_calls_closed: match window {
                WindowDoc::Count(size) => config.minimum_calls.min(size),
                WindowDoc::Seconds(_) => config.minimum_calls,
            },
            minimum_calls: config.minimum_calls,
            wait_open_us: config.wait_open.as_micros(),
            wait_multiplier: config.wait_multiplier,
            wait_max_us: config.wait_max.map_or(u64::MAX, |w| w.as_micros()),
            permitted_half_open,
            half_open_successes: config.half_open_successes.map(|s| s.clamp(1, permitted_half_open)),
            max_wait_half_open_us: config.max_wait_half_open.map(|w| w.as_micros()),
            after_max_wait: config.after_max_wait,
            consecutive_failures: config.consecutive_failures.map(|n| n.max(1)),
            record: KindSet::of(&config.record),
            ignore: KindSet::of(&config.ignore),
            round_rates: config.round_rates,
            open_boundary: config.open_boundary,
            evaluate: config.evaluate,
        }
    }
}

impl CircuitBreaker {
    /// A breaker in the state its `mode` gives (closed for `normal`).
    #[must_use]
    pub fn new(settings: &BreakerSettings) -> Self {
        let settings = settings.clone();
        let (phase, metrics) = match settings.mode {
            BreakerMode::Normal => (Phase::Closed, closed_metrics(&settings)),
            BreakerMode::ForcedOpen => (Phase::ForcedOpen, Metrics::empty()),
            BreakerMode::MetricsOnly => {
                (Phase::MetricsOnly { failure_published: false, slow_published: false }, closed_metrics(&settings))
            }
            BreakerMode::Disabled => (Phase::Disabled, Metrics::empty()),
        };
        let open_count = u32::from(settings.mode == BreakerMode::ForcedOpen);
        Self {
            config: settings,
            phase,
            metrics,
            epoch: 0,
            open_count,
            consecutive_failures: 0,
            wait_step: (0, 0),
            events: Events::default(),
        }
    }

    // ---- inputs -------------------------------------------------------------------------

    /// Asks to let a call through at `now`. An open breaker whose wait is over half-opens here.
    ///
    /// # Errors
    /// [`Rejection::CircuitOpen`] while open (`until` is [`Instant::NEVER`] when forced open),
    /// [`Rejection::HalfOpenFull`] when half-open and all probe permits are out.
    pub fn try_acquire(&mut self, now: Instant) -> Result<BreakerPermit, Rejection> {
        match self.phase {
            Phase::ForcedOpen => return Err(self.not_permitted(Rejection::CircuitOpen { until: Instant::NEVER })),
            Phase::Open { until } => {
                let over = match self.config.open_boundary {
                    OpenBoundary::StrictlyAfter => now > until,
                    OpenBoundary::AtOrAfter => now >= until,
                };
                if !over {
                    return Err(self.not_permitted(Rejection::CircuitOpen { until }));
                }
                self.enter_half_open(now);
            }
            _ => {}
        }
        if let Phase::HalfOpen { permits_issued, .. } = &mut self.phase {
            if *permits_issued >= self.config.permitted_half_open {
                return Err(self.not_permitted(Rejection::HalfOpenFull));
            }
            *permits_issued += 1;
        }
        Ok(BreakerPermit { epoch: self.epoch, started: now })
    }

    /// Records how a permitted call ended at `now`; its duration is measured from the permit.
    /// An ignored kind gives the permit back instead ([`CircuitBreaker::release`]). While open,
    /// late results are still recorded into the kept metrics (no transition follows).
    pub fn record(&mut self, now: Instant, permit: BreakerPermit, result: CallResult) -> Recorded {
        let failed = match result {
            CallResult::Success => false,
            CallResult::Failure(kind) if self.config.ignore.contains(kind) => {
                self.release(permit);
                return Recorded::Ignored;
            }
            CallResult::Failure(kind) => self.config.record.contains(kind),
        };
        let slow = now.micros_since(permit.started) > self.config.slow_call_us;
        let counted = if failed { Recorded::Failure { slow } } else { Recorded::Success { slow } };
        match self.phase {
            Phase::Disabled | Phase::ForcedOpen => return Recorded::NotCounted,
            Phase::Open { .. } => {
                self.metrics.window.record(now, failed, slow);
                return counted;
            }
            _ if permit.epoch != self.epoch => return Recorded::NotCounted,
            _ => self.metrics.window.record(now, failed, slow),
        }
        match self.phase {
            Phase::Closed => self.judge_closed(now, failed),
            Phase::HalfOpen { .. } => self.judge_half_open(now),
            Phase::MetricsOnly { .. } => self.judge_metrics_only(now),
            _ => {}
        }
        counted
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
                AfterMaxWait::Closed => self.close(now),
            }
        }
    }

    // ---- getters ------------------------------------------------------------------------

    /// The current state.
    #[must_use]
    pub const fn state(&self) -> BreakerState {
        self.phase.state()
    }

    /// The current metrics as of the last recorded call (resilience4j's `getMetrics()`):
    /// while open, those of the state that opened.
    #[must_use]
    pub fn metrics(&self) -> BreakerMetrics {
        self.metrics.read_out(self.metrics.window.last_totals(), self.config.round_rates)
    }

    /// The current metrics at `now`: a time window first drops the seconds that slid out.
    pub fn metrics_at(&mut self, now: Instant) -> BreakerMetrics {
        self.metrics.at(now, self.config.round_rates)
    }

    /// Counters of the current window (totals as of the last recorded call).
    #[must_use]
    pub fn stats(&self) -> BreakerStats {
        BreakerStats {
            window: self.metrics.window.last_totals(),
            not_permitted: self.metrics.not_permitted,
            open_count: self.open_count,
        }
    }

    /// The oldest event not yet taken, if any. The breaker keeps the last 16; older ones are
    /// dropped (and counted by [`CircuitBreaker::events_dropped`]) when nobody takes them.
    pub fn poll_event(&mut self) -> Option<BreakerEvent> {
        self.events.pop()
    }

    /// Events dropped because they were not taken in time.
    #[must_use]
    pub const fn events_dropped(&self) -> u64 {
        self.events.dropped()
    }

    fn not_permitted(&mut self, rejection: Rejection) -> Rejection {
        self.metrics.not_permitted += 1;
        rejection
    }
}

fn closed_metrics(config: &BreakerSettings) -> Metrics {
    let window = match config.window {
        WindowDoc::Count(size) => Window::count(size),
        WindowDoc::Seconds(seconds) => Window::time(seconds),
    };
    Metrics::new(window, config.minimum_calls_closed)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fidelity;
