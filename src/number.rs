//! Numbers as text, without Rust's own float parser and formatter: their code and tables would
//! be about 14 KB of the first paint's download (gzipped).
//!
//! - Reading (form fields, link parameters): the page already carries a number reader, the
//!   JSON one. The engine reads durations exactly, with integers (`resilience_engine::time`).
//! - Writing (every figure the page shows): the engine's [`fixed`], [`compact`] and [`shortest`]
//!   (`resilience_engine::decimal`), which write what Rust's formatter writes.

pub use resilience_engine::decimal::{compact, fixed, shortest};

/// The finite number in `text`, in any form Rust's `f64` parser takes but the named ones
/// ("inf", "NaN"): `2.5`, ` 2.5 `, `+2.5`, `.5`, `5.`, `-0.5`, `007`, `1e3`. `None` otherwise.
#[must_use]
pub fn parse_decimal(text: &str) -> Option<f64> {
    serde_json::from_str::<f64>(&as_json_number(text.trim())?).ok().filter(|value| value.is_finite())
}

/// `text` in JSON's stricter number form (no `+`, no leading zeros, digits on both sides of a
/// point), or `None` when it has characters no number has.
fn as_json_number(text: &str) -> Option<String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    let (sign, unsigned) = match text.as_bytes()[0] {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    if unsigned.starts_with(['+', '-']) {
        return None;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => unsigned.split_at(at),
        None => (unsigned, ""),
    };
    if mantissa.is_empty() || mantissa == "." {
        return None;
    }
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let point = if fraction.is_empty() { "" } else { "." };
    Some(format!("{sign}{whole}{point}{fraction}{exponent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_people_type() {
        for (text, value) in [
            ("2.5", 2.5),
            (" 2.5 ", 2.5),
            ("+2.5", 2.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("-0.5", -0.5),
            ("-.5", -0.5),
            ("007", 7.0),
            ("0", 0.0),
            ("1e3", 1000.0),
            ("2.5E-1", 0.25),
            ("0.1", 0.1),
            ("18446744073709551615", 18_446_744_073_709_551_615.0),
        ] {
            assert_eq!(parse_decimal(text), Some(value), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_finite_number() {
        for text in [
            "", " ", "abc", "inf", "NaN", "infinity", "1e400", "1.2.3", ".", "-", "+", "1e", "e5", "0x10", "1_000",
            "--1", "+-1", "1 2",
        ] {
            assert_eq!(parse_decimal(text), None, "{text:?}");
        }
    }

    #[test]
    fn agrees_with_rusts_parser_on_finite_numbers() {
        for text in [
            "3.141592653589793",
            "1e-7",
            "123456789.125",
            "0.30000000000000004",
            "9007199254740993",
            "2.2250738585072014e-308",
        ] {
            assert_eq!(parse_decimal(text), text.parse::<f64>().ok(), "{text:?}");
        }
    }
}
