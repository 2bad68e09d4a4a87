//! A sweep's cells and runs: the plan, checked against the batch limits before any run, the
//! pure work unit a worker runs (one cell on one seed), and the results summed up per cell.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::distribution::{Odds, aggregate};
use super::figures::fault_labels;
use super::limits::Work;
use super::seeds::{SeedOutcome, run_seed, seed_at};
use super::sweep::{self, Chart, KEY, Sweep};
use crate::expect::{self, Expectation};
use crate::{Scenario, ScenarioError};

/// One cell of a sweep: a value of each knob. Cells are numbered with the first knob varying
/// slowest (row-major: `index = i0 × len(knob 1) + i1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Position in [`Plan::cells`].
    pub index: usize,
    /// The index of each knob's value.
    pub coords: Vec<usize>,
    /// Each knob's value as written into the document.
    pub values: Vec<Value>,
}

/// One run of a sweep: cell `cell` on seed number `seed_index` of the cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellOutcome {
    /// The cell's index.
    pub cell: usize,
    /// Which of the cell's seeds (the seed is `first_seed + seed_index`).
    pub seed_index: usize,
    /// The run (absent when the cell's document is invalid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<SeedOutcome>,
    /// Why the cell's document is invalid (`cell 3 (…max_attempts = 0): …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
}

/// A sweep, planned: its cells, each cell's scenario parsed and validated, and the batch
/// checked against the limits. Build it once and run its [`Plan::runs`] runs in any order,
/// on any number of workers.
#[derive(Clone, Debug)]
pub struct Plan {
    sweep: Sweep,
    expectations: Vec<Expectation>,
    faults: Vec<String>,
    cells: Vec<Cell>,
    scenarios: Vec<Result<Scenario, String>>,
}

/// The parts every reading of a sweep needs: the base scenario, its assertions and its sweep.
fn read_parts(doc: &Value) -> Result<(Scenario, Vec<Expectation>, Sweep), ScenarioError> {
    let base = Scenario::from_json(&doc.to_string())?;
    let expectations = expect::read(doc)?;
    let faults = base.services.iter().map(|s| s.faults.len()).sum();
    let sweep = sweep::read(doc, faults, expectations.len())?
        .ok_or_else(|| ScenarioError::new(KEY, "the document has no sweep section"))?;
    Ok((base, expectations, sweep))
}

impl Plan {
    /// Reads the document's sweep, builds every cell's scenario and checks the batch (every
    /// cell × its seeds, and the requests and attempts of the valid ones) against the limits
    /// ([`super::limits`]).
    ///
    /// # Errors
    /// An invalid base document, a wrong sweep entry (by its path), a batch past a limit, or
    /// cells that all make the document invalid. Some cells that do are not an error: their
    /// runs say why.
    pub fn new(doc: &Value) -> Result<Self, ScenarioError> {
        let (base, expectations, sweep) = read_parts(doc)?;
        let cells = cells_of(&sweep);
        let runs = cells.len() * sweep.seeds;
        // The run count first: it needs no cell built.
        Work { runs, ..Work::default() }.check(("this sweep", "cells, seeds"), KEY)?;
        let scenarios: Vec<_> = cells.iter().map(|c| cell_scenario(doc, &sweep, c)).collect();
        if let Some(Err(first)) = scenarios.first().filter(|_| scenarios.iter().all(Result::is_err)) {
            return Err(ScenarioError::new(
                KEY,
                format!("every cell makes the document invalid, so nothing would run; {first}"),
            ));
        }
        // Requests and attempts count the valid cells (only they simulate); runs count them all,
        // since every run is a unit of work to hand out, count and draw.
        let work = scenarios
            .iter()
            .filter_map(|s| s.as_ref().ok())
            .fold(Work::default(), |w, s| w.plus(Work::of(s, sweep.seeds)));
        Work { runs, ..work }.check(("this sweep", "cells, seeds"), KEY)?;
        Ok(Self { faults: fault_labels(&base), sweep, expectations, cells, scenarios })
    }

    /// The cheap part of [`Plan::new`]'s checks: the sweep section read, and its run count
    /// against the limit, without building any cell (what a dialog checks as it opens a
    /// stranger's link; the rest waits for Run).
    ///
    /// # Errors
    /// As [`Plan::new`], but for the cells' requests and validity.
    pub fn check_section(doc: &Value) -> Result<(), ScenarioError> {
        let (_, _, sweep) = read_parts(doc)?;
        let runs = sweep.knobs.iter().map(|k| k.values.len()).product::<usize>() * sweep.seeds;
        Work { runs, ..Work::default() }.check(("this sweep", "cells, seeds"), KEY)
    }

    /// The sweep section.
    #[must_use]
    pub const fn sweep(&self) -> &Sweep {
        &self.sweep
    }

    /// The cells, in index order.
    #[must_use]
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Runs in all: cells × seeds. Run `r` is cell `r / seeds` on seed index `r % seeds`.
    #[must_use]
    pub fn runs(&self) -> usize {
        self.cells.len() * self.sweep.seeds
    }

    /// Run number `run` (see [`Plan::runs`]); `None` past the last.
    #[must_use]
    pub fn run(&self, run: usize) -> Option<CellOutcome> {
        let seeds = self.sweep.seeds.max(1);
        self.run_cell(run / seeds, run % seeds)
    }

    /// Cell `cell` on seed index `seed_index`; `None` for indices out of range.
    #[must_use]
    pub fn run_cell(&self, cell: usize, seed_index: usize) -> Option<CellOutcome> {
        if seed_index >= self.sweep.seeds {
            return None;
        }
        let scenario = self.scenarios.get(cell)?;
        Some(outcome(scenario.as_ref(), &self.expectations, self.sweep.first_seed, cell, seed_index))
    }

    /// The results so far per cell, from `outcomes` in any order (missing runs are left out,
    /// so partial results can be drawn; a run given twice counts once).
    #[must_use]
    pub fn summarize(&self, outcomes: &[CellOutcome]) -> super::SweepResult {
        let seeds = self.sweep.seeds;
        let mut slots: Vec<Vec<Option<&CellOutcome>>> = vec![vec![None; seeds]; self.cells.len()];
        for o in outcomes {
            if let Some(slot) = slots.get_mut(o.cell).and_then(|c| c.get_mut(o.seed_index)) {
                *slot = Some(o);
            }
        }
        let cells = self.cells.iter().zip(&slots).map(|(cell, runs)| self.summarize_cell(cell, runs)).collect();
        super::SweepResult {
            knobs: self.sweep.knobs.iter().map(super::Axis::of).collect(),
            chart: self.sweep.chart.name(),
            seeds,
            first_seed: self.sweep.first_seed,
            faults: self.faults.clone(),
            assertions: self.expectations.len(),
            cells,
        }
    }

    fn summarize_cell(&self, cell: &Cell, runs: &[Option<&CellOutcome>]) -> super::CellSummary {
        let invalid = runs.iter().flatten().find_map(|o| o.invalid.clone());
        let done: Vec<SeedOutcome> = runs.iter().flatten().filter_map(|o| o.run.clone()).collect();
        let odds = (!done.is_empty()).then(|| aggregate(&done, self.expectations.len(), self.faults.len()));
        let value = odds.as_ref().and_then(|odds| chart_value(&self.sweep.chart, &done, odds));
        super::CellSummary { index: cell.index, coords: cell.coords.clone(), runs: done.len(), invalid, value, odds }
    }
}

/// The charted value of a cell: a figure's median, or an assertion's share.
fn chart_value(chart: &Chart, done: &[SeedOutcome], odds: &Odds) -> Option<f64> {
    match chart {
        Chart::Assertion(n) => odds.assertions.get(*n).map(|a| a.share),
        Chart::Figure(name) => {
            let values: Vec<Option<f64>> = done.iter().map(|o| o.figures.as_ref().and_then(|f| f.get(name))).collect();
            super::Distribution::of(&values).map(|d| d.median)
        }
    }
}

/// Every cell of `sweep`, the first knob varying slowest.
fn cells_of(sweep: &Sweep) -> Vec<Cell> {
    let lengths: Vec<usize> = sweep.knobs.iter().map(|k| k.values.len()).collect();
    let count: usize = lengths.iter().product();
    (0..count)
        .map(|index| {
            let mut rest = index;
            let mut coords = vec![0; lengths.len()];
            for (k, len) in lengths.iter().enumerate().rev() {
                coords[k] = rest % len;
                rest /= len;
            }
            let values = coords.iter().zip(&sweep.knobs).map(|(i, k)| k.values[*i].clone()).collect();
            Cell { index, coords, values }
        })
        .collect()
}

/// The scenario of `cell`: the document with the knobs' values written in, parsed and
/// validated; or why it is invalid, naming the cell.
fn cell_scenario(doc: &Value, sweep: &Sweep, cell: &Cell) -> Result<Scenario, String> {
    let mut edited = doc.clone();
    let mut named = Vec::new();
    for (knob, value) in sweep.knobs.iter().zip(&cell.values) {
        named.push(format!("{} = {value}", knob.path));
        match edited.pointer_mut(&knob.path) {
            Some(slot) => *slot = value.clone(),
            None => return Err(format!("cell {}: {} does not exist", cell.index, knob.path)),
        }
    }
    Scenario::from_json(&edited.to_string()).map_err(|e| format!("cell {} ({}): {e}", cell.index, named.join(", ")))
}

/// One run of a cell's scenario (or the reason the cell is invalid).
fn outcome(
    scenario: Result<&Scenario, &String>,
    expectations: &[Expectation],
    first_seed: u64,
    cell: usize,
    seed_index: usize,
) -> CellOutcome {
    let run = scenario
        .map_err(Clone::clone)
        .and_then(|s| run_seed(s, expectations, seed_at(first_seed, seed_index)).map_err(|e| e.to_string()));
    match run {
        Ok(run) => CellOutcome { cell, seed_index, run: Some(run), invalid: None },
        Err(why) => CellOutcome { cell, seed_index, run: None, invalid: Some(why) },
    }
}

/// The cells of the document's sweep, in index order (the batch checked as by
/// [`Plan::new`]).
///
/// # Errors
/// As [`Plan::new`].
pub fn cells(doc: &Value) -> Result<Vec<Cell>, ScenarioError> {
    Plan::new(doc).map(|plan| plan.cells)
}

/// Runs cell `cell` of the document's sweep on seed index `seed_index`, parsing only that
/// cell: the work unit of a browser worker. It does not check the batch limits: check them
/// once with [`Plan::new`] (or [`cells`]) before handing out runs.
///
/// # Errors
/// An invalid base document or sweep, or indices out of range.
pub fn run_cell(doc: &Value, cell: usize, seed_index: usize) -> Result<CellOutcome, ScenarioError> {
    let (_, expectations, sweep) = read_parts(doc)?;
    let count: usize = sweep.knobs.iter().map(|k| k.values.len()).product();
    if cell >= count || seed_index >= sweep.seeds {
        return Err(ScenarioError::new(
            KEY,
            format!("no run of cell {cell} on seed {seed_index}: the sweep has {count} cells × {} seeds", sweep.seeds),
        ));
    }
    let the_cell = cells_of(&sweep).swap_remove(cell);
    let scenario = cell_scenario(doc, &sweep, &the_cell);
    Ok(outcome(scenario.as_ref(), &expectations, sweep.first_seed, cell, seed_index))
}
