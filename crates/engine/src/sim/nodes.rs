//! The node arena: one node per layer a call is inside, recycled through a free list; a
//! node's generation makes timers and deliveries to a freed node stale.

use super::engine::{Engine, Node, Step};
use super::layers::{NO_NODE, NodeId, NodeState, RequestSlot, Slot};
use crate::patterns::contract::LayerId;

/// The slot of a leaf, which is in no layer.
pub(super) const LEAF: Slot = Slot { runtime: LayerId::NONE, label: super::trace::SERVICE };
use crate::patterns::contract::Reply;

impl Engine {
    pub(super) fn alive(&self, node: NodeId, generation: u32) -> bool {
        timer_alive(&self.nodes, node, generation)
    }

    /// A node for `request` at `depth` of its endpoint's stack (a leaf past the last layer).
    pub(super) fn new_node(&mut self, request: RequestSlot, depth: u8, parent: NodeId) -> NodeId {
        let endpoint = self.requests[request.index()].endpoint as usize;
        let (slot, state) = match self.stacks.slots[endpoint].get(depth as usize) {
            Some(slot) => (*slot, NodeState::Entering),
            None => (LEAF, NodeState::Leaf { service: self.endpoints[endpoint].service }),
        };
        self.node_with(request, depth, parent, slot, state)
    }

    /// A node for `request` in `slot` (a leaf is in no layer: [`LEAF`]).
    pub(super) fn node_with(
        &mut self,
        request: RequestSlot,
        depth: u8,
        parent: NodeId,
        slot: Slot,
        state: NodeState,
    ) -> NodeId {
        match self.free_nodes.pop() {
            Some(id) => {
                let node = &mut self.nodes[id.index()];
                (node.request, node.depth, node.parent, node.child, node.slot, node.state) =
                    (request, depth, parent, NO_NODE, slot, state);
                id
            }
            None => {
                self.nodes.push(Node { request, depth, parent, child: NO_NODE, generation: 0, slot, state });
                NodeId::at(self.nodes.len() - 1)
            }
        }
    }

    /// Frees a node; pending timers and deliveries to it become stale.
    pub(super) fn free(&mut self, node: NodeId) {
        let n = &mut self.nodes[node.index()];
        n.state = NodeState::Free;
        n.generation = n.generation.wrapping_add(1);
        self.free_nodes.push(node);
    }

    /// The node is done with `reply`: free it and hand the reply to its parent (or complete
    /// the request at the root).
    pub(super) fn finish(&mut self, node: NodeId, reply: Reply) {
        let (parent, request) = (self.nodes[node.index()].parent, self.nodes[node.index()].request);
        self.free(node);
        if parent == NO_NODE {
            self.complete_request(request, reply);
        } else {
            let inner = if self.nodes[parent.index()].child == node {
                self.nodes[parent.index()].child = NO_NODE;
                0
            } else {
                self.forget_extra_child(parent, node)
            };
            let generation = self.nodes[parent.index()].generation;
            self.steps.push_back(Step::Deliver { to: parent, generation, reply, inner });
        }
    }

    /// Starts one more inner call below `node`, beside those in flight (a hedge).
    pub(super) fn spawn_extra_child(&mut self, node: NodeId) {
        let (request, depth) = (self.nodes[node.index()].request, self.nodes[node.index()].depth);
        let child = self.new_node(request, depth + 1, node);
        let hedges = &mut self.requests[request.index()].hedges;
        *hedges = hedges.saturating_add(1);
        let extras = self.extra_children.entry(node).or_default();
        let number = extras.last().map_or(1, |(_, n)| n.saturating_add(1));
        extras.push((child, number));
        self.enter(child);
    }

    /// Takes `child` off `parent`'s extra inner calls; its number.
    #[cold]
    fn forget_extra_child(&mut self, parent: NodeId, child: NodeId) -> u8 {
        let Some(extras) = self.extra_children.get_mut(&parent) else { return 0 };
        let number = extras.iter().position(|(c, _)| *c == child).map_or(0, |i| extras.remove(i).1);
        if extras.is_empty() {
            self.extra_children.remove(&parent);
        }
        number
    }

    /// Abandons every inner call of `node`: its first and any extra ones.
    pub(super) fn cancel_inner(&mut self, node: NodeId) {
        let child = self.nodes[node.index()].child;
        if child != NO_NODE {
            self.nodes[node.index()].child = NO_NODE;
            self.cancel(child);
        }
        if !self.extra_children.is_empty() {
            for (extra, _) in self.extra_children.remove(&node).unwrap_or_default() {
                self.cancel(extra);
            }
        }
    }

    /// Starts the next layer (or the leaf) below `node`.
    pub(super) fn spawn_child(&mut self, node: NodeId) {
        let (request, depth) = (self.nodes[node.index()].request, self.nodes[node.index()].depth);
        let child = self.new_node(request, depth + 1, node);
        self.nodes[node.index()].child = child;
        self.enter(child);
    }

    /// Abandons `node` and everything below it, releasing what they hold.
    pub(super) fn cancel(&mut self, node: NodeId) {
        self.cancel_inner(node);
        self.release_on_cancel(node);
        self.free(node);
    }
}

/// True while the node `node` of `generation` is in use (a timer for it still counts).
pub(super) fn timer_alive(nodes: &[Node], node: NodeId, generation: u32) -> bool {
    nodes.get(node.index()).is_some_and(|n| n.generation == generation && !matches!(n.state, NodeState::Free))
}
