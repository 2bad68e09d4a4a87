//! Odds in the playground: the dialog that runs the scenario across seeds, sweeps one or two
//! knobs, or searches a tipping point, on a pool of workers.
//!
//! The page's worker is the coordinator. It keeps the dialog's form and results, so closing the
//! dialog loses nothing; it draws the dialog as HTML ([`view`]), which the page shows as it is
//! and answers with the reader's clicks and the form's values (`{"op": "odds", "act": …}`). It
//! checks a batch against the limits before any run, splits it into jobs ([`batch`]) for a pool
//! of workers (other instances of this worker, one per core but the page's, which answer with [`jobs`]), and
//! merges their results by run index.
//!
//! Acts: `open` (draw), `form` (the reader picked in a list), `tab`, `run`, `cancel`, `csv` (the
//! sweep's cells as a `download`), and `seed`, `cell`, `open-cell` and `probe`, which reply with
//! the `edits` that open that run in the playground (the seed, the cell's knob values, the
//! probe's value) instead of a drawing. The last sweep started goes into the page's document
//! with those edits, or with the edits of `close` (the dialog closed), so that it travels in
//! links without an edit (and a redraw of the page) while its batch runs.

mod batch;
mod form;
#[cfg(test)]
mod form_tests;
pub mod jobs;
mod names;
#[cfg(test)]
mod tests;
mod tip_view;
mod view;

use batch::{Batch, Phase, Work};
use form::Fields;
use resilience_engine::odds::{self, Plan, TipSearch};
use resilience_engine::{Scenario, expect};
use serde_json::{Value, json};

/// Most requests a scenario may be expected to make for the dialog to run it on its own, to pick
/// a default claim or to name the claims in an embed: a few milliseconds of work.
pub const SMALL_RUN_REQUESTS_MAX: f64 = 50_000.0;

/// The dialog's state, between the page's messages.
#[derive(Default)]
pub struct Session {
    fields: Fields,
    /// The page's document, as last sent.
    doc: Value,
    /// The `sweep` section the form last took its fields from.
    sweep_seen: Option<Value>,
    /// The last batch of each tab (at most one runs: starting one stops another).
    batches: Vec<Batch>,
    /// What starting the last batch stopped, in words.
    stopped: Option<String>,
    /// Workers in the pool of the current batch.
    workers: usize,
    /// Why the last run was refused.
    refused: Option<String>,
    /// Each claim of the document in words (from the page's run), for the lists that name them.
    pub claim_words: Vec<String>,
    /// The last sweep started, to be written into the page's document.
    sweep_to_write: Option<Value>,
    /// What the page's results area shows, as last sent (see [`Shown`]).
    shown: Option<Shown>,
    /// The page is narrow (a phone): charts are laid out for it.
    narrow: bool,
    /// The page is an embed, whose sweep panel shows the document's sweep and its results
    /// (no form, no download; a cell opens its run in the embed).
    embedded: bool,
}

/// Results as drawn, by digest: the frame (the results with every heatmap row emptied) and each
/// row. A push whose frame is the one shown redraws only the rows that changed: a sweep's
/// results come in a few cells at a time, and the whole chart is hundreds of elements for the
/// page to parse, style and lay out again.
#[derive(Debug, PartialEq)]
struct Shown {
    frame: u64,
    rows: Vec<u64>,
}

impl Shown {
    /// The digests of results split by [`split_rows`].
    fn of((frame, rows): &(String, Vec<(String, String)>)) -> Self {
        Self { frame: digest(frame), rows: rows.iter().map(|(_, row)| digest(row)).collect() }
    }
}

/// Splits results HTML into its frame (each heatmap row's group left empty) and the rows, each
/// as (element id, contents).
fn split_rows(html: &str) -> (String, Vec<(String, String)>) {
    const GROUP: &str = "<g id=\"";
    let opening = format!("{GROUP}{}", odds::svg::ROW_ID);
    let (mut frame, mut rows, mut rest) = (String::with_capacity(html.len()), Vec::new(), html);
    while let Some(at) = rest.find(&opening) {
        let tag = &rest[at..];
        let (Some(open_end), Some(close)) = (tag.find("\">"), tag.find("</g>")) else { break };
        if close < open_end {
            break;
        }
        let id = &tag[GROUP.len()..open_end];
        frame.push_str(&rest[..at + open_end + 2]);
        rows.push((id.to_owned(), tag[open_end + 2..close].to_owned()));
        rest = &tag[close..];
    }
    frame.push_str(rest);
    (frame, rows)
}

/// What an act asks of the caller.
pub struct Effect {
    /// The reply to the page: the drawing (`{"form": …, "html": …}`, see [`Session::view`]) or
    /// `{"edits": [[pointer, value], …]}`.
    pub reply: Value,
    /// The jobs out are moot: stop the pool's workers.
    pub stop_jobs: bool,
}

impl Session {
    /// Answers one of the page's acts, at `now_ms`; `workers` is the pool's size.
    pub fn act(&mut self, request: &Value, workers: usize, now_ms: f64) -> Effect {
        if let Some(doc) = request.get("doc") {
            self.take_doc(doc);
        }
        if let Some(Value::Object(sent)) = request.get("form") {
            self.take_fields(sent);
        }
        if let Some(narrow) = request.get("narrow").and_then(Value::as_bool) {
            self.narrow = narrow;
        }
        if let Some(embedded) = request.get("embed").and_then(Value::as_bool) {
            self.embedded = embedded;
        }
        form::fill_defaults(&mut self.fields, &self.doc);
        // What the last start stopped is said once: the next act forgets it.
        self.stopped = None;
        let arg = request.get("arg").and_then(Value::as_str).unwrap_or_default();
        let mut stop_jobs = false;
        match request.get("act").and_then(Value::as_str).unwrap_or("open") {
            "tab" if ["seeds", "sweep", "tip"].contains(&arg) => {
                self.fields.insert("tab".into(), arg.to_owned());
                form::fill_defaults(&mut self.fields, &self.doc);
                // A refusal is about the tab it came from.
                self.refused = None;
            }
            "run" => {
                // Only a batch that starts stops the one running: a refused run leaves it going
                // (stopping its jobs would lose the runs they carry, and it would never end).
                let was_running = self.running();
                self.start(workers, now_ms);
                stop_jobs = was_running && self.refused.is_none();
                // A sweep that starts goes into the document (so it travels in links) when the
                // dialog closes or opens one of its runs.
                if let (Some(Batch { work: Work::Sweep { doc, .. }, .. }), None) = (self.shown(), &self.refused) {
                    self.sweep_to_write = Some(doc[odds::sweep::KEY].clone());
                }
            }
            "cancel" => {
                stop_jobs = self.running();
                if let Some(batch) = self.active_mut() {
                    batch.cancel(now_ms);
                }
            }
            "csv" => {
                if let Some(Batch { work: Work::Sweep { plan, outcomes, .. }, .. }) = self.shown() {
                    let done: Vec<odds::CellOutcome> = outcomes.iter().flatten().cloned().collect();
                    let text = plan.summarize(&done).to_csv();
                    return Effect { reply: json!({ "download": { "name": "sweep.csv", "text": text } }), stop_jobs };
                }
            }
            "seed" | "open-seed" | "cell" | "open-cell" | "probe" => {
                if let Some(Value::Array(mut edits)) = self.edits_to_open(request, arg) {
                    let said = self.opened(&edits);
                    edits.extend(self.sweep_to_write.take().map(|sweep| json!(["/sweep", sweep])));
                    return Effect { reply: json!({ "edits": edits, "said": said }), stop_jobs };
                }
            }
            "move" => {
                if let Some(Batch { work: Work::Sweep { plan, .. }, .. }) = self.shown() {
                    let sizes: Vec<usize> = plan.summarize(&[]).knobs.iter().map(|k| k.labels.len()).collect();
                    form::move_pick(&mut self.fields, arg, &sizes);
                }
            }
            "close" => {
                let edits: Vec<Value> = self.sweep_to_write.take().map(|s| json!(["/sweep", s])).into_iter().collect();
                return Effect { reply: json!({ "edits": edits, "closed": true }), stop_jobs };
            }
            _ => {}
        }
        // While this tab's batch runs, its results come with the pushes (at most every second):
        // here they are cleared, not drawn (the page's thread is busiest as the pool starts).
        let running = self.shown().is_some_and(|b| b.phase == Phase::Running);
        let mut reply = self.view_with(now_ms, !running);
        if running {
            reply["html"] = "".into();
        }
        self.shown = reply.get("html").and_then(Value::as_str).map(|html| Shown::of(&split_rows(html)));
        Effect { reply, stop_jobs }
    }

    /// The drawing pushed to the page as a batch runs: [`Session::view_with`], except that
    /// results whose frame the page already shows come as `parts`, `[[id, html], …]`, the
    /// heatmap rows that changed, instead of `html`.
    #[cfg(any(target_arch = "wasm32", test))]
    pub fn push_view(&mut self, now_ms: f64, with_results: bool) -> Value {
        let mut drawing = self.view_with(now_ms, with_results);
        let Some(split) = drawing.get("html").and_then(Value::as_str).map(split_rows) else { return drawing };
        let (shown, rows) = (Shown::of(&split), &split.1);
        if let Some(before) = self.shown.as_ref().filter(|b| b.frame == shown.frame && b.rows.len() == shown.rows.len())
        {
            let changed = rows.iter().zip(shown.rows.iter().zip(&before.rows)).filter(|(_, (now, then))| now != then);
            let parts: Vec<Value> = changed.map(|((id, row), _)| json!([id, row])).collect();
            if let Some(drawing) = drawing.as_object_mut() {
                drawing.remove("html");
            }
            drawing["parts"] = parts.into();
        }
        self.shown = Some(shown);
        drawing
    }

    /// The dialog, drawn: `{"form": …, "form_key": …, "status": …, "html": …}` (the results,
    /// only `with_results`: without them it is cheap for the page to show while a batch runs;
    /// see [`view::render`]).
    pub fn view_with(&self, now_ms: f64, with_results: bool) -> Value {
        let (form, status, results) = view::render(&view::Parts {
            fields: &self.fields,
            doc: &self.doc,
            batch: self.shown(),
            running: self.active(),
            stopped: self.stopped.as_deref(),
            workers: self.workers,
            refused: self.refused.as_deref(),
            claim_words: &self.claim_words,
            narrow: self.narrow,
            embedded: self.embedded,
            now_ms,
            with_results,
        });
        // The page leaves a form it shows alone when the key is the same: what a reader types
        // there is not overwritten by a drawing that changes nothing.
        let mut drawing = json!({ "form_key": format!("{:016x}", digest(&form)), "form": form, "status": status });
        // A tab without a batch of its own shows no results (not another tab's).
        if with_results {
            drawing["html"] = results.unwrap_or_default().into();
        }
        drawing
    }

    /// True while a batch has runs to hand out or out.
    pub fn running(&self) -> bool {
        self.active().is_some()
    }

    /// The batch that runs, if one does.
    fn active(&self) -> Option<&Batch> {
        self.batches.iter().find(|b| b.phase == Phase::Running)
    }

    /// The batch of the tab shown.
    fn shown(&self) -> Option<&Batch> {
        let tab = form::get(&self.fields, "tab");
        self.batches.iter().find(|b| b.work.tab() == tab)
    }

    /// The batch that runs, if one does.
    fn active_mut(&mut self) -> Option<&mut Batch> {
        self.batches.iter_mut().find(|b| b.phase == Phase::Running)
    }

    /// The next job for an idle worker, as request text.
    pub fn next_job(&mut self) -> Option<String> {
        self.active_mut()?.next_job()
    }

    /// Merges a job's reply (into the batch that runs: a stopped batch's jobs are moot).
    pub fn job_done(&mut self, reply: &str, now_ms: f64) {
        if let Some(batch) = self.active_mut() {
            batch.merge(reply, now_ms);
        }
    }

    #[cfg(target_arch = "wasm32")]
    /// A worker of the pool failed (it could not start, or it crashed): the batch stops.
    pub fn pool_failed(&mut self, why: &str, now_ms: f64) {
        if let Some(batch) = self.active_mut() {
            batch.merge(&json!({ "error": why }).to_string(), now_ms);
        }
    }

    fn take_doc(&mut self, doc: &Value) {
        self.doc = doc.clone();
        let sweep = doc.get(odds::sweep::KEY);
        if sweep.is_some() && sweep != self.sweep_seen.as_ref() {
            self.sweep_seen = sweep.cloned();
            self.fields.extend(form::from_sweep(sweep.unwrap_or(&Value::Null)));
            // A link's sweep that cannot run as written says why when the dialog opens, not
            // only once the reader presses Run (the form shows what it could keep of it).
            // (Only the section and its run count: building every cell waits for Run. A base
            // document that is invalid is the page's to report, not the sweep's.)
            self.refused = Plan::check_section(doc)
                .err()
                .map(|e| e.to_string())
                .filter(|e| e.starts_with(odds::sweep::KEY))
                .map(|e| format!("the scenario's sweep, as written: {e}. The form shows what it could keep."));
        }
    }

    /// Takes the page's fields (each cut to 200 characters); a knob picked anew gets its own
    /// range instead of the one shown for the knob before.
    fn take_fields(&mut self, sent: &serde_json::Map<String, Value>) {
        let mut stale = Vec::new();
        for (knob, prefix) in [("k0", "k0_"), ("k1", "k1_"), ("t_knob", "t_")] {
            let picked = sent.get(knob).and_then(Value::as_str);
            if picked.is_some_and(|p| p != form::get(&self.fields, knob)) {
                stale.extend(["from", "to", "steps"].map(|part| format!("{prefix}{part}")));
            }
        }
        for (name, value) in sent.iter().filter(|(name, _)| form::NAMES.contains(&name.as_str())) {
            if let Some(text) = value.as_str() {
                self.fields.insert(name.clone(), text.chars().take(200).collect());
            }
        }
        for name in stale {
            self.fields.remove(&name);
        }
    }

    /// Starts the batch the form describes, or says why not (before any run).
    fn start(&mut self, workers: usize, now_ms: f64) {
        self.workers = workers.max(1);
        match self.work() {
            Ok(work) => {
                self.refused = None;
                let tab = work.tab();
                // A batch that runs stops, and says so: on another tab, its results stay there;
                // on this one, they make way for this batch's.
                self.stopped = self.active_mut().map(|batch| {
                    batch.cancel(now_ms);
                    let (noun, done, runs) = (batch.work.noun(), batch.done, batch.runs);
                    if batch.work.tab() == tab {
                        format!("Started again: the last {noun} stopped at {done} of {runs} runs, and this one's results replace its.")
                    } else {
                        format!("Stopped the {noun} at {done} of {runs} runs to start this; its results so far stay on its tab.")
                    }
                });
                self.batches.retain(|b| b.work.tab() != tab);
                self.batches.push(Batch::new(work, self.workers, now_ms));
            }
            Err(why) => self.refused = Some(why),
        }
    }

    fn work(&self) -> Result<Work, String> {
        let doc = &self.doc;
        match form::get(&self.fields, "tab") {
            "sweep" => {
                let mut swept = doc.clone();
                swept[odds::sweep::KEY] = form::sweep_section(&self.fields, doc)?;
                let name = |path: &str| view::knob_name(doc, path);
                let plan = Plan::new(&swept).map_err(|e| form::in_form_words(&e.to_string(), &self.fields, name))?;
                let outcomes = vec![None; plan.runs()];
                Ok(Work::Sweep { doc: swept, plan: Box::new(plan), outcomes })
            }
            "tip" => {
                let request = form::tip_request(&self.fields, doc)?;
                let mut search = TipSearch::new(doc, &request).map_err(|e| e.to_string())?;
                let probe = search.next_probe().map_err(|e| e.to_string())?.map(|first| first.doc);
                let (tip, outcomes) = (Box::new(search.result()), vec![None; request.seeds]);
                Ok(Work::Tip { search: Box::new(search), request, probe, outcomes, tip })
            }
            _ => {
                let seeds = form::count(&self.fields, "seeds", "Seeds", odds::SEEDS_MAX)?;
                let first_seed = form::seed(&self.fields, "first_seed", "First seed")?;
                let scenario = Scenario::from_json(&doc.to_string()).map_err(|e| e.to_string())?;
                odds::check_batch(&scenario, seeds).map_err(|e| e.to_string())?;
                let assertions = expect::read(doc).map_err(|e| e.to_string())?.len();
                let faults = odds::fault_labels(&scenario);
                Ok(Work::Seeds { doc: doc.clone(), first_seed, assertions, faults, outcomes: vec![None; seeds] })
            }
        }
    }

    /// What opening a run with `edits` does, in words ("Opened the run with inventory › fault 0:
    /// Outage › To = 29s on seed 7 (Ctrl+Z goes back).").
    fn opened(&self, edits: &[Value]) -> String {
        let mut values = Vec::new();
        let mut seed = String::new();
        for edit in edits {
            let (Some(path), Some(value)) = (edit[0].as_str(), edit.get(1)) else { continue };
            let value = view::plain(value);
            if path == "/seed" {
                seed = format!(" on seed {value}");
            } else {
                values.push(format!("{} = {value}", view::knob_name(&self.doc, path)));
            }
        }
        let with = if values.is_empty() { String::new() } else { format!(" with {}", values.join(", ")) };
        // An embed has no undo: its link back opens the run in the playground.
        let back = if self.embedded { "" } else { " (Ctrl+Z goes back)" };
        format!("Opened the run{with}{seed}{back}.")
    }

    /// The edits that open one run of the batch in the playground.
    fn edits_to_open(&self, request: &Value, arg: &str) -> Option<Value> {
        let batch = self.shown()?;
        match (&batch.work, request.get("act").and_then(Value::as_str)?) {
            (Work::Seeds { .. }, "seed") => Some(json!([["/seed", arg.parse::<u64>().ok()?]])),
            (Work::Seeds { .. }, "open-seed") => {
                Some(json!([["/seed", form::get(&self.fields, "open_seed").parse::<u64>().ok()?]]))
            }
            (Work::Sweep { plan, outcomes, .. }, "cell") => cell_edits(plan, outcomes, arg.parse().ok()?),
            (Work::Sweep { plan, outcomes, .. }, "open-cell") => {
                let columns = plan.sweep().knobs.get(1).map_or(1, |k| k.values.len());
                cell_edits(plan, outcomes, form::picked_cell(&self.fields, columns))
            }
            (Work::Tip { request, tip, .. }, "probe") => {
                let probe = tip.probes.get(arg.parse::<usize>().ok()?)?;
                Some(json!([[request.knob, probe.value]]))
            }
            _ => None,
        }
    }
}

/// The edits that open cell `index`: its knob values, and the seed of its first run that
/// fails the charted claim (else its first seed).
fn cell_edits(plan: &Plan, outcomes: &[Option<odds::CellOutcome>], index: usize) -> Option<Value> {
    let cell = plan.cells().get(index)?;
    let sweep = plan.sweep();
    let claim = match &sweep.chart {
        odds::Chart::Assertion(n) => Some(*n),
        odds::Chart::Figure(_) => None,
    };
    let runs = &outcomes[index * sweep.seeds..(index + 1) * sweep.seeds];
    let failing =
        claim.and_then(|n| runs.iter().flatten().find_map(|o| o.run.as_ref().filter(|r| !r.holds(n)).map(|r| r.seed)));
    let seed = failing.unwrap_or_else(|| odds::seed_at(sweep.first_seed, 0));
    let mut edits: Vec<Value> = sweep.knobs.iter().zip(&cell.values).map(|(k, v)| json!([k.path, v])).collect();
    edits.push(json!(["/seed", seed]));
    Some(Value::Array(edits))
}

/// FNV-1a of `text`: a short digest that says two results are the same.
pub fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
