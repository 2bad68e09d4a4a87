//! Runs the current scenario whenever a valid edit lands: debounced, in slices of a few
//! milliseconds so the page never freezes, cancelled by the next edit (dropping the pending
//! timer drops the simulation with it). Then runs the "no patterns" baseline for the
//! comparison, metrics only.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use resilience_engine::sim::{Metrics, Summary, TraceMode};
use resilience_engine::{Report, RunOptions, Scenario, Simulation};
use yew::prelude::*;

use crate::doc;
use crate::state::{Action, AppContext, RunView};
use crate::view_model::Derived;

/// Quiet time after an edit before a run starts.
const DEBOUNCE_MS: u32 = 30;
/// Time spent simulating before yielding to the browser.
const SLICE_MS: f64 = 8.0;
/// Events per step call inside a slice.
const EVENTS_PER_STEP: u64 = 4_000;
/// Above this many expected requests, runs keep metrics only (no timeline, no inspector).
const TRACE_REQUESTS_MAX: f64 = 250_000.0;
/// Most trace records kept in the browser.
const TRACE_EVENTS_MAX: usize = 3_000_000;

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

/// The pending timer of the job in flight; replacing it cancels the job.
type JobSlot = Rc<RefCell<Option<Timeout>>>;

fn schedule(slot: &JobSlot, delay_ms: u32, task: impl FnOnce() + 'static) {
    *slot.borrow_mut() = Some(Timeout::new(delay_ms, task));
}

/// Starts a run of the state's scenario whenever its revision changes.
#[hook]
pub fn use_runner(state: AppContext) {
    let slot: JobSlot = use_mut_ref(|| None);
    // Everything is read inside the effect: a render (30 per second while playing) costs nothing.
    use_effect_with((state.revision, state.compare_with), move |(revision, compare_with)| {
        if let Some(scenario) = state.scenario.clone() {
            let (revision, compare) = (*revision, doc::comparison(&state.doc, *compare_with));
            let dispatcher = state.dispatcher();
            let job_slot = slot.clone();
            schedule(&slot, DEBOUNCE_MS, move || start(job_slot, (*scenario).clone(), compare, revision, dispatcher));
        }
    });
}

struct Job {
    scenario: Scenario,
    /// The document of the comparison run.
    compare: serde_json::Value,
    revision: u64,
    notice: Option<String>,
    started_ms: f64,
}

type Dispatcher = UseReducerDispatcher<crate::state::State>;

fn start(slot: JobSlot, scenario: Scenario, compare: serde_json::Value, revision: u64, dispatcher: Dispatcher) {
    let expected = scenario.expected_requests();
    let (trace, notice) = if expected > TRACE_REQUESTS_MAX {
        let notice = format!(
            "About {expected:.0} requests: too many to trace in full, so this run keeps metrics only (the timeline, inspector and live layer counters are off). Shorten the duration or lower the load to see every request."
        );
        (TraceMode::MetricsOnly, Some(notice))
    } else {
        (TraceMode::Full { max_events: TRACE_EVENTS_MAX }, None)
    };
    let options = RunOptions { trace, ..RunOptions::default() };
    mark("rp-run-start");
    match Simulation::new(&scenario, &options) {
        Ok(simulation) => {
            let job = Job { scenario, compare, revision, notice, started_ms: now_ms() };
            slice(slot, simulation, job, Phase::Main, dispatcher);
        }
        Err(error) => dispatcher.dispatch(Action::RunFailed(revision, error.to_string())),
    }
}

/// Which run a slice belongs to: the scenario itself, then the comparison (by default the same
/// scenario with no patterns).
enum Phase {
    Main,
    Baseline(Box<Report>),
}

/// Runs for about `SLICE_MS`, then yields; when done, moves on to the baseline, then publishes.
fn slice(slot: JobSlot, mut simulation: Simulation, job: Job, phase: Phase, dispatcher: Dispatcher) {
    let began = now_ms();
    loop {
        match simulation.step(EVENTS_PER_STEP) {
            Err(error) => return dispatcher.dispatch(Action::RunFailed(job.revision, error.to_string())),
            Ok(true) => return next_phase(slot, simulation, job, phase, dispatcher),
            Ok(false) if now_ms() - began > SLICE_MS => break,
            Ok(false) => {}
        }
    }
    if matches!(phase, Phase::Main) {
        dispatcher.dispatch(Action::RunProgress(job.revision, simulation.progress()));
    }
    let next_slot = slot.clone();
    schedule(&slot, 0, move || slice(next_slot, simulation, job, phase, dispatcher));
}

fn next_phase(slot: JobSlot, simulation: Simulation, job: Job, phase: Phase, dispatcher: Dispatcher) {
    match phase {
        Phase::Main => {
            let report = simulation.finish();
            let bare = Scenario::from_json(&job.compare.to_string())
                .ok()
                .and_then(|bare| Simulation::new(&bare, &RunOptions::default()).ok());
            match bare {
                Some(baseline) => slice(slot, baseline, job, Phase::Baseline(Box::new(report)), dispatcher),
                None => publish(report, None, job, &dispatcher),
            }
        }
        Phase::Baseline(report) => {
            let baseline = simulation.finish();
            publish(*report, Some((baseline.summary, baseline.metrics)), job, &dispatcher);
        }
    }
}

fn publish(report: Report, baseline: Option<(Summary, Metrics)>, job: Job, dispatcher: &Dispatcher) {
    let millis = now_ms() - job.started_ms;
    let derived = Derived::from_report(&report);
    let mut notice = job.notice;
    if report.trace.as_ref().is_some_and(|t| t.truncated) {
        notice = Some(format!(
            "The trace passed {TRACE_EVENTS_MAX} events and was cut: the timeline shows the start of the run; metrics and summary are complete."
        ));
    }
    let view = RunView { scenario: job.scenario, report, derived, baseline, notice, millis, revision: job.revision };
    dispatcher.dispatch(Action::RunFinished(Rc::new(view)));
}
