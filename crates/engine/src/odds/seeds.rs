//! One run of a scenario on one seed: the pure work unit a worker (a thread natively, a Web
//! Worker in the browser) runs, and the rule that numbers the seeds of a batch.

use serde::{Deserialize, Serialize};

use super::Figures;
use crate::expect::{self, Expectation, Verdict};
use crate::{RunError, RunOptions, Scenario, run};

/// The seed of run `index` of a batch that starts at `first_seed`: `first_seed + index`
/// (wrapping at `u64::MAX`). The same rule numbers the seeds of every sweep cell, so cells are
/// compared on the same seeds.
#[must_use]
pub const fn seed_at(first_seed: u64, index: usize) -> u64 {
    first_seed.wrapping_add(index as u64)
}

/// What one seed's run gave: its figures and the verdict of each assertion, or why the run
/// stopped (a bound; the figures are then absent and the run counts as failing every
/// assertion).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeedOutcome {
    /// The seed of the run.
    pub seed: u64,
    /// The run's figures (absent when it stopped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figures: Option<Figures>,
    /// Each assertion's verdict, in the `expect` list's order (empty when it stopped).
    #[serde(default)]
    pub verdicts: Vec<Verdict>,
    /// Digest of the run, in hex (equal digests, equal runs).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
    /// Why the run stopped, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl SeedOutcome {
    /// A run that stopped (or could not start) on `seed`, for the reason `why`.
    #[must_use]
    pub const fn stopped(seed: u64, why: String) -> Self {
        Self { seed, figures: None, verdicts: Vec::new(), digest: String::new(), error: Some(why) }
    }

    /// True if assertion `index` held on this run (false when the run stopped).
    #[must_use]
    pub fn holds(&self, index: usize) -> bool {
        self.verdicts.get(index).is_some_and(|v| v.pass)
    }
}

/// Runs `scenario` with its seed replaced by `seed` (summary and metrics only) and measures
/// `expectations` against the run.
///
/// # Errors
/// [`RunError::Invalid`] for a scenario that does not validate; a run that passes one of its
/// bounds is an outcome with `error`, not an error, so one bad seed does not sink a batch.
pub fn run_seed(scenario: &Scenario, expectations: &[Expectation], seed: u64) -> Result<SeedOutcome, RunError> {
    let mut seeded = scenario.clone();
    seeded.seed = seed;
    match run(&seeded, &RunOptions::default()) {
        Ok(report) => Ok(SeedOutcome {
            seed,
            figures: Some(Figures::of(&seeded, &report)),
            verdicts: expect::check(expectations, &seeded, &report),
            digest: format!("{:016x}", report.digest),
            error: None,
        }),
        Err(RunError::Invalid(error)) => Err(RunError::Invalid(error)),
        Err(other) => Ok(SeedOutcome::stopped(seed, other.to_string())),
    }
}

/// Checks a batch of `seeds` runs of `scenario` against the limits before any starts.
///
/// # Errors
/// A seed count of 0 or over [`super::SEEDS_MAX`], or a batch past a limit, saying by how
/// much (`seeds: this batch of seeds would simulate 1.2 billion requests, 12× the limit …`).
pub fn check_batch(scenario: &Scenario, seeds: usize) -> Result<(), crate::ScenarioError> {
    super::limits::check_seeds(seeds, "seeds")?;
    super::limits::Work::of(scenario, seeds).check(("this batch of seeds", "seeds"), "seeds")
}

/// Runs `seeds` seeds of `scenario` from `first_seed` one after the other (the reference the
/// parallel runs must equal), in seed order.
///
/// # Errors
/// As [`check_batch`].
pub fn run_seeds(
    scenario: &Scenario,
    expectations: &[Expectation],
    first_seed: u64,
    seeds: usize,
) -> Result<Vec<SeedOutcome>, crate::ScenarioError> {
    check_batch(scenario, seeds)?;
    Ok((0..seeds).map(|i| run_one(scenario, expectations, seed_at(first_seed, i))).collect())
}

/// [`run_seed`] with an invalid scenario reported as a stopped run.
#[must_use]
pub fn run_one(scenario: &Scenario, expectations: &[Expectation], seed: u64) -> SeedOutcome {
    run_seed(scenario, expectations, seed).unwrap_or_else(|e| SeedOutcome::stopped(seed, e.to_string()))
}
