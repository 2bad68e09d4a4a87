//! resilience4j's Spring Boot properties (`resilience4j.<pattern>.instances.<name>`).

use serde_json::{Map, Value, json};

use super::support::{Reader, spring_duration, text};
use super::{Imported, ImportedStack};

/// How one instance's settings become a layer's body.
type ReadLayer = fn(&mut Reader<'_>) -> Map<String, Value>;

/// The patterns, in the Spring aspects' default order (outermost first), with their section
/// name, the key of their aspect order, and how one instance's settings become a layer.
const SECTIONS: [(&str, &str, &str, ReadLayer); 5] = [
    ("retry", "retry", "retryAspectOrder", retry),
    ("circuitbreaker", "circuit_breaker", "circuitBreakerAspectOrder", breaker),
    ("ratelimiter", "rate_limiter", "rateLimiterAspectOrder", rate_limiter),
    ("timelimiter", "timeout", "timeLimiterAspectOrder", time_limiter),
    ("bulkhead", "bulkhead", "bulkheadAspectOrder", bulkhead),
];

/// Spring's default aspect orders (`Ordered.LOWEST_PRECEDENCE − 4` for the retry … the
/// bulkhead's `LOWEST_PRECEDENCE`): the lower value runs first, further out.
const DEFAULT_ORDER: [i64; 5] = [2_147_483_643, 2_147_483_644, 2_147_483_645, 2_147_483_646, 2_147_483_647];

/// Keys that only set up monitoring or Java specifics.
const JAVA_ONLY: [&str; 7] = [
    "registerHealthIndicator",
    "eventConsumerBufferSize",
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
    // (name, [(aspect order, layer)]) in the order names first appear.
    let mut found: Vec<(String, Vec<(i64, Value)>)> = Vec::new();
    for ((section, kind, order_key, read), default_order) in SECTIONS.into_iter().zip(DEFAULT_ORDER) {
        let Some(mut value) = sections.take(section) else { continue };
        let order =
            value.as_object_mut().and_then(|m| m.remove(order_key)).and_then(|o| o.as_i64()).unwrap_or(default_order);
        let path = sections.path_of(section);
        for (name, layer) in instances(value, &path, read, sections.unsupported()) {
            let at = found.iter().position(|(n, _)| *n == name).unwrap_or_else(|| {
                found.push((name.clone(), Vec::new()));
                found.len() - 1
            });
            found[at].1.push((order, json!({ kind: layer })));
        }
    }
    sections.finish("no such resilience4j pattern here (thread-pool bulkheads and others are not simulated)");
    let stacks = found
        .into_iter()
        .map(|(name, mut layers)| {
            layers.sort_by_key(|(order, _)| *order);
            ImportedStack { name, stack: layers.into_iter().map(|(_, layer)| layer).collect() }
        })
        .collect();
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

/// The failure kinds a list of exception classes stands for (Spring's RestClient exceptions,
/// `TimeoutException`, resilience4j's own refusals); other classes are listed.
fn kinds(r: &mut Reader<'_>, key: &str) -> Option<Vec<&'static str>> {
    let classes = r.take(key)?;
    let mut kinds: Vec<&'static str> = Vec::new();
    for class in classes.as_array().into_iter().flatten().filter_map(Value::as_str) {
        let simple = class.rsplit('.').next().unwrap_or(class);
        let kind = match simple {
            "HttpServerErrorException" => "5xx",
            "HttpClientErrorException$TooManyRequests" | "TooManyRequests" => "429",
            "HttpClientErrorException" => "4xx",
            "TimeoutException" => "timeout",
            "CallNotPermittedException" | "BulkheadFullException" | "RequestNotPermitted" => "rejected",
            _ => {
                r.note(key, &format!("{class} stands for no simulated failure kind"));
                continue;
            }
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Some(kinds)
}

fn retry(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(on) = kinds(r, "retryExceptions") {
        layer.insert("retry_on".into(), json!(on));
    }
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
    for (key, field) in [("recordExceptions", "record"), ("ignoreExceptions", "ignore")] {
        if let Some(listed) = kinds(r, key) {
            layer.insert(field.into(), json!(listed));
        }
    }
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
