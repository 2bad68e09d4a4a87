//! Range, reference and size checks. Each check names the path of the field it refuses.

use super::limits::*;
use super::model::{Endpoint, Fault, Latency, Layer, Load, Service};
use super::{SCHEMA_VERSION, Scenario, ScenarioError};
use crate::patterns::bulkhead::BulkheadConfig;
use crate::patterns::cache::CacheConfig;
use crate::patterns::circuit_breaker::{BreakerConfig, WindowConfig};
use crate::patterns::fallback::{FallbackAction, FallbackConfig};
use crate::patterns::retry::{BackoffConfig, Jitter, RetryConfig};
use crate::time::Span;

/// Collects the problems of one scenario.
struct Checker<'a> {
    scenario: &'a Scenario,
    errors: Vec<ScenarioError>,
}

pub(super) fn validate(scenario: &Scenario) -> Vec<ScenarioError> {
    let mut checker = Checker { scenario, errors: Vec::new() };
    checker.document();
    checker.errors
}

impl Checker<'_> {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ScenarioError::new(path, message));
    }

    fn count(&mut self, path: &str, value: u32, min: u32, max: u32) {
        if !(min..=max).contains(&value) {
            self.fail(path, format!("must be between {min} and {max}, got {value}"));
        }
    }

    fn number(&mut self, path: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() || value < min || value > max {
            self.fail(path, format!("must be between {min} and {max}, got {value}"));
        }
    }

    fn positive_span(&mut self, path: &str, span: Span) {
        if span.is_zero() {
            self.fail(path, "must be greater than zero");
        }
    }

    fn text(&mut self, path: &str, text: &str, max: usize, required: bool) {
        let chars = text.chars().count();
        if required && text.trim().is_empty() {
            self.fail(path, "must not be empty");
        } else if chars > max {
            self.fail(path, format!("is {chars} characters long; the limit is {max}"));
        }
    }

    fn document(&mut self) {
        let s = self.scenario;
        if s.version != SCHEMA_VERSION {
            self.fail(
                "version",
                format!("schema version {} is not supported (this engine reads {SCHEMA_VERSION})", s.version),
            );
        }
        self.text("name", &s.name, NAME_CHARS_MAX, true);
        self.text("description", &s.description, DESCRIPTION_CHARS_MAX, false);
        self.positive_span("duration", s.duration);
        if s.duration > Span::from_secs(DURATION_MAX_SECS) {
            self.fail("duration", format!("must be at most {}h, got {}", DURATION_MAX_SECS / 3_600, s.duration));
        }
        if s.warmup >= s.duration && !s.warmup.is_zero() {
            self.fail("warmup", "must be shorter than the duration");
        }
        if let Some(bucket) = s.bucket {
            self.positive_span("bucket", bucket);
            if bucket.as_micros() < 1_000 && !bucket.is_zero() {
                self.fail("bucket", "must be at least 1ms");
            }
        }
        if let Some(pool) = &s.client {
            self.count("client.workers", pool.workers, 1, CAPACITY_MAX);
            if let Some(queue) = pool.queue {
                self.count("client.queue", queue, 0, CAPACITY_MAX);
            }
        }
        self.list_size("services", s.services.len(), SERVICES_MAX);
        self.list_size("endpoints", s.endpoints.len(), ENDPOINTS_MAX);
        self.unique_names("services", s.services.iter().map(|x| x.name.as_str()));
        self.unique_names("endpoints", s.endpoints.iter().map(|x| x.name.as_str()));
        for (i, service) in s.services.iter().enumerate() {
            self.service(&format!("services[{i}]"), service);
        }
        for (i, endpoint) in s.endpoints.iter().enumerate() {
            self.endpoint(&format!("endpoints[{i}]"), endpoint);
        }
        self.total_requests();
        self.total_attempts();
        self.total_cache_entries();
        for (i, endpoint) in self.scenario.endpoints.iter().enumerate() {
            self.calls_in_flight(i, endpoint);
        }
    }

    fn list_size(&mut self, path: &str, len: usize, max: usize) {
        if len == 0 {
            self.fail(path, "needs at least one entry");
        } else if len > max {
            self.fail(path, format!("has {len} entries; the limit is {max}"));
        }
    }

    fn unique_names<'n>(&mut self, path: &str, names: impl Iterator<Item = &'n str>) {
        let mut seen = std::collections::BTreeSet::new();
        for (i, name) in names.enumerate() {
            self.text(&format!("{path}[{i}].name"), name, NAME_CHARS_MAX, true);
            if !seen.insert(name) {
                self.fail(format!("{path}[{i}].name"), format!("{name:?} is used twice"));
            }
        }
    }

    fn service(&mut self, path: &str, service: &Service) {
        self.latency(&format!("{path}.latency"), &service.latency);
        if let Some(capacity) = service.capacity {
            self.count(&format!("{path}.capacity.concurrency"), capacity.concurrency, 1, CAPACITY_MAX);
            self.count(&format!("{path}.capacity.queue"), capacity.queue, 0, CAPACITY_MAX);
        }
        if service.faults.len() > FAULTS_MAX {
            self.fail(
                format!("{path}.faults"),
                format!("has {} windows; the limit is {FAULTS_MAX}", service.faults.len()),
            );
        }
        for (i, fault) in service.faults.iter().enumerate() {
            self.fault(&format!("{path}.faults[{i}].{}", fault.kind_name()), fault);
        }
    }

    fn latency(&mut self, path: &str, latency: &Latency) {
        let limit = Span::from_secs(3_600);
        let spans: Vec<(String, Span)> = match latency {
            Latency::Constant(value) => vec![(format!("{path}.constant"), *value)],
            Latency::Uniform { min, max } => {
                if min > max {
                    self.fail(format!("{path}.uniform.max"), "must not be below min");
                }
                vec![(format!("{path}.uniform.max"), *max)]
            }
            Latency::Normal { mean, stddev } => {
                vec![(format!("{path}.normal.mean"), *mean), (format!("{path}.normal.stddev"), *stddev)]
            }
            Latency::Lognormal { p50, p99 } => {
                self.positive_span(&format!("{path}.lognormal.p50"), *p50);
                if p99 <= p50 {
                    self.fail(format!("{path}.lognormal.p99"), "must be greater than p50");
                }
                vec![(format!("{path}.lognormal.p99"), *p99)]
            }
            Latency::Sequence(values) => {
                if values.is_empty() || values.len() > SEQUENCE_MAX {
                    self.fail(format!("{path}.sequence"), format!("needs 1 to {SEQUENCE_MAX} values"));
                }
                values.iter().enumerate().map(|(i, v)| (format!("{path}.sequence[{i}]"), *v)).collect()
            }
        };
        for (p, span) in spans {
            if span > limit {
                self.fail(p, "must be at most 1h");
            }
        }
    }

    fn fault(&mut self, path: &str, fault: &Fault) {
        let (from, to) = fault.window();
        if let Some(to) = to {
            if to <= from {
                self.fail(format!("{path}.to"), "must be after from");
            }
        }
        match fault {
            Fault::Outage { status, .. } | Fault::Errors { status, .. } => {
                if !(400..=599).contains(status) {
                    self.fail(format!("{path}.status"), format!("must be an error status (400 to 599), got {status}"));
                }
                if let Fault::Errors { rate, .. } = fault {
                    self.number(&format!("{path}.rate"), *rate, 0.0, 1.0);
                }
            }
            Fault::Slowdown { factor, .. } => self.number(&format!("{path}.factor"), *factor, 1.0, 1_000.0),
            Fault::Latency { add, .. } => {
                if *add > Span::from_secs(3_600) {
                    self.fail(format!("{path}.add"), "must be at most 1h");
                }
            }
            Fault::Throttle { rps, .. } => self.count(&format!("{path}.rps"), *rps, 1, CAPACITY_MAX),
            Fault::Sequence { outcomes, .. } => self.outcomes(&format!("{path}.outcomes"), outcomes),
        }
    }

    fn outcomes(&mut self, path: &str, outcomes: &str) {
        // Counted before anything is collected, so a huge list costs no memory.
        let count = outcomes.split(',').count();
        if count > SEQUENCE_MAX {
            self.fail(path, format!("has {count} outcomes; the limit is {SEQUENCE_MAX}"));
            return;
        }
        for (i, token) in outcomes.split(',').map(str::trim).enumerate() {
            if crate::sim::SequenceStep::parse(token).is_none() {
                self.fail(path, format!("outcome {} is {token:?}; use S, F or an error status such as 503", i + 1));
                return;
            }
        }
    }

    fn endpoint(&mut self, path: &str, endpoint: &Endpoint) {
        if self.scenario.service_index(&endpoint.service).is_none() {
            self.fail(format!("{path}.service"), format!("no service is called {:?}", endpoint.service));
        }
        self.load(&format!("{path}.load"), &endpoint.load);
        if let Some(keys) = endpoint.keys {
            self.count(&format!("{path}.keys.count"), keys.count(), 1, KEYS_MAX);
            if let crate::scenario::Keys::Zipf { s, .. } = keys {
                self.number(&format!("{path}.keys.zipf.s"), s, 0.01, 10.0);
            }
        }
        if endpoint.stack.len() > LAYERS_MAX {
            self.fail(
                format!("{path}.stack"),
                format!("has {} layers; the limit is {LAYERS_MAX}", endpoint.stack.len()),
            );
            return;
        }
        for (i, layer) in endpoint.stack.iter().enumerate() {
            self.layer(&format!("{path}.stack[{i}].{}", layer.kind_name()), layer, endpoint);
        }
    }

    fn load(&mut self, path: &str, load: &Load) {
        match load {
            Load::Constant { rps } | Load::Poisson { rps } => {
                self.rate(&format!("{path}.{}.rps", load_name(load)), *rps)
            }
            Load::Ramp { from_rps, to_rps } => {
                self.number(&format!("{path}.ramp.from_rps"), *from_rps, 0.0, RPS_MAX);
                self.number(&format!("{path}.ramp.to_rps"), *to_rps, 0.0, RPS_MAX);
                if *from_rps == 0.0 && *to_rps == 0.0 {
                    self.fail(format!("{path}.ramp.to_rps"), "a ramp from 0 to 0 sends nothing");
                }
            }
            Load::Spike { rps, spike_rps, from, to } => {
                self.rate(&format!("{path}.spike.rps"), *rps);
                self.rate(&format!("{path}.spike.spike_rps"), *spike_rps);
                if to <= from {
                    self.fail(format!("{path}.spike.to"), "must be after from");
                }
            }
            Load::Times(times) => {
                if times.is_empty() || times.len() > TIMES_MAX {
                    self.fail(format!("{path}.times"), format!("needs 1 to {TIMES_MAX} times"));
                }
                if let Some(i) = times.iter().position(|t| *t >= self.scenario.duration) {
                    self.fail(format!("{path}.times[{i}]"), "is not before the end of the run");
                }
            }
            Load::Closed { clients, .. } => self.count(&format!("{path}.closed.clients"), *clients, 1, CLIENTS_MAX),
        }
    }

    fn rate(&mut self, path: &str, rps: f64) {
        if !rps.is_finite() || rps <= 0.0 || rps > RPS_MAX {
            self.fail(path, format!("must be above 0 and at most {RPS_MAX}, got {rps}"));
        }
    }

    fn total_requests(&mut self) {
        let total = self.scenario.expected_requests();
        if total > REQUESTS_MAX {
            self.fail(
                "endpoints",
                format!("the load asks for about {total:.0} requests; the limit is {REQUESTS_MAX:.0} (shorten the duration or lower the rates)"),
            );
        }
    }

    /// Refuses a document whose retries could make more attempts than [`ATTEMPTS_TOTAL_MAX`],
    /// naming the retry layers of the endpoint that asks for the most.
    fn total_attempts(&mut self) {
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
                "{} allow {:.3e} attempts per request; with the load that is about {total:.3e} attempts, {:.0}× the limit of {ATTEMPTS_TOTAL_MAX:.0} (lower the attempts or nest fewer retries)",
                if fields.is_empty() { "the layers".to_owned() } else { fields.join(" × ") },
                endpoint.attempts_per_request(),
                (total / ATTEMPTS_TOTAL_MAX).ceil(),
            ),
        );
    }

    /// Refuses an open-loop load that could keep more calls in flight at once than a run may
    /// hold ([`crate::sim::CALLS_IN_FLIGHT_MAX`]): peak arrival rate × the longest a request
    /// lives × the calls one request holds (one per enabled layer, plus its service call).
    fn calls_in_flight(&mut self, index: usize, endpoint: &Endpoint) {
        let Some((rate, rate_field)) = peak_rate(&endpoint.load) else { return };
        let life_s = longest_life_s(self.scenario, endpoint);
        let calls_per_request = endpoint.stack.iter().filter(|l| l.enabled()).count() as f64 + 1.0;
        let calls = rate * life_s * calls_per_request;
        let limit = crate::sim::CALLS_IN_FLIGHT_MAX as f64;
        if calls > limit {
            self.fail(
                format!("endpoints[{index}].load.{}.{rate_field}", load_name(&endpoint.load)),
                format!(
                    "about {calls:.0} calls could be in flight at once ({rate} rps × requests living up to {life_s:.3}s × {calls_per_request} calls each), {:.1}× the limit of {limit:.0} (lower the rate, shorten the latency or make a timeout the outermost layer)",
                    calls / limit
                ),
            );
        }
    }

    /// Refuses caches that could hold more than [`CACHE_ENTRIES_MAX`] entries together, naming
    /// the largest.
    fn total_cache_entries(&mut self) {
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

    fn layer(&mut self, path: &str, layer: &Layer, endpoint: &Endpoint) {
        match layer {
            Layer::Cache(c) => self.cache(path, c),
            Layer::Fallback(c) => self.fallback(path, c, endpoint),
            Layer::CircuitBreaker(c) => self.breaker(path, c),
            Layer::Retry(c) => self.retry(path, c),
            Layer::Timeout(c) => self.positive_span(&format!("{path}.timeout"), c.timeout),
            Layer::Bulkhead(c) => self.bulkhead(path, c),
        }
    }

    fn cache(&mut self, path: &str, c: &CacheConfig) {
        self.positive_span(&format!("{path}.ttl"), c.ttl);
        self.count(&format!("{path}.capacity"), c.capacity, 1, CAPACITY_MAX);
    }

    fn fallback(&mut self, path: &str, c: &FallbackConfig, endpoint: &Endpoint) {
        match &c.action {
            FallbackAction::Static => {}
            FallbackAction::StaleCache => {
                if !endpoint.stack.iter().any(|l| matches!(l, Layer::Cache(_))) {
                    self.fail(format!("{path}.action"), "stale_cache needs a cache layer in the same stack");
                }
            }
            FallbackAction::Service(name) => {
                if self.scenario.service_index(name).is_none() {
                    self.fail(format!("{path}.action.service"), format!("no service is called {name:?}"));
                }
            }
        }
    }

    fn breaker(&mut self, path: &str, c: &BreakerConfig) {
        self.number(&format!("{path}.failure_rate"), c.failure_rate, 0.01, 100.0);
        self.number(&format!("{path}.slow_call_rate"), c.slow_call_rate, 0.01, 100.0);
        self.positive_span(&format!("{path}.slow_call_duration"), c.slow_call_duration);
        self.count(&format!("{path}.minimum_calls"), c.minimum_calls, 1, CAPACITY_MAX);
        if c.wait_open < Span::from_millis(1) {
            self.fail(format!("{path}.wait_open"), "must be at least 1ms");
        }
        self.number(&format!("{path}.wait_multiplier"), c.wait_multiplier, 1.0, 100.0);
        self.count(&format!("{path}.permitted_half_open"), c.permitted_half_open, 1, WINDOW_CALLS_MAX);
        if let Some(wait) = c.max_wait_half_open {
            self.positive_span(&format!("{path}.max_wait_half_open"), wait);
        }
        if let Some(n) = c.consecutive_failures {
            self.count(&format!("{path}.consecutive_failures"), n, 1, WINDOW_CALLS_MAX);
        }
        match c.window {
            WindowConfig::Count(n) => self.count(&format!("{path}.window.count"), n, 1, WINDOW_CALLS_MAX),
            WindowConfig::Seconds(n) => self.count(&format!("{path}.window.seconds"), n, 1, WINDOW_SECONDS_MAX),
        }
    }

    fn retry(&mut self, path: &str, c: &RetryConfig) {
        match (c.max_attempts, c.max_retries) {
            (Some(_), Some(_)) => self.fail(format!("{path}.max_retries"), "set max_attempts or max_retries, not both"),
            (Some(n), None) => self.count(&format!("{path}.max_attempts"), n, 1, ATTEMPTS_MAX),
            (None, Some(n)) => self.count(&format!("{path}.max_retries"), n, 0, ATTEMPTS_MAX - 1),
            (None, None) => {}
        }
        if let BackoffConfig::Exponential { initial, multiplier } = c.backoff {
            if initial < Span::from_millis(1) {
                self.fail(format!("{path}.backoff.exponential.initial"), "must be at least 1ms");
            }
            self.number(&format!("{path}.backoff.exponential.multiplier"), multiplier, 1.0, 100.0);
        }
        if let Jitter::Factor(f) = c.jitter {
            self.number(&format!("{path}.jitter.factor"), f, 0.0, 1.0);
        }
        if c.retry_on.is_empty() {
            self.fail(format!("{path}.retry_on"), "lists nothing to retry");
        }
    }

    fn bulkhead(&mut self, path: &str, c: &BulkheadConfig) {
        self.count(&format!("{path}.max_concurrent"), c.max_concurrent, 1, CAPACITY_MAX);
        if let Some(queue) = c.queue {
            self.count(&format!("{path}.queue"), queue, 0, CAPACITY_MAX);
        }
    }
}

fn load_name(load: &Load) -> &'static str {
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
fn expected_requests(load: &Load, seconds: f64, fastest_s: f64) -> f64 {
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
