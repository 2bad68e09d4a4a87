//! A batch of runs: split into jobs for the pool, merged back by run index.
//!
//! ```text
//!   new ──► Running ──(every run merged)──► Done
//!             │ cancel                       
//!             ├────────► Cancelled (the runs merged so far are kept and shown)
//!             │ a job fails
//!             └────────► Failed (why, in words)
//! ```
//!
//! Jobs hand out run indices in order, a chunk at a time; replies may come back in any order
//! and from any worker. Results are stored by run index and summed up in index order, so the
//! numbers do not depend on the number of workers or on which finished first. A tipping-point
//! search is a batch per probe: its seeds go out as jobs, and once every one is back the search
//! takes them in seed order and names the next probe (or ends).

use resilience_engine::odds::{CellOutcome, Plan, SeedOutcome, Tip, TipRequest, TipSearch};
use serde_json::{Value, json};

/// Most runs in one job: small enough that progress moves and cancel loses little, large
/// enough that messages cost little next to the runs.
const JOB_RUNS_MAX: usize = 16;

/// What a batch runs.
pub enum Work {
    /// One run of `doc` per slot of `outcomes`, run `i` on seed `first_seed + i`; the document
    /// makes `assertions` claims and has a fault per label of `faults`.
    Seeds { doc: Value, first_seed: u64, assertions: usize, faults: Vec<String>, outcomes: Vec<Option<SeedOutcome>> },
    /// Every run of `plan`, the sweep in `doc` (which holds its `sweep` section), one slot each.
    Sweep { doc: Value, plan: Box<Plan>, outcomes: Vec<Option<CellOutcome>> },
    /// A search for a tipping point along `request`: the document of the probe under way (none
    /// once the search is over), a slot per seed of it, and the search so far as `tip`.
    Tip {
        search: Box<TipSearch>,
        request: TipRequest,
        probe: Option<Value>,
        outcomes: Vec<Option<SeedOutcome>>,
        tip: Box<Tip>,
    },
}

impl Work {
    /// The dialog's tab this work belongs to.
    pub const fn tab(&self) -> &'static str {
        match self {
            Self::Seeds { .. } => "seeds",
            Self::Sweep { .. } => "sweep",
            Self::Tip { .. } => "tip",
        }
    }

    /// What it is, in words ("sweep").
    pub const fn noun(&self) -> &'static str {
        match self {
            Self::Seeds { .. } => "batch of seeds",
            Self::Sweep { .. } => "sweep",
            Self::Tip { .. } => "tipping-point search",
        }
    }

    /// The runs there are to hand out: every run of the batch, or the seeds of the probe under
    /// way (none once a search is over).
    fn open_runs(&self) -> usize {
        match self {
            Self::Seeds { outcomes, .. } => outcomes.len(),
            Self::Sweep { outcomes, .. } => outcomes.len(),
            Self::Tip { probe, outcomes, .. } => probe.as_ref().map_or(0, |_| outcomes.len()),
        }
    }
}

/// Where a batch stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Jobs are out or waiting.
    Running,
    /// Every run is merged.
    Done,
    /// Stopped by the reader.
    Cancelled,
    /// A job failed, for this reason.
    Failed(String),
}

/// A batch and its progress.
pub struct Batch {
    /// What runs, and the results merged so far.
    pub work: Work,
    /// Where it stands.
    pub phase: Phase,
    /// The next run index to hand out (of the probe under way, for a search).
    next: usize,
    /// Runs in all (at most, for a search: it may end early).
    pub runs: usize,
    /// Runs merged.
    pub done: usize,
    /// Runs per job.
    chunk: usize,
    /// When the batch started, in milliseconds of the worker's clock.
    pub started_ms: f64,
    /// When it ended (done, cancelled or failed).
    pub ended_ms: Option<f64>,
}

impl Batch {
    /// A batch of `work` for `workers` workers, started at `now_ms`.
    pub fn new(work: Work, workers: usize, now_ms: f64) -> Self {
        let open = work.open_runs();
        let (runs, jobs_per_worker) = match &work {
            // A probe's seeds are all a search can run at once: about 2 jobs per worker.
            Work::Tip { search, outcomes, .. } => (search.probes_at_most() * outcomes.len(), 2),
            // About 8 jobs per worker, so that a slow one does not hold up the end.
            _ => (open, 8),
        };
        let chunk = (open / (workers.max(1) * jobs_per_worker)).clamp(1, JOB_RUNS_MAX);
        Self { work, phase: Phase::Running, next: 0, runs, done: 0, chunk, started_ms: now_ms, ended_ms: None }
    }

    /// The next job as a worker request (JSON text), if any is left to hand out.
    pub fn next_job(&mut self) -> Option<String> {
        let end = self.work.open_runs();
        if self.phase != Phase::Running || self.next >= end {
            return None;
        }
        let (from, to) = (self.next, (self.next + self.chunk).min(end));
        self.next = to;
        let seeds = |doc: &Value, first_seed: u64| json!({ "op": "odds_runs", "kind": "seeds", "doc": doc, "first_seed": first_seed, "from": from, "to": to });
        let request = match &self.work {
            Work::Seeds { doc, first_seed, .. } => seeds(doc, *first_seed),
            Work::Sweep { doc, .. } => {
                json!({ "op": "odds_runs", "kind": "sweep", "doc": doc, "from": from, "to": to })
            }
            Work::Tip { probe, request, .. } => seeds(probe.as_ref()?, request.first_seed),
        };
        Some(request.to_string())
    }

    /// Merges a job's reply (JSON text); a reply with an error fails the batch.
    pub fn merge(&mut self, reply: &str, now_ms: f64) {
        if self.phase != Phase::Running {
            return;
        }
        let reply: Value = serde_json::from_str(reply).unwrap_or(Value::Null);
        if let Err(why) = self.merge_value(&reply) {
            self.end(Phase::Failed(why), now_ms);
        } else if self.finished() {
            self.end(Phase::Done, now_ms);
        }
    }

    /// Whether every run is merged (for a search: whether it is over).
    fn finished(&self) -> bool {
        match &self.work {
            Work::Tip { search, .. } => search.over(),
            _ => self.done >= self.runs,
        }
    }

    fn merge_value(&mut self, reply: &Value) -> Result<(), String> {
        if let Some(error) = reply.get("error") {
            return Err(error.as_str().unwrap_or("a worker failed").to_owned());
        }
        let from = reply.get("from").and_then(Value::as_u64).and_then(|f| usize::try_from(f).ok());
        let list = reply.get("outcomes").and_then(Value::as_array);
        let bad = || "a worker sent a reply that is not a batch's results".to_owned();
        match &mut self.work {
            Work::Tip { search, probe, outcomes, tip, .. } => {
                self.done += place(outcomes, from.ok_or_else(bad)?, list.ok_or_else(bad)?, serde_json::from_value)?;
                if outcomes.iter().all(Option::is_some) {
                    let seeds: Vec<SeedOutcome> = outcomes.iter_mut().filter_map(Option::take).collect();
                    search.record(&seeds);
                    // Asking for the next probe may end the search: the result after it says so.
                    *probe = search.next_probe().map_err(|e| e.to_string())?.map(|next| next.doc);
                    **tip = search.result();
                    self.next = 0;
                }
            }
            Work::Seeds { outcomes, .. } => {
                self.done += place(outcomes, from.ok_or_else(bad)?, list.ok_or_else(bad)?, serde_json::from_value)?;
            }
            Work::Sweep { outcomes, .. } => {
                self.done += place(outcomes, from.ok_or_else(bad)?, list.ok_or_else(bad)?, serde_json::from_value)?;
            }
        }
        Ok(())
    }

    /// Stops handing out jobs; the results merged so far stay.
    pub fn cancel(&mut self, now_ms: f64) {
        if self.phase == Phase::Running {
            self.end(Phase::Cancelled, now_ms);
        }
    }

    fn end(&mut self, phase: Phase, now_ms: f64) {
        self.phase = phase;
        self.ended_ms = Some(now_ms);
    }

    /// Milliseconds left at the pace so far (`None` before the first result, or once ended).
    pub fn remaining_ms(&self, now_ms: f64) -> Option<f64> {
        if self.phase != Phase::Running || self.done == 0 {
            return None;
        }
        let per_run = (now_ms - self.started_ms) / self.done as f64;
        Some(per_run * (self.runs - self.done) as f64)
    }
}

/// Puts `list` into `slots` from index `from`; returns how many were new.
fn place<T>(
    slots: &mut [Option<T>],
    from: usize,
    list: &[Value],
    read: impl Fn(Value) -> serde_json::Result<T>,
) -> Result<usize, String> {
    let mut new = 0;
    for (offset, item) in list.iter().enumerate() {
        let slot = slots.get_mut(from + offset).ok_or("a worker sent a run past the end of the batch")?;
        if slot.is_none() {
            new += 1;
        }
        *slot = Some(read(item.clone()).map_err(|e| format!("a worker sent an unreadable run: {e}"))?);
    }
    Ok(new)
}
