//! The notice of a run that stopped at its CPU budget, with the button that continues it.

use yew::prelude::*;

use crate::state::{Action, AppContext};

/// Shown while a run waits at its budget; nothing otherwise.
pub fn run_stopped(state: &AppContext) -> Html {
    let Some(message) = state.run_stopped.clone() else { return html! {} };
    let resume = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ContinueRun))
    };
    html! {
        <p class="notice run-stopped" role="status" id="run-stopped">
            <span>{ format!("⏸ {message}") }</span>
            <button id="continue-run" onclick={resume}>{ "Continue" }</button>
        </p>
    }
}
