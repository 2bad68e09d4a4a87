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

use std::collections::VecDeque;

use super::layers::{NO_NODE, NodeId, NodeState, Stacks};
use super::load::{Arrivals, KeySampler, arrival_stream};
use super::metrics::{LayerSample, LayerSeries, Metrics, ServiceSeries};
use super::outcome::Outcome;
use super::queue::EventQueue;
use super::service::{Arrival, ServiceRuntime};
use super::summary::{Summary, TotalsBuilder};
use super::trace::{NO_LAYER, NO_REQUEST, SERVICE, Trace, TraceKind};
use super::{Bound, RunError, RunOptions, TraceMode};
use crate::patterns::Failure;
use crate::patterns::contract::{Reply, Source};
use crate::rng::{Stream, StreamId};
use crate::scenario::Scenario;
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
    LayerTimer { runtime: u16 },
}

/// Work at the current instant.
#[derive(Clone, Copy, Debug)]
pub(super) enum Step {
    /// Deliver `reply` to node `to` (whose child just finished).
    Deliver { to: NodeId, generation: u32, reply: Reply },
    /// Node `node` was handed a permit while waiting: send the call further in.
    Admitted { node: NodeId, generation: u32 },
}

/// A node: one call inside one layer.
#[derive(Debug)]
pub(super) struct Node {
    pub(super) request: u32,
    /// Position in the endpoint's compiled stack (`depth == len` for a leaf).
    pub(super) depth: u8,
    pub(super) parent: NodeId,
    /// The node one layer further in that is working on this call, if any.
    pub(super) child: NodeId,
    pub(super) generation: u32,
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
    name: String,
    seed: u64,
    /// Measured time (duration minus warm-up), in seconds.
    measured_s: f64,
    endpoint_names: Vec<String>,
    pub(super) now: Instant,
    pub(super) queue: EventQueue<Event>,
    pub(super) steps: VecDeque<Step>,
    pub(super) nodes: Vec<Node>,
    free_nodes: Vec<NodeId>,
    pub(super) requests: Vec<Request>,
    free_requests: Vec<u32>,
    next_request_id: u32,
    pub(super) in_flight: u64,
    pub(super) endpoints: Vec<EndpointRuntime>,
    pub(super) stacks: Stacks,
    /// When each layer's shared timer is next due.
    pub(super) layer_timer_at: Vec<Instant>,
    /// Each layer's last reported state code (see `patterns::contract::Probe::state`).
    pub(super) layer_state: Vec<u8>,
    pub(super) state_changes: Vec<Vec<(usize, u8)>>,
    pub(super) services: Vec<ServiceRuntime>,
    pub(super) trace: Option<Trace>,
    pub(super) metrics: Metrics,
    arrivals_end: Instant,
    warmup_end: Instant,
    drain_end: Instant,
    events: u64,
    events_max: u64,
    /// Requests started so far, and the most the load may start.
    arrivals: u64,
    arrivals_max: u64,
    /// Downstream attempts started so far, and the most the retries may start.
    attempts: u64,
    attempts_max: u64,
    /// Events in a row at the current instant (counted at each periodic check), the most
    /// allowed, and the instant of the last check.
    stalled_events: u64,
    checked_at: Instant,
    stalled_events_max: u64,
    calls_in_flight_max: usize,
    pending_events_max: usize,
    /// Queue length at which cancelled timers are next swept out.
    compact_at: usize,
    compact_min: usize,
    started: bool,
}

impl Engine {
    pub(super) fn new(scenario: &Scenario, options: &RunOptions) -> Self {
        let seed = scenario.seed;
        let duration_us = scenario.duration.as_micros();
        let (bucket_us, bucket_count) = Metrics::layout(duration_us, scenario.bucket.map(|b| b.as_micros()));
        let endpoints: Vec<EndpointRuntime> = scenario
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| {
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
            })
            .collect();
        let key_spaces: Vec<u32> = endpoints.iter().map(|e| e.keys.key_space()).collect();
        let stacks = Stacks::compile(scenario, &key_spaces);
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
        let trace = match options.trace {
            TraceMode::Full { max_events } => Some(Trace::with_cap(max_events)),
            TraceMode::MetricsOnly => None,
        };
        let runtimes = stacks.runtimes.len();
        Self {
            name: scenario.name.clone(),
            seed,
            measured_s: duration_us.saturating_sub(scenario.warmup.as_micros()) as f64 / 1e6,
            endpoint_names: scenario.endpoints.iter().map(|e| e.name.clone()).collect(),
            now: Instant::ZERO,
            queue: EventQueue::new(),
            steps: VecDeque::with_capacity(64),
            nodes: Vec::with_capacity(1024),
            free_nodes: Vec::new(),
            requests: Vec::with_capacity(1024),
            free_requests: Vec::new(),
            next_request_id: 0,
            in_flight: 0,
            endpoints,
            stacks,
            layer_timer_at: vec![Instant::NEVER; runtimes],
            layer_state: vec![0; runtimes],
            state_changes: vec![Vec::new(); runtimes],
            services: scenario
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| ServiceRuntime::new(s, i as u16, seed))
                .collect(),
            trace,
            metrics: Metrics::new(bucket_us, bucket_count, layer_series, service_series),
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
        }
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
            self.schedule_first_arrivals();
        }
        for _ in 0..budget {
            let Some((at, event)) = self.queue.pop() else { return Ok(true) };
            if at > self.drain_end {
                return Ok(true);
            }
            self.now = at;
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

    /// Every [`BOUNDS_CHECK_EVENTS`] events: the progress guard, the queue sweep and the
    /// bounds (checked in batches so that a normal event pays one comparison for them all).
    fn periodic_checks(&mut self) -> Result<(), RunError> {
        if self.now == self.checked_at {
            self.stalled_events += BOUNDS_CHECK_EVENTS;
        } else {
            (self.stalled_events, self.checked_at) = (0, self.now);
        }
        if self.queue.len() >= self.compact_at {
            self.compact_queue();
        }
        self.check_bounds()
    }

    /// Sweeps cancelled node timers out of the queue, without changing what the run does.
    ///
    /// A cancelled timer does nothing when it comes out, except set the clock, and so possibly
    /// end the run (at or after the end of arrivals, with nothing in flight) or set the final
    /// time (the last event before the drain limit). Keeping the earliest cancelled timer at or
    /// after the end of arrivals and the latest one before the drain limit keeps both; every
    /// other one goes. The trace, metrics and summary are unchanged; only the count of events
    /// processed (cancelled timers included) is lower.
    fn compact_queue(&mut self) {
        let (first_after_end, last_before_drain) = self.cancelled_timers_to_keep();
        let nodes = &self.nodes;
        self.queue.retain(|at, seq, event| match *event {
            Event::NodeTimer { node, generation } => {
                timer_alive(nodes, node, generation)
                    || Some((at, seq)) == first_after_end
                    || Some((at, seq)) == last_before_drain
            }
            _ => true,
        });
        self.compact_at = (self.queue.len() * 2).max(self.compact_min);
    }

    /// `(at, seq)` of the earliest cancelled timer at or after the end of arrivals, and of the
    /// latest one not after the drain limit.
    fn cancelled_timers_to_keep(&self) -> (Option<QueuePlace>, Option<QueuePlace>) {
        let (mut first, mut last): (Option<QueuePlace>, Option<QueuePlace>) = (None, None);
        self.queue.for_each(|at, seq, event| {
            if let Event::NodeTimer { node, generation } = *event {
                if timer_alive(&self.nodes, node, generation) {
                    return;
                }
                if at >= self.arrivals_end && first.is_none_or(|f| (at, seq) < f) {
                    first = Some((at, seq));
                }
                if at <= self.drain_end && last.is_none_or(|l| (at, seq) > l) {
                    last = Some((at, seq));
                }
            }
        });
        (first, last)
    }

    /// Stops the run when it passes one of its bounds (a handful of comparisons, run every
    /// [`BOUNDS_CHECK_EVENTS`] events).
    fn check_bounds(&self) -> Result<(), RunError> {
        let passed = if self.arrivals > self.arrivals_max {
            Some((Bound::Arrivals, self.arrivals_max))
        } else if self.attempts > self.attempts_max {
            Some((Bound::Attempts, self.attempts_max))
        } else if self.nodes.len() > self.calls_in_flight_max {
            Some((Bound::CallsInFlight, self.calls_in_flight_max as u64))
        } else if self.queue.len() > self.pending_events_max {
            Some((Bound::PendingEvents, self.pending_events_max as u64))
        } else if self.stalled_events > self.stalled_events_max {
            Some((Bound::Stalled, self.stalled_events_max))
        } else {
            None
        };
        match passed {
            Some((bound, limit)) => Err(RunError::Bound { scenario: self.name.clone(), seed: self.seed, bound, limit }),
            None => Ok(()),
        }
    }

    /// Virtual time reached, in microseconds.
    pub(super) fn now_us(&self) -> u64 {
        self.now.as_micros()
    }

    /// The run's duration (end of arrivals), in microseconds.
    pub(super) fn duration_us(&self) -> u64 {
        self.arrivals_end.as_micros()
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
        self.queue.push(at, Event::Arrival { endpoint });
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
                Step::Deliver { to, generation, reply } if self.alive(to, generation) => self.on_reply(to, reply),
                Step::Admitted { node, generation } if self.alive(node, generation) => self.on_wake(node),
                _ => {}
            }
        }
    }

    // ---- requests -------------------------------------------------------------------------

    fn start_request(&mut self, endpoint: u16) {
        let e = &mut self.endpoints[endpoint as usize];
        let key = e.keys.sample(&mut e.key_rng);
        let measured = self.now >= self.warmup_end;
        if measured {
            e.totals.arrival();
        }
        let request = Request { id: self.next_request_id, endpoint, arrived: self.now, key, attempts: 0, measured };
        self.arrivals += 1;
        self.next_request_id = self.next_request_id.wrapping_add(1);
        let slot = match self.free_requests.pop() {
            Some(slot) => {
                self.requests[slot as usize] = request;
                slot
            }
            None => {
                self.requests.push(request);
                (self.requests.len() - 1) as u32
            }
        };
        self.in_flight += 1;
        let bucket = self.metrics.index(self.now.as_micros());
        self.metrics.buckets[bucket].arrivals += 1;
        self.trace(slot, TraceKind::Arrival, NO_LAYER, u32::from(endpoint));
        let root = self.new_node(slot, 0, NO_NODE);
        self.enter(root);
    }

    fn complete_request(&mut self, slot: u32, reply: Reply) {
        let request = self.requests[slot as usize];
        let outcome = classify(reply, request.attempts);
        let latency_us = self.now.micros_since(request.arrived);
        self.trace(slot, TraceKind::Complete, NO_LAYER, outcome as u32);
        self.metrics.complete(self.now.as_micros(), outcome, latency_us);
        let endpoint = &mut self.endpoints[request.endpoint as usize];
        if request.measured {
            endpoint.totals.complete(outcome, latency_us);
        }
        if endpoint.arrivals.clients() > 0 && self.now < self.arrivals_end {
            let think = endpoint.arrivals.think_us(&mut endpoint.think_rng);
            self.queue.push(self.now.plus_micros(think), Event::ClientWake { endpoint: request.endpoint });
        }
        self.free_requests.push(slot);
        self.in_flight -= 1;
    }

    // ---- nodes ----------------------------------------------------------------------------

    pub(super) fn alive(&self, node: NodeId, generation: u32) -> bool {
        timer_alive(&self.nodes, node, generation)
    }

    /// A node for `request` at `depth` of its endpoint's stack (a leaf past the last layer).
    pub(super) fn new_node(&mut self, request: u32, depth: u8, parent: NodeId) -> NodeId {
        let endpoint = self.requests[request as usize].endpoint as usize;
        let slots = &self.stacks.slots[endpoint];
        let state = match slots.get(depth as usize) {
            Some(_) => NodeState::Entering,
            None => NodeState::Leaf { service: self.endpoints[endpoint].service },
        };
        self.node_with(request, depth, parent, state)
    }

    pub(super) fn node_with(&mut self, request: u32, depth: u8, parent: NodeId, state: NodeState) -> NodeId {
        match self.free_nodes.pop() {
            Some(id) => {
                let node = &mut self.nodes[id as usize];
                (node.request, node.depth, node.parent, node.child, node.state) =
                    (request, depth, parent, NO_NODE, state);
                id
            }
            None => {
                self.nodes.push(Node { request, depth, parent, child: NO_NODE, generation: 0, state });
                (self.nodes.len() - 1) as NodeId
            }
        }
    }

    /// Frees a node; pending timers and deliveries to it become stale.
    fn free(&mut self, node: NodeId) {
        let n = &mut self.nodes[node as usize];
        n.state = NodeState::Free;
        n.generation = n.generation.wrapping_add(1);
        self.free_nodes.push(node);
    }

    /// The node is done with `reply`: free it and hand the reply to its parent (or complete
    /// the request at the root).
    pub(super) fn finish(&mut self, node: NodeId, reply: Reply) {
        let (parent, request) = (self.nodes[node as usize].parent, self.nodes[node as usize].request);
        self.free(node);
        if parent == NO_NODE {
            self.complete_request(request, reply);
        } else {
            let parent_node = &mut self.nodes[parent as usize];
            parent_node.child = NO_NODE;
            let generation = parent_node.generation;
            self.steps.push_back(Step::Deliver { to: parent, generation, reply });
        }
    }

    /// Starts the next layer (or the leaf) below `node`.
    pub(super) fn spawn_child(&mut self, node: NodeId) {
        let (request, depth) = (self.nodes[node as usize].request, self.nodes[node as usize].depth);
        let child = self.new_node(request, depth + 1, node);
        self.nodes[node as usize].child = child;
        self.enter(child);
    }

    /// Abandons `node` and everything below it, releasing what they hold.
    pub(super) fn cancel(&mut self, node: NodeId) {
        let child = self.nodes[node as usize].child;
        if child != NO_NODE {
            self.cancel(child);
        }
        self.release_on_cancel(node);
        self.free(node);
    }

    // ---- timers and services --------------------------------------------------------------

    pub(super) fn schedule_node_timer(&mut self, node: NodeId, at: Instant) {
        let generation = self.nodes[node as usize].generation;
        self.queue.push(at, Event::NodeTimer { node, generation });
    }

    fn on_layer_timer(&mut self, runtime: u16) {
        if self.layer_timer_at[runtime as usize] > self.now {
            return;
        }
        self.layer_timer_at[runtime as usize] = Instant::NEVER;
        self.handle_layer_timeout(runtime);
    }

    fn service_done(&mut self, service: u16, status: u16, node: NodeId, generation: u32) {
        if let Some((job, done_at, next_status)) = self.services[service as usize].finish(self.now) {
            self.queue.push(
                done_at,
                Event::ServiceDone { service, status: next_status, node: job.node, generation: job.generation },
            );
        }
        self.sample_service(service);
        if self.alive(node, generation) {
            self.answer_attempt(node, status, None);
        }
    }

    /// The leaf's attempt got `status` back.
    pub(super) fn answer_attempt(&mut self, node: NodeId, status: u16, retry_after_us: Option<u64>) {
        let request = self.nodes[node as usize].request;
        self.trace(request, TraceKind::AttemptEnd, SERVICE, u32::from(status));
        let reply = if status < 400 {
            Reply::Ok(Source::Service)
        } else {
            Reply::Err(Failure::Status { code: status, retry_after_us })
        };
        self.finish(node, reply);
    }

    /// A leaf sends its attempt to the service.
    pub(super) fn enter_leaf(&mut self, node: NodeId, service: u16) {
        let (request, generation) = (self.nodes[node as usize].request, self.nodes[node as usize].generation);
        let r = &mut self.requests[request as usize];
        r.attempts = r.attempts.saturating_add(1);
        self.attempts += 1;
        let endpoint = r.endpoint as usize;
        let bucket = self.metrics.index(self.now.as_micros());
        self.metrics.buckets[bucket].attempts += 1;
        if r.measured {
            self.endpoints[endpoint].totals.attempt(bucket);
        }
        self.trace(request, TraceKind::AttemptStart, SERVICE, u32::from(service));
        match self.services[service as usize].arrive(self.now, node, generation) {
            Arrival::Immediate { status, retry_after_us } => self.answer_attempt(node, status, retry_after_us),
            Arrival::Started { done_at, status } => {
                self.queue.push(done_at, Event::ServiceDone { service, status, node, generation });
            }
            Arrival::Queued => self.trace(request, TraceKind::AttemptQueued, SERVICE, u32::from(service)),
        }
        self.sample_service(service);
    }

    fn sample_service(&mut self, service: u16) {
        let stats = self.services[service as usize].stats();
        let bucket = self.metrics.index(self.now.as_micros());
        let series = &mut self.metrics.services[service as usize];
        series.busy_max[bucket] = series.busy_max[bucket].max(stats.busy);
        series.queued_max[bucket] = series.queued_max[bucket].max(stats.queued);
    }

    // ---- observation ----------------------------------------------------------------------

    /// Records a trace event for the request in `slot` (no-op in metrics-only mode).
    #[inline]
    pub(super) fn trace(&mut self, slot: u32, kind: TraceKind, layer: u8, value: u32) {
        if let Some(trace) = &mut self.trace {
            let (id, attempt) = if slot == NO_REQUEST {
                (NO_REQUEST, 0)
            } else {
                let r = &self.requests[slot as usize];
                (r.id, r.attempts)
            };
            trace.push(self.now, id, kind, layer, attempt, value);
        }
    }

    pub(super) fn label(&self, node: NodeId) -> (u16, u8) {
        let n = &self.nodes[node as usize];
        let endpoint = self.requests[n.request as usize].endpoint as usize;
        let slot = self.stacks.slots[endpoint][n.depth as usize];
        (slot.runtime, slot.label)
    }

    /// Ends the run: fills state series, computes percentiles and the summary.
    pub(super) fn into_parts(mut self) -> (Summary, Metrics, Option<Trace>) {
        if let Some(trace) = &mut self.trace {
            trace.events.shrink_to_fit();
        }
        self.fill_state_series();
        self.metrics.finish();
        let measured_s = self.measured_s;
        let bucket_s = self.metrics.bucket_us as f64 / 1e6;
        let mut all = TotalsBuilder::new(self.metrics.buckets.len());
        let endpoints = self
            .endpoints
            .iter()
            .zip(&self.endpoint_names)
            .map(|(runtime, name)| {
                all.absorb(&runtime.totals);
                runtime.totals.build(name, measured_s, bucket_s)
            })
            .collect();
        let summary = Summary {
            total: all.build("all", measured_s, bucket_s),
            endpoints,
            unfinished: self.in_flight,
            virtual_end_s: self.now.as_micros() as f64 / 1e6,
        };
        (summary, self.metrics, self.trace)
    }

    fn fill_state_series(&mut self) {
        for (runtime, changes) in self.state_changes.iter().enumerate() {
            let layer = &self.stacks.runtimes[runtime];
            let worse = |a: u8, b: u8| if layer.severity(b) > layer.severity(a) { b } else { a };
            let samples = &mut self.metrics.layers[runtime].samples;
            let (mut state, mut changes) = (0u8, changes.iter().peekable());
            for (bucket, sample) in samples.iter_mut().enumerate() {
                let mut worst = state;
                while let Some((_, next)) = changes.next_if(|(b, _)| *b == bucket) {
                    state = *next;
                    worst = worse(worst, state);
                }
                sample.state = state;
                sample.worst_state = worst;
            }
        }
    }
}

/// Events between two periodic checks of the bounds, the progress guard and the queue sweep.
const BOUNDS_CHECK_EVENTS: u64 = 1_024;

/// Where an event sits in the queue's order: its time and insertion sequence.
type QueuePlace = (Instant, u64);

/// True while the node `node` of `generation` is in use (a timer for it still counts).
fn timer_alive(nodes: &[Node], node: NodeId, generation: u32) -> bool {
    nodes.get(node as usize).is_some_and(|n| n.generation == generation && !matches!(n.state, NodeState::Free))
}

/// A run-time bound from an estimate: twice the estimate plus 10 000 (room for randomness).
fn run_bound(estimate: f64) -> u64 {
    (estimate * 2.0 + 10_000.0) as u64
}

/// The final outcome of a request that ended with `reply` after `attempts` downstream attempts.
fn classify(reply: Reply, attempts: u16) -> Outcome {
    match reply {
        Reply::Ok(Source::Service) if attempts > 1 => Outcome::SuccessAfterRetry,
        Reply::Ok(Source::Service) => Outcome::Success,
        Reply::Ok(Source::CacheFresh) => Outcome::CacheFresh,
        Reply::Ok(Source::CacheStale) => Outcome::CacheStale,
        Reply::Ok(Source::Fallback) => Outcome::Fallback,
        Reply::Err(Failure::Timeout) => Outcome::TimedOut,
        Reply::Err(Failure::Rejected(r)) if r.is_breaker() => Outcome::RejectedByBreaker,
        Reply::Err(Failure::Rejected(r)) if r.is_bulkhead() => Outcome::RejectedByBulkhead,
        Reply::Err(_) => Outcome::Failed,
    }
}
