//! The worker's operations: a request (JSON text) in, a reply (JSON text) out. Pure Rust, no
//! browser: the same code answers in the browser's worker and in native tests.
//!
//! Every request is an object with an `id` (echoed in the reply) and an `op`:
//!
//! | op        | fields                               | reply                                            |
//! |-----------|--------------------------------------|--------------------------------------------------|
//! | `analyse` | `doc`, `trace_events` (0: metrics)   | `verdicts`, `expect_error`, `insights`, `transitions` |
//! | `explain` | `doc`, `trace_events`, `request`     | `journey` (every step), `steps` (what has a cause, and why) |
//! | `code`    | `doc`, `endpoint`, `target`          | `text`                                           |
//! | `import`  | `text`, optional `doc`, `endpoint`   | `library`, `stacks` (each with its `problem` in `doc`), `unsupported` |
//! | `link`    | `doc`, `view`                        | `payload` (a share link's `#s=` payload)         |
//! | `pretty`  | `doc`                                | `text` (the document, indented)                  |
//! | `export`  | `doc`, `trace_events`, `format`      | `text` (`trace-csv`, `trace-json`, `metrics-csv`) |
//! | `odds`    | `act`, `arg`, `form`, `doc`, `cores`, `narrow`, `embed`, `search`, `base` | `html` (the odds dialog) or `edits` (see [`crate::odds`]) |
//! | `odds_runs` | `kind`, `doc`, `first_seed`, `from`, `to` | `from`, `outcomes` (a pool worker's job)     |
//!
//! A request that cannot be answered gets `{"id": …, "error": "…"}`: the reason in words.

use resilience_engine::scenario::link::{self, SharedView};
use resilience_engine::sim::{Report, TraceMode};
use resilience_engine::{RunOptions, Scenario, Simulation, codegen, expect, explain, import, insights};
use serde_json::{Value, json};

/// Simulated events between two looks at the clock.
const EVENTS_PER_STEP: u64 = 20_000;
/// CPU time one run in the worker may take, in milliseconds (it runs off the page's thread,
/// so it may take longer than the page's own run; past this it stops and says so).
pub const RUN_BUDGET_MS: f64 = 60_000.0;

/// Most workers in the odds pool.
pub const POOL_MAX: u64 = 8;

/// The odds pool's size for an `odds` request: `?workers=N` in the page's address (`search`),
/// else one per core of the page's `cores` but one, from 1 to [`POOL_MAX`]. The core left over
/// is the page's: with every core busy simulating, drawing the results (and anything the reader
/// does meanwhile) waits its turn, and a frame takes several times as long.
pub fn pool_size(request: &Value) -> usize {
    let search = request.get("search").and_then(Value::as_str).unwrap_or_default();
    let asked = search.split(['?', '&']).find_map(|pair| pair.strip_prefix("workers=")?.parse::<u64>().ok());
    let cores = request.get("cores").and_then(Value::as_f64).map(|c| (c as u64).saturating_sub(1));
    let size = asked.or(cores).unwrap_or(1).clamp(1, POOL_MAX);
    usize::try_from(size).unwrap_or(1)
}

/// The last run, kept so that explaining one request after another does not run again.
struct LastRun {
    /// The request's document and trace limit, as text.
    key: String,
    scenario: Scenario,
    report: Report,
}

/// The worker's state between requests.
#[derive(Default)]
pub struct Worker {
    last: Option<LastRun>,
    /// The odds dialog (when this worker is the page's).
    pub odds: crate::odds::Session,
    /// The last batch document prepared (when this worker is one of the pool's).
    jobs: crate::odds::jobs::Jobs,
    /// An odds act made the pool's jobs moot: the caller stops the pool's workers.
    stop_jobs: bool,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("has_last_run", &self.last.is_some()).finish()
    }
}

impl Worker {
    /// Answers one request; `now_ms` reads a monotonic clock (to bound a run's CPU time).
    pub fn handle(&mut self, request: &str, now_ms: &dyn Fn() -> f64) -> String {
        let parsed: Value = serde_json::from_str(request).unwrap_or(Value::Null);
        let id = parsed.get("id").cloned().unwrap_or(Value::Null);
        let mut reply = match self.answer(&parsed, now_ms) {
            Ok(reply) => reply,
            Err(error) => json!({ "error": error }),
        };
        reply["id"] = id;
        reply.to_string()
    }

    /// True once after an odds act made the pool's jobs moot (cancel, or a new batch).
    pub fn take_stop_jobs(&mut self) -> bool {
        std::mem::take(&mut self.stop_jobs)
    }

    fn answer(&mut self, request: &Value, now_ms: &dyn Fn() -> f64) -> Result<Value, String> {
        match request.get("op").and_then(Value::as_str) {
            Some("analyse") => self.analyse(request, now_ms),
            Some("explain") => self.explain(request, now_ms),
            Some("code") => code(request),
            Some("import") => import_text(request),
            Some("link") => link_payload(request),
            Some("export") => self.export(request, now_ms),
            Some("odds") => {
                // An embed has no claims panel whose run names the claims: a small scenario is
                // run once here (metrics only) for the words of its claims (a larger one's are
                // named by number: no run until the reader asks for one).
                let embedded = request.get("embed").and_then(Value::as_bool) == Some(true);
                if embedded && request.get("act").and_then(Value::as_str) == Some("open") {
                    let _ = self.run_within(request, now_ms, crate::odds::SMALL_RUN_REQUESTS_MAX);
                }
                let words = self.claim_words(request);
                self.odds.claim_words = words;
                let effect = self.odds.act(request, pool_size(request), now_ms());
                self.stop_jobs |= effect.stop_jobs;
                Ok(effect.reply)
            }
            Some("odds_runs") => self.jobs.runs(request),
            Some("pretty") => {
                let doc = request.get("doc").ok_or("the request carries no document")?;
                Ok(json!({ "text": serde_json::to_string_pretty(doc).map_err(|e| e.to_string())? }))
            }
            Some(other) => Err(format!("unknown operation {other:?}")),
            None => Err("the request names no operation".to_owned()),
        }
    }

    fn analyse(&mut self, request: &Value, now_ms: &dyn Fn() -> f64) -> Result<Value, String> {
        let doc = request.get("doc").ok_or("the request carries no document")?;
        let last = self.run(request, now_ms)?;
        let (verdicts, expect_error) = match expect::read(doc) {
            Ok(list) => (expect::check(&list, &last.scenario, &last.report), None),
            Err(error) => (Vec::new(), Some(error.to_string())),
        };
        let transitions =
            last.report.trace.as_ref().map(|t| explain::transitions(&last.scenario, t)).unwrap_or_default();
        Ok(json!({
            "verdicts": verdicts,
            "expect_error": expect_error,
            "insights": insights::insights(&last.scenario, &last.report),
            "transitions": transitions,
        }))
    }

    fn explain(&mut self, request: &Value, now_ms: &dyn Fn() -> f64) -> Result<Value, String> {
        let number = request.get("request").and_then(Value::as_u64).ok_or("the request names no request number")?;
        let number = u32::try_from(number).map_err(|_| format!("request {number} does not exist"))?;
        let last = self.run(request, now_ms)?;
        let trace =
            last.report.trace.as_ref().ok_or("this run keeps metrics only, so it has no journeys to explain")?;
        Ok(json!({
            "journey": explain::journey(&last.scenario, trace, number),
            "steps": explain::request(&last.scenario, trace, number),
        }))
    }

    fn export(&mut self, request: &Value, now_ms: &dyn Fn() -> f64) -> Result<Value, String> {
        let format = request.get("format").and_then(Value::as_str).unwrap_or_default().to_owned();
        let last = self.run(request, now_ms)?;
        let no_trace = || "this run keeps metrics only, so it has no trace to export".to_owned();
        let text = match format.as_str() {
            "trace-csv" => last.report.trace.as_ref().ok_or_else(no_trace)?.to_csv(),
            "trace-json" => {
                serde_json::to_string(last.report.trace.as_ref().ok_or_else(no_trace)?).map_err(|e| e.to_string())?
            }
            "metrics-csv" => last.report.metrics.to_csv(),
            other => return Err(format!("no export format named {other:?}")),
        };
        Ok(json!({ "text": text }))
    }

    /// Each claim of the request's document in words, measured against the last run analysed
    /// (the page's run); empty when there is none or the claims do not read.
    fn claim_words(&self, request: &Value) -> Vec<String> {
        let (Some(last), Some(doc)) = (&self.last, request.get("doc")) else { return Vec::new() };
        let Ok(list) = expect::read(doc) else { return Vec::new() };
        expect::check(&list, &last.scenario, &last.report).into_iter().map(|v| v.claim).collect()
    }

    /// The run of the request's document, from the last one when it is the same.
    fn run(&mut self, request: &Value, now_ms: &dyn Fn() -> f64) -> Result<&LastRun, String> {
        self.run_within(request, now_ms, f64::INFINITY)
    }

    /// [`Self::run`], unless the scenario is expected to make more than `most_requests`.
    fn run_within(
        &mut self,
        request: &Value,
        now_ms: &dyn Fn() -> f64,
        most_requests: f64,
    ) -> Result<&LastRun, String> {
        let doc = request.get("doc").ok_or("the request carries no document")?;
        let trace_events = request.get("trace_events").and_then(Value::as_u64).unwrap_or(0);
        let text = doc.to_string();
        let key = format!("{trace_events}:{text}");
        if self.last.as_ref().is_none_or(|last| last.key != key) {
            self.last = None;
            let scenario = parse_valid(&text)?;
            if scenario.expected_requests() > most_requests {
                return Err("too large to run here".to_owned());
            }
            let report = run_bounded(&scenario, trace_mode(trace_events), now_ms)?;
            self.last = Some(LastRun { key, scenario, report });
        }
        self.last.as_ref().ok_or_else(|| "no run".to_owned())
    }
}

/// Metrics only for 0, else a trace of at most that many records.
fn trace_mode(trace_events: u64) -> TraceMode {
    match usize::try_from(trace_events) {
        Ok(0) | Err(_) => TraceMode::MetricsOnly,
        Ok(max_events) => TraceMode::Full { max_events },
    }
}

/// Runs `scenario` to its end, or stops with a message past [`RUN_BUDGET_MS`].
fn run_bounded(scenario: &Scenario, trace: TraceMode, now_ms: &dyn Fn() -> f64) -> Result<Report, String> {
    let options = RunOptions { trace, ..RunOptions::default() };
    let mut simulation = Simulation::new(scenario, &options).map_err(|e| e.to_string())?;
    let started_ms = now_ms();
    while !simulation.step(EVENTS_PER_STEP).map_err(|e| e.to_string())? {
        if now_ms() - started_ms > RUN_BUDGET_MS {
            return Err(format!(
                "the analysis stopped after {:.0} s of simulation, {:.0} % of the way through the run; shorten the scenario to analyse it",
                RUN_BUDGET_MS / 1000.0,
                simulation.progress() * 100.0
            ));
        }
    }
    Ok(simulation.finish())
}

fn code(request: &Value) -> Result<Value, String> {
    let doc = request.get("doc").ok_or("the request carries no document")?;
    let word = request.get("target").and_then(Value::as_str).unwrap_or_default();
    let target = codegen::Target::from_word(word).ok_or_else(|| format!("no code target named {word:?}"))?;
    let scenario = parse_valid(&doc.to_string())?;
    let endpoint = request.get("endpoint").and_then(Value::as_u64).unwrap_or(0);
    let endpoint = usize::try_from(endpoint).ok().filter(|e| *e < scenario.endpoints.len());
    let endpoint = endpoint.ok_or("that endpoint does not exist")?;
    Ok(json!({ "text": codegen::generate(&scenario, endpoint, target) }))
}

fn import_text(request: &Value) -> Result<Value, String> {
    let text = request.get("text").and_then(Value::as_str).ok_or("the request carries no text")?;
    let imported = import::import(text).map_err(|e| e.to_string())?;
    let mut reply = serde_json::to_value(imported).map_err(|e| e.to_string())?;
    if let (Some(doc), Some(Value::Array(stacks))) = (request.get("doc"), reply.get_mut("stacks")) {
        let endpoint = request.get("endpoint").and_then(Value::as_u64).unwrap_or(0);
        for stack in stacks {
            stack["problem"] = problem_with(doc, endpoint, &stack["stack"]).map_or(Value::Null, Value::String);
        }
    }
    Ok(reply)
}

/// The first problem of `doc` with `stack` as endpoint `endpoint`'s stack (a value out of range,
/// with its path), if any.
fn problem_with(doc: &Value, endpoint: u64, stack: &Value) -> Option<String> {
    let mut doc = doc.clone();
    let slot = doc.pointer_mut(&format!("/endpoints/{endpoint}/stack"))?;
    *slot = stack.clone();
    parse_valid(&doc.to_string()).err()
}

/// The scenario `json` holds, or its first problem (with its path) if it is not valid.
fn parse_valid(json: &str) -> Result<Scenario, String> {
    let scenario = Scenario::parse(json).map_err(|e| e.to_string())?;
    match scenario.validate().into_iter().next() {
        Some(problem) => Err(problem.to_string()),
        None => Ok(scenario),
    }
}

fn link_payload(request: &Value) -> Result<Value, String> {
    let doc = request.get("doc").ok_or("the request carries no document")?;
    let view = request.get("view").cloned().unwrap_or(Value::Null);
    let view: SharedView = serde_json::from_value(view).map_err(|e| format!("a bad view: {e}"))?;
    Ok(json!({ "payload": link::encode_doc(doc, &view) }))
}
