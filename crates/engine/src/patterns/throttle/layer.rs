//! The throttle as a layer: a call is refused locally with the throttle's probability, or sent
//! and its answer recorded as accepted or not.

use super::{Throttle, ThrottleSettings};
use crate::patterns::Rejection;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Random, Reply};
use crate::rng::Stream;
use crate::sim::{Outcome, TraceKind, layer_event};

/// The layer's own trace events (`TraceKind::LayerEvent` codes; words in `spec.rs`).
pub mod event {
    /// The call is refused locally (figure: the refusal probability, in percent).
    pub const REFUSED: u8 = 0;
    /// The backend did not accept the call (figure: the refusal probability now, in percent).
    pub const NOT_ACCEPTED: u8 = 1;
    /// The backend accepted the call (figure: the refusal probability now, in percent).
    pub const ACCEPTED: u8 = 2;
}

/// A throttle during a run: its window and the layer's random stream.
#[derive(Debug)]
pub struct ThrottleLayer {
    throttle: Throttle,
    random: Stream,
}

impl ThrottleLayer {
    /// The layer of checked settings at the start of the run, drawing from `random`.
    #[must_use]
    pub fn new(settings: ThrottleSettings, random: Stream) -> Self {
        Self { throttle: Throttle::new(settings), random }
    }

    /// The throttle.
    #[must_use]
    pub const fn throttle(&self) -> &Throttle {
        &self.throttle
    }
}

/// A probability as a whole percent, for a trace figure.
fn percent(p: f64) -> u64 {
    (p * 100.0).round() as u64
}

/// What one call keeps: whether it was sent (and its answer is still to be recorded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThrottleCall {
    sent: bool,
}

impl LayerPattern for ThrottleLayer {
    type Call = ThrottleCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> (ThrottleCall, Decision) {
        let now_us = probe.now().as_micros();
        let p = self.throttle.rejection(now_us);
        if self.throttle.admit(now_us, Random::unit(&mut self.random)) {
            return (ThrottleCall { sent: true }, Decision::Forward);
        }
        probe.count(Counter::Rejected);
        probe.trace(TraceKind::LayerEvent, layer_event(event::REFUSED, percent(p)));
        (ThrottleCall::default(), Decision::reject(Rejection::Refused(Outcome::RejectedByRateLimiter)))
    }

    fn on_reply<P: Probe>(&mut self, call: &mut ThrottleCall, reply: Reply, probe: &mut P) -> Decision {
        if core::mem::take(&mut call.sent) {
            let accepted = !matches!(reply, Reply::Err(failure) if self.throttle.records(failure.kind()));
            let now_us = probe.now().as_micros();
            self.throttle.record(now_us, accepted);
            let code = if accepted { event::ACCEPTED } else { event::NOT_ACCEPTED };
            probe.trace(TraceKind::LayerEvent, layer_event(code, percent(self.throttle.rejection(now_us))));
        }
        Decision::Answer(reply)
    }
}
