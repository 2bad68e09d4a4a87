//! The deterministic discrete-event simulator around the pattern state machines.
//!
//! [`run`] takes a validated [`Scenario`] and returns a [`Report`]: the summary, per-bucket
//! metrics and (in [`TraceMode::Full`]) the trace. Same scenario + same seed = the same report,
//! natively and in wasm. Every run is bounded by an event budget and a drain limit.

mod bounds;
mod engine;
mod handlers;
mod histogram;
mod layers;
mod leaf;
mod load;
mod metrics;
mod nodes;
mod observe;
mod outcome;
mod probe;
mod queue;
mod requests;
mod service;
mod summary;
mod trace;

use core::fmt;

pub use metrics::{BUCKETS_MAX, Bucket, LayerSample, LayerSeries, Metrics, ServiceSeries};
pub use outcome::Outcome;
pub use summary::{Latencies, OutcomeCounts, Summary, Totals};
pub use trace::{NO_LAYER, NO_REQUEST, POOL, SERVICE, Trace, TraceEvent, TraceKind, layer_event};

pub use crate::scenario::CALLS_IN_FLIGHT_MAX;
use crate::scenario::{Scenario, ScenarioError};

/// Whether to record the full trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceMode {
    /// Summary and metrics only: memory does not grow with the run's length.
    MetricsOnly,
    /// Also every event, up to `max_events` records (24 bytes each); past it the trace is
    /// marked truncated and the run goes on.
    Full {
        /// Most trace records kept.
        max_events: usize,
    },
}

/// How to run a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// Trace recording.
    pub trace: TraceMode,
    /// Most events the simulator may process before it stops with an error.
    pub max_events: u64,
    /// Most events in a row at one instant before the run stops with "time does not advance".
    pub stalled_events_max: u64,
    /// Most calls in flight at once (default [`CALLS_IN_FLIGHT_MAX`]).
    pub calls_in_flight_max: usize,
    /// Most events waiting at once (default [`PENDING_EVENTS_MAX`]).
    pub pending_events_max: usize,
    /// Queue length from which cancelled timers are swept out (default
    /// [`QUEUE_COMPACT_MIN`]); the sweep runs again each time the queue doubles after it.
    pub queue_compact_min: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            trace: TraceMode::MetricsOnly,
            max_events: 200_000_000,
            stalled_events_max: STALLED_EVENTS_MAX,
            calls_in_flight_max: CALLS_IN_FLIGHT_MAX,
            pending_events_max: PENDING_EVENTS_MAX,
            queue_compact_min: QUEUE_COMPACT_MIN,
        }
    }
}

/// Default for [`RunOptions::stalled_events_max`]: far above what any instant of a valid
/// scenario needs (a million explicit arrival times at one instant included).
pub const STALLED_EVENTS_MAX: u64 = 20_000_000;
/// Most events waiting in the queue at once (timers included).
pub const PENDING_EVENTS_MAX: usize = 4_000_000;

/// Default for [`RunOptions::queue_compact_min`]: normal runs never reach it.
pub const QUEUE_COMPACT_MIN: usize = 1 << 16;

/// A bound a run enforces while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Bound {
    /// Requests started: twice what validation estimated for the load, plus 10 000.
    Arrivals,
    /// Downstream attempts: twice the requests bound times the product of the retry limits,
    /// plus 10 000.
    Attempts,
    /// Calls in flight at once ([`RunOptions::calls_in_flight_max`]).
    CallsInFlight,
    /// Events waiting at once ([`RunOptions::pending_events_max`]).
    PendingEvents,
    /// Events in a row without virtual time moving ([`RunOptions::stalled_events_max`]).
    Stalled,
}

impl Bound {
    /// What passing the bound means, and what to change.
    #[must_use]
    pub const fn explain(self) -> &'static str {
        match self {
            Self::Arrivals => {
                "started more requests than its load allows (a closed loop whose think time and answers are near zero does this; raise endpoints[].load.closed.think)"
            }
            Self::Attempts => "started more downstream attempts than its retry limits allow",
            Self::CallsInFlight => "had too many calls in flight at once (lower the load, or add a shorter timeout)",
            Self::PendingEvents => {
                "had too many events waiting at once (long timeouts around many fast calls do this; shorten the timeouts or the duration)"
            }
            Self::Stalled => {
                "stopped: time does not advance (zero think time, zero latency and zero backoff loop at one instant)"
            }
        }
    }
}

impl RunOptions {
    /// Full trace with a cap of `max_events` records.
    #[must_use]
    pub fn full_trace(max_events: usize) -> Self {
        Self { trace: TraceMode::Full { max_events }, ..Self::default() }
    }
}

/// Why a run did not produce a report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// The scenario is not valid.
    Invalid(ScenarioError),
    /// The run needed more events than allowed.
    EventBudget {
        /// Scenario name.
        scenario: String,
        /// Seed of the run.
        seed: u64,
        /// The budget.
        limit: u64,
    },
    /// The run passed one of its bounds.
    Bound {
        /// Scenario name.
        scenario: String,
        /// Seed of the run.
        seed: u64,
        /// Which bound.
        bound: Bound,
        /// Its value for this run.
        limit: u64,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(error) => write!(f, "invalid scenario: {error}"),
            Self::Bound { scenario, seed, bound, limit } => {
                write!(f, "scenario {scenario:?} with seed {seed} {} (bound: {limit})", bound.explain())
            }
            Self::EventBudget { scenario, seed, limit } => write!(
                f,
                "scenario {scenario:?} with seed {seed} needed more than {limit} events; shorten it or lower its load"
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct Report {
    /// Totals, rates, percentiles.
    pub summary: Summary,
    /// Per-bucket series.
    pub metrics: Metrics,
    /// Every event (in [`TraceMode::Full`]).
    pub trace: Option<Trace>,
    /// Events processed.
    pub events: u64,
    /// Digest of the trace (or, without one, of the metrics): equal digests, equal runs.
    pub digest: u64,
}

/// Validates and runs `scenario` to the end.
///
/// # Errors
/// [`RunError::Invalid`] for an invalid scenario, [`RunError::EventBudget`] when the run needs
/// more events than `options.max_events`.
pub fn run(scenario: &Scenario, options: &RunOptions) -> Result<Report, RunError> {
    let mut simulation = Simulation::new(scenario, options)?;
    while !simulation.step(u64::MAX)? {}
    Ok(simulation.finish())
}

/// A run that can be advanced in slices, so that a browser never blocks for long: call
/// [`Simulation::step`] with a budget of events until it returns true, then
/// [`Simulation::finish`]. Dropping it cancels the run.
#[derive(Debug)]
pub struct Simulation {
    engine: engine::Engine,
}

impl Simulation {
    /// Validates `scenario` and prepares its run.
    ///
    /// # Errors
    /// [`RunError::Invalid`] with the first problem found.
    pub fn new(scenario: &Scenario, options: &RunOptions) -> Result<Self, RunError> {
        if let Some(error) = scenario.validate().into_iter().next() {
            return Err(RunError::Invalid(error));
        }
        Ok(Self { engine: engine::Engine::new(scenario, options).map_err(RunError::Invalid)? })
    }

    /// Processes up to `budget` events; true when the run is complete.
    ///
    /// # Errors
    /// [`RunError::EventBudget`] when the run passes `options.max_events`.
    pub fn step(&mut self, budget: u64) -> Result<bool, RunError> {
        self.engine.step(budget)
    }

    /// How far the run is, from 0 to 1 (virtual time over duration).
    #[must_use]
    pub fn progress(&self) -> f64 {
        (self.engine.now_us() as f64 / self.engine.duration_us().max(1) as f64).min(1.0)
    }

    /// The report of the (complete) run.
    #[must_use]
    pub fn finish(self) -> Report {
        let events = self.engine.events();
        let (summary, metrics, trace) = self.engine.into_parts();
        let digest = digest(&summary, &metrics, trace.as_ref());
        Report { summary, metrics, trace, events, digest }
    }
}

/// One number that changes when anything in the run changes.
fn digest(summary: &Summary, metrics: &Metrics, trace: Option<&Trace>) -> u64 {
    let mut hash = trace::Fnv::default();
    if let Some(trace) = trace {
        hash.write(trace.recorded_digest());
    }
    for bucket in &metrics.buckets {
        for count in bucket.outcomes {
            hash.write(u64::from(count));
        }
        hash.write(u64::from(bucket.arrivals) << 32 | u64::from(bucket.attempts));
    }
    hash.write(summary.total.requests);
    hash.write(summary.total.attempts);
    hash.write(summary.unfinished);
    hash.write(summary.total.latency.max_ms.to_bits());
    hash.0
}
