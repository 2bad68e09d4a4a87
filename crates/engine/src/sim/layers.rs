//! Compiling a scenario's stacks into runtime layers (see `patterns::registry`), and the
//! per-call state a node keeps: nothing here knows any pattern.

use super::trace::POOL;
use crate::patterns::check::ConfigError;
use crate::patterns::contract::LayerId;
use crate::patterns::registry::{self, CompileContext, LayerCall, LayerRuntime, SharedObjects};
use crate::scenario::{Layer, Scenario, ScenarioError};

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

/// The place of a request in the engine's request store (reused once the request ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct RequestSlot(u32);

impl RequestSlot {
    /// No request: the slot of events tied to none (a layer's own timer).
    pub(crate) const NONE: Self = Self(u32::MAX);

    /// The slot at `index` of the store.
    pub(crate) const fn at(index: usize) -> Self {
        Self(index as u32)
    }

    /// Its index in the store.
    pub(crate) const fn index(self) -> usize {
        self.0 as usize
    }
}

/// One position in an endpoint's compiled stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    /// The layer's runtime in the engine.
    pub(crate) runtime: LayerId,
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
    /// (endpoint, label) of each runtime, for metrics (a shared runtime: its first layer's).
    pub(crate) owners: Vec<(u16, u8)>,
    /// Runtimes shared by name: (kind, name, runtime).
    shared: Vec<(&'static str, String, LayerId)>,
}

impl Stacks {
    /// The runtimes of every enabled layer, or the first wrong field of a scenario that was
    /// not validated.
    pub(crate) fn compile(scenario: &Scenario, key_spaces: &[u32]) -> Result<Self, ScenarioError> {
        let mut stacks = Self { runtimes: Vec::new(), slots: Vec::new(), owners: Vec::new(), shared: Vec::new() };
        let shared = SharedObjects::default();
        let pool = match &scenario.client {
            Some(pool) => Some(stacks.add(registry::client_pool(pool).map_err(|e| first_error("client", e))?, 0, POOL)),
            None => None,
        };
        for (e, endpoint) in scenario.endpoints.iter().enumerate() {
            let mut slots: Vec<Slot> = pool.map(|runtime| Slot { runtime, label: POOL }).into_iter().collect();
            let runtime_of_layer = stacks.runtime_indices(&endpoint.stack);
            for (i, layer) in endpoint.stack.iter().enumerate().filter(|(_, l)| l.enabled()) {
                if let Some(runtime) = stacks.shared_runtime(layer) {
                    slots.push(Slot { runtime, label: i as u8 });
                    continue;
                }
                let cx = CompileContext {
                    scenario,
                    endpoint,
                    endpoint_index: e as u16,
                    layer_index: i as u16,
                    key_space: key_spaces[e],
                    runtime_of_layer: &runtime_of_layer,
                    shared: &shared,
                };
                let path = || format!("endpoints[{e}].stack[{i}].{}", layer.kind_name());
                let runtime = layer.compile(&cx).map_err(|errors| first_error(&path(), errors))?;
                let index = stacks.add(runtime, e as u16, i as u8);
                if let Some(name) = layer.shared_name() {
                    stacks.shared.push((layer.kind_name(), name.to_owned(), index));
                }
                slots.push(Slot { runtime: index, label: i as u8 });
            }
            stacks.slots.push(slots);
        }
        Ok(stacks)
    }

    /// The runtime already made for a layer shared by name, if any.
    fn shared_runtime(&self, layer: &Layer) -> Option<LayerId> {
        let name = layer.shared_name()?;
        let kind = layer.kind_name();
        self.shared.iter().find(|(k, n, _)| *k == kind && n == name).map(|(_, _, runtime)| *runtime)
    }

    /// The run's index each layer of a stack will get (`None` for a disabled one): a layer
    /// shared by name gets the runtime its name already has, or the one it is about to make.
    fn runtime_indices<'s>(&self, stack: &'s [Layer]) -> Vec<Option<LayerId>> {
        let mut next = self.runtimes.len();
        let mut named: Vec<(&'static str, &'s str, LayerId)> = Vec::new();
        let mut index_of = |layer: &'s Layer| {
            if let Some(runtime) = self.shared_runtime(layer) {
                return runtime;
            }
            if let Some(name) = layer.shared_name() {
                let kind = layer.kind_name();
                if let Some((_, _, runtime)) = named.iter().find(|(k, n, _)| *k == kind && *n == name) {
                    return *runtime;
                }
                named.push((kind, name, LayerId::at(next)));
            }
            next += 1;
            LayerId::at(next - 1)
        };
        stack.iter().map(|layer| layer.enabled().then(|| index_of(layer))).collect()
    }

    fn add(&mut self, runtime: LayerRuntime, endpoint: u16, label: u8) -> LayerId {
        self.runtimes.push(runtime);
        self.owners.push((endpoint, label));
        LayerId::at(self.runtimes.len() - 1)
    }
}

/// The first of a layer's problems, with its full path.
fn first_error(path: &str, errors: Vec<ConfigError>) -> ScenarioError {
    errors.into_iter().next().map_or_else(
        || ScenarioError::new(path, "is not valid"),
        |e| ScenarioError::new(format!("{path}.{}", e.field), e.message),
    )
}
