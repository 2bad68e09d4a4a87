//! The live stack diagram's model, built once per run from its trace (never by re-simulating).
//!
//! The shown endpoint's stack becomes a row of stations, client first and service last. Each
//! request becomes a list of stops (arrival, queueing, a bounce, service, a retry wait, a cut,
//! completion) at the stations where its trace events happened. Real calls often take a few
//! milliseconds, far too short to be seen at playback speed, so the stops get *visual* times:
//! as close as possible to the real ones (least squares) while every hop between stations and
//! every turn lasts at least a minimum (`hop_us`). A frame then asks "where are the calls at
//! `t`": one bucket lookup plus the calls alive in it, so the cost follows what is on screen.
//! Layer states (breaker, slots, queues, waits) are read at the real time `t`.

mod occupancy;
mod pace;
mod readout;
mod stops;
#[cfg(test)]
mod tests;

use resilience_engine::scenario::{Layer, Scenario};
use resilience_engine::sim::{POOL, Report, SERVICE};

pub use occupancy::Steps;
pub use readout::{Readout, Tone, breaker_name, kind_name};
use stops::Stop;

use crate::view_model::Derived;

/// Most dots one frame draws; past it one dot stands for several calls.
pub const MAX_DOTS: usize = 400;

/// What a station is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StationKind {
    /// Where calls start and answers end.
    Client,
    /// The shared client worker pool.
    Pool,
    /// A fallback layer.
    Fallback,
    /// A cache layer.
    Cache,
    /// A circuit breaker (drawn as a gate).
    Breaker,
    /// A retry layer.
    Retry,
    /// A timeout layer.
    Timeout,
    /// A bulkhead layer.
    Bulkhead,
    /// A rate limiter layer.
    RateLimiter,
    /// A hedging layer.
    Hedging,
    /// An adaptive limit layer.
    AdaptiveLimit,
    /// A client-side adaptive throttle layer.
    Throttle,
    /// The service called.
    Service,
}

/// One station of the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Station {
    /// Its kind.
    pub kind: StationKind,
    /// Its label in the trace: stack index, `POOL`, `SERVICE`, or 255 for the client.
    pub label: u8,
    /// Slots (bulkhead, pool) or workers (service), if bounded.
    pub capacity: Option<u32>,
}

/// The colour class of a dot: what the call carries at that moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Tint {
    /// On its way in.
    Outbound,
    /// Waiting out a retry backoff.
    Waiting,
    /// A good answer from the service.
    Success,
    /// An error from the service.
    Error,
    /// A 429 from the service.
    Throttled,
    /// Refused by the breaker.
    Rejected,
    /// Refused by a full bulkhead or pool.
    Full,
    /// A fresh cache answer.
    Cache,
    /// A stale cache answer.
    Stale,
    /// A fallback answer.
    Fallback,
    /// Cut by a timeout.
    TimedOut,
}

impl Tint {
    /// Every tint, in drawing order.
    pub const ALL: [Self; 11] = [
        Self::Outbound,
        Self::Waiting,
        Self::Success,
        Self::Error,
        Self::Throttled,
        Self::Rejected,
        Self::Full,
        Self::Cache,
        Self::Stale,
        Self::Fallback,
        Self::TimedOut,
    ];
}

/// A call's position at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    /// Request id.
    pub request: u32,
    /// Position along the stations: 0 = client, 1 = the next station, fractions in between.
    pub along: f32,
    /// Position across: 0 = inbound lane, 0.5 = waiting area, 1 = return lane.
    pub across: f32,
    /// What it carries.
    pub tint: Tint,
    /// What it just went through at the station it left (a cut, a bounce, a fallback).
    pub mark: Option<MarkKind>,
    /// How far it is through its current move, from 0 to 1 (marks fade with it).
    pub progress: f32,
}

/// A short-lived mark at a station, drawn while the call that made it moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A timeout cut a call.
    Cut,
    /// The breaker or a bulkhead refused a call.
    Bounce,
    /// A fallback answered.
    Fallback,
}

/// The state of one station at an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StationState {
    /// Calls holding a slot or a worker (pool, bulkhead, service).
    pub busy: u32,
    /// Calls queued for a slot or a worker.
    pub queued: u32,
    /// Breaker state code (0 closed, 1 open, 2 half-open).
    pub breaker: u8,
    /// Calls waiting out a retry backoff.
    pub waiting: u32,
    /// The layer's cumulative counters (see `view_model::counter_names`).
    pub counts: [u32; 3],
    /// An adaptive limit's value, in calls.
    pub limit: Option<u32>,
}

/// A run's calls through one endpoint's stations, read from its trace a part at a time, not yet
/// paced: the first step of [`DiagramModel::build`], which a large run takes in several tasks.
#[derive(Debug)]
pub struct Calls {
    stations: Vec<Station>,
    endpoint: u16,
    faults: Vec<(u64, u64, &'static str)>,
    reader: stops::Reader,
}

impl Calls {
    /// Ready to read `endpoint`'s calls from the run's trace (`None` without one).
    pub fn new(scenario: &Scenario, report: &Report, endpoint: usize) -> Option<Self> {
        report.trace.as_ref()?;
        let stations = stations_of(scenario, endpoint);
        let service = scenario
            .endpoints
            .get(endpoint)
            .and_then(|e| scenario.service_index(&e.service))
            .map_or(u32::MAX, |s| s as u32);
        let faults = faults_of(scenario, endpoint, (report.summary.virtual_end_s * 1e6) as u64);
        let reader = stops::Reader::new(&stations, endpoint as u16, service);
        Some(Self { stations, endpoint: endpoint as u16, faults, reader })
    }

    /// Reads up to `most` more of the run's trace records; true once every one is read.
    pub fn read_some(&mut self, report: &Report, most: usize) -> bool {
        report.trace.as_ref().is_none_or(|trace| self.reader.read_some(&trace.events, most))
    }
}

/// Everything the diagram needs from one run, for one endpoint.
#[derive(Clone, Debug, Default)]
pub struct DiagramModel {
    /// Stations, client first, service last.
    pub stations: Vec<Station>,
    /// The endpoint shown.
    pub endpoint: u16,
    /// One dot stands for this many calls (1 unless the run is dense).
    pub stride: u32,
    /// Minimum visual time of one hop, in microseconds.
    pub hop_us: u64,
    stops: Vec<Stop>,
    offsets: Vec<u32>,
    ids: Vec<u32>,
    index: pace::BucketIndex,
    in_use: Vec<Steps>,
    queued: Vec<Steps>,
    /// Fault windows of the service: (from, to, kind).
    faults: Vec<(u64, u64, &'static str)>,
}

impl DiagramModel {
    /// The stations of `endpoint`, with no calls (for a run without a trace, or while a large
    /// run's calls are still being worked out).
    pub fn stations_only(scenario: &Scenario, endpoint: usize, hop_us: u64) -> Self {
        let stations = stations_of(scenario, endpoint);
        Self { stations, endpoint: endpoint as u16, stride: 1, hop_us: hop_us.max(1), ..Self::default() }
    }

    /// Builds the model of `endpoint` from a finished run (empty stations without a trace).
    pub fn build(scenario: &Scenario, report: &Report, endpoint: usize, hop_us: u64) -> Self {
        let Some(mut calls) = Calls::new(scenario, report, endpoint) else {
            return Self::stations_only(scenario, endpoint, hop_us);
        };
        calls.read_some(report, usize::MAX);
        Self::paced(calls, report, hop_us)
    }

    /// The second step of [`DiagramModel::build`], once every call is read: the calls paced for
    /// hops of `hop_us`.
    pub fn paced(calls: Calls, report: &Report, hop_us: u64) -> Self {
        let Calls { stations, endpoint, faults, reader } = calls;
        let extracted = reader.finish((report.summary.virtual_end_s * 1e6) as u64);
        let hop_us = hop_us.max(1);
        let paced = pace::pace(extracted.requests, hop_us, MAX_DOTS);
        Self {
            stations,
            endpoint,
            stride: paced.stride,
            hop_us,
            stops: paced.stops,
            offsets: paced.offsets,
            ids: paced.ids,
            index: paced.index,
            in_use: extracted.in_use,
            queued: extracted.queued,
            faults,
        }
    }

    /// The calls on screen at visual time `t_us` (at most [`MAX_DOTS`]), appended to `out`.
    pub fn dots_at(&self, t_us: u64, out: &mut Vec<Dot>) {
        for &slot in self.index.candidates(t_us) {
            if out.len() >= MAX_DOTS {
                return;
            }
            let slot = slot as usize;
            let (Some(&from), Some(&to)) = (self.offsets.get(slot), self.offsets.get(slot + 1)) else { continue };
            let stops = &self.stops[from as usize..to as usize];
            if let Some(dot) = stops::position(stops, t_us) {
                out.push(Dot { request: self.ids.get(slot).copied().unwrap_or(0), ..dot });
            }
        }
    }

    /// The stops of request `id` as (visual time, station), for tests and the inspector.
    pub fn path_of(&self, id: u32) -> Vec<(u64, u8)> {
        let Ok(slot) = self.ids.binary_search(&id) else { return Vec::new() };
        let (from, to) = (self.offsets[slot] as usize, self.offsets[slot + 1] as usize);
        self.stops[from..to].iter().map(|s| (s.v_us, s.station)).collect()
    }

    /// Every station's state at real time `t_us`.
    pub fn states_at(&self, derived: &Derived, t_us: u64) -> Vec<StationState> {
        let mut states = Vec::with_capacity(self.stations.len());
        for (i, station) in self.stations.iter().enumerate() {
            let mut state = StationState {
                busy: self.in_use.get(i).map_or(0, |s| s.at(t_us)),
                queued: self.queued.get(i).map_or(0, |s| s.at(t_us)),
                ..StationState::default()
            };
            if station.kind == StationKind::Service {
                // The trace has calls in service; beyond the workers they wait in its queue.
                let inside = state.busy;
                state.busy = station.capacity.map_or(inside, |c| inside.min(c));
                state.queued = inside - state.busy;
            }
            if let Some(layer) = derived.layers.get(&(self.endpoint, station.label)) {
                state.breaker = layer.state_at(t_us);
                state.waiting = layer.waiting_at(t_us) as u32;
                state.counts = layer.counts_at(t_us);
                state.limit = layer.limit_at(t_us);
            }
            states.push(state);
        }
        states
    }

    /// The index of the first station of this kind.
    pub fn find(&self, kind: StationKind) -> Option<usize> {
        self.stations.iter().position(|s| s.kind == kind)
    }

    /// The busiest slot count ever seen at station `i` (tests check it against capacity).
    pub fn peak_in_use(&self, i: usize) -> u32 {
        self.in_use.get(i).map_or(0, Steps::max)
    }
}

/// The fault windows of the service `endpoint` calls.
fn faults_of(scenario: &Scenario, endpoint: usize, end_us: u64) -> Vec<(u64, u64, &'static str)> {
    let Some(endpoint) = scenario.endpoints.get(endpoint) else { return Vec::new() };
    let Some(service) = scenario.services.iter().find(|s| s.name == endpoint.service) else { return Vec::new() };
    service
        .faults
        .iter()
        .map(|f| {
            let (from, to) = f.window();
            (from.as_micros(), to.map_or(end_us.max(scenario.duration.as_micros()), |t| t.as_micros()), f.kind_name())
        })
        .collect()
}

/// The stations of `endpoint`'s stack: client, pool (if any), enabled layers outermost first,
/// service.
pub fn stations_of(scenario: &Scenario, endpoint: usize) -> Vec<Station> {
    let mut stations = vec![Station { kind: StationKind::Client, label: u8::MAX, capacity: None }];
    if let Some(pool) = &scenario.client {
        stations.push(Station { kind: StationKind::Pool, label: POOL, capacity: Some(pool.workers) });
    }
    let Some(endpoint) = scenario.endpoints.get(endpoint) else { return stations };
    for (i, layer) in endpoint.stack.iter().enumerate().filter(|(_, l)| l.enabled()) {
        let (kind, capacity) = match layer {
            Layer::Fallback(_) => (StationKind::Fallback, None),
            Layer::Cache(_) => (StationKind::Cache, None),
            Layer::CircuitBreaker(_) => (StationKind::Breaker, None),
            Layer::Retry(_) => (StationKind::Retry, None),
            Layer::Timeout(_) => (StationKind::Timeout, None),
            Layer::Bulkhead(c) => (StationKind::Bulkhead, Some(c.max_concurrent)),
            Layer::RateLimiter(_) => (StationKind::RateLimiter, None),
            Layer::Hedging(_) => (StationKind::Hedging, None),
            Layer::AdaptiveLimit(_) => (StationKind::AdaptiveLimit, None),
            Layer::Throttle(_) => (StationKind::Throttle, None),
            // A kind this diagram has no station for yet passes calls straight through.
            _ => continue,
        };
        stations.push(Station { kind, label: i as u8, capacity });
    }
    let workers = scenario.services.iter().find(|s| s.name == endpoint.service).and_then(|s| s.capacity);
    stations.push(Station { kind: StationKind::Service, label: SERVICE, capacity: workers.map(|c| c.concurrency) });
    stations
}
