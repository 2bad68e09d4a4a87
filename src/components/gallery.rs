//! The gallery: the built-in examples, each with its story; reachable as `#example/<name>`.

use resilience_engine::{Scenario, examples};
use yew::prelude::*;

use super::dialog::Dialog;
use crate::state::{Action, use_app};

/// The gallery dialog, drawn while `state.gallery` (a component: the app around it draws again
/// on every playback tick).
#[function_component(Gallery)]
pub fn gallery() -> Html {
    let state = use_app();
    let close = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ToggleGallery))
    };
    let cards = examples::ALL.iter().map(|(name, json)| {
        let scenario = Scenario::parse(json).ok();
        let (title, description) = scenario.map(|s| (s.name, s.description)).unwrap_or_default();
        let dispatch = state.dispatcher();
        let name_owned = (*name).to_owned();
        let open = Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            crate::share::replace_fragment(&format!("#example/{name_owned}"));
            dispatch.dispatch(Action::LoadExample(name_owned.clone()));
        });
        html! {
            <li class="gallery-card">
                <a href={format!("#example/{name}")} onclick={open}><strong>{ title }</strong></a>
                <p>{ description }</p>
            </li>
        }
    });
    html! {
        <Dialog labelled_by="gallery-title" class="gallery">
            <h2 id="gallery-title">{ "Gallery" }<button class="close" aria-label="Close the gallery" onclick={close}>{ "✕" }</button></h2>
            <ul>{ for cards }</ul>
        </Dialog>
    }
}
