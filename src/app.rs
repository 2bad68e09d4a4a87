//! The playground: the stack, service and load editors on the left; replay, timeline, charts,
//! summary, comparison and inspector on the right. One reducer state shared through a context;
//! one hook owns the playback timer, one the runner, one the keyboard (`crate::shortcuts`).

use std::rc::Rc;

use gloo_timers::callback::Interval;
use resilience_engine::examples;
use yew::prelude::*;

use crate::components::analysis::{ClaimsPanel, use_analysis};
use crate::components::deferred::{Deferred, Render};
use crate::components::embed::Embed;
use crate::components::file_menu::{self, import_file};
use crate::components::inspector::Inspector;
use crate::components::library_io;
use crate::components::load_editor::LoadEditor;
use crate::components::menu::{Items, Menu};
use crate::components::replay_bar::ReplayBar;
use crate::components::service_editor::ServiceEditor;
use crate::components::share_panel::SharePanel;
use crate::components::stack_builder::StackBuilder;
use crate::components::summary_table::SummaryTable;
use crate::components::timeline::Timeline;
use crate::number::fixed;
use crate::playback::{CursorCell, Playback, PlaybackAction, PlaybackContext};
use crate::runner::use_runner;
use crate::share;
use crate::state::{Action, AppContext, EditorContext, FIRST_EXAMPLE, State, use_app};

/// Milliseconds between playback ticks.
const TICK_MS: u32 = 33;

/// The play head's reducer, kept in step with the document: it resets when another document
/// opens and learns each new run's end. Owns the only timer of playback.
#[hook]
fn use_play_head(state: &AppContext) -> (PlaybackContext, CursorCell) {
    let start_us = state.start_us;
    let playback = use_reducer(move || Playback { cursor_us: start_us, ..Playback::default() });
    let seek_to = playback.dispatcher();
    let cell = use_memo((), move |_| {
        CursorCell(Rc::default(), Callback::from(move |at_us| seek_to.dispatch(PlaybackAction::Seek(at_us))))
    });
    cell.0.set(playback.cursor_us);
    {
        let dispatcher = playback.dispatcher();
        use_effect_with(state.load_id, move |_| dispatcher.dispatch(PlaybackAction::Reset(start_us)));
    }
    {
        let dispatcher = playback.dispatcher();
        let end_us = state.end_us();
        use_effect_with(end_us, move |end_us| dispatcher.dispatch(PlaybackAction::SetEnd(*end_us)));
    }
    let dispatcher = playback.dispatcher();
    use_effect_with(playback.playing, move |playing| {
        let interval = playing
            .then(|| Interval::new(TICK_MS, move || dispatcher.dispatch(PlaybackAction::Tick(f64::from(TICK_MS)))));
        move || drop(interval)
    });
    (playback, (*cell).clone())
}

/// Saves the document as the user's draft after every edit (when autosave is on). A document
/// the user never changed is not a draft.
#[hook]
fn use_autosave(state: &AppContext) {
    let autosave = state.autosave && state.edited && state.embed.is_none();
    let state = state.clone();
    // Keyed on the document's version, not its contents: no copy or deep compare per render.
    use_effect_with((state.doc_version, autosave), move |(_, autosave)| {
        if *autosave {
            share::save_draft(&state.doc.to_string());
        }
    });
}

/// Follows fragment changes (gallery links, pasted share links) without a reload.
#[hook]
fn use_hash_routing(state: &AppContext) {
    let dispatcher = state.dispatcher();
    crate::dom_events::use_window_event("hashchange", move || {
        dispatcher.dispatch(Action::Route(share::parse_route(&share::current_fragment()), share::load_draft()))
    });
}

/// Applies the embed's forced theme, if any.
fn apply_theme(theme: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if theme.is_empty() {
            root.remove_attribute("data-theme")
        } else {
            root.set_attribute("data-theme", theme)
        };
    }
}

/// Props of [`Player`].
#[derive(Properties, Debug)]
pub struct PlayerProps {
    /// The state the player starts with (embed mode).
    pub initial: Rc<State>,
}

/// The compact player mounted by `mount_player` on a docs page: no global keyboard shortcuts,
/// no storage, no routing (the host page owns those).
#[function_component(Player)]
pub fn player(props: &PlayerProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || (*initial).clone());
    use_runner(state.clone());
    use_analysis(&state);
    let (playback, cursor) = use_play_head(&state);
    html! {
        <ContextProvider<AppContext> context={state.clone()}>

        <ContextProvider<CursorCell> context={cursor}>
        <ContextProvider<PlaybackContext> context={playback}>
            <Embed />
        </ContextProvider<PlaybackContext>>
        </ContextProvider<CursorCell>>

        </ContextProvider<AppContext>>
    }
}

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::initial(share::parse_route(&share::current_fragment()), share::load_draft()));
    use_runner(state.clone());
    use_analysis(&state);
    let (playback, cursor) = use_play_head(&state);
    crate::shortcuts::use_shortcuts(&state, &playback);
    use_autosave(&state);
    use_hash_routing(&state);
    crate::components::title::use_document_title(state.doc["name"].as_str().unwrap_or(""));
    if let Some(embed) = &state.embed {
        apply_theme(&embed.theme);
        return html! {
            <ContextProvider<AppContext> context={state.clone()}>

            <ContextProvider<CursorCell> context={cursor}>
            <ContextProvider<PlaybackContext> context={playback}>
                <Embed />
            </ContextProvider<PlaybackContext>>
            </ContextProvider<CursorCell>>

            </ContextProvider<AppContext>>
        };
    }
    let on_drag_over = Callback::from(|event: DragEvent| event.prevent_default());
    let on_drop = {
        let state = state.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if let Some(file) = event.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                import_file(state.clone(), file);
            }
        })
    };
    html! {
        <ContextProvider<AppContext> context={state.clone()}>

        <ContextProvider<CursorCell> context={cursor}>
        <ContextProvider<PlaybackContext> context={playback}>
            <div class="page" ondragover={on_drag_over} ondrop={on_drop}>
            <a class="skip" href="#results">{ "Skip to results" }</a>
            <Header />
            { crate::components::banner::banner(&state) }
            <main class="layout">
                // The results come first in reading order (screen readers, Tab, phones); on wide
                // screens the editors are placed in the left column by CSS.
                <div class="results" id="results" tabindex="-1">
                    <Results />
                </div>
                <div class="editors" aria-label="Editors" role="region">
                    <Editors />
                </div>
            </main>
            { crate::components::help::help(&state) }
            if state.gallery { <crate::components::gallery::Gallery /> }
            { crate::components::odds::odds_dialog(&state) }
            </div>
        </ContextProvider<PlaybackContext>>
        </ContextProvider<CursorCell>>

        </ContextProvider<AppContext>>
    }
}

/// The stack, service and load editors, once the page's later wasm part is installed: the first
/// paint shows the results, and the editors' code comes with the rest of the page's code, which
/// starts downloading with the page (`crate::dom_events::use_later_part_ready`).
#[function_component(Editors)]
fn editors() -> Html {
    let state = use_app();
    if !crate::dom_events::use_later_part_ready() {
        return html! {
            <section class="panel editors-loading" aria-busy="true">
                <p class="muted">{ "Loading the editors…" }</p>
            </section>
        };
    }
    html! {
        <ContextProvider<EditorContext> context={EditorContext::new(&state)}>
            <StackBuilder />
            <ServiceEditor />
            <LoadEditor />
        </ContextProvider<EditorContext>>
    }
}

#[function_component(Header)]
fn header() -> Html {
    let state = use_app();
    let on_example = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            dispatch.dispatch(Action::LoadExample(select.value()));
        })
    };
    let gallery = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ToggleGallery))
    };
    let reset = {
        let dispatch = state.dispatcher();
        let example =
            if examples::gallery(&state.example).is_some() { state.example.clone() } else { FIRST_EXAMPLE.to_owned() };
        Callback::from(move |_| dispatch.dispatch(Action::LoadExample(example.clone())))
    };
    let options = examples::ALL
        .iter()
        .map(|(name, _)| html! { <option value={*name} selected={*name == state.example}>{ crate::components::title::example_title(name) }</option> });
    let title = state.doc["name"].as_str().unwrap_or("").to_owned();
    html! {
        <header class="top">
            <div class="brand">
                <h1>{ "Resilience Playground" }</h1>
                <p class="tagline">{ "Stack patterns, script a failing service, replay every request: fail fast, fail gracefully, stop the spread." }</p>
            </div>
            <div class="header-tools">
                <label class="example">{ "Example" }
                    <select id="example" onchange={on_example}>
                        if examples::gallery(&state.example).is_none() { <option selected=true disabled=true>{ state.example.clone() }</option> }
                        { for options }
                    </select>
                </label>
                <button id="open-gallery" onclick={gallery}>{ "Gallery" }</button>
                { crate::components::odds::odds_button(&state) }
                <button id="reset" onclick={reset} title="Back to the example as shipped">{ "Reset to example" }</button>
                <SharePanel />
                <Menu summary="File" class="file-menu" items={file_menu::items as Items} />
                <Menu summary="Code" class="file-menu code-menu" id="code-menu" items={library_io::items as Items} />
                { file_menu::file_input(&state) }
            </div>
            { status(&state) }
            <div class="about">
                <h2 id="scenario-title" class="scenario-title">{ title }</h2>
                { crate::components::story::story(&state) }
            </div>
        </header>
    }
}

/// The status line: the first problem, the run's progress or error, or the finished run's event
/// count and digest; with the notice of a run stopped at its budget.
fn status(state: &AppContext) -> Html {
    let text = if !state.problems.is_empty() {
        let first = &state.problems[0];
        html! { <span class="status invalid" role="status">{ format!("⚠ {} problem(s) — first: {first}. The results are from the last valid scenario.", state.problems.len()) }</span> }
    } else if let Some(progress) = state.running {
        html! { <span class="status running" role="status">{ format!("running… {} %", fixed(progress * 100.0, 0)) }</span> }
    } else if let Some(error) = &state.run_error {
        html! { <span class="status invalid" role="status">{ format!("⚠ {error}") }</span> }
    } else if state.run_stopped.is_some() {
        html! { <span class="status running" role="status">{ "⏸ stopped at its time budget" }</span> }
    } else if state.stale() {
        html! { <span class="status running" role="status">{ "running…" }</span> }
    } else if let Some(result) = &state.result {
        html! { <span class="status ok" role="status" id="run-meta">{ format!("✓ {} events in {} ms · digest {:016x}", result.report.events, fixed(result.millis, 0), result.report.digest) }</span> }
    } else {
        html! { <span class="status running" role="status">{ "running…" }</span> }
    };
    html! { <div class="status-line">{ text }{ crate::components::run_stopped::run_stopped(state) }</div> }
}

#[function_component(Results)]
fn results() -> Html {
    let state = use_app();
    // Marks when a new result has been drawn (read by the browser benchmark).
    use_effect_with(state.result.as_ref().map(|r| r.revision), |revision| {
        if revision.is_some() {
            crate::runner::mark("rp-rendered");
        }
    });
    let Some(result) = &state.result else {
        return html! { <section class="panel"><p class="muted">{ "Running the default scenario…" }</p></section> };
    };
    let stale = state.stale();
    html! {
        <div class={classes!("results-inner", stale.then_some("stale"))} aria-busy={stale.to_string()}>
            if stale { <p class="stale-note" role="note">{ "Showing the last valid result: it will update when the scenario is valid and has run." }</p> }
            if let Some(notice) = &result.notice { <p class="notice" role="note">{ notice.clone() }</p> }
            { crate::components::verdict::verdict(&state) }
            <ReplayBar />
            // Below the first screen (but the diagram on wide screens): drawn when they come into
            // view or once the page's later wasm part is in (components/deferred.rs).
            <Deferred render={diagram_area as Render} placeholder_height="28rem" />
            <Deferred render={timeline_area as Render} placeholder_height="30rem" />
            <Deferred render={claims_area as Render} placeholder_height="0" />
            <Deferred render={charts_area as Render} placeholder_height="40rem" />
            <Deferred render={summary_and_compare as Render} placeholder_height="30rem" />
        </div>
    }
}

/// The timeline, with the inspector of the selected request beside it.
fn timeline_area(state: &AppContext) -> Html {
    html! {
        <div class={classes!("timeline-area", state.selected_request.is_some().then_some("with-inspector"))}>
            <Timeline />
            if state.selected_request.is_some() { <Inspector /> }
        </div>
    }
}

/// The charts.
fn charts_area(state: &AppContext) -> Html {
    crate::components::charts::charts(state)
}

/// The assertions' panel.
fn claims_area(_: &AppContext) -> Html {
    html! { <ClaimsPanel /> }
}

/// The live stack diagram.
fn diagram_area(_: &AppContext) -> Html {
    html! { <crate::components::stack_diagram::StackDiagram /> }
}

/// The summary table beside the comparison with the run without the stack.
fn summary_and_compare(state: &AppContext) -> Html {
    let Some(result) = &state.result else { return html! {} };
    html! {
        <div class="two-up">
            <section class="panel" aria-labelledby="summary-title">
                <h2 id="summary-title">{ "Summary" }</h2>
                <SummaryTable run={result.clone()} />
            </section>
            { crate::components::compare::compare(state) }
        </div>
    }
}
