//! Metrics per time bucket: requests by final outcome, downstream attempts, latency
//! percentiles, and the state of every stateful layer and service. Memory is bounded by the
//! number of buckets (at most [`BUCKETS_MAX`]), whatever the run's length.

use serde::Serialize;

use super::histogram::Histogram;
use super::outcome::Outcome;

/// Most buckets of a run; longer runs get wider buckets.
pub const BUCKETS_MAX: usize = 4_096;

/// One time bucket of the whole run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Bucket {
    /// Requests completed in the bucket, by outcome code.
    pub outcomes: [u32; 10],
    /// Requests that arrived in the bucket.
    pub arrivals: u32,
    /// Downstream attempts started in the bucket.
    pub attempts: u32,
    /// Latency percentiles (ms) of the requests completed in the bucket.
    pub latency_p50_ms: f64,
    /// 95th percentile.
    pub latency_p95_ms: f64,
    /// 99th percentile.
    pub latency_p99_ms: f64,
}

impl Bucket {
    /// Completed requests that got a real answer (service or cache).
    #[must_use]
    pub fn good(&self) -> u32 {
        Outcome::ALL.iter().filter(|o| o.is_good()).map(|o| self.outcomes[*o as usize]).sum()
    }

    /// All completed requests.
    #[must_use]
    pub fn completed(&self) -> u32 {
        self.outcomes.iter().sum()
    }
}

/// A stateful layer's (or the client pool's) readings in one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LayerSample {
    /// Breaker state at the end of the bucket (0 closed, 1 open, 2 half-open).
    pub state: u8,
    /// Worst breaker state seen in the bucket (open > half-open > closed).
    pub worst_state: u8,
    /// Bulkhead/pool: most permits in use at once.
    pub in_use_max: u32,
    /// Bulkhead/pool: most calls waiting at once.
    pub waiting_max: u32,
    /// Cache: fresh hits.
    pub hits: u32,
    /// Cache: lookups that went inside.
    pub misses: u32,
    /// Calls this layer refused.
    pub rejected: u32,
    /// Retry: retries scheduled.
    pub retries: u32,
}

/// The per-bucket readings of one layer.
#[derive(Clone, Debug, Serialize)]
pub struct LayerSeries {
    /// Endpoint index (the client pool's series uses the first endpoint that has it).
    pub endpoint: u16,
    /// Index in the endpoint's stack, or the trace's `POOL`.
    pub layer: u8,
    /// Layer kind as scenario files name it (`"client_pool"` for the pool).
    pub kind: &'static str,
    /// One sample per bucket.
    pub samples: Vec<LayerSample>,
}

/// A service's occupancy per bucket.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceSeries {
    /// Service name.
    pub name: String,
    /// Most requests on a worker at once, per bucket.
    pub busy_max: Vec<u32>,
    /// Most requests queued at once, per bucket.
    pub queued_max: Vec<u32>,
}

/// All metrics of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Metrics {
    /// Bucket width in microseconds.
    pub bucket_us: u64,
    /// The buckets, from t = 0.
    pub buckets: Vec<Bucket>,
    /// Stateful layers.
    pub layers: Vec<LayerSeries>,
    /// Services.
    pub services: Vec<ServiceSeries>,
    #[serde(skip)]
    latency: Vec<Histogram>,
}

impl Metrics {
    pub(crate) fn new(bucket_us: u64, buckets: usize, layers: Vec<LayerSeries>, services: Vec<ServiceSeries>) -> Self {
        Self {
            bucket_us,
            buckets: vec![Bucket::default(); buckets],
            layers,
            services,
            latency: (0..buckets).map(|_| Histogram::new(3)).collect(),
        }
    }

    /// Each layer's counters over the whole run, a line each (for `rpsim`'s summary): a
    /// cache's hits and misses, the calls a layer refused (a retry: the retries its budget
    /// refused), the retries it made. Layers that counted nothing are left out.
    #[must_use]
    pub fn layer_table(&self) -> String {
        let mut out = String::new();
        for layer in &self.layers {
            let sum = |f: fn(&LayerSample) -> u32| layer.samples.iter().map(|s| u64::from(f(s))).sum::<u64>();
            let counts = [
                ("hits", sum(|s| s.hits)),
                ("misses", sum(|s| s.misses)),
                ("refused", sum(|s| s.rejected)),
                ("retries", sum(|s| s.retries)),
            ];
            let shown: Vec<String> =
                counts.iter().filter(|(_, n)| *n > 0).map(|(name, n)| format!("{name} {n}")).collect();
            if !shown.is_empty() {
                out.push_str(&format!(
                    "  endpoint {} layer {} {}: {}\n",
                    layer.endpoint,
                    layer.layer,
                    layer.kind,
                    shown.join(", ")
                ));
            }
        }
        out
    }

    /// The bucket holding time `t_us` (runs' drain phases land in the last bucket).
    #[inline]
    pub(crate) fn index(&self, t_us: u64) -> usize {
        ((t_us / self.bucket_us) as usize).min(self.buckets.len() - 1)
    }

    /// A request completed in bucket `i` with `outcome`, after `latency_us`.
    pub(crate) fn complete(&mut self, i: usize, outcome: Outcome, latency_us: u64) {
        self.buckets[i].outcomes[outcome as usize] += 1;
        self.latency[i].record(latency_us);
    }

    /// Computes the percentiles and drops the working histograms.
    pub(crate) fn finish(&mut self) {
        for (bucket, histogram) in self.buckets.iter_mut().zip(self.latency.drain(..)) {
            bucket.latency_p50_ms = histogram.quantile_us(0.50) as f64 / 1e3;
            bucket.latency_p95_ms = histogram.quantile_us(0.95) as f64 / 1e3;
            bucket.latency_p99_ms = histogram.quantile_us(0.99) as f64 / 1e3;
        }
    }

    /// The buckets as CSV: start time, arrivals, attempts, one column per outcome, latency
    /// percentiles.
    #[must_use]
    pub fn to_csv(&self) -> String {
        use core::fmt::Write as _;
        let mut out = String::from("start_s,arrivals,attempts");
        for outcome in Outcome::ALL {
            let _ = write!(out, ",{}", outcome.name());
        }
        out.push_str(",latency_p50_ms,latency_p95_ms,latency_p99_ms\n");
        let width_s = self.bucket_us as f64 / 1e6;
        for (i, b) in self.buckets.iter().enumerate() {
            let _ = write!(out, "{},{},{}", i as f64 * width_s, b.arrivals, b.attempts);
            for count in b.outcomes {
                let _ = write!(out, ",{count}");
            }
            let _ = writeln!(out, ",{},{},{}", b.latency_p50_ms, b.latency_p95_ms, b.latency_p99_ms);
        }
        out
    }

    /// Bucket width and count for a run of `duration_us`, plus a quarter for the drain phase
    /// (later completions land in the last bucket).
    #[must_use]
    pub fn layout(duration_us: u64, requested_us: Option<u64>) -> (u64, usize) {
        let default_us = if duration_us >= 10_000_000 { 1_000_000 } else { (duration_us / 100).max(1_000) };
        let span_us = duration_us.saturating_add(duration_us / 4);
        let mut width = requested_us.unwrap_or(default_us).max(1_000);
        while span_us.div_ceil(width) > BUCKETS_MAX as u64 {
            width = width.saturating_mul(2);
        }
        (width, span_us.div_ceil(width).max(1) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_bounds_the_bucket_count() {
        assert_eq!(Metrics::layout(60_000_000, None), (1_000_000, 75));
        assert_eq!(Metrics::layout(2_000_000, None), (20_000, 125));
        let (width, count) = Metrics::layout(24 * 3_600_000_000, None);
        assert!(count <= BUCKETS_MAX && width >= 1_000_000);
        let (_, count) = Metrics::layout(3_600_000_000, Some(1_000));
        assert!(count <= BUCKETS_MAX);
    }
}
