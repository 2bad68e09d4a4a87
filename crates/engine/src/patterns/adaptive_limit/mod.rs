//! Adaptive concurrency limit: a bulkhead whose limit moves with the latency and the drops it
//! sees. A call is refused (`RejectedByBulkhead`) when the calls inside are at the limit; each
//! call that comes back is a sample (its round-trip time, the calls inside when it entered,
//! whether it was dropped) from which the algorithm computes the next limit, always within
//! `[min_limit, max_limit]`.
//!
//! The algorithms are Netflix concurrency-limits' (`concurrency-limits-core/.../limit/`), each
//! as its library computes it, with its defaults:
//!
//! - `aimd` (`AIMDLimit`: initial 20, min 20, max 200): a drop, or a sample slower than
//!   `timeout` (5 s), multiplies the limit by `backoff_ratio` (0.9, rounded down); a success
//!   while at least half the limit was in flight adds one.
//! - `gradient2` (`Gradient2Limit`: initial 20, min 20, max 200): a long-term RTT (an
//!   exponential average over `long_window` = 600 samples, the first 10 averaged plainly)
//!   against the sample's RTT: `gradient = clamp(rtt_tolerance·long / short, 0.5, 1)`,
//!   `new = limit·gradient + queue_size`, smoothed `limit·(1 − smoothing) + new·smoothing`.
//!   Not grown while fewer than half the limit are in flight; the long RTT is cut by 5 % when
//!   it is more than twice the sample's (recovery after a slow spell). Drops are not signals.
//! - `vegas` (`VegasLimit`: initial 20, min 1, max 1000, smoothing 1): `rtt_noload` is the
//!   lowest RTT seen, re-probed after about `probe_multiplier · limit` samples (times a
//!   random jitter in `[0.5, 1)`); `queue = ceil(limit · (1 − rtt_noload / rtt))`; no queue
//!   (≤ log10 limit) grows the limit by `beta`, a small one (< `alpha`) by log10 limit, a long
//!   one (> `beta`) or a drop shrinks it by log10 limit (alpha, beta default to 3 and 6 times
//!   log10 limit).
//! - `envoy_gradient` (Envoy's adaptive concurrency filter, gradient controller: min 3, max
//!   1000): the limit is pinned to `min_limit` while `min_rtt_requests` (50) samples measure
//!   the min RTT (their `percentile`, p50), again every `min_rtt_interval` (60 s) plus up to
//!   `jitter` (15 %); every `update_interval` (100 ms) the window's percentile RTT moves the
//!   limit by `gradient = clamp(min_rtt · (1 + buffer) / sample_rtt, 0.5, 2)` (buffer 25 %):
//!   `floor(limit·g + sqrt(limit·g))`. See `envoy.rs`.
//!
//! ```text
//!   enter ──in flight < limit──> Inside ──reply──> sample ──> algorithm ──> limit' ∈ [min, max]
//!   enter ──in flight ≥ limit──> Refused (RejectedByBulkhead)
//!   Inside ──cancelled by an outer layer──> gone, no sample (Netflix's onIgnore)
//! ```

mod algorithms;
mod doc;
mod envoy;
mod layer;
mod presets;
mod spec;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_envoy;

pub use doc::{AdaptiveLimitDoc, Algorithm};
pub use layer::{AdaptiveCall, AdaptiveLimitLayer, event as events};

use crate::patterns::KindSet;
use crate::patterns::contract::Random;
use algorithms::{Gradient2, Vegas};
use envoy::Envoy;

/// An adaptive limit's settings (read from an [`AdaptiveLimitDoc`]), checked: every limit at
/// least 1, every ratio in its range; `min ≤ initial ≤ max` (see [`AdaptiveLimitDoc::limits`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdaptiveSettings {
    algorithm: Algorithm,
    initial: u32,
    min: u32,
    max: u32,
    /// AIMD: the factor of a decrease, in `[0.5, 1)`.
    backoff_ratio: f64,
    /// AIMD: a sample slower than this is a drop.
    timeout_us: u64,
    /// Gradient2, Vegas: the weight of a new estimate, in `[0.01, 1]`.
    smoothing: f64,
    /// Gradient2: growth per update while latencies stay low.
    queue_size: u32,
    /// Gradient2: samples of the long-term RTT average.
    long_window: u32,
    /// Gradient2: how much slower than the long-term RTT a sample may be before the limit
    /// shrinks (at least 1).
    rtt_tolerance: f64,
    /// Vegas: fixed alpha and beta (`None`: 3 and 6 times log10 of the limit).
    alpha: Option<u32>,
    beta: Option<u32>,
    /// Vegas: samples between probes of the no-load RTT, per unit of limit.
    probe_multiplier: u32,
    /// Which failures are drops.
    drop_on: KindSet,
    /// Envoy's gradient controller.
    envoy: EnvoySettings,
}

/// The settings of Envoy's gradient controller, checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvoySettings {
    /// How often the limit is recomputed (at least 1 ms).
    update_interval_us: u64,
    /// How often the min RTT is measured again (at least 1 ms), before jitter.
    min_rtt_interval_us: u64,
    /// Samples that make a min-RTT measurement (at least 1).
    min_rtt_requests: u32,
    /// Up to this share of `min_rtt_interval` is added at random, in `[0, 1]`.
    jitter: f64,
    /// The share of the min RTT a sample may exceed it by before the limit shrinks, in `[0, 1]`.
    buffer: f64,
    /// The percentile of a window's samples that stands for it, in `[0, 1]`.
    percentile: f64,
}

/// One call's answer as the algorithm sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// Round-trip time, in microseconds.
    pub rtt_us: u64,
    /// Calls inside when this one entered, itself included.
    pub inflight: u32,
    /// True for a drop (a timeout, a rejection from inside, a failure of a `drop_on` kind).
    pub dropped: bool,
    /// When the call entered, in microseconds (it answered at `started_us + rtt_us`).
    pub started_us: u64,
}

/// An adaptive limit: the current limit and the algorithm's memory.
#[derive(Clone, Debug)]
pub struct AdaptiveLimit {
    settings: AdaptiveSettings,
    limit: u32,
    state: State,
}

#[derive(Clone, Debug)]
enum State {
    Aimd,
    Gradient2(Gradient2),
    Vegas(Vegas),
    Envoy(Envoy),
}

impl AdaptiveLimit {
    /// The limit at the start of the run (`initial`); Vegas draws its first probe jitter.
    pub fn new(settings: AdaptiveSettings, random: &mut impl Random) -> Self {
        let mut limit = settings.initial.clamp(settings.min.min(settings.max), settings.max);
        let state = match settings.algorithm {
            Algorithm::Aimd => State::Aimd,
            Algorithm::Gradient2 => State::Gradient2(Gradient2::new(&settings)),
            Algorithm::Vegas => State::Vegas(Vegas::new(&settings, random)),
            Algorithm::EnvoyGradient => State::Envoy(Envoy::new(&settings, &mut limit)),
        };
        Self { settings, limit, state }
    }

    /// The current limit.
    #[must_use]
    pub const fn limit(&self) -> u32 {
        self.limit
    }

    /// True when a failure of this kind is a drop.
    #[must_use]
    pub const fn is_drop(&self, kind: crate::patterns::FailureKind) -> bool {
        self.settings.drop_on.contains(kind)
    }

    /// Brings the algorithm up to `now_us` (Envoy's timers); answers the limit.
    pub fn advance(&mut self, now_us: u64) -> u32 {
        if let State::Envoy(envoy) = &mut self.state {
            envoy.advance(&self.settings, now_us, &mut self.limit);
        }
        self.limit
    }

    /// Feeds one sample to the algorithm; answers the new limit, within `[min, max]`.
    pub fn on_sample(&mut self, sample: Sample, random: &mut impl Random) -> u32 {
        let s = &self.settings;
        let next = match &mut self.state {
            State::Aimd => aimd(s, self.limit, sample),
            State::Gradient2(g) => g.update(s, sample),
            State::Vegas(v) => v.update(s, sample, random),
            State::Envoy(envoy) => {
                let now_us = sample.started_us.saturating_add(sample.rtt_us);
                envoy.advance(s, now_us, &mut self.limit);
                envoy.record(s, now_us, sample, &mut self.limit, random);
                self.limit
            }
        };
        self.limit = next.clamp(s.min.min(s.max), s.max);
        self.limit
    }
}

/// Netflix `AIMDLimit._update`: `(int)(limit · ratio)` on a drop or a sample over `timeout`,
/// `limit + 1` when at least half the limit was in flight.
fn aimd(s: &AdaptiveSettings, limit: u32, sample: Sample) -> u32 {
    if sample.dropped || sample.rtt_us > s.timeout_us {
        // In [0, limit]: the ratio is below 1.
        (f64::from(limit) * s.backoff_ratio) as u32
    } else if u64::from(sample.inflight) * 2 >= u64::from(limit) {
        limit.saturating_add(1)
    } else {
        limit
    }
}
