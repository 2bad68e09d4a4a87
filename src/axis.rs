//! Time-axis arithmetic shared by the charts, the fault-band editor and the PNG export: round
//! tick positions, their labels, and keeping a dragged fault band inside the run.

use crate::number::fixed;

/// The shortest fault band a drag or a resize leaves, in seconds.
pub const BAND_MIN_S: f64 = 1.0;

/// A "nice" step (1, 2 or 5 × 10ⁿ), the nearest to cutting `span` into `target` intervals.
#[must_use]
pub fn nice_step(span: f64, target: usize) -> f64 {
    if !span.is_finite() || span <= 0.0 {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    // libm, as the engine: one copy of pow and log10 in the bundle.
    let power = libm::pow(10.0, libm::floor(libm::log10(raw)));
    let fraction = raw / power;
    let nice = if fraction < std::f64::consts::SQRT_2 {
        1.0
    } else if fraction < 3.17 {
        2.0
    } else if fraction < 7.08 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Round tick values within `[from, to]` (inclusive), about `target` intervals apart.
#[must_use]
pub fn ticks(from: f64, to: f64, target: usize) -> Vec<f64> {
    if !(from.is_finite() && to.is_finite()) || to <= from {
        return vec![];
    }
    let step = nice_step(to - from, target);
    let first = (from / step).ceil() as i64;
    let last = (to / step + 1e-9).floor() as i64;
    (first..=last).take(50).map(|k| k as f64 * step).collect()
}

/// A tick label in seconds: `0 s`, `12.5 s`, no trailing zeros.
#[must_use]
pub fn seconds_label(seconds: f64) -> String {
    let text = fixed(seconds, 2);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    format!("{text} s")
}

/// Where a band `[from, to]` (seconds) lands after moving by `delta_s` (or, when `resize`,
/// moving only its end): inside `[0, duration_s]`, at least [`BAND_MIN_S`] wide (or the whole
/// run when the run is shorter), its width kept when moving.
#[must_use]
pub fn clamp_band(from: f64, to: f64, delta_s: f64, duration_s: f64, resize: bool) -> (f64, f64) {
    let duration = if duration_s.is_finite() { duration_s.max(0.0) } else { 0.0 };
    let min_width = BAND_MIN_S.min(duration);
    let delta = if delta_s.is_finite() { delta_s } else { 0.0 };
    if resize {
        let start = from.clamp(0.0, (duration - min_width).max(0.0));
        let end = (to + delta).clamp(start + min_width, duration.max(start + min_width));
        return (start, end);
    }
    let width = (to - from).clamp(min_width, duration.max(min_width));
    let start = (from + delta).clamp(0.0, (duration - width).max(0.0));
    (start, start + width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_few() {
        assert_eq!(ticks(0.0, 60.0, 6), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
        assert_eq!(ticks(12.3, 27.9, 5), vec![14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0]);
        assert_eq!(ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert!(ticks(5.0, 5.0, 5).is_empty());
        assert!(ticks(f64::NAN, 5.0, 5).is_empty());
        let many = ticks(0.0, 3600.0, 6);
        assert!((4..=8).contains(&many.len()), "{many:?}");
    }

    #[test]
    fn labels_drop_trailing_zeros() {
        assert_eq!(seconds_label(0.0), "0 s");
        assert_eq!(seconds_label(12.5), "12.5 s");
        assert_eq!(seconds_label(0.6000000000000001), "0.6 s");
        assert_eq!(seconds_label(60.0), "60 s");
    }

    #[test]
    fn bands_stay_inside_the_run() {
        assert_eq!(clamp_band(50.0, 58.0, 10.0, 60.0, false), (52.0, 60.0), "stops at the end");
        assert_eq!(clamp_band(2.0, 8.0, -10.0, 60.0, false), (0.0, 6.0), "stops at the start");
        assert_eq!(clamp_band(70.0, 80.0, 0.0, 60.0, false), (50.0, 60.0), "a band past the end comes back");
        assert_eq!(clamp_band(10.0, 20.0, 100.0, 60.0, true), (10.0, 60.0), "resize stops at the end");
        assert_eq!(clamp_band(10.0, 20.0, -30.0, 60.0, true), (10.0, 11.0), "and keeps a minimum width");
        assert_eq!(clamp_band(0.0, 5.0, 3.0, 0.5, false), (0.0, 0.5), "a tiny run");
        assert_eq!(clamp_band(1.0, 2.0, f64::NAN, 60.0, false), (1.0, 2.0));
    }
}
