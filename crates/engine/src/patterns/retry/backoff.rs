//! Pure wait formulas: no state, no randomness of their own (`r` is passed in).

use super::doc::{BackoffDoc, Jitter};
use crate::time::micros_of_f64;

/// A validated backoff: the schedule, the cap and the jitter, in microseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    schedule: Schedule,
    cap_us: u64,
    jitter: Jitter,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Schedule {
    Constant { delay_us: u64 },
    Linear { delay_us: u64 },
    Exponential { initial_ms: u64, multiplier: f64 },
}

const MS: u64 = 1_000;

impl Backoff {
    /// Builds the backoff of a retry config; `cap_us` is `u64::MAX` when there is no cap.
    #[must_use]
    pub(super) fn new(config: &BackoffDoc, cap_us: u64, jitter: Jitter) -> Self {
        let schedule = match *config {
            BackoffDoc::Constant { delay } => Schedule::Constant { delay_us: delay.as_micros() },
            BackoffDoc::Linear { delay } => Schedule::Linear { delay_us: delay.as_micros() },
            BackoffDoc::Exponential { initial, multiplier } => {
                Schedule::Exponential { initial_ms: initial.as_micros() / MS, multiplier }
            }
        };
        Self { schedule, cap_us, jitter }
    }

    /// The first wait of the schedule (decorrelated jitter's floor).
    fn base_us(&self) -> u64 {
        self.raw_us(1)
    }

    /// The un-capped, un-jittered wait before retry `retry` (1-based).
    #[must_use]
    pub fn raw_us(&self, retry: u32) -> u64 {
        match self.schedule {
            Schedule::Constant { delay_us } => delay_us,
            Schedule::Linear { delay_us } => delay_us.saturating_mul(u64::from(retry)),
            Schedule::Exponential { initial_ms, multiplier } => {
                // resilience4j iterates v(n+1) = (long)(v(n) * m) in milliseconds.
                let mut value_ms = initial_ms;
                for _ in 1..retry {
                    let next = (value_ms as f64 * multiplier).trunc();
                    if next >= (self.cap_us / MS) as f64 {
                        return self.cap_us;
                    }
                    value_ms = next as u64;
                }
                value_ms.saturating_mul(MS)
            }
        }
    }

    /// The wait before retry `retry` (1-based) after the cap, before jitter: what the wait is
    /// on average (for every jitter but `equal` and `decorrelated`, about).
    #[must_use]
    pub fn nominal_us(&self, retry: u32) -> u64 {
        self.raw_us(retry).min(self.cap_us)
    }

    /// The wait before retry `retry` (1-based) after cap and jitter, given a uniform draw `r`
    /// in `[0, 1)` and the previous wait (for decorrelated jitter).
    #[must_use]
    pub fn delay_us(&self, retry: u32, previous_us: u64, r: f64) -> u64 {
        let capped = self.raw_us(retry).min(self.cap_us);
        let d = capped as f64;
        let jittered = match self.jitter {
            Jitter::None => return capped,
            Jitter::Full => r * d,
            Jitter::Equal => d / 2.0 + r * d / 2.0,
            Jitter::Factor(f) => d * (1.0 - f + 2.0 * f * r),
            Jitter::Decorrelated => {
                let base = self.base_us() as f64;
                // AWS: sleep starts at base, so the first retry is already drawn from the range.
                let previous = if retry <= 1 { base } else { previous_us as f64 };
                let upper = (previous * 3.0).max(base);
                base + r * (upper - base)
            }
        };
        micros_of_f64(jittered).min(self.cap_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Span;

    const S: u64 = 1_000_000;

    fn backoff(config: BackoffDoc, cap_us: u64, jitter: Jitter) -> Backoff {
        Backoff::new(&config, cap_us, jitter)
    }

    #[test]
    fn resilience4j_exponential_truncates_each_step() {
        let b = backoff(
            BackoffDoc::Exponential { initial: Span::from_millis(500), multiplier: 1.5 },
            u64::MAX,
            Jitter::None,
        );
        let waits: Vec<u64> = (1..=5).map(|n| b.delay_us(n, 0, 0.0) / MS).collect();
        assert_eq!(waits, [500, 750, 1125, 1687, 2530]);
    }

    /// C14: `ofExponentialBackoff(100, 2, 100_000)`.
    #[test]
    fn c14_capped_exponential_intervals() {
        let b = backoff(
            BackoffDoc::Exponential { initial: Span::from_millis(100), multiplier: 2.0 },
            100_000 * MS,
            Jitter::None,
        );
        let waits: Vec<u64> = (1..=13).map(|n| b.delay_us(n, 0, 0.0) / MS).collect();
        for pair in waits[..11].windows(2) {
            assert!(pair[0] < pair[1], "{waits:?}");
        }
        assert_eq!(waits[0], 100);
        assert_eq!(&waits[10..], &[100_000, 100_000, 100_000]);
    }

    /// C18: Polly's formulas with a pinned randomizer (attempt k here is retry k+1).
    #[test]
    fn c18_polly_delay_formulas() {
        let one_s = Span::from_secs(1);
        let exp = backoff(BackoffDoc::Exponential { initial: one_s, multiplier: 2.0 }, u64::MAX, Jitter::None);
        let lin = backoff(BackoffDoc::Linear { delay: one_s }, u64::MAX, Jitter::None);
        let con = backoff(BackoffDoc::Constant { delay: one_s }, u64::MAX, Jitter::None);
        let at = |b: &Backoff| (1..=3).map(|n| b.delay_us(n, 0, 0.0) / S).collect::<Vec<_>>();
        assert_eq!(at(&exp), [1, 2, 4]);
        assert_eq!(at(&lin), [1, 2, 3]);
        assert_eq!(at(&con), [1, 1, 1]);
        let zero = backoff(BackoffDoc::Constant { delay: Span::ZERO }, u64::MAX, Jitter::Factor(0.25));
        assert_eq!(zero.delay_us(1, 0, 0.7), 0);

        let con_j = backoff(BackoffDoc::Constant { delay: one_s }, u64::MAX, Jitter::Factor(0.25));
        let got: Vec<u64> = [0.0, 0.4, 0.6, 1.0].iter().map(|r| con_j.delay_us(1, 0, *r) / MS).collect();
        assert_eq!(got, [750, 950, 1050, 1250]);
        let lin_j = backoff(BackoffDoc::Linear { delay: one_s }, u64::MAX, Jitter::Factor(0.25));
        let got: Vec<u64> = [0.0, 0.4, 0.5, 0.6, 1.0].iter().map(|r| lin_j.delay_us(3, 0, *r) / MS).collect();
        assert_eq!(got, [2250, 2850, 3000, 3150, 3750]);

        // MaxDelay_Ok: attempt 2, base 10 s, MaxDelay 1 s -> 1 s for every type.
        let ten = Span::from_secs(10);
        for config in [
            BackoffDoc::Constant { delay: ten },
            BackoffDoc::Linear { delay: ten },
            BackoffDoc::Exponential { initial: ten, multiplier: 2.0 },
        ] {
            assert_eq!(backoff(config, S, Jitter::None).delay_us(3, 0, 0.0), S);
        }
    }

    #[test]
    fn aws_jitters_stay_in_their_ranges() {
        let base = BackoffDoc::Exponential { initial: Span::from_millis(100), multiplier: 2.0 };
        let full = backoff(base.clone(), 150 * MS, Jitter::Full);
        assert_eq!(full.delay_us(1, 0, 0.0), 0);
        assert_eq!(full.delay_us(1, 0, 0.5), 50 * MS);
        assert_eq!(full.delay_us(3, 0, 0.5), 75 * MS, "capped at 150 ms before jitter");
        let equal = backoff(base.clone(), u64::MAX, Jitter::Equal);
        assert_eq!(equal.delay_us(2, 0, 0.0), 100 * MS);
        assert_eq!(equal.delay_us(2, 0, 0.5), 150 * MS);
        let decorrelated = backoff(base, 1_000 * MS, Jitter::Decorrelated);
        assert_eq!(decorrelated.delay_us(1, 0, 0.0), 100 * MS);
        // AWSSIM `DecorrelatedJitter`: sleep₀ = base, so retry 1 is uniform(base, 3·base).
        assert_eq!(decorrelated.delay_us(1, 0, 0.5), 200 * MS, "not exactly base");
        assert_eq!(decorrelated.delay_us(1, 0, 0.999_999), 299_999, "up to 3·base");
        assert_eq!(decorrelated.delay_us(2, 200 * MS, 0.5), 350 * MS);
        assert_eq!(decorrelated.delay_us(2, 900 * MS, 0.99), 1_000 * MS, "capped");
    }
}
