//! Compiling a scenario's stacks into runtime layers (see `patterns::registry`), and the
//! per-call state a node keeps: nothing here knows any pattern.

use crate::patterns::registry::{self, CompileContext, LayerCall, LayerRuntime};
use crate::scenario::Scenario;

/// The index of a node in the engine's node arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct NodeId(u32);

/// "No node".
pub(crate) const NO_NODE: NodeId = NodeId(u32::MAX);

impl NodeId {
    /// The node at `index` of the arena.
    pub(crate) const fn at(index: usize) -> Self {
        Self(index as u32)
    }

    /// The node a layer named by its call reference.
    pub(crate) const fn of_call(call: crate::patterns::contract::CallRef) -> Self {
        Self(call)
    }

    /// How the node is named to its layer.
    pub(crate) const fn call_ref(self) -> crate::patterns::contract::CallRef {
        self.0
    }

    /// Its index in the arena.
    pub(crate) const fn index(self) -> usize {
        self.0 as usize
    }
}

/// One position in an endpoint's compiled stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    /// Index into the engine's layer runtimes.
    pub(crate) runtime: u16,
    /// The layer's label in the trace: its index in the scenario's stack, or `POOL`.
    pub(crate) label: u8,
}

/// What a node is: free, a call inside a layer, or a leaf calling a service.
#[derive(Debug)]
pub(crate) enum NodeState {
    /// Not in use.
    Free,
    /// Created, about to enter its layer.
    Entering,
    /// A call inside a layer, with what the layer keeps for it.
    Layer(LayerCall),
    /// An attempt sent to a service.
    Leaf { service: u16 },
}

/// The compiled stacks: shared layer runtimes and each endpoint's slots, outermost first.
#[derive(Debug)]
pub(crate) struct Stacks {
    pub(crate) runtimes: Vec<LayerRuntime>,
    pub(crate) slots: Vec<Vec<Slot>>,
    /// (endpoint, label) of each runtime, for metrics.
    pub(crate) owners: Vec<(u16, u8)>,
}

impl Stacks {
    pub(crate) fn compile(scenario: &Scenario, key_spaces: &[u32]) -> Self {
        let mut stacks = Self { runtimes: Vec::new(), slots: Vec::new(), owners: Vec::new() };
        let pool = scenario.client.as_ref().map(|pool| stacks.add(registry::client_pool(pool), 0, super::trace::POOL));
        for (e, endpoint) in scenario.endpoints.iter().enumerate() {
            let mut slots: Vec<Slot> =
                pool.map(|runtime| Slot { runtime, label: super::trace::POOL }).into_iter().collect();
            let runtime_of_layer = stacks.runtime_indices(&endpoint.stack);
            for (i, layer) in endpoint.stack.iter().enumerate().filter(|(_, l)| l.enabled()) {
                let cx = CompileContext {
                    scenario,
                    endpoint,
                    endpoint_index: e as u16,
                    layer_index: i as u16,
                    key_space: key_spaces[e],
                    runtime_of_layer: &runtime_of_layer,
                };
                let index = stacks.add(registry::compile(layer, &cx), e as u16, i as u8);
                slots.push(Slot { runtime: index, label: i as u8 });
            }
            stacks.slots.push(slots);
        }
        stacks
    }

    /// The run's index each layer of a stack will get (`None` for a disabled one).
    fn runtime_indices(&self, stack: &[crate::scenario::Layer]) -> Vec<Option<u16>> {
        let mut next = self.runtimes.len() as u16;
        stack
            .iter()
            .map(|layer| {
                layer.enabled().then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    }

    fn add(&mut self, runtime: LayerRuntime, endpoint: u16, label: u8) -> u16 {
        self.runtimes.push(runtime);
        self.owners.push((endpoint, label));
        (self.runtimes.len() - 1) as u16
    }
}
