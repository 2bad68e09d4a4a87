//! The app's one state and its actions (a reducer shared through a context). The scenario is
//! edited as a JSON document; every edit re-parses and re-validates it, and a valid document
//! gets a new revision that the runner picks up. The last good result stays until a new one
//! replaces it, marked stale meanwhile.

use std::rc::Rc;

use resilience_engine::sim::{Metrics, Report, Summary};
use resilience_engine::{Scenario, ScenarioError, examples};
use serde_json::Value;
use yew::prelude::*;

use crate::doc;
use crate::share::{self, EmbedOptions, Route};
use crate::view_model::Derived;

/// A finished run, ready to show.
#[derive(Debug)]
pub struct RunView {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// Its report (with the trace unless the run was too big).
    pub report: Report,
    /// Journeys and layer timelines.
    pub derived: Derived,
    /// The same scenario without any pattern, for the comparison.
    pub baseline: Option<(Summary, Metrics)>,
    /// Shown above the results (for example: metrics only, trace truncated).
    pub notice: Option<String>,
    /// Wall-clock milliseconds of the run.
    pub millis: f64,
    /// The document revision it belongs to.
    pub revision: u64,
}

impl PartialEq for RunView {
    /// Two views are the same run when they belong to the same revision and digest.
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && self.report.digest == other.report.digest
    }
}

/// The whole UI state.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The scenario being edited (may be invalid).
    pub doc: Value,
    /// The example it came from.
    pub example: String,
    /// Parse and validation problems of `doc`, with paths.
    pub problems: Vec<ScenarioError>,
    /// The last valid parse of `doc`.
    pub scenario: Option<Rc<Scenario>>,
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
    /// Endpoint whose stack is shown.
    pub endpoint: usize,
    /// Service being edited.
    pub service: usize,
    /// The request open in the inspector.
    pub selected_request: Option<u32>,
    /// Play head, in microseconds.
    pub cursor_us: u64,
    /// Playing?
    pub playing: bool,
    /// Playback speed: virtual seconds per real second.
    pub speed: f64,
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
    /// What the comparison runs against.
    pub compare_with: doc::CompareWith,
}

/// A message across the top of the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    /// True for problems, false for information.
    pub error: bool,
    /// The message (plain text, never markup).
    pub text: String,
    /// Offer to bring the saved draft back.
    pub offer_draft: bool,
}

/// Something that happened.
#[derive(Debug)]
pub enum Action {
    /// Replace the scenario with a built-in example.
    LoadExample(String),
    /// Change the document.
    Edit(Edit),
    /// The runner advanced.
    RunProgress(u64, f64),
    /// The runner finished revision `.0`.
    RunFinished(Rc<RunView>),
    /// The runner failed on a revision.
    RunFailed(u64, String),
    /// Show another endpoint's stack.
    SelectEndpoint(usize),
    /// Edit another service.
    SelectService(usize),
    /// Open a request in the inspector (or close it).
    SelectRequest(Option<u32>),
    /// Move the play head.
    Seek(u64),
    /// Play or pause.
    TogglePlay,
    /// Advance playback by this many real milliseconds.
    Tick(f64),
    /// Set the playback speed.
    SetSpeed(f64),
    /// Show `[from, to)` on the time axis.
    SetWindow(u64, u64),
    /// Open or close the keyboard help.
    ToggleHelp,
    /// Open or close the gallery.
    ToggleGallery,
    /// Follow a URL fragment (a new example, link or embed).
    Route(Route),
    /// Replace the scenario with one from a file, or say why the file was refused.
    Import(Result<Scenario, String>),
    /// Bring the saved draft back (and autosave again).
    RestoreDraft,
    /// Keep working on what is open; it becomes the draft.
    KeepAsDraft,
    /// Show a message.
    Notify(Banner),
    /// Hide the message.
    DismissBanner,
    /// Compare against something else.
    CompareWith(doc::CompareWith),
}

/// A change to the scenario document.
#[derive(Debug)]
pub enum Edit {
    /// Set a value at a JSON pointer.
    Set(String, Value),
    /// Remove the value at a JSON pointer.
    Remove(String),
    /// Append a layer of this kind to the current endpoint's stack (innermost).
    AddLayer(String),
    /// Move a layer of the current endpoint's stack.
    MoveLayer {
        /// Its index now.
        from: usize,
        /// Its index after the move.
        to: usize,
    },
    /// Remove a layer of the current endpoint's stack.
    RemoveLayer(usize),
    /// Add a fault of this kind to the current service.
    AddFault(String),
    /// Pick a new random seed.
    RerollSeed,
}

impl State {
    /// The state showing example `name`.
    pub fn with_example(name: &str) -> Self {
        let json = examples::get(name).or_else(|| examples::get(examples::DEFAULT)).unwrap_or("{}");
        let doc: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let mut state = Self {
            doc,
            example: name.to_owned(),
            problems: Vec::new(),
            scenario: None,
            revision: 0,
            doc_version: 0,
            result: None,
            running: None,
            run_error: None,
            endpoint: 0,
            service: 0,
            selected_request: None,
            cursor_us: 0,
            playing: false,
            speed: 5.0,
            window: (0, 1),
            help: false,
            banner: None,
            autosave: true,
            embed: None,
            gallery: false,
            compare_with: doc::CompareWith::NoPatterns,
        };
        state.revalidate();
        state.reset_window();
        state
    }

    /// The state a page opens with: what its fragment asks for, over the saved draft.
    pub fn initial(route: Route, draft: Option<String>) -> Self {
        let draft_doc = draft.and_then(|d| serde_json::from_str::<Value>(&d).ok());
        let mut state = match route {
            Route::Embed(options, source) => {
                let mut state = Self::initial(*source, None);
                state.autosave = false;
                state.cursor_us = options.start_us;
                state.playing = false;
                state.embed = Some(options);
                return state;
            }
            Route::Example(name) => {
                let mut state = Self::with_example(&name);
                if examples::get(&name).is_none() {
                    state.banner = Some(Banner {
                        error: true,
                        text: format!("There is no example called {name:?}; showing the default one."),
                        offer_draft: false,
                    });
                }
                state
            }
            Route::Link(Ok((scenario, view))) => {
                let mut state = Self::with_example(examples::DEFAULT);
                state.load_doc(serde_json::to_value(&scenario).unwrap_or(Value::Null), "shared link");
                state.apply_view(&view);
                state
            }
            Route::Link(Err(message)) => {
                let mut state = match &draft_doc {
                    Some(doc) => Self::from_doc(doc.clone(), "my draft"),
                    None => Self::with_example(examples::DEFAULT),
                };
                state.banner = Some(Banner {
                    error: true,
                    text: format!("This link could not be opened: {message}. Nothing else was changed."),
                    offer_draft: false,
                });
                return state;
            }
            Route::Home => match &draft_doc {
                Some(doc) => return Self::from_doc(doc.clone(), "my draft"),
                None => Self::with_example(examples::DEFAULT),
            },
        };
        if draft_doc.as_ref().is_some_and(|d| *d != state.doc) {
            state.autosave = false;
            if state.banner.is_none() {
                state.banner = Some(Banner {
                    error: false,
                    text: "You opened a shared scenario. Your own draft is kept and will not be overwritten.".into(),
                    offer_draft: true,
                });
            }
        }
        state
    }

    /// The state editing `doc` (valid or not), labelled `origin`.
    fn from_doc(doc: Value, origin: &str) -> Self {
        let mut state = Self::with_example(examples::DEFAULT);
        state.load_doc(doc, origin);
        state
    }

    fn load_doc(&mut self, doc: Value, origin: &str) {
        self.doc = doc;
        self.compare_with = doc::CompareWith::NoPatterns;
        self.example = origin.to_owned();
        self.endpoint = 0;
        self.service = 0;
        self.selected_request = None;
        self.revalidate();
        self.reset_window();
    }

    fn apply_view(&mut self, view: &resilience_engine::scenario::link::SharedView) {
        let endpoints = self.scenario.as_ref().map_or(1, |s| s.endpoints.len());
        self.endpoint = view.endpoint.min(endpoints.saturating_sub(1));
        self.selected_request = view.request;
        self.cursor_us = view.cursor_us;
        if let Some([from, to]) = view.window.filter(|[from, to]| to > from) {
            self.window = (from, to);
        }
    }

    /// What the viewer is looking at, for a share link.
    pub fn shared_view(&self) -> resilience_engine::scenario::link::SharedView {
        resilience_engine::scenario::link::SharedView {
            endpoint: self.endpoint,
            request: self.selected_request,
            cursor_us: self.cursor_us,
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
            Ok(scenario) => {
                self.problems = scenario.validate();
                if self.problems.is_empty() {
                    self.scenario = Some(Rc::new(scenario));
                    self.revision += 1;
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

    fn edit(&mut self, edit: Edit) {
        let stack = format!("/endpoints/{}/stack", self.endpoint);
        match edit {
            Edit::Set(pointer, value) => {
                doc::set(&mut self.doc, &pointer, value);
            }
            Edit::Remove(pointer) => doc::remove(&mut self.doc, &pointer),
            Edit::AddLayer(kind) => {
                if let Some(Value::Array(layers)) = self.doc.pointer_mut(&stack) {
                    layers.push(doc::new_layer(&kind));
                } else {
                    doc::set(&mut self.doc, &stack, Value::Array(vec![doc::new_layer(&kind)]));
                }
            }
            Edit::MoveLayer { from, to } => {
                self.compare_with = doc::CompareWith::NoPatterns;
                if let Some(Value::Array(layers)) = self.doc.pointer_mut(&stack) {
                    if from < layers.len() && to < layers.len() {
                        let layer = layers.remove(from);
                        layers.insert(to, layer);
                    }
                }
            }
            Edit::RemoveLayer(index) => {
                self.compare_with = doc::CompareWith::NoPatterns;
                doc::remove(&mut self.doc, &format!("{stack}/{index}"));
            }
            Edit::AddFault(kind) => {
                let duration_s = self.scenario.as_ref().map_or(60, |s| s.duration.as_micros() / 1_000_000).max(2);
                let fault = doc::new_fault(&kind, duration_s / 3, duration_s * 2 / 3);
                let faults = format!("/services/{}/faults", self.service);
                if let Some(Value::Array(list)) = self.doc.pointer_mut(&faults) {
                    list.push(fault);
                } else {
                    doc::set(&mut self.doc, &faults, Value::Array(vec![fault]));
                }
            }
            Edit::RerollSeed => {
                let seed = self.doc["seed"].as_u64().unwrap_or(0);
                let next = resilience_engine::rng::splitmix64(seed ^ self.revision) % 1_000_000;
                self.doc["seed"] = next.into();
            }
        }
        self.revalidate();
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::LoadExample(name) => {
                let doc = examples::get(&name).and_then(|json| serde_json::from_str(json).ok()).unwrap_or(Value::Null);
                next.load_doc(doc, &name);
                next.gallery = false;
            }
            Action::Edit(edit) => next.edit(edit),
            Action::RunProgress(revision, progress) if revision == next.revision => next.running = Some(progress),
            Action::RunFinished(view) if view.revision == next.revision => {
                next.running = None;
                next.run_error = None;
                if next.result.as_ref().is_none_or(|r| r.scenario.duration != view.scenario.duration) {
                    next.window = (0, view.scenario.duration.as_micros().max(1));
                }
                next.cursor_us = next.cursor_us.min((view.report.summary.virtual_end_s * 1e6) as u64);
                next.selected_request = next.selected_request.filter(|id| (*id as usize) < view.derived.journeys.len());
                next.result = Some(view);
            }
            Action::RunFailed(revision, message) if revision == next.revision => {
                next.running = None;
                next.run_error = Some(message);
            }
            Action::SelectEndpoint(i) => next.endpoint = i,
            Action::SelectService(i) => next.service = i,
            Action::SelectRequest(id) => next.selected_request = id,
            Action::Seek(t) => next.cursor_us = t.min(next.end_us()),
            Action::TogglePlay => {
                if !next.playing && next.cursor_us >= next.end_us() {
                    next.cursor_us = 0;
                }
                next.playing = !next.playing;
            }
            Action::Tick(real_ms) => {
                let advance = (real_ms * 1_000.0 * next.speed) as u64;
                next.cursor_us = next.cursor_us.saturating_add(advance).min(next.end_us());
                if next.cursor_us >= next.end_us() {
                    next.playing = false;
                }
            }
            Action::SetSpeed(speed) => next.speed = speed.clamp(0.1, 1_000.0),
            Action::SetWindow(from, to) => {
                let end = next.end_us().max(next.window.1).max(1);
                let (from, to) = (from.min(end), to.min(end));
                if to > from + 1_000 {
                    next.window = (from, to);
                }
            }
            Action::ToggleHelp => next.help = !next.help,
            Action::ToggleGallery => next.gallery = !next.gallery,
            Action::Route(route) => {
                let result = next.result.take();
                let revision = next.revision;
                next = Self::initial(route, share::load_draft());
                next.revision = revision + 1;
                next.result = result;
            }
            Action::Import(Ok(scenario)) => {
                let name = scenario.name.clone();
                next.load_doc(serde_json::to_value(&scenario).unwrap_or(Value::Null), "imported file");
                next.banner =
                    Some(Banner { error: false, text: format!("Opened {name:?} from the file."), offer_draft: false });
            }
            Action::Import(Err(message)) => {
                next.banner = Some(Banner {
                    error: true,
                    text: format!("That file could not be opened: {message}. Nothing was changed."),
                    offer_draft: false,
                });
            }
            Action::RestoreDraft => {
                if let Some(doc) = share::load_draft().and_then(|d| serde_json::from_str::<Value>(&d).ok()) {
                    next.load_doc(doc, "my draft");
                }
                next.autosave = true;
                next.banner = None;
            }
            Action::KeepAsDraft => {
                next.autosave = true;
                next.banner = None;
            }
            Action::Notify(banner) => next.banner = Some(banner),
            Action::DismissBanner => next.banner = None,
            Action::CompareWith(with) => next.compare_with = with,
            _ => return self,
        }
        Rc::new(next)
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
