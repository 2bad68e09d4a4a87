//! A retry budget as scenario files write it (the retry layer's `budget`), and how it is read.

use serde::{Deserialize, Serialize};

use super::budget::{AwsQuota, Budget, EnvoyBudget, TpsBudget};
use crate::patterns::check::FieldCheck;
use crate::scenario::{Bounds, CAPACITY, NAME_CHARS_MAX};
use crate::time::Span;

/// Whose retry budget a retry layer draws on; `shared` names a budget several retry layers
/// (on any endpoints) draw on together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BudgetDoc {
    /// No budget: every retry the policy allows is made.
    #[default]
    None,
    /// tower's `TpsBudget`. Defaults `TpsBudget::new(10 s, 10, 20 %)`.
    Tps {
        /// How long a deposit counts (1 s to 60 s, as tower requires).
        #[serde(default = "ten_seconds")]
        ttl: Span,
        /// Retries per second always allowed.
        #[serde(default = "ten")]
        min_per_sec: u32,
        /// Retries allowed per 100 successes.
        #[serde(default = "twenty")]
        retry_percent: f64,
        /// The name of a budget shared by several retry layers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared: Option<String>,
    },
    /// Envoy's `retry_budget`. Defaults 20 % and 3.
    Envoy {
        /// Retries in flight at most, as a percentage of the requests in flight.
        #[serde(default = "twenty")]
        budget_percent: f64,
        /// Retries in flight always allowed.
        #[serde(default = "three")]
        min_retry_concurrency: u32,
        /// The name of a budget shared by several retry layers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared: Option<String>,
    },
    /// The AWS SDKs' retry quota (standard mode). Defaults 500, 5, 10, 1.
    Aws {
        /// Tokens in a full bucket.
        #[serde(default = "five_hundred")]
        capacity: u32,
        /// Tokens a retry costs.
        #[serde(default = "five")]
        retry_cost: u32,
        /// Tokens a retry after a timeout costs.
        #[serde(default = "ten")]
        timeout_cost: u32,
        /// Tokens a request that succeeds at once gives back.
        #[serde(default = "one")]
        success_increment: u32,
        /// The name of a budget shared by several retry layers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shared: Option<String>,
    },
}

const fn ten_seconds() -> Span {
    Span::from_secs(10)
}
const fn ten() -> u32 {
    10
}
const fn twenty() -> f64 {
    20.0
}
const fn three() -> u32 {
    3
}
const fn five_hundred() -> u32 {
    500
}
const fn five() -> u32 {
    5
}
const fn one() -> u32 {
    1
}

/// tower's bounds on a `TpsBudget`'s ttl.
const TTL_MIN: Span = Span::from_secs(1);
const TTL_MAX: Span = Span::from_secs(60);

impl BudgetDoc {
    /// True for no budget.
    #[must_use]
    pub const fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }

    /// The name the budget is shared under, if any.
    #[must_use]
    pub fn shared(&self) -> Option<&str> {
        match self {
            Self::None => None,
            Self::Tps { shared, .. } | Self::Envoy { shared, .. } | Self::Aws { shared, .. } => shared.as_deref(),
        }
    }

    /// Checks every field (named under `budget.<kind>.`).
    pub(super) fn check(&self, check: &mut FieldCheck) {
        let percent = Bounds { min: 0.0, max: 1_000.0 };
        match self {
            Self::None => {}
            Self::Tps { ttl, min_per_sec, retry_percent, .. } => {
                if *ttl < TTL_MIN || *ttl > TTL_MAX {
                    check.fail("budget.tps.ttl", format!("must be between {TTL_MIN} and {TTL_MAX}, got {ttl}"));
                }
                check.count("budget.tps.min_per_sec", *min_per_sec, Bounds { min: 0, ..CAPACITY });
                check.number("budget.tps.retry_percent", *retry_percent, percent);
            }
            Self::Envoy { budget_percent, min_retry_concurrency, .. } => {
                check.number("budget.envoy.budget_percent", *budget_percent, Bounds { max: 100.0, ..percent });
                check.count(
                    "budget.envoy.min_retry_concurrency",
                    *min_retry_concurrency,
                    Bounds { min: 0, ..CAPACITY },
                );
            }
            Self::Aws { capacity, retry_cost, timeout_cost, success_increment, .. } => {
                check.count("budget.aws.capacity", *capacity, CAPACITY);
                for (field, value) in [
                    ("retry_cost", retry_cost),
                    ("timeout_cost", timeout_cost),
                    ("success_increment", success_increment),
                ] {
                    check.count(&format!("budget.aws.{field}"), *value, Bounds { min: 0, ..CAPACITY });
                }
            }
        }
        if let Some(name) = self.shared() {
            if name.trim().is_empty() || name.chars().count() > NAME_CHARS_MAX {
                check.fail("budget.shared", format!("must be a name of 1 to {NAME_CHARS_MAX} characters"));
            }
        }
    }

    /// The budget's machine, empty (full, for the AWS quota); `None` for no budget.
    #[must_use]
    pub fn machine(&self) -> Option<Budget> {
        Some(match *self {
            Self::None => return None,
            Self::Tps { ttl, min_per_sec, retry_percent, .. } => {
                Budget::Tps(TpsBudget::new(ttl.as_micros(), min_per_sec, retry_percent / 100.0))
            }
            Self::Envoy { budget_percent, min_retry_concurrency, .. } => {
                Budget::Envoy(EnvoyBudget::new(budget_percent / 100.0, min_retry_concurrency))
            }
            Self::Aws { capacity, retry_cost, timeout_cost, success_increment, .. } => {
                Budget::Aws(AwsQuota::new(capacity, retry_cost, timeout_cost, success_increment))
            }
        })
    }

    /// True when two budgets count the same way (their names aside).
    #[must_use]
    pub fn same_rules(&self, other: &Self) -> bool {
        let unnamed = |b: &Self| {
            let mut b = b.clone();
            match &mut b {
                Self::None => {}
                Self::Tps { shared, .. } | Self::Envoy { shared, .. } | Self::Aws { shared, .. } => *shared = None,
            }
            b
        };
        unnamed(self) == unnamed(other)
    }
}
