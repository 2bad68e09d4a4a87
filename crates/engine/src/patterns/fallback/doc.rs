//! Fallback settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{Fallback, FallbackLayer, FallbackTarget};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::{DocScope, PatternDoc};
use crate::patterns::registry::CompileContext;
use crate::patterns::{FailureKind, KindSet, all_failure_kinds, enabled_by_default};
use crate::scenario::Layer;

/// A fallback layer as a scenario file writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FallbackDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Which failures trigger the fallback. Default: all of them.
    #[serde(default = "all_failure_kinds")]
    pub on: Vec<FailureKind>,
    /// What to answer instead.
    #[serde(default)]
    pub action: FallbackAction,
}

impl Default for FallbackDoc {
    fn default() -> Self {
        Self { enabled: true, on: all_failure_kinds(), action: FallbackAction::Static }
    }
}

/// What a fallback answers with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FallbackAction {
    /// A fixed default answer.
    #[default]
    Static,
    /// The entry of the endpoint's cache layer for the same key, however old; the failure
    /// passes through when there is none.
    StaleCache,
    /// A call to another service of the scenario, by name.
    Service(String),
}

impl PatternDoc for FallbackDoc {
    type Layer = FallbackLayer;
    type Settings = Fallback;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<Fallback, Vec<ConfigError>> {
        // Every list of kinds is valid (an empty one answers nothing: the layer is inert).
        Ok(Fallback { on: KindSet::of(&self.on) })
    }

    fn check_references(&self, scope: DocScope<'_>, check: &mut FieldCheck) {
        match &self.action {
            FallbackAction::Static => {}
            FallbackAction::StaleCache => {
                if !scope.endpoint.stack.iter().any(|l| matches!(l, Layer::Cache(_))) {
                    check.fail("action", "stale_cache needs a cache layer in the same stack");
                }
            }
            FallbackAction::Service(name) => {
                if scope.scenario.service_index(name).is_none() {
                    check.fail("action.service", format!("no service is called {name:?}"));
                }
            }
        }
    }

    fn build(&self, settings: Fallback, cx: &CompileContext<'_>) -> FallbackLayer {
        FallbackLayer::new(settings, target(&self.action, cx))
    }

    fn attempts_factor(&self) -> f64 {
        if matches!(self.action, FallbackAction::Service(_)) { 2.0 } else { 1.0 }
    }
}

/// Where a fallback's answer comes from: the stale cache is the endpoint's first enabled
/// cache layer (usually inside the fallback), a service is named by its index.
fn target(action: &FallbackAction, cx: &CompileContext<'_>) -> FallbackTarget {
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
        FallbackAction::Service(name) => {
            FallbackTarget::Service(cx.scenario.service_index(name).map_or(0, |i| i as u16))
        }
    }
}
