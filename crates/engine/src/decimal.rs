//! Numbers as text, as Rust's formatter writes them but without it: [`fixed`] for
//! `format!("{:.N}")` (with integers), [`shortest`] for `format!("{}")` (with the JSON writer's
//! shortest digits). The web page writes every figure of its first paint this way, so Rust's
//! float formatter (its code and tables, about 5 KB of the first download, gzipped) comes
//! later, with code that is not part of it.

/// Decimals [`fixed`] writes exactly; more are cut to this many.
const DECIMALS_MAX: usize = 6;
/// `10^n` for `n` up to [`DECIMALS_MAX`].
const POWERS_OF_TEN: [u128; DECIMALS_MAX + 1] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
/// The largest binary exponent [`fixed`] writes with integers: the value times `10^6` then
/// fits 128 bits. Larger values (above about 2^106) are written by Rust's formatter.
const EXPONENT_MAX: i32 = 54;

/// `value` with `decimals` digits after the point (at most 6), as `format!("{value:.decimals$}")`
/// writes it: rounded to the nearest, ties to even, on the value's exact binary expansion;
/// `-` kept for negative values that round to zero; `NaN`, `inf`, `-inf` for the others.
#[must_use]
pub fn fixed(value: f64, decimals: usize) -> String {
    let decimals = decimals.min(DECIMALS_MAX);
    if !value.is_finite() {
        return if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_owned();
    }
    let (mantissa, exponent) = binary_parts(value.abs());
    if exponent > EXPONENT_MAX {
        return format!("{value:.decimals$}");
    }
    let scaled = u128::from(mantissa) * POWERS_OF_TEN[decimals];
    let units = if exponent >= 0 { scaled << exponent } else { shift_right_rounded(scaled, exponent.unsigned_abs()) };
    written(value.is_sign_negative(), units, decimals)
}

/// `units / 10^decimals` as text: a `-` if `negative`, at least one digit before the point,
/// `decimals` after it. Written digit by digit (no formatting machinery: the page writes
/// thousands of chart coordinates per redraw).
fn written(negative: bool, units: u128, decimals: usize) -> String {
    const TEN_TO_19: u128 = 10_000_000_000_000_000_000;
    // Least significant first; u64 arithmetic, in parts of 19 digits for larger values.
    let mut reversed = Vec::with_capacity(24);
    let (mut high, mut low) = (units / TEN_TO_19, u64::try_from(units % TEN_TO_19).unwrap_or(0));
    loop {
        let part_end = reversed.len() + 19;
        while low > 0 || (high > 0 && reversed.len() < part_end) {
            reversed.push(b'0' + u8::try_from(low % 10).unwrap_or(0));
            low /= 10;
        }
        if high == 0 {
            break;
        }
        low = u64::try_from(high % TEN_TO_19).unwrap_or(0);
        high /= TEN_TO_19;
    }
    while reversed.len() <= decimals {
        reversed.push(b'0');
    }
    let mut text = String::with_capacity(reversed.len() + 2);
    if negative {
        text.push('-');
    }
    let point_at = reversed.len() - decimals;
    for (i, digit) in reversed.iter().rev().enumerate() {
        if i == point_at {
            text.push('.');
        }
        text.push(char::from(*digit));
    }
    text
}

/// [`fixed`] without the zeros that end its fraction, nor a point left alone: `12.5`, `600`.
#[must_use]
pub fn compact(value: f64, decimals: usize) -> String {
    let mut text = fixed(value, decimals);
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    text
}

/// `value` as `format!("{value}")` writes it: the shortest digits that read back as `value`,
/// without an exponent (`0.1`, `100`, `-0`, `0.0000001`, `1e300` in full). Where two
/// 17-digit texts are equally short and equally near, the last digit may differ from Rust's.
#[must_use]
pub fn shortest(value: f64) -> String {
    let Some(number) = serde_json::Number::from_f64(value) else {
        return fixed(value, 0); // NaN, inf, -inf
    };
    let json = number.to_string();
    let (mantissa, exponent) = match json.split_once('e') {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().unwrap_or(0)),
        None => (json.as_str(), 0),
    };
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let fraction = if fraction == "0" { "" } else { fraction };
    let digits = format!("{whole}{fraction}");
    let point = i32::try_from(whole.len()).unwrap_or(i32::MAX).saturating_add(exponent);
    let text = match usize::try_from(point) {
        Err(_) | Ok(0) => format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
        Ok(point) if point >= digits.len() => format!("{digits}{}", "0".repeat(point - digits.len())),
        Ok(point) => format!("{}.{}", &digits[..point], &digits[point..]),
    };
    format!("{sign}{text}")
}

/// `value` (finite, not negative) as `mantissa × 2^exponent`.
fn binary_parts(value: f64) -> (u64, i32) {
    const FRACTION_BITS: u32 = 52;
    let bits = value.to_bits();
    let biased = i32::try_from(bits >> FRACTION_BITS).unwrap_or(0);
    let fraction = bits & ((1 << FRACTION_BITS) - 1);
    match biased {
        0 => (fraction, -1074),
        _ => (fraction | (1 << FRACTION_BITS), biased - 1075),
    }
}

/// `value / 2^shift`, rounded to the nearest integer, ties to even.
fn shift_right_rounded(value: u128, shift: u32) -> u128 {
    if shift > 128 {
        return 0;
    }
    if shift == 128 {
        return u128::from(value > 1 << 127);
    }
    let quotient = value >> shift;
    let remainder = value - (quotient << shift);
    let half = 1u128 << (shift - 1);
    let round_up = remainder > half || (remainder == half && quotient % 2 == 1);
    quotient + u128::from(round_up)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every decimal count against Rust's formatter.
    fn agrees_with_rust(value: f64) {
        for decimals in 0..=DECIMALS_MAX {
            assert_eq!(fixed(value, decimals), format!("{value:.decimals$}"), "{value:e} to {decimals} decimals");
        }
    }

    #[test]
    fn writes_what_rusts_formatter_writes() {
        for value in [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            0.15,
            0.25,
            0.35,
            1.005,
            2.675,
            99.995,
            99.9949999,
            0.000_000_4,
            0.000_000_5,
            0.000_000_6,
            -0.04,
            1e-300,
            5e-324,
            123_456_789.123_456_78,
            1e15,
            1e16,
            9_007_199_254_740_993.0,
            1e30,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            1.0 / 3.0,
            2.0 / 3.0,
            59.999_999_9,
        ] {
            agrees_with_rust(value);
            agrees_with_rust(-value);
        }
        for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            agrees_with_rust(value);
        }
    }

    #[test]
    fn writes_what_rusts_formatter_writes_for_many_values() {
        // Values of every magnitude a page shows, and ties at every decimal count.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let magnitude = f64::from(u32::try_from(state % 24).unwrap_or(0)) - 9.0;
            let fraction = f64::from(u32::try_from(state >> 40).unwrap_or(0)) / f64::from(1u32 << 24);
            agrees_with_rust(fraction * 10f64.powf(magnitude));
        }
        for units in 0..20_000u32 {
            agrees_with_rust(f64::from(units) / 8.0);
            agrees_with_rust(f64::from(units) / 1_000.0 + 0.000_5);
        }
    }

    #[test]
    fn shortest_writes_what_rusts_formatter_writes() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut values = vec![
            0.0,
            -0.0,
            0.1,
            0.2,
            0.3,
            1.0,
            100.0,
            95.5,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e-5,
            1e-6,
            1e-7,
            1.5e-7,
            123_456.789,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1.0 / 3.0,
            9_007_199_254_740_993.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push(f64::from_bits(state));
            let magnitude = f64::from(u32::try_from(state % 40).unwrap_or(0)) - 20.0;
            values.push(f64::from(u32::try_from(state >> 44).unwrap_or(0)) * 10f64.powf(magnitude));
        }
        for value in values {
            for value in [value, -value] {
                let (ours, rusts) = (shortest(value), format!("{value}"));
                if value.is_nan() {
                    assert_eq!(ours, "NaN");
                    continue;
                }
                // As short as Rust's, and reads back as the same number.
                assert_eq!(ours.len(), rusts.len(), "{value:e}: {ours} vs {rusts}");
                assert_eq!(ours.parse::<f64>().ok(), Some(value), "{value:e}: {ours}");
            }
        }
        // The same text for every number written with at most 15 significant digits.
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let digits = state % 1_000_000_000_000_000;
            let exponent = i32::try_from(state >> 58).unwrap_or(0) - 30;
            let value: f64 = format!("{digits}e{exponent}").parse().unwrap_or(0.0);
            assert_eq!(shortest(value), format!("{value}"), "{value:e}");
        }
    }

    #[test]
    fn compact_drops_trailing_zeros() {
        assert_eq!(compact(600.0, 2), "600");
        assert_eq!(compact(12.5, 2), "12.5");
        assert_eq!(compact(0.004, 2), "0");
        assert_eq!(compact(-0.004, 2), "-0");
        assert_eq!(compact(1.234_56, 3), "1.235");
        assert_eq!(compact(1e20, 1), "100000000000000000000");
    }
}
