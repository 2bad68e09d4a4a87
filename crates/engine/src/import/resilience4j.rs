//! resilience4j's Spring Boot properties (`resilience4j.<pattern>.instances.<name>`).

use serde_json::{Map, Value, json};

use super::support::{Reader, spring_duration, text};
use super::{Imported, ImportedStack};

/// How one instance's settings become a layer's body.
type ReadLayer = fn(&mut Reader<'_>) -> Map<String, Value>;

/// The patterns, in the Spring aspects' default order (outermost first), with their section
/// name and how one instance's settings become a layer.
const SECTIONS: [(&str, &str, ReadLayer); 5] = [
    ("retry", "retry", retry),
    ("circuitbreaker", "circuit_breaker", breaker),
    ("ratelimiter", "rate_limiter", rate_limiter),
    ("timelimiter", "timeout", time_limiter),
    ("bulkhead", "bulkhead", bulkhead),
];

/// Keys that only set up monitoring or Java specifics.
const JAVA_ONLY: [&str; 10] = [
    "registerHealthIndicator",
    "eventConsumerBufferSize",
    "recordExceptions",
    "ignoreExceptions",
    "retryExceptions",
    "recordFailurePredicate",
    "retryOnResultPredicate",
    "retryExceptionPredicate",
    "allowHealthIndicatorToFail",
    "writableStackTraceEnabled",
];

pub(super) fn import(mut root: Map<String, Value>) -> Imported {
    let mut unsupported = Vec::new();
    let mut sections =
        Reader::new(root.remove("resilience4j").unwrap_or_default(), "resilience4j".into(), &mut unsupported);
    let mut stacks: Vec<ImportedStack> = Vec::new();
    for (section, kind, read) in SECTIONS {
        let Some(value) = sections.take(section) else { continue };
        let path = sections.path_of(section);
        for (name, layer) in instances(value, &path, read, sections.unsupported()) {
            let at = stacks.iter().position(|s| s.name == name).unwrap_or_else(|| {
                stacks.push(ImportedStack { name: name.clone(), stack: Vec::new() });
                stacks.len() - 1
            });
            stacks[at].stack.push(json!({ kind: layer }));
        }
    }
    sections.finish("no such resilience4j pattern here (thread-pool bulkheads and others are not simulated)");
    for key in root.keys() {
        unsupported.push(format!("{key}: not resilience4j settings"));
    }
    Imported { library: "resilience4j", stacks, unsupported }
}

/// Each instance of one pattern section as a layer body, its settings over its `baseConfig`
/// (or the `default` config).
fn instances(
    section: Value,
    path: &str,
    read: ReadLayer,
    unsupported: &mut Vec<String>,
) -> Vec<(String, Map<String, Value>)> {
    let mut reader = Reader::new(section, path.to_owned(), unsupported);
    let configs = reader.take("configs").and_then(|c| c.as_object().cloned()).unwrap_or_default();
    let instances = reader.take("instances").and_then(|c| c.as_object().cloned()).unwrap_or_default();
    reader.finish("only configs and instances are read");
    let mut found = Vec::new();
    for (name, settings) in instances {
        let mut merged = settings.as_object().cloned().unwrap_or_default();
        let base =
            merged.remove("baseConfig").and_then(|b| b.as_str().map(str::to_owned)).unwrap_or_else(|| "default".into());
        for (key, value) in configs.get(&base).and_then(Value::as_object).into_iter().flatten() {
            merged.entry(key.clone()).or_insert_with(|| value.clone());
        }
        let mut instance = Reader::new(Value::Object(merged), format!("{path}.instances.{name}"), unsupported);
        let mut layer = read(&mut instance);
        for key in JAVA_ONLY {
            if instance.take(key).is_some() {
                instance.note(key, "Java classes and monitoring have no part in a simulation");
            }
        }
        instance.finish("no setting of the simulated pattern");
        layer.insert("semantics".into(), json!("resilience4j"));
        found.push((name, layer));
    }
    found
}

fn retry(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(n) = r.count("maxAttempts") {
        layer.insert("max_attempts".into(), json!(n));
    }
    let wait = r.span("waitDuration", spring_duration);
    if r.flag("enableExponentialBackoff") == Some(true) {
        let multiplier = r.number("exponentialBackoffMultiplier").unwrap_or(1.5);
        let initial = wait.map_or_else(|| json!("500ms"), text);
        layer.insert("backoff".into(), json!({ "exponential": { "initial": initial, "multiplier": multiplier } }));
        if let Some(max) = r.span("exponentialMaxWaitDuration", spring_duration) {
            layer.insert("max_delay".into(), text(max));
        }
    } else if let Some(wait) = wait {
        layer.insert("backoff".into(), json!({ "constant": { "delay": text(wait) } }));
    }
    if r.flag("enableRandomizedWait") == Some(true) {
        layer.insert("jitter".into(), json!({ "factor": r.number("randomizedWaitFactor").unwrap_or(0.5) }));
    }
    if r.flag("failAfterMaxAttempts").is_some() {
        r.note("failAfterMaxAttempts", "the last failure is always what the caller gets");
    }
    layer
}

fn breaker(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    let time_based = r.take("slidingWindowType").and_then(|t| t.as_str().map(|t| t.eq_ignore_ascii_case("TIME_BASED")));
    if let Some(size) = r.count("slidingWindowSize") {
        let window = if time_based == Some(true) { json!({ "seconds": size }) } else { json!({ "count": size }) };
        layer.insert("window".into(), window);
    } else if time_based == Some(true) {
        layer.insert("window".into(), json!({ "seconds": 100 }));
    }
    for (key, field) in [("failureRateThreshold", "failure_rate"), ("slowCallRateThreshold", "slow_call_rate")] {
        if let Some(x) = r.number(key) {
            layer.insert(field.into(), json!(x));
        }
    }
    for (key, field) in
        [("minimumNumberOfCalls", "minimum_calls"), ("permittedNumberOfCallsInHalfOpenState", "permitted_half_open")]
    {
        if let Some(n) = r.count(key) {
            layer.insert(field.into(), json!(n));
        }
    }
    for (key, field) in [
        ("slowCallDurationThreshold", "slow_call_duration"),
        ("waitDurationInOpenState", "wait_open"),
        ("maxWaitDurationInHalfOpenState", "max_wait_half_open"),
    ] {
        if let Some(span) = r.span(key, spring_duration) {
            layer.insert(field.into(), text(span));
        }
    }
    if r.flag("enableExponentialBackoff") == Some(true) {
        layer.insert("wait_multiplier".into(), json!(r.number("exponentialBackoffMultiplier").unwrap_or(1.5)));
    }
    if r.flag("automaticTransitionFromOpenToHalfOpenEnabled") == Some(true) {
        r.note(
            "automaticTransitionFromOpenToHalfOpenEnabled",
            "the breaker half-opens on the next call after the wait",
        );
    }
    layer
}

fn rate_limiter(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(n) = r.count("limitForPeriod") {
        layer.insert("limit".into(), json!(n));
    }
    if let Some(period) = r.span("limitRefreshPeriod", spring_duration) {
        layer.insert("period".into(), text(period));
    }
    if let Some(wait) = r.span("timeoutDuration", spring_duration) {
        layer.insert("max_wait".into(), text(wait));
    }
    layer
}

fn time_limiter(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(timeout) = r.span("timeoutDuration", spring_duration) {
        layer.insert("timeout".into(), text(timeout));
    }
    if r.flag("cancelRunningFuture") == Some(false) {
        r.note("cancelRunningFuture", "the caller always stops waiting at the deadline (the service keeps working)");
    }
    layer
}

fn bulkhead(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(n) = r.count("maxConcurrentCalls") {
        layer.insert("max_concurrent".into(), json!(n));
    }
    if let Some(wait) = r.span("maxWaitDuration", spring_duration) {
        layer.insert("max_wait".into(), text(wait));
    }
    layer
}
