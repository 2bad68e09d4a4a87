//! Seeded random streams, identical on every target.
//!
//! One root seed per run; every consumer (arrivals, keys, think times, each service's latency and
//! faults, each retry layer's jitter) draws from its own stream derived from the root, so adding a
//! draw in one place never shifts another consumer's sequence. Transcendental functions come from
//! `libm`, so native and wasm builds produce the same bits.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng as _, SeedableRng as _};

/// Who draws from a stream. The discriminant and indices make the stream's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamId {
    /// Arrival times of endpoint `n`.
    Arrivals(u16),
    /// Cache keys of endpoint `n`.
    Keys(u16),
    /// Think times of endpoint `n`'s closed-loop clients.
    Think(u16),
    /// Service times of service `n`.
    Latency(u16),
    /// Error-rate draws of service `n`.
    Faults(u16),
    /// Jitter of layer `layer` in endpoint `endpoint`'s stack.
    Jitter {
        /// Endpoint index.
        endpoint: u16,
        /// Layer index, outermost first.
        layer: u16,
    },
}

impl StreamId {
    fn code(self) -> u64 {
        let (kind, a, b) = match self {
            Self::Arrivals(n) => (1, n, 0),
            Self::Keys(n) => (2, n, 0),
            Self::Think(n) => (3, n, 0),
            Self::Latency(n) => (4, n, 0),
            Self::Faults(n) => (5, n, 0),
            Self::Jitter { endpoint, layer } => (6, endpoint, layer),
        };
        (kind << 32) | (u64::from(a) << 16) | u64::from(b)
    }
}

/// One consumer's random stream (xoshiro256++).
#[derive(Clone, Debug)]
pub struct Stream(Xoshiro256PlusPlus);

impl Stream {
    /// The stream `id` of the run seeded with `seed`.
    #[must_use]
    pub fn new(seed: u64, id: StreamId) -> Self {
        let mixed = splitmix64(seed ^ splitmix64(id.code()));
        Self(Xoshiro256PlusPlus::seed_from_u64(mixed))
    }

    /// 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..bound` (multiply-shift); `bound` must be non-zero.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// True with probability `p` (clamped to `[0, 1]`).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Exponentially distributed with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(1.0 - self.unit())
    }

    /// Standard normal (Box-Muller, one value per call).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1]: keeps ln finite
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(core::f64::consts::TAU * u2)
    }
}

/// SplitMix64's output function: mixes a 64-bit value into a well-spread one.
#[must_use]
pub fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let mut a = Stream::new(7, StreamId::Arrivals(0));
        let mut b = Stream::new(7, StreamId::Arrivals(0));
        let mut c = Stream::new(7, StreamId::Keys(0));
        let first: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        assert_eq!(first, (0..4).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(first, (0..4).map(|_| c.next_u64()).collect::<Vec<_>>());
    }

    #[test]
    fn draws_stay_in_range() {
        let mut s = Stream::new(1, StreamId::Faults(3));
        for _ in 0..10_000 {
            let u = s.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(s.below(10) < 10);
            assert!(s.exponential(2.0) >= 0.0);
            assert!(s.standard_normal().is_finite());
        }
    }

    #[test]
    fn exponential_mean_is_close() {
        let mut s = Stream::new(99, StreamId::Think(0));
        let n = 200_000;
        let mean = (0..n).map(|_| s.exponential(3.0)).sum::<f64>() / f64::from(n);
        assert!((mean - 3.0).abs() < 0.05, "mean {mean}");
    }
}
