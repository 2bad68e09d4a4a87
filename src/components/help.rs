//! The keyboard help overlay.

use yew::prelude::*;

use super::dialog::Dialog;
use crate::state::{Action, AppContext};

/// Shortcut, what it does.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "play or pause"),
    ("→ / ←", "next / previous event"),
    ("Shift + →", "next state change"),
    ("Home / End", "start / end of the run"),
    ("+ / − / 0", "zoom in / out / whole run"),
    ("Alt + ↑ / ↓", "move the focused layer up / down"),
    ("← / → on the timeline", "previous / next request"),
    ("Ctrl + Z / Ctrl + Shift + Z", "undo / redo a change"),
    ("Esc", "close the inspector or this help"),
    ("?", "this help"),
];

/// The overlay (shown when `state.help`).
pub fn help(state: &AppContext) -> Html {
    if !state.help {
        return html! {};
    }
    let close = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ToggleHelp))
    };
    html! {
        <Dialog labelled_by="help-title">
            <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
            <dl>{ for SHORTCUTS.iter().map(|(key, what)| html! { <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></> }) }</dl>
            <button id="help-close" onclick={close}>{ "Close" }</button>
        </Dialog>
    }
}
