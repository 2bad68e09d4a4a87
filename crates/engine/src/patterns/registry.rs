//! Every pattern the simulator drives, registered once. Adding a pattern is its folder under
//! `patterns/` (config, machine, `layer.rs` implementing [`LayerPattern`]) plus one line in
//! [`registry!`] below and one arm in [`compile`].
//!
//! The macro makes the layer enum and the per-call enum from the same list, so a layer and the
//! state of a call inside it always come in pairs; a call handed to a layer of another kind is
//! a bug that fails loudly in tests (a debug assertion) and safely in release (the call fails).

use super::bulkhead::BulkheadLayer;
use super::cache::Cache;
use super::circuit_breaker::BreakerLayer;
use super::contract::{CallRef, Decision, LayerPattern, Probe, Released, Reply};
use super::fallback::{Fallback, FallbackAction, FallbackLayer, FallbackTarget};
use super::retry::RetryLayer;
use super::timeout::Timeout;
use super::{Failure, Rejection};
use crate::rng::{Stream, StreamId};
use crate::scenario::{ClientPool, Endpoint, Layer, Scenario};

macro_rules! registry {
    ($($kind:ident($layer:ty) = $name:literal),* $(,)?) => {
        /// A layer's shared state during a run, whatever its pattern. (A run holds at most a
        /// few hundred of them, each created once: the size of the largest costs nothing.)
        #[derive(Debug)]
        #[allow(clippy::large_enum_variant)]
        pub enum LayerRuntime {
            $(
                #[doc = concat!("A `", $name, "` layer.")]
                $kind($layer),
            )*
        }

        /// What one call keeps inside a layer, whatever its pattern.
        #[derive(Debug)]
        pub enum LayerCall {
            $(
                #[doc = concat!("A call inside a `", $name, "` layer.")]
                $kind(<$layer as LayerPattern>::Call),
            )*
        }

        impl LayerRuntime {
            /// The kind's name, as scenario files and metrics spell it.
            #[must_use]
            pub const fn kind(&self) -> &'static str {
                match self { $(Self::$kind(_) => $name,)* }
            }

            /// See [`LayerPattern::enter`].
            pub fn enter<P: Probe>(&mut self, me: CallRef, probe: &mut P) -> (LayerCall, Decision) {
                match self {
                    $(Self::$kind(layer) => {
                        let (call, decision) = layer.enter(me, probe);
                        (LayerCall::$kind(call), decision)
                    })*
                }
            }

            /// See [`LayerPattern::on_reply`].
            pub fn on_reply<P: Probe>(&mut self, call: &mut LayerCall, reply: Reply, probe: &mut P) -> Decision {
                match (self, call) {
                    $((Self::$kind(layer), LayerCall::$kind(call)) => layer.on_reply(call, reply, probe),)*
                    _ => mismatch(),
                }
            }

            /// See [`LayerPattern::on_wake`].
            pub fn on_wake<P: Probe>(&mut self, call: &mut LayerCall, probe: &mut P) -> Decision {
                match (self, call) {
                    $((Self::$kind(layer), LayerCall::$kind(call)) => layer.on_wake(call, probe),)*
                    _ => mismatch(),
                }
            }

            /// See [`LayerPattern::on_stale`].
            pub fn on_stale<P: Probe>(&mut self, call: &mut LayerCall, found: bool, failure: Failure, probe: &mut P) -> Decision {
                match (self, call) {
                    $((Self::$kind(layer), LayerCall::$kind(call)) => layer.on_stale(call, found, failure, probe),)*
                    _ => mismatch(),
                }
            }

            /// See [`LayerPattern::on_layer_timer`].
            pub fn on_layer_timer<P: Probe>(&mut self, probe: &mut P) {
                match self { $(Self::$kind(layer) => layer.on_layer_timer(probe),)* }
            }

            /// See [`LayerPattern::has_released`].
            #[must_use]
            pub fn has_released(&self) -> bool {
                match self { $(Self::$kind(layer) => layer.has_released(),)* }
            }

            /// See [`LayerPattern::next_released`].
            pub fn next_released<P: Probe>(&mut self, probe: &mut P) -> Option<Released> {
                match self { $(Self::$kind(layer) => layer.next_released(probe),)* }
            }

            /// See [`LayerPattern::hand_over`].
            pub fn hand_over(&mut self, call: &mut LayerCall) {
                match (self, call) {
                    $((Self::$kind(layer), LayerCall::$kind(call)) => layer.hand_over(call),)*
                    _ => {
                        mismatch();
                    }
                }
            }

            /// See [`LayerPattern::on_cancel`].
            pub fn on_cancel<P: Probe>(&mut self, call: &mut LayerCall, me: CallRef, probe: &mut P) {
                match (self, call) {
                    $((Self::$kind(layer), LayerCall::$kind(call)) => layer.on_cancel(call, me, probe),)*
                    _ => {
                        mismatch();
                    }
                }
            }

            /// See [`LayerPattern::initial_state`].
            #[must_use]
            pub fn initial_state(&self) -> u8 {
                match self { $(Self::$kind(layer) => layer.initial_state(),)* }
            }

            /// See [`LayerPattern::severity`].
            #[must_use]
            pub fn severity(&self, code: u8) -> u8 {
                match self { $(Self::$kind(layer) => layer.severity(code),)* }
            }

            /// See [`LayerPattern::has_stale`].
            #[must_use]
            pub fn has_stale(&self, key: u32) -> bool {
                match self { $(Self::$kind(layer) => layer.has_stale(key),)* }
            }
        }
    };
}

registry! {
    Cache(Cache) = "cache",
    Fallback(FallbackLayer) = "fallback",
    Breaker(BreakerLayer) = "circuit_breaker",
    Retry(RetryLayer) = "retry",
    Timeout(Timeout) = "timeout",
    Bulkhead(BulkheadLayer) = "bulkhead",
    ClientPool(BulkheadLayer) = "client_pool",
}

/// A call handed to a layer of another kind: a driver bug. Loud in tests; in release the call
/// fails rather than the run going on wrongly in silence.
fn mismatch() -> Decision {
    debug_assert!(false, "a call was handed to a layer of another kind");
    Decision::reject(Rejection::ClientPoolFull)
}

/// What compiling one layer of a stack needs to know besides its config.
#[derive(Debug)]
pub struct CompileContext<'a> {
    /// The scenario (services are named by index at run time).
    pub scenario: &'a Scenario,
    /// The layer's endpoint.
    pub endpoint: &'a Endpoint,
    /// The endpoint's index in the scenario.
    pub endpoint_index: u16,
    /// The layer's index in the endpoint's stack.
    pub layer_index: u16,
    /// Distinct cache keys of the endpoint.
    pub key_space: u32,
    /// The run's index of each layer of the endpoint's stack (`None`: disabled).
    pub runtime_of_layer: &'a [Option<u16>],
}

/// The runtime of one (enabled) layer of a scenario's stack.
#[must_use]
pub fn compile(layer: &Layer, cx: &CompileContext<'_>) -> LayerRuntime {
    match layer {
        Layer::Cache(c) => LayerRuntime::Cache(Cache::new(c, cx.key_space)),
        Layer::Fallback(c) => {
            LayerRuntime::Fallback(FallbackLayer::new(Fallback::new(c), fallback_target(&c.action, cx)))
        }
        Layer::CircuitBreaker(c) => LayerRuntime::Breaker(BreakerLayer::new(c)),
        Layer::Retry(c) => {
            let stream = StreamId::Jitter { endpoint: cx.endpoint_index, layer: cx.layer_index };
            LayerRuntime::Retry(RetryLayer::new(c, Stream::new(cx.scenario.seed, stream)))
        }
        Layer::Timeout(c) => LayerRuntime::Timeout(Timeout::new(c)),
        Layer::Bulkhead(c) => LayerRuntime::Bulkhead(BulkheadLayer::bulkhead(c)),
    }
}

/// The runtime of the scenario's shared client worker pool (a bulkhead whose refusals say
/// "client pool exhausted").
#[must_use]
pub fn client_pool(pool: &ClientPool) -> LayerRuntime {
    let config = super::bulkhead::BulkheadConfig {
        enabled: true,
        max_concurrent: pool.workers,
        max_wait: pool.max_wait,
        queue: pool.queue,
    };
    LayerRuntime::ClientPool(BulkheadLayer::client_pool(&config))
}

/// Where a fallback's answer comes from: the stale cache is the endpoint's first enabled
/// cache layer (usually inside the fallback), a service is named by its index.
fn fallback_target(action: &FallbackAction, cx: &CompileContext<'_>) -> FallbackTarget {
    match action {
        FallbackAction::Static => FallbackTarget::Static,
        FallbackAction::StaleCache => {
            let cache = cx
                .endpoint
                .stack
                .iter()
                .zip(cx.runtime_of_layer)
                .find_map(|(layer, runtime)| matches!(layer, Layer::Cache(_)).then_some(*runtime).flatten());
            FallbackTarget::StaleCache(cache)
        }
        FallbackAction::Service(name) => FallbackTarget::Service(cx.scenario.service_index(name).unwrap_or(0) as u16),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::contract::Counter;
    use crate::patterns::timeout::{Timeout, TimeoutConfig};
    use crate::sim::TraceKind;
    use crate::time::Instant;

    /// A probe that records nothing.
    struct Quiet;

    impl Probe for Quiet {
        fn now(&self) -> Instant {
            Instant::ZERO
        }
        fn key(&self) -> u32 {
            0
        }
        fn trace(&mut self, _kind: TraceKind, _value: u32) {}
        fn count(&mut self, _counter: Counter) {}
        fn occupancy(&mut self, _in_use: u32, _waiting: u32) {}
        fn state(&mut self, _code: u8) {}
        fn wake_layer_at(&mut self, _at: Option<Instant>) {}
    }

    #[test]
    fn a_layer_and_the_call_it_made_come_in_pairs() {
        let mut layer = LayerRuntime::Timeout(Timeout::new(&TimeoutConfig::default()));
        let (mut call, decision) = layer.enter(7, &mut Quiet);
        assert!(matches!(call, LayerCall::Timeout(())));
        assert!(matches!(decision, Decision::ForwardUntil(_)));
        let reply = Reply::Err(Failure::Timeout);
        assert_eq!(layer.on_reply(&mut call, reply, &mut Quiet), Decision::Answer(reply));
    }

    #[test]
    #[should_panic(expected = "a call was handed to a layer of another kind")]
    fn a_call_handed_to_a_layer_of_another_kind_fails_loudly() {
        let mut layer = LayerRuntime::Timeout(Timeout::new(&TimeoutConfig::default()));
        let mut stranger = LayerCall::Fallback(Default::default());
        layer.on_reply(&mut stranger, Reply::Err(Failure::Timeout), &mut Quiet);
    }
}
