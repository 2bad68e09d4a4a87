//! The fallback as a layer: the call goes inside; a failure the fallback handles is answered
//! with a static answer, the endpoint cache's stale entry, or a call to a secondary service.

use super::Fallback;
use crate::patterns::Failure;
use crate::patterns::contract::{CallRef, Decision, LayerId, LayerPattern, Probe, Reply, Source};
use crate::sim::TraceKind;

/// Where a fallback's answer comes from during a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FallbackTarget {
    /// A fixed answer.
    Static,
    /// The stale entry of the cache layer at this index of the run (`None`: no cache).
    StaleCache(Option<LayerId>),
    /// A call to the service at this index of the scenario.
    Service(u16),
}

/// A fallback layer during a run.
#[derive(Debug)]
pub struct FallbackLayer {
    policy: Fallback,
    target: FallbackTarget,
}

impl FallbackLayer {
    /// The layer of a policy and its resolved target.
    #[must_use]
    pub const fn new(policy: Fallback, target: FallbackTarget) -> Self {
        Self { policy, target }
    }
}

/// One call inside a fallback layer: whether it is already the secondary call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FallbackCall {
    secondary: bool,
}

impl LayerPattern for FallbackLayer {
    type Call = FallbackCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, _probe: &mut P) -> (FallbackCall, Decision) {
        (FallbackCall::default(), Decision::Forward)
    }

    fn on_reply<P: Probe>(&mut self, call: &mut FallbackCall, reply: Reply, probe: &mut P) -> Decision {
        let failure = match reply {
            Reply::Err(failure) if !call.secondary && self.policy.triggers_on(failure) => failure,
            Reply::Ok(_) if call.secondary => return served(probe, 2),
            _ => return Decision::Answer(reply),
        };
        match self.target {
            FallbackTarget::Static => served(probe, 0),
            FallbackTarget::StaleCache(Some(layer)) => Decision::AskStale { layer, failure },
            FallbackTarget::StaleCache(None) => Decision::Answer(reply),
            FallbackTarget::Service(service) => {
                call.secondary = true;
                Decision::CallService(service)
            }
        }
    }

    fn on_stale<P: Probe>(
        &mut self,
        _call: &mut FallbackCall,
        found: bool,
        failure: Failure,
        probe: &mut P,
    ) -> Decision {
        if found { served(probe, 1) } else { Decision::Answer(Reply::Err(failure)) }
    }
}

/// The fallback answers; `how` is 0 static, 1 stale cache, 2 secondary service.
fn served<P: Probe>(probe: &mut P, how: u32) -> Decision {
    probe.trace(TraceKind::FallbackServed, how);
    Decision::Answer(Reply::Ok(Source::Fallback))
}
