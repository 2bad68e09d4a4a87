//! The circuit breaker as a layer: a call goes inside with a permit or is refused; its answer
//! is recorded; a call abandoned inside gives its permit back unrecorded. The breaker's state
//! and its wake-ups (the end of the open wait, the half-open limit) go to the driver.

use super::{BreakerPermit, CallResult, CircuitBreaker, Recorded};
use crate::patterns::Rejection;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Reply};
use crate::sim::TraceKind;

impl CircuitBreaker {
    /// Tells the driver the breaker's state and when it wants waking.
    fn report<P: Probe>(&self, probe: &mut P) {
        probe.state(self.state().code());
        probe.wake_layer_at(self.poll_timeout());
    }
}

impl LayerPattern for CircuitBreaker {
    type Call = Option<BreakerPermit>;

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> (Option<BreakerPermit>, Decision) {
        let admission = self.try_acquire(probe.now());
        self.report(probe);
        match admission {
            Ok(permit) => {
                probe.trace(TraceKind::BreakerPermitted, 0);
                (Some(permit), Decision::Forward)
            }
            Err(rejection) => {
                probe.trace(TraceKind::BreakerRejected, u32::from(rejection == Rejection::HalfOpenFull));
                probe.count(Counter::Rejected);
                (None, Decision::reject(rejection))
            }
        }
    }

    fn on_reply<P: Probe>(&mut self, call: &mut Option<BreakerPermit>, reply: Reply, probe: &mut P) -> Decision {
        let result = match reply {
            Reply::Ok(_) => CallResult::Success,
            Reply::Err(failure) => CallResult::Failure(failure.kind()),
        };
        let outcome = match call.take().map(|permit| self.record(probe.now(), permit, result)) {
            Some(Recorded::Success { .. }) => RecordedOutcome::Success,
            Some(Recorded::Failure { .. }) => RecordedOutcome::Failure,
            Some(Recorded::Ignored) => RecordedOutcome::Ignored,
            Some(Recorded::NotCounted) | None => RecordedOutcome::NotCounted,
        };
        let metrics = self.metrics();
        let note = RecordedNote {
            outcome,
            failure_rate_pct: metrics.failure_rate,
            slow_call_rate_pct: metrics.slow_call_rate,
        };
        probe.trace(TraceKind::BreakerRecorded, note.encode());
        self.report(probe);
        Decision::Answer(reply)
    }

    fn on_layer_timer<P: Probe>(&mut self, probe: &mut P) {
        self.handle_timeout(probe.now());
        self.report(probe);
    }

    /// Open (and forced open) is worse than half-open, which is worse than the rest.
    fn severity(&self, code: u8) -> u8 {
        match code {
            1 | 4 => 2,
            2 => 1,
            _ => 0,
        }
    }

    fn initial_state(&self) -> u8 {
        self.state().code()
    }

    fn on_cancel<P: Probe>(&mut self, call: &mut Option<BreakerPermit>, _me: CallRef, probe: &mut P) {
        if let Some(permit) = call.take() {
            self.release(permit);
            probe.trace(TraceKind::BreakerReleased, 0);
        }
    }
}

/// How the breaker counted a call's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordedOutcome {
    /// Counted as a success (a failure of a kind not in `record` counts as one).
    Success,
    /// Counted as a failure.
    Failure,
    /// A kind in `ignore`: nothing was counted.
    Ignored,
    /// Not counted (the breaker is disabled or forced open, or the permit predates a
    /// transition).
    NotCounted,
}

/// What a `BreakerRecorded` trace record says: how the call was counted, and the rates the
/// breaker judged by right after (its own window, `record` and `ignore` respected), packed
/// into the record's value. The playground shows these instead of recomputing them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecordedNote {
    /// How the call was counted.
    pub outcome: RecordedOutcome,
    /// Failure rate in percent (to 0.01 %); `None` below the minimum number of calls.
    pub failure_rate_pct: Option<f64>,
    /// Slow-call rate in percent (to 0.01 %); `None` below the minimum number of calls.
    pub slow_call_rate_pct: Option<f64>,
}

impl RecordedNote {
    /// The trace value: outcome in bits 0-1, failure and slow-call rates in hundredths of a
    /// percent plus one (0: not computed) in bits 2-15 and 16-29.
    #[must_use]
    pub fn encode(self) -> u32 {
        let outcome = match self.outcome {
            RecordedOutcome::Success => 0,
            RecordedOutcome::Failure => 1,
            RecordedOutcome::Ignored => 2,
            RecordedOutcome::NotCounted => 3,
        };
        outcome | rate_bits(self.failure_rate_pct) << 2 | rate_bits(self.slow_call_rate_pct) << 16
    }

    /// Reads a trace value written by [`RecordedNote::encode`].
    #[must_use]
    pub fn decode(value: u32) -> Self {
        let outcome = match value & 0b11 {
            0 => RecordedOutcome::Success,
            1 => RecordedOutcome::Failure,
            2 => RecordedOutcome::Ignored,
            _ => RecordedOutcome::NotCounted,
        };
        Self { outcome, failure_rate_pct: rate_of(value >> 2), slow_call_rate_pct: rate_of(value >> 16) }
    }
}

/// A rate in percent as 14 bits: hundredths of a percent plus one, 0 for none.
fn rate_bits(rate_pct: Option<f64>) -> u32 {
    rate_pct.filter(|r| r.is_finite()).map_or(0, |r| (r.clamp(0.0, 100.0) * 100.0).round() as u32 + 1)
}

/// The rate of 14 bits written by [`rate_bits`].
fn rate_of(bits: u32) -> Option<f64> {
    match bits & 0x3fff {
        0 => None,
        n => Some(f64::from(n - 1) / 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_notes_round_trip_through_the_trace_value() {
        for outcome in
            [RecordedOutcome::Success, RecordedOutcome::Failure, RecordedOutcome::Ignored, RecordedOutcome::NotCounted]
        {
            for (failure, slow) in
                [(None, None), (Some(0.0), Some(100.0)), (Some(42.17), None), (Some(100.0), Some(3.5))]
            {
                let note = RecordedNote { outcome, failure_rate_pct: failure, slow_call_rate_pct: slow };
                assert_eq!(RecordedNote::decode(note.encode()), note);
            }
        }
        let odd = RecordedNote {
            outcome: RecordedOutcome::Failure,
            failure_rate_pct: Some(f64::NAN),
            slow_call_rate_pct: Some(250.0),
        };
        assert_eq!(RecordedNote::decode(odd.encode()).failure_rate_pct, None);
        assert_eq!(RecordedNote::decode(odd.encode()).slow_call_rate_pct, Some(100.0));
    }
}
