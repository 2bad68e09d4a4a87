//! The request timeline on a canvas: one row per request (lanes when dense), from arrival to
//! completion; attempts as segments (backoff waits are the gaps), markers for timeouts,
//! rejections, cache answers and fallbacks; fault windows shaded; layer state changes
//! annotated; the play head, with what lies after it dimmed while playing. Wheel zooms, drag
//! pans, hover shows a request, click or the keyboard (← → when focused) selects one for the
//! inspector. Sharp at any `devicePixelRatio`. Never one DOM node per request.

mod draw;
pub mod raster;

use resilience_engine::Scenario;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::number::fixed;
use crate::playback::use_playback;
use crate::state::{Action, AppContext, State, use_app};
use crate::view_model::window_showing;
pub use draw::dark;
use draw::{Drawn, Frame, HEIGHT_PX, LANE_PX, draw, lanes};

/// What the pointer is over: a request and where to show its tooltip (CSS pixels).
type Hover = Option<(u32, f64, f64)>;

/// The timeline panel.
#[function_component(Timeline)]
pub fn timeline() -> Html {
    let state = use_app();
    let playback = use_playback();
    let canvas = use_node_ref();
    let drag = use_state(|| None::<(f64, (u64, u64))>);
    let hover = use_state_eq(|| None as Hover);
    // While a drag pans, only the timeline follows it (the rest of the page catches up on release).
    let panned = use_state_eq(|| None::<(u64, u64)>);
    let drawn = use_mut_ref(Drawn::default);
    let traced = state.result.as_ref().is_some_and(|r| r.report.trace.is_some());
    let width_px = use_laid_out_width(&canvas, traced);
    {
        let (canvas, state, drawn) = (canvas.clone(), state.clone(), drawn);
        let window = panned.unwrap_or(state.window);
        let frame = Frame { window, cursor_us: playback.cursor_us, playing: playback.playing, css_width: width_px };
        let deps = (
            state.result.as_ref().map(|r| r.revision),
            window,
            (frame.cursor_us, frame.playing),
            state.selected_request,
            state.endpoint,
            width_px,
        );
        use_effect_with(deps, move |_| draw(&canvas, &state, frame, &drawn));
    }
    let Some(result) = &state.result else {
        return html! { <section class="panel timeline"><p class="muted">{ "Running the scenario…" }</p></section> };
    };
    if result.report.trace.is_none() {
        return html! {
            <section class="panel timeline" aria-label="Request timeline">
                <p class="notice">{ "No trace for this run (metrics only): the timeline needs a smaller scenario." }</p>
            </section>
        };
    }
    let width_px = width_px.max(1.0);
    let handlers = Handlers { state: state.clone(), width_px, drag, panned, hover: hover.clone() };
    let requests = result.derived.journeys.len();
    let kinds = stack_kinds(&result.scenario);
    let hedges = if kinds.contains(&"hedging") { HEDGE_WORDS } else { "" };
    html! {
        <section class="panel timeline" aria-label="Request timeline">
            <div class="timeline-canvas">
                <canvas id="timeline" ref={canvas} height={fixed(HEIGHT_PX, 0)} tabindex="0"
                    onclick={handlers.click()} onwheel={handlers.wheel()} onmousedown={handlers.press()}
                    onmousemove={handlers.motion()} onmouseup={handlers.release()} onmouseleave={handlers.leave()}
                    onkeydown={keys(&state, playback.cursor_us)}
                    role="application" aria-roledescription="request timeline"
                    aria-label={format!("Timeline of {requests} requests. Left and right arrows select the previous and next request, Escape closes it.")}></canvas>
                { tooltip(&state, *hover, width_px) }
            </div>
            <p class="legend-line">
                { "Rows are requests, from arrival (left) to answer; thick segments are attempts at the service (green answered, red error, sand 429, grey abandoned), thin lines are waits" }
                { hedges }{ if marker_legend(&kinds).next().is_some() { "; ticks mark: " } else { "." } }
                { for marker_legend(&kinds).map(|(colour, label)| html! {
                    <span class="mk"><span class="swatch" style={format!("background:{colour}")}></span>{ label }</span>
                }) }
                <span class="hint">{ "Click a request, or focus the timeline and press → to walk through them." }</span>
            </p>
        </section>
    }
}

/// How the timeline legend tells a hedge from a retry.
const HEDGE_WORDS: &str = " (a hedge runs beside the attempt it hedges, in the lower half of the row)";

/// The layer kinds of every endpoint's stack (the timeline shows every endpoint's requests).
pub fn stack_kinds(scenario: &Scenario) -> Vec<&'static str> {
    scenario.endpoints.iter().flat_map(|e| &e.stack).map(|l| l.kind_name()).collect()
}

/// The timeline's marks of the layer kinds in `kinds`, from the engine's catalogue: (colour,
/// words), in palette order.
pub fn marker_legend(kinds: &[&str]) -> impl Iterator<Item = (&'static str, &'static str)> {
    resilience_engine::catalog::LAYERS
        .iter()
        .filter(|l| kinds.contains(&l.name))
        .filter_map(|l| l.marker.as_ref())
        .map(|m| (m.outcome.colour(), m.label))
}

/// The laid-out width of `node` in CSS pixels (0 until known), kept by a `ResizeObserver`: it
/// reports after layout, so reading the width never forces one mid-render. `present` says
/// whether the node is on the page (the observer starts when it is).
#[hook]
fn use_laid_out_width(node: &NodeRef, present: bool) -> f64 {
    let width = use_state_eq(|| 0.0);
    {
        let (node, width) = (node.clone(), width.clone());
        use_effect_with(present, move |_| {
            let element = node.cast::<web_sys::Element>();
            let observed = element.clone();
            let on_resize = Closure::<dyn Fn()>::new(move || {
                width.set(observed.as_ref().map_or(0.0, |e| f64::from(e.client_width())));
            });
            let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(element)) = (&observer, &element) {
                observer.observe(element);
            }
            move || {
                observer.iter().for_each(web_sys::ResizeObserver::disconnect);
                drop(on_resize);
            }
        });
    }
    *width
}

/// The hovered request's tooltip, on the side of the pointer with more room.
fn tooltip(state: &State, hover: Hover, width_px: f64) -> Html {
    let Some((id, x, y)) = hover else { return html! {} };
    let Some(journey) = state.result.as_ref().and_then(|r| r.derived.journeys.get(id as usize)) else {
        return html! {};
    };
    let outcome = journey.outcome.map_or("unfinished", resilience_engine::sim::Outcome::name);
    let took = if journey.end_us == u64::MAX {
        String::new()
    } else {
        format!(" · {} ms", fixed((journey.end_us - journey.arrival_us) as f64 / 1e3, 1))
    };
    let attempts = journey.attempts.len();
    let style = if x > width_px / 2.0 {
        format!("right:{}px;top:{}px", fixed((width_px - x + 12.0).max(0.0), 0), fixed(y + 12.0, 0))
    } else {
        format!("left:{}px;top:{}px", fixed(x + 12.0, 0), fixed(y + 12.0, 0))
    };
    html! {
        <div class="tooltip" role="tooltip" {style}>
            { format!("#{id} · {outcome}{took} · {attempts} attempt{}", if attempts == 1 { "" } else { "s" }) }
        </div>
    }
}

/// Keyboard selection on the focused timeline.
fn keys(state: &AppContext, cursor_us: u64) -> Callback<KeyboardEvent> {
    let state = state.clone();
    Callback::from(move |event: KeyboardEvent| {
        let step = match event.key().as_str() {
            "ArrowRight" | "ArrowDown" => 1,
            "ArrowLeft" | "ArrowUp" => -1,
            "PageDown" => 25,
            "PageUp" => -25,
            "Escape" => {
                state.dispatch(Action::SelectRequest(None));
                return;
            }
            _ => return,
        };
        event.prevent_default();
        event.stop_propagation();
        let Some(result) = &state.result else { return };
        let Some(id) = result.derived.neighbour(state.selected_request, cursor_us, step) else { return };
        state.dispatch(Action::SelectRequest(Some(id)));
        if let Some(journey) = result.derived.journeys.get(id as usize) {
            let (from, to) = window_showing(state.window, journey.arrival_us, state.end_us());
            if (from, to) != state.window {
                state.dispatch(Action::SetWindow(from, to));
            }
        }
    })
}

/// Finds the request under (x, y) in CSS pixels, on a canvas `width_px` wide.
fn pick(width_px: f64, state: &State, x: f64, y: f64) -> Option<u32> {
    let result = state.result.as_ref()?;
    let (from, to) = state.window;
    let t = from as f64 + x / width_px * (to - from) as f64;
    let slack = 4.0 / width_px * (to - from) as f64;
    let lane = (y / LANE_PX) as u64;
    result
        .derived
        .visible(from, to)
        .filter(|j| u64::from(j.id) % lanes() == lane)
        .filter(|j| (j.arrival_us as f64) - slack <= t && t <= (j.end_us.min(to) as f64) + slack)
        .min_by_key(|j| ((j.arrival_us as f64 - t).abs()) as u64)
        .map(|j| j.id)
}

/// The mouse handlers of the canvas.
struct Handlers {
    state: AppContext,
    /// The canvas's width in CSS pixels.
    width_px: f64,
    /// Where a drag started (x) and the window then.
    drag: UseStateHandle<Option<(f64, (u64, u64))>>,
    /// The window a drag in progress has panned to, not yet handed to the page.
    panned: UseStateHandle<Option<(u64, u64)>>,
    hover: UseStateHandle<Hover>,
}

/// Hands the window a drag panned to over to the page (its charts follow), once the drag ends.
fn end_pan(state: &AppContext, panned: &UseStateHandle<Option<(u64, u64)>>) {
    if let Some((from, to)) = **panned {
        state.dispatch(Action::SetWindow(from, to));
        panned.set(None);
    }
}

impl Handlers {
    fn click(&self) -> Callback<MouseEvent> {
        let (state, width_px, drag) = (self.state.clone(), self.width_px, self.drag.clone());
        Callback::from(move |event: MouseEvent| {
            if let Some((x0, _)) = *drag {
                if (f64::from(event.offset_x()) - x0).abs() > 3.0 {
                    return;
                }
            }
            if let Some(id) = pick(width_px, &state, f64::from(event.offset_x()), f64::from(event.offset_y())) {
                state.dispatch(Action::SelectRequest(Some(id)));
            }
        })
    }

    fn wheel(&self) -> Callback<WheelEvent> {
        let (state, width_px) = (self.state.clone(), self.width_px);
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            let (from, to) = state.window;
            let at = from as f64 + f64::from(event.offset_x()) / width_px * (to - from) as f64;
            let factor = if event.delta_y() < 0.0 { 0.8 } else { 1.25 };
            let end_us = state.end_us().max(to);
            let (from, to) = crate::view_model::zoom_window(state.window, at.max(0.0) as u64, factor, end_us);
            state.dispatch(Action::SetWindow(from, to));
        })
    }

    fn press(&self) -> Callback<MouseEvent> {
        let (drag, window) = (self.drag.clone(), self.state.window);
        Callback::from(move |event: MouseEvent| drag.set(Some((f64::from(event.offset_x()), window))))
    }

    fn motion(&self) -> Callback<MouseEvent> {
        let (state, width_px, drag, panned, hover) =
            (self.state.clone(), self.width_px, self.drag.clone(), self.panned.clone(), self.hover.clone());
        Callback::from(move |event: MouseEvent| {
            let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
            match *drag {
                Some((x0, (from, to))) if event.buttons() != 0 => {
                    hover.set(None);
                    // The span stays exact, so the timeline can move what it drew (see draw::Drawn).
                    let shift = (x0 - x) / width_px * (to - from) as f64;
                    let new_from = (from as f64 + shift).max(0.0) as u64;
                    panned.set(Some((new_from, new_from + (to - from))));
                }
                _ => {
                    end_pan(&state, &panned);
                    hover.set(pick(width_px, &state, x, y).map(|id| (id, x, y)));
                }
            }
        })
    }

    fn release(&self) -> Callback<MouseEvent> {
        let (state, drag, panned) = (self.state.clone(), self.drag.clone(), self.panned.clone());
        Callback::from(move |_| {
            end_pan(&state, &panned);
            let drag = drag.clone();
            // Let the click handler see the drag distance first.
            gloo_timers::callback::Timeout::new(0, move || drag.set(None)).forget();
        })
    }

    fn leave(&self) -> Callback<MouseEvent> {
        let (state, panned, hover) = (self.state.clone(), self.panned.clone(), self.hover.clone());
        Callback::from(move |_| {
            end_pan(&state, &panned);
            hover.set(None);
        })
    }
}
