//! What each layer does when a call enters it, when an answer comes back from inside, when its
//! timers fire, and when an outer layer abandons the call.

use super::engine::{Engine, Reply, Source, Step};
use super::layers::{FallbackTarget, LayerRuntime, NodeId, NodeState};
use super::trace::{POOL, SERVICE, TraceKind};
use crate::patterns::bulkhead::{Admission, BulkheadPermit};
use crate::patterns::cache::Lookup;
use crate::patterns::circuit_breaker::CallResult;
use crate::patterns::retry::RetryDecision;
use crate::patterns::{Failure, Rejection};

impl Engine {
    /// A call enters `node`'s layer (or, for a leaf, goes to the service).
    pub(super) fn enter(&mut self, node: NodeId) {
        if let NodeState::Leaf { service } = self.nodes[node as usize].state {
            self.enter_leaf(node, service);
            return;
        }
        let (runtime, label) = self.label(node);
        let request = self.nodes[node as usize].request;
        let now = self.now;
        match &mut self.stacks.runtimes[runtime as usize] {
            LayerRuntime::Pool(bulkhead) | LayerRuntime::Bulkhead(bulkhead) => match bulkhead.try_acquire(now, node) {
                Admission::Admitted(permit) => {
                    self.store_permit(node, permit);
                    self.note_bulkhead(runtime, request, label, TraceKind::BulkheadAdmitted, 0);
                    self.spawn_child(node);
                }
                Admission::Waiting => {
                    let wanted = bulkhead.poll_timeout();
                    self.note_bulkhead(runtime, request, label, TraceKind::BulkheadQueued, 0);
                    self.arm_layer_timer(runtime, wanted);
                }
                Admission::Rejected(_) => {
                    self.note_bulkhead(runtime, request, label, TraceKind::BulkheadRejected, 0);
                    self.sample(runtime).rejected += 1;
                    self.finish(node, Reply::Err(Failure::Rejected(rejection_of(label, false))));
                }
            },
            LayerRuntime::Cache(cache) => {
                let key = self.requests[request as usize].key;
                if cache.lookup(now, key) == Lookup::Fresh {
                    self.sample(runtime).hits += 1;
                    self.trace(request, TraceKind::CacheHit, label, key);
                    self.finish(node, Reply::Ok(Source::CacheFresh));
                } else {
                    self.sample(runtime).misses += 1;
                    self.trace(request, TraceKind::CacheMiss, label, key);
                    self.spawn_child(node);
                }
            }
            LayerRuntime::Breaker(breaker) => {
                let admission = breaker.try_acquire(now);
                let wanted = breaker.poll_timeout();
                self.note_breaker_state(runtime, label);
                self.arm_layer_timer(runtime, wanted);
                match admission {
                    Ok(permit) => {
                        if let NodeState::Breaker { permit: slot, .. } = &mut self.nodes[node as usize].state {
                            *slot = Some(permit);
                        }
                        self.trace(request, TraceKind::BreakerPermitted, label, 0);
                        self.spawn_child(node);
                    }
                    Err(rejection) => {
                        let half_open = u32::from(rejection == Rejection::HalfOpenFull);
                        self.trace(request, TraceKind::BreakerRejected, label, half_open);
                        self.sample(runtime).rejected += 1;
                        self.finish(node, Reply::Err(Failure::Rejected(rejection)));
                    }
                }
            }
            LayerRuntime::Timeout(timeout) => {
                let deadline = timeout.deadline(now);
                self.schedule_node_timer(node, deadline);
                self.spawn_child(node);
            }
            LayerRuntime::Retry { .. } | LayerRuntime::Fallback { .. } => self.spawn_child(node),
        }
    }

    /// `node`'s child finished with `reply`.
    pub(super) fn on_reply(&mut self, node: NodeId, reply: Reply) {
        let (runtime, label) = self.label(node);
        let request = self.nodes[node as usize].request;
        let now = self.now;
        match &mut self.nodes[node as usize].state {
            NodeState::Pool { permit, .. } | NodeState::Bulkhead { permit, .. } => {
                let permit = permit.take();
                self.release_permit(runtime, permit);
                self.finish(node, reply);
            }
            NodeState::Cache => {
                let key = self.requests[request as usize].key;
                let LayerRuntime::Cache(cache) = &mut self.stacks.runtimes[runtime as usize] else { return };
                match reply {
                    Reply::Ok(Source::Service) => cache.store(now, key),
                    Reply::Err(_) if cache.serve_stale(now, key) => {
                        self.trace(request, TraceKind::CacheStale, label, key);
                        self.finish(node, Reply::Ok(Source::CacheStale));
                        return;
                    }
                    _ => {}
                }
                self.finish(node, reply);
            }
            NodeState::Breaker { permit, .. } => {
                let permit = permit.take();
                let LayerRuntime::Breaker(breaker) = &mut self.stacks.runtimes[runtime as usize] else { return };
                let result = match reply {
                    Reply::Ok(_) => CallResult::Success,
                    Reply::Err(failure) => CallResult::Failure(failure.kind()),
                };
                if let Some(permit) = permit {
                    breaker.record(now, permit, result);
                }
                let wanted = breaker.poll_timeout();
                self.trace(request, TraceKind::BreakerRecorded, label, u32::from(result != CallResult::Success));
                self.note_breaker_state(runtime, label);
                self.arm_layer_timer(runtime, wanted);
                self.finish(node, reply);
            }
            NodeState::Retry { call, .. } => {
                let Reply::Err(failure) = reply else { return self.finish(node, reply) };
                let LayerRuntime::Retry { policy, jitter } = &mut self.stacks.runtimes[runtime as usize] else {
                    return;
                };
                match policy.on_failure(call, failure, jitter) {
                    RetryDecision::RetryAfter { delay_us, .. } => {
                        self.sample(runtime).retries += 1;
                        self.trace(request, TraceKind::RetryScheduled, label, delay_us.min(u64::from(u32::MAX)) as u32);
                        self.schedule_node_timer(node, now.plus_micros(delay_us));
                    }
                    RetryDecision::GiveUp => {
                        let attempts = call.attempts();
                        self.trace(request, TraceKind::RetryGaveUp, label, attempts);
                        self.finish(node, reply);
                    }
                }
            }
            NodeState::Fallback { secondary, .. } => {
                let secondary = *secondary;
                self.fallback_reply(node, runtime, label, reply, secondary);
            }
            NodeState::Timeout | NodeState::Leaf { .. } | NodeState::Free => self.finish(node, reply),
        }
    }

    fn fallback_reply(&mut self, node: NodeId, runtime: u16, label: u8, reply: Reply, secondary: bool) {
        let request = self.nodes[node as usize].request;
        let LayerRuntime::Fallback { policy, action } = &self.stacks.runtimes[runtime as usize] else { return };
        let failure = match reply {
            Reply::Err(failure) if !secondary && policy.triggers_on(failure) => failure,
            Reply::Ok(_) if secondary => {
                self.trace(request, TraceKind::FallbackServed, label, 2);
                return self.finish(node, Reply::Ok(Source::Fallback));
            }
            _ => return self.finish(node, reply),
        };
        match *action {
            FallbackTarget::Static => {
                self.trace(request, TraceKind::FallbackServed, label, 0);
                self.finish(node, Reply::Ok(Source::Fallback));
            }
            FallbackTarget::StaleCache { cache } => {
                let key = self.requests[request as usize].key;
                let has_entry = matches!(self.stacks.runtimes.get(cache as usize), Some(LayerRuntime::Cache(c)) if c.has_entry(key));
                if has_entry {
                    self.trace(request, TraceKind::FallbackServed, label, 1);
                    self.finish(node, Reply::Ok(Source::Fallback));
                } else {
                    self.finish(node, Reply::Err(failure));
                }
            }
            FallbackTarget::Service(service) => {
                let depth = self.nodes[node as usize].depth;
                let leaf = self.node_with(request, depth, node, NodeState::Leaf { service });
                let fallback = &mut self.nodes[node as usize];
                (fallback.child, fallback.state) = (leaf, NodeState::Fallback { secondary: true });
                self.enter(leaf);
            }
        }
    }

    /// A node timer fired for a live node: a timeout's deadline or the end of a retry wait.
    pub(super) fn on_node_timer(&mut self, node: NodeId) {
        let child = self.nodes[node as usize].child;
        match self.nodes[node as usize].state {
            NodeState::Timeout => {
                let (_, label) = self.label(node);
                let request = self.nodes[node as usize].request;
                if child != super::layers::NO_NODE {
                    self.cancel(child);
                }
                self.trace(request, TraceKind::TimeoutFired, label, 0);
                self.finish(node, Reply::Err(Failure::Timeout));
            }
            NodeState::Retry { .. } => self.spawn_child(node),
            _ => {}
        }
    }

    /// A layer's shared timer fired.
    pub(super) fn handle_layer_timeout(&mut self, runtime: u16) {
        let now = self.now;
        let label = self.stacks.owners[runtime as usize].1;
        match &mut self.stacks.runtimes[runtime as usize] {
            LayerRuntime::Breaker(breaker) => {
                breaker.handle_timeout(now);
                let wanted = breaker.poll_timeout();
                self.note_breaker_state(runtime, label);
                self.arm_layer_timer(runtime, wanted);
            }
            LayerRuntime::Pool(bulkhead) | LayerRuntime::Bulkhead(bulkhead) => {
                let mut expired = Vec::new();
                while let Some(node) = bulkhead.handle_timeout(now) {
                    expired.push(node);
                }
                let wanted = bulkhead.poll_timeout();
                self.arm_layer_timer(runtime, wanted);
                for node in expired {
                    let (_, label) = self.label(node);
                    let request = self.nodes[node as usize].request;
                    self.note_bulkhead(runtime, request, label, TraceKind::BulkheadRejected, 1);
                    self.sample(runtime).rejected += 1;
                    self.finish(node, Reply::Err(Failure::Rejected(rejection_of(label, true))));
                }
            }
            _ => {}
        }
    }

    /// `node` was waiting for a bulkhead permit and now holds one.
    pub(super) fn admitted(&mut self, node: NodeId) {
        let (runtime, label) = self.label(node);
        let request = self.nodes[node as usize].request;
        self.note_bulkhead(runtime, request, label, TraceKind::BulkheadAdmitted, 0);
        self.spawn_child(node);
    }

    /// Gives back what `node` holds because an outer layer abandoned the call.
    pub(super) fn release_on_cancel(&mut self, node: NodeId) {
        let request = self.nodes[node as usize].request;
        match &mut self.nodes[node as usize].state {
            NodeState::Pool { permit, .. } | NodeState::Bulkhead { permit, .. } => {
                let permit = permit.take();
                let (runtime, _) = self.label(node);
                match permit {
                    Some(permit) => self.release_permit(runtime, Some(permit)),
                    None => {
                        if let LayerRuntime::Pool(b) | LayerRuntime::Bulkhead(b) =
                            &mut self.stacks.runtimes[runtime as usize]
                        {
                            b.cancel_wait(node);
                        }
                    }
                }
            }
            NodeState::Breaker { permit, .. } => {
                let permit = permit.take();
                let (runtime, label) = self.label(node);
                if let (Some(permit), LayerRuntime::Breaker(breaker)) =
                    (permit, &mut self.stacks.runtimes[runtime as usize])
                {
                    breaker.release(permit);
                    self.trace(request, TraceKind::BreakerReleased, label, 0);
                }
            }
            NodeState::Leaf { .. } => self.trace(request, TraceKind::AttemptAbandoned, SERVICE, 0),
            _ => {}
        }
    }

    fn store_permit(&mut self, node: NodeId, permit: BulkheadPermit) {
        if let NodeState::Pool { permit: slot, .. } | NodeState::Bulkhead { permit: slot, .. } =
            &mut self.nodes[node as usize].state
        {
            *slot = Some(permit);
        }
    }

    /// Returns a bulkhead permit; the oldest waiter, if any, gets it and moves on.
    fn release_permit(&mut self, runtime: u16, permit: Option<BulkheadPermit>) {
        let Some(permit) = permit else { return };
        let (LayerRuntime::Pool(bulkhead) | LayerRuntime::Bulkhead(bulkhead)) =
            &mut self.stacks.runtimes[runtime as usize]
        else {
            return;
        };
        if let Some((waiter, permit)) = bulkhead.release(permit) {
            self.store_permit(waiter, permit);
            let generation = self.nodes[waiter as usize].generation;
            self.steps.push_back(Step::Admitted { node: waiter, generation });
        }
    }

    fn note_bulkhead(&mut self, runtime: u16, request: u32, label: u8, kind: TraceKind, value: u32) {
        if let LayerRuntime::Pool(b) | LayerRuntime::Bulkhead(b) = &self.stacks.runtimes[runtime as usize] {
            let stats = b.stats();
            let sample = self.sample(runtime);
            sample.in_use_max = sample.in_use_max.max(stats.in_use);
            sample.waiting_max = sample.waiting_max.max(stats.waiting);
        }
        self.trace(request, kind, label, value);
    }

    /// Traces a breaker's state change, if there was one.
    fn note_breaker_state(&mut self, runtime: u16, label: u8) {
        let LayerRuntime::Breaker(breaker) = &self.stacks.runtimes[runtime as usize] else { return };
        let code = breaker.state().code();
        if self.breaker_state[runtime as usize] != code {
            self.breaker_state[runtime as usize] = code;
            let bucket = self.metrics.index(self.now.as_micros());
            self.state_changes[runtime as usize].push((bucket, code));
            let endpoint = u32::from(self.stacks.owners[runtime as usize].0);
            if let Some(trace) = &mut self.trace {
                trace.push(
                    self.now,
                    super::trace::NO_REQUEST,
                    TraceKind::StateChange,
                    label,
                    0,
                    endpoint << 8 | u32::from(code),
                );
            }
        }
    }
}

/// The rejection of a bulkhead-like layer: the pool's, or a bulkhead's.
fn rejection_of(label: u8, expired: bool) -> Rejection {
    match (label == POOL, expired) {
        (true, _) => Rejection::ClientPoolFull,
        (false, true) => Rejection::BulkheadWaitExpired,
        (false, false) => Rejection::BulkheadFull,
    }
}
