//! Painting one frame: lanes, station boxes, the breaker's switch, marks, dots, then words.

use std::f64::consts::TAU;

use web_sys::CanvasRenderingContext2d;

use super::geometry::{Geometry, Rect};
use super::widgets;
use crate::diagram_model::{DiagramModel, Dot, MarkKind, Readout, StationKind, StationState, Tint};

/// The theme's colours, read from the canvas's computed style (works inside a shadow root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Background.
    pub bg: String,
    /// Text.
    pub fg: String,
    /// Secondary text, calls on their way in.
    pub muted: String,
    /// Lines and free slots.
    pub line: String,
    /// Station boxes.
    pub panel: String,
    /// Accent (busy workers).
    pub accent: String,
}

impl Palette {
    /// Reads the CSS variables on `element`, with the light theme's values as defaults.
    pub fn read(element: &web_sys::Element) -> Self {
        let style = web_sys::window().and_then(|w| w.get_computed_style(element).ok().flatten());
        let get = |name: &str, default: &str| {
            let value = style.as_ref().and_then(|s| s.get_property_value(name).ok()).unwrap_or_default();
            let value = value.trim();
            if value.is_empty() { default.to_owned() } else { value.to_owned() }
        };
        Self {
            bg: get("--bg", "#ffffff"),
            fg: get("--fg", "#1c2230"),
            muted: get("--muted", "#5b6475"),
            line: get("--line", "#d9dee8"),
            panel: get("--panel", "#f5f7fb"),
            accent: get("--accent", "#2f6fd6"),
        }
    }
}

/// Everything one frame shows.
#[derive(Debug)]
pub struct Frame<'a> {
    /// The run's model.
    pub model: &'a DiagramModel,
    /// Station states at the frame's time.
    pub states: &'a [StationState],
    /// Station words at the frame's time.
    pub readouts: &'a [Readout],
    /// Calls on screen.
    pub dots: &'a [Dot],
    /// The frame's (visual and real) time.
    pub t_us: u64,
    /// Colours.
    pub palette: &'a Palette,
    /// Layout.
    pub geometry: Geometry,
}

/// A station kind's colour (the same as the stack builder's layer edges).
pub fn kind_colour(kind: StationKind) -> &'static str {
    match kind {
        StationKind::Breaker => "#f28c28",
        StationKind::Retry => "#7cc36e",
        StationKind::Timeout => "#b04a8c",
        StationKind::Cache => "#2f7ed8",
        StationKind::Fallback => "#9b6fd0",
        StationKind::Bulkhead | StationKind::Pool | StationKind::AdaptiveLimit => "#d9a400",
        StationKind::RateLimiter | StationKind::Throttle => "#c7a26a",
        StationKind::Hedging => "#3aa6a0",
        StationKind::Client | StationKind::Service => "#8a93a6",
    }
}

/// A dot's colour and whether it is drawn as a ring (failures) rather than filled.
pub fn tint_style(tint: Tint, palette: &Palette) -> (&str, bool) {
    match tint {
        Tint::Outbound => (palette.muted.as_str(), false),
        Tint::Waiting => (palette.muted.as_str(), true),
        Tint::Success => ("#2e9d4f", false),
        Tint::Error => ("#d63a3a", true),
        Tint::Throttled => ("#c7a26a", true),
        Tint::Rejected => ("#f28c28", true),
        Tint::Full => ("#d9a400", true),
        Tint::Cache => ("#2f7ed8", false),
        Tint::Stale => ("#8ab6e8", false),
        Tint::Fallback => ("#9b6fd0", false),
        Tint::TimedOut => ("#b04a8c", true),
    }
}

/// Paints the frame.
pub fn paint(ctx: &CanvasRenderingContext2d, frame: &Frame) {
    let g = &frame.geometry;
    ctx.set_fill_style_str(&frame.palette.bg);
    ctx.fill_rect(0.0, 0.0, g.width_px, g.height_px);
    lanes(ctx, frame);
    for i in 0..frame.model.stations.len() {
        station(ctx, frame, i);
    }
    if let Some(i) = frame.model.find(StationKind::Breaker) {
        widgets::switch(ctx, g, i, frame.states.get(i).map_or(0, |s| s.breaker));
    }
    marks(ctx, frame);
    dots(ctx, frame);
    for i in 0..frame.model.stations.len() {
        widgets::words(ctx, frame, i);
    }
}

fn line(ctx: &CanvasRenderingContext2d, g: &Geometry, from: (f64, f64), to: (f64, f64)) {
    let (a, b) = (g.map(from.0, from.1), g.map(to.0, to.1));
    ctx.move_to(a.0, a.1);
    ctx.line_to(b.0, b.1);
}

/// The two lanes (calls in, answers back) with arrows between stations.
fn lanes(ctx: &CanvasRenderingContext2d, frame: &Frame) {
    let g = &frame.geometry;
    let last = frame.model.stations.len().saturating_sub(1) as f64;
    ctx.set_stroke_style_str(&frame.palette.line);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    for across in [0.0, 1.0] {
        line(ctx, g, (g.main_of(0.0), g.cross_of(across)), (g.main_of(last), g.cross_of(across)));
    }
    ctx.stroke();
    ctx.set_fill_style_str(&frame.palette.muted);
    ctx.begin_path();
    for i in 0..last as usize {
        let mid = g.main_of(i as f64 + 0.5);
        for (across, dir) in [(0.0, 1.0), (1.0, -1.0)] {
            let c = g.cross_of(across) + (g.half_lane + 5.0) * if across == 0.0 { -1.0 } else { 1.0 };
            let (tip, base1, base2) =
                (g.map(mid + 4.0 * dir, c), g.map(mid - 3.0 * dir, c - 3.5), g.map(mid - 3.0 * dir, c + 3.5));
            ctx.move_to(tip.0, tip.1);
            ctx.line_to(base1.0, base1.1);
            ctx.line_to(base2.0, base2.1);
            ctx.close_path();
        }
    }
    ctx.fill();
}

fn round_rect(ctx: &CanvasRenderingContext2d, r: Rect, radius: f64) {
    ctx.begin_path();
    let _ = ctx.round_rect_with_f64(r.x, r.y, r.w, r.h, radius);
}

/// A station's box, with its kind's colour on the edge facing the client; the service's box
/// turns red while a fault is active.
fn station(ctx: &CanvasRenderingContext2d, frame: &Frame, i: usize) {
    let g = &frame.geometry;
    let Some(station) = frame.model.stations.get(i) else { return };
    let r = g.station_box(i);
    round_rect(ctx, r, 7.0);
    ctx.set_fill_style_str(&frame.palette.panel);
    ctx.fill();
    if station.kind == StationKind::Service && frame.model.fault_at(frame.t_us).is_some() {
        ctx.set_global_alpha(0.18);
        ctx.set_fill_style_str(crate::components::timeline::raster::fault_colour("outage"));
        ctx.fill();
        ctx.set_global_alpha(1.0);
    }
    ctx.set_stroke_style_str(&frame.palette.line);
    ctx.set_line_width(1.0);
    ctx.stroke();
    let edge = if g.vertical { Rect { h: 4.0, ..r } } else { Rect { w: 4.0, ..r } };
    round_rect(ctx, edge, 2.0);
    ctx.set_fill_style_str(kind_colour(station.kind));
    ctx.fill();
}

/// One mark per station and kind, drawn while a call that made it moves on, fading with it.
fn marks(ctx: &CanvasRenderingContext2d, frame: &Frame) {
    let g = &frame.geometry;
    let mut drawn: Vec<(i32, MarkKind)> = Vec::new();
    for dot in frame.dots {
        let Some(kind) = dot.mark else { continue };
        // Marked calls move outwards (or turn in place): the station they left is above them.
        let station = dot.along.ceil() as i32;
        if kind == MarkKind::Cut {
            // It leaves the timeout's station: the mark stays where the cut happened.
            if dot.progress > 0.6 {
                continue;
            }
        }
        if drawn.contains(&(station, kind)) {
            continue;
        }
        drawn.push((station, kind));
        let age = f64::from(dot.progress);
        ctx.set_global_alpha((1.0 - age * 0.8).clamp(0.0, 1.0));
        let main = g.main_of(f64::from(station));
        match kind {
            MarkKind::Cut => widgets::cut_mark(ctx, g, main + g.box_half + 6.0),
            MarkKind::Bounce => ring(ctx, g.map(main - g.box_half, g.cross_of(0.0)), 5.0 + 9.0 * age, "#f28c28"),
            MarkKind::Fallback => ring(ctx, g.map(main, g.cross_of(1.0)), 6.0 + 9.0 * age, "#9b6fd0"),
        }
    }
    ctx.set_global_alpha(1.0);
}

fn ring(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), radius: f64, colour: &str) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, radius, 0.0, TAU);
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.0);
    ctx.stroke();
}

/// The calls, one path per colour.
fn dots(ctx: &CanvasRenderingContext2d, frame: &Frame) {
    let g = &frame.geometry;
    let radius = if g.vertical { 2.6 } else { 3.0 };
    for tint in Tint::ALL {
        let (colour, hollow) = tint_style(tint, frame.palette);
        ctx.begin_path();
        for dot in frame.dots.iter().filter(|d| d.tint == tint) {
            let (x, y) = g.dot(dot);
            ctx.move_to(x + radius, y);
            let _ = ctx.arc(x, y, radius, 0.0, TAU);
        }
        if hollow {
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(1.6);
            ctx.stroke();
        } else {
            ctx.set_fill_style_str(colour);
            ctx.fill();
        }
    }
}
