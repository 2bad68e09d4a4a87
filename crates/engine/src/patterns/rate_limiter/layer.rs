//! The rate limiter as a layer: a call goes inside with a permit, waits for a reserved one, or
//! is refused (resilience4j: after waiting its whole `max_wait`).

use super::{Permit, RateLimiter, RateLimiterSettings};
use crate::patterns::Rejection;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Reply};
use crate::sim::{Outcome, TraceKind, layer_event};

/// The layer's own trace events (`TraceKind::LayerEvent` codes; words in `spec.rs`).
pub(super) mod event {
    /// The call waits for a reserved permit (figure: the wait in ms); it goes inside after.
    pub const WAITS: u8 = 0;
    /// The call is refused: no permit within `max_wait`.
    pub const REFUSED: u8 = 1;
    /// The call waits `max_wait` (figure: ms) and will then be refused (resilience4j).
    pub const WAITS_TO_BE_REFUSED: u8 = 2;
}

/// A rate limiter during a run: the limiter and how many calls wait in it.
#[derive(Debug)]
pub struct RateLimiterLayer {
    limiter: RateLimiter,
    waiting: u32,
}

impl RateLimiterLayer {
    /// The layer of checked settings, at the start of the run.
    #[must_use]
    pub fn new(settings: RateLimiterSettings) -> Self {
        Self { limiter: RateLimiter::new(settings), waiting: 0 }
    }

    /// The limiter.
    #[must_use]
    pub const fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    fn refuse<P: Probe>(probe: &mut P) -> Decision {
        probe.count(Counter::Rejected);
        probe.trace(TraceKind::LayerEvent, layer_event(event::REFUSED, 0));
        Decision::reject(Rejection::Refused(Outcome::RejectedByRateLimiter))
    }

    fn wait_until<P: Probe>(&mut self, probe: &mut P, wait_us: u64, code: u8) -> Decision {
        self.waiting += 1;
        probe.occupancy(0, self.waiting);
        probe.trace(TraceKind::LayerEvent, layer_event(code, wait_us / 1_000));
        Decision::WaitUntil(probe.now().plus_micros(wait_us))
    }

    fn stop_waiting<P: Probe>(&mut self, probe: &mut P) {
        self.waiting = self.waiting.saturating_sub(1);
        probe.occupancy(0, self.waiting);
    }
}

/// Where one call stands in the limiter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RateLimiterCall {
    /// Inside with its permit (or already answered).
    #[default]
    Inside,
    /// Waiting for its reserved permit.
    Waiting,
    /// Waiting out `max_wait` before its refusal.
    WaitingToBeRefused,
}

impl LayerPattern for RateLimiterLayer {
    type Call = RateLimiterCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> (RateLimiterCall, Decision) {
        match self.limiter.acquire(probe.now().as_micros()) {
            Permit::Now => (RateLimiterCall::Inside, Decision::Forward),
            Permit::After(wait_us) => (RateLimiterCall::Waiting, self.wait_until(probe, wait_us, event::WAITS)),
            Permit::Refused(0) => (RateLimiterCall::Inside, Self::refuse(probe)),
            Permit::Refused(wait_us) => {
                (RateLimiterCall::WaitingToBeRefused, self.wait_until(probe, wait_us, event::WAITS_TO_BE_REFUSED))
            }
        }
    }

    fn on_reply<P: Probe>(&mut self, _call: &mut RateLimiterCall, reply: Reply, _probe: &mut P) -> Decision {
        Decision::Answer(reply)
    }

    fn on_wake<P: Probe>(&mut self, call: &mut RateLimiterCall, probe: &mut P) -> Decision {
        let was = core::mem::take(call);
        self.stop_waiting(probe);
        match was {
            RateLimiterCall::WaitingToBeRefused => Self::refuse(probe),
            RateLimiterCall::Waiting | RateLimiterCall::Inside => Decision::Forward,
        }
    }

    fn on_cancel<P: Probe>(&mut self, call: &mut RateLimiterCall, _me: CallRef, probe: &mut P) {
        if core::mem::take(call) != RateLimiterCall::Inside {
            self.stop_waiting(probe);
        }
    }
}
