//! The app's one state and its actions (a reducer shared through a context). The scenario is
//! edited as a JSON document; every edit re-parses and re-validates it, and a valid document
//! gets a new revision that the runner picks up. The last good result stays until a new one
//! replaces it, marked stale meanwhile. `reduce` is pure: storage is read where actions are
//! dispatched, and the play head lives apart, in [`crate::playback`]. Every document change is
//! undoable (Ctrl+Z) and redoable (Ctrl+Shift+Z), including switching to another example.

use std::rc::Rc;

use resilience_engine::sim::{Metrics, Report, Summary};
use resilience_engine::{Scenario, ScenarioError, examples};
use serde_json::Value;
use yew::prelude::*;

use crate::doc;
use crate::share::EmbedOptions;
use crate::view_model::Derived;

/// A finished run, ready to show.
#[derive(Debug)]
pub struct RunView {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// The same scenario as the document it was read from (what links and images carry).
    pub doc: Rc<Value>,
    /// Its report (with the trace unless the run was too big).
    pub report: Report,
    /// Journeys and layer timelines.
    pub derived: Derived,
    /// The same scenario without any pattern, for the comparison (shared: an edit that leaves
    /// the comparison's document as it was reuses it).
    pub baseline: Option<Rc<(Summary, Metrics)>>,
    /// The comparison run's digest (0 without one): a new comparison of the same run is news.
    pub baseline_digest: u64,
    /// Shown above the results (for example: metrics only, trace truncated).
    pub notice: Option<String>,
    /// Wall-clock milliseconds of the run.
    pub millis: f64,
    /// The document revision it belongs to.
    pub revision: u64,
}

impl PartialEq for RunView {
    /// Two views are the same run when they belong to the same revision and digest, compared
    /// against the same run.
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && self.report.digest == other.report.digest
            && self.baseline_digest == other.baseline_digest
    }
}

/// The whole UI state.
#[derive(Clone, Debug)]
pub struct State {
    /// The scenario being edited (may be invalid); shared, so a state copy never clones it.
    pub doc: Rc<Value>,
    /// The example it came from.
    pub example: String,
    /// Parse and validation problems of `doc`, with paths.
    pub problems: Vec<ScenarioError>,
    /// The last valid parse of `doc`.
    pub scenario: Option<Rc<Scenario>>,
    /// The document `scenario` was read from (what share links carry); null before the first.
    pub scenario_doc: Rc<Value>,
    /// Bumps with every valid change.
    pub revision: u64,
    /// Bumps with every change of the document, valid or not (what autosave follows).
    pub doc_version: u64,
    /// The last finished run.
    pub result: Option<Rc<RunView>>,
    /// Progress of the run in flight (0..1), if any.
    pub running: Option<f64>,
    /// Why the last run failed, if it did.
    pub run_error: Option<String>,
    /// Why the run in flight stopped at its CPU budget, if it did (it waits for "Continue").
    pub run_stopped: Option<String>,
    /// Bumps when the reader asks a stopped run to continue.
    pub continue_requests: u64,
    /// Endpoint whose stack is shown.
    pub endpoint: usize,
    /// Service being edited.
    pub service: usize,
    /// The request open in the inspector.
    pub selected_request: Option<u32>,
    /// Where the play head starts for this document (a link's view, an embed's `t`, or just
    /// before the first fault), in microseconds.
    pub start_us: u64,
    /// Bumps whenever another document is opened (the play head resets then).
    pub load_id: u64,
    /// Has the user changed the document since it was opened?
    pub edited: bool,
    /// Has the user changed what runs (more than the sweep) since it was opened? An example's
    /// three things to try stay until then.
    pub run_edited: bool,
    /// Documents before the current one, most recent last.
    pub undo: Vec<Rc<Snapshot>>,
    /// Documents undone, most recent last.
    pub redo: Vec<Rc<Snapshot>>,
    /// The pointers of the last drag edit (consecutive drags of the same values are one step).
    last_drag: Option<Vec<String>>,
    /// Visible time window of the timeline and charts, in microseconds.
    pub window: (u64, u64),
    /// Keyboard help overlay open?
    pub help: bool,
    /// A message across the top (a bad link, a refused file, a kept draft).
    pub banner: Option<Banner>,
    /// Autosave the document? Off after opening a link or example over an existing draft,
    /// until the user chooses (so a shared link never overwrites their draft).
    pub autosave: bool,
    /// The compact read-only player's options, in embed mode.
    pub embed: Option<EmbedOptions>,
    /// Gallery dialog open?
    pub gallery: bool,
    /// Odds dialog open?
    pub odds: bool,
    /// What the comparison runs against.
    pub compare_with: doc::CompareWith,
    /// The worker chunk's analysis of the latest run it analysed.
    pub analysis: Option<Rc<crate::components::analysis::Analysis>>,
}

/// Most undo steps kept.
pub const UNDO_STEPS_MAX: usize = 200;

/// A document as it was, for undo and redo.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The document.
    pub doc: Rc<Value>,
    /// Where it came from (an example's name, "my draft", "shared link"…).
    pub origin: String,
    /// Had the user changed it?
    pub edited: bool,
    /// Had the user changed what runs?
    pub run_edited: bool,
}

/// A message across the top of the page.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Banner {
    /// True for problems, false for information.
    pub error: bool,
    /// The message (plain text, never markup).
    pub text: String,
    /// Offer to bring the saved draft back.
    pub offer_draft: bool,
    /// Offer to undo what just replaced the user's edits.
    pub offer_undo: bool,
}

impl Banner {
    /// A problem.
    fn error(text: String) -> Self {
        Self { error: true, text, ..Self::default() }
    }

    /// A piece of information.
    fn info(text: String) -> Self {
        Self { text, ..Self::default() }
    }
}

impl State {
    /// The state showing example `name`.
    pub fn with_example(name: &str) -> Self {
        let name = if examples::gallery(name).is_some() { name } else { FIRST_EXAMPLE };
        let json = examples::gallery(name).unwrap_or("{}");
        let doc: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let mut state = Self {
            doc: Rc::new(Value::Null),
            example: String::new(),
            problems: Vec::new(),
            scenario: None,
            scenario_doc: Rc::new(Value::Null),
            revision: 0,
            doc_version: 0,
            result: None,
            running: None,
            run_error: None,
            run_stopped: None,
            continue_requests: 0,
            endpoint: 0,
            service: 0,
            selected_request: None,
            start_us: 0,
            load_id: 0,
            edited: false,
            run_edited: false,
            undo: Vec::new(),
            redo: Vec::new(),
            last_drag: None,
            window: (0, 1),
            help: false,
            banner: None,
            autosave: true,
            embed: None,
            gallery: false,
            odds: false,
            compare_with: doc::CompareWith::NoPatterns,
            analysis: None,
        };
        state.load_doc(doc, name);
        state
    }

    fn load_doc(&mut self, doc: Value, origin: &str) {
        self.doc = Rc::new(doc);
        self.compare_with = doc::CompareWith::NoPatterns;
        self.example = origin.to_owned();
        self.endpoint = 0;
        self.service = 0;
        self.selected_request = None;
        self.edited = false;
        self.run_edited = false;
        self.last_drag = None;
        self.load_id += 1;
        self.revalidate();
        self.reset_window();
        self.start_us = self.scenario.as_deref().map_or(0, crate::view_model::story_start_us);
    }

    /// Opens `doc` as a new document, keeping the current one on the undo stack.
    fn open(&mut self, doc: Value, origin: &str) {
        self.remember();
        self.load_doc(doc, origin);
    }

    fn apply_view(&mut self, view: &resilience_engine::scenario::link::SharedView) {
        let endpoints = self.scenario.as_ref().map_or(1, |s| s.endpoints.len());
        self.endpoint = view.endpoint.min(endpoints.saturating_sub(1));
        self.selected_request = view.request;
        self.start_us = view.cursor_us;
        if let Some([from, to]) = view.window.filter(|[from, to]| to > from) {
            self.window = (from, to);
        }
    }

    /// What the viewer is looking at (with the play head at `cursor_us`), for a share link.
    pub fn shared_view(&self, cursor_us: u64) -> resilience_engine::scenario::link::SharedView {
        resilience_engine::scenario::link::SharedView {
            endpoint: self.endpoint,
            request: self.selected_request,
            cursor_us,
            window: Some([self.window.0, self.window.1]),
            panels: self.embed.as_ref().map(|e| e.panels.clone()).unwrap_or_default(),
        }
    }

    /// Re-parses and re-validates the document; a valid one gets a new revision.
    fn revalidate(&mut self) {
        self.doc_version += 1;
        let parsed = Scenario::parse(&self.doc.to_string());
        match parsed {
            // The document is edited as fields, not text: a line and column mean nothing here.
            Err(mut error) => {
                if let Some(at) = error.message.rfind(" at line ") {
                    error.message.truncate(at);
                }
                self.problems = vec![error];
            }
            // Only the sweep changed: the run stays (the sweep is no part of the run model).
            Ok(_) if self.scenario.is_some() && same_but_sweep(&self.doc, &self.scenario_doc) => {
                self.problems.clear();
                self.scenario_doc = Rc::clone(&self.doc);
            }
            Ok(scenario) => {
                self.problems = scenario.validate();
                if self.problems.is_empty() {
                    self.scenario = Some(Rc::new(scenario));
                    self.scenario_doc = Rc::clone(&self.doc);
                    self.revision += 1;
                    self.run_stopped = None;
                }
            }
        }
    }

    /// The whole run on the time axis.
    fn reset_window(&mut self) {
        let duration = self.scenario.as_ref().map_or(60_000_000, |s| s.duration.as_micros());
        self.window = (0, duration.max(1));
    }

    /// True when the result on screen is not the current document's.
    pub fn stale(&self) -> bool {
        !self.problems.is_empty() || self.result.as_ref().is_some_and(|r| r.revision != self.revision)
    }

    /// Problems whose path is `path` or lies below it.
    pub fn problems_at(&self, path: &str) -> Vec<&ScenarioError> {
        self.problems
            .iter()
            .filter(|p| p.path == path || p.path.strip_prefix(path).is_some_and(|rest| rest.starts_with(['.', '['])))
            .collect()
    }

    /// The end of the play head's range, in microseconds.
    pub fn end_us(&self) -> u64 {
        self.result.as_ref().map_or(0, |r| (r.report.summary.virtual_end_s * 1e6) as u64)
    }
}

/// The example a first visit opens: one pattern, one outage, a visible story (fail fast).
pub const FIRST_EXAMPLE: &str = "breaker-outage";

/// A state is equal only to itself: the reducer makes a new state for every action that is
/// handled, so consumers of the app's context redraw after each (comparing every field took a
/// few kilobytes of the first-paint bundle, and time on every dispatch).
impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self, other)
    }
}

/// True if `a` and `b` differ at most in their `sweep` sections.
fn same_but_sweep(a: &Value, b: &Value) -> bool {
    let without = |doc: &Value| {
        let mut doc = doc.clone();
        if let Some(map) = doc.as_object_mut() {
            map.remove(resilience_engine::odds::sweep::KEY);
        }
        doc
    };
    without(a) == without(b)
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::LoadExample(name) => next.load_example(&name),
            Action::Edit(edit) => next.edit(edit),
            Action::Undo => next.travel(true),
            Action::Redo => next.travel(false),
            Action::RunProgress(revision, progress) if revision == next.revision => next.running = Some(progress),
            Action::RunFinished(view) if view.revision == next.revision => next.finish_run(view),
            Action::RunFailed(revision, message) if revision == next.revision => {
                next.running = None;
                next.run_stopped = None;
                next.run_error = Some(message);
            }
            Action::RunStopped(revision, message) if revision == next.revision => {
                next.running = None;
                next.run_stopped = Some(message);
            }
            Action::ContinueRun if next.run_stopped.is_some() => {
                next.run_stopped = None;
                next.running = Some(0.0);
                next.continue_requests += 1;
            }
            Action::SelectEndpoint(i) => next.endpoint = i,
            Action::SelectService(i) => next.service = i,
            Action::SelectRequest(id) => next.selected_request = id,
            Action::SetWindow(from, to) => next.set_window(from, to),
            Action::ToggleHelp => next.help = !next.help,
            Action::ToggleGallery => next.gallery = !next.gallery,
            Action::ToggleOdds => next.odds = !next.odds,
            Action::Route(route, draft) => next.route(route, draft),
            Action::Import(file) => next.import(file),
            Action::RestoreDraft(draft) => next.restore_draft(draft),
            Action::KeepAsDraft => {
                next.autosave = true;
                next.banner = None;
            }
            Action::Notify(banner) => next.banner = Some(banner),
            Action::DismissBanner => next.banner = None,
            Action::CompareWith(with) => next.compare_with = with,
            Action::Analysed(analysis) => next.analysis = Some(analysis),
            _ => return self,
        }
        Rc::new(next)
    }
}

impl State {
    /// Takes a finished run: the window is reset when the duration changed, and a selected
    /// request that no longer exists is dropped.
    fn finish_run(&mut self, view: Rc<RunView>) {
        self.running = None;
        self.run_error = None;
        self.run_stopped = None;
        if self.result.as_ref().is_none_or(|r| r.scenario.duration != view.scenario.duration) {
            self.window = (0, view.scenario.duration.as_micros().max(1));
        }
        self.selected_request = self.selected_request.filter(|id| (*id as usize) < view.derived.journeys.len());
        self.result = Some(view);
    }

    /// Zooms to `from..to` (µs), kept inside the run and at least a millisecond wide.
    fn set_window(&mut self, from: u64, to: u64) {
        let end = self.end_us().max(self.window.1).max(1);
        let (from, to) = (from.min(end), to.min(end));
        if to > from + 1_000 {
            self.window = (from, to);
        }
    }

    /// Opens an imported file, or says why it could not be opened.
    fn import(&mut self, file: Result<Value, String>) {
        self.banner = Some(match file {
            Ok(doc) => {
                let name = doc["name"].as_str().unwrap_or_default().to_owned();
                self.open(doc, "imported file");
                Banner::info(format!("Opened {name:?} from the file."))
            }
            Err(message) => Banner::error(format!("That file could not be opened: {message}. Nothing was changed.")),
        });
    }

    /// Opens the saved draft (if it still reads) and turns autosaving on.
    fn restore_draft(&mut self, draft: Option<String>) {
        if let Some(doc) = draft.and_then(|d| serde_json::from_str::<Value>(&d).ok()) {
            self.open(doc, "my draft");
            self.edited = true;
            self.run_edited = true;
        }
        self.autosave = true;
        self.banner = None;
    }
}

/// The context every component reads the state from and dispatches to.
pub type AppContext = UseReducerHandle<State>;

/// The app's state, from the context every component sits in.
///
/// # Panics
/// Outside the app's context provider (a programming error, never user input).
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("components live inside the app's context provider")
}

/// The app's state as the editors read it: equal while the document (by its version), the
/// endpoint and service shown and the analysis (the stack's insights, and whether they are of
/// the run on screen) stay the same, so a finished run, its progress or anything else that
/// leaves those as they were does not draw the editors again. An editor reads nothing else of
/// the state (a layer's live line, which follows the run, reads the app's context). The key is
/// taken when the context is made: the handle itself always reads the latest state.
#[derive(Clone, Debug)]
pub struct EditorContext {
    app: AppContext,
    /// The document's version, the endpoint, the service and whether the analysis is fresh,
    /// when this context was made.
    key: (u64, usize, usize, bool),
    /// The analysis then (compared by address; held, so that no other takes its address).
    analysis: Option<Rc<crate::components::analysis::Analysis>>,
}

impl EditorContext {
    /// The editors' view of `app` as it is now.
    pub fn new(app: &AppContext) -> Self {
        let fresh = crate::components::analysis::fresh(app);
        let key = (app.doc_version, app.endpoint, app.service, fresh);
        Self { key, analysis: app.analysis.clone(), app: app.clone() }
    }
}

impl PartialEq for EditorContext {
    fn eq(&self, other: &Self) -> bool {
        let same_analysis = match (&self.analysis, &other.analysis) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        self.key == other.key && same_analysis
    }
}

/// The state, for an editor (see [`EditorContext`]).
///
/// # Panics
/// Outside the editors' context provider (a programming error, never user input).
#[hook]
pub fn use_editor_state() -> AppContext {
    use_context::<EditorContext>().expect("editors live inside the editors' context provider").app
}

mod action;
mod edit;
pub use action::{Action, Edit};
pub use edit::rerolled_seed;
mod history;
mod open;
#[cfg(test)]
mod tests;
