//! The figures of one run: the summary's headline numbers and the recovery after each fault.

use serde::{Deserialize, Serialize};

use crate::Scenario;
use crate::sim::{Metrics, Report};

/// How close to its pre-fault value the windowed success rate must come back to count as
/// recovered: 5 percentage points.
pub const RECOVERY_TOLERANCE: f64 = 0.05;

/// The sliding window over which the success rate is measured for recovery, in metrics
/// buckets (3 s at the default 1 s buckets).
pub const RECOVERY_WINDOW_BUCKETS: usize = 3;

/// The figures of one run. The first four are the run summary's totals
/// ([`crate::sim::Totals`]), copied, not recomputed.
///
/// **Recovery time after a fault** (`recovery_ms`, one entry per fault of every service, in
/// document order: service 0's faults, then service 1's, …; see [`fault_labels`]):
/// - the *pre-fault value* is the success rate (real answers over completed requests) of the
///   requests completed in the metrics buckets that end at or before the fault's start, or 1
///   when none completed there (a fault from t = 0 must come back to "healthy");
/// - the *windowed success rate* at bucket `i` pools the requests completed in buckets
///   `i .. i + RECOVERY_WINDOW_BUCKETS` (windows without completions are skipped);
/// - the run has recovered at the end of the first window that starts at or after the fault's
///   end, lies inside the run's duration (the drain tail does not count), and whose rate is at
///   least the pre-fault value minus [`RECOVERY_TOLERANCE`];
/// - the recovery time is that window's end minus the fault's end, in milliseconds (so it is
///   at least the window's width: a resolution of one bucket);
/// - `None` ("never") when no such window exists within the run, or when the fault never ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Share of requests with a real answer (service or cache), 0..1.
    pub success_rate: f64,
    /// Real answers per second of measured time.
    pub goodput_rps: f64,
    /// 99th percentile latency of completed requests, in milliseconds.
    pub p99_ms: f64,
    /// Downstream attempts per request.
    pub amplification: f64,
    /// Recovery time after each fault, in milliseconds; `None`: never within the run.
    pub recovery_ms: Vec<Option<f64>>,
}

/// The names of the scalar figures, as sweeps and CSV columns name them.
pub const FIGURE_NAMES: [&str; 4] = ["success_rate", "goodput_rps", "p99_ms", "amplification"];

impl Figures {
    /// The figures of `report`, a run of `scenario`.
    #[must_use]
    pub fn of(scenario: &Scenario, report: &Report) -> Self {
        let total = &report.summary.total;
        let duration_us = scenario.duration.as_micros();
        let recovery_ms =
            faults(scenario).map(|(from, to)| recovery_ms(&report.metrics, from, to, duration_us)).collect();
        Self {
            success_rate: total.success_rate,
            goodput_rps: total.goodput_rps,
            p99_ms: total.latency.p99_ms,
            amplification: total.amplification,
            recovery_ms,
        }
    }

    /// A figure by name: one of [`FIGURE_NAMES`] or `recovery_ms[K]`; `None` for an unknown
    /// name, or a recovery that never happened.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<f64> {
        match name {
            "success_rate" => Some(self.success_rate),
            "goodput_rps" => Some(self.goodput_rps),
            "p99_ms" => Some(self.p99_ms),
            "amplification" => Some(self.amplification),
            _ => recovery_index(name).and_then(|k| self.recovery_ms.get(k).copied().flatten()),
        }
    }
}

/// `K` of a figure named `recovery_ms[K]`.
#[must_use]
pub fn recovery_index(name: &str) -> Option<usize> {
    name.strip_prefix("recovery_ms[")?.strip_suffix(']')?.parse().ok()
}

/// Each fault's window in microseconds (start, end if it ends), in document order.
fn faults(scenario: &Scenario) -> impl Iterator<Item = (u64, Option<u64>)> + '_ {
    scenario.services.iter().flat_map(|s| &s.faults).map(|f| {
        let (from, to) = f.window();
        (from.as_micros(), to.map(crate::time::Span::as_micros))
    })
}

/// A label per fault (`orders fault 0: outage`), in the order of [`Figures::recovery_ms`].
#[must_use]
pub fn fault_labels(scenario: &Scenario) -> Vec<String> {
    scenario
        .services
        .iter()
        .flat_map(|s| s.faults.iter().enumerate().map(move |(i, f)| format!("{} fault {i}: {}", s.name, f.kind_name())))
        .collect()
}

/// The recovery time after the fault `[from_us, to_us)` (see [`Figures`]).
fn recovery_ms(metrics: &Metrics, from_us: u64, to_us: Option<u64>, duration_us: u64) -> Option<f64> {
    let to_us = to_us?;
    let width = metrics.bucket_us.max(1);
    let rate = |range: core::ops::Range<usize>| {
        let (good, done) = metrics.buckets[range]
            .iter()
            .fold((0u64, 0u64), |(g, c), b| (g + u64::from(b.good()), c + u64::from(b.completed())));
        (done > 0).then(|| good as f64 / done as f64)
    };
    let before = usize::try_from(from_us / width).unwrap_or(usize::MAX).min(metrics.buckets.len());
    let baseline = rate(0..before).unwrap_or(1.0);
    let inside = usize::try_from(duration_us.div_ceil(width)).unwrap_or(usize::MAX).min(metrics.buckets.len());
    let first = usize::try_from(to_us.div_ceil(width)).unwrap_or(usize::MAX);
    (first..inside.saturating_sub(RECOVERY_WINDOW_BUCKETS - 1))
        .find(|&i| rate(i..i + RECOVERY_WINDOW_BUCKETS).is_some_and(|r| r >= baseline - RECOVERY_TOLERANCE))
        .map(|i| ((i + RECOVERY_WINDOW_BUCKETS) as u64 * width).saturating_sub(to_us) as f64 / 1e3)
}
