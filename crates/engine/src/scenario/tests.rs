//! Parsing and validation: every bad input gets an error that names its field.

use super::*;
use crate::examples;

fn minimal() -> serde_json::Value {
    serde_json::json!({
        "version": 1,
        "name": "t",
        "duration": "10s",
        "services": [ { "name": "s", "latency": { "constant": "10ms" } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": { "poisson": { "rps": 10 } }, "stack": [] } ]
    })
}

/// The error of the document after `edit`.
fn error_after(edit: impl FnOnce(&mut serde_json::Value)) -> ScenarioError {
    let mut doc = minimal();
    edit(&mut doc);
    Scenario::from_json(&doc.to_string()).expect_err("should be refused")
}

fn assert_error(edit: impl FnOnce(&mut serde_json::Value), path: &str, words: &str) {
    let error = error_after(edit);
    assert_eq!(error.path, path, "{error}");
    assert!(error.message.contains(words), "{error} should say {words:?}");
}

#[test]
fn the_minimal_document_and_every_example_are_valid() {
    Scenario::from_json(&minimal().to_string()).expect("minimal");
    for (name, json) in examples::ALL.iter().chain(examples::BENCH) {
        let scenario = Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = Scenario::from_json(&scenario.to_json()).expect("round trip");
        assert_eq!(scenario, again, "{name} survives a JSON round trip");
    }
}

#[test]
fn malformed_json_and_wrong_types_name_the_place() {
    assert!(Scenario::from_json("{").unwrap_err().message.contains("EOF"));
    assert!(Scenario::from_json("").is_err());
    assert!(Scenario::from_json("[]").is_err());
    assert_error(|d| d["seed"] = "x".into(), "seed", "invalid type");
    assert_error(|d| d["seed"] = (-1).into(), "seed", "invalid value");
    assert_error(
        |d| d["endpoints"][0]["load"]["poisson"]["rps"] = "fast".into(),
        "endpoints[0].load.poisson.rps",
        "invalid type",
    );
    assert_error(|d| d["duration"] = "10 parsecs".into(), "duration", "unknown duration unit");
    assert_error(|d| d["duration"] = 10.into(), "duration", "invalid type");
    let trailing = format!("{} {{}}", minimal());
    assert!(Scenario::from_json(&trailing).unwrap_err().message.contains("trailing"));
}

#[test]
fn unknown_fields_are_errors_with_a_path() {
    assert_error(|d| d["colour"] = "red".into(), "colour", "unknown field `colour`");
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "retry": { "max_attempts": 3, "max_attemps": 4 } }]),
        "endpoints[0].stack[0].retry.max_attemps",
        "unknown field `max_attemps`",
    );
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "teleport": {} }]),
        "endpoints[0].stack[0]",
        "unknown variant `teleport`",
    );
}

#[test]
fn out_of_range_numbers_name_the_field() {
    assert_error(
        |d| d["endpoints"][0]["load"]["poisson"]["rps"] = 0.into(),
        "endpoints[0].load.poisson.rps",
        "above 0",
    );
    assert_error(
        |d| d["endpoints"][0]["load"]["poisson"]["rps"] = 1e12.into(),
        "endpoints[0].load.poisson.rps",
        "at most",
    );
    assert_error(|d| d["duration"] = "0s".into(), "duration", "greater than zero");
    assert_error(|d| d["duration"] = "25h".into(), "duration", "at most 24h");
    assert_error(|d| d["duration"] = "3650d".into(), "duration", "unknown duration unit");
    assert_error(|d| d["duration"] = "87600h".into(), "duration", "longer than 100 days");
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "retry": { "max_attempts": 0 } }]),
        "endpoints[0].stack[0].retry.max_attempts",
        "between 1 and 100",
    );
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "circuit_breaker": { "failure_rate": 150 } }]),
        "endpoints[0].stack[0].circuit_breaker.failure_rate",
        "between",
    );
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "bulkhead": { "max_concurrent": 0 } }]),
        "endpoints[0].stack[0].bulkhead.max_concurrent",
        "between 1",
    );
    assert_error(
        |d| d["services"][0]["faults"] = serde_json::json!([{ "errors": { "rate": 1.5 } }]),
        "services[0].faults[0].errors.rate",
        "between 0 and 1",
    );
    assert_error(
        |d| d["services"][0]["latency"] = serde_json::json!({ "lognormal": { "p50": "50ms", "p99": "10ms" } }),
        "services[0].latency.lognormal.p99",
        "greater than p50",
    );
}

#[test]
fn absurd_sizes_are_refused() {
    assert_error(
        |d| {
            d["endpoints"][0]["load"]["poisson"]["rps"] = 100_000.into();
            d["duration"] = "300s".into();
        },
        "endpoints",
        "limit",
    );
    let layers: Vec<_> = (0..1_000).map(|_| serde_json::json!({ "timeout": {} })).collect();
    assert_error(|d| d["endpoints"][0]["stack"] = layers.into(), "endpoints[0].stack", "limit is 16");
    assert_error(
        |d| d["endpoints"][0]["keys"] = serde_json::json!({ "uniform": { "count": 2_000_000_000u32 } }),
        "endpoints[0].keys.count",
        "between",
    );
    let huge = "x".repeat(INPUT_BYTES_MAX + 1);
    assert!(Scenario::from_json(&huge).unwrap_err().message.contains("limit"));
    let deep = "[".repeat(10_000);
    assert!(Scenario::from_json(&deep).is_err(), "deep nesting is an error, not a stack overflow");
}

#[test]
fn references_and_versions_are_checked() {
    assert_error(
        |d| d["endpoints"][0]["service"] = "nope".into(),
        "endpoints[0].service",
        "no service is called \"nope\"",
    );
    assert_error(|d| d["version"] = 99.into(), "version", "not supported");
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "fallback": { "action": "stale_cache" } }]),
        "endpoints[0].stack[0].fallback.action",
        "needs a cache layer",
    );
    assert_error(
        |d| d["services"][0]["faults"] = serde_json::json!([{ "sequence": { "outcomes": "S,X" } }]),
        "services[0].faults[0].sequence.outcomes",
        "outcome 2",
    );
    assert_error(|d| d["services"] = serde_json::json!([]), "services", "at least one");
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([{ "retry": { "max_attempts": 2, "max_retries": 1 } }]),
        "endpoints[0].stack[0].retry.max_retries",
        "not both",
    );
}

#[test]
fn validate_reports_every_problem_at_once() {
    let mut doc = minimal();
    doc["duration"] = "0s".into();
    doc["endpoints"][0]["service"] = "nope".into();
    let scenario = Scenario::parse(&doc.to_string()).expect("parses");
    let paths: Vec<String> = scenario.validate().into_iter().map(|e| e.path).collect();
    assert!(paths.contains(&"duration".to_owned()) && paths.contains(&"endpoints[0].service".to_owned()), "{paths:?}");
}
