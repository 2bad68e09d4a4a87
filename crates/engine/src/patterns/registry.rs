//! Every pattern the simulator drives, registered once. Adding a pattern is its folder under
//! `patterns/` (document, settings, machine, `layer.rs` implementing [`LayerPattern`], its
//! [`PatternDoc`] in `doc.rs`) plus one line in the [`registry!`] call below.
//!
//! From that one list the macros make the scenario's [`Layer`] enum (what files write), the
//! runtime enum [`LayerRuntime`] and the per-call enum [`LayerCall`], so a layer and the state
//! of a call inside it always come in pairs; a call handed to a layer of another kind is a bug
//! that fails loudly in tests (a debug assertion) and safely in release (the call fails).

use core::any::Any;
use core::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::adaptive_limit::AdaptiveLimitDoc;
use super::bulkhead::{BulkheadDoc, BulkheadLayer};
use super::cache::CacheDoc;
use super::check::{ConfigError, FieldCheck};
use super::circuit_breaker::BreakerDoc;
use super::contract::{CallRef, Decision, LayerId, LayerPattern, Probe, Released, Reply};
use super::document::{DocScope, PatternDoc};
use super::fallback::FallbackDoc;
use super::hedging::HedgingDoc;
use super::rate_limiter::RateLimiterDoc;
use super::retry::RetryDoc;
use super::throttle::ThrottleDoc;
use super::timeout::TimeoutDoc;
use super::{Failure, Rejection};
use crate::catalog::LayerSpec;
use crate::scenario::{ClientPool, Endpoint, Scenario};

/// Makes the document enum [`Layer`] from the list of patterns, and the runtime enums from the
/// same list plus the client pool.
macro_rules! registry {
    ($($kind:ident($doc:ty)),* $(,)?) => {
        /// One layer of a stack, as scenario files write it: `{"retry": {...}}`.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case", deny_unknown_fields)]
        #[non_exhaustive]
        pub enum Layer {
            $(
                #[doc = concat!("A ", stringify!($kind), " layer.")]
                $kind($doc),
            )*
        }

        /// Every layer kind's catalogue entry, in palette order.
        pub static SPECS: &[&LayerSpec] = &[$(<$doc as PatternDoc>::SPEC,)*];

        impl Layer {
            /// True unless disabled in place.
            #[must_use]
            pub fn enabled(&self) -> bool {
                match self { $(Self::$kind(doc) => doc.enabled(),)* }
            }

            /// The layer's kind as scenario files name it.
            #[must_use]
            pub fn kind_name(&self) -> &'static str {
                match self { $(Self::$kind(_) => <$doc as PatternDoc>::SPEC.name,)* }
            }

            /// The name layers of this kind share one runtime under, if any.
            #[must_use]
            pub fn shared_name(&self) -> Option<&str> {
                match self { $(Self::$kind(doc) => doc.shared_name(),)* }
            }

            /// How many times the calls inside this layer can be made per call into it.
            #[must_use]
            pub fn attempts_factor(&self) -> f64 {
                match self { $(Self::$kind(doc) => doc.attempts_factor(),)* }
            }

            /// Every problem of the layer's settings and of what it refers to, each named by
            /// its field relative to the layer.
            #[must_use]
            pub fn problems(&self, scope: DocScope<'_>) -> Vec<ConfigError> {
                match self { $(Self::$kind(doc) => problems_of(doc, scope),)* }
            }

            /// The layer's runtime for a run.
            ///
            /// # Errors
            /// The wrong fields, if the layer was not validated first.
            pub fn compile(&self, cx: &CompileContext<'_>) -> Result<LayerRuntime, Vec<ConfigError>> {
                match self { $(Self::$kind(doc) => Ok(LayerRuntime::$kind(doc.build(doc.parse()?, cx))),)* }
            }
        }

        runtimes! {
            $($kind(<$doc as PatternDoc>::Layer) = <$doc as PatternDoc>::SPEC.name,)*
            ClientPool(BulkheadLayer) = crate::catalog::CLIENT_POOL.name,
        }
    };
}

/// Every problem of one layer document.
fn problems_of<D: PatternDoc>(doc: &D, scope: DocScope<'_>) -> Vec<ConfigError> {
    let mut check = FieldCheck::default();
    doc.check_references(scope, &mut check);
    let mut errors = doc.parse().err().unwrap_or_default();
    errors.extend(check.take());
    errors
}

macro_rules! runtimes {
    ($($kind:ident($layer:ty) = $name:expr),* $(,)?) => {
        /// A layer's shared state during a run, whatever its pattern. (A run holds at most a
        /// few hundred of them, each created once: the size of the largest costs nothing.)
        #[derive(Debug)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum LayerRuntime {
            $(
                #[doc = concat!("A ", stringify!($kind), " layer.")]
                $kind($layer),
            )*
        }

        /// What one call keeps inside a layer, whatever its pattern.
        #[derive(Debug)]
        pub enum LayerCall {
            $(
                #[doc = concat!("A call inside a ", stringify!($kind), " layer.")]
                $kind(<$layer as LayerPattern>::Call),
            )*
        }

        impl LayerRuntime {
            /// The kind's name, as scenario files and metrics spell it.
            #[must_use]
            pub fn kind(&self) -> &'static str {
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

// The patterns, in palette order. Adding one is one line here.
registry! {
    Fallback(FallbackDoc),
    Cache(CacheDoc),
    CircuitBreaker(BreakerDoc),
    Retry(RetryDoc),
    Timeout(TimeoutDoc),
    Bulkhead(BulkheadDoc),
    RateLimiter(RateLimiterDoc),
    Hedging(HedgingDoc),
    AdaptiveLimit(AdaptiveLimitDoc),
    Throttle(ThrottleDoc),
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
    /// The run's layer of each layer of the endpoint's stack (`None`: disabled).
    pub runtime_of_layer: &'a [Option<LayerId>],
    /// State that layers of the run share by name (a retry budget several layers draw on).
    pub shared: &'a SharedObjects,
}

/// State shared by name between layers of one run, whatever their endpoints: the first layer
/// to ask for `(kind, name)` makes it, later ones get the same object. A run is one thread, so
/// sharing is an `Rc<RefCell<_>>`, mutated in event order: runs stay deterministic.
#[derive(Default)]
pub struct SharedObjects {
    objects: RefCell<Vec<SharedEntry>>,
}

/// One shared object: the kind that made it, its name, the object.
type SharedEntry = (&'static str, String, Rc<dyn Any>);

impl core::fmt::Debug for SharedObjects {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SharedObjects").field("count", &self.objects.borrow().len()).finish()
    }
}

impl SharedObjects {
    /// The object shared as `(kind, name)`, made by `make` if it is the first ask (or if the
    /// name holds an object of another type, which a kind's own name space rules out).
    pub fn get_or_make<T: Any>(&self, kind: &'static str, name: &str, make: impl FnOnce() -> T) -> Rc<RefCell<T>> {
        let found = self.objects.borrow().iter().find(|(k, n, _)| *k == kind && n == name).map(|(_, _, o)| o.clone());
        if let Some(object) = found.and_then(|o| o.downcast::<RefCell<T>>().ok()) {
            return object;
        }
        let object = Rc::new(RefCell::new(make()));
        self.objects.borrow_mut().push((kind, name.to_owned(), object.clone()));
        object
    }
}

/// The runtime of the scenario's shared client worker pool (a bulkhead whose refusals say
/// "client pool exhausted").
///
/// # Errors
/// The wrong fields (named as the pool's), if the scenario was not validated first.
pub fn client_pool(pool: &ClientPool) -> Result<LayerRuntime, Vec<ConfigError>> {
    let doc = BulkheadDoc { enabled: true, max_concurrent: pool.workers, max_wait: pool.max_wait, queue: pool.queue };
    let settings = doc.parse().map_err(|errors| {
        let field = |e: ConfigError| ConfigError { field: e.field.replace("max_concurrent", "workers"), ..e };
        errors.into_iter().map(field).collect::<Vec<_>>()
    })?;
    Ok(LayerRuntime::ClientPool(BulkheadLayer::client_pool(settings)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::contract::Counter;
    use crate::patterns::timeout::TimeoutDoc;
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
        let mut layer = LayerRuntime::Timeout(TimeoutDoc::default().parse().unwrap());
        let (mut call, decision) = layer.enter(7, &mut Quiet);
        assert!(matches!(call, LayerCall::Timeout(())));
        assert!(matches!(decision, Decision::ForwardUntil(_)));
        let reply = Reply::Err(Failure::Timeout);
        assert_eq!(layer.on_reply(&mut call, reply, &mut Quiet), Decision::Answer(reply));
    }

    #[test]
    #[should_panic(expected = "a call was handed to a layer of another kind")]
    fn a_call_handed_to_a_layer_of_another_kind_fails_loudly() {
        let mut layer = LayerRuntime::Timeout(TimeoutDoc::default().parse().unwrap());
        let mut stranger = LayerCall::Fallback(Default::default());
        layer.on_reply(&mut stranger, Reply::Err(Failure::Timeout), &mut Quiet);
    }

    #[test]
    fn every_pattern_names_its_wrong_fields_when_built_directly() {
        let cases = [
            (r#"{"cache":{"ttl":"0s","capacity":0}}"#, vec!["ttl", "capacity"]),
            (r#"{"circuit_breaker":{"failure_rate":0}}"#, vec!["failure_rate"]),
            (r#"{"retry":{"max_attempts":0,"retry_on":[]}}"#, vec!["max_attempts", "retry_on"]),
            (r#"{"timeout":{"timeout":"0s"}}"#, vec!["timeout"]),
            (r#"{"bulkhead":{"max_concurrent":0}}"#, vec!["max_concurrent"]),
            (r#"{"rate_limiter":{"limit":0}}"#, vec!["limit"]),
            (r#"{"hedging":{"max_hedged_attempts":0}}"#, vec!["max_hedged_attempts"]),
            (r#"{"adaptive_limit":{"min_limit":0,"smoothing":0}}"#, vec!["min_limit", "smoothing"]),
            (r#"{"throttle":{"k":0.5}}"#, vec!["k"]),
        ];
        for (json, fields) in cases {
            let layer: Layer = serde_json::from_str(json).unwrap();
            let errors = match &layer {
                Layer::Cache(doc) => doc.parse().err(),
                Layer::CircuitBreaker(doc) => doc.parse().err(),
                Layer::Retry(doc) => doc.parse().err(),
                Layer::Timeout(doc) => doc.parse().err(),
                Layer::Bulkhead(doc) => doc.parse().err(),
                Layer::Fallback(doc) => doc.parse().err(),
                Layer::RateLimiter(doc) => doc.parse().err(),
                Layer::Hedging(doc) => doc.parse().err(),
                Layer::AdaptiveLimit(doc) => doc.parse().err(),
                Layer::Throttle(doc) => doc.parse().err(),
            };
            let named: Vec<_> = errors.unwrap().into_iter().map(|e| e.field).collect();
            assert_eq!(named, fields, "{json}");
        }
    }

    #[test]
    fn each_kind_is_spelled_in_files_as_its_catalogue_names_it() {
        for spec in SPECS {
            let json = format!(r#"{{"{}":{}}}"#, spec.name, spec.example);
            let layer: Layer = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(layer.kind_name(), spec.name);
        }
    }
}
