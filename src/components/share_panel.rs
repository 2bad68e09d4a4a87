//! Share: a link that carries the scenario and the view (in the URL fragment, never sent to a
//! server), and the `<iframe>` code that embeds it.

use std::rc::Rc;

use yew::prelude::*;

use crate::share;
use crate::state::{Action, Banner, use_app};

/// The share controls.
#[function_component(SharePanel)]
pub fn share_panel() -> Html {
    let state = use_app();
    let cursor = crate::playback::use_cursor_cell();
    let shown = use_state(|| None::<(String, String)>);
    if state.scenario.is_none() {
        return html! { <button disabled=true title="Fix the scenario first">{ "Copy link" }</button> };
    }
    let copy = |what: &'static str| {
        let state = state.clone();
        let cursor = cursor.clone();
        let shown = shown.clone();
        Callback::from(move |_| {
            let (state, shown, doc) = (state.clone(), shown.clone(), Rc::clone(&state.scenario_doc));
            share::with_payload(&doc.clone(), &state.shared_view(cursor.0.get()), move |payload| match payload {
                Ok(payload) if what == "link" => copied_link(&state, &shown, &share::share_url(&payload)),
                Ok(payload) => copied_embed(&state, &shown, share::embed_snippet(&doc, &payload)),
                Err(error) => state.dispatch(Action::Notify(Banner {
                    error: true,
                    text: format!("No link: {error}"),
                    ..Banner::default()
                })),
            });
        })
    };
    html! {
        <span class="share">
            <button id="copy-link" onclick={copy("link")}>{ "Copy link" }</button>
            <button id="copy-embed" onclick={copy("embed")}>{ "Copy embed code" }</button>
            if let Some((label, text)) = &*shown {
                <label class="share-text">{ label.clone() }
                    <input id="share-text" type="text" readonly=true value={text.clone()} />
                </label>
            }
        </span>
    }
}

type Shown = UseStateHandle<Option<(String, String)>>;

/// Copies the share link, puts it in the fragment and the text box, and says how long it is.
fn copied_link(state: &crate::state::AppContext, shown: &Shown, url: &str) {
    if let Some(fragment) = url.split_once('#').map(|(_, f)| format!("#{f}")) {
        share::replace_fragment(&fragment);
    }
    let copied = share::copy_to_clipboard(url);
    let length = url.chars().count();
    let text = if length > share::LINK_WARN_CHARS {
        format!(
            "This link is {length} characters long; some chats and tools cut long links. Use File → Download JSON to share this scenario instead."
        )
    } else if copied {
        format!("Link copied ({length} characters). Anyone who opens it sees exactly this run.")
    } else {
        format!("Copy this link ({length} characters) from the box below.")
    };
    state.dispatch(Action::Notify(Banner { error: length > share::LINK_WARN_CHARS, text, ..Banner::default() }));
    shown.set(Some(("link".into(), url.to_owned())));
}

/// Copies the embed code and puts it in the text box.
fn copied_embed(state: &crate::state::AppContext, shown: &Shown, snippet: String) {
    let text = if share::copy_to_clipboard(&snippet) {
        "Embed code copied: paste it into your page."
    } else {
        "Copy the embed code from the box below."
    };
    state.dispatch(Action::Notify(Banner { error: false, text: text.into(), ..Banner::default() }));
    shown.set(Some(("embed code".into(), snippet)));
}
