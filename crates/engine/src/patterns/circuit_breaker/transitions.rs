//! The breaker's judgements and transitions, automatic and manual.

use super::metrics::{Metrics, percent};
use super::state::{BreakerEvent, IllegalTransition, Phase, Target, is_illegal};
use super::window::{Totals, Window};
use super::{CircuitBreaker, Evaluate, closed_metrics};
use crate::time::{Instant, micros_of_f64};

/// Which thresholds a window reached.
#[derive(Clone, Copy, Debug, Default)]
struct Exceeded {
    failure: Option<f64>,
    slow: Option<f64>,
}

impl Exceeded {
    const fn any(self) -> bool {
        self.failure.is_some() || self.slow.is_some()
    }
}

const US_PER_MS: u64 = 1_000;

impl CircuitBreaker {
    // ---- manual transitions ---------------------------------------------------------------

    /// Moves to `to` at `now`, as resilience4j's `transitionTo…State()` do: a new state with
    /// fresh metrics (open keeps the current ones and starts the next, possibly longer, wait).
    /// A transition to the same state re-enters it but publishes no event.
    ///
    /// # Errors
    /// [`IllegalTransition`] for closed → half-open, metrics only → open and metrics only →
    /// half-open; the breaker stays where it was.
    pub fn transition_to(&mut self, now: Instant, to: Target) -> Result<(), IllegalTransition> {
        let from = self.state();
        if is_illegal(from, to) {
            return Err(IllegalTransition { from, to });
        }
        match to {
            Target::Closed => self.close(now),
            Target::Open => self.open(now),
            Target::HalfOpen => self.enter_half_open(now),
            Target::Disabled => {
                self.open_count = 0;
                self.transition(now, Phase::Disabled, Metrics::empty());
            }
            Target::ForcedOpen => {
                self.open_count = self.open_count.saturating_add(1);
                self.transition(now, Phase::ForcedOpen, Metrics::empty());
            }
            Target::MetricsOnly => {
                self.open_count = 0;
                let phase = Phase::MetricsOnly { failure_published: false, slow_published: false };
                self.transition(now, phase, closed_metrics(&self.config));
            }
        }
        Ok(())
    }

    /// Back to closed with fresh metrics, from any state; publishes the state change (if the
    /// breaker was not closed) and then [`BreakerEvent::Reset`] (resilience4j's `reset()`).
    pub fn reset(&mut self, now: Instant) {
        self.close(now);
        self.events.push(BreakerEvent::Reset { at: now });
    }

    // ---- judgements -----------------------------------------------------------------------

    pub(super) fn judge_closed(&mut self, now: Instant, failed: bool) {
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
        let exceeded = self.exceeded(now);
        if exceeded.any() {
            self.publish_exceeded(now, exceeded);
            self.open(now);
        }
    }

    pub(super) fn judge_half_open(&mut self, now: Instant) {
        let totals = self.metrics.window.totals(now);
        let permitted = self.config.permitted_half_open;
        let successes = self.config.half_open_successes.or(self.config.consecutive_failures.map(|_| permitted));
        if let Some(needed) = successes {
            // failsafe's success threshold (the consecutive mode needs every probe to succeed).
            if totals.calls - totals.failed >= needed {
                self.close(now);
            } else if totals.failed > permitted - needed {
                self.open(now);
            }
            return;
        }
        if totals.calls < self.metrics.minimum_calls {
            return;
        }
        if self.exceeded(now).any() { self.open(now) } else { self.close(now) }
    }

    /// Metrics only: publish each `*_exceeded` event the first time, never transition.
    pub(super) fn judge_metrics_only(&mut self, now: Instant) {
        let exceeded = self.exceeded(now);
        let Phase::MetricsOnly { failure_published, slow_published } = &mut self.phase else { return };
        let failure = exceeded.failure.filter(|_| !core::mem::replace(failure_published, true));
        let slow = exceeded.slow.filter(|_| !core::mem::replace(slow_published, true));
        self.publish_exceeded(now, Exceeded { failure, slow });
    }

    /// The thresholds the current window reaches at `now`, once it holds its minimum of calls.
    fn exceeded(&mut self, now: Instant) -> Exceeded {
        let totals: Totals = self.metrics.window.totals(now);
        if totals.calls == 0 || totals.calls < self.metrics.minimum_calls {
            return Exceeded::default();
        }
        let round = self.config.round_rates;
        let failure = percent(totals.failed, totals.calls, round);
        let slow = percent(totals.slow, totals.calls, round);
        Exceeded {
            failure: (failure >= self.config.failure_rate).then_some(failure),
            slow: (slow >= self.config.slow_call_rate).then_some(slow),
        }
    }

    fn publish_exceeded(&mut self, at: Instant, exceeded: Exceeded) {
        if let Some(rate) = exceeded.failure {
            self.events.push(BreakerEvent::FailureRateExceeded { at, rate });
        }
        if let Some(rate) = exceeded.slow {
            self.events.push(BreakerEvent::SlowCallRateExceeded { at, rate });
        }
    }

    // ---- transitions ----------------------------------------------------------------------

    /// Opens for the next wait, keeping the current metrics (resilience4j's `OpenState` takes
    /// the metrics of the state it replaces).
    pub(super) fn open(&mut self, now: Instant) {
        self.open_count = self.open_count.saturating_add(1);
        let until = now.plus_micros(self.open_wait_us(self.open_count));
        let kept = core::mem::replace(&mut self.metrics, Metrics::empty());
        self.transition(now, Phase::Open { until }, kept);
    }

    pub(super) fn enter_half_open(&mut self, now: Instant) {
        let permitted = self.config.permitted_half_open;
        let metrics = Metrics::new(Window::count(permitted), self.config.minimum_calls.min(permitted));
        self.transition(now, Phase::HalfOpen { permits_issued: 0, since: now }, metrics);
    }

    pub(super) fn close(&mut self, now: Instant) {
        self.open_count = 0;
        let metrics = closed_metrics(&self.config);
        self.transition(now, Phase::Closed, metrics);
    }

    fn transition(&mut self, now: Instant, phase: Phase, metrics: Metrics) {
        let from = self.state();
        self.phase = phase;
        self.metrics = metrics;
        self.epoch = self.epoch.wrapping_add(1);
        self.consecutive_failures = 0;
        let to = self.state();
        if from.code() != to.code() {
            self.events.push(BreakerEvent::StateTransition { at: now, from, to });
        }
    }

    /// The open wait of the `n`-th opening in a row. Constant when the multiplier is 1;
    /// otherwise resilience4j's `IntervalFunction.ofExponentialBackoff(wait, m, max)`:
    /// `v(k+1) = (long)(v(k) · m)` in whole milliseconds, truncated at each step, then capped.
    /// The last step is kept, so a long run of re-openings costs one step each.
    fn open_wait_us(&mut self, n: u32) -> u64 {
        let c = &self.config;
        if c.wait_multiplier == 1.0 {
            return c.wait_open_us;
        }
        let (mut k, mut raw_us) = self.wait_step;
        if k == 0 || k > n {
            (k, raw_us) = (1, c.wait_open_us);
        }
        while k < n && raw_us < c.wait_max_us {
            let grown_ms = micros_of_f64((raw_us / US_PER_MS) as f64 * c.wait_multiplier);
            raw_us = grown_ms.saturating_mul(US_PER_MS);
            k += 1;
        }
        self.wait_step = (n, raw_us);
        raw_us.min(c.wait_max_us)
    }
}
