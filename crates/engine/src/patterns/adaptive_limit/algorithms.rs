//! Gradient2 and Vegas, as Netflix concurrency-limits computes them (`Gradient2Limit`,
//! `VegasLimit`, `ExpAvgMeasurement`, `Log10RootIntFunction`). Estimates are kept as `f64` and
//! the limit is the estimate rounded down, as the library's `(int)` casts do.

use super::{AdaptiveSettings, Sample};
use crate::patterns::contract::Random;

/// Samples averaged plainly before the exponential average starts (`ExpAvgMeasurement`).
const WARMUP_SAMPLES: u32 = 10;

/// An exponential moving average over `window` samples, the first [`WARMUP_SAMPLES`] plainly
/// averaged (Netflix `ExpAvgMeasurement`).
#[derive(Clone, Debug)]
pub(super) struct ExpAvg {
    pub(super) value: f64,
    sum: f64,
    count: u32,
    factor: f64,
}

impl ExpAvg {
    pub(super) fn new(window: u32) -> Self {
        Self { value: 0.0, sum: 0.0, count: 0, factor: 2.0 / (f64::from(window) + 1.0) }
    }

    pub(super) fn add(&mut self, sample: f64) -> f64 {
        if self.count < WARMUP_SAMPLES {
            self.count += 1;
            self.sum += sample;
            self.value = self.sum / f64::from(self.count);
        } else {
            self.value = self.value * (1.0 - self.factor) + sample * self.factor;
        }
        self.value
    }
}

/// A round-trip time as the algorithms divide by it: at least a microsecond.
fn rtt_of(sample: Sample) -> f64 {
    sample.rtt_us.max(1) as f64
}

/// Netflix `Gradient2Limit`'s memory: the estimate and the long-term RTT.
#[derive(Clone, Debug)]
pub(super) struct Gradient2 {
    pub(super) estimate: f64,
    pub(super) long_rtt: ExpAvg,
}

impl Gradient2 {
    pub(super) fn new(s: &AdaptiveSettings) -> Self {
        Self { estimate: f64::from(s.initial), long_rtt: ExpAvg::new(s.long_window) }
    }

    /// `Gradient2Limit._update` (drops are not a signal to it).
    pub(super) fn update(&mut self, s: &AdaptiveSettings, sample: Sample) -> u32 {
        let short = rtt_of(sample);
        let long = self.long_rtt.add(short);
        if long / short > 2.0 {
            self.long_rtt.value *= 0.95;
        }
        if f64::from(sample.inflight) < self.estimate / 2.0 {
            return self.estimate as u32;
        }
        let gradient = (s.rtt_tolerance * long / short).clamp(0.5, 1.0);
        let grown = self.estimate * gradient + f64::from(s.queue_size);
        let smoothed = self.estimate * (1.0 - s.smoothing) + grown * s.smoothing;
        self.estimate = smoothed.clamp(f64::from(s.min.min(s.max)), f64::from(s.max));
        self.estimate as u32
    }
}

/// `Log10RootIntFunction`: `max(1, floor(log10 n))`.
pub(super) const fn log10_root(n: u32) -> u32 {
    let (mut digits, mut rest) = (0, n);
    while rest >= 10 {
        rest /= 10;
        digits += 1;
    }
    if digits == 0 { 1 } else { digits }
}

/// Netflix `VegasLimit`'s memory: the estimate, the no-load RTT and the probe countdown.
#[derive(Clone, Debug)]
pub(super) struct Vegas {
    estimate: f64,
    pub(super) rtt_noload_us: u64,
    probe_count: u64,
    probe_jitter: f64,
}

impl Vegas {
    pub(super) fn new(s: &AdaptiveSettings, random: &mut impl Random) -> Self {
        Self { estimate: f64::from(s.initial), rtt_noload_us: 0, probe_count: 0, probe_jitter: jitter(random) }
    }

    /// `VegasLimit._update`: probe or learn the no-load RTT, else update the estimate.
    pub(super) fn update(&mut self, s: &AdaptiveSettings, sample: Sample, random: &mut impl Random) -> u32 {
        let rtt_us = sample.rtt_us.max(1);
        self.probe_count += 1;
        if self.probe_jitter * f64::from(s.probe_multiplier) * self.estimate <= self.probe_count as f64 {
            self.probe_jitter = jitter(random);
            self.probe_count = 0;
            self.rtt_noload_us = rtt_us;
            return self.estimate as u32;
        }
        if self.rtt_noload_us == 0 || rtt_us < self.rtt_noload_us {
            self.rtt_noload_us = rtt_us;
            return self.estimate as u32;
        }
        self.update_estimate(s, sample, rtt_us)
    }

    fn update_estimate(&mut self, s: &AdaptiveSettings, sample: Sample, rtt_us: u64) -> u32 {
        let estimate = self.estimate;
        let queue = (estimate * (1.0 - self.rtt_noload_us as f64 / rtt_us as f64)).ceil();
        let step = f64::from(log10_root(estimate as u32));
        let new = if sample.dropped {
            estimate - step
        } else if f64::from(sample.inflight) * 2.0 < estimate {
            return estimate as u32;
        } else {
            let alpha = f64::from(s.alpha.unwrap_or_else(|| 3 * log10_root(estimate as u32)));
            let beta = f64::from(s.beta.unwrap_or_else(|| 6 * log10_root(estimate as u32)));
            if queue <= step {
                estimate + beta
            } else if queue < alpha {
                estimate + step
            } else if queue > beta {
                estimate - step
            } else {
                return estimate as u32;
            }
        };
        let clamped = new.clamp(f64::from(s.min.min(s.max)), f64::from(s.max));
        self.estimate = (1.0 - s.smoothing) * estimate + s.smoothing * clamped;
        self.estimate as u32
    }
}

/// Vegas' probe jitter: uniform in `[0.5, 1)`.
fn jitter(random: &mut impl Random) -> f64 {
    0.5 + 0.5 * random.unit()
}
