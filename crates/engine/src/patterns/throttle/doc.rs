//! Throttle settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{ThrottleLayer, ThrottleSettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::registry::CompileContext;
use crate::patterns::{FailureKind, KindSet, enabled_by_default};
use crate::rng::{Stream, StreamId};
use crate::scenario::{GROWTH, QUEUE, SHARE};
use crate::time::Span;

/// Client-side adaptive throttling as a scenario file writes it. `k`, `window` and
/// `max_rejection` left out take the `rule`'s defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Whose rule counts the requests. Default `sre`.
    #[serde(default)]
    pub rule: Rule,
    /// The multiplier of accepts, at least 1. Default 2 (failsafe-go: 1 / 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<f64>,
    /// The sliding window. Default 2 min (failsafe-go: 1 min).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Span>,
    /// The highest refusal probability, in `[0, 1]`. Default 1 (failsafe-go: 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rejection: Option<f64>,
    /// Requests in the window before any call is refused. Default 0.
    #[serde(default)]
    pub min_requests: u32,
    /// Failures the backend did not accept (others count as accepted). Default: 5xx, 429 and
    /// timeouts.
    #[serde(default = "default_record")]
    pub record: Vec<FailureKind>,
}

impl Default for ThrottleDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            rule: Rule::default(),
            k: None,
            window: None,
            max_rejection: None,
            min_requests: 0,
            record: default_record(),
        }
    }
}

fn default_record() -> Vec<FailureKind> {
    vec![FailureKind::ServerError, FailureKind::Throttled, FailureKind::Timeout]
}

/// Whose rule counts requests (see the module's documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The Google SRE book: every call made is a request, refused ones included.
    #[default]
    Sre,
    /// failsafe-go's `adaptivethrottler`: only results of calls sent are counted.
    FailsafeGo,
}

crate::patterns::read_as_words!(Rule: Sre = "sre", FailsafeGo = "failsafe_go");

impl Rule {
    /// The rule's (k, window, max rejection).
    #[must_use]
    pub fn defaults(self) -> (f64, Span, f64) {
        match self {
            Self::Sre => (2.0, Span::from_secs(120), 1.0),
            Self::FailsafeGo => (1.0 / 0.9, Span::from_secs(60), 0.9),
        }
    }
}

impl PatternDoc for ThrottleDoc {
    type Layer = ThrottleLayer;
    type Settings = ThrottleSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<ThrottleSettings, Vec<ConfigError>> {
        let (k, window, max_rejection) = self.rule.defaults();
        let (k, window, max_rejection) =
            (self.k.unwrap_or(k), self.window.unwrap_or(window), self.max_rejection.unwrap_or(max_rejection));
        let mut check = FieldCheck::default();
        check.number("k", k, GROWTH);
        check.wait_span("window", window);
        check.number("max_rejection", max_rejection, SHARE);
        check.count("min_requests", self.min_requests, QUEUE);
        check.finish(|| ThrottleSettings {
            rule: self.rule,
            k,
            window_us: window.as_micros(),
            max_rejection,
            min_requests: u64::from(self.min_requests),
            record: KindSet::of(&self.record),
        })
    }

    fn build(&self, settings: ThrottleSettings, cx: &CompileContext<'_>) -> ThrottleLayer {
        let stream = StreamId::Jitter { endpoint: cx.endpoint_index, layer: cx.layer_index };
        ThrottleLayer::new(settings, Stream::new(cx.scenario.seed, stream))
    }
}
