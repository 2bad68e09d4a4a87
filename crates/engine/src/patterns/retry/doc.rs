//! Retry settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use core::cell::RefCell;
use std::rc::Rc;

use super::budget_doc::BudgetDoc;
use super::{Retry, RetryLayer};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::{DocScope, PatternDoc};
use crate::patterns::registry::CompileContext;
use crate::patterns::{FailureKind, enabled_by_default};
use crate::rng::{Stream, StreamId};
use crate::scenario::{ATTEMPTS, GROWTH, Layer, RETRIES, SHARE};
use crate::time::Span;

/// Settings of a retry layer. Defaults follow resilience4j: 3 attempts in total, a constant
/// 500 ms wait, no jitter; 5xx answers and timeouts are retried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Attempts in total, the first included (resilience4j, AWS SDKs). Default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// Retries after the first attempt (Polly, cockatiel, Envoy). Set this *or* `max_attempts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
    /// How long to wait before each retry, before the cap and jitter.
    #[serde(default)]
    pub backoff: BackoffDoc,
    /// Upper bound on any single wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay: Option<Span>,
    /// Randomisation of each wait.
    #[serde(default)]
    pub jitter: Jitter,
    /// Which failures are retried.
    #[serde(default = "default_retry_on")]
    pub retry_on: Vec<FailureKind>,
    /// Wait what a 429/503's `Retry-After` says instead of the backoff, when it says anything.
    /// The first spelling of `retry_after: as_sent`, kept so old files and links still open.
    #[serde(default)]
    pub honor_retry_after: bool,
    /// What to do with a `Retry-After`: `ignore` it (default, unless `honor_retry_after`),
    /// wait it `as_sent`, or `clamp` it to `[backoff, backoff + 5 s]` (AWS SDKs' standard mode).
    #[serde(default)]
    pub retry_after: RetryAfter,
    /// A retry budget the layer draws on before each retry (tower, Envoy, AWS). Default none.
    #[serde(default)]
    pub budget: BudgetDoc,
}

impl Default for RetryDoc {
    fn default() -> Self {
        Self {
            enabled: true,
            max_attempts: None,
            max_retries: None,
            backoff: BackoffDoc::default(),
            max_delay: None,
            jitter: Jitter::None,
            retry_on: default_retry_on(),
            honor_retry_after: false,
            retry_after: RetryAfter::Ignore,
            budget: BudgetDoc::None,
        }
    }
}

impl RetryDoc {
    /// Attempts in total, whichever way the file counted them.
    #[must_use]
    pub fn total_attempts(&self) -> u32 {
        match (self.max_attempts, self.max_retries) {
            (Some(attempts), _) => attempts,
            (None, Some(retries)) => retries.saturating_add(1),
            (None, None) => 3,
        }
    }

    /// The `Retry-After` handling in force: `retry_after`, or `as_sent` when only the older
    /// `honor_retry_after` is set.
    #[must_use]
    pub const fn retry_after_policy(&self) -> RetryAfter {
        match self.retry_after {
            RetryAfter::Ignore if self.honor_retry_after => RetryAfter::AsSent,
            policy => policy,
        }
    }
}

/// How a retry layer uses a `Retry-After` that came with a failure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetryAfter {
    /// Wait the backoff as if nothing was said.
    #[default]
    Ignore,
    /// Wait exactly what the service said (Polly's, resilience4j's delay-from-outcome hooks).
    AsSent,
    /// Wait what the service said, but at least the backoff and at most the backoff plus 5 s
    /// (the AWS SDKs' standard mode for `x-amz-retry-after`).
    Clamp,
}

crate::patterns::read_as_words!(RetryAfter: Ignore = "ignore", AsSent = "as_sent", Clamp = "clamp");

impl RetryAfter {
    /// True for the default.
    #[must_use]
    pub const fn is_ignore(&self) -> bool {
        matches!(self, Self::Ignore)
    }
}

fn default_retry_on() -> Vec<FailureKind> {
    vec![FailureKind::ServerError, FailureKind::Timeout]
}

/// The wait before retry `n` (n = 1 for the first retry), before cap and jitter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BackoffDoc {
    /// The same wait every time.
    Constant {
        /// The wait.
        delay: Span,
    },
    /// `delay × n` (Polly's linear).
    Linear {
        /// The first wait, and the step.
        delay: Span,
    },
    /// `initial × multiplier^(n−1)`, truncated to whole milliseconds at each step as
    /// resilience4j does (500, 750, 1125, 1687, 2530 ms for ×1.5).
    Exponential {
        /// The first wait.
        initial: Span,
        /// Growth per retry (≥ 1).
        multiplier: f64,
    },
}

impl Default for BackoffDoc {
    fn default() -> Self {
        Self::Constant { delay: Span::from_millis(500) }
    }
}

/// Randomisation applied to each (capped) wait `d`; `r` is uniform in `[0, 1)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Jitter {
    /// `d`.
    #[default]
    None,
    /// `r·d` (AWS "full jitter").
    Full,
    /// `d/2 + r·d/2` (AWS "equal jitter").
    Equal,
    /// `min(cap, base + r·(3·previous − base))`, the previous wait being `base` before the
    /// first retry, so even the first wait is drawn from `[base, 3·base)` (AWS "decorrelated
    /// jitter": `sleep = min(cap, uniform(base, sleep · 3))` with `sleep₀ = base`).
    Decorrelated,
    /// `d·(1 − f + 2f·r)`: ±f around `d` (Polly uses f = 0.25, resilience4j 0.5).
    Factor(f64),
}

impl PatternDoc for RetryDoc {
    type Layer = RetryLayer;
    type Settings = Retry;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<Retry, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        match (self.max_attempts, self.max_retries) {
            (Some(_), Some(_)) => check.fail("max_retries", "set max_attempts or max_retries, not both"),
            (Some(n), None) => check.count("max_attempts", n, ATTEMPTS),
            (None, Some(n)) => check.count("max_retries", n, RETRIES),
            (None, None) => {}
        }
        if let BackoffDoc::Exponential { initial, multiplier } = self.backoff {
            check.wait_span("backoff.exponential.initial", initial);
            check.number("backoff.exponential.multiplier", multiplier, GROWTH);
        }
        if let Jitter::Factor(f) = self.jitter {
            check.number("jitter.factor", f, SHARE);
        }
        if self.retry_on.is_empty() {
            check.fail("retry_on", "lists nothing to retry");
        }
        if self.honor_retry_after && self.retry_after == RetryAfter::Clamp {
            check.fail("retry_after", "clamp contradicts honor_retry_after: true (as sent); set one");
        }
        self.budget.check(&mut check);
        check.finish(|| Retry::of_checked(self))
    }

    fn check_references(&self, scope: DocScope<'_>, check: &mut FieldCheck) {
        let budget = &self.budget;
        let Some(name) = budget.shared() else { return };
        let first = scope.all_layers().find_map(|layer| match layer {
            Layer::Retry(RetryDoc { enabled: true, budget: other, .. }) if other.shared() == Some(name) => Some(other),
            _ => None,
        });
        if first.is_some_and(|first| self.enabled && !first.same_rules(budget)) {
            check.fail(
                "budget.shared",
                format!("every retry layer sharing the budget {name:?} must give it the same rules"),
            );
        }
    }

    fn build(&self, settings: Retry, cx: &CompileContext<'_>) -> RetryLayer {
        let stream = StreamId::Jitter { endpoint: cx.endpoint_index, layer: cx.layer_index };
        let budget = self.budget.machine().map(|machine| match self.budget.shared() {
            Some(name) => cx.shared.get_or_make("retry_budget", name, || machine),
            None => Rc::new(RefCell::new(machine)),
        });
        RetryLayer::new(settings, Stream::new(cx.scenario.seed, stream), budget)
    }

    fn attempts_factor(&self) -> f64 {
        f64::from(self.total_attempts())
    }
}
