//! Rate limiter settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{RateLimiterLayer, RateLimiterSettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::{DocScope, PatternDoc};
use crate::patterns::enabled_by_default;
use crate::patterns::registry::CompileContext;
use crate::scenario::{CAPACITY, Layer, NAME_CHARS_MAX, QUEUE, SERVICE_SPAN};
use crate::time::Span;

/// A rate limiter as a scenario file writes it. Defaults: resilience4j's algorithm and its
/// 50 permits per period and 5 s wait, with a period of 1 s (resilience4j's own default,
/// 500 ns, is below the simulator's microsecond clock).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimiterDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Whose algorithm counts the permits.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Permits per period. Default 50.
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// The period. Default 1 s.
    #[serde(default = "default_period")]
    pub period: Span,
    /// How long a call may wait for a permit. Default: the algorithm's library default
    /// (resilience4j 5 s; failsafe 0; token bucket and fixed window: as long as it takes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait: Option<Span>,
    /// Token bucket: tokens held at most (the burst). Default: `limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<u32>,
    /// Token bucket: calls that may wait for a token. Default 0.
    #[serde(default)]
    pub queue: u32,
    /// A name: every rate limiter layer with this name, on any endpoint, is one limiter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<String>,
}

impl Default for RateLimiterDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            algorithm: Algorithm::default(),
            limit: default_limit(),
            period: default_period(),
            max_wait: None,
            burst: None,
            queue: 0,
            shared: None,
        }
    }
}

const fn default_limit() -> u32 {
    50
}

const fn default_period() -> Span {
    Span::from_secs(1)
}

/// Whose rate-limiting algorithm a layer follows (see the module's documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// resilience4j: cycles refilled to the limit, reservations, refusal after the wait.
    #[default]
    Resilience4j,
    /// Polly / .NET token bucket: starts full, a queue of waiting calls.
    TokenBucket,
    /// failsafe smooth: evenly spaced permits.
    Smooth,
    /// failsafe bursty: all permits at the start of each period.
    Bursty,
    /// tower fixed window: back-pressure until the next window.
    FixedWindow,
}

crate::patterns::read_as_words!(Algorithm: Resilience4j = "resilience4j", TokenBucket = "token_bucket", Smooth = "smooth", Bursty = "bursty", FixedWindow = "fixed_window");

impl Algorithm {
    /// The library's default wait for a permit (`None`: as long as it takes).
    #[must_use]
    pub const fn default_max_wait(self) -> Option<Span> {
        match self {
            Self::Resilience4j => Some(Span::from_secs(5)),
            Self::Smooth | Self::Bursty => Some(Span::ZERO),
            Self::TokenBucket | Self::FixedWindow => None,
        }
    }
}

impl PatternDoc for RateLimiterDoc {
    type Layer = RateLimiterLayer;
    type Settings = RateLimiterSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<RateLimiterSettings, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        check.count("limit", self.limit, CAPACITY);
        check.wait_span("period", self.period);
        let max_wait = self.max_wait.or(self.algorithm.default_max_wait());
        if let (Some(wait), Some(most)) = (self.max_wait, SERVICE_SPAN.max) {
            if wait > most {
                check.fail("max_wait", format!("must be at most {most}, got {wait}"));
            }
        }
        if let Some(burst) = self.burst {
            check.count("burst", burst, CAPACITY);
        }
        check.count("queue", self.queue, QUEUE);
        if let Some(name) = &self.shared {
            if name.trim().is_empty() || name.chars().count() > NAME_CHARS_MAX {
                check.fail("shared", format!("must be a name of 1 to {NAME_CHARS_MAX} characters"));
            }
        }
        check.finish(|| RateLimiterSettings {
            algorithm: self.algorithm,
            limit: u64::from(self.limit),
            period_us: self.period.as_micros(),
            max_wait_us: max_wait.map(Span::as_micros),
            burst: u64::from(self.burst.unwrap_or(self.limit)),
            queue: u64::from(self.queue),
        })
    }

    fn check_references(&self, scope: DocScope<'_>, check: &mut FieldCheck) {
        let Some(name) = &self.shared else { return };
        let same_name = |layer: &&Layer| match layer {
            Layer::RateLimiter(other) => other.shared.as_ref() == Some(name) && other.enabled,
            _ => false,
        };
        let mut sharing = scope.all_layers().filter(same_name);
        if let Some(Layer::RateLimiter(first)) = sharing.next() {
            if self.enabled && !same_settings(first, self) {
                check.fail("shared", format!("every layer sharing {name:?} must have the same settings"));
            }
        }
    }

    fn shared_name(&self) -> Option<&str> {
        self.shared.as_deref()
    }

    fn build(&self, settings: RateLimiterSettings, _cx: &CompileContext<'_>) -> RateLimiterLayer {
        RateLimiterLayer::new(settings)
    }
}

/// True when two layers count permits the same way.
fn same_settings(a: &RateLimiterDoc, b: &RateLimiterDoc) -> bool {
    (a.algorithm, a.limit, a.period, a.max_wait, a.burst, a.queue)
        == (b.algorithm, b.limit, b.period, b.max_wait, b.burst, b.queue)
}
