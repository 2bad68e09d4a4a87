//! Compiling a scenario's stacks into runtime layers, and the per-call node state each layer
//! keeps while a call is inside it.
//!
//! Adding a pattern means: a variant here (shared state), a variant of [`NodeState`] (per-call
//! state), and its `enter` / `on_reply` / `on_timer` / `cancel` arms in the engine. Hedging fits
//! by keeping several children in its node state; a rate limiter that delays, by a node timer
//! as the retry's backoff; retry budgets and adaptive limits, by shared state here.

use crate::patterns::bulkhead::{Bulkhead, BulkheadConfig, BulkheadPermit};
use crate::patterns::cache::Cache;
use crate::patterns::circuit_breaker::{BreakerPermit, CircuitBreaker};
use crate::patterns::fallback::{Fallback, FallbackAction};
use crate::patterns::retry::{Retry, RetryCall};
use crate::patterns::timeout::Timeout;
use crate::rng::{Stream, StreamId};
use crate::scenario::{ClientPool, Endpoint, Layer, Scenario};

/// Index of a node in the engine's node table.
pub(crate) type NodeId = u32;
/// "No node".
pub(crate) const NO_NODE: NodeId = u32::MAX;

/// A layer's shared state during a run.
#[derive(Debug)]
pub(crate) enum LayerRuntime {
    Cache(Cache),
    Fallback { policy: Fallback, action: FallbackTarget },
    Breaker(CircuitBreaker),
    Retry { policy: Retry, jitter: Stream },
    Timeout(Timeout),
    Bulkhead(Bulkhead<NodeId>),
    Pool(Bulkhead<NodeId>),
}

impl LayerRuntime {
    /// Kind name for metrics.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Cache(_) => "cache",
            Self::Fallback { .. } => "fallback",
            Self::Breaker(_) => "circuit_breaker",
            Self::Retry { .. } => "retry",
            Self::Timeout(_) => "timeout",
            Self::Bulkhead(_) => "bulkhead",
            Self::Pool(_) => "client_pool",
        }
    }
}

/// Where a fallback's answer comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FallbackTarget {
    Static,
    /// The layer runtime index of the endpoint's cache.
    StaleCache {
        cache: u16,
    },
    /// A secondary service.
    Service(u16),
}

/// One position in an endpoint's compiled stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    /// Index into the engine's layer runtimes.
    pub(crate) runtime: u16,
    /// The layer's label in the trace: its index in the scenario's stack, or `POOL`.
    pub(crate) label: u8,
}

/// What a call keeps while it is inside one layer (its current child, if any, is kept in the
/// node itself; a hedging layer would keep its extra children here).
#[derive(Debug)]
pub(crate) enum NodeState {
    Free,
    Pool { permit: Option<BulkheadPermit> },
    Bulkhead { permit: Option<BulkheadPermit> },
    Cache,
    Fallback { secondary: bool },
    Breaker { permit: Option<BreakerPermit> },
    Retry { call: RetryCall },
    Timeout,
    Leaf { service: u16 },
}

impl NodeState {
    /// The state a call starts with in a layer of this kind.
    pub(crate) fn entering(layer: &LayerRuntime) -> Self {
        match layer {
            LayerRuntime::Cache(_) => Self::Cache,
            LayerRuntime::Fallback { .. } => Self::Fallback { secondary: false },
            LayerRuntime::Breaker(_) => Self::Breaker { permit: None },
            LayerRuntime::Retry { policy, .. } => Self::Retry { call: policy.start() },
            LayerRuntime::Timeout(_) => Self::Timeout,
            LayerRuntime::Bulkhead(_) => Self::Bulkhead { permit: None },
            LayerRuntime::Pool(_) => Self::Pool { permit: None },
        }
    }
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
        let pool = scenario.client.as_ref().map(|pool| stacks.add(pool_runtime(pool), 0, super::trace::POOL));
        for (e, endpoint) in scenario.endpoints.iter().enumerate() {
            let mut slots: Vec<Slot> =
                pool.map(|runtime| Slot { runtime, label: super::trace::POOL }).into_iter().collect();
            for (i, _) in endpoint.stack.iter().enumerate().filter(|(_, l)| l.enabled()) {
                let runtime = layer_runtime(scenario, endpoint, e as u16, i as u16, key_spaces[e]);
                let index = stacks.add(runtime, e as u16, i as u8);
                slots.push(Slot { runtime: index, label: i as u8 });
            }
            stacks.slots.push(slots);
        }
        stacks.resolve_stale_cache_fallbacks();
        stacks
    }

    fn add(&mut self, runtime: LayerRuntime, endpoint: u16, label: u8) -> u16 {
        self.runtimes.push(runtime);
        self.owners.push((endpoint, label));
        (self.runtimes.len() - 1) as u16
    }

    /// Points stale-cache fallbacks declared outside their cache at that cache.
    fn resolve_stale_cache_fallbacks(&mut self) {
        for slots in &self.slots {
            let cache = slots.iter().find(|s| matches!(self.runtimes[s.runtime as usize], LayerRuntime::Cache(_)));
            for slot in slots {
                if let LayerRuntime::Fallback { action: FallbackTarget::StaleCache { cache: target }, .. } =
                    &mut self.runtimes[slot.runtime as usize]
                {
                    *target = cache.map_or(u16::MAX, |c| c.runtime);
                }
            }
        }
    }
}

/// The runtime of layer `layer_index` of an endpoint's stack.
fn layer_runtime(
    scenario: &Scenario,
    endpoint: &Endpoint,
    endpoint_index: u16,
    layer_index: u16,
    key_space: u32,
) -> LayerRuntime {
    match &endpoint.stack[layer_index as usize] {
        Layer::Cache(c) => LayerRuntime::Cache(Cache::new(c, key_space)),
        Layer::Fallback(c) => {
            let action = match &c.action {
                FallbackAction::Static => FallbackTarget::Static,
                // The cache usually sits inside the fallback: resolved after the whole stack.
                FallbackAction::StaleCache => FallbackTarget::StaleCache { cache: u16::MAX },
                FallbackAction::Service(name) => {
                    FallbackTarget::Service(scenario.service_index(name).unwrap_or(0) as u16)
                }
            };
            LayerRuntime::Fallback { policy: Fallback::new(c), action }
        }
        Layer::CircuitBreaker(c) => LayerRuntime::Breaker(CircuitBreaker::new(c)),
        Layer::Retry(c) => LayerRuntime::Retry {
            policy: Retry::new(c),
            jitter: Stream::new(scenario.seed, StreamId::Jitter { endpoint: endpoint_index, layer: layer_index }),
        },
        Layer::Timeout(c) => LayerRuntime::Timeout(Timeout::new(c)),
        Layer::Bulkhead(c) => LayerRuntime::Bulkhead(Bulkhead::new(c)),
    }
}

fn pool_runtime(pool: &ClientPool) -> LayerRuntime {
    let config =
        BulkheadConfig { enabled: true, max_concurrent: pool.workers, max_wait: pool.max_wait, queue: pool.queue };
    LayerRuntime::Pool(Bulkhead::new(&config))
}
