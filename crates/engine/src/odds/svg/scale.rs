//! The range a chart maps its values to, their colours, and their text in the charted figure's
//! unit.

use super::super::SweepResult;

/// How a charted value reads, from what is charted.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    /// An assertion's share of seeds, 0..1, as a whole percentage.
    Share,
    /// The success rate, 0..1, as a percentage with a decimal.
    Rate,
    /// Milliseconds (p99, a recovery time), as ms or s.
    Millis,
    /// Requests a second.
    PerSecond,
    /// Attempts per request.
    Times,
    /// Anything else, as a number.
    Plain,
}

impl Unit {
    fn of(chart: &str) -> Self {
        match chart {
            c if c.starts_with(crate::expect::KEY) => Self::Share,
            "success_rate" => Self::Rate,
            "p99_ms" => Self::Millis,
            c if c.starts_with("recovery_ms") => Self::Millis,
            "goodput_rps" => Self::PerSecond,
            "amplification" => Self::Times,
            _ => Self::Plain,
        }
    }
}

/// The range of the charted values (0..1 for an assertion's share, else the cells' min..max)
/// and how a value reads.
pub(super) struct Scale {
    pub(super) low: f64,
    pub(super) high: f64,
    unit: Unit,
}

impl Scale {
    /// The scale of a heatmap's colours: the cells' own range, so that neighbours differ.
    pub(super) fn of(result: &SweepResult) -> Self {
        let unit = Unit::of(&result.chart);
        if unit == Unit::Share {
            return Self { low: 0.0, high: 1.0, unit };
        }
        let values = result.cells.iter().filter_map(|c| c.value);
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        if low.is_finite() { Self { low, high, unit } } else { Self { low: 0.0, high: 1.0, unit } }
    }

    /// The scale of a line chart's height: from zero (a rate from 0 to 100 %), so that a small
    /// difference is not drawn as a cliff.
    pub(super) fn from_zero(result: &SweepResult) -> Self {
        let mut scale = Self::of(result);
        if scale.unit == Unit::Rate {
            scale.high = scale.high.max(1.0);
        }
        if scale.low >= 0.0 {
            scale.low = 0.0;
            if scale.high <= 0.0 {
                scale.high = 1.0;
            }
        }
        scale
    }

    /// Whether the values are an assertion's share of seeds.
    pub(super) fn is_share(&self) -> bool {
        self.unit == Unit::Share
    }

    /// Where `v` lies in the range, 0..1.
    pub(super) fn at(&self, v: f64) -> f64 {
        if self.high > self.low { ((v - self.low) / (self.high - self.low)).clamp(0.0, 1.0) } else { 0.5 }
    }

    /// The colour of `v`: red → yellow → green for a share (green: holds), light → dark blue
    /// for a figure.
    pub(super) fn colour(&self, v: f64) -> String {
        let t = self.at(v);
        let mix = |a: [f64; 3], b: [f64; 3], t: f64| {
            let c = |i: usize| (a[i] + (b[i] - a[i]) * t).round() as u8;
            format!("#{:02x}{:02x}{:02x}", c(0), c(1), c(2))
        };
        if self.is_share() {
            let (red, yellow, green) = ([207.0, 34.0, 46.0], [240.0, 200.0, 60.0], [26.0, 127.0, 55.0]);
            if t < 0.5 { mix(red, yellow, t * 2.0) } else { mix(yellow, green, t * 2.0 - 1.0) }
        } else {
            mix([239.0, 243.0, 255.0], [8.0, 48.0, 107.0], t)
        }
    }

    /// `v` in the figure's unit ("87 %", "98.5 %", "240 ms", "1.2 s", "41.0 req/s", "1.25×").
    pub(super) fn text(&self, v: f64) -> String {
        match self.unit {
            Unit::Share => format!("{:.0} %", v * 100.0),
            Unit::Rate => format!("{:.1} %", v * 100.0),
            Unit::Millis if v.abs() >= 1000.0 => format!("{:.1} s", v / 1000.0),
            Unit::Millis => format!("{v:.0} ms"),
            Unit::PerSecond => format!("{v:.1} req/s"),
            Unit::Times => format!("{v:.2}×"),
            Unit::Plain => format!("{v:.3}"),
        }
    }
}
