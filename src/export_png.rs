//! The timeline exported as a picture that stands on its own: the scenario's title, the
//! timeline image, a time axis with round ticks in seconds, and a legend of the colours,
//! composed on an offscreen canvas. The PNG carries the scenario's link in a `tEXt` chunk, so
//! dropping it back on the playground reopens it.

use resilience_engine::Scenario;
use resilience_engine::scenario::link::SharedView;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::axis;
use crate::components::timeline::raster::fault_colour;
use crate::share::{IMAGE_KEYWORD, png_with_text};

/// Width of the exported picture, in pixels.
const WIDTH_PX: f64 = 1200.0;
/// Margin around the content, in pixels.
const MARGIN_PX: f64 = 20.0;
/// Top of the timeline image (below the title lines), in pixels.
const PLOT_TOP_PX: f64 = 70.0;
/// Height of one legend row, in pixels.
const LEGEND_ROW_PX: f64 = 22.0;
/// Text and line colours on the white page.
const INK: &str = "#1c2230";
const MUTED: &str = "#4f5868";

/// The colours of the timeline's attempts, in the order of its legend (its marks follow).
const LEGEND: &[(&str, &str)] = &[
    ("#2e9d4f", "attempt answered"),
    ("#d63a3a", "attempt failed"),
    ("#c7a26a", "attempt throttled (429)"),
    ("#9aa3b5", "attempt abandoned"),
];

/// The timeline as a titled PNG with axis and legend that carries the scenario's link payload.
pub fn timeline_png(scenario: &Scenario, view: &SharedView, payload: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let document = web_sys::window()?.document()?;
    let source = document.get_element_by_id("timeline")?.dyn_into::<HtmlCanvasElement>().ok()?;
    let canvas = document.create_element("canvas").ok()?.dyn_into::<HtmlCanvasElement>().ok()?;
    compose(&canvas, &source, scenario, view)?;
    let url = canvas.to_data_url_with_type("image/png").ok()?;
    let png = base64::engine::general_purpose::STANDARD.decode(url.split_once(',')?.1).ok()?;
    png_with_text(&png, IMAGE_KEYWORD, payload)
}

/// Legend entries: the fixed colours, then the scenario's fault windows.
fn legend_entries(scenario: &Scenario) -> Vec<(String, String)> {
    use crate::components::timeline;
    let mut entries: Vec<(String, String)> = LEGEND
        .iter()
        .copied()
        .chain(timeline::marker_legend(&timeline::stack_kinds(scenario)))
        .map(|(c, l)| (c.to_owned(), l.to_owned()))
        .collect();
    // Each fault kind once, in order of first appearance (no sort: it would cost the wasm a
    // sort of its own).
    let mut kinds: Vec<&'static str> = Vec::new();
    for kind in scenario.services.iter().flat_map(|s| s.faults.iter().map(|f| f.kind_name())) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    // The timeline shades fault windows lightly; so does their swatch (30 % over white).
    entries.extend(kinds.into_iter().map(|k| (light(fault_colour(k)), format!("{k} window"))));
    entries
}

/// Draws the whole picture on `canvas`.
fn compose(
    canvas: &HtmlCanvasElement,
    source: &HtmlCanvasElement,
    scenario: &Scenario,
    view: &SharedView,
) -> Option<()> {
    let plot_w = WIDTH_PX - 2.0 * MARGIN_PX;
    let plot_h = (f64::from(source.height()) * plot_w / f64::from(source.width().max(1))).clamp(60.0, 1200.0);
    let entries = legend_entries(scenario);
    let per_row = 4usize;
    let legend_rows = entries.len().div_ceil(per_row) as f64;
    let axis_bottom = PLOT_TOP_PX + plot_h + 40.0;
    let height = axis_bottom + 16.0 + legend_rows * LEGEND_ROW_PX + MARGIN_PX;
    canvas.set_width(WIDTH_PX as u32);
    canvas.set_height(height as u32);
    let ctx = canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, WIDTH_PX, height);
    let (from_us, to_us) = view.window.map_or((0, scenario.duration.as_micros()), |[a, b]| (a, b.max(a + 1)));
    let (from_s, to_s) = (from_us as f64 / 1e6, to_us as f64 / 1e6);
    ctx.set_fill_style_str(INK);
    ctx.set_font("bold 22px system-ui, sans-serif");
    let _ = ctx.fill_text(&scenario.name, MARGIN_PX, 34.0);
    ctx.set_fill_style_str(MUTED);
    ctx.set_font("14px system-ui, sans-serif");
    let subtitle = format!(
        "Request timeline, {} to {} · one row per request, arrival on the left · Resilience Playground",
        axis::seconds_label(from_s),
        axis::seconds_label(to_s)
    );
    let _ = ctx.fill_text(&subtitle, MARGIN_PX, 56.0);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(source, MARGIN_PX, PLOT_TOP_PX, plot_w, plot_h);
    draw_axis(&ctx, (from_s, to_s), PLOT_TOP_PX + plot_h, plot_w);
    draw_legend(&ctx, &entries, axis_bottom + 16.0, plot_w / per_row as f64, per_row);
    Some(())
}

/// The time axis under the plot: a base line, ticks and their labels, and the axis name.
fn draw_axis(ctx: &CanvasRenderingContext2d, (from_s, to_s): (f64, f64), top: f64, plot_w: f64) {
    ctx.set_fill_style_str(MUTED);
    ctx.fill_rect(MARGIN_PX, top, plot_w, 1.0);
    let span = (to_s - from_s).max(1e-6);
    ctx.set_font("13px system-ui, sans-serif");
    for tick in axis::ticks(from_s, to_s, 8) {
        let x = (MARGIN_PX + (tick - from_s) / span * plot_w).round();
        ctx.set_fill_style_str(MUTED);
        ctx.fill_rect(x.min(MARGIN_PX + plot_w - 1.0), top, 1.0, 6.0);
        let align = if x < MARGIN_PX + 20.0 {
            "left"
        } else if x > MARGIN_PX + plot_w - 20.0 {
            "right"
        } else {
            "center"
        };
        ctx.set_text_align(align);
        ctx.set_fill_style_str(INK);
        let _ = ctx.fill_text(&axis::seconds_label(tick), x, top + 21.0);
    }
    ctx.set_text_align("right");
    ctx.set_fill_style_str(MUTED);
    let _ = ctx.fill_text("time (virtual seconds)", MARGIN_PX + plot_w, top + 38.0);
    ctx.set_text_align("left");
}

/// Colour swatches with their labels, `per_row` to a row.
fn draw_legend(ctx: &CanvasRenderingContext2d, entries: &[(String, String)], top: f64, column_w: f64, per_row: usize) {
    ctx.set_font("13px system-ui, sans-serif");
    for (i, (colour, label)) in entries.iter().enumerate() {
        let x = MARGIN_PX + (i % per_row) as f64 * column_w;
        let y = top + (i / per_row) as f64 * LEGEND_ROW_PX;
        ctx.set_fill_style_str(colour);
        ctx.fill_rect(x, y, 14.0, 14.0);
        ctx.set_fill_style_str(INK);
        let _ = ctx.fill_text(label, x + 20.0, y + 12.0);
    }
}

/// `#rrggbb` at 30 % over white, as `rgb(…)`.
fn light(hex: &str) -> String {
    let [r, g, b] = crate::components::timeline::raster::rgb(hex).map(|c| 255 - (255 - u32::from(c)) * 3 / 10);
    format!("rgb({r},{g},{b})")
}

#[cfg(test)]
mod tests {
    #[test]
    fn shaded_swatches_are_light() {
        assert_eq!(super::light("#d63a3a"), "rgb(243,196,196)");
        assert_eq!(super::light("#000000"), "rgb(179,179,179)");
        assert_eq!(super::light("junk"), "rgb(217,217,217)");
    }
}
