//! Replay controls: play and pause, step to the next event or state change, scrub, speed on a
//! log scale, jump to a fault window, zoom. The keyboard shortcuts live in the app; this bar
//! only shows them.

use yew::prelude::*;

use crate::state::{Action, AppContext, State, use_app};

/// The time of the next (or previous) trace event after (before) the play head.
pub fn step_event(state: &State, forward: bool) -> Option<u64> {
    let trace = state.result.as_ref()?.report.trace.as_ref()?;
    let t = state.cursor_us;
    if forward {
        let i = trace.events.partition_point(|e| e.at_us <= t);
        trace.events.get(i).map(|e| e.at_us)
    } else {
        let i = trace.events.partition_point(|e| e.at_us < t);
        i.checked_sub(1).map(|i| trace.events[i].at_us)
    }
}

/// The time of the next layer state change after the play head.
pub fn next_state_change(state: &State) -> Option<u64> {
    let times = &state.result.as_ref()?.derived.state_change_times;
    let i = times.partition_point(|t| *t <= state.cursor_us);
    times.get(i).copied()
}

/// Zooms the time window by `factor` around the play head.
pub fn zoom(state: &AppContext, factor: f64) {
    let (from, to) = state.window;
    let centre = state.cursor_us.clamp(from, to) as f64;
    let new_from = (centre - (centre - from as f64) * factor).max(0.0);
    let new_to = centre + (to as f64 - centre) * factor;
    state.dispatch(Action::SetWindow(new_from as u64, new_to as u64));
}

/// The replay bar.
#[function_component(ReplayBar)]
pub fn replay_bar() -> Html {
    let state = use_app();
    let end = state.end_us();
    let seek = |target: Option<u64>| {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = target {
                dispatch.dispatch(Action::Seek(t));
            }
        })
    };
    let play = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::TogglePlay))
    };
    let scrub = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let ms: f64 = input.value().parse().unwrap_or(0.0);
            dispatch.dispatch(Action::Seek((ms * 1e3) as u64));
        })
    };
    let speed = {
        let dispatch = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let exponent: f64 = input.value().parse().unwrap_or(0.7);
            dispatch.dispatch(Action::SetSpeed(10f64.powf(exponent)));
        })
    };
    let zoom_by = |factor: f64| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| zoom(&state, factor))
    };
    let reset_zoom = {
        let dispatch = state.dispatcher();
        let duration = state.scenario.as_ref().map_or(end, |s| s.duration.as_micros());
        Callback::from(move |_| dispatch.dispatch(Action::SetWindow(0, duration.max(1))))
    };
    let help = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::ToggleHelp))
    };
    let faults = fault_jumps(&state);
    html! {
        <div class="replay" role="toolbar" aria-label="Replay">
            <button id="play" onclick={play} aria-keyshortcuts="Space">{ if state.playing { "❚❚ Pause" } else { "▶ Play" } }</button>
            <button id="step-back" onclick={seek(step_event(&state, false))} aria-label="Previous event" aria-keyshortcuts="ArrowLeft">{ "◀ event" }</button>
            <button id="step-event" onclick={seek(step_event(&state, true))} aria-label="Next event" aria-keyshortcuts="ArrowRight">{ "event ▶" }</button>
            <button id="step-state" onclick={seek(next_state_change(&state))} aria-label="Next state change" aria-keyshortcuts="Shift+ArrowRight">{ "state change ▶▶" }</button>
            <label class="scrub">{ "Play head" }
                <input id="scrub" type="range" min="0" max={(end / 1_000).to_string()} step="1" value={(state.cursor_us / 1_000).to_string()} oninput={scrub} />
            </label>
            <output id="clock" for="scrub" data-us={state.cursor_us.to_string()}>{ format!("{:.3} s", state.cursor_us as f64 / 1e6) }</output>
            <label class="speed">{ format!("Speed {:.1}×", state.speed) }
                <input id="speed" type="range" min="-1" max="3" step="0.1" value={state.speed.log10().to_string()} oninput={speed} />
            </label>
            <span class="zoom" role="group" aria-label="Zoom">
                <button onclick={zoom_by(0.5)} aria-label="Zoom in" aria-keyshortcuts="+">{ "+" }</button>
                <button onclick={zoom_by(2.0)} aria-label="Zoom out" aria-keyshortcuts="-">{ "−" }</button>
                <button onclick={reset_zoom} aria-label="Show the whole run" aria-keyshortcuts="0">{ "all" }</button>
            </span>
            { faults }
            <button id="help" onclick={help} aria-label="Keyboard shortcuts" aria-keyshortcuts="?">{ "?" }</button>
        </div>
    }
}

fn fault_jumps(state: &AppContext) -> Html {
    let Some(result) = &state.result else { return html! {} };
    let scenario = &result.scenario;
    let Some(endpoint) = scenario.endpoints.get(state.endpoint) else { return html! {} };
    let Some(service) = scenario.services.iter().find(|s| s.name == endpoint.service) else { return html! {} };
    let buttons = service.faults.iter().map(|fault| {
        let (from, to) = fault.window();
        let dispatch = state.dispatcher();
        let start = from.as_micros();
        let stop = to.map_or(scenario.duration.as_micros(), |t| t.as_micros());
        let onclick = Callback::from(move |_| {
            dispatch.dispatch(Action::Seek(start));
            let margin = (stop - start) / 4;
            dispatch.dispatch(Action::SetWindow(start.saturating_sub(margin), stop + margin));
        });
        html! { <button {onclick}>{ format!("⤓ {} {}s", fault.kind_name(), from.as_secs_f64()) }</button> }
    });
    html! { <span class="jumps" role="group" aria-label="Jump to a fault window">{ for buttons }</span> }
}
