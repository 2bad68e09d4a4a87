//! Fallback: answer something useful when the inner layers fail.
//!
//! ```text
//!   Waiting ──inner ok──────────────────────────────> Done(inner answer)
//!   Waiting ──inner failed, kind not in `on`─────────> Done(failure)
//!   Waiting ──inner failed, kind in `on`──> static value          ──> Done(fallback)
//!                                      └─> stale cache entry      ──> Done(fallback) or failure
//!                                      └─> secondary service call ──> Done(fallback) or its failure
//! ```

mod layer;
pub use layer::{FallbackLayer, FallbackTarget};

use serde::{Deserialize, Serialize};

use crate::patterns::{Failure, FailureKind, KindSet, all_failure_kinds, enabled_by_default};

/// Settings of a fallback layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FallbackConfig {
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

impl Default for FallbackConfig {
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

/// A fallback layer's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fallback {
    on: KindSet,
}

impl Fallback {
    /// The policy of a (validated) config.
    #[must_use]
    pub fn new(config: &FallbackConfig) -> Self {
        Self { on: KindSet::of(&config.on) }
    }

    /// True if `failure` should be answered by the fallback.
    #[must_use]
    pub const fn triggers_on(self, failure: Failure) -> bool {
        self.on.contains(failure.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Rejection;

    #[test]
    fn triggers_only_on_selected_kinds() {
        let fallback = Fallback::new(&FallbackConfig { on: vec![FailureKind::Rejected], ..FallbackConfig::default() });
        assert!(fallback.triggers_on(Failure::Rejected(Rejection::CircuitOpen { until: crate::time::Instant::ZERO })));
        assert!(!fallback.triggers_on(Failure::Timeout));
        assert!(Fallback::new(&FallbackConfig::default()).triggers_on(Failure::Timeout));
    }
}
