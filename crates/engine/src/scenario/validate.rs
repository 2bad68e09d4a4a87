//! Range, reference and size checks. Each check names the path of the field it refuses.

use super::estimate::load_name;
use super::limits::*;
use super::model::{Endpoint, Fault, Latency, Load, Service};
use super::{SCHEMA_VERSION, Scenario, ScenarioError};
use crate::patterns::check::FieldCheck;
use crate::patterns::document::DocScope;
use crate::time::Span;

/// Collects the problems of one scenario. The range checks are the patterns' own
/// ([`FieldCheck`]), here with full paths; each layer checks itself.
pub(super) struct Checker<'a> {
    /// The scenario being checked.
    pub(super) scenario: &'a Scenario,
    check: FieldCheck,
}

pub(super) fn validate(scenario: &Scenario) -> Vec<ScenarioError> {
    let mut checker = Checker { scenario, check: FieldCheck::default() };
    checker.document();
    checker.check.take().into_iter().map(|e| ScenarioError::new(e.field, e.message)).collect()
}

impl Checker<'_> {
    pub(super) fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.check.fail(path, message);
    }

    fn count(&mut self, path: &str, value: u32, bounds: Bounds<u32>) {
        self.check.count(path, value, bounds);
    }

    fn number(&mut self, path: &str, value: f64, bounds: Bounds<f64>) {
        self.check.number(path, value, bounds);
    }

    fn positive_span(&mut self, path: &str, span: Span) {
        self.check.positive_span(path, span);
    }

    fn service_span(&mut self, path: String, span: Span) {
        if SERVICE_SPAN.max.is_some_and(|max| span > max) {
            self.fail(path, "must be at most 1h");
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
            self.count("client.workers", pool.workers, CAPACITY);
            if let Some(queue) = pool.queue {
                self.count("client.queue", queue, QUEUE);
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
        self.total_cache_lookups();
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
            self.count(&format!("{path}.capacity.concurrency"), capacity.concurrency, CAPACITY);
            self.count(&format!("{path}.capacity.queue"), capacity.queue, QUEUE);
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
            self.service_span(p, span);
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
                let Bounds { min, max } = ERROR_STATUS;
                if !(min..=max).contains(status) {
                    self.fail(
                        format!("{path}.status"),
                        format!("must be an error status ({min} to {max}), got {status}"),
                    );
                }
                if let Fault::Errors { rate, .. } = fault {
                    self.number(&format!("{path}.rate"), *rate, SHARE);
                }
            }
            Fault::Slowdown { factor, .. } => self.number(&format!("{path}.factor"), *factor, SLOWDOWN),
            Fault::Latency { add, .. } => self.service_span(format!("{path}.add"), *add),
            Fault::Throttle { rps, .. } => self.count(&format!("{path}.rps"), *rps, CAPACITY),
            // Its outcomes were read into typed steps, bounded, when the document was read.
            Fault::Sequence { .. } => {}
        }
    }

    fn endpoint(&mut self, path: &str, endpoint: &Endpoint) {
        if self.scenario.service_index(&endpoint.service).is_none() {
            self.fail(format!("{path}.service"), format!("no service is called {:?}", endpoint.service));
        }
        self.load(&format!("{path}.load"), &endpoint.load);
        if let Some(keys) = endpoint.keys {
            self.count(&format!("{path}.keys.count"), keys.count(), KEY_COUNT);
            if let crate::scenario::Keys::Zipf { s, .. } = keys {
                self.number(&format!("{path}.keys.zipf.s"), s, ZIPF_EXPONENT);
            }
        }
        if endpoint.stack.len() > LAYERS_MAX {
            self.fail(
                format!("{path}.stack"),
                format!("has {} layers; the limit is {LAYERS_MAX}", endpoint.stack.len()),
            );
            return;
        }
        let scope = DocScope { scenario: self.scenario, endpoint };
        for (i, layer) in endpoint.stack.iter().enumerate() {
            for problem in layer.problems(scope) {
                self.fail(format!("{path}.stack[{i}].{}.{}", layer.kind_name(), problem.field), problem.message);
            }
        }
    }

    fn load(&mut self, path: &str, load: &Load) {
        match load {
            Load::Constant { rps } | Load::Poisson { rps } => {
                self.rate(&format!("{path}.{}.rps", load_name(load)), *rps)
            }
            Load::Ramp { from_rps, to_rps } => {
                let rate = Bounds { min: 0.0, max: RPS_MAX };
                self.number(&format!("{path}.ramp.from_rps"), *from_rps, rate);
                self.number(&format!("{path}.ramp.to_rps"), *to_rps, rate);
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
            Load::Closed { clients, .. } => self.count(&format!("{path}.closed.clients"), *clients, CLIENTS),
        }
    }

    fn rate(&mut self, path: &str, rps: f64) {
        if !rps.is_finite() || rps <= 0.0 || rps > RPS_MAX {
            self.fail(path, format!("must be above 0 and at most {RPS_MAX}, got {rps}"));
        }
    }
}
