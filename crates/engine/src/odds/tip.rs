//! The tipping-point finder: bisects one knob between two values to find where an assertion
//! flips from holding to failing.
//!
//! A probe runs the document with the knob set to a value on `seeds` seeds (`first_seed + i`).
//! The assertion **holds at a value** when it holds on at least half of the probe's seeds
//! (share ≥ 0.5), and fails there otherwise. The search probes `from` (which must hold) and
//! `to` (which must fail), then halves the bracket `[last holding, first failing]` until it is
//! one unit wide for a whole-number field, or 1/1024 of `|to − from|` for a number or a
//! duration (at least a microsecond), and at most [`PROBES_MAX`] probes in all. It finds *a*
//! flip: where the assertion flips back and forth, another bracket may hold one too.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::knob::{self, Target};
use super::limits::{Work, check_seeds};
use super::seeds::{SeedOutcome, run_one, seed_at};
use crate::expect::{self, Expectation};
use crate::{Scenario, ScenarioError};

/// Most probes of one search (the two ends included).
pub const PROBES_MAX: usize = 22;

/// What to search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TipRequest {
    /// JSON pointer to the knob's field.
    pub knob: String,
    /// The value at which the assertion should hold (a number, or a duration string).
    pub from: Value,
    /// The value at which it should fail.
    pub to: Value,
    /// Index of the assertion in the `expect` list.
    pub assertion: usize,
    /// Seeds per probe.
    pub seeds: usize,
    /// The first seed of each probe.
    pub first_seed: u64,
}

/// One probe: a value and how often the assertion held there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// The knob's value, as written into the document.
    pub value: Value,
    /// Seeds on which the assertion held.
    pub holds: usize,
    /// Seeds run.
    pub seeds: usize,
    /// `holds / seeds`.
    pub share: f64,
}

impl Probe {
    /// True if the assertion holds at this value (on at least half of the seeds).
    #[must_use]
    pub fn holding(&self) -> bool {
        self.share >= 0.5
    }
}

/// The result of a search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tip {
    /// The assertion's claim in words.
    pub claim: String,
    /// Every probe, in the order run.
    pub probes: Vec<Probe>,
    /// The holding end of the final bracket (absent if `from` already fails).
    pub last_holding: Option<Value>,
    /// The failing end of the final bracket (absent if `to` still holds).
    pub first_failing: Option<Value>,
    /// Runs made (probes × seeds).
    pub runs: usize,
    /// What the search found, in words.
    pub note: String,
}

/// Runs `count` jobs (`work(i)` for `i` in `0..count`) and returns their results in index
/// order: sequentially, or on a thread pool ([`super::parallel::map`]).
pub type Map<'a> = &'a dyn Fn(usize, &(dyn Fn(usize) -> SeedOutcome + Sync)) -> Vec<SeedOutcome>;

/// The search state: the document, the knob and the assertion.
struct Search<'a> {
    doc: &'a Value,
    request: &'a TipRequest,
    target: Target,
    expectations: Vec<Expectation>,
    claim: core::cell::RefCell<String>,
}

/// Searches where `request.assertion` of `doc` flips along `request.knob`, running each probe's
/// seeds with `map`.
///
/// # Errors
/// A wrong knob, value, assertion index or seed count, an invalid document at either end, or
/// a search past the batch limits (checked before any run, for [`PROBES_MAX`] probes).
pub fn tip(doc: &Value, request: &TipRequest, map: Map<'_>) -> Result<Tip, ScenarioError> {
    let search = Search::new(doc, request)?;
    let from = knob::number(&request.from, search.target, "from")?;
    let to = knob::number(&request.to, search.target, "to")?;
    let (low_end, high_end) = (search.scenario(from)?, search.scenario(to)?);
    let work = Work::of(&low_end, request.seeds).plus(Work::of(&high_end, request.seeds));
    // The larger end bounds every probe; the two ends together, times half the probes, bound it.
    let half = PROBES_MAX / 2;
    Work { runs: work.runs * half, requests: work.requests * half as f64, attempts: work.attempts * half as f64 }
        .check("this search", "tip")?;
    let resolution = match search.target {
        Target::Integer => 1.0,
        Target::Duration => ((to - from).abs() / 1024.0).max(1.0),
        Target::Number => (to - from).abs() / 1024.0,
    };
    let mut probes = Vec::new();
    let (mut good, mut bad) = (from, to);
    let first = search.probe(from, map)?;
    let holds_at_from = first.holding();
    probes.push(first);
    if !holds_at_from {
        return Ok(search.finish(probes, None, None, "the assertion already fails at from"));
    }
    let last = search.probe(to, map)?;
    let fails_at_to = !last.holding();
    probes.push(last);
    if !fails_at_to {
        return Ok(search.finish(probes, Some(from), None, "the assertion still holds at to"));
    }
    while probes.len() < PROBES_MAX && (bad - good).abs() > resolution {
        let mid = search.snap((good + bad) / 2.0);
        if mid == good || mid == bad {
            break;
        }
        let probe = search.probe(mid, map)?;
        if probe.holding() {
            good = mid
        } else {
            bad = mid
        }
        probes.push(probe);
    }
    Ok(search.finish(probes, Some(good), Some(bad), "the assertion flips inside the bracket"))
}

impl<'a> Search<'a> {
    fn new(doc: &'a Value, request: &'a TipRequest) -> Result<Self, ScenarioError> {
        let target = knob::target(doc, &request.knob, "knob")?;
        let expectations = expect::read(doc)?;
        if request.assertion >= expectations.len() {
            return Err(ScenarioError::new(
                "assert",
                format!("no assertion {}: the document has {}", request.assertion, expectations.len()),
            ));
        }
        check_seeds(request.seeds, "seeds")?;
        Ok(Self { doc, request, target, expectations, claim: core::cell::RefCell::default() })
    }

    /// `x` as the field can hold it (see [`knob::snap`]).
    fn snap(&self, x: f64) -> f64 {
        knob::snap(self.target, x)
    }

    /// The document with the knob at `x`, parsed and validated.
    fn scenario(&self, x: f64) -> Result<Scenario, ScenarioError> {
        let mut edited = self.doc.clone();
        let value = knob::write(self.target, x);
        if let Some(slot) = edited.pointer_mut(&self.request.knob) {
            *slot = value.clone();
        }
        Scenario::from_json(&edited.to_string()).map_err(|e| {
            ScenarioError::new("knob", format!("{} = {value} makes the document invalid: {e}", self.request.knob))
        })
    }

    /// Runs the probe at `x`.
    fn probe(&self, x: f64, map: Map<'_>) -> Result<Probe, ScenarioError> {
        let scenario = self.scenario(x)?;
        let (expectations, first_seed) = (&self.expectations, self.request.first_seed);
        let outcomes = map(self.request.seeds, &|i| run_one(&scenario, expectations, seed_at(first_seed, i)));
        if let Some(v) = outcomes.iter().find_map(|o| o.verdicts.get(self.request.assertion)) {
            v.claim.clone_into(&mut self.claim.borrow_mut());
        }
        let holds = outcomes.iter().filter(|o| o.holds(self.request.assertion)).count();
        let seeds = outcomes.len();
        let share = if seeds == 0 { 0.0 } else { holds as f64 / seeds as f64 };
        Ok(Probe { value: knob::write(self.target, x), holds, seeds, share })
    }

    fn finish(&self, probes: Vec<Probe>, good: Option<f64>, bad: Option<f64>, note: &str) -> Tip {
        let claim = self.claim.borrow().clone();
        let runs = probes.iter().map(|p| p.seeds).sum();
        let value = |x: Option<f64>| x.map(|x| knob::write(self.target, x));
        Tip { claim, last_holding: value(good), first_failing: value(bad), probes, runs, note: note.to_owned() }
    }
}
