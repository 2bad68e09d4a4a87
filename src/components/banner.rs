//! The message across the top: bad links and files, and the kept draft. Always plain text.

use yew::prelude::*;

use crate::state::{Action, AppContext};

/// The banner, when there is something to say.
pub fn banner(state: &AppContext) -> Html {
    let Some(banner) = &state.banner else { return html! {} };
    let dismiss = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::DismissBanner))
    };
    let restore = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::RestoreDraft(crate::share::load_draft())))
    };
    let undo = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::Undo))
    };
    let keep = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::KeepAsDraft))
    };
    html! {
        <div id="banner" class={classes!("banner", banner.error.then_some("error"))} role={if banner.error { "alert" } else { "status" }}>
            <span>{ if banner.error { "⚠ " } else { "ℹ " } }{ banner.text.clone() }</span>
            if banner.offer_draft {
                <button id="restore-draft" onclick={restore}>{ "Restore my draft" }</button>
                <button id="keep-draft" onclick={keep}>{ "Work on this instead" }</button>
            }
            if banner.offer_undo {
                <button id="banner-undo" onclick={undo}>{ "Undo" }</button>
            }
            <button class="close" aria-label="Dismiss" onclick={dismiss}>{ "✕" }</button>
        </div>
    }
}
