//! Keeping a run within what validation promised: the periodic progress guard, the sweep of
//! cancelled timers out of the event queue, and the run-time bounds.

use super::engine::{Engine, Event};
use super::nodes::timer_alive;
use super::{Bound, RunError};
use crate::time::Instant;

impl Engine {
    /// Every [`BOUNDS_CHECK_EVENTS`] events: the progress guard, the queue sweep and the
    /// bounds (checked in batches so that a normal event pays one comparison for them all).
    pub(super) fn periodic_checks(&mut self) -> Result<(), RunError> {
        if self.now == self.checked_at {
            self.stalled_events += BOUNDS_CHECK_EVENTS;
        } else {
            (self.stalled_events, self.checked_at) = (0, self.now);
        }
        if self.queue.len() >= self.compact_at {
            self.compact_queue();
        }
        self.check_bounds()
    }

    /// Sweeps cancelled node timers out of the queue, without changing what the run does.
    ///
    /// A cancelled timer does nothing when it comes out, except set the clock, and so possibly
    /// end the run (at or after the end of arrivals, with nothing in flight) or set the final
    /// time (the last event before the drain limit). Keeping the earliest cancelled timer at or
    /// after the end of arrivals and the latest one before the drain limit keeps both; every
    /// other one goes. The trace, metrics and summary are unchanged; only the count of events
    /// processed (cancelled timers included) is lower.
    pub(super) fn compact_queue(&mut self) {
        let (first_after_end, last_before_drain) = self.cancelled_timers_to_keep();
        let nodes = &self.nodes;
        self.queue.retain(|at, seq, event| match *event {
            Event::NodeTimer { node, generation } => {
                timer_alive(nodes, node, generation)
                    || Some((at, seq)) == first_after_end
                    || Some((at, seq)) == last_before_drain
            }
            _ => true,
        });
        self.compact_at = (self.queue.len() * 2).max(self.compact_min);
    }

    /// `(at, seq)` of the earliest cancelled timer at or after the end of arrivals, and of the
    /// latest one not after the drain limit.
    pub(super) fn cancelled_timers_to_keep(&self) -> (Option<QueuePlace>, Option<QueuePlace>) {
        let (mut first, mut last): (Option<QueuePlace>, Option<QueuePlace>) = (None, None);
        self.queue.for_each(|at, seq, event| {
            if let Event::NodeTimer { node, generation } = *event {
                if timer_alive(&self.nodes, node, generation) {
                    return;
                }
                if at >= self.arrivals_end && first.is_none_or(|f| (at, seq) < f) {
                    first = Some((at, seq));
                }
                if at <= self.drain_end && last.is_none_or(|l| (at, seq) > l) {
                    last = Some((at, seq));
                }
            }
        });
        (first, last)
    }

    /// Stops the run when it passes one of its bounds (a handful of comparisons, run every
    /// [`BOUNDS_CHECK_EVENTS`] events).
    pub(super) fn check_bounds(&self) -> Result<(), RunError> {
        let passed = if self.arrivals > self.arrivals_max {
            Some((Bound::Arrivals, self.arrivals_max))
        } else if self.attempts > self.attempts_max {
            Some((Bound::Attempts, self.attempts_max))
        } else if self.nodes.len() > self.calls_in_flight_max {
            Some((Bound::CallsInFlight, self.calls_in_flight_max as u64))
        } else if self.queue.len() > self.pending_events_max {
            Some((Bound::PendingEvents, self.pending_events_max as u64))
        } else if self.stalled_events > self.stalled_events_max {
            Some((Bound::Stalled, self.stalled_events_max))
        } else {
            None
        };
        match passed {
            Some((bound, limit)) => Err(RunError::Bound { scenario: self.name.clone(), seed: self.seed, bound, limit }),
            None => Ok(()),
        }
    }
}

/// Events between two periodic checks of the bounds, the progress guard and the queue sweep.
pub(super) const BOUNDS_CHECK_EVENTS: u64 = 1_024;

/// Where an event sits in the queue's order: its time and insertion sequence.
type QueuePlace = (Instant, u64);

/// A run-time bound from an estimate: twice the estimate plus 10 000 (room for randomness).
pub(super) fn run_bound(estimate: f64) -> u64 {
    (estimate * 2.0 + 10_000.0) as u64
}
