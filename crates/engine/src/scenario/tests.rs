//! Parsing and validation: every bad input gets an error that names its field.

use super::*;
use crate::examples;

fn minimal() -> serde_json::Value {
    serde_json::json!({
        "version": 2,
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

#[test]
fn decoding_refuses_early_with_words_a_user_can_act_on() {
    for empty in ["", "   \n\t ", "\u{feff}"] {
        assert_eq!(Scenario::parse(empty).unwrap_err().message, "the file is empty", "{empty:?}");
    }
    for not_object in ["[]", "[1, 2, 3]", "\"text\"", "42", "null", &"[".repeat(10_000)] {
        let error = Scenario::parse(not_object).unwrap_err();
        assert_eq!(error.message, "a scenario is a JSON object", "{not_object:.20}");
    }
    let mut newer = minimal();
    newer["version"] = 7.into();
    newer["teleport"] = true.into();
    let error = Scenario::parse(&newer.to_string()).unwrap_err();
    assert_eq!(error.path, "version");
    assert!(error.message.contains("made by a newer version (v7); this one reads up to v2"), "{error}");
    let huge = " ".repeat(INPUT_BYTES_MAX + 1);
    assert!(Scenario::parse(&huge).unwrap_err().message.contains("too large"));
}

#[test]
fn bad_utf8_gives_the_byte_offset() {
    let mut bytes = minimal().to_string().into_bytes();
    bytes[12] = 0xff;
    let error = Scenario::from_bytes(&bytes).unwrap_err();
    assert!(error.message.contains("offset 12"), "{error}");
    assert_eq!(Scenario::from_bytes(minimal().to_string().as_bytes()).map(|s| s.name), Ok("t".into()));
    assert!(Scenario::parse_bytes(b"").unwrap_err().message.contains("empty"));
}

#[test]
fn lists_are_bounded_while_they_are_read() {
    let doc = minimal();
    let service = doc["services"][0].clone();
    let endpoint = doc["endpoints"][0].clone();
    let outage = serde_json::json!({ "outage": {} });
    type Set = fn(&mut serde_json::Value, serde_json::Value);
    let cases: [(&str, usize, serde_json::Value, Set); 5] = [
        ("services", SERVICES_MAX, service, |d, v| d["services"] = v),
        ("endpoints", ENDPOINTS_MAX, endpoint, |d, v| d["endpoints"] = v),
        ("services[0].faults", FAULTS_MAX, outage, |d, v| d["services"][0]["faults"] = v),
        ("services[0].latency.sequence", SEQUENCE_MAX, "1ms".into(), |d, v| {
            d["services"][0]["latency"] = serde_json::json!({ "sequence": v });
        }),
        ("endpoints[0].load.times", TIMES_MAX, "1s".into(), |d, v| {
            d["endpoints"][0]["load"] = serde_json::json!({ "times": v });
        }),
    ];
    for (path, max, item, set) in cases {
        // The entry past the limit is skipped, not read: even garbage there gives the size error.
        let mut doc = minimal();
        set(&mut doc, "LIST".into());
        let mut list = format!("{item},").repeat(max);
        list.push_str(r#"{"garbage":[1,2,3]}"#);
        let json = doc.to_string().replace(r#""LIST""#, &format!("[{list}]"));
        let error = Scenario::parse(&json).unwrap_err();
        assert_eq!(error.path, path, "{error}");
        assert!(error.message.contains(&format!("limit is {max}")), "{error}");
    }
}

#[test]
fn an_outcome_list_is_counted_before_it_is_split() {
    let outcomes = vec!["S"; SEQUENCE_MAX + 1].join(",");
    assert_error(
        |d| d["services"][0]["faults"] = serde_json::json!([{ "sequence": { "outcomes": outcomes } }]),
        "services[0].faults[0].sequence.outcomes",
        "limit is 10000",
    );
}

#[test]
fn closed_loops_are_estimated_with_their_fastest_answer() {
    let closed = |d: &mut serde_json::Value| {
        d["duration"] = "60s".into();
        d["services"][0]["latency"] = serde_json::json!({ "constant": "100ms" });
        d["endpoints"][0]["load"] = serde_json::json!({ "closed": { "clients": 1_000, "think": "0s" } });
    };
    let mut doc = minimal();
    closed(&mut doc);
    let scenario = Scenario::from_json(&doc.to_string()).expect("1 000 clients × 60 s / 100 ms fits");
    assert!((scenario.expected_requests() - 600_000.0).abs() < 1.0, "{}", scenario.expected_requests());
    // A cache can answer at once, so the floor of 1 ms applies: 60 million requests.
    assert_error(
        |d| {
            closed(d);
            d["endpoints"][0]["stack"] = serde_json::json!([{ "cache": { "ttl": "1s" } }]);
        },
        "endpoints",
        "about 60 million requests; the limit is 20 million",
    );
}

#[test]
fn nested_retries_name_their_layers_and_the_excess() {
    let retry = serde_json::json!({ "retry": { "max_attempts": 100 } });
    assert_error(
        |d| d["endpoints"][0]["stack"] = serde_json::json!([retry, retry, retry, retry]),
        "endpoints[0].stack",
        "stack[0].retry (×100) × stack[1].retry (×100) × stack[2].retry (×100) × stack[3].retry (×100) allow 100 million attempts per request; with the load that is about 10 billion attempts, 100× the limit of 100 million",
    );
}

#[test]
fn cache_lookups_are_counted_per_attempt_that_reaches_the_cache() {
    let many_caches = |d: &mut serde_json::Value| {
        d["duration"] = "200s".into();
        d["endpoints"][0]["keys"] = serde_json::json!({ "uniform": { "count": 1_000 } });
        d["endpoints"][0]["load"] = serde_json::json!({ "constant": { "rps": 100_000 } });
        d["endpoints"][0]["stack"] = serde_json::json!(vec![serde_json::json!({ "cache": { "ttl": "1s" } }); 16]);
    };
    // 20 million requests × 16 caches: 320 million lookups.
    assert_error(
        many_caches,
        "endpoints[0].stack",
        "looked up about 320 million times (16 per request here); the limit is 80 million",
    );
    // One cache outside a retry of 3 attempts, three inside it: 1 + 3 × 3 = 10 lookups a request.
    let mut doc = minimal();
    many_caches(&mut doc);
    doc["endpoints"][0]["stack"] = serde_json::json!([
        { "cache": { "ttl": "1s" } },
        { "retry": { "max_attempts": 3 } },
        { "cache": { "ttl": "1s" } }, { "cache": { "ttl": "1s" } }, { "cache": { "ttl": "1s" } }
    ]);
    let scenario = Scenario::parse(&doc.to_string()).unwrap();
    assert!((scenario.endpoints[0].cache_lookups_per_request() - 10.0).abs() < 1e-9);
    doc["duration"] = "20s".into();
    assert!(Scenario::from_json(&doc.to_string()).is_ok(), "2 million requests × 10 lookups fit");
}

#[test]
fn large_counts_read_as_words() {
    use super::estimate::about;
    assert_eq!(about(950.4), "950");
    assert_eq!(about(12_500_000.0), "12.5 million");
    assert_eq!(about(3e9), "3 billion");
    assert_eq!(about(999_990_000.0), "1 billion");
    assert_eq!(about(4.2e15), "4.2×10^15");
    assert_eq!(about(f64::INFINITY), "unboundedly many");
}

#[test]
fn step6_breaker_and_retry_settings_parse_and_name_their_bad_values() {
    let stack = serde_json::json!([
        { "retry": { "retry_after": "clamp" } },
        { "circuit_breaker": { "mode": "metrics_only", "ignore": ["4xx"], "half_open_successes": 3,
                               "permitted_half_open": 4, "round_rates": true } }
    ]);
    let mut doc = minimal();
    doc["endpoints"][0]["stack"] = stack;
    Scenario::from_json(&doc.to_string()).expect("the new settings are valid");
    let breaker = |field: serde_json::Value| {
        move |d: &mut serde_json::Value| d["endpoints"][0]["stack"] = serde_json::json!([{ "circuit_breaker": field }])
    };
    let path = "endpoints[0].stack[0].circuit_breaker";
    let too_many = serde_json::json!({ "half_open_successes": 5, "permitted_half_open": 4 });
    assert_error(breaker(too_many), &format!("{path}.half_open_successes"), "between 1 and 4");
    assert_error(
        breaker(serde_json::json!({ "half_open_successes": 0 })),
        &format!("{path}.half_open_successes"),
        "between 1",
    );
    assert_error(breaker(serde_json::json!({ "mode": "half_closed" })), &format!("{path}.mode"), "unknown variant");
    assert_error(breaker(serde_json::json!({ "ignore": ["6xx"] })), &format!("{path}.ignore[0]"), "unknown variant");
    assert_error(
        |d| {
            d["endpoints"][0]["stack"] =
                serde_json::json!([{ "retry": { "honor_retry_after": true, "retry_after": "clamp" } }])
        },
        "endpoints[0].stack[0].retry.retry_after",
        "contradicts",
    );
}

#[test]
fn outcome_sequences_are_read_once_and_written_back_as_written() {
    let mut doc = minimal();
    doc["services"][0]["faults"] = serde_json::json!([{ "sequence": { "outcomes": "S, f,503 , 429" } }]);
    let scenario = Scenario::parse(&doc.to_string()).expect("valid outcomes");
    let Fault::Sequence { outcomes, .. } = &scenario.services[0].faults[0] else { panic!("a sequence") };
    assert_eq!(
        outcomes.steps(),
        [SequenceStep::Success, SequenceStep::Fail, SequenceStep::Status(503), SequenceStep::Status(429)]
    );
    let written: serde_json::Value = serde_json::from_str(&scenario.to_json()).unwrap();
    assert_eq!(written["services"][0]["faults"][0]["sequence"]["outcomes"], "S, f,503 , 429");
    // A bad token is refused by the parse itself, before any validation, with its position.
    doc["services"][0]["faults"] = serde_json::json!([{ "sequence": { "outcomes": "S,F,,503" } }]);
    let error = Scenario::parse(&doc.to_string()).expect_err("an empty entry");
    assert_eq!(error.path, "services[0].faults[0].sequence.outcomes", "{error}");
    assert!(error.message.contains("outcome 3 is \"\""), "{error}");
}
