//! The embed mode: a compact, read-only player for iframes in blog posts and docs. It shows
//! the chosen panels and the play controls, links back to the full playground, plays only while
//! it is on screen, and needs no storage (it works in `sandbox="allow-scripts"`).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::charts::Charts;
use super::replay_bar::ReplayBar;
use super::stack_diagram::StackDiagram;
use super::summary_table::SummaryTable;
use super::timeline::Timeline;
use crate::share;
use crate::state::{Action, AppContext, use_app};

/// Pauses playback while the player is scrolled out of view, and resumes what it paused.
#[hook]
fn use_pause_offscreen(state: &AppContext, root: NodeRef) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    use_effect_with((), move |_| {
        let paused_by_us = Rc::new(Cell::new(false));
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let visible = entries
                .iter()
                .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                .any(|e| e.is_intersecting());
            let state = latest.borrow().clone();
            if !visible && state.playing {
                paused_by_us.set(true);
                state.dispatch(Action::TogglePlay);
            } else if visible && !state.playing && paused_by_us.replace(false) {
                state.dispatch(Action::TogglePlay);
            }
        });
        let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let (Some(observer), Some(element)) = (&observer, root.cast::<web_sys::Element>()) {
            observer.observe(&element);
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}

/// The compact player.
#[function_component(Embed)]
pub fn embed() -> Html {
    let state = use_app();
    let root = use_node_ref();
    use_pause_offscreen(&state, root.clone());
    let autoplayed = use_mut_ref(|| false);
    {
        let state = state.clone();
        use_effect_with(state.result.as_ref().map(|r| r.revision), move |revision| {
            let wants = state.embed.as_ref().is_some_and(|e| e.autoplay);
            if revision.is_some() && wants && !*autoplayed.borrow() {
                *autoplayed.borrow_mut() = true;
                state.dispatch(Action::TogglePlay);
            }
        });
    }
    let Some(options) = &state.embed else { return html! {} };
    let title = state.doc["name"].as_str().unwrap_or("").to_owned();
    let open_href = state.scenario.as_ref().map(|s| share::share_url(s, &state.shared_view()));
    let panels = options.panels.iter().map(|panel| match panel.as_str() {
        "timeline" => html! { <Timeline /> },
        "charts" => html! { <Charts /> },
        "diagram" => html! { <StackDiagram /> },
        "summary" => match &state.result {
            Some(result) => {
                html! { <section class="panel"><SummaryTable summary={result.report.summary.clone()} /></section> }
            }
            None => html! {},
        },
        _ => stack_list(&state),
    });
    html! {
        <div class="embed" ref={root}>
            <header class="embed-head">
                <strong id="scenario-title">{ title }</strong>
                if let Some(href) = open_href {
                    <a id="open-playground" href={href} target="_blank" rel="noopener">{ "Open in playground ↗" }</a>
                }
            </header>
            if state.result.is_none() { <p class="muted">{ "Running…" }</p> }
            if let Some(banner) = &state.banner { <p class="banner error" role="alert">{ banner.text.clone() }</p> }
            <ReplayBar />
            { for panels }
        </div>
    }
}

fn stack_list(state: &AppContext) -> Html {
    let stack = state.doc["endpoints"][state.endpoint]["stack"].as_array().cloned().unwrap_or_default();
    let items = stack.iter().enumerate().map(|(i, layer)| {
        let kind = crate::doc::variant(Some(layer));
        html! { <li>{ format!("{}. {}", i + 1, kind.replace('_', " ")) }</li> }
    });
    html! { <section class="panel"><h2>{ "Stack, outermost first" }</h2><ol>{ for items }</ol></section> }
}
