//! A scripted downstream service: baseline latency, workers + FIFO queue, and a fault script.
//!
//! ```text
//!   arrive ──outage window──────────────> answer `status` at once (no worker, no queue)
//!   arrive ──throttled (over rps)───────> answer 429 + Retry-After at once
//!   arrive ──sequence says a status─────> answer it at once
//!   arrive ──worker free────────────────> Running ──service time──> answer (maybe an error)
//!   arrive ──all busy, queue has room───> Queued ──a worker frees──> Running
//!   arrive ──all busy, queue full───────> answer 503 at once
//! ```
//!
//! The service never learns that a caller gave up: a queued request keeps its place and a
//! running one keeps its worker until its service time ends.

use std::collections::VecDeque;

use crate::rng::{Stream, StreamId};
use crate::scenario::{Fault, Latency, SequenceStep, Service};
use crate::time::{Instant, micros_of_f64};

/// The standard normal distribution's 0.99 quantile.
const Z_99: f64 = 2.326_347_874_040_840_8;

/// How the service answers a request that reached it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// Answered at once with an error status.
    Immediate { status: u16, retry_after_us: Option<u64> },
    /// Running; answers `status` at `done_at`.
    Started { done_at: Instant, status: u16 },
    /// Waiting for a worker.
    Queued,
}

/// A request waiting for a worker: its caller's node, and a forced outcome if any.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Job {
    pub(crate) node: super::layers::NodeId,
    pub(crate) generation: u32,
    forced: Option<SequenceStep>,
}

#[derive(Clone, Debug)]
enum Sampler {
    Constant(f64),
    Uniform { min: f64, span: f64 },
    Normal { mean: f64, stddev: f64 },
    Lognormal { mu: f64, sigma: f64 },
    Sequence { values: Vec<f64>, next: usize },
}

impl Sampler {
    fn new(latency: &Latency) -> Self {
        let us = |s: crate::time::Span| s.as_micros() as f64;
        match latency {
            Latency::Constant(v) => Self::Constant(us(*v)),
            Latency::Uniform { min, max } => Self::Uniform { min: us(*min), span: us(*max) - us(*min) },
            Latency::Normal { mean, stddev } => Self::Normal { mean: us(*mean), stddev: us(*stddev) },
            Latency::Lognormal { p50, p99 } => {
                Self::Lognormal { mu: libm::log(us(*p50)), sigma: libm::log(us(*p99) / us(*p50)) / Z_99 }
            }
            Latency::Sequence(values) => Self::Sequence { values: values.iter().map(|v| us(*v)).collect(), next: 0 },
        }
    }

    /// One service time in microseconds.
    fn sample(&mut self, rng: &mut Stream) -> f64 {
        match self {
            Self::Constant(v) => *v,
            Self::Uniform { min, span } => *min + rng.unit() * *span,
            Self::Normal { mean, stddev } => (*mean + *stddev * rng.standard_normal()).max(0.0),
            Self::Lognormal { mu, sigma } => libm::exp(*mu + *sigma * rng.standard_normal()),
            Self::Sequence { values, next } => {
                let value = values[*next % values.len()];
                *next += 1;
                value
            }
        }
    }
}

/// A fault window in microseconds, `[from, to)`.
#[derive(Clone, Debug)]
struct Window {
    from: u64,
    to: u64,
    fault: FaultKind,
}

#[derive(Clone, Debug)]
enum FaultKind {
    Outage { status: u16 },
    Errors { rate: f64, status: u16 },
    Slowdown { factor: f64 },
    AddLatency { add_us: f64 },
    Throttle { rps: u32, retry_after_us: Option<u64>, second: u64, count: u32 },
    Sequence { steps: Vec<SequenceStep>, next: usize },
}

/// Occupancy, for traces and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServiceStats {
    /// Requests on a worker.
    pub busy: u32,
    /// Requests waiting for one.
    pub queued: u32,
}

/// A service during a run.
#[derive(Clone, Debug)]
pub(crate) struct ServiceRuntime {
    sampler: Sampler,
    workers: u32,
    queue_max: usize,
    busy: u32,
    queue: VecDeque<Job>,
    faults: Vec<Window>,
    latency_rng: Stream,
    fault_rng: Stream,
}

impl ServiceRuntime {
    pub(crate) fn new(service: &Service, index: u16, seed: u64) -> Self {
        let (workers, queue_max) = service.capacity.map_or((u32::MAX, 0), |c| (c.concurrency, c.queue as usize));
        Self {
            sampler: Sampler::new(&service.latency),
            workers,
            queue_max,
            busy: 0,
            queue: VecDeque::new(),
            faults: service.faults.iter().map(compile_fault).collect(),
            latency_rng: Stream::new(seed, StreamId::Latency(index)),
            fault_rng: Stream::new(seed, StreamId::Faults(index)),
        }
    }

    /// A request from node `node` (generation `generation`) reaches the service at `now`.
    pub(crate) fn arrive(&mut self, now: Instant, node: super::layers::NodeId, generation: u32) -> Arrival {
        let t = now.as_micros();
        let mut forced = None;
        for window in self.faults.iter_mut().filter(|w| w.from <= t && t < w.to) {
            match &mut window.fault {
                FaultKind::Outage { status } => return Arrival::Immediate { status: *status, retry_after_us: None },
                FaultKind::Throttle { rps, retry_after_us, second, count } => {
                    let this_second = t / 1_000_000;
                    if *second != this_second {
                        (*second, *count) = (this_second, 0);
                    }
                    if *count >= *rps {
                        let rest_of_second = (this_second + 1) * 1_000_000 - t;
                        let after = retry_after_us.unwrap_or(rest_of_second);
                        return Arrival::Immediate { status: 429, retry_after_us: Some(after) };
                    }
                    *count += 1;
                }
                FaultKind::Sequence { steps, next } if *next < steps.len() => {
                    let step = steps[*next];
                    *next += 1;
                    if let SequenceStep::Status(status) = step {
                        return Arrival::Immediate { status, retry_after_us: None };
                    }
                    forced = Some(step);
                }
                _ => {}
            }
        }
        if self.busy < self.workers {
            let (done_at, status) = self.start(now, forced);
            return Arrival::Started { done_at, status };
        }
        if self.queue.len() < self.queue_max {
            self.queue.push_back(Job { node, generation, forced });
            return Arrival::Queued;
        }
        Arrival::Immediate { status: 503, retry_after_us: None }
    }

    /// A worker finished at `now`. Returns the next queued job with its finish time and
    /// status, if one was waiting.
    pub(crate) fn finish(&mut self, now: Instant) -> Option<(Job, Instant, u16)> {
        self.busy -= 1;
        let job = self.queue.pop_front()?;
        let (done_at, status) = self.start(now, job.forced);
        Some((job, done_at, status))
    }

    /// Takes a worker at `now`: draws the service time and the answer.
    fn start(&mut self, now: Instant, forced: Option<SequenceStep>) -> (Instant, u16) {
        self.busy += 1;
        let t = now.as_micros();
        let mut micros = self.sampler.sample(&mut self.latency_rng);
        let mut status = 200;
        for window in self.faults.iter().filter(|w| w.from <= t && t < w.to) {
            match window.fault {
                FaultKind::Slowdown { factor } => micros *= factor,
                FaultKind::AddLatency { add_us } => micros += add_us,
                FaultKind::Errors { rate, status: error }
                    if forced.is_none() && status == 200 && self.fault_rng.chance(rate) =>
                {
                    status = error;
                }
                _ => {}
            }
        }
        if forced == Some(SequenceStep::Fail) {
            status = 500;
        }
        (now.plus_micros(micros_of_f64(micros)), status)
    }

    /// Current occupancy.
    pub(crate) fn stats(&self) -> ServiceStats {
        ServiceStats { busy: self.busy, queued: self.queue.len() as u32 }
    }
}

fn compile_fault(fault: &Fault) -> Window {
    let (from, to) = fault.window();
    let kind = match fault {
        Fault::Outage { status, .. } => FaultKind::Outage { status: *status },
        Fault::Errors { rate, status, .. } => FaultKind::Errors { rate: *rate, status: *status },
        Fault::Slowdown { factor, .. } => FaultKind::Slowdown { factor: *factor },
        Fault::Latency { add, .. } => FaultKind::AddLatency { add_us: add.as_micros() as f64 },
        Fault::Throttle { rps, retry_after, .. } => FaultKind::Throttle {
            rps: *rps,
            retry_after_us: retry_after.map(|r| r.as_micros()),
            second: u64::MAX,
            count: 0,
        },
        Fault::Sequence { outcomes, .. } => FaultKind::Sequence { steps: outcomes.steps().to_vec(), next: 0 },
    };
    Window { from: from.as_micros(), to: to.map_or(u64::MAX, |t| t.as_micros()), fault: kind }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Capacity;
    use crate::sim::layers::NodeId;
    use crate::time::Span;

    fn service(capacity: Option<Capacity>, faults: Vec<Fault>) -> ServiceRuntime {
        let service = Service { name: "s".into(), latency: Latency::Constant(Span::from_millis(10)), capacity, faults };
        ServiceRuntime::new(&service, 0, 1)
    }

    #[test]
    fn capacity_queues_then_overflows_with_503() {
        let mut s = service(Some(Capacity { concurrency: 1, queue: 1 }), vec![]);
        let t = Instant::ZERO;
        assert_eq!(s.arrive(t, NodeId::at(1), 0), Arrival::Started { done_at: Instant::from_millis(10), status: 200 });
        assert_eq!(s.arrive(t, NodeId::at(2), 0), Arrival::Queued);
        assert_eq!(s.arrive(t, NodeId::at(3), 0), Arrival::Immediate { status: 503, retry_after_us: None });
        let (job, done_at, status) = s.finish(Instant::from_millis(10)).expect("queued job starts");
        assert_eq!((job.node, done_at, status), (NodeId::at(2), Instant::from_millis(20), 200));
        assert_eq!(s.stats(), ServiceStats { busy: 1, queued: 0 });
    }

    #[test]
    fn outage_answers_at_once_inside_its_window_only() {
        let outage = Fault::Outage { from: Span::from_secs(1), to: Some(Span::from_secs(2)), status: 503 };
        let mut s = service(None, vec![outage]);
        assert!(matches!(s.arrive(Instant::from_millis(999), NodeId::at(1), 0), Arrival::Started { .. }));
        assert_eq!(
            s.arrive(Instant::from_secs(1), NodeId::at(2), 0),
            Arrival::Immediate { status: 503, retry_after_us: None }
        );
        assert!(matches!(s.arrive(Instant::from_secs(2), NodeId::at(3), 0), Arrival::Started { .. }));
    }

    #[test]
    fn throttle_sends_429_with_retry_after() {
        let throttle = Fault::Throttle { from: Span::ZERO, to: None, rps: 2, retry_after: None };
        let mut s = service(None, vec![throttle]);
        let t = Instant::from_millis(250);
        assert!(matches!(s.arrive(t, NodeId::at(1), 0), Arrival::Started { .. }));
        assert!(matches!(s.arrive(t, NodeId::at(2), 0), Arrival::Started { .. }));
        assert_eq!(s.arrive(t, NodeId::at(3), 0), Arrival::Immediate { status: 429, retry_after_us: Some(750_000) });
        assert!(matches!(s.arrive(Instant::from_secs(1), NodeId::at(4), 0), Arrival::Started { .. }), "new second");
    }

    #[test]
    fn sequence_scripts_successive_calls_then_stops() {
        let sequence = Fault::Sequence { from: Span::ZERO, to: None, outcomes: "S,F,503".parse().unwrap() };
        let mut s = service(None, vec![sequence]);
        let t = Instant::ZERO;
        let statuses: Vec<u16> = (0..4)
            .map(|n| match s.arrive(t, NodeId::at(n as usize), 0) {
                Arrival::Started { status, .. } | Arrival::Immediate { status, .. } => status,
                Arrival::Queued => 0,
            })
            .collect();
        assert_eq!(statuses, [200, 500, 503, 200]);
    }

    #[test]
    fn slowdown_and_added_latency_apply_at_service_start() {
        let faults = vec![
            Fault::Slowdown { from: Span::ZERO, to: None, factor: 3.0 },
            Fault::Latency { from: Span::ZERO, to: None, add: Span::from_millis(5) },
        ];
        let mut s = service(None, faults);
        assert_eq!(
            s.arrive(Instant::ZERO, NodeId::at(1), 0),
            Arrival::Started { done_at: Instant::from_millis(35), status: 200 }
        );
    }

    #[test]
    fn lognormal_hits_its_percentiles() {
        let mut sampler = Sampler::new(&Latency::Lognormal { p50: Span::from_millis(40), p99: Span::from_millis(250) });
        let mut rng = Stream::new(3, StreamId::Latency(0));
        let mut values: Vec<f64> = (0..100_000).map(|_| sampler.sample(&mut rng)).collect();
        values.sort_by(f64::total_cmp);
        let p50 = values[50_000] / 1e3;
        let p99 = values[99_000] / 1e3;
        assert!((p50 - 40.0).abs() < 1.5, "p50 {p50}");
        assert!((p99 - 250.0).abs() < 15.0, "p99 {p99}");
    }
}
