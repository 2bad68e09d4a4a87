//! The embed mode: a compact, read-only player for iframes in blog posts and docs. It shows
//! the chosen panels and the play controls, links back to the full playground, plays only while
//! it is on screen (see `embed_host`), and needs no storage (it works in `sandbox="allow-scripts"`).
//! The same component serves iframes (`#embed&…`) and players mounted by `www/player.js`.

use yew::prelude::*;

use super::analysis::ClaimsPanel;
use super::deferred::{Deferred, Render};
use super::embed_host::{use_onscreen_playback, use_report_height};
use super::replay_bar::ReplayBar;
use super::stack_diagram::StackDiagram;
use super::summary_table::SummaryTable;
use super::timeline::Timeline;
use crate::playback::use_playback;
use crate::share;
use crate::state::{AppContext, use_app};

/// The compact player.
#[function_component(Embed)]
pub fn embed() -> Html {
    let state = use_app();
    let playback = use_playback();
    let cursor = crate::playback::use_cursor_cell();
    let root = use_node_ref();
    use_onscreen_playback(&state, &playback, root.clone());
    let revision = state.result.as_ref().map(|r| r.revision);
    use_report_height(root.clone(), state.embed.as_ref().map(|e| e.id.clone()).unwrap_or_default());
    // The link back carries the scenario and view as they were at this run; the worker chunk
    // encodes it.
    let open_href = use_state(|| None::<String>);
    {
        let (state, open_href) = (state.clone(), open_href.clone());
        use_effect_with(revision, move |_| {
            let home = match &state.embed {
                Some(options) if !options.home.is_empty() => options.home.clone(),
                _ => share::page_base(),
            };
            if state.scenario.is_some() {
                share::with_payload(&state.scenario_doc, &state.shared_view(cursor.0.get()), move |payload| {
                    open_href.set(payload.ok().map(|p| format!("{home}#s={p}")));
                });
            }
            // The sweep panel, drawn by the worker (again after a cell's run opened in it).
            if state.doc.get("sweep").is_some()
                && state.embed.as_ref().is_some_and(|o| o.panels.iter().any(|p| p == "sweep"))
            {
                super::odds::draw_sweep_panel(&state);
            }
        });
    }
    let Some(options) = &state.embed else { return html! {} };
    // The forced theme sits on the player's own root, so it also works inside a shadow root.
    let theme = (!options.theme.is_empty()).then(|| options.theme.clone());
    let title = state.doc["name"].as_str().unwrap_or("").to_owned();
    // The first panel draws with the first result; the others when they come into view or
    // once the page's later wasm part is in (components/deferred.rs).
    let panels = options.panels.iter().enumerate().map(|(index, panel)| {
        let (render, placeholder_height) = panel_renderer(panel);
        match placeholder_height {
            Some(placeholder_height) if index > 0 => html! { <Deferred {render} {placeholder_height} /> },
            _ => render(&state),
        }
    });
    html! {
        <div class="embed" ref={root} data-theme={theme}>
            <header class="embed-head">
                <strong id="scenario-title">{ title }</strong>
                if let Some(href) = (*open_href).clone() {
                    <a id="open-playground" href={href} target="_blank" rel="noopener">{ "Open in playground ↗" }</a>
                }
            </header>
            if state.result.is_none() && state.run_stopped.is_none() { <p class="muted">{ "Running…" }</p> }
            { super::run_stopped::run_stopped(&state) }
            if let Some(banner) = &state.banner {
                if banner.error { <p class="banner error" role="alert">{ banner.text.clone() }</p> }
                else { <p class="banner" role="status">{ banner.text.clone() }</p> }
            }
            <ReplayBar />
            { for panels }
        </div>
    }
}

/// How one of the embed's panels draws, and about how tall it is (for its placeholder); `None`
/// for a panel that draws at once wherever it is: the sweep panel, which the worker fills by
/// its elements' ids whenever its reply comes.
fn panel_renderer(panel: &str) -> (Render, Option<&'static str>) {
    match panel {
        "timeline" => (|_| html! { <Timeline /> }, Some("22rem")),
        "charts" => (|state| super::charts::charts(state), Some("36rem")),
        "diagram" => (|_| html! { <StackDiagram /> }, Some("24rem")),
        "claims" => (|_| html! { <ClaimsPanel /> }, Some("0")),
        "sweep" => (sweep, None),
        "summary" => (summary, Some("24rem")),
        _ => (stack_list, Some("8rem")),
    }
}

/// The sweep panel, when the scenario has a sweep.
fn sweep(state: &AppContext) -> Html {
    if state.doc.get("sweep").is_some() {
        super::odds::sweep_panel(state)
    } else {
        html! {}
    }
}

/// The run's summary table.
fn summary(state: &AppContext) -> Html {
    match &state.result {
        Some(result) => html! { <section class="panel"><SummaryTable run={result.clone()} /></section> },
        None => html! {},
    }
}

fn stack_list(state: &AppContext) -> Html {
    let stack = state.doc["endpoints"][state.endpoint]["stack"].as_array().cloned().unwrap_or_default();
    // The list numbers the layers itself.
    let items = stack.iter().map(|layer| html! { <li>{ crate::doc::variant(Some(layer)).replace('_', " ") }</li> });
    html! { <section class="panel"><h2>{ "Stack, outermost first" }</h2><ol>{ for items }</ol></section> }
}
