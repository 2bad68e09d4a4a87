//! # resilience-engine
//!
//! A deterministic, runtime-agnostic simulator of resilience patterns. Patterns (cache, retry,
//! timeout, circuit breaker, fallback, bulkhead) are sans-IO state machines on a virtual clock;
//! a discrete-event simulator drives a whole [`Scenario`]: load → stack of patterns → scripted
//! failing service. Same scenario + same seed = the same trace, natively and in wasm.
//!
//! ```
//! use resilience_engine::{Scenario, RunOptions, run};
//!
//! let scenario = Scenario::from_json(resilience_engine::examples::get("breaker-outage").unwrap()).unwrap();
//! let report = run(&scenario, &RunOptions::default()).unwrap();
//! assert!(report.summary.total.requests > 0);
//! ```
//!
//! Nothing here reads a clock, touches the OS or a browser, or starts an async runtime.
//!
//! ## The public surface
//! Each public module is a facade: its files are private and it re-exports what callers use.
//! - the crate root: [`Scenario`], [`run`], [`Simulation`], [`Report`] and their options/errors;
//! - [`scenario`]: the document types, its bounds, and share links ([`scenario::link`]);
//! - [`patterns`]: each pattern's document, settings and machine, usable without the simulator,
//!   and the contract the simulator drives them through ([`patterns::contract`],
//!   [`patterns::document`], [`patterns::registry`]);
//! - [`sim`]: reports, traces, metrics and outcomes;
//! - [`catalog`]: every layer and fault kind described for editors;
//! - [`expect`]: a scenario's assertions about its run, measured against a report;
//! - [`explain`]: a request's journey in words, the causes behind its refusals, and each breaker transition;
//! - [`insights`]: warnings about a stack's configuration, with fixes;
//! - [`import`]: resilience4j, Polly and Envoy configurations as stacks;
//! - [`odds`]: outcomes across seeds, parameter sweeps and tipping points;
//! - [`codegen`]: a stack as code for resilience4j, Polly, cockatiel, failsafe-go and tower;
//! - [`examples`], [`time`].
//!
//! Enums that will grow (layer kinds, outcomes, trace kinds, failures) are `#[non_exhaustive]`.

pub mod catalog;
pub mod codegen;
pub mod decimal;
pub mod examples;
pub mod expect;
pub mod explain;
#[doc(hidden)]
pub mod fuzzing;
pub mod import;
pub mod insights;
pub mod odds;
pub mod patterns;
pub(crate) mod rng;
pub mod scenario;
pub mod sim;
pub mod time;

pub use rng::splitmix64;
pub use scenario::{Scenario, ScenarioError};
pub use sim::{Report, RunError, RunOptions, Simulation, TraceMode, run};
