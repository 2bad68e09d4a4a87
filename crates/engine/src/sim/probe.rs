//! The driver's side of the pattern contract: what a layer reports while it handles a call
//! (trace records, counters, occupancy, state changes, wake-ups) lands in the trace, the
//! metrics and the event queue.

use super::engine::{Engine, Event, Request};
use super::metrics::LayerSample;
use super::queue::EventQueue;
use super::trace::{NO_REQUEST, Trace, TraceKind};
use crate::patterns::contract::{Counter, LayerId, Probe};
use crate::patterns::registry::LayerRuntime;
use crate::sim::layers::{NodeId, NodeState};
use crate::time::Instant;

/// What the driver keeps for one layer besides the layer itself: who owns it, its last
/// reported state (see `patterns::contract::Probe::state`) and its changes, and when its shared
/// timer is next due. One record per layer, so that a probe borrows one thing.
#[derive(Debug)]
pub(super) struct LayerBook {
    /// The endpoint whose stack holds the layer.
    endpoint: u16,
    /// The layer's trace label.
    label: u8,
    /// The layer's last reported state code.
    state: u8,
    /// When the layer's shared timer is next due.
    pub(super) timer_at: Instant,
    /// State changes as (metrics bucket, code).
    pub(super) state_changes: Vec<(usize, u8)>,
}

impl LayerBook {
    /// The book of `layer`, owned by `endpoint`, labelled `label` in the trace.
    pub(super) fn new(layer: &LayerRuntime, endpoint: u16, label: u8) -> Self {
        Self { endpoint, label, state: layer.initial_state(), timer_at: Instant::NEVER, state_changes: Vec::new() }
    }
}

/// A layer's window onto the engine while it handles one call (or its own timer). What it
/// costs is paid when used: the metrics sample and the request's fields are read on demand.
pub(super) struct EngineProbe<'a> {
    now: Instant,
    /// The metrics bucket of `now`.
    bucket: usize,
    runtime: LayerId,
    /// The request of the call (`None` for the layer's own timer).
    request: Option<&'a Request>,
    /// The trace label of the call's layer: its place in the calling endpoint's stack (a
    /// runtime shared by several stacks has a different place in each).
    label: u8,
    book: &'a mut LayerBook,
    samples: &'a mut [LayerSample],
    trace: &'a mut Option<Trace>,
    queue: &'a mut EventQueue<Event>,
    /// See [`Probe::inner`].
    inner: u8,
}

impl EngineProbe<'_> {
    /// The layer's sample in the current bucket.
    fn sample(&mut self) -> Option<&mut LayerSample> {
        self.samples.get_mut(self.bucket)
    }
}

impl Probe for EngineProbe<'_> {
    fn now(&self) -> Instant {
        self.now
    }

    fn key(&self) -> u32 {
        self.request.map_or(0, |r| r.key)
    }

    #[inline]
    fn trace(&mut self, kind: TraceKind, value: u32) {
        if let Some(trace) = self.trace.as_mut() {
            let (id, attempt) = self.request.map_or((NO_REQUEST, 0), |r| (r.id, r.attempts));
            trace.push(self.now, id, kind, self.label, attempt, value);
        }
    }

    fn count(&mut self, counter: Counter) {
        let Some(sample) = self.sample() else { return };
        match counter {
            Counter::Hit => sample.hits += 1,
            Counter::Miss => sample.misses += 1,
            Counter::Rejected => sample.rejected += 1,
            Counter::Retry => sample.retries += 1,
        }
    }

    fn occupancy(&mut self, in_use: u32, waiting: u32) {
        let Some(sample) = self.sample() else { return };
        sample.in_use_max = sample.in_use_max.max(in_use);
        sample.waiting_max = sample.waiting_max.max(waiting);
    }

    fn state(&mut self, code: u8) {
        if self.book.state == code {
            return;
        }
        self.book.state = code;
        self.book.state_changes.push((self.bucket, code));
        if let Some(trace) = self.trace.as_mut() {
            let value = u32::from(self.book.endpoint) << 8 | u32::from(code);
            trace.push(self.now, NO_REQUEST, TraceKind::StateChange, self.book.label, 0, value);
        }
    }

    fn inner(&self) -> u8 {
        self.inner
    }

    fn wake_layer_at(&mut self, at: Option<Instant>) {
        let Some(at) = at else { return };
        if at < self.book.timer_at {
            self.book.timer_at = at;
            self.queue.push(at, Event::LayerTimer { runtime: self.runtime });
        }
    }
}

impl Engine {
    /// Runs `f` with layer `runtime`, the state of the call `node` has inside it (`None` for
    /// the layer's own timer) and a probe reporting into the engine.
    #[inline]
    pub(super) fn with_layer<R>(
        &mut self,
        runtime: LayerId,
        node: Option<NodeId>,
        f: impl FnOnce(&mut LayerRuntime, Option<&mut NodeState>, &mut EngineProbe<'_>) -> R,
    ) -> R {
        let r = runtime.index();
        let request = node.map(|node| &self.requests[self.nodes[node.index()].request.index()]);
        let label = node.map_or(self.books[r].label, |node| self.nodes[node.index()].slot.label);
        let mut probe = EngineProbe {
            now: self.now,
            bucket: self.bucket,
            runtime,
            request,
            label,
            book: &mut self.books[r],
            samples: &mut self.metrics.layers[r].samples,
            trace: &mut self.trace,
            queue: &mut self.queue,
            inner: self.delivering,
        };
        let call = node.map(|node| &mut self.nodes[node.index()].state);
        f(&mut self.stacks.runtimes[r], call, &mut probe)
    }
}
