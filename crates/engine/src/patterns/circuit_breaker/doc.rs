//! Circuit breaker settings as scenario files write them, and how they are read. Defaults are
//! resilience4j's.

use serde::{Deserialize, Serialize};

use super::{BreakerLayer, BreakerSettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::registry::CompileContext;
use crate::patterns::{FailureKind, all_failure_kinds, enabled_by_default};
use crate::scenario::{Bounds, CAPACITY, GROWTH, PERCENT, WINDOW_CALLS, WINDOW_SECONDS};
use crate::time::Span;

/// Settings of a circuit breaker (resilience4j semantics and defaults; the boundary rules where
/// libraries differ are settings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The sliding window of recorded calls in the closed state. Default: the last 100 calls.
    #[serde(default)]
    pub window: WindowDoc,
    /// Failure rate (percent, inclusive) at which the breaker opens. Default 50.
    #[serde(default = "default_failure_rate")]
    pub failure_rate: f64,
    /// Slow-call rate (percent, inclusive) at which the breaker opens. Default 100.
    #[serde(default = "default_slow_call_rate")]
    pub slow_call_rate: f64,
    /// A call longer than this (strictly) is slow. Default 60 s.
    #[serde(default = "default_sixty_seconds")]
    pub slow_call_duration: Span,
    /// Recorded calls needed before any rate is judged. Default 100.
    #[serde(default = "default_minimum_calls")]
    pub minimum_calls: u32,
    /// Time spent open before a probe may pass. Default 60 s.
    #[serde(default = "default_sixty_seconds")]
    pub wait_open: Span,
    /// Growth of the open wait each time the breaker re-opens without closing (1 = constant).
    #[serde(default = "default_multiplier")]
    pub wait_multiplier: f64,
    /// Cap on the grown open wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_max: Option<Span>,
    /// Calls let through while half-open; extra calls are rejected. Default 10.
    #[serde(default = "default_permitted_half_open")]
    pub permitted_half_open: u32,
    /// Leave half-open after this long even without a verdict (resilience4j's fix for
    /// "stuck in half-open"). Default: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait_half_open: Option<Span>,
    /// Where `max_wait_half_open` leads. Default open.
    #[serde(default)]
    pub after_max_wait: AfterMaxWait,
    /// Open after this many failures in a row instead of judging rates (cockatiel's
    /// `ConsecutiveBreaker`, Polly v7's classic breaker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_failures: Option<u32>,
    /// Which failures count as failures; other failures count as successes. Default: all.
    #[serde(default = "all_failure_kinds")]
    pub record: Vec<FailureKind>,
    /// Failures that are neither failures nor successes: the call gives its permit back and
    /// nothing is recorded (resilience4j's `ignoreExceptions`; wins over `record`). Default: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<FailureKind>,
    /// Close from half-open after this many successful probes out of `permitted_half_open`,
    /// and re-open as soon as that can no longer happen (failures > permitted − successes):
    /// failsafe's `withSuccessThreshold(successes, permitted)`. Default: the half-open window
    /// is judged by the closed state's rates (resilience4j).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_open_successes: Option<u32>,
    /// Judge and report rates in whole percent, rounded half up (failsafe: 49.6 % → 50 %).
    /// Default false (resilience4j's exact rates).
    #[serde(default, skip_serializing_if = "is_false")]
    pub round_rates: bool,
    /// The state the breaker starts in and keeps: `normal` (closed, open, half-open),
    /// `forced_open`, `metrics_only` or `disabled` (resilience4j's special states).
    #[serde(default)]
    pub mode: BreakerMode,
    /// When exactly the open wait ends. Default `strictly_after` (resilience4j).
    #[serde(default)]
    pub open_boundary: OpenBoundary,
    /// When the closed state judges its window. Default `every_call` (resilience4j).
    #[serde(default)]
    pub evaluate: Evaluate,
    /// What a call finds when the half-open probes are all taken: refused at once
    /// (resilience4j, the default) or queued until the probes decide (cockatiel).
    #[serde(default)]
    pub half_open_admission: HalfOpenAdmission,
}

/// What a call finds in half-open when every probe permit is taken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HalfOpenAdmission {
    /// Refused at once (resilience4j).
    #[default]
    Reject,
    /// Waits until the probes decide: let through if the breaker closes (or a probe permit
    /// frees), refused if it opens again (cockatiel).
    Queue,
}

crate::patterns::read_as_words!(HalfOpenAdmission: Reject = "reject", Queue = "queue");

impl HalfOpenAdmission {
    /// True for the default, [`HalfOpenAdmission::Reject`].
    #[must_use]
    pub const fn is_reject(&self) -> bool {
        matches!(self, Self::Reject)
    }
}

impl Default for BreakerDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            window: WindowDoc::default(),
            failure_rate: default_failure_rate(),
            slow_call_rate: default_slow_call_rate(),
            slow_call_duration: default_sixty_seconds(),
            minimum_calls: default_minimum_calls(),
            wait_open: default_sixty_seconds(),
            wait_multiplier: default_multiplier(),
            wait_max: None,
            permitted_half_open: default_permitted_half_open(),
            max_wait_half_open: None,
            after_max_wait: AfterMaxWait::Open,
            consecutive_failures: None,
            record: all_failure_kinds(),
            ignore: Vec::new(),
            half_open_successes: None,
            round_rates: false,
            mode: BreakerMode::Normal,
            open_boundary: OpenBoundary::StrictlyAfter,
            evaluate: Evaluate::EveryCall,
            half_open_admission: HalfOpenAdmission::Reject,
        }
    }
}

/// The closed state's sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum WindowDoc {
    /// The last `n` recorded calls.
    Count(u32),
    /// The calls of the last `n` whole seconds (one-second buckets aligned to t = 0).
    Seconds(u32),
}

impl Default for WindowDoc {
    fn default() -> Self {
        Self::Count(100)
    }
}

/// The breaker's operating mode (resilience4j's special states, as a setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerMode {
    /// Closed, open and half-open as the calls decide.
    #[default]
    Normal,
    /// Rejects every call; never half-opens.
    ForcedOpen,
    /// Records, judges and reports like a closed breaker but never blocks a call.
    MetricsOnly,
    /// Lets every call through and records nothing.
    Disabled,
}

crate::patterns::read_as_words!(BreakerMode: Normal = "normal", ForcedOpen = "forced_open", MetricsOnly = "metrics_only", Disabled = "disabled");

impl BreakerMode {
    /// True for the default mode.
    #[must_use]
    pub const fn is_normal(&self) -> bool {
        matches!(self, Self::Normal)
    }
}

/// Where the breaker goes when `max_wait_half_open` elapses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterMaxWait {
    /// Back to open (resilience4j's default).
    #[default]
    Open,
    /// On to closed.
    Closed,
}

crate::patterns::read_as_words!(AfterMaxWait: Open = "open", Closed = "closed");

/// Whether a probe may pass at exactly the end of the open wait.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenBoundary {
    /// Only after it (resilience4j's `isAfter`, goresilience).
    #[default]
    StrictlyAfter,
    /// At it or after (Polly, cockatiel, failsafe).
    AtOrAfter,
}

crate::patterns::read_as_words!(OpenBoundary: StrictlyAfter = "strictly_after", AtOrAfter = "at_or_after");

/// When the closed state checks its thresholds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evaluate {
    /// After every recorded call, success or failure (resilience4j, failsafe).
    #[default]
    EveryCall,
    /// Only after a failure (Polly, cockatiel).
    OnFailure,
}

crate::patterns::read_as_words!(Evaluate: EveryCall = "every_call", OnFailure = "on_failure");

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
const fn is_false(value: &bool) -> bool {
    !*value
}
const fn default_failure_rate() -> f64 {
    50.0
}
const fn default_slow_call_rate() -> f64 {
    100.0
}
const fn default_sixty_seconds() -> Span {
    Span::from_secs(60)
}
const fn default_minimum_calls() -> u32 {
    100
}
const fn default_multiplier() -> f64 {
    1.0
}
const fn default_permitted_half_open() -> u32 {
    10
}

impl PatternDoc for BreakerDoc {
    type Layer = BreakerLayer;
    type Settings = BreakerSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<BreakerSettings, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        check.number("failure_rate", self.failure_rate, PERCENT);
        check.number("slow_call_rate", self.slow_call_rate, PERCENT);
        check.positive_span("slow_call_duration", self.slow_call_duration);
        check.count("minimum_calls", self.minimum_calls, CAPACITY);
        check.wait_span("wait_open", self.wait_open);
        check.number("wait_multiplier", self.wait_multiplier, GROWTH);
        check.count("permitted_half_open", self.permitted_half_open, WINDOW_CALLS);
        if let Some(wait) = self.max_wait_half_open {
            check.positive_span("max_wait_half_open", wait);
        }
        if let Some(n) = self.consecutive_failures {
            check.count("consecutive_failures", n, WINDOW_CALLS);
        }
        if let Some(n) = self.half_open_successes {
            check.count("half_open_successes", n, Bounds { min: 1, max: self.permitted_half_open.max(1) });
        }
        match self.window {
            WindowDoc::Count(n) => check.count("window.count", n, WINDOW_CALLS),
            WindowDoc::Seconds(n) => check.count("window.seconds", n, WINDOW_SECONDS),
        }
        check.finish(|| BreakerSettings::of(self))
    }

    fn build(&self, settings: BreakerSettings, _cx: &CompileContext<'_>) -> BreakerLayer {
        BreakerLayer::new(settings)
    }
}
