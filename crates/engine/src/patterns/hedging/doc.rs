//! Hedging settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{HedgingLayer, HedgingSettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::registry::CompileContext;
use crate::patterns::{FailureKind, KindSet, all_failure_kinds, enabled_by_default};
use crate::scenario::{Bounds, SERVICE_SPAN};
use crate::time::Span;

/// Hedged attempts beside the first, at most (Polly allows 10).
const HEDGED_MAX: u32 = 10;

/// A hedging layer as a scenario file writes it. Defaults are Polly v8's: one hedged attempt
/// after 2 s, every failure handled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HedgingDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// When hedged attempts are sent.
    #[serde(default)]
    pub mode: HedgeMode,
    /// `latency` mode: the wait for an answer before each hedged attempt. Default 2 s.
    #[serde(default = "two_seconds")]
    pub delay: Span,
    /// Hedged attempts beside the first, 1 to 10. Default 1.
    #[serde(default = "one")]
    pub max_hedged_attempts: u32,
    /// Failures that do not end the call: the next attempt starts instead. Default: all.
    #[serde(default = "all_failure_kinds")]
    pub handle: Vec<FailureKind>,
    /// `percentile` mode: which percentile of the successful latencies is the delay.
    #[serde(default = "ninety")]
    pub percentile: f64,
    /// `percentile` mode: successful calls a period needs before its percentile is used.
    #[serde(default = "ten")]
    pub min_data_points: u32,
    /// `percentile` mode: the period latencies are collected over.
    #[serde(default = "ten_seconds")]
    pub period: Span,
}

impl Default for HedgingDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            mode: HedgeMode::default(),
            delay: two_seconds(),
            max_hedged_attempts: one(),
            handle: all_failure_kinds(),
            percentile: ninety(),
            min_data_points: ten(),
            period: ten_seconds(),
        }
    }
}

const fn two_seconds() -> Span {
    Span::from_secs(2)
}
const fn ten_seconds() -> Span {
    Span::from_secs(10)
}
const fn one() -> u32 {
    1
}
const fn ten() -> u32 {
    10
}
const fn ninety() -> f64 {
    90.0
}

/// When a hedging layer sends its hedged attempts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HedgeMode {
    /// After each `delay` without an answer (Polly's latency mode).
    #[default]
    Latency,
    /// All at once (Polly's delay 0).
    Parallel,
    /// Only after a failure (Polly's delay −1).
    Fallback,
    /// After the previous period's `percentile` latency (tower `Hedge`).
    Percentile,
}

crate::patterns::read_as_words!(HedgeMode: Latency = "latency", Parallel = "parallel", Fallback = "fallback", Percentile = "percentile");

impl PatternDoc for HedgingDoc {
    type Layer = HedgingLayer;
    type Settings = HedgingSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<HedgingSettings, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        if let Some(most) = SERVICE_SPAN.max.filter(|most| self.delay > *most) {
            check.fail("delay", format!("must be at most {most}, got {}", self.delay));
        }
        check.count("max_hedged_attempts", self.max_hedged_attempts, Bounds { min: 1, max: HEDGED_MAX });
        check.number("percentile", self.percentile, Bounds { min: 1.0, max: 100.0 });
        check.count("min_data_points", self.min_data_points, Bounds { min: 1, max: 100_000 });
        check.wait_span("period", self.period);
        check.finish(|| HedgingSettings {
            mode: self.mode,
            delay_us: self.delay.as_micros(),
            max_hedged: self.max_hedged_attempts.min(HEDGED_MAX) as u8,
            handle: KindSet::of(&self.handle),
            percentile: self.percentile,
            min_data_points: self.min_data_points,
            period_us: self.period.as_micros(),
        })
    }

    fn build(&self, settings: HedgingSettings, _cx: &CompileContext<'_>) -> HedgingLayer {
        HedgingLayer::new(settings)
    }

    fn attempts_factor(&self) -> f64 {
        f64::from(1 + self.max_hedged_attempts.min(HEDGED_MAX))
    }
}
