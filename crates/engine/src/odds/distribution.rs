//! Aggregation across seeds: the distribution of each figure and the share of seeds on which
//! each assertion holds.

use serde::{Deserialize, Serialize};

use super::{FIGURE_NAMES, SeedOutcome};

/// The distribution of one figure over the runs that have it. Quantiles interpolate linearly
/// between the two nearest ranks of the sorted values (rank `q × (n − 1)`, numpy's default);
/// the mean sums the values in run order. Every field is a plain function of the multiset of
/// values, except the mean's rounding, which follows run order: merge results by index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Runs with a value.
    pub count: usize,
    /// Runs without one (a recovery that never happened, a run that stopped).
    pub missing: usize,
    /// Smallest value.
    pub min: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub p75: f64,
    /// Largest value.
    pub max: f64,
    /// Arithmetic mean.
    pub mean: f64,
}

impl Distribution {
    /// The distribution of `values` (`None` entries count as missing); `None` when no value is
    /// present. NaNs count as missing.
    #[must_use]
    pub fn of(values: &[Option<f64>]) -> Option<Self> {
        let present: Vec<f64> = values.iter().filter_map(|v| v.filter(|x| !x.is_nan())).collect();
        let mean = present.iter().sum::<f64>() / present.len() as f64;
        let mut sorted = present;
        sorted.sort_by(f64::total_cmp);
        let (first, last) = (*sorted.first()?, *sorted.last()?);
        Some(Self {
            count: sorted.len(),
            missing: values.len() - sorted.len(),
            min: first,
            p25: quantile(&sorted, 0.25),
            median: quantile(&sorted, 0.5),
            p75: quantile(&sorted, 0.75),
            max: last,
            mean,
        })
    }
}

/// The `q` quantile of sorted, non-empty `values`, interpolated between the nearest ranks.
fn quantile(values: &[f64], q: f64) -> f64 {
    let rank = q * (values.len() - 1) as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    let weight = rank - low as f64;
    values[low] + (values[high] - values[low]) * weight
}

/// How often one assertion held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssertionOdds {
    /// The claim in words (from the first run that measured it).
    pub claim: String,
    /// Runs on which it held.
    pub holds: usize,
    /// Runs in all (a run that stopped counts as not holding).
    pub runs: usize,
    /// `holds / runs` (0 without runs).
    pub share: f64,
}

/// The odds of a batch of seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Odds {
    /// Runs in the batch.
    pub runs: usize,
    /// Runs that stopped at a bound.
    pub stopped: usize,
    /// Each scalar figure, named as in [`FIGURE_NAMES`], in that order.
    pub figures: Vec<(String, Option<Distribution>)>,
    /// Recovery time after each fault (see [`super::Figures`]); `missing` counts the seeds on
    /// which it never recovered.
    pub recovery_ms: Vec<Option<Distribution>>,
    /// Each assertion, in the `expect` list's order.
    pub assertions: Vec<AssertionOdds>,
}

/// The odds of `outcomes` (in seed order), with `assertions` assertions and `faults` faults.
#[must_use]
pub fn aggregate(outcomes: &[SeedOutcome], assertions: usize, faults: usize) -> Odds {
    let figure = |name: &str| -> Vec<Option<f64>> {
        outcomes.iter().map(|o| o.figures.as_ref().and_then(|f| f.get(name))).collect()
    };
    let recovery = |k: usize| -> Vec<Option<f64>> {
        outcomes.iter().map(|o| o.figures.as_ref().and_then(|f| f.recovery_ms.get(k).copied().flatten())).collect()
    };
    Odds {
        runs: outcomes.len(),
        stopped: outcomes.iter().filter(|o| o.error.is_some()).count(),
        figures: FIGURE_NAMES.iter().map(|n| ((*n).to_owned(), Distribution::of(&figure(n)))).collect(),
        recovery_ms: (0..faults).map(|k| Distribution::of(&recovery(k))).collect(),
        assertions: (0..assertions).map(|i| assertion_odds(outcomes, i)).collect(),
    }
}

/// How often assertion `index` held over `outcomes`.
#[must_use]
pub fn assertion_odds(outcomes: &[SeedOutcome], index: usize) -> AssertionOdds {
    let holds = outcomes.iter().filter(|o| o.holds(index)).count();
    let claim = outcomes.iter().find_map(|o| o.verdicts.get(index)).map(|v| v.claim.clone()).unwrap_or_default();
    let share = if outcomes.is_empty() { 0.0 } else { holds as f64 / outcomes.len() as f64 };
    AssertionOdds { claim, holds, runs: outcomes.len(), share }
}
