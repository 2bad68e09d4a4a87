//! Estimates of the work a scenario asks for (requests, attempts, calls in flight, cache
//! entries and lookups), and the checks that refuse a document whose estimate passes a limit.
//! A run enforces the same estimates as bounds (`sim::Bound`).

use super::Scenario;
use super::limits::*;
use super::model::{Endpoint, Fault, Latency, Layer, Load};
use super::validate::Checker;
use crate::decimal::{compact, fixed, shortest};

impl Checker<'_> {
    pub(super) fn total_requests(&mut self) {
        let total = self.scenario.expected_requests();
        if total > REQUESTS_MAX {
            self.fail(
                "endpoints",
                format!(
                    "the load asks for about {} requests; the limit is {} (shorten the duration or lower the rates)",
                    about(total),
                    about(REQUESTS_MAX)
                ),
            );
        }
    }

    /// Refuses a document whose retries could make more attempts than [`ATTEMPTS_TOTAL_MAX`],
    /// naming the retry layers of the endpoint that asks for the most.
    pub(super) fn total_attempts(&mut self) {
        let s = self.scenario;
        let total = s.expected_attempts();
        if total <= ATTEMPTS_TOTAL_MAX {
            return;
        }
        let worst = s.endpoints.iter().enumerate().max_by(|(_, a), (_, b)| {
            let (a, b) = (attempts_of(s, a), attempts_of(s, b));
            a.partial_cmp(&b).unwrap_or(core::cmp::Ordering::Equal)
        });
        let Some((i, endpoint)) = worst else { return };
        let fields: Vec<String> = endpoint
            .stack
            .iter()
            .enumerate()
            .filter(|(_, layer)| layer.enabled() && layer.attempts_factor() > 1.0)
            .map(|(j, layer)| format!("stack[{j}].{} (×{})", layer.kind_name(), layer.attempts_factor()))
            .collect();
        self.fail(
            format!("endpoints[{i}].stack"),
            format!(
                "{} allow {} attempts per request; with the load that is about {} attempts, {} the limit of {} (lower the attempts or nest fewer retries)",
                if fields.is_empty() { "the layers".to_owned() } else { fields.join(" × ") },
                about(endpoint.attempts_per_request()),
                about(total),
                times_over(total / ATTEMPTS_TOTAL_MAX),
                about(ATTEMPTS_TOTAL_MAX),
            ),
        );
    }

    /// Refuses an open-loop load that could keep more calls in flight at once than a run may
    /// hold ([`CALLS_IN_FLIGHT_MAX`]): peak arrival rate × the longest a request
    /// lives × the calls one request holds (one per enabled layer, plus its service call).
    pub(super) fn calls_in_flight(&mut self, index: usize, endpoint: &Endpoint) {
        let Some((rate, rate_field)) = peak_rate(&endpoint.load) else { return };
        let life_s = longest_life_s(self.scenario, endpoint);
        let calls_per_request = endpoint.stack.iter().filter(|l| l.enabled()).count() as f64 + 1.0;
        let calls = rate * life_s * calls_per_request;
        let limit = CALLS_IN_FLIGHT_MAX as f64;
        if calls > limit {
            self.fail(
                format!("endpoints[{index}].load.{}.{rate_field}", load_name(&endpoint.load)),
                format!(
                    "about {} calls could be in flight at once ({} rps × requests living up to {}s × {calls_per_request} calls each), {}× the limit of {} (lower the rate, shorten the latency or make a timeout the outermost layer)",
                    about(calls),
                    shortest(rate),
                    fixed(life_s, 3),
                    fixed(calls / limit, 1),
                    about(limit)
                ),
            );
        }
    }

    /// Refuses caches that could hold more than [`CACHE_ENTRIES_MAX`] entries together, naming
    /// the largest.
    pub(super) fn total_cache_entries(&mut self) {
        let (mut total, mut keys_total) = (0u64, 0u64);
        let mut largest: Option<(String, u64)> = None;
        for (i, endpoint) in self.scenario.endpoints.iter().enumerate() {
            let keys = endpoint.keys.map_or(1, crate::scenario::Keys::count);
            for (j, layer) in endpoint.stack.iter().enumerate() {
                if let Layer::Cache(c) = layer {
                    let entries = u64::from(c.capacity.min(keys));
                    total += entries;
                    keys_total += u64::from(keys);
                    if keys_total > CACHE_KEYS_TOTAL_MAX {
                        self.fail(
                            format!("endpoints[{i}].stack[{j}].cache"),
                            format!(
                                "the cache layers index more than {CACHE_KEYS_TOTAL_MAX} keys together (each indexes its endpoint's keys.count); use fewer caches or fewer keys"
                            ),
                        );
                        return;
                    }
                    if largest.as_ref().is_none_or(|(_, most)| entries > *most) {
                        largest = Some((format!("endpoints[{i}].stack[{j}].cache.capacity"), entries));
                    }
                }
            }
        }
        if let Some((path, entries)) = largest.filter(|_| total > CACHE_ENTRIES_MAX) {
            self.fail(
                path,
                format!(
                    "the caches could hold {total} entries together ({entries} here); the limit is {CACHE_ENTRIES_MAX} (lower the capacities or the key counts)"
                ),
            );
        }
    }

    /// Refuses loads that would look caches up more than [`CACHE_LOOKUPS_MAX`] times: a lookup
    /// in a large cache is a random memory access, the slowest step of a run. Names the
    /// endpoint whose caches are looked up most.
    pub(super) fn total_cache_lookups(&mut self) {
        let s = self.scenario;
        let per_endpoint: Vec<f64> =
            s.endpoints.iter().map(|e| endpoint_requests(s, e) * e.cache_lookups_per_request()).collect();
        let total: f64 = per_endpoint.iter().sum();
        if total <= CACHE_LOOKUPS_MAX {
            return;
        }
        let worst = per_endpoint.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i);
        self.fail(
            format!("endpoints[{worst}].stack"),
            format!(
                "the cache layers would be looked up about {} times ({} per request here); the limit is {} (use fewer cache layers, or shorten the duration or lower the load)",
                about(total),
                about(s.endpoints[worst].cache_lookups_per_request()),
                about(CACHE_LOOKUPS_MAX)
            ),
        );
    }
}

/// A large count in words a reader takes in at a glance: `950`, `12.5 million`, `3 billion`,
/// `4×10^15`.
pub(crate) fn about(count: f64) -> String {
    if !count.is_finite() {
        return "unboundedly many".to_owned();
    }
    let count = count.max(0.0);
    if count < 1e6 {
        return fixed(count, 0);
    }
    let one_decimal = |value: f64| compact(value, 1);
    for (scale, word) in [(1e6, "million"), (1e9, "billion"), (1e12, "trillion")] {
        if count < scale * 999.95 {
            return format!("{} {word}", one_decimal(count / scale));
        }
    }
    let exponent = libm::floor(libm::log10(count));
    format!("{}×10^{exponent}", one_decimal(count / libm::pow(10.0, exponent)))
}

/// How many times over a limit an estimate is: `100×`, or `far over` past a thousand.
fn times_over(ratio: f64) -> String {
    if ratio < 1_000.0 { format!("{}×", about(ratio.ceil())) } else { "far over".to_owned() }
}

pub(super) fn load_name(load: &Load) -> &'static str {
    match load {
        Load::Constant { .. } => "constant",
        Load::Poisson { .. } => "poisson",
        Load::Ramp { .. } => "ramp",
        Load::Spike { .. } => "spike",
        Load::Times(_) => "times",
        Load::Closed { .. } => "closed",
    }
}

/// At most how many downstream attempts an endpoint makes over the run.
fn attempts_of(scenario: &Scenario, endpoint: &Endpoint) -> f64 {
    endpoint_requests(scenario, endpoint) * endpoint.attempts_per_request()
}

/// About how many requests an endpoint's load produces over the run.
pub(super) fn endpoint_requests(scenario: &Scenario, endpoint: &Endpoint) -> f64 {
    let seconds = scenario.duration.as_secs_f64();
    expected_requests(&endpoint.load, seconds, fastest_answer_s(scenario, endpoint))
}

/// The highest arrival rate of an open-loop load, and the field that sets it (closed loops
/// and explicit times have none: their requests are counted, not paced).
fn peak_rate(load: &Load) -> Option<(f64, &'static str)> {
    match load {
        Load::Constant { rps } | Load::Poisson { rps } => Some((*rps, "rps")),
        Load::Ramp { from_rps, to_rps } => {
            Some(if from_rps > to_rps { (*from_rps, "from_rps") } else { (*to_rps, "to_rps") })
        }
        Load::Spike { rps, spike_rps, .. } => {
            Some(if rps > spike_rps { (*rps, "rps") } else { (*spike_rps, "spike_rps") })
        }
        Load::Times(_) | Load::Closed { .. } => None,
    }
}

/// About the longest a request of `endpoint` lives, in seconds: the service's long latency
/// (constant, uniform maximum, sequence maximum, normal mean + 4 standard deviations,
/// lognormal p99) grown by latency and slowdown faults, times the attempts of its retries;
/// an outermost timeout caps it.
fn longest_life_s(scenario: &Scenario, endpoint: &Endpoint) -> f64 {
    let Some(service) = scenario.service_index(&endpoint.service).map(|i| &scenario.services[i]) else {
        return 0.0;
    };
    let latency_s = match &service.latency {
        Latency::Constant(value) => value.as_secs_f64(),
        Latency::Uniform { max, .. } => max.as_secs_f64(),
        Latency::Sequence(values) => values.iter().map(|v| v.as_secs_f64()).fold(0.0, f64::max),
        Latency::Normal { mean, stddev } => mean.as_secs_f64() + 4.0 * stddev.as_secs_f64(),
        Latency::Lognormal { p99, .. } => p99.as_secs_f64(),
    };
    let (mut add_s, mut factor) = (0.0f64, 1.0f64);
    for fault in &service.faults {
        match fault {
            Fault::Latency { add, .. } => add_s = add_s.max(add.as_secs_f64()),
            Fault::Slowdown { factor: f, .. } if f.is_finite() => factor = factor.max(*f),
            _ => {}
        }
    }
    let life_s = (latency_s * factor + add_s) * endpoint.attempts_per_request();
    match endpoint.stack.iter().find(|l| l.enabled()) {
        Some(Layer::Timeout(c)) => life_s.min(c.timeout.as_secs_f64()),
        _ => life_s,
    }
}

/// The fastest answer a request of `endpoint` can get, in seconds: zero when anything can
/// answer at once (a cache, breaker or bulkhead layer, a client pool, a service with capacity
/// limits or with outage, throttle or sequence faults), else the service's shortest latency.
fn fastest_answer_s(scenario: &Scenario, endpoint: &Endpoint) -> f64 {
    let instant_layer = endpoint.stack.iter().any(|layer| {
        layer.enabled() && matches!(layer, Layer::Cache(_) | Layer::CircuitBreaker(_) | Layer::Bulkhead(_))
    });
    let Some(service) = scenario.service_index(&endpoint.service).map(|i| &scenario.services[i]) else {
        return 0.0;
    };
    let instant_fault = service
        .faults
        .iter()
        .any(|f| matches!(f, Fault::Outage { .. } | Fault::Throttle { .. } | Fault::Sequence { .. }));
    if instant_layer || instant_fault || scenario.client.is_some() || service.capacity.is_some() {
        return 0.0;
    }
    match &service.latency {
        Latency::Constant(value) => value.as_secs_f64(),
        Latency::Uniform { min, .. } => min.as_secs_f64(),
        Latency::Sequence(values) => values.iter().map(|v| v.as_secs_f64()).fold(f64::INFINITY, f64::min).min(3_600.0),
        Latency::Normal { .. } | Latency::Lognormal { .. } => 0.0,
    }
}

/// About how many requests a load produces in `seconds`, when the fastest answer takes
/// `fastest_s` seconds.
pub(super) fn expected_requests(load: &Load, seconds: f64, fastest_s: f64) -> f64 {
    match load {
        Load::Constant { rps } | Load::Poisson { rps } => rps * seconds,
        Load::Ramp { from_rps, to_rps } => (from_rps + to_rps) / 2.0 * seconds,
        Load::Spike { rps, spike_rps, from, to } => {
            let spike = (to.as_secs_f64().min(seconds) - from.as_secs_f64()).max(0.0);
            rps * (seconds - spike) + spike_rps * spike
        }
        Load::Times(times) => times.len() as f64,
        // A closed-loop client sends at most one request per think time plus fastest answer,
        // and at most one per millisecond.
        Load::Closed { clients, think } => f64::from(*clients) * seconds / (think.as_secs_f64() + fastest_s).max(0.001),
    }
}
