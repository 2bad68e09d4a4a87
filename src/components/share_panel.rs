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
    let doc = Rc::clone(&state.scenario_doc);
    let copy_link = {
        let state = state.clone();
        let cursor = cursor.clone();
        let shown = shown.clone();
        let doc = Rc::clone(&doc);
        Callback::from(move |_| {
            let url = share::share_url(&doc, &state.shared_view(cursor.0.get()));
            if let Some(fragment) = url.split_once('#').map(|(_, f)| format!("#{f}")) {
                share::replace_fragment(&fragment);
            }
            let copied = share::copy_to_clipboard(&url);
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
            state.dispatch(Action::Notify(Banner {
                error: length > share::LINK_WARN_CHARS,
                text,
                ..Banner::default()
            }));
            shown.set(Some(("link".into(), url)));
        })
    };
    let copy_embed = {
        let shown = shown.clone();
        Callback::from(move |_| {
            let snippet = share::embed_snippet(&doc, &state.shared_view(cursor.0.get()));
            let copied = share::copy_to_clipboard(&snippet);
            let text = if copied {
                "Embed code copied: paste it into your page."
            } else {
                "Copy the embed code from the box below."
            };
            state.dispatch(Action::Notify(Banner { error: false, text: text.into(), ..Banner::default() }));
            shown.set(Some(("embed code".into(), snippet)));
        })
    };
    html! {
        <span class="share">
            <button id="copy-link" onclick={copy_link}>{ "Copy link" }</button>
            <button id="copy-embed" onclick={copy_embed}>{ "Copy embed code" }</button>
            if let Some((label, text)) = &*shown {
                <label class="share-text">{ label.clone() }
                    <input id="share-text" type="text" readonly=true value={text.clone()} />
                </label>
            }
        </span>
    }
}
