//! Replay controls: play and pause, step to the next event or state change, scrub, speed on a
//! log scale, jump to a fault window, zoom. The keyboard shortcuts live in the app; this bar
//! only shows them.

use yew::prelude::*;

use crate::number::{compact, fixed, shortest};
use crate::playback::{PlaybackAction, use_playback};
use crate::state::{Action, AppContext, State, use_app};
use crate::view_model;

/// The time of the next (or previous) trace event after (before) the play head at `t`.
pub fn step_event(state: &State, t: u64, forward: bool) -> Option<u64> {
    view_model::step_event(&state.result.as_ref()?.report.trace.as_ref()?.events, t, forward)
}

/// The time of the next layer state change after the play head at `cursor_us`.
pub fn next_state_change(state: &State, cursor_us: u64) -> Option<u64> {
    view_model::next_after(&state.result.as_ref()?.derived.state_change_times, cursor_us)
}

/// Zooms the time window by `factor` around the play head at `cursor_us`.
pub fn zoom(state: &AppContext, cursor_us: u64, factor: f64) {
    let end_us = state.end_us().max(state.window.1);
    let (from, to) = view_model::zoom_window(state.window, cursor_us, factor, end_us);
    state.dispatch(Action::SetWindow(from, to));
}

/// The replay bar.
#[function_component(ReplayBar)]
pub fn replay_bar() -> Html {
    let state = use_app();
    let playback = use_playback();
    let cursor_us = playback.cursor_us;
    let end = state.end_us();
    let seek = |target: Option<u64>| {
        let dispatch = playback.dispatcher();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = target {
                dispatch.dispatch(PlaybackAction::Seek(t));
            }
        })
    };
    let play = {
        let dispatch = playback.dispatcher();
        let action = if playback.playing { PlaybackAction::Pause } else { PlaybackAction::Play };
        Callback::from(move |_| dispatch.dispatch(action))
    };
    let scrub = {
        let dispatch = playback.dispatcher();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let ms = Some(input.value_as_number()).filter(|ms| ms.is_finite()).unwrap_or(0.0);
            dispatch.dispatch(PlaybackAction::Seek((ms * 1e3) as u64));
        })
    };
    let speed = {
        let dispatch = playback.dispatcher();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let exponent = Some(input.value_as_number()).filter(|e| e.is_finite()).unwrap_or(0.7);
            dispatch.dispatch(PlaybackAction::SetSpeed(libm::pow(10.0, exponent)));
        })
    };
    let help = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ToggleHelp))
    };
    let faults = fault_jumps(&state, &playback);
    html! {
        <div class="replay" role="toolbar" aria-label="Replay">
            <button id="play" onclick={play} aria-keyshortcuts="Space">{ if playback.playing { "❚❚ Pause" } else { "▶ Play" } }</button>
            <button id="step-back" onclick={seek(step_event(&state, cursor_us, false))} aria-label="Previous event" aria-keyshortcuts="ArrowLeft">{ "◀ event" }</button>
            <button id="step-event" onclick={seek(step_event(&state, cursor_us, true))} aria-label="Next event" aria-keyshortcuts="ArrowRight">{ "event ▶" }</button>
            <button id="step-state" onclick={seek(next_state_change(&state, cursor_us))} aria-label="Next state change" aria-keyshortcuts="Shift+ArrowRight">{ "state change ▶▶" }</button>
            <label class="scrub">{ "Play head" }
                <input id="scrub" type="range" min="0" max={(end / 1_000).to_string()} step="1" value={(cursor_us / 1_000).to_string()} oninput={scrub} />
            </label>
            <output id="clock" for="scrub" data-us={cursor_us.to_string()}>{ format!("{} s", fixed(cursor_us as f64 / 1e6, 3)) }</output>
            <label class="speed">{ format!("Speed {}×", fixed(playback.speed, 1)) }
                <input id="speed" type="range" min="-1" max="3" step="0.1" value={compact(libm::log10(playback.speed), 3)} oninput={speed} />
            </label>
            { zoom_buttons(&state, cursor_us) }
            { faults }
            <button id="help" onclick={help} aria-label="Keyboard shortcuts" aria-keyshortcuts="?">{ "?" }</button>
        </div>
    }
}

/// Zoom in and out around the play head, or show all of the run.
fn zoom_buttons(state: &AppContext, cursor_us: u64) -> Html {
    let zoom_by = |factor: f64| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| zoom(&state, cursor_us, factor))
    };
    let reset_zoom = {
        let dispatch = state.dispatcher();
        let duration = state.scenario.as_ref().map_or(state.end_us(), |s| s.duration.as_micros());
        Callback::from(move |_| dispatch.dispatch(Action::SetWindow(0, duration.max(1))))
    };
    html! {
        <span class="zoom" role="group" aria-label="Zoom">
            <button onclick={zoom_by(0.5)} aria-label="Zoom in" aria-keyshortcuts="+">{ "+" }</button>
            <button onclick={zoom_by(2.0)} aria-label="Zoom out" aria-keyshortcuts="-">{ "−" }</button>
            <button onclick={reset_zoom} aria-label="Show all of the run" aria-keyshortcuts="0">{ "all" }</button>
        </span>
    }
}

/// One button per fault window of the endpoint's service: the play head jumps to its start and
/// the window zooms around it.
fn fault_jumps(state: &AppContext, playback: &crate::playback::PlaybackContext) -> Html {
    let Some(result) = &state.result else { return html! {} };
    let scenario = &result.scenario;
    let Some(endpoint) = scenario.endpoints.get(state.endpoint) else { return html! {} };
    let Some(service) = scenario.services.iter().find(|s| s.name == endpoint.service) else { return html! {} };
    let buttons = service.faults.iter().map(|fault| {
        let (from, to) = fault.window();
        let dispatch = state.dispatcher();
        let seek = playback.dispatcher();
        let start = from.as_micros();
        let stop = to.map_or(scenario.duration.as_micros(), |t| t.as_micros());
        let onclick = Callback::from(move |_| {
            seek.dispatch(PlaybackAction::Seek(start));
            let margin = (stop - start) / 4;
            dispatch.dispatch(Action::SetWindow(start.saturating_sub(margin), stop + margin));
        });
        html! { <button {onclick}>{ format!("⤓ {} {}s", fault.kind_name(), shortest(from.as_secs_f64())) }</button> }
    });
    html! { <span class="jumps" role="group" aria-label="Jump to a fault window">{ for buttons }</span> }
}
