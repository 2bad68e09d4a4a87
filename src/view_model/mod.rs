//! What the views need from a finished run, computed once per run: each request's journey
//! (arrival, attempts, markers, outcome) and, per layer, cumulative counters and state changes
//! so the stack can show its state at any play-head position with a binary search.

use resilience_engine::patterns::adaptive_limit;
use resilience_engine::patterns::circuit_breaker::RecordedNote;
use resilience_engine::sim::{NO_REQUEST, Outcome, Report, SERVICE, TraceEvent, TraceKind};

mod navigation;
pub use navigation::{WINDOW_MIN_US, next_after, step_event, story_start_us, window_showing, zoom_window};

/// One attempt of a request at the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptSpan {
    /// Sent, in microseconds.
    pub start_us: u64,
    /// Answered or abandoned (`u64::MAX` if neither within the trace).
    pub end_us: u64,
    /// Status answered, or 0 when abandoned.
    pub status: u16,
    /// Sent while another attempt of the request was still in flight (a hedge).
    pub parallel: bool,
}

/// A marker on a request's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A timeout fired.
    Timeout,
    /// The breaker rejected the call.
    BreakerRejected,
    /// A bulkhead or the client pool rejected the call.
    BulkheadRejected,
    /// A fresh cache hit.
    CacheHit,
    /// A stale cache entry answered.
    CacheStale,
    /// A fallback answered.
    Fallback,
    /// A retry wait started (`Retry-After` or backoff).
    RetryWait,
}

/// One request from arrival to completion.
#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    /// Request id.
    pub id: u32,
    /// Endpoint index.
    pub endpoint: u16,
    /// Arrival, in microseconds.
    pub arrival_us: u64,
    /// Completion (`u64::MAX` if unfinished).
    pub end_us: u64,
    /// Final outcome.
    pub outcome: Option<Outcome>,
    /// Attempts at the service.
    pub attempts: Vec<AttemptSpan>,
    /// Markers, with their times.
    pub markers: Vec<(u64, Marker)>,
    /// Index of the request's first trace event.
    pub first_event: usize,
}

/// Counters of one layer over time: `times[i]` is when `counts[i]` became true.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerTimeline {
    /// Event times, ascending.
    pub times: Vec<u64>,
    /// Cumulative counters after each event: meaning depends on the layer kind (see
    /// [`counter_names`]).
    pub counts: Vec<[u32; 3]>,
    /// Breaker state changes: (time, state code).
    pub states: Vec<(u64, u8)>,
    /// Breaker results in order: (time, how the breaker counted it and the rates it judged by).
    pub results: Vec<(u64, RecordedNote)>,
    /// Retry waits in order of start: (start, end).
    pub waits: Vec<(u64, u64)>,
    /// The longest retry wait, in microseconds (bounds the search in `waiting_at`).
    pub wait_max_us: u64,
    /// Bulkhead occupancy after each change, exact from the trace: (time, permits in use,
    /// calls waiting).
    pub occupancy: Vec<(u64, u32, u32)>,
    /// An adaptive limit's value after each change: (time, limit in calls).
    pub limits: Vec<(u64, u32)>,
}

impl LayerTimeline {
    /// Counters at `t_us` (events at `t_us` included).
    pub fn counts_at(&self, t_us: u64) -> [u32; 3] {
        let n = self.times.partition_point(|t| *t <= t_us);
        if n == 0 { [0; 3] } else { self.counts[n - 1] }
    }

    /// Bulkhead permits in use and calls waiting at `t_us` (changes at `t_us` included).
    pub fn occupancy_at(&self, t_us: u64) -> (u32, u32) {
        let n = self.occupancy.partition_point(|(t, _, _)| *t <= t_us);
        n.checked_sub(1).map_or((0, 0), |last| (self.occupancy[last].1, self.occupancy[last].2))
    }

    /// The adaptive limit at `t_us` (its first known value before it first moved), if any.
    pub fn limit_at(&self, t_us: u64) -> Option<u32> {
        let n = self.limits.partition_point(|(t, _)| *t <= t_us);
        self.limits.get(n.saturating_sub(1)).map(|l| l.1)
    }

    /// Breaker state code at `t_us`.
    pub fn state_at(&self, t_us: u64) -> u8 {
        let n = self.states.partition_point(|(t, _)| *t <= t_us);
        if n == 0 { 0 } else { self.states[n - 1].1 }
    }

    /// Calls waiting out a retry backoff at `t_us`.
    pub fn waiting_at(&self, t_us: u64) -> usize {
        let end = self.waits.partition_point(|(start, _)| *start <= t_us);
        let begin = self.waits.partition_point(|(start, _)| *start < t_us.saturating_sub(self.wait_max_us));
        self.waits[begin..end].iter().filter(|(_, stop)| *stop > t_us).count()
    }

    /// The failure rate (percent) the breaker itself computed at its last result at or before
    /// `t_us`, over its own window with `record` and `ignore` respected; `None` before its
    /// first result or while below its minimum number of calls ("not yet computed").
    pub fn failure_rate_at(&self, t_us: u64) -> Option<f64> {
        let end = self.results.partition_point(|(t, _)| *t <= t_us);
        end.checked_sub(1).and_then(|last| self.results[last].1.failure_rate_pct)
    }
}

/// Names of a layer kind's counters, in slot order (from the engine's catalogue).
pub fn counter_names(kind: &str) -> &'static [&'static str] {
    resilience_engine::catalog::layer(kind).map_or(&[], |spec| spec.counters)
}

/// The counter slot a trace record bumps (a layer's own events count in the slot of their code).
fn slot(event: &TraceEvent) -> Option<usize> {
    Some(match event.kind {
        TraceKind::CacheHit
        | TraceKind::BreakerPermitted
        | TraceKind::BulkheadAdmitted
        | TraceKind::RetryScheduled
        | TraceKind::TimeoutFired
        | TraceKind::FallbackServed => 0,
        TraceKind::CacheMiss | TraceKind::BreakerRejected | TraceKind::BulkheadQueued | TraceKind::RetryGaveUp => 1,
        TraceKind::CacheStale | TraceKind::BreakerRecorded | TraceKind::BulkheadRejected => 2,
        TraceKind::LayerEvent if event.layer_event().0 < 3 => usize::from(event.layer_event().0),
        _ => return None,
    })
}

/// Layer timelines by (endpoint, layer label), in order of their first event. A stack has a
/// few layers: a list costs the wasm less than a map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerTimelines(Vec<((u16, u8), LayerTimeline)>);

impl LayerTimelines {
    /// The timeline of layer `key`, if it had any event.
    pub fn get(&self, key: &(u16, u8)) -> Option<&LayerTimeline> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, t)| t)
    }

    /// The timeline of layer `key`, empty at first.
    fn entry(&mut self, key: (u16, u8)) -> &mut LayerTimeline {
        let at = self.0.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
            self.0.push((key, LayerTimeline::default()));
            self.0.len() - 1
        });
        &mut self.0[at].1
    }
}

/// Everything derived from one run's trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Derived {
    /// Journeys by request id (arrival order).
    pub journeys: Vec<Journey>,
    /// Per (endpoint, layer label).
    pub layers: LayerTimelines,
    /// Times of breaker state changes, ascending (for "next state change").
    pub state_change_times: Vec<u64>,
    /// Longest request latency, in microseconds.
    pub latency_max_us: u64,
}

impl Derived {
    /// Builds the view model from a report's trace (empty without a trace).
    pub fn from_report(report: &Report) -> Self {
        let Some(trace) = &report.trace else { return Self::default() };
        let mut derived = Self::default();
        let mut endpoint_of: Vec<u16> = Vec::new();
        let mut waiting = Vec::new();
        for (index, event) in trace.events.iter().enumerate() {
            if event.request == NO_REQUEST {
                derived.note_state_change(event);
                continue;
            }
            if event.kind == TraceKind::Arrival {
                derived.journeys.push(Journey {
                    id: event.request,
                    endpoint: event.value as u16,
                    arrival_us: event.at_us,
                    end_us: u64::MAX,
                    outcome: None,
                    attempts: Vec::new(),
                    markers: Vec::new(),
                    first_event: index,
                });
                endpoint_of.push(event.value as u16);
            }
            let Some(&endpoint) = endpoint_of.get(event.request as usize) else { continue };
            let Some(journey) = derived.journeys.get_mut(event.request as usize) else { continue };
            note_journey(journey, event);
            if journey.end_us != u64::MAX {
                derived.latency_max_us = derived.latency_max_us.max(journey.end_us - journey.arrival_us);
            }
            // A layer's own events mean what its kind says they mean.
            let kind = match event.kind {
                TraceKind::LayerEvent => {
                    report.metrics.layers.iter().find(|l| (l.endpoint, l.layer) == (endpoint, event.layer))
                }
                _ => None,
            }
            .map_or("", |l| l.kind);
            if kind == "hedging" {
                settle_hedge(journey, event);
            }
            if event.layer < SERVICE {
                derived.note_occupancy(endpoint, event, &mut waiting);
                derived.note_layer(endpoint, event, kind);
            }
        }
        derived
    }

    fn note_state_change(&mut self, event: &TraceEvent) {
        if event.kind == TraceKind::StateChange {
            let endpoint = (event.value >> 8) as u16;
            let timeline = self.layers.entry((endpoint, event.layer));
            timeline.states.push((event.at_us, (event.value & 0xff) as u8));
            self.state_change_times.push(event.at_us);
        }
    }

    /// Follows a bulkhead's permits and queue. `waiting[request]` holds the layer a request is
    /// queued in right now, plus one (0: none; a request waits in one queue at a time).
    fn note_occupancy(&mut self, endpoint: u16, event: &TraceEvent, waiting: &mut Vec<u32>) {
        let place = u32::from(endpoint) << 8 | u32::from(event.layer);
        let id = event.request as usize;
        if waiting.len() <= id {
            waiting.resize(id + 1, 0);
        }
        let mut leave = || i32::from(std::mem::take(&mut waiting[id]) == place + 1);
        let (in_use_change, waiting_change): (i32, i32) = match (event.kind, event.value) {
            (TraceKind::BulkheadAdmitted, _) => (1, -leave()),
            (TraceKind::BulkheadRejected, 1) | (TraceKind::BulkheadReleased, 2) => (0, -leave()),
            (TraceKind::BulkheadQueued, _) => (0, i32::from(std::mem::replace(&mut waiting[id], place + 1) == 0)),
            (TraceKind::BulkheadReleased, _) => (-1, 0),
            _ => return,
        };
        let timeline = self.layers.entry((endpoint, event.layer));
        let (in_use, queued) = timeline.occupancy.last().map_or((0, 0), |o| (o.1, o.2));
        let next = (in_use.saturating_add_signed(in_use_change), queued.saturating_add_signed(waiting_change));
        timeline.occupancy.push((event.at_us, next.0, next.1));
    }

    fn note_layer(&mut self, endpoint: u16, event: &TraceEvent, kind: &str) {
        let (code, figure) = event.layer_event();
        if kind == "adaptive_limit" && event.kind == TraceKind::LayerEvent && code == adaptive_limit::events::IN_FLIGHT
        {
            self.layers.entry((endpoint, event.layer)).occupancy.push((event.at_us, figure, 0));
            return;
        }
        let Some(slot) = slot(event) else { return };
        let timeline = self.layers.entry((endpoint, event.layer));
        // Every event of an adaptive limit carries the limit after it.
        let limit = event.layer_event().1;
        if kind == "adaptive_limit" && timeline.limits.last().is_none_or(|l| l.1 != limit) {
            timeline.limits.push((event.at_us, limit));
        }
        let mut counts = timeline.counts.last().copied().unwrap_or([0; 3]);
        counts[slot] += 1;
        timeline.times.push(event.at_us);
        timeline.counts.push(counts);
        if event.kind == TraceKind::BreakerRecorded {
            timeline.results.push((event.at_us, RecordedNote::decode(event.value)));
        }
        if event.kind == TraceKind::RetryScheduled {
            let wait = u64::from(event.value);
            timeline.waits.push((event.at_us, event.at_us + wait));
            timeline.wait_max_us = timeline.wait_max_us.max(wait);
        }
    }

    /// Journeys whose lifetime intersects `[from_us, to_us]`, in arrival order.
    pub fn visible(&self, from_us: u64, to_us: u64) -> impl Iterator<Item = &Journey> {
        let start = from_us.saturating_sub(self.latency_max_us);
        let first = self.journeys.partition_point(|j| j.arrival_us < start);
        self.journeys[first..].iter().take_while(move |j| j.arrival_us <= to_us).filter(move |j| j.end_us >= from_us)
    }
}

impl Derived {
    /// The request `step` places after (or before, when negative) `current` in arrival order;
    /// with nothing selected, the first request arriving at or after `cursor_us` (stepping
    /// forward) or before it (stepping back). `None` when there is no such request.
    pub fn neighbour(&self, current: Option<u32>, cursor_us: u64, step: i64) -> Option<u32> {
        let count = self.journeys.len() as i64;
        if count == 0 {
            return None;
        }
        let index = match current {
            Some(id) => (i64::from(id) + step).clamp(0, count - 1),
            None => {
                let at = self.journeys.partition_point(|j| j.arrival_us < cursor_us) as i64;
                if step >= 0 { at.min(count - 1) } else { (at - 1).max(0) }
            }
        };
        Some(self.journeys[index as usize].id)
    }

    /// Layer state changes of `endpoint` at or before `to_us` and after `from_us`:
    /// (time, layer index, state code), in time order.
    pub fn state_changes(&self, endpoint: u16, from_us: u64, to_us: u64) -> Vec<(u64, u8, u8)> {
        // Packed as `time << 16 | layer << 8 | code` so that the sort is the engine's own sort
        // of `u64`s (one sort less in the wasm); times stay far below 2^48 µs (8.9 years).
        let mut packed: Vec<u64> = self
            .layers
            .0
            .iter()
            .filter(|((e, _), _)| *e == endpoint)
            .flat_map(|((_, layer), timeline)| {
                timeline.states.iter().map(move |(t, code)| t << 16 | u64::from(*layer) << 8 | u64::from(*code))
            })
            .filter(|p| (from_us..=to_us).contains(&(p >> 16)))
            .collect();
        packed.sort_unstable();
        packed.into_iter().map(|p| (p >> 16, (p >> 8) as u8, p as u8)).collect()
    }
}

fn note_journey(journey: &mut Journey, event: &TraceEvent) {
    let t = event.at_us;
    match event.kind {
        TraceKind::AttemptStart => {
            let parallel = journey.attempts.iter().any(|a| a.end_us == u64::MAX);
            journey.attempts.push(AttemptSpan { start_us: t, end_us: u64::MAX, status: 0, parallel });
        }
        TraceKind::AttemptEnd | TraceKind::AttemptAbandoned => {
            if let Some(open) = journey.attempts.iter_mut().rev().find(|a| a.end_us == u64::MAX) {
                open.end_us = t;
                open.status = if event.kind == TraceKind::AttemptEnd { event.value as u16 } else { 0 };
            }
        }
        TraceKind::Complete => {
            journey.end_us = t;
            journey.outcome = Outcome::from_code(event.value as u8);
        }
        kind => {
            let marker = match kind {
                TraceKind::TimeoutFired => Marker::Timeout,
                TraceKind::BreakerRejected => Marker::BreakerRejected,
                TraceKind::BulkheadRejected => Marker::BulkheadRejected,
                TraceKind::CacheHit => Marker::CacheHit,
                TraceKind::CacheStale => Marker::CacheStale,
                TraceKind::FallbackServed => Marker::Fallback,
                TraceKind::RetryScheduled => Marker::RetryWait,
                _ => return,
            };
            journey.markers.push((t, marker));
        }
    }
}

/// A hedging layer's verdict (code 1: hedge `n` won, code 2: the first attempt won). The trace
/// does not say which attempt an answer belongs to, so the answer closed the latest attempt in
/// flight and the cancelled ones closed the rest at the same instant: the verdict gives the
/// answer's status to the attempt that won.
fn settle_hedge(journey: &mut Journey, event: &TraceEvent) {
    let winner = match event.layer_event() {
        (1, n) => n as usize,
        (2, _) => 0,
        _ => return,
    };
    // The hedged call's attempts: its last one sent alone, and those sent beside it.
    let Some(first) = journey.attempts.iter().rposition(|a| !a.parallel) else { return };
    let group = &mut journey.attempts[first..];
    let Some(answered) = group.iter().rposition(|a| a.end_us == event.at_us && a.status != 0) else { return };
    if group.get(winner).is_some_and(|w| w.status == 0 && w.end_us == event.at_us) {
        group[winner].status = std::mem::take(&mut group[answered].status);
    }
}

#[cfg(test)]
mod tests;
