//! The page's keyboard shortcuts: replay (Space, arrows, Home/End), zoom (+, −, 0), help (?),
//! Escape, and undo/redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y). None fire while typing in a field, and
//! the focused timeline keeps its arrows for moving between requests.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::components::replay_bar::{next_state_change, step_event, zoom};
use crate::playback::{PlaybackAction, PlaybackContext};
use crate::state::{Action, AppContext};

/// Global keyboard shortcuts (not while typing in a field).
#[hook]
pub fn use_shortcuts(state: &AppContext, playback: &PlaybackContext) {
    let latest = use_mut_ref(|| (state.clone(), playback.clone()));
    *latest.borrow_mut() = (state.clone(), playback.clone());
    use_effect_with((), move |_| {
        let handler = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
            on_key(&latest, &event)
        });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = document {
                let _ = document.remove_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
            }
        }
    });
}

fn on_key(latest: &Rc<RefCell<(AppContext, PlaybackContext)>>, event: &web_sys::KeyboardEvent) {
    let (state, playback) = latest.borrow().clone();
    let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let typing = target.as_ref().is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
    // The timeline handles its own arrows (they move between requests there).
    let on_timeline = target.as_ref().is_some_and(|e| e.id() == "timeline");
    let key = event.key();
    if !typing && (event.ctrl_key() || event.meta_key()) && !event.alt_key() {
        return undo_keys(&state, event, &key);
    }
    if key == "Escape" {
        return escape(&state);
    }
    if typing || on_timeline || event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    let cursor_us = playback.cursor_us;
    let handled = match key.as_str() {
        " " => {
            if event.target().and_then(|t| t.dyn_into::<web_sys::HtmlButtonElement>().ok()).is_some() {
                return;
            }
            playback.dispatch(PlaybackAction::Toggle);
            true
        }
        "ArrowRight" if event.shift_key() => seek(&playback, next_state_change(&state, cursor_us)),
        "ArrowRight" => seek(&playback, step_event(&state, cursor_us, true)),
        "ArrowLeft" => seek(&playback, step_event(&state, cursor_us, false)),
        "Home" => seek(&playback, Some(0)),
        "End" => seek(&playback, Some(state.end_us())),
        "+" | "=" => {
            zoom(&state, cursor_us, 0.5);
            true
        }
        "-" => {
            zoom(&state, cursor_us, 2.0);
            true
        }
        "0" => {
            let duration = state.scenario.as_ref().map_or(1, |s| s.duration.as_micros());
            state.dispatch(Action::SetWindow(0, duration));
            true
        }
        "?" => {
            state.dispatch(Action::ToggleHelp);
            true
        }
        _ => false,
    };
    if handled {
        event.prevent_default();
    }
}

/// Ctrl/⌘+Z undoes, Ctrl/⌘+Shift+Z and Ctrl/⌘+Y redo.
fn undo_keys(state: &AppContext, event: &web_sys::KeyboardEvent, key: &str) {
    let undo = match key.to_ascii_lowercase().as_str() {
        "z" if event.shift_key() => Some(Action::Redo),
        "z" => Some(Action::Undo),
        "y" => Some(Action::Redo),
        _ => None,
    };
    if let Some(action) = undo {
        event.prevent_default();
        state.dispatch(action);
    }
}

/// Escape closes the help, else the odds dialog, else the gallery, else the inspector.
fn escape(state: &AppContext) {
    if state.help {
        state.dispatch(Action::ToggleHelp);
    } else if state.odds {
        crate::components::odds::close(state);
    } else if state.gallery {
        state.dispatch(Action::ToggleGallery);
    } else {
        state.dispatch(Action::SelectRequest(None));
    }
}

fn seek(playback: &PlaybackContext, target: Option<u64>) -> bool {
    if let Some(t) = target {
        playback.dispatch(PlaybackAction::Seek(t));
    }
    true
}
