//! The request timeline on a canvas: one row per request (lanes when dense), from arrival to
//! completion; attempts as segments (backoff waits are the gaps), markers for timeouts,
//! rejections, cache answers and fallbacks; fault windows shaded; the play head. Wheel zooms,
//! drag pans, click opens a request in the inspector. Never one DOM node per request.

use resilience_engine::sim::Outcome;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::state::{Action, State, use_app};
use crate::view_model::{Journey, Marker};

/// Height of one lane, in CSS pixels.
const LANE_PX: f64 = 7.0;
/// Canvas height, in CSS pixels.
const HEIGHT_PX: f64 = 280.0;

/// The timeline panel.
#[function_component(Timeline)]
pub fn timeline() -> Html {
    let state = use_app();
    let canvas = use_node_ref();
    let drag = use_state(|| None::<(f64, (u64, u64))>);
    {
        let canvas = canvas.clone();
        let state = state.clone();
        let deps = (
            state.result.as_ref().map(|r| r.revision),
            state.window,
            state.cursor_us,
            state.selected_request,
            state.endpoint,
        );
        use_effect_with(deps, move |_| draw(&canvas, &state));
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
    let onclick = {
        let state = state.clone();
        let canvas = canvas.clone();
        let drag = drag.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some((x0, _)) = *drag {
                if (f64::from(event.offset_x()) - x0).abs() > 3.0 {
                    return;
                }
            }
            if let Some(id) = pick(&canvas, &state, f64::from(event.offset_x()), f64::from(event.offset_y())) {
                state.dispatch(Action::SelectRequest(Some(id)));
            }
        })
    };
    let onwheel = {
        let state = state.clone();
        let canvas = canvas.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            let width = canvas_width(&canvas);
            let (from, to) = state.window;
            let at = from as f64 + f64::from(event.offset_x()) / width * (to - from) as f64;
            let factor = if event.delta_y() < 0.0 { 0.8 } else { 1.25 };
            let new_from = (at - (at - from as f64) * factor).max(0.0);
            let new_to = at + (to as f64 - at) * factor;
            state.dispatch(Action::SetWindow(new_from as u64, new_to as u64));
        })
    };
    let onmousedown = {
        let drag = drag.clone();
        let window = state.window;
        Callback::from(move |event: MouseEvent| drag.set(Some((f64::from(event.offset_x()), window))))
    };
    let onmousemove = {
        let drag = drag.clone();
        let state = state.clone();
        let canvas = canvas.clone();
        Callback::from(move |event: MouseEvent| {
            let Some((x0, (from, to))) = *drag else { return };
            if event.buttons() == 0 {
                return;
            }
            let shift = (x0 - f64::from(event.offset_x())) / canvas_width(&canvas) * (to - from) as f64;
            let new_from = (from as f64 + shift).max(0.0);
            state.dispatch(Action::SetWindow(new_from as u64, (new_from + (to - from) as f64) as u64));
        })
    };
    let onmouseup = {
        Callback::from(move |_| {
            let drag = drag.clone();
            // Let the click handler see the drag distance first.
            gloo_timers::callback::Timeout::new(0, move || drag.set(None)).forget();
        })
    };
    let requests = result.derived.journeys.len();
    html! {
        <section class="panel timeline" aria-label="Request timeline">
            <canvas id="timeline" ref={canvas} height={HEIGHT_PX.to_string()} {onclick} {onwheel} {onmousedown} {onmousemove} {onmouseup}
                role="img" aria-label={format!("Timeline of {requests} requests; click one to inspect it")}></canvas>
            <p class="legend-line">
                { "Rows are requests, from arrival (left) to answer; thick segments are attempts at the service (green answered, red error, sand 429, grey abandoned), thin lines are waits; ticks mark: " }
                { for [("#b04a8c", "timeout"), ("#f28c28", "breaker rejection"), ("#d9a400", "bulkhead rejection"), ("#2f7ed8", "cache answer"), ("#9b6fd0", "fallback")].iter().map(|(colour, label)| html! {
                    <span class="mk"><span class="swatch" style={format!("background:{colour}")}></span>{ *label }</span>
                }) }
            </p>
        </section>
    }
}

fn canvas_width(canvas: &NodeRef) -> f64 {
    canvas.cast::<HtmlCanvasElement>().map_or(1.0, |c| f64::from(c.client_width()).max(1.0))
}

fn lanes() -> u64 {
    (HEIGHT_PX / LANE_PX) as u64
}

/// Finds the request under (x, y) in CSS pixels.
fn pick(canvas: &NodeRef, state: &State, x: f64, y: f64) -> Option<u32> {
    let result = state.result.as_ref()?;
    let (from, to) = state.window;
    let t = from as f64 + x / canvas_width(canvas) * (to - from) as f64;
    let slack = 4.0 / canvas_width(canvas) * (to - from) as f64;
    let lane = (y / LANE_PX) as u64;
    result
        .derived
        .visible(from, to)
        .filter(|j| u64::from(j.id) % lanes() == lane)
        .filter(|j| (j.arrival_us as f64) - slack <= t && t <= (j.end_us.min(to) as f64) + slack)
        .min_by_key(|j| ((j.arrival_us as f64 - t).abs()) as u64)
        .map(|j| j.id)
}

/// Dark theme? A forced `data-theme` on the nearest themed ancestor (the page root, or the
/// player's own root inside a shadow root) wins over the reader's preference.
fn dark(canvas: &web_sys::Element) -> bool {
    let forced = canvas.closest("[data-theme]").ok().flatten().and_then(|e| e.get_attribute("data-theme"));
    if let Some(theme) = forced {
        return theme == "dark";
    }
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn draw(canvas: &NodeRef, state: &State) {
    let Some(element) = canvas.cast::<HtmlCanvasElement>() else { return };
    let Some(result) = &state.result else { return };
    let css_width = f64::from(element.client_width()).max(1.0);
    let (width, height) = (css_width as u32, HEIGHT_PX as u32);
    element.set_width(width);
    element.set_height(height);
    let Ok(Some(context)) = element.get_context("2d") else { return };
    let Ok(ctx) = context.dyn_into::<CanvasRenderingContext2d>() else { return };
    let (from, to) = state.window;
    let span = (to - from).max(1) as f64;
    let x_of = |t: u64| (t.saturating_sub(from)) as f64 / span * css_width;
    // Requests are rasterised into one pixel buffer in Rust and handed to the canvas at once:
    // the cost grows with the pixels touched, not with calls across the wasm boundary.
    let mut raster = Raster::new(width, height, if dark(&element) { [0x16, 0x1b, 0x24] } else { [0xfb, 0xfc, 0xfe] });
    shade_faults(&mut raster, state, &x_of);
    for journey in result.derived.visible(from, to) {
        draw_journey(&mut raster, journey, &x_of);
    }
    if let Ok(image) =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&raster.pixels), width, height)
    {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
    if let Some(selected) = state.selected_request.and_then(|id| result.derived.journeys.get(id as usize)) {
        let y = (u64::from(selected.id) % lanes()) as f64 * LANE_PX;
        let (x0, x1) = (x_of(selected.arrival_us), x_of(selected.end_us.min(to)));
        ctx.set_stroke_style_str(if dark(&element) { "#ffffff" } else { "#000000" });
        ctx.set_line_width(1.5);
        ctx.stroke_rect(x0 - 2.0, y - 1.0, (x1 - x0) + 4.0, LANE_PX + 1.0);
    }
    let cursor = x_of(state.cursor_us);
    ctx.set_fill_style_str("#f2a900");
    ctx.fill_rect(cursor - 1.0, 0.0, 2.0, HEIGHT_PX);
}

/// An RGBA pixel buffer with clipped rectangle fills.
struct Raster {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Raster {
    fn new(width: u32, height: u32, background: [u8; 3]) -> Self {
        let mut pixels = Vec::with_capacity((width * height * 4) as usize);
        for _ in 0..width * height {
            pixels.extend_from_slice(&[background[0], background[1], background[2], 255]);
        }
        Self { width, height, pixels }
    }

    /// Fills `[x0, x1) × [y0, y1)` with `colour`, blended by `alpha` (0..=255).
    fn fill(&mut self, x0: f64, x1: f64, y0: f64, y1: f64, colour: [u8; 3], alpha: u16) {
        let clamp_x = |x: f64| x.max(0.0).min(f64::from(self.width)) as u32;
        let clamp_y = |y: f64| y.max(0.0).min(f64::from(self.height)) as u32;
        let (x0, mut x1, y0, y1) = (clamp_x(x0), clamp_x(x1), clamp_y(y0), clamp_y(y1));
        if x1 <= x0 && x0 < self.width {
            x1 = x0 + 1;
        }
        for y in y0..y1 {
            let row = (y * self.width) as usize * 4;
            for x in x0..x1 {
                let p = row + x as usize * 4;
                for (channel, value) in self.pixels[p..p + 3].iter_mut().zip(colour) {
                    *channel = ((u16::from(*channel) * (255 - alpha) + u16::from(value) * alpha) / 255) as u8;
                }
            }
        }
    }
}

/// `#rrggbb` to bytes.
fn rgb(hex: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128);
    [byte(1), byte(3), byte(5)]
}

/// Shades the fault windows of the service the shown endpoint calls.
fn shade_faults(raster: &mut Raster, state: &State, x_of: &dyn Fn(u64) -> f64) {
    let Some(result) = &state.result else { return };
    let scenario = &result.scenario;
    let Some(endpoint) = scenario.endpoints.get(state.endpoint) else { return };
    let Some(service) = scenario.services.iter().find(|s| s.name == endpoint.service) else { return };
    let end = scenario.duration.as_micros();
    for fault in &service.faults {
        let (from, to) = fault.window();
        let (x0, x1) = (x_of(from.as_micros()), x_of(to.map_or(end, |t| t.as_micros())));
        raster.fill(x0, x1, 0.0, HEIGHT_PX, rgb(fault_colour(fault.kind_name())), 34);
    }
}

/// The colour of a fault kind's band.
pub fn fault_colour(kind: &str) -> &'static str {
    match kind {
        "outage" => "#d63a3a",
        "errors" => "#e0702f",
        "slowdown" | "latency" => "#b04a8c",
        "throttle" => "#c7a26a",
        _ => "#5b6475",
    }
}

fn outcome_colour(outcome: Option<Outcome>) -> [u8; 3] {
    rgb(outcome.map_or("#8a93a6", Outcome::colour))
}

fn draw_journey(raster: &mut Raster, journey: &Journey, x_of: &dyn Fn(u64) -> f64) {
    let y = (u64::from(journey.id) % lanes()) as f64 * LANE_PX;
    let x0 = x_of(journey.arrival_us);
    let x1 = if journey.end_us == u64::MAX { f64::from(raster.width) } else { x_of(journey.end_us) };
    let colour = outcome_colour(journey.outcome);
    raster.fill(x0, x1, y + LANE_PX / 2.0 - 0.5, y + LANE_PX / 2.0 + 0.5, colour, 140);
    for attempt in &journey.attempts {
        let a0 = x_of(attempt.start_us);
        let a1 = if attempt.end_us == u64::MAX { x1 } else { x_of(attempt.end_us) };
        let status = match attempt.status {
            0 => "#9aa3b5",
            s if s < 400 => "#2e9d4f",
            429 => "#c7a26a",
            _ => "#d63a3a",
        };
        raster.fill(a0, a1, y + 1.0, y + LANE_PX - 1.0, rgb(status), 255);
    }
    for (t, marker) in &journey.markers {
        let colour = match marker {
            Marker::Timeout => "#b04a8c",
            Marker::BreakerRejected => "#f28c28",
            Marker::BulkheadRejected => "#d9a400",
            Marker::CacheHit | Marker::CacheStale => "#2f7ed8",
            Marker::Fallback => "#9b6fd0",
            Marker::RetryWait => continue,
        };
        let x = x_of(*t);
        raster.fill(x - 1.0, x + 2.0, y, y + LANE_PX - 1.0, rgb(colour), 255);
    }
    raster.fill(x1 - 1.0, x1 + 1.0, y + 1.0, y + LANE_PX - 1.0, colour, 255);
}
