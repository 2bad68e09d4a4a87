//! Timers and services: node and layer timers coming due, attempts sent to a service (the
//! leaf of a call's chain of nodes), and the service's answers.

use super::engine::{Engine, Event};
use super::layers::NodeId;
use super::queue::LANES;
use super::service::Arrival;
use super::trace::{SERVICE, TraceKind};
use crate::patterns::Failure;
use crate::patterns::contract::{LayerId, Reply, Source};
use crate::time::Instant;

/// The queue lane of arrivals; node deadlines take the lanes from [`FIRST_DEADLINE_LANE`] on.
pub(super) const ARRIVAL_LANE: usize = 0;
/// The first queue lane of node deadlines.
pub(super) const FIRST_DEADLINE_LANE: usize = 1;

impl Engine {
    pub(super) fn schedule_node_timer(&mut self, node: NodeId, at: Instant) {
        let generation = self.nodes[node.index()].generation;
        self.queue.push(at, Event::NodeTimer { node, generation });
    }

    /// A node's deadline: a layer's deadlines are `now` plus its constant, so they wait in a
    /// lane of the queue (in time order) rather than in its heap.
    pub(super) fn schedule_node_deadline(&mut self, node: NodeId, at: Instant) {
        let n = &self.nodes[node.index()];
        let lane = FIRST_DEADLINE_LANE + n.slot.runtime.index() % (LANES - FIRST_DEADLINE_LANE);
        self.queue.push_in(lane, at, Event::NodeTimer { node, generation: n.generation });
    }

    pub(super) fn on_layer_timer(&mut self, runtime: LayerId) {
        if self.books[runtime.index()].timer_at > self.now {
            return;
        }
        self.books[runtime.index()].timer_at = Instant::NEVER;
        self.handle_layer_timeout(runtime);
    }

    pub(super) fn service_done(&mut self, service: u16, status: u16, node: NodeId, generation: u32) {
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
        let request = self.nodes[node.index()].request;
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
        let (request, generation) = (self.nodes[node.index()].request, self.nodes[node.index()].generation);
        let r = &mut self.requests[request.index()];
        r.attempts = r.attempts.saturating_add(1);
        self.attempts += 1;
        let endpoint = r.endpoint as usize;
        let bucket = self.bucket;
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

    pub(super) fn sample_service(&mut self, service: u16) {
        let stats = self.services[service as usize].stats();
        let bucket = self.bucket;
        let series = &mut self.metrics.services[service as usize];
        series.busy_max[bucket] = series.busy_max[bucket].max(stats.busy);
        series.queued_max[bucket] = series.queued_max[bucket].max(stats.queued);
    }
}
