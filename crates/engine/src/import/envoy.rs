//! An Envoy cluster's `circuit_breakers` and a route's `timeout` and `retry_policy` (at the top
//! level, or under `cluster` and `route`), as one stack in the order Envoy applies them: the
//! route timeout, the retry (with the cluster's retry budget), the per-try timeout, and the
//! cluster's request limits.

use serde_json::{Map, Value, json};

use super::support::{Reader, proto_duration, text};
use super::{Imported, ImportedStack};

/// Keys that mark an Envoy cluster or route.
const MARKS: [&str; 5] = ["circuit_breakers", "retry_policy", "outlier_detection", "cluster", "route"];

pub(super) fn recognises(root: &Map<String, Value>) -> bool {
    MARKS.iter().any(|key| root.contains_key(*key))
}

pub(super) fn import(mut root: Map<String, Value>) -> Imported {
    let mut unsupported = Vec::new();
    let (mut cluster, mut route) = (Map::new(), Map::new());
    for (part, map) in [("cluster", &mut cluster), ("route", &mut route)] {
        if let Some(Value::Object(inner)) = root.remove(part) {
            map.extend(inner);
        }
    }
    for key in ["circuit_breakers", "outlier_detection", "name", "connect_timeout"] {
        if let Some(value) = root.remove(key) {
            cluster.insert(key.into(), value);
        }
    }
    route.extend(root);
    let name = cluster.get("name").and_then(Value::as_str).unwrap_or("cluster").to_owned();
    let stack = stack(cluster, route, &mut unsupported);
    Imported { library: "envoy", stacks: vec![ImportedStack { name, stack }], unsupported }
}

/// The layers, outermost first.
fn stack(cluster: Map<String, Value>, route: Map<String, Value>, unsupported: &mut Vec<String>) -> Vec<Value> {
    let mut cluster = Reader::new(Value::Object(cluster), "cluster".into(), unsupported);
    let limits = thresholds(&mut cluster);
    let _ = cluster.take("name");
    if cluster.take("outlier_detection").is_some() {
        cluster.note(
            "outlier_detection",
            "ejects hosts from a load-balanced cluster; a service here is one host (a circuit breaker with \
             consecutive_failures is the nearest)",
        );
    }
    cluster.finish("not a request-path setting the playground simulates");
    let (budget, bulkhead) = limits;
    let mut route = Reader::new(Value::Object(route), "route".into(), unsupported);
    let mut layers = Vec::new();
    if let Some(timeout) = route.span("timeout", proto_duration) {
        layers.push(json!({ "timeout": { "semantics": "envoy", "timeout": text(timeout) } }));
    }
    if let Some(policy) = route.take("retry_policy") {
        let path = route.path_of("retry_policy");
        let mut reader = Reader::new(policy, path, route.unsupported());
        let (retry, per_try) = retry(&mut reader, budget);
        reader.finish("no setting of the simulated retry");
        layers.push(json!({ "retry": retry }));
        if let Some(per_try) = per_try {
            layers.push(json!({ "timeout": { "semantics": "envoy", "timeout": text(per_try) } }));
        }
    }
    route.finish("not a request-path setting the playground simulates");
    if let Some(bulkhead) = bulkhead {
        layers.push(json!({ "bulkhead": bulkhead }));
    }
    layers
}

/// The DEFAULT priority's thresholds: the retry budget and the request limits.
fn thresholds(cluster: &mut Reader<'_>) -> (Option<Value>, Option<Map<String, Value>>) {
    let Some(breakers) = cluster.take("circuit_breakers") else { return (None, None) };
    let path = cluster.path_of("circuit_breakers");
    let mut breakers = Reader::new(breakers, path, cluster.unsupported());
    let list = breakers.take("thresholds").and_then(|t| t.as_array().cloned()).unwrap_or_default();
    breakers.finish("only thresholds are read");
    let Some(first) = list.into_iter().next() else { return (None, None) };
    let path = cluster.path_of("circuit_breakers.thresholds[0]");
    let mut t = Reader::new(first, path, cluster.unsupported());
    let _ = t.take("priority");
    if t.take("max_connections").is_some() {
        t.note("max_connections", "connections are not simulated, only requests");
    }
    let mut bulkhead = Map::new();
    if let Some(n) = t.count("max_requests") {
        bulkhead.insert("max_concurrent".into(), json!(n));
    }
    if let Some(n) = t.count("max_pending_requests") {
        bulkhead.insert("queue".into(), json!(n));
    }
    let budget = match (t.take("retry_budget"), t.count("max_retries")) {
        (Some(Value::Object(b)), _) => {
            let percent = b.get("budget_percent").and_then(|p| p.get("value").or(Some(p))).and_then(Value::as_f64);
            let floor = b.get("min_retry_concurrency").and_then(Value::as_u64);
            Some(
                json!({ "envoy": { "budget_percent": percent.unwrap_or(20.0), "min_retry_concurrency": floor.unwrap_or(3) } }),
            )
        }
        (_, Some(max)) => Some(json!({ "envoy": { "budget_percent": 0, "min_retry_concurrency": max } })),
        _ => None,
    };
    t.finish("not simulated");
    let bulkhead = (!bulkhead.is_empty()).then(|| {
        bulkhead.insert("semantics".into(), json!("envoy"));
        bulkhead
    });
    (budget, bulkhead)
}

/// The retry layer and the per-try timeout.
fn retry(r: &mut Reader<'_>, budget: Option<Value>) -> (Value, Option<crate::time::Span>) {
    let mut layer = Map::new();
    layer.insert("semantics".into(), json!("envoy"));
    if let Some(n) = r.count("num_retries") {
        layer.insert("max_attempts".into(), json!(n + 1));
    }
    if let Some(Value::Object(back_off)) = r.take("retry_back_off") {
        let base = back_off.get("base_interval").and_then(proto_duration);
        let max = back_off.get("max_interval").and_then(proto_duration);
        if let Some(base) = base {
            layer.insert("backoff".into(), json!({ "exponential": { "initial": text(base), "multiplier": 2 } }));
            let cap = max.unwrap_or_else(|| crate::time::Span::from_micros(base.as_micros().saturating_mul(10)));
            layer.insert("max_delay".into(), text(cap));
        }
    }
    if let Some(Value::String(on)) = r.take("retry_on") {
        layer.insert("retry_on".into(), json!(retry_on(&on, r)));
    }
    if let Some(budget) = budget {
        layer.insert("budget".into(), budget);
    }
    (Value::Object(layer), r.span("per_try_timeout", proto_duration))
}

/// Envoy's `retry_on` conditions as failure kinds; the rest are listed.
fn retry_on(conditions: &str, r: &mut Reader<'_>) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    for condition in conditions.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let adds: &[&'static str] = match condition {
            "5xx" | "gateway-error" => &["5xx", "timeout"],
            "retriable-4xx" => &["4xx"],
            "retriable-status-codes" | "envoy-ratelimited" => &["429"],
            "reset" | "connect-failure" | "refused-stream" => &["rejected"],
            other => {
                r.note("retry_on", &format!("condition {other:?} has no simulated equivalent"));
                &[]
            }
        };
        for kind in adds {
            if !kinds.contains(kind) {
                kinds.push(*kind);
            }
        }
    }
    kinds
}
