//! Envoy's adaptive concurrency gradient controller (`adaptive_concurrency/controller/
//! gradient_controller.cc`), on the virtual clock. Its two timers are run lazily: every call
//! that enters or answers first brings the controller up to its time, firing the timers that
//! came due in order (the same limits; a change is traced with the call that saw it).
//!
//! ```text
//!   start ──> MinRtt window: limit = min_limit, remembered limit kept aside
//!   MinRtt ──min_rtt_requests samples──> Sampling: min RTT = pXX, remembered limit back,
//!            next window after min_rtt_interval + jitter
//!   Sampling ──every update_interval, if samples──> limit = (1 + sqrt)(limit · gradient)
//!   Sampling ──5 updates in a row at min_limit──> MinRtt window at once
//! ```
//!
//! `gradient = clamp(min_rtt · (1 + buffer) / sample_rtt, 0.5, 2)`, the new limit
//! `floor(limit·g + sqrt(limit·g))` within `[min_limit, max_limit]`; samples of calls that
//! entered before the current min-RTT window began are ignored. The percentile is exact over
//! the window's samples (Envoy's histogram approximates it); a window keeps at most
//! [`SAMPLES_MAX`] samples.

use super::{AdaptiveSettings, Sample};
use crate::patterns::contract::Random;

/// Samples one window keeps at most (later ones are dropped until the window closes).
pub const SAMPLES_MAX: usize = 100_000;

/// Updates in a row that set the limit to its minimum before a new min-RTT window starts.
const MIN_SET_IN_A_ROW: u32 = 5;

/// The controller's memory.
#[derive(Clone, Debug)]
pub(super) struct Envoy {
    /// The limit to restore after the min-RTT window (`Some` while in it).
    pub(super) deferred: Option<u32>,
    pub(super) min_rtt_us: u64,
    /// When the current min-RTT window began.
    epoch_us: u64,
    samples: Vec<u64>,
    /// When the two timers fire next (`None`: disabled).
    pub(super) sample_reset_at: Option<u64>,
    pub(super) min_rtt_at: Option<u64>,
    at_min_in_a_row: u32,
}

impl Envoy {
    /// The controller at time 0, entering its first min-RTT window (the limit is `initial`
    /// once it ends).
    pub(super) fn new(s: &AdaptiveSettings, limit: &mut u32) -> Self {
        let mut envoy = Self {
            deferred: None,
            min_rtt_us: 0,
            epoch_us: 0,
            samples: Vec::new(),
            sample_reset_at: Some(s.envoy.update_interval_us),
            min_rtt_at: None,
            at_min_in_a_row: 0,
        };
        envoy.enter_min_rtt_window(s, 0, limit);
        envoy
    }

    /// Fires the timers due by `now_us`, in order. A sample window with nothing in it only
    /// re-arms its timer, so a run of empty ones is skipped in one step.
    pub(super) fn advance(&mut self, s: &AdaptiveSettings, now_us: u64, limit: &mut u32) {
        // Each turn fires a min-RTT window (once: only samples end it), a window with samples
        // (once: it empties them) or skips the empty ones; a few turns always suffice.
        for _ in 0..8 {
            let reset = self.sample_reset_at.filter(|at| *at <= now_us);
            let min_rtt = self.min_rtt_at.filter(|at| *at <= now_us);
            match (min_rtt, reset) {
                (Some(at), r) if r.is_none_or(|r| at <= r) => {
                    self.min_rtt_at = None;
                    self.enter_min_rtt_window(s, at, limit);
                }
                // Envoy's reset timer gives up during a min-RTT window.
                (_, Some(_)) if self.deferred.is_some() => self.sample_reset_at = None,
                (_, Some(at)) if self.samples.is_empty() => self.skip_empty_windows(s, at, now_us),
                (_, Some(at)) => {
                    self.reset_sample_window(s, at, limit);
                    self.sample_reset_at = Some(at.saturating_add(s.envoy.update_interval_us));
                }
                _ => return,
            }
        }
    }

    /// Sample windows from `at_us` on have nothing in them until a call comes (at `now_us`):
    /// the next one that matters ends after `now_us`, or none does if a min-RTT window starts
    /// first (Envoy's reset timer gives up then).
    fn skip_empty_windows(&mut self, s: &AdaptiveSettings, at_us: u64, now_us: u64) {
        if self.min_rtt_at.is_some_and(|m| m <= now_us) {
            self.sample_reset_at = None;
            return;
        }
        let interval = s.envoy.update_interval_us.max(1);
        let skipped = (now_us - at_us) / interval + 1;
        self.sample_reset_at = Some(at_us.saturating_add(skipped.saturating_mul(interval)));
    }

    /// A call that entered at `sample.started_us` answered at `now_us`.
    pub(super) fn record(
        &mut self,
        s: &AdaptiveSettings,
        now_us: u64,
        sample: Sample,
        limit: &mut u32,
        random: &mut impl Random,
    ) {
        if sample.started_us < self.epoch_us {
            return;
        }
        if self.samples.len() < SAMPLES_MAX {
            self.samples.push(sample.rtt_us);
        }
        if self.deferred.is_some() && self.samples.len() >= s.envoy.min_rtt_requests as usize {
            self.update_min_rtt(s, now_us, limit, random);
        }
    }

    fn enter_min_rtt_window(&mut self, s: &AdaptiveSettings, at_us: u64, limit: &mut u32) {
        if self.deferred.is_some() {
            return;
        }
        self.deferred = Some(*limit);
        self.set_limit(s, s.min, at_us, limit);
        self.samples.clear();
        self.epoch_us = at_us;
    }

    fn update_min_rtt(&mut self, s: &AdaptiveSettings, now_us: u64, limit: &mut u32, random: &mut impl Random) {
        if !self.samples.is_empty() {
            self.min_rtt_us = self.percentile_and_clear(s);
        }
        let restored = self.deferred.unwrap_or(*limit);
        self.set_limit(s, restored, now_us, limit);
        self.deferred = None;
        let interval_ms = s.envoy.min_rtt_interval_us / 1_000;
        let jitter_range_ms = (interval_ms as f64 * s.envoy.jitter).ceil() as u64;
        let jitter_ms = (random.unit() * jitter_range_ms as f64) as u64;
        let next_us = interval_ms.saturating_add(jitter_ms).saturating_mul(1_000);
        self.min_rtt_at = Some(now_us.saturating_add(next_us));
        self.sample_reset_at = Some(now_us.saturating_add(s.envoy.update_interval_us));
    }

    fn reset_sample_window(&mut self, s: &AdaptiveSettings, at_us: u64, limit: &mut u32) {
        if self.samples.is_empty() {
            return;
        }
        let sample_rtt = self.percentile_and_clear(s).max(1) as f64;
        let buffered = self.min_rtt_us as f64 * (1.0 + s.envoy.buffer);
        let gradient = (buffered / sample_rtt).clamp(0.5, 2.0);
        let scaled = f64::from(*limit) * gradient;
        let new = (scaled + scaled.sqrt()) as u32;
        self.set_limit(s, new, at_us, limit);
    }

    /// `updateConcurrencyLimit`: sets the limit, and starts a min-RTT window at once after
    /// [`MIN_SET_IN_A_ROW`] updates at the minimum (at `at_us`, when it is set).
    fn set_limit(&mut self, s: &AdaptiveSettings, new: u32, at_us: u64, limit: &mut u32) {
        let new = new.clamp(s.min.min(s.max), s.max);
        let old = core::mem::replace(limit, new);
        if self.deferred.is_none() && old == s.min && new == s.min {
            self.at_min_in_a_row += 1;
        } else {
            self.at_min_in_a_row = 0;
        }
        if self.at_min_in_a_row >= MIN_SET_IN_A_ROW {
            self.min_rtt_at = Some(at_us);
        }
    }

    /// The configured percentile of the window's samples (nearest rank), which are cleared.
    fn percentile_and_clear(&mut self, s: &AdaptiveSettings) -> u64 {
        self.samples.sort_unstable();
        let n = self.samples.len();
        let rank = ((s.envoy.percentile * n as f64).ceil() as usize).clamp(1, n.max(1));
        let value = self.samples.get(rank - 1).copied().unwrap_or(0);
        self.samples.clear();
        value
    }
}
