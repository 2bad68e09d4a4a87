//! The discrete-event engine: requests flow as a chain of nodes, one per layer they are inside,
//! from the outermost layer to a leaf that calls the service. Answers travel back out through
//! the same nodes. Everything happening at one instant is processed through a FIFO of steps,
//! so no input (zero backoff, immediate 503s) can recurse without bound.
//!
//! ```text
//!   arrival ─> node(layer 0) ─> node(layer 1) ─> … ─> leaf ─> service
//!                   ▲               ▲                    │
//!                   └── reply ──────┴──── reply ─────────┘  (a layer may retry, answer from
//!                                                            cache, fall back or time out)
//! ```

use std::collections::{BTreeMap, VecDeque};

use super::bounds::{BOUNDS_CHECK_EVENTS, run_bound};
use super::layers::{NodeId, NodeState, RequestSlot, Slot, Stacks};
use super::load::{Arrivals, KeySampler, arrival_stream};
use super::metrics::{LayerSample, LayerSeries, Metrics, ServiceSeries};
use super::probe::LayerBook;
use super::queue::EventQueue;
use super::service::ServiceRuntime;
use super::summary::TotalsBuilder;
use super::trace::Trace;
use super::{RunError, RunOptions, TraceMode};
use crate::patterns::contract::{LayerId, Reply};
use crate::rng::{Stream, StreamId};
use crate::scenario::{Scenario, ScenarioError};
use crate::time::Instant;

/// What the queue holds.
#[derive(Clone, Copy, Debug)]
pub(super) enum Event {
    /// The next open-loop arrival of an endpoint.
    Arrival { endpoint: u16 },
    /// A closed-loop client of an endpoint finished thinking.
    ClientWake { endpoint: u16 },
    /// A service worker finished the request of `node`.
    ServiceDone { service: u16, status: u16, node: NodeId, generation: u32 },
    /// A node's own timer (timeout deadline, end of a retry backoff).
    NodeTimer { node: NodeId, generation: u32 },
    /// A layer's shared timer (bulkhead wait expiry, breaker half-open limit).
    LayerTimer { runtime: LayerId },
}

/// Work at the current instant.
#[derive(Clone, Copy, Debug)]
pub(super) enum Step {
    /// Deliver `reply` to node `to`, whose inner call number `inner` just finished (0: the
    /// first; a hedging layer's later ones count up from 1).
    Deliver { to: NodeId, generation: u32, reply: Reply, inner: u8 },
    /// Node `node` was handed a permit while waiting: send the call further in.
    Admitted { node: NodeId, generation: u32 },
}

/// A node: one call inside one layer.
#[derive(Debug)]
pub(super) struct Node {
    pub(super) request: RequestSlot,
    /// Position in the endpoint's compiled stack (`depth == len` for a leaf).
    pub(super) depth: u8,
    pub(super) parent: NodeId,
    /// The node one layer further in that is working on this call, if any.
    pub(super) child: NodeId,
    pub(super) generation: u32,
    /// The layer the node is in (its runtime and trace label), kept so the hot path need not
    /// look it up through the request and the endpoint's stack.
    pub(super) slot: Slot,
    pub(super) state: NodeState,
}

/// A request in flight.
#[derive(Clone, Copy, Debug)]
pub(super) struct Request {
    pub(super) id: u32,
    pub(super) endpoint: u16,
    pub(super) arrived: Instant,
    pub(super) key: u32,
    pub(super) attempts: u16,
    /// Inner calls started beside another (hedges): not retries.
    pub(super) hedges: u16,
    pub(super) measured: bool,
}

/// An endpoint during a run.
#[derive(Debug)]
pub(super) struct EndpointRuntime {
    pub(super) service: u16,
    pub(super) arrivals: Arrivals,
    pub(super) arrival_rng: Stream,
    pub(super) keys: KeySampler,
    pub(super) key_rng: Stream,
    pub(super) think_rng: Stream,
    pub(super) totals: TotalsBuilder,
}

/// The whole simulation state. It owns everything it needs, so a run can be advanced in
/// slices (see [`super::Simulation`]).
#[derive(Debug)]
pub(super) struct Engine {
    pub(super) name: String,
    pub(super) seed: u64,
    /// Measured time (duration minus warm-up), in seconds.
    pub(super) measured_s: f64,
    pub(super) endpoint_names: Vec<String>,
    pub(super) now: Instant,
    /// The metrics bucket of `now`, and when the next one starts (kept as time advances, so
    /// that recording a reading divides nothing).
    pub(super) bucket: usize,
    pub(super) bucket_end: Instant,
    pub(super) queue: EventQueue<Event>,
    pub(super) steps: VecDeque<Step>,
    /// Inner calls a node started beside its first (a hedging layer's), in start order, each
    /// with its number (1, 2, …).
    pub(super) extra_children: BTreeMap<NodeId, Vec<(NodeId, u8)>>,
    /// The number of the inner call whose reply is being handed over (see [`Step::Deliver`]).
    pub(super) delivering: u8,
    pub(super) nodes: Vec<Node>,
    pub(super) free_nodes: Vec<NodeId>,
    pub(super) requests: Vec<Request>,
    pub(super) free_requests: Vec<RequestSlot>,
    pub(super) next_request_id: u32,
    pub(super) in_flight: u64,
    pub(super) endpoints: Vec<EndpointRuntime>,
    pub(super) stacks: Stacks,
    /// What the driver keeps for each layer: owner, state, shared timer (see [`LayerBook`]).
    pub(super) books: Vec<LayerBook>,
    pub(super) services: Vec<ServiceRuntime>,
    pub(super) trace: Option<Trace>,
    pub(super) metrics: Metrics,
    pub(super) arrivals_end: Instant,
    pub(super) warmup_end: Instant,
    pub(super) drain_end: Instant,
    pub(super) events: u64,
    pub(super) events_max: u64,
    /// Requests started so far, and the most the load may start.
    pub(super) arrivals: u64,
    pub(super) arrivals_max: u64,
    /// Downstream attempts started so far, and the most the retries may start.
    pub(super) attempts: u64,
    pub(super) attempts_max: u64,
    /// Events in a row at the current instant (counted at each periodic check), the most
    /// allowed, and the instant of the last check.
    pub(super) stalled_events: u64,
    pub(super) checked_at: Instant,
    pub(super) stalled_events_max: u64,
    pub(super) calls_in_flight_max: usize,
    pub(super) pending_events_max: usize,
    /// Queue length at which cancelled timers are next swept out.
    pub(super) compact_at: usize,
    pub(super) compact_min: usize,
    started: bool,
}

impl Engine {
    pub(super) fn new(scenario: &Scenario, options: &RunOptions) -> Result<Self, ScenarioError> {
        let seed = scenario.seed;
        let duration_us = scenario.duration.as_micros();
        let (bucket_us, bucket_count) = Metrics::layout(duration_us, scenario.bucket.map(|b| b.as_micros()));
        let endpoints = endpoint_runtimes(scenario, bucket_count);
        let key_spaces: Vec<u32> = endpoints.iter().map(|e| e.keys.key_space()).collect();
        let stacks = Stacks::compile(scenario, &key_spaces)?;
        let metrics = empty_metrics(scenario, &stacks, bucket_us, bucket_count);
        let trace = match options.trace {
            TraceMode::Full { max_events } => Some(Trace::with_cap(max_events)),
            TraceMode::MetricsOnly => None,
        };
        let books = stacks.runtimes.iter().zip(&stacks.owners).map(|(r, (e, l))| LayerBook::new(r, *e, *l)).collect();
        Ok(Self {
            name: scenario.name.clone(),
            seed,
            measured_s: duration_us.saturating_sub(scenario.warmup.as_micros()) as f64 / 1e6,
            endpoint_names: scenario.endpoints.iter().map(|e| e.name.clone()).collect(),
            now: Instant::ZERO,
            bucket: 0,
            bucket_end: Instant::ZERO,
            queue: EventQueue::new(),
            steps: VecDeque::with_capacity(64),
            extra_children: BTreeMap::new(),
            delivering: 0,
            nodes: Vec::with_capacity(1024),
            free_nodes: Vec::new(),
            requests: Vec::with_capacity(1024),
            free_requests: Vec::new(),
            next_request_id: 0,
            in_flight: 0,
            endpoints,
            stacks,
            books,
            services: scenario
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| ServiceRuntime::new(s, i as u16, seed))
                .collect(),
            trace,
            metrics,
            arrivals_end: Instant::from_micros(duration_us),
            warmup_end: Instant::from_micros(scenario.warmup.as_micros()),
            drain_end: Instant::from_micros(duration_us.saturating_add(duration_us.max(60_000_000))),
            events: 0,
            events_max: options.max_events,
            arrivals: 0,
            arrivals_max: run_bound(scenario.expected_requests()),
            attempts: 0,
            attempts_max: run_bound(scenario.expected_attempts()),
            stalled_events: 0,
            checked_at: Instant::ZERO,
            stalled_events_max: options.stalled_events_max,
            calls_in_flight_max: options.calls_in_flight_max,
            pending_events_max: options.pending_events_max,
            compact_at: options.queue_compact_min,
            compact_min: options.queue_compact_min,
            started: false,
        })
    }

    /// Events processed so far.
    pub(super) fn events(&self) -> u64 {
        self.events
    }

    /// Processes up to `budget` events. Returns true when the run is over: arrivals stopped at
    /// the duration and in-flight work drained (or the drain limit passed).
    pub(super) fn step(&mut self, budget: u64) -> Result<bool, RunError> {
        if !self.started {
            self.started = true;
            self.enter_bucket();
            self.schedule_first_arrivals();
        }
        for _ in 0..budget {
            let Some((at, event)) = self.queue.pop() else { return Ok(true) };
            if at > self.drain_end {
                return Ok(true);
            }
            self.now = at;
            if at >= self.bucket_end {
                self.enter_bucket();
            }
            self.dispatch(event);
            self.drain_steps();
            self.events += 1;
            if self.events > self.events_max {
                return Err(RunError::EventBudget {
                    scenario: self.name.clone(),
                    seed: self.seed,
                    limit: self.events_max,
                });
            }
            if self.events % BOUNDS_CHECK_EVENTS == 0 {
                self.periodic_checks()?;
            }
            if self.in_flight == 0 && self.now >= self.arrivals_end {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Virtual time reached, in microseconds.
    pub(super) fn now_us(&self) -> u64 {
        self.now.as_micros()
    }

    /// The run's duration (end of arrivals), in microseconds.
    pub(super) fn duration_us(&self) -> u64 {
        self.arrivals_end.as_micros()
    }

    /// Moves to the metrics bucket of `now`.
    #[cold]
    fn enter_bucket(&mut self) {
        self.bucket = self.metrics.index(self.now.as_micros());
        self.bucket_end = if self.bucket + 1 >= self.metrics.buckets.len() {
            Instant::NEVER
        } else {
            Instant::from_micros((self.bucket as u64 + 1).saturating_mul(self.metrics.bucket_us))
        };
    }

    fn schedule_first_arrivals(&mut self) {
        for e in 0..self.endpoints.len() {
            let endpoint = &mut self.endpoints[e];
            for _ in 0..endpoint.arrivals.clients() {
                let think = endpoint.arrivals.think_us(&mut endpoint.think_rng);
                self.queue.push(Instant::from_micros(think), Event::ClientWake { endpoint: e as u16 });
            }
            if self.endpoints[e].arrivals.all_upfront() {
                while self.schedule_next_arrival(e as u16) {}
            } else {
                self.schedule_next_arrival(e as u16);
            }
        }
    }

    /// Schedules the endpoint's next open-loop arrival; false when there is none.
    fn schedule_next_arrival(&mut self, endpoint: u16) -> bool {
        let e = &mut self.endpoints[endpoint as usize];
        let Some(at) = e.arrivals.next(&mut e.arrival_rng).filter(|at| *at < self.arrivals_end) else { return false };
        // An endpoint's arrivals come in time order: they wait in a lane of the queue.
        self.queue.push_in(super::leaf::ARRIVAL_LANE, at, Event::Arrival { endpoint });
        true
    }

    fn dispatch(&mut self, event: Event) {
        match event {
            Event::Arrival { endpoint } => {
                if !self.endpoints[endpoint as usize].arrivals.all_upfront() {
                    self.schedule_next_arrival(endpoint);
                }
                self.start_request(endpoint);
            }
            Event::ClientWake { endpoint } => {
                if self.now < self.arrivals_end {
                    self.start_request(endpoint);
                }
            }
            Event::ServiceDone { service, status, node, generation } => {
                self.service_done(service, status, node, generation)
            }
            Event::NodeTimer { node, generation } => {
                if self.alive(node, generation) {
                    self.on_wake(node);
                }
            }
            Event::LayerTimer { runtime } => self.on_layer_timer(runtime),
        }
    }

    fn drain_steps(&mut self) {
        while let Some(step) = self.steps.pop_front() {
            match step {
                Step::Deliver { to, generation, reply, inner } if self.alive(to, generation) => {
                    self.delivering = inner;
                    self.on_reply(to, reply);
                    self.delivering = 0;
                }
                Step::Admitted { node, generation } if self.alive(node, generation) => self.on_wake(node),
                _ => {}
            }
        }
    }
}

/// Each endpoint's runtime: its service, arrivals, key sampler and random streams.
fn endpoint_runtimes(scenario: &Scenario, bucket_count: usize) -> Vec<EndpointRuntime> {
    let (seed, duration_us) = (scenario.seed, scenario.duration.as_micros());
    let endpoint = |(i, e): (usize, &crate::scenario::Endpoint)| {
        let i = i as u16;
        EndpointRuntime {
            service: scenario.service_index(&e.service).unwrap_or(0) as u16,
            arrivals: Arrivals::new(&e.load, duration_us),
            arrival_rng: arrival_stream(seed, i),
            keys: KeySampler::new(e.keys),
            key_rng: Stream::new(seed, StreamId::Keys(i)),
            think_rng: Stream::new(seed, StreamId::Think(i)),
            totals: TotalsBuilder::new(bucket_count),
        }
    };
    scenario.endpoints.iter().enumerate().map(endpoint).collect()
}

/// Metrics with a zeroed series for every layer and service.
fn empty_metrics(scenario: &Scenario, stacks: &Stacks, bucket_us: u64, bucket_count: usize) -> Metrics {
    let layer_series = stacks
        .runtimes
        .iter()
        .zip(&stacks.owners)
        .map(|(runtime, (endpoint, layer))| LayerSeries {
            endpoint: *endpoint,
            layer: *layer,
            kind: runtime.kind(),
            samples: vec![LayerSample::default(); bucket_count],
        })
        .collect();
    let service_series = scenario
        .services
        .iter()
        .map(|s| ServiceSeries {
            name: s.name.clone(),
            busy_max: vec![0; bucket_count],
            queued_max: vec![0; bucket_count],
        })
        .collect();
    Metrics::new(bucket_us, bucket_count, layer_series, service_series)
}
