//! The trace: every arrival, layer decision, attempt, state change and completion, as compact
//! fixed-size records (24 bytes each).

use serde::Serialize;

use crate::time::Instant;

/// What a trace record says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
#[non_exhaustive]
pub enum TraceKind {
    /// A request arrived; `value` = endpoint index.
    Arrival,
    /// A fresh cache entry answered.
    CacheHit,
    /// No fresh entry; the call goes inside.
    CacheMiss,
    /// A stale entry answered after a failure.
    CacheStale,
    /// The breaker let the call through.
    BreakerPermitted,
    /// The breaker refused; `value` = 0 open, 1 half-open permits taken.
    BreakerRejected,
    /// The breaker recorded the call's result; `value` = 0 success, 1 failure.
    BreakerRecorded,
    /// The call was abandoned inside the breaker; its permit went back unrecorded.
    BreakerReleased,
    /// A bulkhead (or the client pool) gave a permit.
    BulkheadAdmitted,
    /// The call waits for a permit.
    BulkheadQueued,
    /// A bulkhead (or the client pool) refused; `value` = 0 full, 1 wait expired.
    BulkheadRejected,
    /// A retry waits `value` microseconds before attempt `attempt`.
    RetryScheduled,
    /// The retry gave up; `value` = attempts made.
    RetryGaveUp,
    /// A timeout fired.
    TimeoutFired,
    /// A fallback answered; `value` = 0 static, 1 stale cache, 2 secondary service.
    FallbackServed,
    /// Attempt `attempt` reached service `value`.
    AttemptStart,
    /// The attempt waits in the service's queue.
    AttemptQueued,
    /// The attempt's answer came back; `value` = status.
    AttemptEnd,
    /// The caller abandoned the attempt (the service may still be working on it).
    AttemptAbandoned,
    /// A layer changed state; `value` = endpoint × 256 + state code (breaker: 0 closed,
    /// 1 open, 2 half-open).
    StateChange,
    /// The request completed; `value` = outcome code.
    Complete,
    /// A bulkhead (or the client pool) got a call back: `value` = 0 the call is done and gives
    /// its permit back, 1 an outer layer abandoned it and its permit went back, 2 an outer layer
    /// abandoned it while it waited in the queue. With `BulkheadAdmitted`, `BulkheadQueued`
    /// and `BulkheadRejected` this makes occupancy exact at any instant.
    BulkheadReleased,
    /// The breaker is half-open with every probe taken, and the call waits until the probes
    /// decide (`half_open_admission: queue`).
    BreakerQueued,
    /// A layer's own event, for patterns with no kind of their own here: `value` =
    /// `code << 24 | figure`, the code being the event's index in its catalogue entry's
    /// `events` (`LayerSpec::events`) and the figure (below 2^24) what the event measured (a
    /// wait in ms, a new limit). See [`layer_event`] and [`TraceEvent::layer_event`].
    LayerEvent,
}

/// One trace record. `layer` is the index in the endpoint's stack (outermost 0), [`POOL`] for
/// the client pool, [`SERVICE`] for the service, [`NO_LAYER`] otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEvent {
    /// Virtual time in microseconds.
    pub at_us: u64,
    /// Request id (arrival order), or `u32::MAX` for events of no request.
    pub request: u32,
    /// Meaning depends on `kind`.
    pub value: u32,
    /// What happened.
    pub kind: TraceKind,
    /// Where.
    pub layer: u8,
    /// Attempt number (downstream attempts of the request so far), 0 if none.
    pub attempt: u16,
}

/// The `value` of a [`TraceKind::LayerEvent`]: the event's code and a figure (capped at
/// 2^24 − 1).
#[must_use]
pub const fn layer_event(code: u8, figure: u64) -> u32 {
    let figure = if figure > 0xff_ffff { 0xff_ffff } else { figure as u32 };
    (code as u32) << 24 | figure
}

impl TraceEvent {
    /// The code and figure of a [`TraceKind::LayerEvent`] (see [`layer_event`]).
    #[must_use]
    pub const fn layer_event(&self) -> (u8, u32) {
        ((self.value >> 24) as u8, self.value & 0xff_ffff)
    }
}

impl TraceEvent {
    /// Adds the event's every field to `hash`.
    fn hash_into(&self, hash: &mut Fnv) {
        hash.write(self.at_us);
        hash.write(u64::from(self.request) << 32 | u64::from(self.value));
        hash.write(u64::from(self.kind as u8) << 24 | u64::from(self.layer) << 16 | u64::from(self.attempt));
    }
}

/// `layer` of the client pool.
pub const POOL: u8 = 254;
/// `layer` of the service.
pub const SERVICE: u8 = 253;
/// `layer` of events not tied to a layer.
pub const NO_LAYER: u8 = 255;
/// `request` of events tied to no request.
pub const NO_REQUEST: u32 = u32::MAX;

/// The recorded events of a run, with an upper bound on their number.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Trace {
    /// The events in the order they happened.
    pub events: Vec<TraceEvent>,
    /// True if recording stopped at the bound (metrics and summary are still complete).
    pub truncated: bool,
    #[serde(skip)]
    cap: usize,
    /// The digest of the events recorded so far, kept as they are recorded: a large run's
    /// report then costs no pass over its trace (see [`Trace::recorded_digest`]).
    #[serde(skip)]
    hash: Fnv,
}

impl Trace {
    /// An empty trace keeping at most `cap` events.
    #[must_use]
    pub fn with_cap(cap: usize) -> Self {
        Self { events: Vec::new(), truncated: false, cap, hash: Fnv::default() }
    }

    /// Appends one event, unless the bound is reached.
    #[inline]
    pub(crate) fn push(&mut self, at: Instant, request: u32, kind: TraceKind, layer: u8, attempt: u16, value: u32) {
        if self.events.len() < self.cap {
            let event = TraceEvent { at_us: at.as_micros(), request, value, kind, layer, attempt };
            event.hash_into(&mut self.hash);
            self.events.push(event);
        } else {
            self.truncated = true;
        }
    }

    /// The events as CSV: `at_us,request,kind,layer,attempt,value`.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut out = Vec::new();
        let _ = self.write_csv(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the trace as CSV to `out`, record by record (nothing held but the trace).
    ///
    /// # Errors
    /// The writer's.
    pub fn write_csv(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        out.write_all(b"at_us,request,kind,layer,attempt,value\n")?;
        for e in &self.events {
            let kind =
                serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            writeln!(out, "{},{},{kind},{},{},{}", e.at_us, e.request, e.layer, e.attempt, e.value)?;
        }
        Ok(())
    }

    /// FNV-1a digest of every event: equal digests mean identical traces.
    #[must_use]
    pub fn digest(&self) -> u64 {
        let mut hash = Fnv::default();
        for e in &self.events {
            e.hash_into(&mut hash);
        }
        hash.0
    }

    /// [`Trace::digest`] of the events as recorded, without a pass over them (the same, unless
    /// `events` was changed since).
    pub(crate) const fn recorded_digest(&self) -> u64 {
        self.hash.0
    }
}

/// 64-bit FNV-1a over u64 words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv(pub(crate) u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub(crate) fn write(&mut self, word: u64) {
        for byte in word.to_le_bytes() {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_at_most_32_bytes() {
        assert!(size_of::<TraceEvent>() <= 32, "{}", size_of::<TraceEvent>());
    }

    #[test]
    fn trace_stops_at_its_cap_and_says_so() {
        let mut trace = Trace::with_cap(2);
        for i in 0..3 {
            trace.push(Instant::from_micros(i), 0, TraceKind::Arrival, NO_LAYER, 0, 0);
        }
        assert_eq!(trace.events.len(), 2);
        assert!(trace.truncated);
    }

    #[test]
    fn digest_changes_with_any_field() {
        let mut a = Trace::with_cap(10);
        a.push(Instant::from_micros(1), 0, TraceKind::Arrival, NO_LAYER, 0, 0);
        let mut b = a.clone();
        b.events[0].value = 1;
        assert_ne!(a.digest(), b.digest());
        assert_eq!(a.recorded_digest(), a.digest(), "kept as recorded, the same digest");
    }
}
