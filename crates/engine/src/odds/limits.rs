//! Bounds on a batch of runs (seeds, a sweep, a tipping-point search), checked before any run
//! starts: each run is bounded by the scenario's own limits, and these bound how many there are.

use crate::ScenarioError;
use crate::scenario::about;

/// Most requests a batch may simulate, summed over its runs (each run's estimate, from
/// [`crate::Scenario::expected_requests`], times its seeds).
pub const BATCH_REQUESTS_MAX: f64 = 100_000_000.0;
/// Most downstream attempts a batch may make at worst, summed over its runs (each run's
/// [`crate::Scenario::expected_attempts`], the product of its retry limits).
pub const BATCH_ATTEMPTS_MAX: f64 = 1_000_000_000.0;
/// Most seeds of a batch, or of each sweep cell.
pub const SEEDS_MAX: usize = 1_000;
/// Most runs of a batch, whatever their size.
pub const RUNS_MAX: usize = 200_000;

/// The work a batch asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Work {
    /// Runs.
    pub runs: usize,
    /// Requests, summed over the runs.
    pub requests: f64,
    /// Downstream attempts at worst, summed over the runs.
    pub attempts: f64,
}

impl Work {
    /// `runs` runs of a scenario that expects `requests` requests and at most `attempts`
    /// attempts.
    #[must_use]
    pub fn of(scenario: &crate::Scenario, runs: usize) -> Self {
        let n = runs as f64;
        Self { runs, requests: scenario.expected_requests() * n, attempts: scenario.expected_attempts() * n }
    }

    /// The work of both batches.
    #[must_use]
    pub fn plus(self, other: Self) -> Self {
        Self {
            runs: self.runs + other.runs,
            requests: self.requests + other.requests,
            attempts: self.attempts + other.attempts,
        }
    }

    /// Refuses work past a limit, saying by how much and what to make smaller; `what` names the
    /// batch ("this sweep"), `smaller` what it has to make smaller ("cells, seeds").
    ///
    /// # Errors
    /// The first limit passed, with the path `field` (for example `sweep`).
    pub fn check(&self, (what, smaller): (&str, &str), field: &str) -> Result<(), ScenarioError> {
        let advice = format!("use fewer {smaller} or a shorter run");
        let over = |count: f64, limit: f64, noun: &str| {
            ScenarioError::new(
                field,
                format!(
                    "{what} would simulate {} {noun}, {} the limit of {}; {advice}",
                    about(count),
                    times(count / limit),
                    about(limit)
                ),
            )
        };
        if self.runs > RUNS_MAX {
            return Err(over(self.runs as f64, RUNS_MAX as f64, "runs"));
        }
        if self.requests > BATCH_REQUESTS_MAX {
            return Err(over(self.requests, BATCH_REQUESTS_MAX, "requests"));
        }
        if self.attempts > BATCH_ATTEMPTS_MAX {
            return Err(over(self.attempts, BATCH_ATTEMPTS_MAX, "downstream attempts at worst"));
        }
        Ok(())
    }
}

/// A ratio over a limit in words: `1.5×`, `12×`, `far over` past a thousand.
fn times(ratio: f64) -> String {
    if ratio >= 1_000.0 {
        "far over".to_owned()
    } else if ratio < 10.0 {
        let text = format!("{:.1}", (ratio * 10.0).ceil() / 10.0);
        format!("{}×", text.strip_suffix(".0").unwrap_or(&text))
    } else {
        format!("{}×", ratio.ceil())
    }
}

/// Refuses a seed count of 0 or over [`SEEDS_MAX`] at `field`.
///
/// # Errors
/// The count out of range.
pub fn check_seeds(seeds: usize, field: &str) -> Result<(), ScenarioError> {
    if seeds == 0 || seeds > SEEDS_MAX {
        return Err(ScenarioError::new(field, format!("must be between 1 and {SEEDS_MAX} seeds, got {seeds}")));
    }
    Ok(())
}
