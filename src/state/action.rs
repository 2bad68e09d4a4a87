//! What can happen to the app's state: the actions the reducer takes, and the document edits.

use std::rc::Rc;

use serde_json::Value;

use super::{Banner, RunView};
use crate::doc;
use crate::share::Route;

/// Something that happened.
#[derive(Debug)]
pub enum Action {
    /// Replace the scenario with a built-in example.
    LoadExample(String),
    /// Change the document.
    Edit(Edit),
    /// The worker chunk analysed a run (claims, insights, breaker causes).
    Analysed(Rc<crate::components::analysis::Analysis>),
    /// The runner advanced.
    RunProgress(u64, f64),
    /// The runner finished revision `.0`.
    RunFinished(Rc<RunView>),
    /// The runner failed on a revision.
    RunFailed(u64, String),
    /// The run of a revision used up its CPU budget and waits (why, in words).
    RunStopped(u64, String),
    /// Give the stopped run another budget.
    ContinueRun,
    /// Show another endpoint's stack.
    SelectEndpoint(usize),
    /// Edit another service.
    SelectService(usize),
    /// Open a request in the inspector (or close it).
    SelectRequest(Option<u32>),
    /// Show `[from, to)` on the time axis.
    SetWindow(u64, u64),
    /// Open or close the keyboard help.
    ToggleHelp,
    /// Open or close the gallery.
    ToggleGallery,
    /// Open or close the odds dialog (its batch goes on in the worker either way).
    ToggleOdds,
    /// Follow a URL fragment (a new example, link or embed), over the saved draft.
    Route(Route, Option<String>),
    /// Replace the scenario with one from a file, or say why the file was refused.
    Import(Result<Value, String>),
    /// Bring the saved draft (read from storage by the caller) back, and autosave again.
    RestoreDraft(Option<String>),
    /// Keep working on what is open; it becomes the draft.
    KeepAsDraft,
    /// Show a message.
    Notify(Banner),
    /// Hide the message.
    DismissBanner,
    /// Compare against something else.
    CompareWith(doc::CompareWith),
    /// Go back to the document before the last change.
    Undo,
    /// Go forward again after an undo.
    Redo,
}

/// A change to the scenario document.
#[derive(Debug)]
pub enum Edit {
    /// Set a value at a JSON pointer.
    Set(String, Value),
    /// Set several values at once, as one step (for example both ends of a fault window).
    SetMany(Vec<(String, Value)>),
    /// One move of a drag: like `SetMany`, but consecutive moves of the same values are one
    /// undo step.
    Drag(Vec<(String, Value)>),
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
