//! The tipping-point finder: bisects one knob between two values to find where an assertion
//! flips from holding to failing.
//!
//! A probe runs the document with the knob set to a value on `seeds` seeds (`first_seed + i`).
//! The assertion **holds at a value** when it holds on at least half of the probe's seeds
//! (share ≥ 0.5), and fails there otherwise. The search probes `from` (which must hold) and
//! `to` (which must fail), then halves the bracket `[last holding, first failing]` until it is
//! one unit wide for a whole-number field, or 1/1024 of `|to − from|` for a number or a
//! duration (at least a microsecond; a duration past a second moves in whole milliseconds, so
//! its bracket may end up to a millisecond wider), and at most [`PROBES_MAX`] probes in all. It finds *a*
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
    /// How far from `from` the claim held on every seed of every probe: the last such value
    /// before a probe where some seed failed it (absent when one did at `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holds_on_every_seed_to: Option<Value>,
    /// From where toward `to` it failed on every seed of every probe: the first such value
    /// after a probe where some seed held (absent when one did at `to`). Between the two, the
    /// seeds disagree: where the claim tips depends on the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails_on_every_seed_from: Option<Value>,
    /// What the search found, in words.
    pub note: String,
}

/// The probes' (value, share) in order from `from` toward `to`: the farthest value up to
/// which every seed of every probe held the claim (share 1), and the nearest from which every
/// seed failed it (share 0).
fn unanimous((from, to): (f64, f64), mut shares: Vec<(f64, f64)>) -> (Option<f64>, Option<f64>) {
    let toward = if to >= from { 1.0 } else { -1.0 };
    shares.sort_by(|a, b| ((a.0 - from) * toward).total_cmp(&((b.0 - from) * toward)));
    let holds = shares.iter().take_while(|(_, share)| *share >= 1.0).last().map(|(x, _)| *x);
    let fails = shares.iter().rev().take_while(|(_, share)| *share <= 0.0).last().map(|(x, _)| *x);
    (holds, fails)
}

/// Runs `count` jobs (`work(i)` for `i` in `0..count`) and returns their results in index
/// order: sequentially, or on a thread pool ([`super::parallel::map`]).
pub type Map<'a> = &'a dyn Fn(usize, &(dyn Fn(usize) -> SeedOutcome + Sync)) -> Vec<SeedOutcome>;

/// Searches where `request.assertion` of `doc` flips along `request.knob`, running each probe's
/// seeds with `map`.
///
/// # Errors
/// A wrong knob, value, assertion index or seed count, an invalid document at either end, or
/// a search past the batch limits (checked before any run, for [`PROBES_MAX`] probes).
pub fn tip(doc: &Value, request: &TipRequest, map: Map<'_>) -> Result<Tip, ScenarioError> {
    let mut search = TipSearch::new(doc, request)?;
    while let Some(probe) = search.next_probe()? {
        let expectations = &search.expectations;
        let first_seed = request.first_seed;
        let outcomes = map(request.seeds, &|i| run_one(&probe.scenario, expectations, seed_at(first_seed, i)));
        search.record(&outcomes);
    }
    Ok(search.result())
}

/// The next probe of a search: the knob's value and the document with it, parsed.
#[derive(Debug)]
pub struct NextProbe {
    /// The document with the knob at this probe's value.
    pub doc: Value,
    /// That document, parsed and validated.
    pub scenario: Scenario,
}

/// Where a search stands.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    /// Probing `from`, which should hold.
    From,
    /// Probing `to`, which should fail.
    To,
    /// Halving the bracket `[good, bad]`.
    Bisect { good: f64, bad: f64 },
    /// Found what it could, in these words; the bracket's ends, when known.
    Over { good: Option<f64>, bad: Option<f64>, note: &'static str },
}

/// A search in steps, for a caller that runs each probe's seeds itself (a pool of workers):
/// [`next_probe`](Self::next_probe) says what to run, [`record`](Self::record) takes the
/// outcomes of its seeds `first_seed + i` in index order, and [`result`](Self::result) is the
/// search so far. [`tip`] is this loop with a `map`.
///
/// ```text
///   From ──holds──► To ──fails──► Bisect ──(bracket at its resolution, or PROBES_MAX)──► Over
///     │ fails         │ holds       ▲   │
///     ▼               ▼             └───┘ each probe moves one end of the bracket
///   Over            Over
/// ```
#[derive(Debug)]
pub struct TipSearch {
    doc: Value,
    request: TipRequest,
    target: Target,
    expectations: Vec<Expectation>,
    from: f64,
    to: f64,
    resolution: f64,
    stage: Stage,
    /// The value being probed (set by `next_probe`, read by `record`).
    probing: Option<f64>,
    probes: Vec<Probe>,
    claim: String,
}

impl TipSearch {
    /// A search of `doc` along `request`, checked before any run.
    ///
    /// # Errors
    /// As [`tip`].
    pub fn new(doc: &Value, request: &TipRequest) -> Result<Self, ScenarioError> {
        let target = knob::target(doc, &request.knob, "knob")?;
        let expectations = expect::read(doc)?;
        if request.assertion >= expectations.len() {
            return Err(ScenarioError::new(
                "assert",
                format!("no assertion {}: the document has {}", request.assertion, expectations.len()),
            ));
        }
        check_seeds(request.seeds, "seeds")?;
        let from = knob::number(&request.from, target, "from")?;
        let to = knob::number(&request.to, target, "to")?;
        let resolution = match target {
            Target::Integer => 1.0,
            Target::Duration => ((to - from).abs() / 1024.0).max(1.0),
            Target::Number => (to - from).abs() / 1024.0,
        };
        let search = Self {
            doc: doc.clone(),
            request: request.clone(),
            target,
            expectations,
            from,
            to,
            resolution,
            stage: Stage::From,
            probing: None,
            probes: Vec::new(),
            claim: String::new(),
        };
        let (low_end, high_end) = (search.with_knob(from)?.1, search.with_knob(to)?.1);
        let work = Work::of(&low_end, request.seeds).plus(Work::of(&high_end, request.seeds));
        // The larger end bounds every probe; the two ends together, times half the probes, bound it.
        let half = PROBES_MAX / 2;
        Work { runs: work.runs * half, requests: work.requests * half as f64, attempts: work.attempts * half as f64 }
            .check(("this search", "seeds"), "tip")?;
        Ok(search)
    }

    /// The most probes this search may make (the two ends, and enough halvings to reach its
    /// resolution, at most [`PROBES_MAX`]): an upper bound for a progress bar.
    #[must_use]
    pub fn probes_at_most(&self) -> usize {
        let halvings = ((self.to - self.from).abs() / self.resolution.max(f64::MIN_POSITIVE)).log2().ceil();
        let halvings = if halvings.is_finite() { halvings.max(0.0) as usize } else { PROBES_MAX };
        (2 + halvings).min(PROBES_MAX)
    }

    /// The probe to run next, or `None` once the search is over. Asking again before
    /// [`record`](Self::record) asks for the same probe.
    ///
    /// # Errors
    /// The knob's value at this probe makes the document invalid.
    pub fn next_probe(&mut self) -> Result<Option<NextProbe>, ScenarioError> {
        let x = match self.stage {
            Stage::From => self.from,
            Stage::To => self.to,
            Stage::Bisect { good, bad } => {
                let mid = knob::snap(self.target, (good + bad) / 2.0);
                let narrow =
                    (bad - good).abs() <= self.resolution + knob::snap_slack(self.target, good.abs().max(bad.abs()));
                if self.probes.len() >= PROBES_MAX || narrow || mid == good || mid == bad {
                    self.stage = Stage::Over {
                        good: Some(good),
                        bad: Some(bad),
                        note: "the assertion flips inside the bracket",
                    };
                    return Ok(None);
                }
                mid
            }
            Stage::Over { .. } => return Ok(None),
        };
        self.probing = Some(x);
        let (doc, scenario) = self.with_knob(x)?;
        Ok(Some(NextProbe { doc, scenario }))
    }

    /// Takes the outcomes of the probe asked for last, its seeds in index order, and moves on.
    pub fn record(&mut self, outcomes: &[SeedOutcome]) {
        let Some(x) = self.probing.take() else { return };
        let assertion = self.request.assertion;
        if let Some(v) = outcomes.iter().find_map(|o| o.verdicts.get(assertion)) {
            v.claim.clone_into(&mut self.claim);
        }
        let holds = outcomes.iter().filter(|o| o.holds(assertion)).count();
        let seeds = outcomes.len();
        let share = if seeds == 0 { 0.0 } else { holds as f64 / seeds as f64 };
        let probe = Probe { value: knob::write(self.target, x), holds, seeds, share };
        let holding = probe.holding();
        self.probes.push(probe);
        self.stage = match self.stage {
            Stage::From if holding => Stage::To,
            Stage::From => Stage::Over { good: None, bad: None, note: "the assertion already fails at from" },
            Stage::To if holding => {
                Stage::Over { good: Some(self.from), bad: None, note: "the assertion still holds at to" }
            }
            Stage::To => Stage::Bisect { good: self.from, bad: self.to },
            Stage::Bisect { bad, .. } if holding => Stage::Bisect { good: x, bad },
            Stage::Bisect { good, .. } => Stage::Bisect { good, bad: x },
            over @ Stage::Over { .. } => over,
        };
    }

    /// Whether the search is over.
    #[must_use]
    pub fn over(&self) -> bool {
        matches!(self.stage, Stage::Over { .. })
    }

    /// The search so far: every probe recorded; the bracket and what it found once over.
    #[must_use]
    pub fn result(&self) -> Tip {
        let (good, bad, note) = match self.stage {
            Stage::Over { good, bad, note } => (good, bad, note),
            Stage::Bisect { good, bad } => (Some(good), Some(bad), "searching"),
            Stage::From | Stage::To => (None, None, "searching"),
        };
        let runs = self.probes.iter().map(|p| p.seeds).sum();
        let value = |x: Option<f64>| x.map(|x| knob::write(self.target, x));
        let (every_holds, every_fails) = self.unanimous();
        Tip {
            claim: self.claim.clone(),
            last_holding: value(good),
            first_failing: value(bad),
            probes: self.probes.clone(),
            runs,
            note: note.to_owned(),
            holds_on_every_seed_to: value(every_holds),
            fails_on_every_seed_from: value(every_fails),
        }
    }

    /// See [`unanimous`].
    fn unanimous(&self) -> (Option<f64>, Option<f64>) {
        let shares = self.probes.iter().filter_map(|p| Some((knob::number(&p.value, self.target, "").ok()?, p.share)));
        unanimous((self.from, self.to), shares.collect())
    }

    /// The document with the knob at `x`, and it parsed and validated.
    fn with_knob(&self, x: f64) -> Result<(Value, Scenario), ScenarioError> {
        let mut edited = self.doc.clone();
        let value = knob::write(self.target, x);
        if let Some(slot) = edited.pointer_mut(&self.request.knob) {
            *slot = value.clone();
        }
        let scenario = Scenario::from_json(&edited.to_string()).map_err(|e| {
            ScenarioError::new("knob", format!("{} = {value} makes the document invalid: {e}", self.request.knob))
        })?;
        Ok((edited, scenario))
    }
}

#[cfg(test)]
mod tests {
    use super::unanimous;

    #[test]
    fn the_seeds_agree_up_to_the_last_unanimous_probe_on_each_side() {
        // Probes in the order a search runs them (ends first), from 10 toward 50.
        let shares = vec![(10.0, 1.0), (50.0, 0.0), (30.0, 0.5), (20.0, 1.0), (25.0, 0.75), (40.0, 0.0)];
        assert_eq!(unanimous((10.0, 50.0), shares.clone()), (Some(20.0), Some(40.0)));
        // Searched the other way round (from 50, which holds, toward 10).
        let mirrored: Vec<(f64, f64)> = shares.iter().map(|(x, share)| (60.0 - x, *share)).collect();
        assert_eq!(unanimous((50.0, 10.0), mirrored), (Some(40.0), Some(20.0)));
        // A seed that fails at `from` already, or holds at `to` still: no unanimous side.
        assert_eq!(unanimous((10.0, 50.0), vec![(10.0, 0.9), (50.0, 0.1)]), (None, None));
    }
}
