//! Odds, not anecdotes: a scenario's figures across many seeds, parameter sweeps and the
//! tipping-point finder.
//!
//! Everything here is built from one pure work unit, **one run of one scenario on one seed**
//! ([`run_seed`], [`Plan::run`], [`run_cell`]), whose result is a serde value. A batch is a
//! list of such units numbered `0..n`; results are merged by index, never by arrival, so the
//! numbers do not depend on how many workers ran them (threads natively, [`parallel::Pool`];
//! Web Workers in the browser). Each batch is checked against [`limits`] before any run.
//!
//! - Seeds: run `i` of a batch uses seed `first_seed + i` ([`seed_at`]); [`aggregate`] turns
//!   the outcomes into each figure's [`Distribution`] and each assertion's share of seeds.
//! - Sweeps: the document's `sweep` section ([`sweep`]) names one or two knobs; [`Plan`] lists
//!   the cells, runs them and sums them up per cell ([`SweepResult`]); [`svg::chart`] draws it.
//! - Tipping points: [`tip`] bisects one knob for the value where an assertion flips.

mod distribution;
mod figures;
mod knob;
pub mod limits;
#[cfg(not(target_arch = "wasm32"))]
pub mod parallel;
mod plan;
mod seeds;
pub mod svg;
pub mod sweep;
mod tip;

use serde::{Deserialize, Serialize};

pub use distribution::{AssertionOdds, Distribution, Odds, aggregate, assertion_odds};
pub use figures::{FIGURE_NAMES, Figures, RECOVERY_TOLERANCE, RECOVERY_WINDOW_BUCKETS, fault_labels, recovery_index};
pub use knob::{CANDIDATES_MAX, KNOB_VALUES_MAX, Knob, Target, candidates};
pub use limits::{SEEDS_MAX, Work};
pub use plan::{Cell, CellOutcome, Plan, cells, run_cell};
pub use seeds::{SeedOutcome, check_batch, run_one, run_seed, run_seeds, seed_at};
pub use sweep::{Chart, Sweep};
pub use tip::{Map, NextProbe, PROBES_MAX, Probe, Tip, TipRequest, TipSearch, tip};

/// One axis of a sweep: a knob and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// The knob's JSON pointer.
    pub path: String,
    /// Each value in words (`4`, `30s`).
    pub labels: Vec<String>,
    /// Each value as a number (milliseconds for durations).
    pub numbers: Vec<f64>,
}

impl Axis {
    /// The axis of `knob`.
    #[must_use]
    pub fn of(knob: &Knob) -> Self {
        let n = knob.values.len();
        Self {
            path: knob.path.clone(),
            labels: (0..n).map(|i| knob.label(i)).collect(),
            numbers: (0..n).map(|i| knob.number_at(i)).collect(),
        }
    }
}

/// One cell's results so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellSummary {
    /// The cell's index.
    pub index: usize,
    /// The index of each knob's value.
    pub coords: Vec<usize>,
    /// Runs done.
    pub runs: usize,
    /// Why the cell's document is invalid, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The charted value: a figure's median or an assertion's share (absent without runs, or
    /// when the figure has no value on any seed, such as a recovery that never happened).
    pub value: Option<f64>,
    /// Every figure's distribution and every assertion's share over the cell's seeds.
    pub odds: Option<Odds>,
}

/// A sweep's results, per cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepResult {
    /// The knobs, the first varying slowest (a heatmap's rows).
    pub knobs: Vec<Axis>,
    /// What is charted (`p99_ms`, `expect[0]`).
    pub chart: String,
    /// Seeds per cell.
    pub seeds: usize,
    /// The first seed of each cell.
    pub first_seed: u64,
    /// A label per fault, in the order of [`Figures::recovery_ms`].
    pub faults: Vec<String>,
    /// Assertions in the document.
    pub assertions: usize,
    /// Every cell, in index order.
    pub cells: Vec<CellSummary>,
}

impl SweepResult {
    /// The cells as CSV: the knobs' values, runs, then the median of each figure and the share
    /// of seeds on which each assertion holds, and the charted value.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut header: Vec<String> = vec!["cell".into()];
        header.extend(self.knobs.iter().map(|k| k.path.clone()));
        header.extend(["runs".into(), "invalid".into()]);
        header.extend(FIGURE_NAMES.iter().map(|n| format!("{n}_median")));
        header.extend((0..self.faults.len()).map(|k| format!("recovery_ms[{k}]_median")));
        header.extend((0..self.assertions).map(|n| format!("expect[{n}]_share")));
        header.push(format!("chart:{}", self.chart));
        let mut out = header.join(",") + "\n";
        for cell in &self.cells {
            let mut row = vec![cell.index.to_string()];
            row.extend(cell.coords.iter().zip(&self.knobs).map(|(i, k)| csv_text(&k.labels[*i])));
            row.push(cell.runs.to_string());
            row.push(csv_text(cell.invalid.as_deref().unwrap_or("")));
            let odds = cell.odds.as_ref();
            let median = |d: Option<&Distribution>| d.map_or_else(String::new, |d| d.median.to_string());
            row.extend((0..FIGURE_NAMES.len()).map(|f| median(odds.and_then(|o| o.figures[f].1.as_ref()))));
            row.extend((0..self.faults.len()).map(|k| median(odds.and_then(|o| o.recovery_ms[k].as_ref()))));
            row.extend(
                (0..self.assertions).map(|n| odds.map_or_else(String::new, |o| o.assertions[n].share.to_string())),
            );
            row.push(cell.value.map_or_else(String::new, |v| v.to_string()));
            out += &(row.join(",") + "\n");
        }
        out
    }
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_text(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}
