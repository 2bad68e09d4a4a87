//! Hedging: when an answer is slow, send the same call again beside it and take whichever
//! acceptable answer comes first; the others are cancelled (the service keeps working on them,
//! as on any abandoned attempt).
//!
//! Polly v8's three modes and tower's percentile delay ([`HedgeMode`]):
//! - `latency`: a hedged attempt after each `delay` without an answer (Polly, default 2 s);
//! - `parallel`: every attempt at once (Polly's delay 0);
//! - `fallback`: the next attempt only after a failure (Polly's delay −1);
//! - `percentile` (tower `Hedge`): the delay is the `percentile` of the successful latencies
//!   of the previous `period`, and no hedge is sent before that period has
//!   `min_data_points` of them.
//!
//! In every mode a handled failure (a kind in `handle`) starts the next attempt at once, and
//! at most `max_hedged_attempts` are sent beside the first.
//!
//! ```text
//!   enter ──> Waiting(1 in flight) ──delay passes, attempts left──> Waiting(n + 1 in flight)
//!   Waiting ──acceptable answer──> Done(answer), the others cancelled
//!   Waiting ──handled failure, attempts left──> Waiting (next attempt now)
//!   Waiting ──handled failure, none left, others in flight──> Waiting
//!   Waiting ──handled failure, nothing in flight──> Done(that failure)
//! ```

mod doc;
mod layer;
mod presets;
mod spec;
#[cfg(test)]
mod tests;

pub use doc::{HedgeMode, HedgingDoc};
pub use layer::{HedgeCall, HedgingLayer};

use crate::patterns::KindSet;

/// Successful latencies kept per period, at most (the rest of a period is not sampled): ample
/// for a percentile, and 80 KB a layer however long the period (hostile documents with a
/// hundred hedging layers stay near 10 MB of samples).
const SAMPLES_MAX: usize = 10_000;

/// A hedging layer's settings (read from a [`HedgingDoc`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HedgingSettings {
    mode: HedgeMode,
    delay_us: u64,
    /// Hedged attempts beside the first (1 to 10).
    max_hedged: u8,
    handle: KindSet,
    percentile: f64,
    min_data_points: u32,
    period_us: u64,
}

/// tower's latency window: the successful latencies of the current period, and the delay
/// that the previous period's give.
#[derive(Clone, Debug)]
pub struct LatencyWindow {
    period_us: u64,
    percentile: f64,
    min_data_points: usize,
    current_start_us: u64,
    current: Vec<u64>,
    /// The delay read from the previous period (`None`: too few data points).
    delay_us: Option<u64>,
}

impl LatencyWindow {
    /// An empty window.
    #[must_use]
    pub fn new(period_us: u64, percentile: f64, min_data_points: u32) -> Self {
        Self {
            period_us: period_us.max(1),
            percentile,
            min_data_points: min_data_points as usize,
            current_start_us: 0,
            current: Vec::new(),
            delay_us: None,
        }
    }

    /// Moves to the period of `now_us`: the period just ended gives the delay.
    fn rotate(&mut self, now_us: u64) {
        if now_us < self.current_start_us.saturating_add(self.period_us) {
            return;
        }
        let periods = (now_us - self.current_start_us) / self.period_us;
        let ended_just_now = periods == 1;
        self.delay_us =
            if ended_just_now { quantile(&mut self.current, self.percentile, self.min_data_points) } else { None };
        self.current.clear();
        self.current_start_us = self.current_start_us.saturating_add(periods.saturating_mul(self.period_us));
    }

    /// Records a successful call's latency.
    pub fn record(&mut self, now_us: u64, latency_us: u64) {
        self.rotate(now_us);
        if self.current.len() < SAMPLES_MAX {
            self.current.push(latency_us);
        }
    }

    /// The hedge delay at `now_us`, if the previous period had enough data.
    pub fn delay_us(&mut self, now_us: u64) -> Option<u64> {
        self.rotate(now_us);
        self.delay_us
    }
}

/// The `percentile` (0–100) of `samples` by nearest rank, if there are at least `min` of them.
fn quantile(samples: &mut [u64], percentile: f64, min: usize) -> Option<u64> {
    if samples.is_empty() || samples.len() < min {
        return None;
    }
    samples.sort_unstable();
    let rank = ((percentile / 100.0) * samples.len() as f64).ceil() as usize;
    samples.get(rank.clamp(1, samples.len()) - 1).copied()
}
