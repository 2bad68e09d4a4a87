//! A log-linear histogram of microsecond values: fixed memory, bounded relative error
//! (2^-sub_bits), exact maximum.

/// Values at or above this (about 12.7 days) share the last bins.
const VALUE_MAX_US: u64 = (1 << 40) - 1;

/// Counts of values in log-linear bins.
#[derive(Clone, Debug)]
pub(crate) struct Histogram {
    sub_bits: u32,
    counts: Vec<u32>,
    total: u64,
    max_us: u64,
}

impl Histogram {
    /// A histogram with `2^sub_bits` bins per power of two.
    pub(crate) fn new(sub_bits: u32) -> Self {
        let bins = (40 - sub_bits as usize + 1) << sub_bits;
        Self { sub_bits, counts: vec![0; bins], total: 0, max_us: 0 }
    }

    fn index(&self, value: u64) -> usize {
        let value = value.min(VALUE_MAX_US);
        let sub = self.sub_bits;
        if value < (1 << sub) {
            return value as usize;
        }
        let exponent = 63 - value.leading_zeros();
        let mantissa = (value >> (exponent - sub)) - (1 << sub);
        (((exponent - sub + 1) as u64) << sub | mantissa) as usize
    }

    /// The middle of bin `index`'s value range.
    fn representative(&self, index: usize) -> u64 {
        let sub = self.sub_bits;
        let per = 1usize << sub;
        if index < per {
            return index as u64;
        }
        let exponent = (index >> sub) as u32 + sub - 1;
        let mantissa = (index & (per - 1)) as u64;
        let low = ((1 << sub) + mantissa) << (exponent - sub);
        let width = 1u64 << (exponent - sub);
        low + width / 2
    }

    pub(crate) fn record(&mut self, value_us: u64) {
        let index = self.index(value_us);
        self.counts[index] += 1;
        self.total += 1;
        self.max_us = self.max_us.max(value_us);
    }

    /// Adds another histogram of the same shape.
    pub(crate) fn merge(&mut self, other: &Self) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.max_us = self.max_us.max(other.max_us);
    }

    /// Values recorded.
    #[cfg(test)]
    pub(crate) fn count(&self) -> u64 {
        self.total
    }

    /// The largest value recorded (exact).
    pub(crate) fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The value at quantile `q` in `[0, 1]` (never above the maximum); 0 when empty.
    pub(crate) fn quantile_us(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (index, count) in self.counts.iter().enumerate() {
            seen += u64::from(*count);
            if seen >= rank {
                return self.representative(index).min(self.max_us);
            }
        }
        self.max_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_relative_error() {
        let mut h = Histogram::new(6);
        for v in 1..=100_000u64 {
            h.record(v * 10);
        }
        for (q, exact) in [(0.5, 500_000.0), (0.95, 950_000.0), (0.99, 990_000.0)] {
            let got = h.quantile_us(q) as f64;
            assert!((got - exact).abs() / exact < 0.02, "q{q}: {got} vs {exact}");
        }
        assert_eq!(h.max_us(), 1_000_000);
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn small_and_huge_values_are_safe() {
        let mut h = Histogram::new(3);
        h.record(0);
        h.record(3);
        h.record(u64::MAX);
        assert_eq!(h.quantile_us(0.0), 0);
        assert_eq!(h.quantile_us(0.5), 3);
        assert!(h.quantile_us(1.0) > 1 << 39);
        assert_eq!(Histogram::new(3).quantile_us(0.5), 0);
    }
}
