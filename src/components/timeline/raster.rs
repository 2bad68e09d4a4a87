//! An RGBA pixel buffer that requests are rasterised into in Rust and handed to the canvas at
//! once: the cost grows with the pixels touched, not with calls across the wasm boundary.

use resilience_engine::sim::Outcome;

use crate::view_model::{Journey, Marker};

/// An RGBA pixel buffer with rectangle fills clipped to its columns `clip`, in device pixels.
#[derive(Debug)]
pub struct Raster {
    /// Width, in device pixels.
    pub width: u32,
    /// Height, in device pixels.
    pub height: u32,
    /// RGBA bytes, row by row.
    pub pixels: Vec<u8>,
    /// The columns fills may touch, `[from, to)`: all of them, or the strip a pan uncovered.
    pub clip: (u32, u32),
}

impl Raster {
    /// A buffer filled with `background`.
    pub fn new(width: u32, height: u32, background: [u8; 3]) -> Self {
        let pixels = opaque(background).repeat((width * height) as usize);
        Self { width, height, pixels, clip: (0, width) }
    }

    /// Moves every pixel `dx` columns right (left when negative), paints the uncovered columns
    /// `background`, and clips later fills to them: what a pan by `dx` pixels leaves to draw.
    pub fn shift(&mut self, dx: i32, background: [u8; 3]) {
        let width = self.width as usize;
        if width == 0 {
            return;
        }
        let moved = (dx.unsigned_abs() as usize).min(width);
        let pixel = opaque(background);
        for row in self.pixels.chunks_exact_mut(width * 4) {
            let uncovered = if dx >= 0 {
                row.copy_within(..(width - moved) * 4, moved * 4);
                0..moved * 4
            } else {
                row.copy_within(moved * 4.., 0);
                (width - moved) * 4..width * 4
            };
            row[uncovered].chunks_exact_mut(4).for_each(|p| p.copy_from_slice(&pixel));
        }
        let moved = moved as u32;
        self.clip = if dx >= 0 { (0, moved) } else { (self.width - moved, self.width) };
    }

    /// Fills `[x0, x1) × [y0, y1)` with `colour`, blended by `alpha` (0..=255), inside the clip.
    /// A fill narrower than a pixel covers the pixel it starts in.
    pub fn fill(&mut self, x0: f64, x1: f64, y0: f64, y1: f64, colour: [u8; 3], alpha: u16) {
        let (left, right) = (f64::from(self.clip.0), f64::from(self.clip.1));
        let clamp_x = |x: f64| x.max(left).min(right) as u32;
        let clamp_y = |y: f64| y.max(0.0).min(f64::from(self.height)) as u32;
        let (column, y0, y1) = (clamp_x(x0), clamp_y(y0), clamp_y(y1));
        let mut end = clamp_x(x1).max(column);
        if end == column && x0 >= left && x0 < right {
            end = column + 1;
        }
        let (x0, x1) = (column, end);
        for y in y0..y1 {
            let row = (y * self.width) as usize * 4;
            let span = self.pixels[row + x0 as usize * 4..row + x1 as usize * 4].chunks_exact_mut(4);
            if alpha >= 255 {
                span.for_each(|pixel| pixel[..3].copy_from_slice(&colour));
                continue;
            }
            for pixel in span {
                for (channel, value) in pixel.iter_mut().zip(colour) {
                    *channel = ((u16::from(*channel) * (255 - alpha) + u16::from(value) * alpha) / 255) as u8;
                }
            }
        }
    }
}

/// `colour` as an opaque RGBA pixel.
fn opaque([r, g, b]: [u8; 3]) -> [u8; 4] {
    [r, g, b, 255]
}

/// `#rrggbb` to bytes (grey for anything else); a `const fn`, so fixed colours are read once,
/// when the code is compiled.
pub const fn rgb(hex: &str) -> [u8; 3] {
    let b = hex.as_bytes();
    if b.len() != 7 {
        return [128; 3];
    }
    [hex_byte(b[1], b[2]), hex_byte(b[3], b[4]), hex_byte(b[5], b[6])]
}

const fn hex_byte(high: u8, low: u8) -> u8 {
    const fn digit(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => 8,
        }
    }
    digit(high) * 16 + digit(low)
}

/// Each outcome's colour as bytes, indexed by its code.
const OUTCOME_RGB: [[u8; 3]; Outcome::ALL.len()] = {
    let mut colours = [[0; 3]; Outcome::ALL.len()];
    let mut i = 0;
    while i < colours.len() {
        colours[i] = rgb(Outcome::ALL[i].colour());
        i += 1;
    }
    colours
};
/// An unfinished request's line.
const UNFINISHED_RGB: [u8; 3] = rgb("#8a93a6");
/// Attempt colours: abandoned (no status), answered, 429 and error.
const ATTEMPT_RGB: [[u8; 3]; 4] = [rgb("#9aa3b5"), rgb("#2e9d4f"), rgb("#c7a26a"), rgb("#d63a3a")];

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

/// The colour of a marker, or `None` for markers not drawn as ticks.
pub fn marker_colour(marker: Marker) -> Option<&'static str> {
    Some(match marker {
        Marker::Timeout => "#b04a8c",
        Marker::BreakerRejected => "#f28c28",
        Marker::BulkheadRejected => "#d9a400",
        Marker::CacheHit | Marker::CacheStale => "#2f7ed8",
        Marker::Fallback => "#9b6fd0",
        Marker::RetryWait => return None,
    })
}

fn outcome_colour(outcome: Option<Outcome>) -> [u8; 3] {
    outcome.map_or(UNFINISHED_RGB, |o| OUTCOME_RGB.get(o as usize).copied().unwrap_or(UNFINISHED_RGB))
}

/// Where a request is drawn: its lane's top (`y`) and height, in device pixels.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// Top of the lane.
    pub y: f64,
    /// Height of the lane.
    pub height: f64,
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

/// Draws one request: its life as a thin line, attempts as thick segments, markers as ticks.
pub fn draw_journey(raster: &mut Raster, journey: &Journey, row: Row, x_of: &dyn Fn(u64) -> f64) {
    let Row { y, height, scale } = row;
    let x0 = x_of(journey.arrival_us);
    let x1 = if journey.end_us == u64::MAX { f64::from(raster.width) } else { x_of(journey.end_us) };
    let colour = outcome_colour(journey.outcome);
    let middle = y + height / 2.0;
    raster.fill(x0, x1, middle - 0.5 * scale, middle + 0.5 * scale, colour, 140);
    for attempt in &journey.attempts {
        let a0 = x_of(attempt.start_us);
        let a1 = if attempt.end_us == u64::MAX { x1 } else { x_of(attempt.end_us) };
        let status = match attempt.status {
            0 => ATTEMPT_RGB[0],
            s if s < 400 => ATTEMPT_RGB[1],
            429 => ATTEMPT_RGB[2],
            _ => ATTEMPT_RGB[3],
        };
        // A hedge runs beside the attempt it hedges: it takes the lower half of the row.
        let top = if attempt.parallel { middle + 0.5 * scale } else { y + scale };
        raster.fill(a0, a1, top, y + height - scale, status, 255);
    }
    for (t, marker) in &journey.markers {
        let Some(colour) = marker_colour(*marker) else { continue };
        let x = x_of(*t);
        raster.fill(x - scale, x + 2.0 * scale, y, y + height - scale, rgb(colour), 255);
    }
    raster.fill(x1 - scale, x1 + scale, y + scale, y + height - scale, colour, 255);
}

#[cfg(test)]
mod tests {
    use super::{OUTCOME_RGB, Raster, outcome_colour, rgb};
    use resilience_engine::sim::Outcome;

    #[test]
    fn colours_are_read_from_hex_and_anything_else_is_grey() {
        assert_eq!(rgb("#d63a3a"), [0xd6, 0x3a, 0x3a]);
        assert_eq!(rgb("#FfA900"), [0xff, 0xa9, 0x00]);
        assert_eq!(rgb("junk"), [128; 3]);
        for outcome in Outcome::ALL {
            assert_eq!(outcome_colour(Some(outcome)), rgb(outcome.colour()), "{outcome:?}");
        }
        assert_eq!(OUTCOME_RGB.len(), Outcome::ALL.len());
    }

    #[test]
    fn fills_are_clipped_blended_and_never_backwards() {
        let mut raster = Raster::new(4, 2, [0, 0, 0]);
        raster.fill(1.0, 3.0, 0.0, 1.0, [200, 100, 50], 255);
        assert_eq!(&raster.pixels[4..12], &[200, 100, 50, 255, 200, 100, 50, 255]);
        assert_eq!(&raster.pixels[0..4], &[0, 0, 0, 255]);
        raster.fill(-5.0, 99.0, 1.0, 9.0, [255, 255, 255], 51);
        assert_eq!(&raster.pixels[16..20], &[51, 51, 51, 255]);
        // A span that ends before it starts, at the right edge or anywhere, draws nothing odd.
        raster.fill(4.0, 2.0, 0.0, 2.0, [1, 2, 3], 255);
        raster.fill(f64::NAN, 2.0, 0.0, 2.0, [9, 9, 9], 255);
        assert_eq!(&raster.pixels[12..16], &[0, 0, 0, 255]);
    }

    /// Spans (µs) of three colours, some narrower than a pixel, some off either edge, drawn for
    /// a window starting at `from_us` (10 µs a pixel on 100 columns) into the raster's clip.
    fn paint(raster: &mut Raster, from_us: f64) {
        let x = |t: f64| (t - from_us) / 10.0;
        for i in 0..60_u32 {
            let start = f64::from(i * 37 % 1300);
            let length = f64::from(i * 13 % 90) + 0.5;
            let colour = [[200, 30, 30], [30, 200, 30], [30, 30, 200]][i as usize % 3];
            raster.fill(
                x(start),
                x(start + length),
                f64::from(i % 4),
                f64::from(i % 4 + 2),
                colour,
                [255, 140][i as usize % 2],
            );
        }
    }

    #[test]
    fn a_pan_moves_the_pixels_and_draws_only_the_uncovered_strip_to_the_same_picture() {
        for (from_before, from_after) in [(300.0, 270.0), (300.0, 370.0), (300.0, 1290.0)] {
            let mut panned = Raster::new(100, 6, [250, 250, 250]);
            paint(&mut panned, from_before);
            panned.shift(((from_before - from_after) / 10.0) as i32, [250, 250, 250]);
            paint(&mut panned, from_after);
            let mut fresh = Raster::new(100, 6, [250, 250, 250]);
            paint(&mut fresh, from_after);
            assert!(panned.pixels == fresh.pixels, "pan from {from_before} to {from_after}");
        }
    }
}
