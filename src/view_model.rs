//! What the views need from a finished run, computed once per run: each request's journey
//! (arrival, attempts, markers, outcome) and, per layer, cumulative counters and state changes
//! so the stack can show its state at any play-head position with a binary search.

use std::collections::BTreeMap;

use resilience_engine::sim::{NO_REQUEST, Outcome, Report, SERVICE, TraceEvent, TraceKind};

/// One attempt of a request at the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptSpan {
    /// Sent, in microseconds.
    pub start_us: u64,
    /// Answered or abandoned (`u64::MAX` if neither within the trace).
    pub end_us: u64,
    /// Status answered, or 0 when abandoned.
    pub status: u16,
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
    /// Breaker results in order: (time, failed).
    pub results: Vec<(u64, bool)>,
    /// Retry waits in order of start: (start, end).
    pub waits: Vec<(u64, u64)>,
    /// The longest retry wait, in microseconds (bounds the search in `waiting_at`).
    pub wait_max_us: u64,
}

impl LayerTimeline {
    /// Counters at `t_us` (events at `t_us` included).
    pub fn counts_at(&self, t_us: u64) -> [u32; 3] {
        let n = self.times.partition_point(|t| *t <= t_us);
        if n == 0 { [0; 3] } else { self.counts[n - 1] }
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

    /// Failure rate (percent) of the last `window` results before `t_us` since the last
    /// state change, or `None` with no results.
    pub fn failure_rate_at(&self, t_us: u64, window: usize) -> Option<f64> {
        let since = self.states.iter().rev().find(|(t, _)| *t <= t_us).map_or(0, |(t, _)| *t);
        let end = self.results.partition_point(|(t, _)| *t <= t_us);
        let start = self.results.partition_point(|(t, _)| *t < since).max(end.saturating_sub(window));
        let recent = &self.results[start..end];
        (!recent.is_empty()).then(|| recent.iter().filter(|(_, f)| *f).count() as f64 * 100.0 / recent.len() as f64)
    }
}

/// How far before the first fault the play head starts, in microseconds.
const STORY_LEAD_US: u64 = 2_000_000;

/// Where the play head starts for a scenario: just before its first fault that does not start
/// at 0 (where the story begins), or at 0 without one.
pub fn story_start_us(scenario: &resilience_engine::Scenario) -> u64 {
    let end_us = scenario.duration.as_micros();
    scenario
        .services
        .iter()
        .flat_map(|service| &service.faults)
        .map(|fault| fault.window().0.as_micros())
        .filter(|from_us| *from_us > 0 && *from_us < end_us)
        .min()
        .map_or(0, |from_us| from_us.saturating_sub(STORY_LEAD_US.min(from_us / 2)))
}

/// Names of a layer kind's three counters.
pub fn counter_names(kind: &str) -> [&'static str; 3] {
    match kind {
        "cache" => ["hits", "misses", "stale served"],
        "circuit_breaker" => ["permitted", "rejected", "recorded"],
        "bulkhead" | "client_pool" => ["admitted", "queued", "rejected"],
        "retry" => ["retries", "gave up", ""],
        "timeout" => ["timed out", "", ""],
        "fallback" => ["served", "", ""],
        _ => ["", "", ""],
    }
}

/// The counter slot a trace kind bumps.
fn slot(kind: TraceKind) -> Option<usize> {
    Some(match kind {
        TraceKind::CacheHit
        | TraceKind::BreakerPermitted
        | TraceKind::BulkheadAdmitted
        | TraceKind::RetryScheduled
        | TraceKind::TimeoutFired
        | TraceKind::FallbackServed => 0,
        TraceKind::CacheMiss | TraceKind::BreakerRejected | TraceKind::BulkheadQueued | TraceKind::RetryGaveUp => 1,
        TraceKind::CacheStale | TraceKind::BreakerRecorded | TraceKind::BulkheadRejected => 2,
        _ => return None,
    })
}

/// Everything derived from one run's trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Derived {
    /// Journeys by request id (arrival order).
    pub journeys: Vec<Journey>,
    /// Per (endpoint, layer label).
    pub layers: BTreeMap<(u16, u8), LayerTimeline>,
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
            let Some(journey) = derived.journeys.get_mut(event.request as usize) else { continue };
            note_journey(journey, event);
            if journey.end_us != u64::MAX {
                derived.latency_max_us = derived.latency_max_us.max(journey.end_us - journey.arrival_us);
            }
            let Some(&endpoint) = endpoint_of.get(event.request as usize) else { continue };
            if event.layer < SERVICE {
                derived.note_layer(endpoint, event);
            }
        }
        derived
    }

    fn note_state_change(&mut self, event: &TraceEvent) {
        if event.kind == TraceKind::StateChange {
            let endpoint = (event.value >> 8) as u16;
            let timeline = self.layers.entry((endpoint, event.layer)).or_default();
            timeline.states.push((event.at_us, (event.value & 0xff) as u8));
            self.state_change_times.push(event.at_us);
        }
    }

    fn note_layer(&mut self, endpoint: u16, event: &TraceEvent) {
        let Some(slot) = slot(event.kind) else { return };
        let timeline = self.layers.entry((endpoint, event.layer)).or_default();
        let mut counts = timeline.counts.last().copied().unwrap_or([0; 3]);
        counts[slot] += 1;
        timeline.times.push(event.at_us);
        timeline.counts.push(counts);
        if event.kind == TraceKind::BreakerRecorded {
            timeline.results.push((event.at_us, event.value == 1));
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
        let mut changes: Vec<(u64, u8, u8)> = self
            .layers
            .range((endpoint, 0)..=(endpoint, u8::MAX))
            .flat_map(|((_, layer), timeline)| timeline.states.iter().map(move |(t, code)| (*t, *layer, *code)))
            .filter(|(t, ..)| *t >= from_us && *t <= to_us)
            .collect();
        changes.sort_unstable();
        changes
    }
}

/// The time of the next (`forward`) or previous trace event strictly after (before) `t_us`.
pub fn step_event(events: &[TraceEvent], t_us: u64, forward: bool) -> Option<u64> {
    if forward {
        let i = events.partition_point(|e| e.at_us <= t_us);
        events.get(i).map(|e| e.at_us)
    } else {
        let i = events.partition_point(|e| e.at_us < t_us);
        i.checked_sub(1).map(|i| events[i].at_us)
    }
}

/// The first of `times` (ascending) strictly after `t_us`.
pub fn next_after(times: &[u64], t_us: u64) -> Option<u64> {
    times.get(times.partition_point(|t| *t <= t_us)).copied()
}

/// Narrowest time window the views zoom to, in microseconds.
pub const WINDOW_MIN_US: u64 = 1_000;

/// The window `(from, to)` scaled by `factor` (< 1 zooms in) around `centre_us`, kept inside
/// `[0, end_us]` and never narrower than [`WINDOW_MIN_US`].
pub fn zoom_window(window: (u64, u64), centre_us: u64, factor: f64, end_us: u64) -> (u64, u64) {
    let (from, to) = (window.0 as f64, window.1 as f64);
    let centre = (centre_us as f64).clamp(from, to);
    let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
    let new_from = (centre - (centre - from) * factor).max(0.0);
    let new_to = (centre + (to - centre) * factor).min(end_us.max(1) as f64);
    if new_to - new_from < WINDOW_MIN_US as f64 { window } else { (new_from as u64, new_to as u64) }
}

/// The window shifted (same width) so that `t_us` is inside it, with a tenth of a margin;
/// unchanged when `t_us` is already comfortably inside.
pub fn window_showing(window: (u64, u64), t_us: u64, end_us: u64) -> (u64, u64) {
    let (from, to) = window;
    let width = to.saturating_sub(from).max(1);
    let margin = width / 10;
    if t_us >= from + margin && t_us + margin <= to {
        return window;
    }
    let new_from = t_us.saturating_sub(width / 2).min(end_us.saturating_sub(width));
    (new_from, new_from + width)
}

fn note_journey(journey: &mut Journey, event: &TraceEvent) {
    let t = event.at_us;
    match event.kind {
        TraceKind::AttemptStart => journey.attempts.push(AttemptSpan { start_us: t, end_us: u64::MAX, status: 0 }),
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

#[cfg(test)]
mod tests {
    use super::*;
    use resilience_engine::{RunOptions, Scenario, examples, run};

    fn derive(name: &str) -> (Report, Derived) {
        let scenario = Scenario::from_json(examples::gallery(name).unwrap()).unwrap();
        let report = run(&scenario, &RunOptions::full_trace(5_000_000)).unwrap();
        let derived = Derived::from_report(&report);
        (report, derived)
    }

    #[test]
    fn journeys_cover_every_request_with_its_outcome() {
        let (report, derived) = derive("breaker-outage");
        assert_eq!(derived.journeys.len() as u64, report.summary.total.requests);
        assert!(derived.journeys.iter().all(|j| j.outcome.is_some() && j.end_us >= j.arrival_us));
        assert!(derived.journeys.windows(2).all(|w| w[0].arrival_us <= w[1].arrival_us), "arrival order");
        let visible = derived.visible(30_000_000, 31_000_000).count();
        assert!((80..130).contains(&visible), "about 100 requests in one second: {visible}");
    }

    #[test]
    fn keyboard_navigation_walks_requests_in_arrival_order() {
        let (_, derived) = derive("breaker-outage");
        let last = derived.journeys.len() as u32 - 1;
        let first_after = derived.neighbour(None, 20_000_000, 1).unwrap();
        assert!(derived.journeys[first_after as usize].arrival_us >= 20_000_000);
        let before = derived.neighbour(None, 20_000_000, -1).unwrap();
        assert!(derived.journeys[before as usize].arrival_us < 20_000_000);
        assert_eq!(derived.neighbour(Some(5), 0, 1), Some(6));
        assert_eq!(derived.neighbour(Some(5), 0, -10), Some(0), "clamped at the first");
        assert_eq!(derived.neighbour(Some(last), 0, 1), Some(last), "clamped at the last");
        assert_eq!(Derived::default().neighbour(None, 0, 1), None);
    }

    #[test]
    fn state_changes_are_listed_for_annotations() {
        let (_, derived) = derive("breaker-outage");
        let changes = derived.state_changes(0, 0, u64::MAX);
        assert!(changes.windows(2).all(|w| w[0].0 <= w[1].0));
        let opened = changes.iter().find(|(_, _, code)| *code == 1).expect("the breaker opens");
        assert!((20_000_000..25_000_000).contains(&opened.0), "opens soon after the outage: {}", opened.0);
        assert!(derived.state_changes(1, 0, u64::MAX).is_empty(), "no such endpoint");
    }

    #[test]
    fn windows_zoom_and_follow_within_the_run() {
        assert_eq!(zoom_window((0, 60_000_000), 30_000_000, 0.5, 60_000_000), (15_000_000, 45_000_000));
        assert_eq!(zoom_window((0, 60_000_000), 30_000_000, 4.0, 60_000_000), (0, 60_000_000), "clamped");
        assert_eq!(zoom_window((0, 1_500), 500, 0.1, 60_000_000), (0, 1_500), "never under 1 ms");
        assert_eq!(zoom_window((0, 10), 5, f64::NAN, 10), (0, 10));
        assert_eq!(window_showing((0, 10_000_000), 5_000_000, 60_000_000), (0, 10_000_000), "already shown");
        assert_eq!(window_showing((0, 10_000_000), 30_000_000, 60_000_000), (25_000_000, 35_000_000));
        assert_eq!(window_showing((0, 10_000_000), 59_000_000, 60_000_000), (50_000_000, 60_000_000));
        let events = [1, 5, 5, 9].map(|at_us| TraceEvent {
            at_us,
            request: 0,
            value: 0,
            kind: TraceKind::Arrival,
            layer: 0,
            attempt: 0,
        });
        assert_eq!((step_event(&events, 5, true), step_event(&events, 5, false)), (Some(9), Some(1)));
        assert_eq!((step_event(&events, 9, true), step_event(&events, 1, false)), (None, None));
        assert_eq!((next_after(&[3, 7], 3), next_after(&[3, 7], 7)), (Some(7), None));
    }

    #[test]
    fn the_story_starts_just_before_the_first_fault() {
        let scenario = |name: &str| Scenario::from_json(examples::gallery(name).unwrap()).unwrap();
        assert_eq!(story_start_us(&scenario("breaker-outage")), 18_000_000, "outage at 20 s");
        assert_eq!(story_start_us(&scenario("all-six")), 18_000_000, "errors from 0 s do not count");
        assert_eq!(story_start_us(&scenario("retry-storm")), 0, "no fault window");
    }

    #[test]
    fn layer_timelines_answer_at_any_play_head() {
        let (_, derived) = derive("breaker-outage");
        let breaker = &derived.layers[&(0, 0)];
        assert_eq!(breaker.state_at(10_000_000), 0, "closed before the outage");
        assert_eq!(breaker.state_at(30_000_000), 1, "open during it");
        assert_eq!(breaker.state_at(59_000_000), 0, "closed again after it");
        let [permitted, rejected, _] = breaker.counts_at(u64::MAX);
        assert!(permitted > 3_000 && rejected > 1_500);
        assert_eq!(breaker.counts_at(0), [0, 0, 0]);
        assert_eq!(breaker.failure_rate_at(19_000_000, 50), Some(0.0));

        let (_, derived) = derive("retry-transient");
        let retry = &derived.layers[&(0, 0)];
        let waiting: usize = (1..60).map(|s| retry.waiting_at(s * 1_000_000)).sum();
        assert!(waiting > 0, "some calls are waiting to retry at some point");
        assert_eq!(retry.waiting_at(0), 0);
    }
}
