//! Polly v8 options as `appsettings.json` binds them (Microsoft.Extensions.Http.Resilience's
//! `HttpStandardResilienceOptions` names, or a pipeline's own section of strategy options).

use serde_json::{Map, Value, json};

use super::support::{Reader, text, timespan};
use super::{Imported, ImportedStack};

/// The strategy sections, outermost first, as the standard HTTP handler orders them.
const ORDER: [&str; 7] =
    ["RateLimiter", "TotalRequestTimeout", "Timeout", "Retry", "Hedging", "CircuitBreaker", "AttemptTimeout"];

/// How deep to look for pipeline sections.
const DEPTH_MAX: usize = 4;

/// The pipelines of a document, or `None` if it holds none.
pub(super) fn import(root: &Map<String, Value>) -> Option<Imported> {
    let mut sections = Vec::new();
    find(root, String::new(), 0, &mut sections);
    if sections.is_empty() {
        return None;
    }
    let mut unsupported = Vec::new();
    let stacks = sections.into_iter().map(|(name, map)| pipeline(name, map, &mut unsupported)).collect();
    Some(Imported { library: "polly", stacks, unsupported })
}

/// Every mapping (up to [`DEPTH_MAX`] deep) with at least one strategy section, by path.
fn find(map: &Map<String, Value>, path: String, depth: usize, found: &mut Vec<(String, Map<String, Value>)>) {
    if ORDER.iter().any(|key| map.get(*key).is_some_and(Value::is_object)) {
        found.push((if path.is_empty() { "pipeline".into() } else { path }, map.clone()));
        return;
    }
    if depth == DEPTH_MAX {
        return;
    }
    for (key, value) in map {
        if let Value::Object(inner) = value {
            let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            find(inner, path, depth + 1, found);
        }
    }
}

/// One pipeline's strategies as a stack.
fn pipeline(name: String, mut map: Map<String, Value>, unsupported: &mut Vec<String>) -> ImportedStack {
    let mut stack = Vec::new();
    for key in ORDER {
        let Some(options) = map.remove(key) else { continue };
        let mut reader = Reader::new(options, format!("{name}.{key}"), unsupported);
        let (kind, mut layer) = match key {
            "RateLimiter" => ("bulkhead", rate_limiter(&mut reader)),
            "Retry" => ("retry", retry(&mut reader)),
            "Hedging" => ("hedging", hedging(&mut reader)),
            "CircuitBreaker" => ("circuit_breaker", breaker(&mut reader)),
            _ => ("timeout", timeout(&mut reader)),
        };
        if reader.take("Name").is_some() {
            reader.note("Name", "a name for telemetry only");
        }
        reader.finish("no setting of the simulated strategy (predicates and callbacks live in code)");
        layer.insert("semantics".into(), json!("polly"));
        stack.push(json!({ kind: layer }));
    }
    for key in map.keys() {
        unsupported.push(format!("{name}.{key}: not a Polly strategy the playground simulates"));
    }
    ImportedStack { name, stack }
}

fn retry(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(n) = r.count("MaxRetryAttempts") {
        layer.insert("max_retries".into(), json!(n));
    }
    let delay = r.span("Delay", timespan);
    let kind = r.take("BackoffType").and_then(|t| t.as_str().map(str::to_ascii_lowercase));
    let kind = kind.as_deref().unwrap_or("constant");
    if let Some(delay) = delay.or((kind != "constant").then(|| crate::time::Span::from_secs(2))) {
        let backoff = match kind {
            "exponential" => json!({ "exponential": { "initial": text(delay), "multiplier": 2 } }),
            "linear" => json!({ "linear": { "delay": text(delay) } }),
            _ => json!({ "constant": { "delay": text(delay) } }),
        };
        layer.insert("backoff".into(), backoff);
    }
    if r.flag("UseJitter") == Some(true) {
        let jitter = if kind == "exponential" { json!("decorrelated") } else { json!({ "factor": 0.25 }) };
        layer.insert("jitter".into(), jitter);
    }
    if let Some(max) = r.span("MaxDelay", timespan) {
        layer.insert("max_delay".into(), text(max));
    }
    layer
}

fn breaker(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(ratio) = r.number("FailureRatio") {
        layer.insert("failure_rate".into(), json!(ratio * 100.0));
    }
    if let Some(n) = r.count("MinimumThroughput") {
        layer.insert("minimum_calls".into(), json!(n));
    }
    if let Some(sampling) = r.span("SamplingDuration", timespan) {
        layer.insert("window".into(), json!({ "seconds": sampling.as_micros().div_ceil(1_000_000) }));
    }
    if let Some(wait) = r.span("BreakDuration", timespan) {
        layer.insert("wait_open".into(), text(wait));
    }
    layer
}

fn timeout(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(timeout) = r.span("Timeout", timespan) {
        layer.insert("timeout".into(), text(timeout));
    }
    layer
}

fn hedging(r: &mut Reader<'_>) -> Map<String, Value> {
    let mut layer = Map::new();
    if let Some(n) = r.count("MaxHedgedAttempts") {
        layer.insert("max_hedged_attempts".into(), json!(n));
    }
    match r.take("Delay") {
        Some(Value::String(delay)) if delay.trim_start().starts_with('-') => {
            layer.insert("mode".into(), json!("fallback"));
        }
        Some(delay) => match timespan(&delay) {
            Some(zero) if zero.as_micros() == 0 => {
                layer.insert("mode".into(), json!("parallel"));
            }
            Some(delay) => {
                layer.insert("delay".into(), text(delay));
            }
            None => r.note("Delay", "not a TimeSpan"),
        },
        None => {}
    }
    layer
}

/// The standard handler's rate limiter: a concurrency limiter (`PermitLimit`, `QueueLimit`).
fn rate_limiter(r: &mut Reader<'_>) -> Map<String, Value> {
    let options = r.take("DefaultRateLimiterOptions").unwrap_or_else(|| Value::Object(Map::new()));
    let path = r.path_of("DefaultRateLimiterOptions");
    let mut inner = Reader::new(options, path, r.unsupported());
    let mut layer = Map::new();
    layer.insert("max_concurrent".into(), json!(inner.count("PermitLimit").unwrap_or(1000)));
    if let Some(queue) = inner.count("QueueLimit").filter(|q| *q > 0) {
        layer.insert("queue".into(), json!(queue));
    }
    inner.finish("no setting of a concurrency limiter");
    layer
}
