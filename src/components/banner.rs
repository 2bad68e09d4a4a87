//! The message across the top: bad links and files, and the kept draft. Always plain text.

use yew::prelude::*;

use crate::state::{Action, AppContext, State};

/// The banner, when there is something to say.
pub fn banner(state: &AppContext) -> Html {
    let Some(banner) = &state.banner else { return html! {} };
    let dispatcher = state.dispatcher();
    let dismiss = then_results(&dispatcher, || Action::DismissBanner);
    let restore = then_results(&dispatcher, || Action::RestoreDraft(crate::share::load_draft()));
    let undo = then_results(&dispatcher, || Action::Undo);
    let keep = then_results(&dispatcher, || Action::KeepAsDraft);
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

/// A button of the banner: dispatches `action` (the banner goes with it), then puts the focus on
/// the results, which come next in reading order, so that a keyboard's place is not lost.
fn then_results(dispatcher: &UseReducerDispatcher<State>, action: fn() -> Action) -> Callback<MouseEvent> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |_| {
        dispatcher.dispatch(action());
        let _ = crate::dom_events::focus_first("#results");
    })
}
