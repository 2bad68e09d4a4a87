//! Runs the current scenario whenever a valid edit lands: at once, in the edit's own task, when
//! no run is in flight (so a dragged value is followed live), else after a short quiet time; in
//! slices of a few milliseconds so the page never freezes, cancelled by the next edit (dropping
//! the pending timer drops the simulation with it). Then runs the "no patterns" baseline for the
//! comparison, metrics only, unless its document is one run lately (an edit to a layer leaves
//! the baseline as it was, and [`spare`] prepares the one a re-roll of the seed will need). A
//! run has a CPU-time budget: past it, the run is parked with a message, and the reader decides
//! whether to give it another budget ("Continue").

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use resilience_engine::sim::{Metrics, Summary, TraceMode};
use resilience_engine::{Report, RunOptions, Scenario, Simulation};
use yew::prelude::*;

use crate::doc;
use crate::number::fixed;
use crate::state::{Action, AppContext, RunView};
use crate::view_model::Derived;

mod spare;

/// Quiet time after an edit before a run starts, when it replaces a run in flight.
const DEBOUNCE_MS: u32 = 30;
/// Time spent simulating before yielding to the browser: under a frame, and enough for a
/// small scenario (the default example takes about 9 ms on a slow machine) to finish in the
/// task of the edit that started it, so no frame is drawn in between.
const SLICE_MS: f64 = 12.0;
/// How long a run's last slice and its report may take before what follows (the comparison,
/// or after the comparison the journeys) goes to a task of its own, in milliseconds: twice a
/// slice, so that the default example (a slice and a millisecond or two of report) never waits
/// for a frame, while a large run's report (tens of milliseconds) does.
const REPORT_MS: f64 = 2.0 * SLICE_MS;
/// A trace longer than this, in records, is a large run's: the work after it is spread over
/// tasks of its own (see [`go_on`], and the stack diagram's model).
const LARGE_TRACE_RECORDS: usize = 200_000;
/// How long the journeys may take before the result is handed to the page in a task of its own
/// (whose drawing takes tens of milliseconds after a large run), in milliseconds; the default
/// example's take one.
const JOURNEYS_MS: f64 = 6.0;
/// Events per step call inside a slice.
const EVENTS_PER_STEP: u64 = 4_000;
/// Above this many expected requests, runs keep metrics only (no timeline, no inspector).
const TRACE_REQUESTS_MAX: f64 = 250_000.0;
/// The trace's memory budget in the browser, in bytes (64 MiB at 24 bytes a record). With the
/// journeys derived from it (≤ 250,000 requests, about 30 MB) and the metrics, one run on screen
/// holds about 100 MB; the previous result stays while the next one runs, so runs hold about
/// 200 MB at most: well inside a phone's tab.
const TRACE_BYTES_MAX: usize = 64 * 1024 * 1024;
/// Bytes of one trace record.
const TRACE_RECORD_BYTES: usize = 24;
/// Most trace records kept in the browser.
pub const TRACE_EVENTS_MAX: usize = TRACE_BYTES_MAX / TRACE_RECORD_BYTES;
/// CPU time a run (with its comparison) may take before it stops and asks, in milliseconds.
/// Pages can lower it for tests with `window.rpRunBudgetMs`.
pub const RUN_BUDGET_MS: f64 = 5_000.0;

/// Whether `report` is a large run's (its trace longer than [`LARGE_TRACE_RECORDS`]), whose
/// work after the run is spread over tasks of its own.
pub fn is_large(report: &Report) -> bool {
    report.trace.as_ref().is_some_and(|t| t.events.len() > LARGE_TRACE_RECORDS)
}

/// The run budget in force: [`RUN_BUDGET_MS`], or the page's `window.rpRunBudgetMs`.
fn run_budget_ms() -> f64 {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"rpRunBudgetMs".into()).ok())
        .and_then(|v| v.as_f64())
        .filter(|ms| ms.is_finite() && *ms > 0.0)
        .unwrap_or(RUN_BUDGET_MS)
}

/// Milliseconds on the page's monotonic clock (used only to size slices and report timings).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Leaves a named mark on the page's performance timeline (read by the browser benchmark).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A run that used up its budget, waiting for the reader to continue it.
struct Parked {
    simulation: Simulation,
    job: Job,
    phase: Phase,
}

/// A baseline run: the document it ran (as text), its figures and its digest.
type BaselineRun = (String, Rc<(Summary, Metrics)>, u64);

/// How many baseline runs are kept: the one in use, and the one prepared for a re-roll.
const BASELINES_KEPT: usize = 2;

/// Where the job in flight lives: its pending timer (replacing it cancels the job; `None` when
/// no job is in flight) and, when it stopped at its budget, the parked run. Also the latest
/// baselines, most recently used first, reused while their documents stay the same, and the
/// pending idle callback of the [`spare`] baseline being prepared (dropping it cancels it).
#[derive(Clone)]
struct JobSlot {
    timer: Rc<RefCell<Option<Timeout>>>,
    parked: Rc<RefCell<Option<Parked>>>,
    baselines: Rc<RefCell<Vec<BaselineRun>>>,
    spare: Rc<RefCell<Option<spare::IdleCall>>>,
}

impl JobSlot {
    /// The baseline of the comparison document `doc`, if one is kept; it becomes the most
    /// recently used.
    fn baseline(&self, doc: &str) -> Option<(Rc<(Summary, Metrics)>, u64)> {
        let mut baselines = self.baselines.borrow_mut();
        let at = baselines.iter().position(|(text, ..)| text == doc)?;
        let hit = baselines.remove(at);
        let found = (Rc::clone(&hit.1), hit.2);
        baselines.insert(0, hit);
        Some(found)
    }

    /// Keeps `run` as the most recently used baseline, dropping the oldest past
    /// [`BASELINES_KEPT`].
    fn keep_baseline(&self, run: BaselineRun) {
        let mut baselines = self.baselines.borrow_mut();
        baselines.retain(|(text, ..)| *text != run.0);
        baselines.insert(0, run);
        baselines.truncate(BASELINES_KEPT);
    }

    /// Whether a job is pending or parked.
    fn busy(&self) -> bool {
        self.timer.borrow().is_some() || self.parked.borrow().is_some()
    }

    /// Marks the job in flight as over.
    fn done(&self) {
        self.timer.borrow_mut().take();
    }
}

fn schedule(slot: &JobSlot, delay_ms: u32, task: impl FnOnce() + 'static) {
    slot.parked.borrow_mut().take();
    later(&slot.timer, delay_ms, Box::new(task));
}

/// Puts in `timer` a timeout that runs `task` after `delay_ms` (dropping the one it held
/// cancels that one). Boxed: one copy of the timer's code for every task.
#[inline(never)]
fn later(timer: &RefCell<Option<Timeout>>, delay_ms: u32, task: Box<dyn FnOnce()>) {
    *timer.borrow_mut() = Some(Timeout::new(delay_ms, task));
}

/// Starts a run of the state's scenario whenever its revision changes, and continues a parked
/// run when the reader asks.
#[hook]
pub fn use_runner(state: AppContext) {
    let timer = use_mut_ref(|| None);
    let parked = use_mut_ref(|| None);
    let baselines = use_mut_ref(Vec::new);
    let spare = use_mut_ref(|| None);
    let slot = JobSlot { timer, parked, baselines, spare };
    {
        let slot = slot.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(state.continue_requests, move |_| resume(&slot, dispatcher));
    }
    // Everything is read inside the effect: a render (30 per second while playing) costs nothing.
    use_effect_with((state.revision, state.compare_with), move |(revision, compare_with)| {
        // A spare baseline being prepared gives way to the run (it stays if it was done).
        slot.spare.borrow_mut().take();
        if let Some(scenario) = state.scenario.clone() {
            let compare =
                Comparison { with: *compare_with, text: doc::comparison(&state.doc, *compare_with).to_string() };
            let (revision, dispatcher, job_slot) = (*revision, state.dispatcher(), slot.clone());
            let doc = Rc::clone(&state.scenario_doc);
            let run = move || start(job_slot, (*scenario).clone(), doc, compare, revision, dispatcher);
            if slot.busy() {
                schedule(&slot, DEBOUNCE_MS, run);
            } else {
                // In the edit's own task, so the edit and its result reach the screen in one frame;
                // but after Yew's render loop (a microtask), which yields to the browser before
                // running effects once it has worked 16 ms: the run must not count against that.
                wasm_bindgen_futures::spawn_local(async move { run() });
            }
        }
    });
}

/// Gives a parked run another budget and goes on with it.
fn resume(slot: &JobSlot, dispatcher: Dispatcher) {
    let Some(Parked { simulation, mut job, phase }) = slot.parked.borrow_mut().take() else { return };
    job.budget_ms = job.spent_ms + run_budget_ms();
    let next = slot.clone();
    later(&slot.timer, 0, Box::new(move || slice(next, simulation, job, phase, dispatcher)));
}

/// What a run is compared with: how its document was made, and that document as text.
struct Comparison {
    with: doc::CompareWith,
    text: String,
}

struct Job {
    scenario: Scenario,
    /// The document the scenario was read from.
    doc: Rc<serde_json::Value>,
    /// The comparison run.
    compare: Comparison,
    revision: u64,
    notice: Option<String>,
    started_ms: f64,
    /// CPU time spent in slices so far, in milliseconds.
    spent_ms: f64,
    /// CPU time it may spend before it stops and asks, in milliseconds.
    budget_ms: f64,
}

type Dispatcher = UseReducerDispatcher<crate::state::State>;

fn start(
    slot: JobSlot,
    scenario: Scenario,
    doc: Rc<serde_json::Value>,
    compare: Comparison,
    revision: u64,
    dispatcher: Dispatcher,
) {
    let expected = scenario.expected_requests();
    let (trace, notice) = if expected > TRACE_REQUESTS_MAX {
        let notice = format!(
            "About {} requests: too many to trace in full, so this run keeps metrics only (the timeline, inspector and live layer counters are off). Shorten the duration or lower the load to see every request.",
            fixed(expected, 0)
        );
        (TraceMode::MetricsOnly, Some(notice))
    } else {
        (TraceMode::Full { max_events: TRACE_EVENTS_MAX }, None)
    };
    let options = RunOptions { trace, ..RunOptions::default() };
    mark("rp-run-start");
    match Simulation::new(&scenario, &options) {
        Ok(simulation) => {
            let job = Job {
                scenario,
                doc,
                compare,
                revision,
                notice,
                started_ms: now_ms(),
                spent_ms: 0.0,
                budget_ms: run_budget_ms(),
            };
            slice(slot, simulation, job, Phase::Main, dispatcher);
        }
        Err(error) => {
            slot.done();
            dispatcher.dispatch(Action::RunFailed(revision, error.to_string()));
        }
    }
}

/// Which run a slice belongs to: the scenario itself, then the comparison (by default the same
/// scenario with no patterns).
enum Phase {
    Main,
    Baseline(Box<Report>),
}

/// Runs for about `SLICE_MS`, then yields; when done, moves on to the baseline, then publishes.
/// Past its CPU budget, the run parks and says so.
fn slice(slot: JobSlot, mut simulation: Simulation, mut job: Job, phase: Phase, dispatcher: Dispatcher) {
    let began = now_ms();
    loop {
        match simulation.step(EVENTS_PER_STEP) {
            Err(error) => {
                slot.done();
                return dispatcher.dispatch(Action::RunFailed(job.revision, error.to_string()));
            }
            Ok(true) => return next_phase(slot, began, simulation, job, phase, dispatcher),
            Ok(false) if now_ms() - began > SLICE_MS => break,
            Ok(false) => {}
        }
    }
    job.spent_ms += now_ms() - began;
    if job.spent_ms > job.budget_ms {
        let message = budget_message(&job, &phase, simulation.progress());
        dispatcher.dispatch(Action::RunStopped(job.revision, message));
        *slot.parked.borrow_mut() = Some(Parked { simulation, job, phase });
        return;
    }
    if matches!(phase, Phase::Main) {
        dispatcher.dispatch(Action::RunProgress(job.revision, simulation.progress()));
    }
    let next_slot = slot.clone();
    schedule(&slot, 0, move || slice(next_slot, simulation, job, phase, dispatcher));
}

/// What the reader reads when a run stops at its budget.
fn budget_message(job: &Job, phase: &Phase, progress: f64) -> String {
    let which = if matches!(phase, Phase::Main) { "This run" } else { "The comparison run" };
    format!(
        "{which} stopped after {} s of computing, {} % of the way through its virtual time, so the page stays yours. Continue to give it another {} s, or make the scenario smaller (duration, load).",
        fixed(job.spent_ms / 1e3, 1),
        fixed(progress * 100.0, 0),
        fixed(run_budget_ms() / 1e3, 0)
    )
}

/// Goes on with `task` in this task unless the work since `began_ms` took longer than
/// `limit_ms`, else in a task of its own: the work after a large run (its report, the
/// comparison, the journeys, the drawing) then comes in several tasks with frames between them,
/// while a small run still reaches the screen in the task of the edit that started it, even on
/// a slow or busy machine.
fn go_on(slot: &JobSlot, (began_ms, limit_ms): (f64, f64), task: impl FnOnce() + 'static) {
    if now_ms() - began_ms > limit_ms {
        schedule(slot, 0, task);
    } else {
        task();
    }
}

fn next_phase(slot: JobSlot, began_ms: f64, simulation: Simulation, job: Job, phase: Phase, dispatcher: Dispatcher) {
    let report = simulation.finish();
    // A large run's journeys take tens of milliseconds: they always start a task of their own.
    let large = is_large(match &phase {
        Phase::Main => &report,
        Phase::Baseline(main) => main,
    });
    let next = slot.clone();
    go_on(&slot, (began_ms, if large { 0.0 } else { REPORT_MS }), move || match phase {
        Phase::Main => compare(next, report, job, dispatcher),
        Phase::Baseline(main) => {
            let (figures, digest) = (Rc::new((report.summary, report.metrics)), report.digest);
            next.keep_baseline((job.compare.text.clone(), figures.clone(), digest));
            publish(next, *main, Some(figures), digest, job, dispatcher);
        }
    });
}

/// Runs the comparison after the main run, unless its document is one of the baselines kept.
fn compare(slot: JobSlot, report: Report, job: Job, dispatcher: Dispatcher) {
    if let Some((figures, digest)) = slot.baseline(&job.compare.text) {
        return publish(slot, report, Some(figures), digest, job, dispatcher);
    }
    // Read by the tests: a re-roll after a quiet moment finds its baseline prepared.
    mark("rp-baseline-start");
    let bare = baseline_simulation(&job.compare.text, f64::INFINITY);
    match bare {
        Some(baseline) => slice(slot, baseline, job, Phase::Baseline(Box::new(report)), dispatcher),
        None => publish(slot, report, None, 0, job, dispatcher),
    }
}

/// The simulation of the comparison document `text` (metrics only), if it can run and expects
/// at most `requests_max` requests.
fn baseline_simulation(text: &str, requests_max: f64) -> Option<Simulation> {
    let bare = Scenario::from_json(text).ok().filter(|bare| bare.expected_requests() <= requests_max)?;
    Simulation::new(&bare, &RunOptions::default()).ok()
}

/// Derives the journeys, then hands the result to the page (in a task of its own when deriving
/// took longer than [`JOURNEYS_MS`]). The run's time it reports runs from its start to here,
/// waits between tasks included.
fn publish(
    slot: JobSlot,
    mut report: Report,
    baseline: Option<Rc<(Summary, Metrics)>>,
    baseline_digest: u64,
    job: Job,
    dispatcher: Dispatcher,
) {
    let began = now_ms();
    let millis = began - job.started_ms;
    let mut notice = job.notice;
    // Past its byte budget the trace is dropped: the run falls back to metrics only.
    if report.trace.as_ref().is_some_and(|t| t.truncated) {
        report.trace = None;
        notice = Some(format!(
            "This run's trace passed its budget of {} MB ({TRACE_EVENTS_MAX} events), so it keeps metrics only (the timeline, inspector and live layer counters are off); the summary and charts are complete. Shorten the duration or lower the load to see every request.",
            TRACE_BYTES_MAX / (1024 * 1024)
        ));
    }
    let derived = Derived::from_report(&report);
    let spare = (Rc::clone(&job.doc), job.revision, job.compare.with);
    let view = RunView {
        scenario: job.scenario,
        doc: job.doc,
        report,
        derived,
        baseline,
        baseline_digest,
        notice,
        millis,
        revision: job.revision,
    };
    let next = slot.clone();
    go_on(&slot, (began, JOURNEYS_MS), move || {
        next.done();
        dispatcher.dispatch(Action::RunFinished(Rc::new(view)));
        spare::prepare(&next, spare.0, spare.1, spare.2);
    });
}
