//! The retry as a layer: each attempt goes inside; after a failure the policy decides whether
//! to wait and try again or to give the failure to the caller.

use super::{Retry, RetryCall, RetryDecision};
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Reply};
use crate::rng::Stream;
use crate::sim::TraceKind;

/// A retry layer during a run: its policy and its own stream of jitter.
#[derive(Debug)]
pub struct RetryLayer {
    policy: Retry,
    jitter: Stream,
}

impl RetryLayer {
    /// The layer of a policy, drawing its jitter from `jitter`.
    #[must_use]
    pub const fn new(policy: Retry, jitter: Stream) -> Self {
        Self { policy, jitter }
    }
}

impl LayerPattern for RetryLayer {
    type Call = RetryCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, _probe: &mut P) -> (RetryCall, Decision) {
        (self.policy.start(), Decision::Forward)
    }

    fn on_reply<P: Probe>(&mut self, call: &mut RetryCall, reply: Reply, probe: &mut P) -> Decision {
        let Reply::Err(failure) = reply else { return Decision::Answer(reply) };
        match self.policy.on_failure(call, failure, &mut self.jitter) {
            RetryDecision::RetryAfter { delay_us, .. } => {
                probe.count(Counter::Retry);
                probe.trace(TraceKind::RetryScheduled, delay_us.min(u64::from(u32::MAX)) as u32);
                Decision::WaitUntil(probe.now().plus_micros(delay_us))
            }
            RetryDecision::GiveUp => {
                probe.trace(TraceKind::RetryGaveUp, call.attempts());
                Decision::Answer(reply)
            }
        }
    }
}
