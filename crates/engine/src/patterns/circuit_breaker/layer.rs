//! The circuit breaker as a layer: a call goes inside with a permit or is refused; its answer
//! is recorded; a call abandoned inside gives its permit back unrecorded. The breaker's state
//! and its wake-ups (the end of the open wait, the half-open limit) go to the driver.

use super::{BreakerPermit, CallResult, CircuitBreaker};
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
        if let Some(permit) = call.take() {
            self.record(probe.now(), permit, result);
        }
        probe.trace(TraceKind::BreakerRecorded, u32::from(result != CallResult::Success));
        self.report(probe);
        Decision::Answer(reply)
    }

    fn on_layer_timer<P: Probe>(&mut self, probe: &mut P) {
        self.handle_timeout(probe.now());
        self.report(probe);
    }

    /// Open is worse than half-open, which is worse than closed.
    fn severity(&self, code: u8) -> u8 {
        match code {
            1 => 2,
            2 => 1,
            _ => 0,
        }
    }

    fn on_cancel<P: Probe>(&mut self, call: &mut Option<BreakerPermit>, _me: CallRef, probe: &mut P) {
        if let Some(permit) = call.take() {
            self.release(permit);
            probe.trace(TraceKind::BreakerReleased, 0);
        }
    }
}
