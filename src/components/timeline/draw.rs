//! Drawing the timeline: requests rasterised in device pixels, then the selection, state-change
//! annotations and the play head on top with the canvas API, in CSS pixels.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use super::raster::{Raster, Row, draw_journey, fault_colour, rgb};
use crate::number::fixed;
use crate::state::State;

/// Height of one lane, in CSS pixels.
pub const LANE_PX: f64 = 7.0;
/// Canvas height, in CSS pixels.
pub const HEIGHT_PX: f64 = 280.0;
/// Room kept between two annotation labels, in CSS pixels.
const LABEL_GAP_PX: f64 = 8.0;

/// Lanes on the canvas.
pub fn lanes() -> u64 {
    (HEIGHT_PX / LANE_PX) as u64
}

/// The theme the canvas sits in: a forced `data-theme` on the nearest themed ancestor, else the
/// reader's preference.
pub fn dark(element: &web_sys::Element) -> bool {
    if let Some(theme) = element.closest("[data-theme]").ok().flatten().and_then(|e| e.get_attribute("data-theme")) {
        return theme == "dark";
    }
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Colours of the canvas in the current theme.
struct Palette {
    background: [u8; 3],
    ink: &'static str,
    label_background: &'static str,
    /// What lies after the play head while playing: the background, mostly opaque.
    dimmed: &'static str,
}

fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            background: [0x16, 0x1b, 0x24],
            ink: "#e6e9ef",
            label_background: "rgba(17,21,28,0.85)",
            dimmed: "rgba(22,27,36,0.6)",
        }
    } else {
        Palette {
            background: [0xfb, 0xfc, 0xfe],
            ink: "#1c2230",
            label_background: "rgba(255,255,255,0.88)",
            dimmed: "rgba(251,252,254,0.6)",
        }
    }
}

/// What a drawing of the requests depends on: the run, the window, the selection, the endpoint,
/// the canvas size in device pixels and the theme. Not the play head. The run is its revision
/// and digest.
type RequestsKey = ((u64, u64), (u64, u64), Option<u32>, usize, (u32, u32), bool);

/// The requests as last rasterised, kept so that moving only the play head (scrubbing, playing)
/// puts the same pixels back instead of drawing every request again, and a pan draws only the
/// strip it uncovers.
#[derive(Default)]
pub struct Drawn {
    key: Option<RequestsKey>,
    raster: Option<Raster>,
    image: Option<web_sys::ImageData>,
}

/// How many device pixels the drawing moved from `old` to `new`, when they differ only by a
/// window of the same span moved by a whole number of pixels, fewer than the width (a pan).
fn pan_shift(old: RequestsKey, new: RequestsKey) -> Option<i32> {
    let ((run, window, selected, endpoint, size, dark), (_, new_window, ..)) = (old, new);
    let span = window.1.abs_diff(window.0);
    if (run, new_window, selected, endpoint, size, dark) != new
        || new_window.1.abs_diff(new_window.0) != span
        || new_window == window
    {
        return None;
    }
    let width = f64::from(size.0);
    let dx = (window.0 as f64 - new_window.0 as f64) / span.max(1) as f64 * width;
    let whole = dx.round();
    ((dx - whole).abs() < 0.01 && whole.abs() < width).then_some(whole as i32)
}

/// What one drawing shows: the time window, the play head, and how wide the canvas is laid out.
#[derive(Clone, Copy)]
pub struct Frame {
    /// The time window, in virtual microseconds (while a drag pans, the panned one).
    pub window: (u64, u64),
    /// The play head, in virtual microseconds.
    pub cursor_us: u64,
    /// Whether playback runs (what lies after the play head is dimmed).
    pub playing: bool,
    /// The canvas's laid-out width in CSS pixels, as last observed (0 when not yet known).
    pub css_width: f64,
}

/// Draws the whole timeline for the play head, reusing `drawn` when only the play head moved.
pub fn draw(canvas: &NodeRef, state: &State, frame: Frame, drawn: &RefCell<Drawn>) {
    let Some(element) = canvas.cast::<HtmlCanvasElement>() else { return };
    let Some(result) = &state.result else { return };
    let scale = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).clamp(1.0, 3.0);
    let css_width = if frame.css_width > 0.0 { frame.css_width } else { f64::from(element.client_width()).max(1.0) };
    let (width, height) = ((css_width * scale).round() as u32, (HEIGHT_PX * scale).round() as u32);
    // Setting a canvas's size clears and reallocates it: only when it changed.
    if (element.width(), element.height()) != (width, height) {
        element.set_width(width);
        element.set_height(height);
    }
    let Ok(Some(context)) = element.get_context("2d") else { return };
    let Ok(ctx) = context.dyn_into::<CanvasRenderingContext2d>() else { return };
    let is_dark = dark(&element);
    let colours = palette(is_dark);
    let run = (result.revision, result.report.digest);
    let key = (run, frame.window, state.selected_request, state.endpoint, (width, height), is_dark);
    let mut drawn = drawn.borrow_mut();
    if drawn.key != Some(key) || drawn.image.is_none() {
        let shift = drawn.key.and_then(|old| pan_shift(old, key));
        let mut raster = match (shift, drawn.raster.take()) {
            (Some(dx), Some(mut last)) => {
                last.shift(dx, colours.background);
                last
            }
            _ => Raster::new(width, height, colours.background),
        };
        rasterise(&mut raster, state, frame.window, &colours, scale);
        drawn.image =
            web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&raster.pixels), width, height)
                .ok();
        drawn.raster = Some(raster);
        drawn.key = Some(key);
    }
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    if let Some(image) = &drawn.image {
        let _ = ctx.put_image_data(image, 0.0, 0.0);
    }
    // From here on, CSS pixels.
    let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
    let (from, to) = frame.window;
    let span = (to - from).max(1) as f64;
    let x_of = |t: u64| t.saturating_sub(from) as f64 / span * css_width;
    if frame.playing {
        ctx.set_fill_style_str(colours.dimmed);
        ctx.fill_rect(x_of(frame.cursor_us), 0.0, css_width, HEIGHT_PX);
    }
    outline_selected(&ctx, state, frame.window, &colours, &x_of);
    annotate_state_changes(&ctx, state, frame.window, &colours, &x_of);
    ctx.set_fill_style_str("#f2a900");
    ctx.fill_rect(x_of(frame.cursor_us) - 1.0, 0.0, 2.0, HEIGHT_PX);
}

/// The fault bands, the selected lane and every request in the window, in device pixels, into
/// the raster's clip (all of it, or the strip a pan uncovered).
fn rasterise(raster: &mut Raster, state: &State, (from, to): (u64, u64), colours: &Palette, scale: f64) {
    let Some(result) = &state.result else { return };
    let width = f64::from(raster.width);
    let us_per_px = (to - from).max(1) as f64 / width;
    // Signed: what lies before the window is left of the canvas, not on its first column.
    let x_px = |t: u64| (t as f64 - from as f64) / us_per_px;
    // The requests under the clip, and those a few pixels either side (end ticks and markers
    // reach past a request's ends).
    let time_at = |column: f64| (from as f64 + column * us_per_px).max(0.0) as u64;
    let (clip_from, clip_to, margin_px) = (f64::from(raster.clip.0), f64::from(raster.clip.1), 4.0 * scale);
    let (shown_from, shown_to) = (time_at(clip_from - margin_px), time_at(clip_to + margin_px));
    shade_faults(raster, state, &x_px);
    let row = |id: u32| Row { y: (u64::from(id) % lanes()) as f64 * LANE_PX * scale, height: LANE_PX * scale, scale };
    if let Some(id) = state.selected_request {
        let lane = row(id);
        raster.fill(0.0, width, lane.y, lane.y + lane.height, rgb(colours.ink), 28);
    }
    for journey in result.derived.visible(shown_from, shown_to) {
        draw_journey(raster, journey, row(journey.id), &x_px);
    }
}

fn outline_selected(
    ctx: &CanvasRenderingContext2d,
    state: &State,
    window: (u64, u64),
    colours: &Palette,
    x_of: &dyn Fn(u64) -> f64,
) {
    let Some(result) = &state.result else { return };
    let Some(selected) = state.selected_request.and_then(|id| result.derived.journeys.get(id as usize)) else {
        return;
    };
    let y = (u64::from(selected.id) % lanes()) as f64 * LANE_PX;
    let (x0, x1) = (x_of(selected.arrival_us), x_of(selected.end_us.min(window.1)));
    ctx.set_stroke_style_str(colours.ink);
    ctx.set_line_width(1.5);
    ctx.stroke_rect(x0 - 2.0, y - 1.0, (x1 - x0) + 4.0, LANE_PX + 1.0);
}

/// Words for a layer's state change, from the engine's catalogue: "breaker opened".
fn change_words(kind: &str, code: u8) -> String {
    let spec = resilience_engine::catalog::layer(kind);
    match spec.and_then(|spec| spec.states.iter().find(|s| s.code == code)) {
        Some(state) => state.entered.to_owned(),
        None => format!("{} changed", spec.map_or(kind, |spec| spec.label).to_ascii_lowercase()),
    }
}

/// Marks each state change of the shown endpoint's layers with a line and a label
/// ("breaker opened at 20.4 s"), skipping labels that would overlap the previous one.
fn annotate_state_changes(
    ctx: &CanvasRenderingContext2d,
    state: &State,
    (from, to): (u64, u64),
    colours: &Palette,
    x_of: &dyn Fn(u64) -> f64,
) {
    let Some(result) = &state.result else { return };
    let Some(endpoint) = result.scenario.endpoints.get(state.endpoint) else { return };
    ctx.set_font("600 11px system-ui, sans-serif");
    let mut free_from_px = f64::MIN;
    let mut line_dash = js_sys::Array::of2(&3.0.into(), &3.0.into());
    for (t, layer, code) in result.derived.state_changes(state.endpoint as u16, from, to) {
        let x = x_of(t);
        let kind = endpoint.stack.get(usize::from(layer)).map_or("layer", |l| l.kind_name());
        ctx.set_stroke_style_str(if code == 1 { "#f28c28" } else { colours.ink });
        let _ = ctx.set_line_dash(&line_dash);
        ctx.begin_path();
        ctx.move_to(x, 0.0);
        ctx.line_to(x, HEIGHT_PX);
        ctx.stroke();
        let text = format!("{} at {} s", change_words(kind, code), fixed(t as f64 / 1e6, 1));
        let width = ctx.measure_text(&text).map_or(120.0, |m| m.width()) + 8.0;
        if x < free_from_px {
            continue;
        }
        free_from_px = x + width + LABEL_GAP_PX;
        ctx.set_fill_style_str(colours.label_background);
        ctx.fill_rect(x + 2.0, 2.0, width, 16.0);
        ctx.set_fill_style_str(colours.ink);
        let _ = ctx.fill_text(&text, x + 6.0, 14.0);
    }
    line_dash = js_sys::Array::new();
    let _ = ctx.set_line_dash(&line_dash);
}

/// Shades the fault windows of the service the shown endpoint calls.
fn shade_faults(raster: &mut Raster, state: &State, x_of: &dyn Fn(u64) -> f64) {
    let Some(result) = &state.result else { return };
    let scenario = &result.scenario;
    let Some(endpoint) = scenario.endpoints.get(state.endpoint) else { return };
    let Some(service) = scenario.services.iter().find(|s| s.name == endpoint.service) else { return };
    let end = scenario.duration.as_micros();
    let height = f64::from(raster.height);
    for fault in &service.faults {
        let (from, to) = fault.window();
        let (x0, x1) = (x_of(from.as_micros()), x_of(to.map_or(end, |t| t.as_micros())));
        raster.fill(x0, x1, 0.0, height, rgb(fault_colour(fault.kind_name())), 34);
    }
}

#[cfg(test)]
mod tests {
    use super::change_words;

    #[test]
    fn state_changes_read_as_words() {
        assert_eq!(change_words("circuit_breaker", 1), "breaker opened");
        assert_eq!(change_words("circuit_breaker", 2), "breaker half-open");
        assert_eq!(change_words("circuit_breaker", 0), "breaker closed");
    }
}
