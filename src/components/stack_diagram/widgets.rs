//! The parts with meaning beyond position: the breaker's switch, the cut mark, and each
//! station's title, readout (a badge when it signals a state) and slot cells.

use web_sys::CanvasRenderingContext2d;

use super::draw::{Frame, kind_colour};
use super::geometry::{Geometry, Rect};
use crate::diagram_model::{Readout, StationKind, Tone, kind_name};

/// Fonts of titles and readouts.
const TITLE_FONT: &str = "600 12.5px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const TEXT_FONT: &str = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
/// Pitch of one slot cell, in CSS pixels.
const CELL_PX: f64 = 7.0;

/// The breaker as a switch on the inbound lane: closed (connected, calls pass), open (lifted,
/// calls bounce), half-open (ajar, dashed).
pub fn switch(ctx: &CanvasRenderingContext2d, g: &Geometry, i: usize, state: u8) {
    let main = g.main_of(i as f64);
    let lane = g.cross_of(0.0);
    let arm = 2.0 * g.box_half.min(16.0);
    // (cos, sin) of the arm's angle: 43° open, 17° half-open.
    let ((cos, sin), colour) = match state {
        1 => ((0.731, 0.682), "#e0701a"),
        2 => ((0.956, 0.292), "#c9a400"),
        _ => ((1.0, 0.0), "#2e9d4f"),
    };
    let pivot = main - arm / 2.0;
    let (x0, y0) = g.map(pivot, lane);
    let (x1, y1) = g.map(pivot + arm * cos, lane - arm * sin);
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(3.5);
    ctx.set_line_cap("round");
    if state == 2 {
        let _ = ctx.set_line_dash(&js_sys::Array::of2(&5.0.into(), &3.0.into()));
    }
    ctx.begin_path();
    ctx.move_to(x0, y0);
    ctx.line_to(x1, y1);
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    ctx.set_fill_style_str(colour);
    for end in [pivot, pivot + arm] {
        let (x, y) = g.map(end, lane);
        ctx.begin_path();
        let _ = ctx.arc(x, y, 3.5, 0.0, std::f64::consts::TAU);
        ctx.fill();
    }
    ctx.set_line_cap("butt");
}

/// A cut across both lanes at main-axis position `main`.
pub fn cut_mark(ctx: &CanvasRenderingContext2d, g: &Geometry, main: f64) {
    let size = 6.0;
    ctx.set_stroke_style_str("#b04a8c");
    ctx.set_line_width(2.5);
    ctx.begin_path();
    for across in [0.0, 1.0] {
        let c = g.cross_of(across);
        for (a, b) in [((-size, -size), (size, size)), ((-size, size), (size, -size))] {
            let (x0, y0) = g.map(main + a.0, c + a.1);
            let (x1, y1) = g.map(main + b.0, c + b.1);
            ctx.move_to(x0, y0);
            ctx.line_to(x1, y1);
        }
    }
    ctx.stroke();
}

/// Station `i`'s title and readout.
pub fn words(ctx: &CanvasRenderingContext2d, frame: &Frame, i: usize) {
    let (Some(station), Some(readout)) = (frame.model.stations.get(i), frame.readouts.get(i)) else { return };
    let g = &frame.geometry;
    let (x, y, centred) = g.title(i);
    ctx.set_font(TITLE_FONT);
    ctx.set_text_baseline("middle");
    ctx.set_text_align(if centred { "center" } else { "left" });
    ctx.set_fill_style_str(&frame.palette.fg);
    let room = if g.vertical { 110.0 } else { g.readout(i).w };
    let name = kind_name(station.kind);
    // A name too wide for its room keeps its last word ("circuit breaker" → "breaker").
    let wide = ctx.measure_text(&name).is_ok_and(|m| m.width() > room);
    let title = if wide { name.rsplit(' ').next().unwrap_or(&name) } else { &name };
    let _ = ctx.fill_text_with_max_width(title, x, y, room);
    let r = g.readout(i);
    if g.vertical {
        let title_w = ctx.measure_text(title).map_or(60.0, |m| m.width());
        badge(ctx, frame, readout, x + title_w + 8.0, y, false, r.w - title_w - 8.0);
        let grid_w = if readout.detail.is_empty() { r.w } else { r.w * 0.58 };
        let used = readout
            .slots
            .map_or(0.0, |(busy, capacity)| cells(ctx, frame, station.kind, Rect { w: grid_w, ..r }, busy, capacity));
        detail(ctx, frame, readout, r.x + used, r.y + 8.0, false, r.w - used);
    } else {
        badge(ctx, frame, readout, r.x + r.w / 2.0, r.y + 8.0, true, r.w);
        let grid = Rect { y: r.y + 20.0, h: r.h - 36.0, ..r };
        let used = readout.slots.map_or(0.0, |(busy, capacity)| cells(ctx, frame, station.kind, grid, busy, capacity));
        let below = if used > 0.0 { r.y + r.h - 6.0 } else { r.y + 28.0 };
        detail(ctx, frame, readout, r.x + r.w / 2.0, below, true, r.w);
    }
}

/// The headline: plain text, or a badge (dark text on a light colour, AA in both themes).
fn badge(ctx: &CanvasRenderingContext2d, frame: &Frame, readout: &Readout, x: f64, y: f64, centred: bool, room: f64) {
    if readout.headline.is_empty() {
        return;
    }
    let mut text = String::from(readout.glyph);
    text.push_str(if readout.glyph.is_empty() { "" } else { " " });
    text.push_str(&readout.headline);
    let background = match readout.tone {
        Tone::Good => "#7cc36e",
        Tone::Bad => "#f28c28",
        Tone::Warn => "#f2d028",
        Tone::Plain => "",
    };
    pill(
        ctx,
        &text,
        (x, y, centred, room),
        background,
        if background.is_empty() { &frame.palette.fg } else { "#111111" },
    );
}

/// The second line; a fault at the service is a red badge.
fn detail(ctx: &CanvasRenderingContext2d, frame: &Frame, readout: &Readout, x: f64, y: f64, centred: bool, room: f64) {
    if readout.detail.is_empty() || room < 24.0 {
        return;
    }
    let x = if centred { x } else { x + 6.0 };
    if readout.alert {
        let mut text = String::from("⚠ ");
        text.push_str(&readout.detail);
        pill(ctx, &text, (x, y, centred, room), "#c22f2f", "#ffffff");
    } else {
        pill(ctx, &readout.detail, (x, y, centred, room), "", &frame.palette.muted);
    }
}

/// `text` at (x, y) (centred or from the left, at most `room` wide), on a rounded
/// `background` unless it is empty.
fn pill(
    ctx: &CanvasRenderingContext2d,
    text: &str,
    (x, y, centred, room): (f64, f64, bool, f64),
    background: &str,
    colour: &str,
) {
    ctx.set_font(TEXT_FONT);
    ctx.set_text_align(if centred { "center" } else { "left" });
    let room = room.max(20.0);
    if background.is_empty() {
        ctx.set_fill_style_str(colour);
        let _ = ctx.fill_text_with_max_width(text, x, y, room);
        return;
    }
    let width = ctx.measure_text(text).map_or(60.0, |m| m.width()).min(room) + 10.0;
    let left = if centred { x - width / 2.0 } else { x };
    ctx.begin_path();
    let _ = ctx.round_rect_with_f64(left, y - 9.0, width, 18.0, 4.0);
    ctx.set_fill_style_str(background);
    ctx.fill();
    ctx.set_fill_style_str(colour);
    let _ = ctx.fill_text_with_max_width(text, left + if centred { width / 2.0 } else { 5.0 }, y + 0.5, room);
}

/// Busy and free cells in `r` (a bar when they do not fit); returns the width used.
fn cells(ctx: &CanvasRenderingContext2d, frame: &Frame, kind: StationKind, r: Rect, busy: u32, capacity: u32) -> f64 {
    let columns = ((r.w / CELL_PX).floor() as u32).max(1);
    let rows = capacity.div_ceil(columns);
    let busy_colour = if kind == StationKind::Service { frame.palette.accent.as_str() } else { kind_colour(kind) };
    if f64::from(rows) * CELL_PX > r.h.max(CELL_PX) {
        let fill = f64::from(busy.min(capacity)) / f64::from(capacity.max(1));
        ctx.set_fill_style_str(&frame.palette.line);
        ctx.fill_rect(r.x, r.y, r.w, 8.0);
        ctx.set_fill_style_str(busy_colour);
        ctx.fill_rect(r.x, r.y, r.w * fill, 8.0);
        return r.w;
    }
    let used_columns = columns.min(capacity.max(1));
    let left = if frame.geometry.vertical { r.x } else { r.x + (r.w - f64::from(used_columns) * CELL_PX) / 2.0 };
    for (filled, colour) in [(true, busy_colour), (false, frame.palette.line.as_str())] {
        ctx.begin_path();
        for slot in (0..capacity).filter(|s| (*s < busy) == filled) {
            let (col, row) = (slot % columns, slot / columns);
            ctx.rect(left + f64::from(col) * CELL_PX, r.y + f64::from(row) * CELL_PX, CELL_PX - 2.0, CELL_PX - 2.0);
        }
        ctx.set_fill_style_str(colour);
        ctx.fill();
    }
    left - r.x + f64::from(used_columns) * CELL_PX
}
