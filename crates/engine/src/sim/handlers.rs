//! The driver of the pattern contract: hands each thing that happens to a call to its layer
//! and carries out the layer's [`Decision`]. Nothing here knows any pattern.

use super::TraceKind;
use super::engine::{Engine, Step};
use super::layers::{NodeId, NodeState};
use super::trace::SERVICE;
use crate::patterns::Failure;
use crate::patterns::contract::{Decision, LayerId, Reply};

impl Engine {
    /// A call enters `node`'s layer (or, for a leaf, goes to the service).
    pub(super) fn enter(&mut self, node: NodeId) {
        if let NodeState::Leaf { service } = self.nodes[node.index()].state {
            self.enter_leaf(node, service);
            return;
        }
        let (runtime, _) = self.label(node);
        let (call, decision) =
            self.with_layer(runtime, Some(node), |layer, _, probe| layer.enter(node.call_ref(), probe));
        self.nodes[node.index()].state = NodeState::Layer(call);
        self.let_go(runtime);
        self.carry_out(node, decision);
    }

    /// `node`'s child finished with `reply`.
    pub(super) fn on_reply(&mut self, node: NodeId, reply: Reply) {
        if !matches!(self.nodes[node.index()].state, NodeState::Layer(_)) {
            return self.finish(node, reply);
        }
        let (runtime, _) = self.label(node);
        let decision = self.with_layer(runtime, Some(node), |layer, state, probe| match state {
            Some(NodeState::Layer(call)) => layer.on_reply(call, reply, probe),
            _ => Decision::Answer(reply),
        });
        self.let_go(runtime);
        self.carry_out(node, decision);
    }

    /// A node's own timer fired (a deadline, the end of a wait), or a parked call was let go.
    pub(super) fn on_wake(&mut self, node: NodeId) {
        if !matches!(self.nodes[node.index()].state, NodeState::Layer(_)) {
            return;
        }
        let (runtime, _) = self.label(node);
        let decision = self.with_layer(runtime, Some(node), |layer, state, probe| match state {
            Some(NodeState::Layer(call)) => layer.on_wake(call, probe),
            _ => Decision::Park,
        });
        self.let_go(runtime);
        self.carry_out(node, decision);
    }

    /// A layer's shared timer fired.
    pub(super) fn handle_layer_timeout(&mut self, runtime: LayerId) {
        self.with_layer(runtime, None, |layer, _, probe| layer.on_layer_timer(probe));
        self.let_go(runtime);
    }

    /// Gives back what `node` holds because an outer layer abandoned the call.
    pub(super) fn release_on_cancel(&mut self, node: NodeId) {
        match self.nodes[node.index()].state {
            NodeState::Leaf { .. } => {
                let request = self.nodes[node.index()].request;
                self.trace(request, TraceKind::AttemptAbandoned, SERVICE, 0);
            }
            NodeState::Layer(_) => {
                let (runtime, _) = self.label(node);
                self.with_layer(runtime, Some(node), |layer, state, probe| {
                    if let Some(NodeState::Layer(call)) = state {
                        layer.on_cancel(call, node.call_ref(), probe);
                    }
                });
                self.let_go(runtime);
            }
            NodeState::Free | NodeState::Entering => {}
        }
    }

    /// Carries out what `node`'s layer decided.
    fn carry_out(&mut self, node: NodeId, decision: Decision) {
        match decision {
            Decision::Forward => self.spawn_child(node),
            Decision::ForwardUntil(deadline) => {
                self.schedule_node_deadline(node, deadline);
                self.spawn_child(node);
            }
            Decision::Answer(reply) => self.finish(node, reply),
            Decision::WaitUntil(at) => self.schedule_node_timer(node, at),
            Decision::Park => {}
            Decision::CallService(service) => {
                let (request, depth) = (self.nodes[node.index()].request, self.nodes[node.index()].depth);
                let leaf = self.node_with(request, depth, node, super::nodes::LEAF, NodeState::Leaf { service });
                self.nodes[node.index()].child = leaf;
                self.enter(leaf);
            }
            Decision::AskStale { layer, failure } => self.ask_stale(node, layer, failure),
            Decision::ForwardAnother(wake_at) => {
                if let Some(at) = wake_at {
                    self.schedule_node_timer(node, at);
                }
                self.spawn_extra_child(node);
            }
            Decision::CancelInner { then, note: (kind, value) } => {
                self.cancel_inner(node);
                let (_, label) = self.label(node);
                self.trace(self.nodes[node.index()].request, kind, label, value);
                self.finish(node, then);
            }
        }
    }

    /// Asks layer `asked` whether it holds a stale entry for `node`'s call; `node`'s layer
    /// decides with the answer.
    fn ask_stale(&mut self, node: NodeId, asked: LayerId, failure: Failure) {
        let key = self.requests[self.nodes[node.index()].request.index()].key;
        let found = self.stacks.runtimes.get(asked.index()).is_some_and(|layer| layer.has_stale(key));
        let (runtime, _) = self.label(node);
        let decision = self.with_layer(runtime, Some(node), |layer, state, probe| match state {
            Some(NodeState::Layer(call)) => layer.on_stale(call, found, failure, probe),
            _ => Decision::Answer(Reply::Err(failure)),
        });
        self.carry_out(node, decision);
    }

    /// Carries out what layer `runtime` decided for the parked calls it lets go, if any.
    #[inline]
    fn let_go(&mut self, runtime: LayerId) {
        if self.stacks.runtimes[runtime.index()].has_released() {
            self.let_go_released(runtime);
        }
    }

    /// Lets the released calls go: a call handed what it waited for moves on (at this instant,
    /// after what is already due); another is answered at once.
    #[cold]
    fn let_go_released(&mut self, runtime: LayerId) {
        while self.stacks.runtimes[runtime.index()].has_released() {
            let Some(released) = self.with_layer(runtime, None, |layer, _, probe| layer.next_released(probe)) else {
                return;
            };
            let node = NodeId::of_call(released.call);
            if let Some((kind, value)) = released.note {
                let (_, label) = self.label(node);
                self.trace(self.nodes[node.index()].request, kind, label, value);
            }
            match released.decision {
                Decision::Forward => {
                    let Engine { stacks, nodes, steps, .. } = self;
                    let waiter = &mut nodes[node.index()];
                    if let NodeState::Layer(call) = &mut waiter.state {
                        stacks.runtimes[runtime.index()].hand_over(call);
                    }
                    steps.push_back(Step::Admitted { node, generation: waiter.generation });
                }
                other => self.carry_out(node, other),
            }
        }
    }
}
