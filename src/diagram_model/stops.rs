//! From trace events to each request's stops (one pass over the trace), and from two stops to
//! a dot's position between them.

use resilience_engine::sim::{NO_LAYER, NO_REQUEST, POOL, SERVICE, TraceEvent, TraceKind};

use super::{Dot, MarkKind, Station, StationKind, Steps, Tint};

/// What happens at a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StopKind {
    /// The call leaves the client.
    Start,
    /// The answer reaches the client.
    End,
    /// An event on the way (a stale answer, a fallback, a retry giving up).
    Pass,
    /// The call reaches the service.
    ServeIn,
    /// The service answers.
    ServeOut,
    /// The call arrives where it will be turned back (cache hit, refusal).
    TurnIn,
    /// It leaves on the way back.
    TurnOut,
    /// It starts waiting for a slot.
    QueueIn,
    /// It gets its slot.
    QueueOut,
    /// A retry parks it for its backoff.
    ParkIn,
    /// The backoff is over.
    ParkOut,
    /// An outer timeout abandons it where it is.
    Abandon,
    /// The timeout that fired sends the error back from its station.
    Cut,
    /// It stays where it is (unfinished at the end of the run).
    Hold,
}

/// One stop: while extracting, `v_us` holds the real time; pacing replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stop {
    /// Time, in microseconds.
    pub v_us: u64,
    /// Station index.
    pub station: u8,
    /// What happens.
    pub kind: StopKind,
    /// What the call carries after this stop.
    pub tint: Tint,
}

/// How a dot moves between two stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Motion {
    /// From station to station on the inbound (true) or return lane.
    Travel(bool),
    /// Down through the service, from the inbound lane to the return lane.
    Serve,
    /// A U-turn at a station.
    Turn,
    /// Waits for a slot beside the inbound lane.
    Queue,
    /// Parks for a retry backoff, then goes in again.
    Park,
    /// Stays on a lane (0 inbound, 1 return).
    Hold(f32),
    /// Not drawn (the jump to the station of a timeout that fired).
    Hidden,
}

/// How the dot moves from `prev` to `next`.
pub(super) fn motion(prev: &Stop, next: &Stop) -> Motion {
    if next.kind == StopKind::Cut {
        return Motion::Hidden;
    }
    if prev.station != next.station {
        return Motion::Travel(next.station > prev.station);
    }
    match prev.kind {
        StopKind::ServeIn => Motion::Serve,
        StopKind::TurnIn => Motion::Turn,
        StopKind::QueueIn => Motion::Queue,
        StopKind::ParkIn => Motion::Park,
        StopKind::Start | StopKind::QueueOut | StopKind::ParkOut => Motion::Hold(0.0),
        _ => Motion::Hold(1.0),
    }
}

/// The dot of a request at `t_us`, if it is on screen then (`request` left at 0).
pub(super) fn position(stops: &[Stop], t_us: u64) -> Option<Dot> {
    let (first, last) = (stops.first()?, stops.last()?);
    if t_us < first.v_us || t_us >= last.v_us {
        return None;
    }
    let k = stops.partition_point(|s| s.v_us <= t_us).clamp(1, stops.len() - 1);
    let (prev, next) = (&stops[k - 1], &stops[k]);
    let span = next.v_us.saturating_sub(prev.v_us);
    let frac = if span == 0 { 1.0 } else { (t_us.saturating_sub(prev.v_us)) as f32 / span as f32 };
    let frac = frac.clamp(0.0, 1.0);
    let station = f32::from(prev.station);
    let (along, across) = match motion(prev, next) {
        Motion::Hidden => return None,
        Motion::Travel(inward) => {
            (station + (f32::from(next.station) - station) * frac, if inward { 0.0 } else { 1.0 })
        }
        Motion::Serve | Motion::Turn => (station, frac * frac * (3.0 - 2.0 * frac)),
        Motion::Queue => (station, via_wait(0.0, frac)),
        Motion::Park => (station, via_wait(1.0, frac)),
        Motion::Hold(lane) => (station, lane),
    };
    let mark = match (prev.kind, prev.tint) {
        (StopKind::Cut, _) => Some(MarkKind::Cut),
        (StopKind::TurnIn, Tint::Rejected | Tint::Full) => Some(MarkKind::Bounce),
        (StopKind::Pass, Tint::Fallback) => Some(MarkKind::Fallback),
        _ => None,
    };
    Some(Dot { request: 0, along, across, tint: prev.tint, mark, progress: frac })
}

/// From lane `from` to the waiting area, a pause there, then to the inbound lane.
fn via_wait(from: f32, frac: f32) -> f32 {
    if frac < 0.25 {
        from + (0.5 - from) * frac * 4.0
    } else if frac > 0.75 {
        0.5 * (1.0 - (frac - 0.75) * 4.0)
    } else {
        0.5
    }
}

/// What one pass over the trace gives.
#[derive(Debug, Default)]
pub(super) struct Extracted {
    /// The shown endpoint's requests: (id, stops with real times).
    pub requests: Vec<(u32, Vec<Stop>)>,
    /// Per station: slots in use (pool, bulkhead) or calls in service (service).
    pub in_use: Vec<Steps>,
    /// Per station: calls queued for a slot.
    pub queued: Vec<Steps>,
}

/// One request while the trace is read.
#[derive(Debug, Default)]
struct Track {
    shown: bool,
    done: bool,
    stops: Vec<Stop>,
    /// Stations where it holds a slot.
    held: Vec<u8>,
    /// Station where it waits for a slot.
    queued: Option<u8>,
    /// Its attempts in service (a hedged call has several at once).
    serving: u8,
}

/// A trace being read, a part at a time: where labels sit, and the intervals collected so far.
#[derive(Debug)]
pub(super) struct Reader {
    stations: Vec<Station>,
    of_label: [u8; 256],
    endpoint: u16,
    service: u32,
    fallback: Option<u8>,
    tracks: Vec<Track>,
    in_use: Vec<Steps>,
    queued: Vec<Steps>,
    /// Trace records read so far.
    read: usize,
}

impl Reader {
    /// A reader of `endpoint`'s calls through `stations` (the last is `service`).
    pub(super) fn new(stations: &[Station], endpoint: u16, service: u32) -> Self {
        let mut of_label = [u8::MAX; 256];
        for (i, station) in stations.iter().enumerate() {
            of_label[usize::from(station.label)] = i as u8;
        }
        of_label[usize::from(NO_LAYER)] = 0;
        let fallback = stations.iter().position(|s| s.kind == StationKind::Fallback).map(|i| i as u8);
        Self {
            stations: stations.to_vec(),
            of_label,
            endpoint,
            service,
            fallback,
            tracks: Vec::new(),
            in_use: (0..stations.len()).map(|_| Steps::default()).collect(),
            queued: (0..stations.len()).map(|_| Steps::default()).collect(),
            read: 0,
        }
    }

    /// Reads up to `most` more of `events` (the same trace each time); true once all are read.
    pub(super) fn read_some(&mut self, events: &[TraceEvent], most: usize) -> bool {
        let from = self.read.min(events.len());
        let to = from.saturating_add(most).min(events.len());
        for event in events[from..to].iter().filter(|e| e.request != NO_REQUEST) {
            self.read(event);
        }
        self.read = to;
        to == events.len()
    }

    fn read(&mut self, event: &TraceEvent) {
        let id = event.request as usize;
        if event.kind == TraceKind::Arrival {
            if self.tracks.len() <= id {
                self.tracks.resize_with(id + 1, Track::default);
            }
            let shown = event.value == u32::from(self.endpoint);
            self.tracks[id] = Track { shown, ..Track::default() };
            if shown {
                self.tracks[id].stops.push(Stop {
                    v_us: event.at_us,
                    station: 0,
                    kind: StopKind::Start,
                    tint: Tint::Outbound,
                });
            }
            return;
        }
        let Some(track) = self.tracks.get(id) else { return };
        let station = match event.layer {
            POOL | SERVICE | NO_LAYER => self.of_label[usize::from(event.layer)],
            _ if track.shown => self.of_label[usize::from(event.layer)],
            _ => u8::MAX,
        };
        if station == u8::MAX {
            return;
        }
        self.account(id, station, event);
        if self.tracks[id].shown {
            self.note_stop(id, station, event);
        }
    }

    /// Slots, queues and service occupancy, for every endpoint's requests.
    fn account(&mut self, id: usize, station: u8, event: &TraceEvent) {
        let t = event.at_us;
        let track = &mut self.tracks[id];
        if let Some(at) = track.queued.take() {
            self.queued[usize::from(at)].change(t, -1);
        }
        let in_use = &mut self.in_use;
        track.held.retain(|&at| {
            // Any event further out means the call has come back out of this slot.
            let keep = station >= at;
            if !keep {
                in_use[usize::from(at)].change(t, -1);
            }
            keep
        });
        let service = self.stations.len() - 1;
        match event.kind {
            TraceKind::BulkheadAdmitted => {
                track.held.push(station);
                self.in_use[usize::from(station)].change(t, 1);
            }
            TraceKind::BulkheadQueued => {
                track.queued = Some(station);
                self.queued[usize::from(station)].change(t, 1);
            }
            TraceKind::AttemptStart if event.value == self.service => {
                track.serving = track.serving.saturating_add(1);
                self.in_use[service].change(t, 1);
            }
            TraceKind::AttemptEnd | TraceKind::AttemptAbandoned | TraceKind::Complete => {
                // An attempt's end frees one place; the call's end, any still held.
                let left = if event.kind == TraceKind::Complete { 0 } else { track.serving.saturating_sub(1) };
                self.in_use[service].change(t, i64::from(left) - i64::from(track.serving));
                track.serving = left;
                track.done |= event.kind == TraceKind::Complete;
            }
            _ => {}
        }
    }

    fn note_stop(&mut self, id: usize, station: u8, event: &TraceEvent) {
        let t = event.at_us;
        let fallback = self.fallback;
        let service = self.service;
        let kind = self.stations.get(usize::from(station)).map(|s| s.kind);
        let stops = &mut self.tracks[id].stops;
        match event.kind {
            TraceKind::BulkheadQueued => push(stops, station, StopKind::QueueIn, t, None),
            TraceKind::BulkheadAdmitted if stops.last().is_some_and(|s| s.kind == StopKind::QueueIn) => {
                push(stops, station, StopKind::QueueOut, t, None);
            }
            TraceKind::BulkheadRejected => turn(stops, station, t, Tint::Full),
            TraceKind::LayerEvent if refusal(kind, event.layer_event().0) => turn(stops, station, t, Tint::Full),
            TraceKind::BreakerRejected => turn(stops, station, t, Tint::Rejected),
            TraceKind::CacheHit => turn(stops, station, t, Tint::Cache),
            TraceKind::CacheStale => push(stops, station, StopKind::Pass, t, Some(Tint::Stale)),
            TraceKind::FallbackServed => push(stops, station, StopKind::Pass, t, Some(Tint::Fallback)),
            TraceKind::RetryGaveUp => push(stops, station, StopKind::Pass, t, None),
            TraceKind::AttemptStart => {
                let at = if event.value == service { station } else { fallback.unwrap_or(station) };
                push(stops, at, StopKind::ServeIn, t, Some(Tint::Outbound));
            }
            TraceKind::AttemptEnd => {
                let at = stops.last().map_or(station, |s| s.station);
                let tint = match event.value {
                    429 => Tint::Throttled,
                    s if s < 400 => Tint::Success,
                    _ => Tint::Error,
                };
                push(stops, at, StopKind::ServeOut, t, Some(tint));
            }
            TraceKind::AttemptAbandoned => {
                let at = stops.last().map_or(station, |s| s.station);
                push(stops, at, StopKind::Abandon, t, None);
            }
            TraceKind::RetryScheduled => {
                push(stops, station, StopKind::ParkIn, t, Some(Tint::Waiting));
                push(stops, station, StopKind::ParkOut, t + u64::from(event.value), Some(Tint::Outbound));
            }
            TraceKind::TimeoutFired => cut(stops, station, t),
            TraceKind::Complete => push(stops, 0, StopKind::End, t, None),
            _ => {}
        }
    }

    /// The calls read, each closed at `end_us` if the run ended before it did.
    pub(super) fn finish(mut self, end_us: u64) -> Extracted {
        let mut requests = Vec::new();
        for (id, track) in self.tracks.iter_mut().enumerate() {
            if !track.shown {
                continue;
            }
            let mut stops = std::mem::take(&mut track.stops);
            if let Some(last) = stops.last().copied() {
                if last.kind != StopKind::End {
                    stops.push(Stop { v_us: end_us.max(last.v_us), kind: StopKind::Hold, ..last });
                }
            }
            requests.push((id as u32, stops));
        }
        Extracted { requests, in_use: self.in_use, queued: self.queued }
    }
}

/// Whether a layer's own event `code` (see each pattern's `spec.rs` events) refuses the call at
/// a station of this kind.
fn refusal(kind: Option<StationKind>, code: u8) -> bool {
    matches!(
        (kind, code),
        (Some(StationKind::RateLimiter), 1) | (Some(StationKind::AdaptiveLimit | StationKind::Throttle), 0)
    )
}

/// Appends a stop; without a `tint` it carries the previous one.
fn push(stops: &mut Vec<Stop>, station: u8, kind: StopKind, at: u64, tint: Option<Tint>) {
    let carried = stops.last().map_or(Tint::Outbound, |s| s.tint);
    stops.push(Stop { v_us: at, station, kind, tint: tint.unwrap_or(carried) });
}

/// A U-turn at `station`, carrying `tint` back.
fn turn(stops: &mut Vec<Stop>, station: u8, t: u64, tint: Tint) {
    push(stops, station, StopKind::TurnIn, t, Some(tint));
    push(stops, station, StopKind::TurnOut, t, Some(tint));
}

/// A timeout at `station` fired: the call is abandoned where it was, and the error goes back
/// from the timeout's station.
fn cut(stops: &mut Vec<Stop>, station: u8, t: u64) {
    // A backoff cut short: its planned end becomes the abandonment.
    while stops.last().is_some_and(|s| s.v_us > t) {
        stops.pop();
    }
    if let Some(last) = stops.last().copied() {
        if last.kind != StopKind::Abandon && last.station != station {
            stops.push(Stop { v_us: t, kind: StopKind::Abandon, ..last });
        }
    }
    stops.push(Stop { v_us: t, station, kind: StopKind::Cut, tint: Tint::TimedOut });
}
