//! The parts of a scenario document: services, endpoints, load and stacks.

use serde::{Deserialize, Serialize};

use super::limits::{FAULTS_MAX, LAYERS_MAX, SEQUENCE_MAX, TIMES_MAX};
use super::sequence::Outcomes;
pub use crate::patterns::registry::Layer;
use crate::time::Span;

/// A shared pool of client worker threads; every request holds one until it completes
/// (backoff waits included), as blocking calls in a thread pool do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientPool {
    /// Worker threads.
    pub workers: u32,
    /// Requests that may wait for a worker (default: unbounded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<u32>,
    /// How long a request may wait for a worker before it fails (default 1 s).
    #[serde(default = "one_second")]
    pub max_wait: Span,
}

const fn one_second() -> Span {
    Span::from_secs(1)
}

/// A downstream dependency: baseline latency, capacity and a fault script.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique name, referred to by endpoints and fallbacks.
    pub name: String,
    /// Service time of one request on a worker.
    pub latency: Latency,
    /// Workers and queue; without it the service serves any number at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Capacity>,
    /// Time windows of trouble.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::decode::bounded::<_, _, FAULTS_MAX>"
    )]
    pub faults: Vec<Fault>,
}

/// A latency distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Latency {
    /// Always the same.
    Constant(Span),
    /// Uniform between `min` and `max`.
    Uniform {
        /// Lower bound.
        min: Span,
        /// Upper bound.
        max: Span,
    },
    /// Normal, truncated at zero.
    Normal {
        /// Mean.
        mean: Span,
        /// Standard deviation.
        stddev: Span,
    },
    /// Log-normal given its median and 99th percentile.
    Lognormal {
        /// Median.
        p50: Span,
        /// 99th percentile (greater than the median).
        p99: Span,
    },
    /// Explicit values, used in turn (cycling).
    Sequence(#[serde(deserialize_with = "super::decode::bounded::<_, _, SEQUENCE_MAX>")] Vec<Span>),
}

/// Workers and a FIFO queue; arrivals beyond both get 503 at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Requests served at once.
    pub concurrency: u32,
    /// Requests that may wait for a worker.
    #[serde(default)]
    pub queue: u32,
}

/// One window of the fault script. `from` defaults to the start, `to` to the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Fault {
    /// Every request reaching the service answers `status` at once (no worker, no queue).
    Outage {
        /// Start.
        #[serde(default)]
        from: Span,
        /// End (exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Span>,
        /// Status answered (default 503).
        #[serde(default = "status_503")]
        status: u16,
    },
    /// A share of served requests answers `status` after its service time.
    Errors {
        /// Start.
        #[serde(default)]
        from: Span,
        /// End (exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Span>,
        /// Share in `[0, 1]`.
        rate: f64,
        /// Status answered (default 500).
        #[serde(default = "status_500")]
        status: u16,
    },
    /// Service times of requests *starting* in the window are multiplied.
    Slowdown {
        /// Start.
        #[serde(default)]
        from: Span,
        /// End (exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Span>,
        /// Multiplier (≥ 1).
        factor: f64,
    },
    /// Service times of requests starting in the window grow by a fixed amount.
    Latency {
        /// Start.
        #[serde(default)]
        from: Span,
        /// End (exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Span>,
        /// Added time.
        add: Span,
    },
    /// Above `rps` arrivals in a one-second slot, requests get 429 with `Retry-After` at once.
    Throttle {
        /// Start.
        #[serde(default)]
        from: Span,
        /// End (exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Span>,
        /// Requests allowed per second.
        rps: u32,
        /// The `Retry-After` sent (default: the rest of the current second).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<Span>,
    },
    /// The outcomes of successive requests reaching the service, as `"S,S,F,F,S"`: `S` serves
    /// normally, `F` answers 500 after the service time, a status such as `503` or `429`
    /// answers it at once. After the last one, requests behave normally. The text is read into
    /// typed steps when the document is read; a bad entry is an error naming its position.
    Sequence {
        /// Start.
        #[serde(default)]
        from: Span,
        /// End (exclusive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Span>,
        /// The outcomes, read from comma-separated text.
        outcomes: Outcomes,
    },
}

const fn status_503() -> u16 {
    503
}
const fn status_500() -> u16 {
    500
}

impl Fault {
    /// The window `[from, to)`; `to` is `None` for "until the end".
    #[must_use]
    pub fn window(&self) -> (Span, Option<Span>) {
        match self {
            Self::Outage { from, to, .. }
            | Self::Errors { from, to, .. }
            | Self::Slowdown { from, to, .. }
            | Self::Latency { from, to, .. }
            | Self::Throttle { from, to, .. }
            | Self::Sequence { from, to, .. } => (*from, *to),
        }
    }

    /// The fault's kind as scenario files name it.
    #[must_use]
    pub const fn kind_name(&self) -> &'static str {
        match self {
            Self::Outage { .. } => "outage",
            Self::Errors { .. } => "errors",
            Self::Slowdown { .. } => "slowdown",
            Self::Latency { .. } => "latency",
            Self::Throttle { .. } => "throttle",
            Self::Sequence { .. } => "sequence",
        }
    }
}

/// A source of requests that calls one service through a stack of patterns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Unique name.
    pub name: String,
    /// The service called.
    pub service: String,
    /// How requests arrive.
    pub load: Load,
    /// How cache keys are drawn (default: one key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Keys>,
    /// The patterns, outermost first.
    #[serde(default, deserialize_with = "super::decode::bounded::<_, _, LAYERS_MAX>")]
    pub stack: Vec<Layer>,
}

impl Endpoint {
    /// At most how many downstream attempts one request makes: the product of the enabled
    /// retry layers' attempts, doubled by each enabled fallback to a service.
    #[must_use]
    pub fn attempts_per_request(&self) -> f64 {
        self.stack.iter().filter(|layer| layer.enabled()).map(Layer::attempts_factor).product()
    }

    /// At most how many cache lookups one request makes: each enabled cache layer is reached
    /// once per attempt of the layers outside it.
    #[must_use]
    pub fn cache_lookups_per_request(&self) -> f64 {
        let mut reached = 1.0;
        let mut lookups = 0.0;
        for layer in self.stack.iter().filter(|layer| layer.enabled()) {
            if matches!(layer, Layer::Cache(_)) {
                lookups += reached;
            }
            reached *= layer.attempts_factor();
        }
        lookups
    }
}

/// How requests arrive at an endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Load {
    /// Open loop, evenly spaced.
    Constant {
        /// Requests per second.
        rps: f64,
    },
    /// Open loop, Poisson arrivals.
    Poisson {
        /// Mean requests per second.
        rps: f64,
    },
    /// Open loop, Poisson with a rate moving linearly over the run.
    Ramp {
        /// Rate at the start.
        from_rps: f64,
        /// Rate at the end.
        to_rps: f64,
    },
    /// Open loop, Poisson at `rps`, and `spike_rps` during `[from, to)`.
    Spike {
        /// Base rate.
        rps: f64,
        /// Rate during the spike.
        spike_rps: f64,
        /// Spike start.
        from: Span,
        /// Spike end (exclusive).
        to: Span,
    },
    /// Open loop, at exactly these times.
    Times(#[serde(deserialize_with = "super::decode::bounded::<_, _, TIMES_MAX>")] Vec<Span>),
    /// Closed loop: `clients` users each send a request, wait for its answer, think, repeat.
    Closed {
        /// Concurrent users.
        clients: u32,
        /// Mean think time (exponentially distributed).
        think: Span,
    },
}

/// How cache keys are drawn for each request.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Keys {
    /// Uniform over `count` keys.
    Uniform {
        /// Distinct keys.
        count: u32,
    },
    /// Zipf with exponent `s` over `count` keys (key 0 most popular).
    Zipf {
        /// Distinct keys.
        count: u32,
        /// Exponent (> 0).
        s: f64,
    },
}

impl Keys {
    /// Distinct keys.
    #[must_use]
    pub const fn count(self) -> u32 {
        match self {
            Self::Uniform { count } | Self::Zipf { count, .. } => count,
        }
    }
}
