//! Virtual time: the engine never reads a real clock.
//!
//! An [`Instant`] is a count of microseconds since the run started. Durations are
//! [`core::time::Duration`] at the API and plain microsecond counts (`*_us`) inside hot paths.

use core::fmt;
use core::str::FromStr;
use core::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Constructors and the accessor shared by the microsecond newtypes ([`Instant`], [`Span`]).
macro_rules! microsecond_units {
    ($type:ident, $what:literal) => {
        impl $type {
            #[doc = concat!($what, " of `micros` microseconds.")]
            #[must_use]
            pub const fn from_micros(micros: u64) -> Self {
                Self(micros)
            }

            #[doc = concat!($what, " of `millis` milliseconds (saturating).")]
            #[must_use]
            pub const fn from_millis(millis: u64) -> Self {
                Self(millis.saturating_mul(1_000))
            }

            #[doc = concat!($what, " of `secs` seconds (saturating).")]
            #[must_use]
            pub const fn from_secs(secs: u64) -> Self {
                Self(secs.saturating_mul(1_000_000))
            }

            /// Whole microseconds.
            #[must_use]
            pub const fn as_micros(self) -> u64 {
                self.0
            }
        }
    };
}

microsecond_units!(Instant, "The instant");
microsecond_units!(Span, "A span");

/// A point on the virtual timeline: microseconds since the run started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    /// The start of every run.
    pub const ZERO: Self = Self(0);
    /// Later than any instant a run can reach.
    pub const NEVER: Self = Self(u64::MAX);

    /// This instant plus `micros` microseconds, saturating at [`Instant::NEVER`].
    #[must_use]
    pub const fn plus_micros(self, micros: u64) -> Self {
        Self(self.0.saturating_add(micros))
    }

    /// This instant plus `duration` (truncated to whole microseconds), saturating.
    #[must_use]
    pub fn plus(self, duration: Duration) -> Self {
        self.plus_micros(micros_of(duration))
    }

    /// Microseconds from `earlier` to `self`; zero if `earlier` is later.
    #[must_use]
    pub const fn micros_since(self, earlier: Self) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", format_micros(self.0))
    }
}

/// Whole microseconds of a duration, saturating at `u64::MAX`.
#[must_use]
pub fn micros_of(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// Whole microseconds of a float count of microseconds: negative and NaN give zero, and values
/// beyond `u64::MAX` saturate.
#[must_use]
pub fn micros_of_f64(micros: f64) -> u64 {
    if micros.is_nan() || micros <= 0.0 {
        0
    } else if micros >= u64::MAX as f64 {
        u64::MAX
    } else {
        micros as u64
    }
}

/// Formats a microsecond count the way scenario files write durations (`"1.5s"`, `"250ms"`).
#[must_use]
pub fn format_micros(micros: u64) -> String {
    const HOUR_US: u64 = 3_600_000_000;
    match micros {
        0 => "0s".to_owned(),
        us if us >= HOUR_US && us % HOUR_US == 0 => format!("{}h", us / HOUR_US),
        us if us >= 1_000_000 && us % 1_000 == 0 => format!("{}s", trim_float(us as f64 / 1e6)),
        us if us >= 1_000 => format!("{}ms", trim_float(us as f64 / 1e3)),
        us => format!("{us}us"),
    }
}

fn trim_float(value: f64) -> String {
    crate::decimal::compact(value, 3)
}

/// A non-negative length of virtual time, written in scenario files as a human string
/// (`"250ms"`, `"1.5s"`, `"2m"`, `"500us"`) and held as whole microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span(u64);

impl Span {
    /// No time at all.
    pub const ZERO: Self = Self(0);

    /// Seconds as a float (for rates and display).
    #[must_use]
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// True for a zero span.
    #[must_use]
    pub const fn is_zero(&self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format_micros(self.0))
    }
}

/// Why a duration string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanError(String);

impl fmt::Display for SpanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest span a scenario may write: 100 days (runs are bounded far below that).
const SPAN_MAX_US: u64 = 100 * 86_400 * 1_000_000;

/// Fractional digits read exactly; any further ones cannot move a count of 1 µs units
/// (the largest unit is an hour, 3.6e9 µs) and are left out.
const FRACTION_DIGITS_MAX: usize = 24;

/// `number × unit_us`, for `number` written as decimal digits with at most one point ("1.5",
/// ".5", "2."), rounded to the nearest microsecond (halves up). Read from the digits with
/// integers, so "0.1s" is exactly 100 000 µs; no binary float, and none of Rust's float
/// parser in the web bundle. `None` when `number` is not such a decimal; a value past
/// [`SPAN_MAX_US`] is clamped to just past it, for the caller to refuse.
fn scaled_decimal(number: &str, unit_us: u64) -> Option<u64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return None;
    }
    let too_long = u128::from(SPAN_MAX_US) + 1;
    let digit = |b: u8| u128::from(b - b'0');
    let whole_value = whole.bytes().fold(0u128, |value, b| (value * 10 + digit(b)).min(too_long));
    let fraction = &fraction[..fraction.len().min(FRACTION_DIGITS_MAX)];
    let fraction_value = fraction.bytes().fold(0u128, |value, b| value * 10 + digit(b));
    let scale = 10u128.pow(fraction.len() as u32);
    let unit = u128::from(unit_us);
    let fraction_micros = (fraction_value * unit * 2 + scale) / (scale * 2);
    let micros = (whole_value * unit + fraction_micros).min(too_long);
    Some(micros as u64)
}

impl FromStr for Span {
    type Err = SpanError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let split = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(split);
        // Without digits first ("-10s", "banana", "1e3s" past its "1"), no unit would be right.
        if trimmed.starts_with('-') {
            return Err(SpanError(format!("duration {text:?} is negative; durations start at 0")));
        }
        if number.is_empty() || unit.starts_with(['e', 'E']) {
            return Err(SpanError(format!("{text:?} is not a duration such as \"250ms\" or \"1.5s\"")));
        }
        let unit_us = match unit.trim() {
            "us" | "µs" => 1,
            "ms" => 1_000,
            "s" => 1_000_000,
            "m" | "min" => 60_000_000,
            "h" => 3_600_000_000,
            "" => return Err(SpanError(format!("duration {text:?} needs a unit (us, ms, s, m, h), as in \"250ms\""))),
            other => {
                return Err(SpanError(format!("unknown duration unit {other:?} in {text:?} (use us, ms, s, m or h)")));
            }
        };
        let micros = scaled_decimal(number, unit_us)
            .ok_or_else(|| SpanError(format!("{text:?} is not a duration such as \"250ms\" or \"1.5s\"")))?;
        if micros > SPAN_MAX_US {
            return Err(SpanError(format!("duration {text:?} is longer than 100 days")));
        }
        Ok(Self(micros))
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_micros(self.0))
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_overflowing() {
        assert_eq!(Instant::NEVER.plus_micros(5), Instant::NEVER);
        assert_eq!(Instant::from_millis(3).micros_since(Instant::from_millis(5)), 0);
        assert_eq!(Instant::from_secs(2).plus(Duration::from_millis(250)).as_micros(), 2_250_000);
    }

    #[test]
    fn formats_like_scenario_files() {
        assert_eq!(format_micros(0), "0s");
        assert_eq!(format_micros(250_000), "250ms");
        assert_eq!(format_micros(1_500_000), "1.5s");
        assert_eq!(format_micros(30_000_000), "30s");
        assert_eq!(format_micros(7), "7us");
        assert_eq!(format_micros(7_200_000_000), "2h");
    }

    /// `text` read as a span.
    fn parsed(text: &str) -> Result<Span, SpanError> {
        text.parse()
    }

    /// What a user reads when `text` is refused.
    fn refusal(text: &str) -> String {
        parsed(text).unwrap_err().to_string()
    }

    #[test]
    fn spans_parse_human_strings() {
        assert_eq!(parsed("250ms"), Ok(Span::from_millis(250)));
        assert_eq!(parsed("1.5s"), Ok(Span::from_micros(1_500_000)));
        assert_eq!(parsed("2m"), Ok(Span::from_secs(120)));
        assert_eq!(parsed(" 500us "), Ok(Span::from_micros(500)));
        assert_eq!(parsed("0s"), Ok(Span::ZERO));
        for bad in ["", "5", "-1s", "1e400s", "abc", "1.2.3s", "5 parsecs", "NaNs", "3650d", "9999999h"] {
            assert!(bad.parse::<Span>().is_err(), "{bad:?} should be refused");
        }
        // The message names what is wrong, not a unit that was never meant.
        assert_eq!(refusal("-10s"), "duration \"-10s\" is negative; durations start at 0");
        assert_eq!(refusal("1e308s"), "\"1e308s\" is not a duration such as \"250ms\" or \"1.5s\"");
        assert_eq!(refusal("banana"), "\"banana\" is not a duration such as \"250ms\" or \"1.5s\"");
        assert_eq!(refusal("5 parsecs"), "unknown duration unit \"parsecs\" in \"5 parsecs\" (use us, ms, s, m or h)");
    }

    #[test]
    fn spans_read_decimals_exactly() {
        assert_eq!(parsed("0.1s"), Ok(Span::from_micros(100_000)));
        assert_eq!(parsed("0.3s"), Ok(Span::from_micros(300_000)));
        assert_eq!(parsed(".5s"), Ok(Span::from_micros(500_000)));
        assert_eq!(parsed("2.s"), Ok(Span::from_secs(2)));
        assert_eq!(parsed("1.0000005s"), Ok(Span::from_micros(1_000_001)), "halves round up");
        assert_eq!(parsed("1.0000004999s"), Ok(Span::from_micros(1_000_000)));
        assert_eq!(parsed("0.5us"), Ok(Span::from_micros(1)));
        assert_eq!(parsed("1.25h"), Ok(Span::from_micros(4_500_000_000)));
        assert_eq!(parsed(&format!("0.{}1s", "0".repeat(40))), Ok(Span::ZERO), "digits past the 24th are left out");
        assert_eq!(parsed("2400h"), Ok(Span::from_secs(2400 * 3600)), "100 days is the limit");
        assert_eq!(refusal("2400.000001h"), "duration \"2400.000001h\" is longer than 100 days");
        let huge = format!("{}s", "9".repeat(60));
        assert_eq!(refusal(&huge), format!("duration {huge:?} is longer than 100 days"));
        assert_eq!(refusal(".s"), "\".s\" is not a duration such as \"250ms\" or \"1.5s\"");
    }

    #[test]
    fn spans_round_trip_through_text() {
        for micros in [0, 1, 999, 1_000, 1_001, 250_000, 1_500_000, 1_500_001, 59_000_000, 3_600_000_000] {
            let span = Span::from_micros(micros);
            assert_eq!(span.to_string().parse(), Ok(span), "{span}");
        }
    }
}
