//! The timeout as a layer: the call goes inside with a deadline; if the deadline comes first,
//! the inner work is abandoned and the call fails with a timeout.

use super::Timeout;
use crate::patterns::Failure;
use crate::patterns::contract::{CallRef, Decision, LayerPattern, Probe, Reply};
use crate::sim::TraceKind;

impl LayerPattern for Timeout {
    type Call = ();

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> ((), Decision) {
        ((), Decision::ForwardUntil(self.deadline(probe.now())))
    }

    fn on_reply<P: Probe>(&mut self, _call: &mut (), reply: Reply, _probe: &mut P) -> Decision {
        Decision::Answer(reply)
    }

    fn on_wake<P: Probe>(&mut self, _call: &mut (), _probe: &mut P) -> Decision {
        Decision::CancelInner { then: Reply::Err(Failure::Timeout), note: (TraceKind::TimeoutFired, 0) }
    }
}
