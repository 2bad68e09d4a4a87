//! Hedging as a layer: the first attempt goes inside with a wake-up at the hedge delay; each
//! wake-up or handled failure may start another attempt beside it; the first acceptable answer
//! is the call's, and the attempts still in flight are cancelled.

use super::{HedgeMode, HedgingSettings, LatencyWindow};
use crate::patterns::contract::{CallRef, Decision, LayerPattern, Probe, Reply};
use crate::sim::{TraceKind, layer_event};
use crate::time::Instant;

/// The layer's own trace events (`TraceKind::LayerEvent` codes; words in `spec.rs`).
pub(super) mod event {
    /// A hedged attempt started (figure: its number, 1 for the first hedge).
    pub const HEDGED: u8 = 0;
    /// A hedged attempt's answer won (figure: its number).
    pub const HEDGE_WON: u8 = 1;
    /// The first attempt's answer won although hedges were sent.
    pub const FIRST_WON: u8 = 2;
}

/// A hedging layer during a run: its settings and, in percentile mode, the latencies it saw.
#[derive(Debug)]
pub struct HedgingLayer {
    settings: HedgingSettings,
    latencies: LatencyWindow,
}

impl HedgingLayer {
    /// The layer of checked settings.
    #[must_use]
    pub fn new(settings: HedgingSettings) -> Self {
        let latencies = LatencyWindow::new(settings.period_us, settings.percentile, settings.min_data_points);
        Self { settings, latencies }
    }

    /// When the next hedged attempt is due, started at `now` (`None`: only after a failure).
    fn next_hedge_at(&mut self, now: Instant) -> Option<Instant> {
        let delay_us = match self.settings.mode {
            HedgeMode::Latency => Some(self.settings.delay_us),
            HedgeMode::Parallel => Some(0),
            HedgeMode::Fallback => None,
            HedgeMode::Percentile => self.latencies.delay_us(now.as_micros()),
        };
        delay_us.map(|us| now.plus_micros(us))
    }

    /// Starts the next attempt beside those in flight, if any is left.
    fn hedge<P: Probe>(&mut self, call: &mut HedgeCall, probe: &mut P) -> Option<Decision> {
        if call.started > self.settings.max_hedged {
            call.next_at = None;
            return None;
        }
        probe.trace(TraceKind::LayerEvent, layer_event(event::HEDGED, call.started.into()));
        call.started += 1;
        call.in_flight += 1;
        let more = call.started <= self.settings.max_hedged;
        call.next_at = if more { self.next_hedge_at(probe.now()) } else { None };
        Some(Decision::ForwardAnother(call.next_at))
    }

    /// The call ends with `reply`; the attempts still in flight are cancelled.
    fn win<P: Probe>(&mut self, call: &HedgeCall, reply: Reply, probe: &mut P) -> Decision {
        // Only the percentile mode reads latencies: the others keep none.
        if matches!(reply, Reply::Ok(_)) && self.settings.mode == HedgeMode::Percentile {
            let latency_us = probe.now().micros_since(call.entered);
            self.latencies.record(probe.now().as_micros(), latency_us);
        }
        let inner = probe.inner();
        let note = match inner {
            0 => layer_event(event::FIRST_WON, 0),
            n => layer_event(event::HEDGE_WON, n.into()),
        };
        match (call.in_flight, call.started) {
            (0, 1) => Decision::Answer(reply),
            (0, _) => {
                probe.trace(TraceKind::LayerEvent, note);
                Decision::Answer(reply)
            }
            _ => Decision::CancelInner { then: reply, note: (TraceKind::LayerEvent, note) },
        }
    }
}

/// One call inside a hedging layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HedgeCall {
    entered: Instant,
    /// Attempts started (the first included).
    started: u8,
    in_flight: u8,
    /// When the next hedged attempt is due (`None`: not by time).
    next_at: Option<Instant>,
}

impl LayerPattern for HedgingLayer {
    type Call = HedgeCall;

    fn enter<P: Probe>(&mut self, _me: CallRef, probe: &mut P) -> (HedgeCall, Decision) {
        let now = probe.now();
        let next_at = self.next_hedge_at(now);
        let call = HedgeCall { entered: now, started: 1, in_flight: 1, next_at };
        let decision = next_at.map_or(Decision::Forward, Decision::ForwardUntil);
        (call, decision)
    }

    fn on_wake<P: Probe>(&mut self, call: &mut HedgeCall, probe: &mut P) -> Decision {
        match call.next_at {
            Some(due) if probe.now() >= due => self.hedge(call, probe).unwrap_or(Decision::Park),
            _ => Decision::Park,
        }
    }

    fn on_reply<P: Probe>(&mut self, call: &mut HedgeCall, reply: Reply, probe: &mut P) -> Decision {
        call.in_flight = call.in_flight.saturating_sub(1);
        let handled = match reply {
            Reply::Ok(_) => false,
            Reply::Err(failure) => self.settings.handle.contains(failure.kind()),
        };
        if !handled {
            return self.win(call, reply, probe);
        }
        if let Some(next) = self.hedge(call, probe) {
            return next;
        }
        // Every attempt failed: the last failure is the call's.
        if call.in_flight > 0 { Decision::Park } else { Decision::Answer(reply) }
    }
}
