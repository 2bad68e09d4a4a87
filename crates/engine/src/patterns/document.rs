//! The document side of the pattern contract: what a scenario file writes for one layer kind.
//!
//! A pattern's document type (`RetryDoc`, with `enabled`, human durations and old spellings
//! kept for old links) is separate from its settings (`Retry`, in the units the machine uses).
//! [`PatternDoc::parse`] turns one into the other or names each wrong field, so a machine is
//! only ever built from settings that make sense; renaming a setting never changes the format.
//!
//! ```text
//!   document ──parse──> settings ──build (with its place in the run)──> layer machine
//!            └─────────> [ConfigError { field, message }, …]
//! ```

use super::check::{ConfigError, FieldCheck};
use super::contract::LayerPattern;
use super::registry::CompileContext;
use crate::catalog::LayerSpec;
use crate::scenario::{Endpoint, Layer, Scenario};

/// Where a layer sits in its scenario, for the checks that look beyond the layer itself.
#[derive(Clone, Copy, Debug)]
pub struct DocScope<'a> {
    /// The whole scenario (services are referred to by name).
    pub scenario: &'a Scenario,
    /// The endpoint whose stack holds the layer.
    pub endpoint: &'a Endpoint,
}

impl<'a> DocScope<'a> {
    /// Every layer of every endpoint of the scenario, in document order.
    pub fn all_layers(self) -> impl Iterator<Item = &'a Layer> {
        self.scenario.endpoints.iter().flat_map(|e| e.stack.iter())
    }
}

/// One layer kind as scenario files write it.
pub trait PatternDoc {
    /// The machine a run drives for this layer.
    type Layer: LayerPattern;
    /// The checked settings the machine is built from.
    type Settings;
    /// The kind's catalogue entry (its name as files spell it, label, fields, outcomes, state).
    const SPEC: &'static LayerSpec;

    /// False keeps the layer in the stack but lets calls pass straight through.
    fn enabled(&self) -> bool;

    /// The settings, or every field that is wrong (named relative to the layer).
    ///
    /// # Errors
    /// One [`ConfigError`] per wrong field.
    fn parse(&self) -> Result<Self::Settings, Vec<ConfigError>>;

    /// Checks what the layer refers to elsewhere in the scenario (a service by name, another
    /// layer of the stack). Nothing by default.
    fn check_references(&self, _scope: DocScope<'_>, _check: &mut FieldCheck) {}

    /// The layer machine for a run, from checked settings (the document is at hand for what it
    /// names elsewhere in the run).
    fn build(&self, settings: Self::Settings, cx: &CompileContext<'_>) -> Self::Layer;

    /// A name under which every layer of this kind with the same name is one runtime, shared
    /// by the calls of all their endpoints (a shared rate limiter). None by default.
    fn shared_name(&self) -> Option<&str> {
        None
    }

    /// How many times the calls inside this layer can be made per call into it.
    fn attempts_factor(&self) -> f64 {
        1.0
    }
}
