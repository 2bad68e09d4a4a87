//! The run summary: totals by outcome, success rate, goodput, latency percentiles,
//! amplification (downstream attempts per request) and peak downstream rate.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::histogram::Histogram;
use super::outcome::Outcome;

/// Counts per outcome, serialised as `{"success": n, ...}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutcomeCounts(pub [u64; 10]);

impl OutcomeCounts {
    /// The count of one outcome.
    #[must_use]
    pub fn get(&self, outcome: Outcome) -> u64 {
        self.0[outcome as usize]
    }
}

impl Serialize for OutcomeCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(10))?;
        for outcome in Outcome::ALL {
            map.serialize_entry(outcome.name(), &self.get(outcome))?;
        }
        map.end()
    }
}

/// Latency percentiles of completed requests, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Latencies {
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

/// The summary of one endpoint, or of all of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Endpoint name, or `"all"`.
    pub name: String,
    /// Requests that arrived after the warm-up.
    pub requests: u64,
    /// Of which completed, by outcome.
    pub outcomes: OutcomeCounts,
    /// Share of requests with a real answer (service or cache), 0..1.
    pub success_rate: f64,
    /// Real answers per second of measured time.
    pub goodput_rps: f64,
    /// Completed requests per second of measured time.
    pub throughput_rps: f64,
    /// Latency of completed requests.
    pub latency: Latencies,
    /// Downstream attempts (including a fallback's secondary calls).
    pub attempts: u64,
    /// Downstream attempts per request.
    pub amplification: f64,
    /// Highest downstream attempt rate in any metrics bucket, per second.
    pub peak_downstream_rps: f64,
}

/// Accumulates one endpoint's totals during a run.
#[derive(Clone, Debug)]
pub(crate) struct TotalsBuilder {
    requests: u64,
    outcomes: [u64; 10],
    attempts: u64,
    latency: Histogram,
    attempts_per_bucket: Vec<u32>,
}

impl TotalsBuilder {
    pub(crate) fn new(buckets: usize) -> Self {
        Self {
            requests: 0,
            outcomes: [0; 10],
            attempts: 0,
            latency: Histogram::new(6),
            attempts_per_bucket: vec![0; buckets],
        }
    }

    pub(crate) fn arrival(&mut self) {
        self.requests += 1;
    }

    pub(crate) fn attempt(&mut self, bucket: usize) {
        self.attempts += 1;
        self.attempts_per_bucket[bucket] += 1;
    }

    pub(crate) fn complete(&mut self, outcome: Outcome, latency_us: u64) {
        self.outcomes[outcome as usize] += 1;
        self.latency.record(latency_us);
    }

    /// Merges another builder into this one (for the all-endpoints total).
    pub(crate) fn absorb(&mut self, other: &Self) {
        self.requests += other.requests;
        self.attempts += other.attempts;
        for (a, b) in self.outcomes.iter_mut().zip(other.outcomes) {
            *a += b;
        }
        for (a, b) in self.attempts_per_bucket.iter_mut().zip(&other.attempts_per_bucket) {
            *a += b;
        }
        self.latency.merge(&other.latency);
    }

    pub(crate) fn build(&self, name: &str, measured_s: f64, bucket_s: f64) -> Totals {
        let outcomes = OutcomeCounts(self.outcomes);
        let good: u64 = Outcome::ALL.iter().filter(|o| o.is_good()).map(|o| outcomes.get(*o)).sum();
        let completed: u64 = self.outcomes.iter().sum();
        let ms = |q| self.latency.quantile_us(q) as f64 / 1e3;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let peak = self.attempts_per_bucket.iter().max().copied().unwrap_or(0);
        Totals {
            name: name.to_owned(),
            requests: self.requests,
            outcomes,
            success_rate: ratio(good, self.requests),
            goodput_rps: good as f64 / measured_s,
            throughput_rps: completed as f64 / measured_s,
            latency: Latencies {
                p50_ms: ms(0.50),
                p95_ms: ms(0.95),
                p99_ms: ms(0.99),
                max_ms: self.latency.max_us() as f64 / 1e3,
            },
            attempts: self.attempts,
            amplification: ratio(self.attempts, self.requests),
            peak_downstream_rps: f64::from(peak) / bucket_s,
        }
    }
}

/// The summary of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// All endpoints together.
    pub total: Totals,
    /// Each endpoint.
    pub endpoints: Vec<Totals>,
    /// Requests still unanswered when the drain limit was reached.
    pub unfinished: u64,
    /// Virtual time at which the run ended, in seconds.
    pub virtual_end_s: f64,
}

impl Summary {
    /// A short plain-text table.
    #[must_use]
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for totals in std::iter::once(&self.total).chain(self.endpoints.iter().filter(|_| self.endpoints.len() > 1)) {
            out.push_str(&format!("== {} ==\n", totals.name));
            out.push_str(&format!("requests              {}\n", totals.requests));
            for outcome in Outcome::ALL {
                let n = totals.outcomes.get(outcome);
                if n > 0 {
                    out.push_str(&format!("  {:<3}{:<24} {n}\n", outcome.glyph(), outcome.name()));
                }
            }
            out.push_str(&format!("success rate          {:.2} %\n", totals.success_rate * 100.0));
            out.push_str(&format!("goodput               {:.1} req/s\n", totals.goodput_rps));
            let l = totals.latency;
            out.push_str(&format!(
                "latency ms            p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}\n",
                l.p50_ms, l.p95_ms, l.p99_ms, l.max_ms
            ));
            out.push_str(&format!("amplification         {:.3} attempts/request\n", totals.amplification));
            out.push_str(&format!("peak downstream       {:.0} attempts/s\n", totals.peak_downstream_rps));
        }
        if self.unfinished > 0 {
            out.push_str(&format!("unfinished            {}\n", self.unfinished));
        }
        out
    }
}
