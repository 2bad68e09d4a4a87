//! Timeout settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::Timeout;
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::enabled_by_default;
use crate::patterns::registry::CompileContext;
use crate::time::Span;

/// A timeout layer as a scenario file writes it. Default 1 s, as resilience4j's TimeLimiter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// How long the inner layers may take.
    #[serde(default = "default_timeout")]
    pub timeout: Span,
}

impl Default for TimeoutDoc {
    fn default() -> Self {
        Self { enabled: true, timeout: default_timeout() }
    }
}

fn default_timeout() -> Span {
    Span::from_secs(1)
}

impl PatternDoc for TimeoutDoc {
    type Layer = Timeout;
    type Settings = Timeout;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<Timeout, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        check.positive_span("timeout", self.timeout);
        check.finish(|| Timeout { timeout_us: self.timeout.as_micros() })
    }

    fn build(&self, settings: Timeout, _cx: &CompileContext<'_>) -> Timeout {
        settings
    }
}
