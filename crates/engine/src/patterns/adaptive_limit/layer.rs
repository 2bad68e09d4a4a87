//! The adaptive limit as a layer: a call goes inside while the calls inside are below the
//! limit, and its answer moves the limit (traced as the layer's own events, with the new limit
//! as the figure, so a chart can draw the limit beside the calls in flight).

use super::{AdaptiveLimit, AdaptiveSettings, Sample};
use crate::patterns::Rejection;
use crate::patterns::contract::{CallRef, Counter, Decision, LayerPattern, Probe, Reply};
use crate::rng::Stream;
use crate::sim::{Outcome, TraceKind, layer_event};

/// The layer's own trace events (`TraceKind::LayerEvent` codes; words in `spec.rs`).
pub mod event {
    /// The call is refused: the calls inside are at the limit (figure: the limit).
    pub const REFUSED: u8 = 0;
    /// The call's answer raised the limit (figure: the new limit).
    pub const RAISED: u8 = 1;
    /// The call's answer lowered the limit (figure: the new limit).
    pub const LOWERED: u8 = 2;
    /// A call went inside or left (figure: the calls inside now), so the calls in flight can be
    /// read at any instant of the trace.
    pub const IN_FLIGHT: u8 = 3;
}

/// An adaptive limit during a run: the limit, the calls inside, and the layer's random stream.
#[derive(Debug)]
pub struct AdaptiveLimitLayer {
    limit: AdaptiveLimit,
    in_flight: u32,
    random: Stream,
}

impl AdaptiveLimitLayer {
    /// The layer of checked settings at the start of the run, drawing from `random`.
    #[must_use]
    pub fn new(settings: AdaptiveSettings, mut random: Stream) -> Self {
        Self { limit: AdaptiveLimit::new(settings, &mut random), in_flight: 0, random }
    }

    /// The limit and its algorithm.
    #[must_use]
    pub const fn limit(&self) -> &AdaptiveLimit {
        &self.limit
    }

    /// Calls inside now.
    #[must_use]
    pub const fn in_flight(&self) -> u32 {
        self.in_flight
    }

    fn leave<P: Probe>(&mut self, call: &mut AdaptiveCall, probe: &mut P) -> bool {
        let was_inside = core::mem::take(&mut call.inside);
        if was_inside {
            self.in_flight = self.in_flight.saturating_sub(1);
            in_flight_now(probe, self.in_flight);
        }
        was_inside
    }
}

/// Reports the calls inside now, to the metrics and the trace.
fn in_flight_now<P: Probe>(probe: &mut P, in_flight: u32) {
    probe.occupancy(in_flight, 0);
    probe.trace(TraceKind::LayerEvent, layer_event(event::IN_FLIGHT, u64::from(in_flight)));
}

/// Traces a change of the limit, with the new limit as the figure.
fn report<P: Probe>(probe: &mut P, before: u32, after: u32) {
    if after != before {
        let code = if after > before { event::RAISED } else { event::LOWERED };
        probe.trace(TraceKind::LayerEvent, layer_event(code, u64::from(after)));
    }
}

/// What one call keeps: when it entered and how many were inside then.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AdaptiveCall {
    /// When the call went inside, in microseconds.
    entered_us: u64,
    /// Calls inside when it went in, itself included.
    inflight: u32,
    /// True while the call holds a place inside.
    inside: bool,
}

impl LayerPattern for AdaptiveLimitLayer {
    type Call = AdaptiveCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> (AdaptiveCall, Decision) {
        let before = self.limit.limit();
        let limit = self.limit.advance(probe.now().as_micros());
        report(probe, before, limit);
        if self.in_flight >= limit {
            probe.count(Counter::Rejected);
            probe.trace(TraceKind::LayerEvent, layer_event(event::REFUSED, u64::from(limit)));
            return (AdaptiveCall::default(), Decision::reject(Rejection::Refused(Outcome::RejectedByBulkhead)));
        }
        self.in_flight += 1;
        in_flight_now(probe, self.in_flight);
        let call = AdaptiveCall { entered_us: probe.now().as_micros(), inflight: self.in_flight, inside: true };
        (call, Decision::Forward)
    }

    fn on_reply<P: Probe>(&mut self, call: &mut AdaptiveCall, reply: Reply, probe: &mut P) -> Decision {
        if self.leave(call, probe) {
            let dropped = matches!(reply, Reply::Err(failure) if self.limit.is_drop(failure.kind()));
            let rtt_us = probe.now().as_micros().saturating_sub(call.entered_us);
            let before = self.limit.limit();
            let sample = Sample { rtt_us, inflight: call.inflight, dropped, started_us: call.entered_us };
            let after = self.limit.on_sample(sample, &mut self.random);
            report(probe, before, after);
        }
        Decision::Answer(reply)
    }

    /// An abandoned call gives its place back and is no sample (Netflix's `onIgnore`).
    fn on_cancel<P: Probe>(&mut self, call: &mut AdaptiveCall, _me: CallRef, probe: &mut P) {
        self.leave(call, probe);
    }
}
