//! The document's optional `sweep` section: one or two knobs, seeds per cell, and what to chart.
//!
//! ```json
//! "sweep": {
//!   "knobs": [
//!     { "path": "/endpoints/0/stack/0/retry/max_attempts", "from": 1, "to": 6, "steps": 6 },
//!     { "path": "/endpoints/0/load/spike/to", "values": ["21s", "25s", "30s"] }
//!   ],
//!   "seeds": 4,
//!   "first_seed": 1,
//!   "chart": "expect[0]"
//! }
//! ```
//!
//! Like `expect`, the section travels with the document (links, embeds, files) and is not part
//! of the run model: [`crate::Scenario`] reads the document without it. A knob is a JSON
//! pointer (RFC 6901) to any number or duration of the document; `steps` values run evenly from
//! `from` to `to`, both included (whole numbers are rounded, durations kept to the
//! microsecond), or `values` lists them. `seeds` (default 1) runs per cell, on the seeds
//! `first_seed + i` (default: the document's `seed`). `chart` is a figure (`success_rate`,
//! `goodput_rps`, `p99_ms`, `amplification`, `recovery_ms[K]` for fault K) whose median over
//! the cell's seeds is charted, or an assertion (`expect[N]`) whose share of passing seeds is;
//! the default is `expect[0]` when the document has assertions, else `success_rate`.

use serde::Deserialize;
use serde_json::Value;

use super::figures::{FIGURE_NAMES, recovery_index};
use super::knob::Knob;
use super::limits::{SEEDS_MAX, check_seeds};
use crate::ScenarioError;

/// The document key of the section.
pub const KEY: &str = "sweep";

/// Most knobs of a sweep.
pub const KNOBS_MAX: usize = 2;

/// What a sweep charts per cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chart {
    /// A figure by name (see [`super::Figures::get`]): its median over the cell's seeds.
    Figure(String),
    /// Assertion `N` of the `expect` list: the share of the cell's seeds on which it holds.
    Assertion(usize),
}

impl Chart {
    /// The chart's name as the document writes it.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Figure(name) => name.clone(),
            Self::Assertion(n) => format!("{}[{n}]", crate::expect::KEY),
        }
    }

    /// Reads `text` for a scenario with `faults` faults and `assertions` assertions.
    ///
    /// # Errors
    /// An unknown name, or an index past the faults or assertions, at `path`.
    pub fn read(text: &str, faults: usize, assertions: usize, path: &str) -> Result<Self, ScenarioError> {
        if FIGURE_NAMES.contains(&text) {
            return Ok(Self::Figure(text.to_owned()));
        }
        if let Some(k) = recovery_index(text) {
            return if k < faults {
                Ok(Self::Figure(text.to_owned()))
            } else {
                Err(ScenarioError::new(path, format!("{text}: the scenario has {faults} fault(s)")))
            };
        }
        let index =
            text.strip_prefix("expect[").and_then(|t| t.strip_suffix(']')).and_then(|n| n.parse::<usize>().ok());
        match index {
            Some(n) if n < assertions => Ok(Self::Assertion(n)),
            Some(_) => Err(ScenarioError::new(path, format!("{text}: the document has {assertions} assertion(s)"))),
            None => Err(ScenarioError::new(
                path,
                format!("unknown chart {text:?}; one of {}, recovery_ms[K] or expect[N]", FIGURE_NAMES.join(", ")),
            )),
        }
    }
}

/// A sweep section, read and checked against its document.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// One or two knobs; the first varies slowest (it is the rows of a heatmap).
    pub knobs: Vec<Knob>,
    /// Runs per cell.
    pub seeds: usize,
    /// The first seed of each cell (default: the document's `seed`).
    pub first_seed: u64,
    /// What to chart.
    pub chart: Chart,
}

/// The section as the document writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepDoc {
    knobs: Vec<Value>,
    #[serde(default = "one")]
    seeds: u64,
    #[serde(default)]
    first_seed: Option<u64>,
    #[serde(default)]
    chart: Option<String>,
}

const fn one() -> u64 {
    1
}

/// The document's sweep (`None` when it has no `sweep`), for a scenario with `faults` faults
/// and `assertions` assertions.
///
/// # Errors
/// The first wrong entry, by its path (`sweep.knobs[1].path: /endpoints/0/stack/9 does not
/// exist`).
pub fn read(doc: &Value, faults: usize, assertions: usize) -> Result<Option<Sweep>, ScenarioError> {
    let Some(section) = doc.get(KEY) else { return Ok(None) };
    if !section.is_object() {
        return Err(ScenarioError::new(
            KEY,
            "expected an object: { \"knobs\": [...], \"seeds\": N, \"chart\": \"...\" }",
        ));
    }
    let sweep: SweepDoc =
        serde_json::from_value(section.clone()).map_err(|e| ScenarioError::new(KEY, e.to_string()))?;
    if sweep.knobs.is_empty() || sweep.knobs.len() > KNOBS_MAX {
        return Err(ScenarioError::new(
            format!("{KEY}.knobs"),
            format!("must list one or two knobs, got {}", sweep.knobs.len()),
        ));
    }
    let knobs = sweep
        .knobs
        .iter()
        .enumerate()
        .map(|(i, item)| Knob::read(item, doc, &format!("{KEY}.knobs[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    if let [a, b] = knobs.as_slice() {
        if a.path == b.path {
            return Err(ScenarioError::new(
                format!("{KEY}.knobs[1].path"),
                format!("{} is knobs[0]'s field too", b.path),
            ));
        }
    }
    let seeds = usize::try_from(sweep.seeds).unwrap_or(SEEDS_MAX + 1);
    check_seeds(seeds, &format!("{KEY}.seeds"))?;
    let default_chart = if assertions > 0 { "expect[0]" } else { "success_rate" };
    let chart =
        Chart::read(sweep.chart.as_deref().unwrap_or(default_chart), faults, assertions, &format!("{KEY}.chart"))?;
    let first_seed = sweep.first_seed.unwrap_or_else(|| doc.get("seed").and_then(Value::as_u64).unwrap_or(0));
    Ok(Some(Sweep { knobs, seeds, first_seed, chart }))
}
