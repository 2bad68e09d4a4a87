//! Adaptive limit settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{AdaptiveLimitLayer, AdaptiveSettings, EnvoySettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::registry::CompileContext;
use crate::patterns::{FailureKind, KindSet, enabled_by_default};
use crate::rng::{Stream, StreamId};
use crate::scenario::{Bounds, CAPACITY, GROWTH, SHARE, WINDOW_CALLS};
use crate::time::Span;

/// An adaptive concurrency limit as a scenario file writes it. Every limit and parameter left
/// out takes its algorithm's Netflix default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdaptiveLimitDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// How the limit moves. Default `aimd`.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// The limit at the start. Default 20 (Envoy: 3, after its first min-RTT measurement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_limit: Option<u32>,
    /// The lowest limit. Default 20 (Vegas: 1; Envoy: 3, its `min_concurrency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_limit: Option<u32>,
    /// The highest limit. Default 200 (Vegas, Envoy: 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_limit: Option<u32>,
    /// AIMD: the factor a drop multiplies the limit by, in `[0.5, 1)`. Default 0.9.
    #[serde(default = "default_backoff_ratio")]
    pub backoff_ratio: f64,
    /// AIMD: a call slower than this counts as a drop. Default 5 s.
    #[serde(default = "default_timeout")]
    pub timeout: Span,
    /// Gradient2, Vegas: the weight of each new estimate, in `[0.01, 1]`. Default 0.2 (Vegas: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smoothing: Option<f64>,
    /// Gradient2: how much the limit may grow per sample while latencies stay low. Default 4.
    #[serde(default = "default_queue_size")]
    pub queue_size: u32,
    /// Gradient2: samples of the long-term RTT average. Default 600.
    #[serde(default = "default_long_window")]
    pub long_window: u32,
    /// Gradient2: how many times the long-term RTT a sample may take before the limit shrinks
    /// (at least 1). Default 1.5.
    #[serde(default = "default_rtt_tolerance")]
    pub rtt_tolerance: f64,
    /// Vegas: the queue below which the limit grows. Default 3 × log10(limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<u32>,
    /// Vegas: the queue above which the limit shrinks. Default 6 × log10(limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<u32>,
    /// Vegas: the no-load RTT is probed again after about this many samples per unit of limit.
    /// Default 30.
    #[serde(default = "default_probe_multiplier")]
    pub probe_multiplier: u32,
    /// Failures that are drops (a sample of the others is its round-trip time only). Default:
    /// timeouts, rejections from inside, 429.
    #[serde(default = "default_drop_on")]
    pub drop_on: Vec<FailureKind>,
    /// Envoy: how often the limit is recomputed. Default 100 ms.
    #[serde(default = "default_update_interval")]
    pub update_interval: Span,
    /// Envoy: how often the min RTT is measured again (plus jitter). Default 60 s.
    #[serde(default = "default_min_rtt_interval")]
    pub min_rtt_interval: Span,
    /// Envoy: samples of a min-RTT measurement. Default 50.
    #[serde(default = "default_min_rtt_requests")]
    pub min_rtt_requests: u32,
    /// Envoy: up to this share of `min_rtt_interval` is added at random. Default 0.15.
    #[serde(default = "default_jitter")]
    pub jitter: f64,
    /// Envoy: the share a sample RTT may exceed the min RTT by. Default 0.25.
    #[serde(default = "default_buffer")]
    pub buffer: f64,
    /// Envoy: the percentile of a window's RTTs that stands for it. Default 0.5.
    #[serde(default = "default_percentile")]
    pub percentile: f64,
}

impl Default for AdaptiveLimitDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            algorithm: Algorithm::default(),
            initial_limit: None,
            min_limit: None,
            max_limit: None,
            backoff_ratio: default_backoff_ratio(),
            timeout: default_timeout(),
            smoothing: None,
            queue_size: default_queue_size(),
            long_window: default_long_window(),
            rtt_tolerance: default_rtt_tolerance(),
            alpha: None,
            beta: None,
            probe_multiplier: default_probe_multiplier(),
            drop_on: default_drop_on(),
            update_interval: default_update_interval(),
            min_rtt_interval: default_min_rtt_interval(),
            min_rtt_requests: default_min_rtt_requests(),
            jitter: default_jitter(),
            buffer: default_buffer(),
            percentile: default_percentile(),
        }
    }
}

const fn default_backoff_ratio() -> f64 {
    0.9
}
const fn default_timeout() -> Span {
    Span::from_secs(5)
}
const fn default_queue_size() -> u32 {
    4
}
const fn default_long_window() -> u32 {
    600
}
const fn default_rtt_tolerance() -> f64 {
    1.5
}
const fn default_probe_multiplier() -> u32 {
    30
}
const fn default_update_interval() -> Span {
    Span::from_millis(100)
}
const fn default_min_rtt_interval() -> Span {
    Span::from_secs(60)
}
const fn default_min_rtt_requests() -> u32 {
    50
}
const fn default_jitter() -> f64 {
    0.15
}
const fn default_buffer() -> f64 {
    0.25
}
const fn default_percentile() -> f64 {
    0.5
}
fn default_drop_on() -> Vec<FailureKind> {
    vec![FailureKind::Timeout, FailureKind::Rejected, FailureKind::Throttled]
}

/// Which Netflix concurrency-limits algorithm moves the limit (see the module's documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// `AIMDLimit`: +1 on success near the limit, × backoff ratio on a drop.
    #[default]
    Aimd,
    /// `Gradient2Limit`: long-term against short-term RTT.
    Gradient2,
    /// `VegasLimit`: queue estimated from the no-load RTT.
    Vegas,
    /// Envoy's adaptive concurrency gradient controller: min RTT against sampled RTT.
    EnvoyGradient,
}

crate::patterns::read_as_words!(Algorithm: Aimd = "aimd", Gradient2 = "gradient2", Vegas = "vegas", EnvoyGradient = "envoy_gradient");

impl Algorithm {
    /// The library's (initial, min, max) limits.
    #[must_use]
    pub const fn default_limits(self) -> (u32, u32, u32) {
        match self {
            Self::Aimd | Self::Gradient2 => (20, 20, 200),
            Self::Vegas => (20, 1, 1_000),
            Self::EnvoyGradient => (3, 3, 1_000),
        }
    }

    /// The library's smoothing.
    #[must_use]
    pub const fn default_smoothing(self) -> f64 {
        match self {
            Self::Vegas => 1.0,
            Self::Aimd | Self::Gradient2 | Self::EnvoyGradient => 0.2,
        }
    }
}

/// A backoff ratio's range (Netflix: `[0.5, 1.0)`; 1 is refused separately).
pub(super) const BACKOFF_RATIO: Bounds<f64> = Bounds { min: 0.5, max: 1.0 };
/// A smoothing's range (near 0 the limit would never move).
pub(super) const SMOOTHING: Bounds<f64> = Bounds { min: 0.01, max: 1.0 };

impl AdaptiveLimitDoc {
    /// The (initial, min, max) limits the layer runs with: defaults filled in, a `min_limit`
    /// above `max_limit` taken as `max_limit`, and the initial limit moved into the bounds
    /// (Netflix only warns about an initial limit outside them, and its first update clamps).
    #[must_use]
    pub fn limits(&self) -> (u32, u32, u32) {
        let (initial, min, max) = self.algorithm.default_limits();
        let max = self.max_limit.unwrap_or(max);
        let min = self.min_limit.unwrap_or(min).min(max);
        (self.initial_limit.unwrap_or(initial).clamp(min, max), min, max)
    }

    fn check_limits(&self, check: &mut FieldCheck) {
        for (field, value) in
            [("initial_limit", self.initial_limit), ("min_limit", self.min_limit), ("max_limit", self.max_limit)]
        {
            if let Some(value) = value {
                check.count(field, value, CAPACITY);
            }
        }
    }

    fn check_parameters(&self, check: &mut FieldCheck) {
        check.number("backoff_ratio", self.backoff_ratio, BACKOFF_RATIO);
        if self.backoff_ratio >= 1.0 {
            check.fail("backoff_ratio", "must be below 1");
        }
        check.positive_span("timeout", self.timeout);
        let smoothing = self.smoothing.unwrap_or(self.algorithm.default_smoothing());
        check.number("smoothing", smoothing, SMOOTHING);
        check.count("queue_size", self.queue_size, Bounds { min: 0, max: CAPACITY.max });
        check.count("long_window", self.long_window, WINDOW_CALLS);
        check.number("rtt_tolerance", self.rtt_tolerance, GROWTH);
        let alpha = self.alpha.unwrap_or(0);
        if let Some(alpha) = self.alpha {
            check.count("alpha", alpha, CAPACITY);
        }
        if let Some(beta) = self.beta {
            check.count("beta", beta, CAPACITY);
            if beta < alpha {
                check.fail("beta", format!("must be at least alpha ({alpha}), got {beta}"));
            }
        }
        check.count("probe_multiplier", self.probe_multiplier, CAPACITY);
        check.wait_span("update_interval", self.update_interval);
        check.wait_span("min_rtt_interval", self.min_rtt_interval);
        check.count("min_rtt_requests", self.min_rtt_requests, CAPACITY);
        check.number("jitter", self.jitter, SHARE);
        check.number("buffer", self.buffer, SHARE);
        check.number("percentile", self.percentile, SHARE);
    }

    fn envoy(&self) -> EnvoySettings {
        EnvoySettings {
            update_interval_us: self.update_interval.as_micros(),
            min_rtt_interval_us: self.min_rtt_interval.as_micros(),
            min_rtt_requests: self.min_rtt_requests,
            jitter: self.jitter,
            buffer: self.buffer,
            percentile: self.percentile,
        }
    }
}

impl PatternDoc for AdaptiveLimitDoc {
    type Layer = AdaptiveLimitLayer;
    type Settings = AdaptiveSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<AdaptiveSettings, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        self.check_limits(&mut check);
        self.check_parameters(&mut check);
        let (initial, min, max) = self.limits();
        check.finish(|| AdaptiveSettings {
            algorithm: self.algorithm,
            initial,
            min,
            max,
            backoff_ratio: self.backoff_ratio,
            timeout_us: self.timeout.as_micros(),
            smoothing: self.smoothing.unwrap_or(self.algorithm.default_smoothing()),
            queue_size: self.queue_size,
            long_window: self.long_window,
            rtt_tolerance: self.rtt_tolerance,
            alpha: self.alpha,
            beta: self.beta,
            probe_multiplier: self.probe_multiplier,
            drop_on: KindSet::of(&self.drop_on),
            envoy: self.envoy(),
        })
    }

    fn build(&self, settings: AdaptiveSettings, cx: &CompileContext<'_>) -> AdaptiveLimitLayer {
        let stream = StreamId::Jitter { endpoint: cx.endpoint_index, layer: cx.layer_index };
        AdaptiveLimitLayer::new(settings, Stream::new(cx.scenario.seed, stream))
    }
}
