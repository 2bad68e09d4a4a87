//! The circuit breaker as a layer: a call goes inside with a permit or is refused; its answer
//! is recorded; a call abandoned inside gives its permit back unrecorded. The breaker's state
//! and its wake-ups (the end of the open wait, the half-open limit) go to the driver.

use std::collections::{BTreeMap, VecDeque};

use super::{BreakerPermit, BreakerSettings, CallResult, CircuitBreaker, HalfOpenAdmission, Recorded};
use crate::patterns::Rejection;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Released, Reply};
use crate::sim::TraceKind;

/// A circuit breaker during a run: the machine, and the calls waiting in half-open until the
/// probes decide (`half_open_admission: queue`).
///
/// ```text
///   enter ──permit──────────────────> inside ──answer──> recorded
///   enter ──refused─────────────────> rejected
///   enter ──half-open, probes taken──> queued ──probes decide: closed / a permit frees──> inside
///                                            └─probes decide: open again──────────────> rejected
/// ```
#[derive(Debug)]
pub struct BreakerLayer {
    breaker: CircuitBreaker,
    queue_when_full: bool,
    /// Calls waiting in half-open, oldest first, each with its ticket.
    parked: VecDeque<(u64, CallRef)>,
    /// The ticket of each call still waiting (one withdrawn by an outer layer is absent, so
    /// its entry in `parked` is skipped: withdrawing is O(log n), not a scan).
    live: BTreeMap<CallRef, u64>,
    next_ticket: u64,
    /// Waiting calls let go, with a permit or the rejection they get.
    leaving: VecDeque<(CallRef, Result<BreakerPermit, Rejection>)>,
    /// The permit of the call just let go, until the driver hands it over.
    in_hand: Option<BreakerPermit>,
}

impl BreakerLayer {
    /// The layer of checked settings.
    #[must_use]
    pub fn new(settings: BreakerSettings) -> Self {
        Self {
            queue_when_full: settings.half_open_admission == HalfOpenAdmission::Queue,
            breaker: CircuitBreaker::new(&settings),
            parked: VecDeque::new(),
            live: BTreeMap::new(),
            next_ticket: 0,
            leaving: VecDeque::new(),
            in_hand: None,
        }
    }

    /// The machine.
    #[must_use]
    pub const fn breaker(&self) -> &CircuitBreaker {
        &self.breaker
    }

    /// Tells the driver the breaker's state and when it wants waking.
    fn report<P: Probe>(&self, probe: &mut P) {
        probe.state(self.breaker.state().code());
        probe.wake_layer_at(self.breaker.poll_timeout());
    }

    /// Lets waiting calls go once the probes have decided (or a probe permit is free): each
    /// gets a permit, or the breaker's refusal.
    fn admit_waiting(&mut self, now: crate::time::Instant) {
        while let Some(&(ticket, call)) = self.parked.front() {
            if self.live.get(&call) != Some(&ticket) {
                self.parked.pop_front();
                continue;
            }
            let admission = self.breaker.try_acquire(now);
            if admission == Err(Rejection::HalfOpenFull) {
                return;
            }
            self.parked.pop_front();
            self.live.remove(&call);
            self.leaving.push_back((call, admission));
        }
    }
}

impl LayerPattern for BreakerLayer {
    type Call = Option<BreakerPermit>;

    fn enter<P: Probe>(&mut self, me: CallRef, probe: &mut P) -> (Option<BreakerPermit>, Decision) {
        let admission = self.breaker.try_acquire(probe.now());
        self.report(probe);
        match admission {
            Ok(permit) => {
                probe.trace(TraceKind::BreakerPermitted, 0);
                (Some(permit), Decision::Forward)
            }
            Err(Rejection::HalfOpenFull) if self.queue_when_full => {
                let ticket = self.next_ticket;
                self.next_ticket += 1;
                self.parked.push_back((ticket, me));
                self.live.insert(me, ticket);
                probe.trace(TraceKind::BreakerQueued, 0);
                (None, Decision::Park)
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
        let outcome = match call.take().map(|permit| self.breaker.record(probe.now(), permit, result)) {
            Some(Recorded::Success { .. }) => RecordedOutcome::Success,
            Some(Recorded::Failure { .. }) => RecordedOutcome::Failure,
            Some(Recorded::Ignored) => RecordedOutcome::Ignored,
            Some(Recorded::NotCounted) | None => RecordedOutcome::NotCounted,
        };
        let metrics = self.breaker.metrics();
        let note = RecordedNote {
            outcome,
            failure_rate_pct: metrics.failure_rate,
            slow_call_rate_pct: metrics.slow_call_rate,
        };
        probe.trace(TraceKind::BreakerRecorded, note.encode());
        self.admit_waiting(probe.now());
        self.report(probe);
        Decision::Answer(reply)
    }

    /// A waiting call let go with a permit goes inside.
    fn on_wake<P: Probe>(&mut self, _call: &mut Option<BreakerPermit>, probe: &mut P) -> Decision {
        probe.trace(TraceKind::BreakerPermitted, 0);
        Decision::Forward
    }

    fn on_layer_timer<P: Probe>(&mut self, probe: &mut P) {
        self.breaker.handle_timeout(probe.now());
        self.admit_waiting(probe.now());
        self.report(probe);
    }

    fn has_released(&self) -> bool {
        !self.leaving.is_empty()
    }

    fn next_released<P: Probe>(&mut self, probe: &mut P) -> Option<Released> {
        let (call, admission) = self.leaving.pop_front()?;
        Some(match admission {
            Ok(permit) => {
                self.in_hand = Some(permit);
                Released { call, decision: Decision::Forward, note: None }
            }
            Err(rejection) => {
                probe.count(Counter::Rejected);
                let half_open = u32::from(rejection == Rejection::HalfOpenFull);
                Released {
                    call,
                    decision: Decision::reject(rejection),
                    note: Some((TraceKind::BreakerRejected, half_open)),
                }
            }
        })
    }

    fn hand_over(&mut self, call: &mut Option<BreakerPermit>) {
        *call = self.in_hand.take();
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
        self.breaker.state().code()
    }

    /// A call abandoned inside gives its permit back unrecorded; one abandoned while it waited
    /// leaves the queue (value 1).
    fn on_cancel<P: Probe>(&mut self, call: &mut Option<BreakerPermit>, me: CallRef, probe: &mut P) {
        if let Some(permit) = call.take() {
            self.breaker.release(permit);
            probe.trace(TraceKind::BreakerReleased, 0);
        } else if self.live.remove(&me).is_some() {
            probe.trace(TraceKind::BreakerReleased, 1);
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
