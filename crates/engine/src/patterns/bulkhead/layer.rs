//! The bulkhead (and the shared client pool, which is one) as a layer: a call goes inside with
//! a permit, waits in the queue, or is refused. A permit given back goes to the oldest waiter;
//! a waiter whose wait expires is refused.

use std::collections::VecDeque;

use super::{Admission, Bulkhead, BulkheadPermit, BulkheadSettings};
use crate::patterns::Rejection;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Released, Reply};
use crate::sim::TraceKind;

/// One call in a bulkhead layer: its permit, once it has one, and whether it went inside
/// (its admission traced).
#[derive(Debug, Default)]
pub struct BulkheadCall {
    permit: Option<BulkheadPermit>,
    admitted: bool,
}

/// A bulkhead layer during a run: the machine, the rejections it answers with, and the
/// waiters it is letting go.
#[derive(Debug)]
pub struct BulkheadLayer {
    bulkhead: Bulkhead<CallRef>,
    /// The rejection of a call that finds no room.
    full: Rejection,
    /// The rejection of a call whose wait expires.
    expired: Rejection,
    /// Waiters let go, oldest first, with the permit handed to each (none: wait expired).
    leaving: VecDeque<(CallRef, Option<BulkheadPermit>)>,
    /// The permit of the waiter just released, until the driver hands it over.
    in_hand: Option<BulkheadPermit>,
}

impl BulkheadLayer {
    /// A bulkhead layer.
    #[must_use]
    pub fn bulkhead(settings: BulkheadSettings) -> Self {
        Self::new(settings, Rejection::BulkheadFull, Rejection::BulkheadWaitExpired)
    }

    /// The shared client worker pool, a bulkhead whose refusals say so.
    #[must_use]
    pub fn client_pool(settings: BulkheadSettings) -> Self {
        Self::new(settings, Rejection::ClientPoolFull, Rejection::ClientPoolFull)
    }

    fn new(settings: BulkheadSettings, full: Rejection, expired: Rejection) -> Self {
        Self { bulkhead: Bulkhead::new(settings), full, expired, leaving: VecDeque::new(), in_hand: None }
    }

    /// Reports the occupancy, then records `kind` for the call being handled.
    fn note<P: Probe>(&self, probe: &mut P, kind: TraceKind, value: u32) {
        let stats = self.bulkhead.stats();
        probe.occupancy(stats.in_use, stats.waiting);
        probe.trace(kind, value);
    }

    /// Gives a permit back; the oldest waiter, if any, is let go with it.
    fn give_back(&mut self, permit: Option<BulkheadPermit>) {
        if let Some((waiter, permit)) = permit.and_then(|permit| self.bulkhead.release(permit)) {
            self.leaving.push_back((waiter, Some(permit)));
        }
    }
}

impl LayerPattern for BulkheadLayer {
    type Call = BulkheadCall;

    fn enter<P: Probe>(&mut self, me: CallRef, probe: &mut P) -> (BulkheadCall, Decision) {
        match self.bulkhead.try_acquire(probe.now(), me) {
            Admission::Admitted(permit) => {
                self.note(probe, TraceKind::BulkheadAdmitted, 0);
                (BulkheadCall { permit: Some(permit), admitted: true }, Decision::Forward)
            }
            Admission::Waiting => {
                let wanted = self.bulkhead.poll_timeout();
                self.note(probe, TraceKind::BulkheadQueued, 0);
                probe.wake_layer_at(wanted);
                (BulkheadCall::default(), Decision::Park)
            }
            Admission::Rejected(_) => {
                self.note(probe, TraceKind::BulkheadRejected, 0);
                probe.count(Counter::Rejected);
                (BulkheadCall::default(), Decision::reject(self.full))
            }
        }
    }

    fn on_reply<P: Probe>(&mut self, call: &mut BulkheadCall, reply: Reply, probe: &mut P) -> Decision {
        self.give_back(call.permit.take());
        probe.trace(TraceKind::BulkheadReleased, 0);
        Decision::Answer(reply)
    }

    /// A released waiter goes inside.
    fn on_wake<P: Probe>(&mut self, call: &mut BulkheadCall, probe: &mut P) -> Decision {
        call.admitted = true;
        self.note(probe, TraceKind::BulkheadAdmitted, 0);
        Decision::Forward
    }

    fn on_layer_timer<P: Probe>(&mut self, probe: &mut P) {
        while let Some(waiter) = self.bulkhead.handle_timeout(probe.now()) {
            self.leaving.push_back((waiter, None));
        }
        probe.wake_layer_at(self.bulkhead.poll_timeout());
    }

    fn has_released(&self) -> bool {
        !self.leaving.is_empty()
    }

    fn next_released<P: Probe>(&mut self, probe: &mut P) -> Option<Released> {
        let (call, permit) = self.leaving.pop_front()?;
        if permit.is_some() {
            self.in_hand = permit;
            return Some(Released { call, decision: Decision::Forward, note: None });
        }
        let stats = self.bulkhead.stats();
        probe.occupancy(stats.in_use, stats.waiting);
        probe.count(Counter::Rejected);
        Some(Released { call, decision: Decision::reject(self.expired), note: Some((TraceKind::BulkheadRejected, 1)) })
    }

    fn hand_over(&mut self, call: &mut BulkheadCall) {
        call.permit = self.in_hand.take();
    }

    fn on_cancel<P: Probe>(&mut self, call: &mut BulkheadCall, me: CallRef, probe: &mut P) {
        match call.permit.take() {
            Some(permit) => {
                self.give_back(Some(permit));
                // Handed a permit but abandoned before it went inside (a hedge's sibling
                // cancelled in the same instant): it leaves the queue, never admitted.
                probe.trace(TraceKind::BulkheadReleased, if call.admitted { 1 } else { 2 });
            }
            None => {
                if self.bulkhead.cancel_wait(me) {
                    probe.trace(TraceKind::BulkheadReleased, 2);
                }
            }
        }
    }
}
