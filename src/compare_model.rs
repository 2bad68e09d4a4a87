//! The comparison's arithmetic, apart from any view: how each measure prints, and how a
//! difference is classified. The arrow follows the sign (▲ more, ▼ less); the colour follows
//! whether the change is better or worse for that measure. Percentages differ in percentage
//! points; counts print as whole numbers.

use crate::number::fixed;

/// How a measure's values print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// A share in percent (0..=100); differences in percentage points.
    Percent,
    /// A whole count of requests.
    Count,
    /// A rate or a duration: decimals scaled to the magnitude.
    Amount,
    /// A small ratio such as amplification (two decimals).
    Ratio,
}

/// Whether a difference is good news.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The change helps.
    Better,
    /// The change hurts.
    Worse,
    /// No visible change.
    Same,
}

impl Verdict {
    /// The CSS class (and the word read by screen readers).
    #[must_use]
    pub const fn class(self) -> &'static str {
        match self {
            Self::Better => "better",
            Self::Worse => "worse",
            Self::Same => "same",
        }
    }
}

/// A difference ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    /// Signed number with its unit, e.g. `+21.7 pp`, `−340`, `+1.2 ms`.
    pub text: String,
    /// `▲` for an increase, `▼` for a decrease, `=` for none.
    pub arrow: &'static str,
    /// Better, worse or the same, for this measure.
    pub verdict: Verdict,
}

/// Decimals shown for a value of `measure` around `magnitude`.
fn decimals(measure: Measure, magnitude: f64) -> usize {
    match measure {
        Measure::Count => 0,
        Measure::Ratio => 2,
        Measure::Percent => 1,
        Measure::Amount if magnitude >= 100.0 => 0,
        Measure::Amount if magnitude >= 10.0 => 1,
        Measure::Amount => 2,
    }
}

/// A value with sensible decimals (no unit); non-finite values print as `–`.
#[must_use]
pub fn format_value(value: f64, measure: Measure) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let places = decimals(measure, value.abs());
    let text = fixed(value, places);
    // `-0` reads as a change; show plain zero.
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { text.replace('-', "") } else { text }
}

/// The difference `with − without` of a measure, classified. `unit` follows the number
/// (percentages always use `pp`).
#[must_use]
pub fn delta(with: f64, without: f64, measure: Measure, higher_is_better: bool, unit: &str) -> Delta {
    let change = with - without;
    let magnitude = with.abs().max(without.abs());
    let places = decimals(measure, magnitude);
    let shown = if change.is_finite() { fixed(change.abs(), places) } else { "–".to_owned() };
    let zero = !change.is_finite() || shown.chars().all(|c| c == '0' || c == '.');
    if zero {
        return Delta { text: format!("±{}", with_unit(&shown, measure, unit)), arrow: "=", verdict: Verdict::Same };
    }
    let up = change > 0.0;
    let sign = if up { "+" } else { "−" };
    let verdict = if up == higher_is_better { Verdict::Better } else { Verdict::Worse };
    Delta {
        text: format!("{sign}{}", with_unit(&shown, measure, unit)), arrow: if up { "▲" } else { "▼" }, verdict
    }
}

fn with_unit(number: &str, measure: Measure, unit: &str) -> String {
    let unit = if measure == Measure::Percent { "pp" } else { unit };
    if unit.is_empty() { number.to_owned() } else { format!("{number} {unit}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_follow_the_sign_and_colours_follow_the_goal() {
        let fewer_errors = delta(10.0, 350.0, Measure::Count, false, "");
        assert_eq!((fewer_errors.arrow, fewer_errors.verdict), ("▼", Verdict::Better));
        assert_eq!(fewer_errors.text, "−340");
        let slower = delta(120.0, 80.0, Measure::Amount, false, "ms");
        assert_eq!((slower.arrow, slower.verdict), ("▲", Verdict::Worse));
        assert_eq!(slower.text, "+40 ms");
        let less_goodput = delta(50.0, 80.5, Measure::Amount, true, "req/s");
        assert_eq!((less_goodput.arrow, less_goodput.verdict), ("▼", Verdict::Worse));
        assert_eq!(less_goodput.text, "−30.5 req/s");
    }

    #[test]
    fn success_rates_differ_in_percentage_points() {
        let d = delta(96.5, 74.8, Measure::Percent, true, "%");
        assert_eq!(d.text, "+21.7 pp");
        assert_eq!((d.arrow, d.verdict), ("▲", Verdict::Better));
    }

    #[test]
    fn invisible_changes_are_the_same() {
        let d = delta(3.0, 3.0, Measure::Count, false, "");
        assert_eq!((d.text.as_str(), d.arrow, d.verdict), ("±0", "=", Verdict::Same));
        let tiny = delta(1.0001, 1.0, Measure::Ratio, false, "attempts/request");
        assert_eq!(tiny.verdict, Verdict::Same);
        assert_eq!(delta(f64::NAN, 1.0, Measure::Amount, true, "").verdict, Verdict::Same);
    }

    #[test]
    fn values_print_with_sensible_decimals() {
        assert_eq!(format_value(1234.0, Measure::Count), "1234");
        assert_eq!(format_value(96.456, Measure::Percent), "96.5");
        assert_eq!(format_value(1234.56, Measure::Amount), "1235");
        assert_eq!(format_value(42.26, Measure::Amount), "42.3");
        assert_eq!(format_value(4.256, Measure::Amount), "4.26");
        assert_eq!(format_value(1.5, Measure::Ratio), "1.50");
        assert_eq!(format_value(-0.001, Measure::Amount), "0.00");
        assert_eq!(format_value(f64::INFINITY, Measure::Amount), "–");
    }
}
