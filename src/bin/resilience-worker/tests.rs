//! The worker's operations, driven as the page drives them: JSON text in, JSON text out.

use serde_json::{Value, json};

use crate::ops::Worker;
use resilience_engine::examples;
use resilience_engine::scenario::link;

fn ask(worker: &mut Worker, request: &Value) -> Value {
    let now_ms = || 0.0;
    serde_json::from_str(&worker.handle(&request.to_string(), &now_ms)).expect("every reply is JSON")
}

fn example(name: &str) -> Value {
    serde_json::from_str(examples::gallery(name).expect("a gallery example")).expect("JSON")
}

#[test]
fn analysing_a_story_gives_its_verdicts_insights_and_breaker_transitions() {
    let mut worker = Worker::default();
    let reply =
        ask(&mut worker, &json!({"id": 7, "op": "analyse", "doc": example("retry-storm"), "trace_events": 1_000_000}));
    assert_eq!(reply["id"], 7);
    let verdicts = reply["verdicts"].as_array().expect("verdicts");
    assert!(!verdicts.is_empty(), "the story carries its claims: {reply}");
    assert!(verdicts.iter().all(|v| v["pass"] == true), "a gallery story's claims hold: {reply}");
    assert_eq!(reply["expect_error"], Value::Null);
    let insights = reply["insights"].as_array().expect("insights");
    assert!(
        insights.iter().any(|i| i["id"] == "no-jitter" || i["message"].as_str().unwrap_or("").contains("jitter")),
        "{reply}"
    );

    let breaker = ask(
        &mut worker,
        &json!({"id": 8, "op": "analyse", "doc": example("breaker-outage"), "trace_events": 1_000_000}),
    );
    let transitions = breaker["transitions"].as_array().expect("transitions");
    assert_eq!(transitions[0]["to"], "open", "{breaker}");
    assert!(transitions[0]["why"].as_str().unwrap_or("").contains("failed"), "{breaker}");
}

#[test]
fn a_weakened_stack_turns_its_claim_red() {
    let mut doc = example("breaker-outage");
    doc["endpoints"][0]["stack"] = json!([]);
    let reply = ask(&mut Worker::default(), &json!({"id": 1, "op": "analyse", "doc": doc, "trace_events": 0}));
    let verdicts = reply["verdicts"].as_array().expect("verdicts");
    assert!(verdicts.iter().any(|v| v["pass"] == false), "without its stack the story's claims fail: {reply}");
}

#[test]
fn a_bad_expectation_is_named_by_its_path_and_the_rest_still_answers() {
    let mut doc = example("retry-storm");
    doc["expect"] = json!([{"p99_latency": "soon"}]);
    let reply = ask(&mut Worker::default(), &json!({"id": 2, "op": "analyse", "doc": doc, "trace_events": 0}));
    assert!(reply["expect_error"].as_str().unwrap_or("").starts_with("expect[0]"), "{reply}");
    assert!(reply["insights"].is_array(), "{reply}");
}

#[test]
fn explaining_a_request_reuses_the_run_and_gives_causes_with_times() {
    let mut worker = Worker::default();
    let doc = example("breaker-outage");
    let mut found = None;
    for request in 0..4000 {
        let reply = ask(
            &mut worker,
            &json!({"id": request, "op": "explain", "doc": doc, "trace_events": 1_000_000, "request": request}),
        );
        let steps = reply["steps"].as_array().expect("steps").clone();
        if steps.iter().any(|s| s["what"].as_str().unwrap_or("").contains("refused")) {
            found = Some(steps);
            break;
        }
    }
    let steps = found.expect("some request meets the open breaker");
    let journey =
        ask(&mut worker, &json!({"id": 0, "op": "explain", "doc": doc, "trace_events": 1_000_000, "request": 0}));
    let words: Vec<&str> =
        journey["journey"].as_array().expect("journey").iter().filter_map(|s| s["text"].as_str()).collect();
    assert_eq!(words.first().copied(), Some("arrived at endpoint product-page"), "{journey}");
    assert!(words.last().is_some_and(|w| w.starts_with("completed: ")), "{journey}");
    let cause = &steps.iter().find(|s| s["what"].as_str().unwrap_or("").contains("refused")).expect("refusal")["cause"];
    assert!(cause["text"].as_str().unwrap_or("").contains("the breaker"), "{cause}");
    assert!(cause["at_us"].as_u64().is_some_and(|t| t > 0), "{cause}");
}

#[test]
fn a_metrics_only_run_says_it_has_no_journeys() {
    let reply = ask(
        &mut Worker::default(),
        &json!({"id": 3, "op": "explain", "doc": example("retry-storm"), "trace_events": 0, "request": 1}),
    );
    assert!(reply["error"].as_str().unwrap_or("").contains("metrics only"), "{reply}");
}

#[test]
fn code_is_written_for_each_target_and_a_bad_target_is_named() {
    let mut worker = Worker::default();
    let doc = example("all-six");
    let polly = ask(&mut worker, &json!({"id": 4, "op": "code", "doc": doc, "endpoint": 0, "target": "polly"}));
    assert!(polly["text"].as_str().unwrap_or("").contains("ResiliencePipelineBuilder"), "{polly}");
    let bad = ask(&mut worker, &json!({"id": 5, "op": "code", "doc": doc, "endpoint": 0, "target": "cobol"}));
    assert_eq!(bad["error"], "no code target named \"cobol\"");
    let far = ask(&mut worker, &json!({"id": 6, "op": "code", "doc": doc, "endpoint": 9, "target": "tower"}));
    assert_eq!(far["error"], "that endpoint does not exist");
}

#[test]
fn import_reads_a_resilience4j_file_and_refuses_broken_yaml_with_its_line() {
    let mut worker = Worker::default();
    let yaml = "resilience4j:\n  retry:\n    instances:\n      backendA:\n        maxAttempts: 4\n        waitDuration: 200ms\n        mystery: 1\n";
    let reply = ask(&mut worker, &json!({"id": 9, "op": "import", "text": yaml}));
    assert_eq!(reply["library"], "resilience4j", "{reply}");
    assert_eq!(reply["stacks"][0]["name"], "backendA", "{reply}");
    assert_eq!(reply["stacks"][0]["stack"][0]["retry"]["max_attempts"], 4, "{reply}");
    assert!(reply["unsupported"].to_string().contains("mystery"), "{reply}");
    let broken = ask(&mut worker, &json!({"id": 10, "op": "import", "text": "resilience4j:\n  retry: [\n"}));
    assert!(broken["error"].as_str().unwrap_or("").contains("line"), "{broken}");
}

#[test]
fn a_link_payload_decodes_to_the_same_document_and_view() {
    let doc = example("retry-storm");
    let view = json!({"endpoint": 0, "cursor_us": 5_000_000});
    let reply = ask(&mut Worker::default(), &json!({"id": 11, "op": "link", "doc": doc, "view": view}));
    let (decoded, shared) = link::decode_doc(reply["payload"].as_str().expect("payload")).expect("a valid link");
    assert_eq!(decoded, doc);
    assert_eq!(shared.cursor_us, 5_000_000);
}

#[test]
fn nonsense_gets_a_reason_not_a_panic() {
    let mut worker = Worker::default();
    let now_ms = || 0.0;
    for request in [
        "",
        "[]",
        "{\"op\": 3}",
        "{\"op\":\"explain\",\"request\":-1}",
        "{\"op\":\"analyse\",\"doc\":{\"version\":2}}",
        "{\"op\":\"teleport\"}",
    ] {
        let reply: Value = serde_json::from_str(&worker.handle(request, &now_ms)).expect("JSON");
        assert!(reply["error"].as_str().is_some_and(|e| !e.is_empty()), "{request} → {reply}");
    }
}

#[test]
fn exports_come_from_the_same_run_as_the_analysis() {
    let mut worker = Worker::default();
    let doc = example("retry-storm");
    let csv = ask(
        &mut worker,
        &json!({"id": 1, "op": "export", "doc": doc, "trace_events": 1_000_000, "format": "trace-csv"}),
    );
    let text = csv["text"].as_str().expect("text");
    assert!(text.lines().count() > 1000, "one line per trace record");
    let metrics = ask(
        &mut worker,
        &json!({"id": 2, "op": "export", "doc": doc, "trace_events": 1_000_000, "format": "metrics-csv"}),
    );
    assert!(metrics["text"].as_str().is_some_and(|t| t.lines().count() > 10));
    let json_text = ask(
        &mut worker,
        &json!({"id": 3, "op": "export", "doc": doc, "trace_events": 1_000_000, "format": "trace-json"}),
    );
    let trace: Value = serde_json::from_str(json_text["text"].as_str().expect("text")).expect("the trace as JSON");
    assert_eq!(trace["events"].as_array().map(Vec::len), Some(text.lines().count() - 1), "{}", &text[..200]);
    let metrics_only =
        ask(&mut worker, &json!({"id": 4, "op": "export", "doc": doc, "trace_events": 0, "format": "trace-csv"}));
    assert_eq!(metrics_only["error"], "this run keeps metrics only, so it has no trace to export");
    let bad = ask(&mut worker, &json!({"id": 5, "op": "export", "doc": doc, "trace_events": 0, "format": "xlsx"}));
    assert_eq!(bad["error"], "no export format named \"xlsx\"");
}

#[test]
fn an_imported_value_out_of_range_is_named_by_its_path_in_the_scenario() {
    let yaml = "resilience4j:\n  circuitbreaker:\n    instances:\n      a:\n        failureRateThreshold: 250\n";
    let reply = ask(
        &mut Worker::default(),
        &json!({"id": 1, "op": "import", "text": yaml, "doc": example("all-six"), "endpoint": 0}),
    );
    let problem = reply["stacks"][0]["problem"].as_str().unwrap_or_default();
    assert!(problem.starts_with("endpoints[0].stack[0].circuit_breaker.failure_rate"), "{reply}");
    let fine = "resilience4j:\n  circuitbreaker:\n    instances:\n      a:\n        failureRateThreshold: 25\n";
    let reply = ask(
        &mut Worker::default(),
        &json!({"id": 2, "op": "import", "text": fine, "doc": example("all-six"), "endpoint": 0}),
    );
    assert_eq!(reply["stacks"][0]["problem"], Value::Null, "{reply}");
}

#[test]
fn a_document_comes_back_indented_and_unchanged() {
    let doc = example("all-six");
    let reply = ask(&mut Worker::default(), &json!({"id": 1, "op": "pretty", "doc": doc}));
    let text = reply["text"].as_str().expect("text");
    assert!(text.starts_with("{\n  \""), "{text}");
    assert_eq!(serde_json::from_str::<Value>(text).expect("JSON"), doc);
}
