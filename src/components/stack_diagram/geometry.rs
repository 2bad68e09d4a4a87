//! Where things sit on the diagram. Stations run left to right when each gets at least
//! [`COLUMN_MIN_PX`], otherwise top to bottom (phones). Positions are computed along the
//! stations ("main" axis) and across the lanes ("cross" axis), then mapped to x and y.

use crate::diagram_model::Dot;

/// Narrowest station column of the left-to-right layout, in CSS pixels.
pub const COLUMN_MIN_PX: f64 = 88.0;
/// Height of the left-to-right layout, in CSS pixels (less without slot cells to show).
const ROW_LAYOUT_PX: f64 = 236.0;
const ROW_LAYOUT_NO_CELLS_PX: f64 = 204.0;
/// Height of one station in the top-to-bottom layout, in CSS pixels.
const STATION_ROW_PX: f64 = 60.0;

/// A rectangle in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// The layout of one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    /// Stations top to bottom?
    pub vertical: bool,
    /// Canvas width, in CSS pixels.
    pub width_px: f64,
    /// Canvas height, in CSS pixels.
    pub height_px: f64,
    main0: f64,
    step: f64,
    /// Cross-axis extent of the lanes (station boxes span it).
    pub lanes: (f64, f64),
    out: f64,
    back: f64,
    /// Half-width of a lane (dots spread over it).
    pub half_lane: f64,
    /// Half-size of a station box along the main axis.
    pub box_half: f64,
}

impl Geometry {
    /// The layout of `stations` stations on a canvas `width_px` wide; `cells` when some
    /// station shows slot cells.
    pub fn new(width_px: f64, stations: usize, cells: bool) -> Self {
        let n = stations.max(2) as f64;
        let width_px = width_px.max(200.0);
        if width_px / n >= COLUMN_MIN_PX {
            let step = (width_px - 16.0) / n;
            return Self {
                vertical: false,
                width_px,
                height_px: if cells { ROW_LAYOUT_PX } else { ROW_LAYOUT_NO_CELLS_PX },
                main0: 8.0 + step / 2.0,
                step,
                lanes: (34.0, 146.0),
                out: 64.0,
                back: 118.0,
                half_lane: 11.0,
                box_half: (step / 2.0 - 10.0).min(46.0),
            };
        }
        let right = (width_px * 0.4).clamp(110.0, 190.0);
        let span = right - 8.0;
        Self {
            vertical: true,
            width_px,
            height_px: n * STATION_ROW_PX + 8.0,
            main0: 4.0 + STATION_ROW_PX / 2.0,
            step: STATION_ROW_PX,
            lanes: (8.0, right),
            out: 8.0 + span * 0.27,
            back: 8.0 + span * 0.73,
            half_lane: span * 0.11,
            box_half: STATION_ROW_PX / 2.0 - 9.0,
        }
    }

    /// (main, cross) to (x, y).
    pub fn map(&self, main: f64, cross: f64) -> (f64, f64) {
        if self.vertical { (cross, main) } else { (main, cross) }
    }

    /// Main-axis position of a (fractional) station index.
    pub fn main_of(&self, along: f64) -> f64 {
        self.main0 + self.step * along
    }

    /// Cross-axis position: 0 the inbound lane, 0.5 the waiting area, 1 the return lane.
    pub fn cross_of(&self, across: f64) -> f64 {
        self.out + (self.back - self.out) * across
    }

    /// Where a dot is drawn: spread over its lane by its id, and beside its station while it
    /// waits.
    pub fn dot(&self, dot: &Dot) -> (f64, f64) {
        let spread = |salt: u32| {
            let h = dot.request.wrapping_mul(2_654_435_761).wrapping_add(salt).rotate_left(13);
            f64::from(h % 1_000) / 500.0 - 1.0
        };
        let across = f64::from(dot.across);
        let waiting = (across - 0.5).abs() < 0.2;
        let main = self.main_of(f64::from(dot.along)) + if waiting { spread(7) * self.box_half * 0.7 } else { 0.0 };
        let cross = self.cross_of(across) + spread(0) * self.half_lane;
        self.map(main, cross)
    }

    /// Where station `i`'s title goes (its anchor point) and whether it is centred.
    pub fn title(&self, i: usize) -> (f64, f64, bool) {
        let main = self.main_of(i as f64);
        if self.vertical { (self.lanes.1 + 12.0, main - 10.0, false) } else { (main, 20.0, true) }
    }

    /// The box for station `i`'s readout.
    pub fn readout(&self, i: usize) -> Rect {
        let main = self.main_of(i as f64);
        if self.vertical {
            let x = self.lanes.1 + 12.0;
            Rect { x, y: main - 1.0, w: self.width_px - x - 8.0, h: self.step / 2.0 + 2.0 }
        } else {
            Rect { x: main - self.step / 2.0 + 4.0, y: 154.0, w: self.step - 8.0, h: self.height_px - 158.0 }
        }
    }

    /// Station `i`'s box.
    pub fn station_box(&self, i: usize) -> Rect {
        let main = self.main_of(i as f64);
        let (x0, y0) = self.map(main - self.box_half, self.lanes.0);
        let (x1, y1) = self.map(main + self.box_half, self.lanes.1);
        Rect { x: x0.min(x1), y: y0.min(y1), w: (x1 - x0).abs(), h: (y1 - y0).abs() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_get_the_vertical_layout_and_desktops_the_horizontal_one() {
        let phone = Geometry::new(358.0, 8, true);
        assert!(phone.vertical && phone.height_px > 400.0);
        assert!(phone.readout(7).x + phone.readout(7).w <= 358.0);
        let desktop = Geometry::new(1000.0, 8, true);
        assert!(!desktop.vertical && desktop.station_box(7).x + desktop.station_box(7).w <= 1000.0);
        let dot = Dot {
            request: 3,
            along: 7.0,
            across: 1.0,
            tint: crate::diagram_model::Tint::Success,
            mark: None,
            progress: 0.5,
        };
        let (x, y) = desktop.dot(&dot);
        assert!(x <= 1000.0 && (desktop.lanes.0..desktop.lanes.1).contains(&y));
    }
}
