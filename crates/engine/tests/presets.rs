#![cfg(not(target_arch = "wasm32"))]
//! Library presets (`semantics`): every preset is a valid layer of its kind, the plain defaults
//! are each kind's own library, written fields win, a scenario-wide library reaches the layers
//! that have it, bad words are named at their path, v1 documents keep their meaning, and the
//! conformance cases (`../shared/reference/conformance.md`) hold under their library's preset.

mod common;

use common::*;
use resilience_engine::catalog::LAYERS;
use resilience_engine::scenario::link;
use resilience_engine::sim::Outcome;
use resilience_engine::{Scenario, examples};
use serde_json::{Value, json};

/// A scenario document with one endpoint whose stack is `stack`, and `extra` top-level fields.
fn doc(stack: Value, extra: Value) -> Value {
    let mut doc = json!({
        "version": 2, "name": "presets", "duration": "10s",
        "services": [ { "name": "s", "latency": { "constant": "1ms" } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": { "constant": { "rps": 1 } }, "stack": stack } ]
    });
    if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
        doc.extend(extra);
    }
    doc
}

fn parse(doc: &Value) -> Scenario {
    Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{doc}: {e}"))
}

/// The fields a layer of `kind` must write.
fn required(kind: &str) -> Value {
    if kind == "cache" { json!({ "ttl": "1s" }) } else { json!({}) }
}

#[test]
fn every_preset_is_a_valid_layer_that_sets_what_it_says() {
    for spec in LAYERS {
        for preset in spec.presets {
            let mut named = required(spec.name);
            named["semantics"] = preset.library.word().into();
            let mut written = required(spec.name);
            let fields: Value = serde_json::from_str(preset.fields).expect("a preset is JSON");
            written.as_object_mut().unwrap().extend(fields.as_object().expect("an object").clone());
            let by_name = parse(&doc(json!([{ spec.name: named }]), json!({})));
            let by_hand = parse(&doc(json!([{ spec.name: written }]), json!({})));
            assert_eq!(by_name, by_hand, "{} {:?}", spec.name, preset.library);
            assert!(!preset.note.is_empty(), "{} {:?} says where its values come from", spec.name, preset.library);
        }
        let libraries: Vec<_> = spec.presets.iter().map(|p| p.library).collect();
        let mut unique = libraries.clone();
        unique.dedup();
        assert_eq!(libraries, unique, "{}: one preset per library", spec.name);
    }
}

#[test]
fn the_plain_defaults_are_each_kinds_own_library() {
    for spec in LAYERS {
        let Some(own) = spec.semantics else { continue };
        let preset = spec.preset(own).unwrap_or_else(|| panic!("{} has a preset of its own library", spec.name));
        assert_eq!(preset.fields, "{}", "{}", spec.name);
        let mut named = required(spec.name);
        named["semantics"] = own.word().into();
        let plain = parse(&doc(json!([{ spec.name: required(spec.name) }]), json!({})));
        assert_eq!(parse(&doc(json!([{ spec.name: named }]), json!({}))), plain, "{}", spec.name);
    }
}

#[test]
fn written_fields_win_and_the_other_spelling_counts_as_written() {
    let breaker = |scenario: &Scenario| match &scenario.endpoints[0].stack[0] {
        resilience_engine::scenario::Layer::CircuitBreaker(doc) => (doc.failure_rate, doc.wait_open.as_micros()),
        other => panic!("{other:?}"),
    };
    let polly = parse(&doc(json!([{ "circuit_breaker": { "semantics": "polly", "failure_rate": 25 } }]), json!({})));
    assert_eq!(breaker(&polly), (25.0, 5_000_000), "written 25 %, Polly's 5 s break");
    let retries = parse(&doc(json!([{ "retry": { "semantics": "polly", "max_retries": 5 } }]), json!({})));
    let resilience_engine::scenario::Layer::Retry(retry) = &retries.endpoints[0].stack[0] else { panic!() };
    assert_eq!((retry.max_attempts, retry.max_retries), (None, Some(5)), "no clash with the preset's max_attempts");
}

#[test]
fn a_scenario_wide_library_reaches_the_layers_that_have_it() {
    let stack = json!([{ "circuit_breaker": {} }, { "retry": {} }, { "adaptive_limit": {} },
        { "circuit_breaker": { "semantics": "resilience4j" } }]);
    let under_polly = parse(&doc(stack.clone(), json!({ "semantics": "polly" })));
    let expected = parse(&doc(
        json!([{ "circuit_breaker": { "semantics": "polly" } }, { "retry": { "semantics": "polly" } },
            { "adaptive_limit": {} }, { "circuit_breaker": {} }]),
        json!({}),
    ));
    assert_eq!(under_polly, expected, "Polly has no adaptive limit: that layer keeps its own defaults");
    assert_ne!(under_polly, parse(&doc(stack, json!({}))));
}

#[test]
fn a_bad_library_is_named_at_its_path() {
    let cases = [
        (
            json!([{ "circuit_breaker": { "semantics": "tower" } }]),
            json!({}),
            "endpoints[0].stack[0].circuit_breaker.semantics",
            "no tower preset; choose one of resilience4j, polly",
        ),
        (
            json!([{ "retry": { "semantics": "hystrix" } }]),
            json!({}),
            "endpoints[0].stack[0].retry.semantics",
            "unknown library `hystrix`; expected one of resilience4j",
        ),
        (json!([]), json!({ "semantics": 5 }), "semantics", "expected a library's name"),
        (
            json!([{ "circuit_breaker": { "semantics": "polly", "failure_rate": "x" } }]),
            json!({}),
            "endpoints[0].stack[0].circuit_breaker.failure_rate",
            "invalid type",
        ),
        (
            json!([{ "circuit_breaker": { "semantics": "polly", "failure_rate": 0 } }]),
            json!({}),
            "endpoints[0].stack[0].circuit_breaker.failure_rate",
            "between",
        ),
    ];
    for (stack, extra, path, words) in cases {
        let error = Scenario::from_json(&doc(stack, extra).to_string()).unwrap_err();
        assert_eq!(error.path, path, "{error}");
        assert!(error.message.contains(words) && !error.message.contains(" line "), "{error}");
    }
}

#[test]
fn a_v1_document_means_what_it_meant() {
    for (name, json) in examples::ALL {
        let v1 = json.replacen("\"version\": 2", "\"version\": 1", 1);
        assert_ne!(v1, *json, "{name} is a v2 document");
        assert_eq!(Scenario::from_json(&v1), Scenario::from_json(json), "{name}");
        let link = link::encode_doc(&serde_json::from_str(&v1).unwrap(), &link::SharedView::default());
        let (migrated, _) = link::decode_doc(&link).expect("an old link opens");
        assert_eq!(migrated["version"], 2, "{name}: the editor gets the migrated document");
        assert_eq!(Scenario::from_json(&migrated.to_string()), Scenario::from_json(json), "{name}");
    }
}

// ---- the conformance cases under their library's preset ---------------------------------------

/// One endpoint of `stack` against a service that fails every call.
fn always_failing(stack: &str) -> Vec<u64> {
    let report =
        run_full(&scenario_json(stack, r#", "faults": [ { "errors": { "rate": 1.0 } } ]"#, r#"{ "times": ["0s"] }"#));
    attempt_times_ms(&report)
}

/// C12 (resilience4j `Retry.ofDefaults`), C19 (Polly, linear 2 s), C30 (cockatiel
/// `maxAttempts: 5` = 6 calls), failsafe `RetryPolicy.ofDefaults()`, tower's backoff maker.
#[test]
fn retry_defaults_of_each_library() {
    assert_eq!(always_failing(r#"[ { "retry": { "semantics": "resilience4j" } } ]"#), [0, 500, 1_000]);
    let polly = r#"[ { "retry": { "semantics": "polly", "backoff": { "linear": { "delay": "2s" } } } } ]"#;
    assert_eq!(always_failing(polly), [0, 2_000, 6_000, 12_000]);
    assert_eq!(always_failing(r#"[ { "retry": { "semantics": "cockatiel", "max_retries": 5 } } ]"#).len(), 6);
    assert_eq!(always_failing(r#"[ { "retry": { "semantics": "failsafe" } } ]"#), [0, 0, 0]);
    assert_eq!(always_failing(r#"[ { "retry": { "semantics": "tower" } } ]"#), [0, 50, 150, 350]);
    let envoy = always_failing(r#"[ { "retry": { "semantics": "envoy" } } ]"#);
    assert!(envoy.len() == 2 && envoy[1] < 25, "one retry within 25 ms: {envoy:?}");
    let aws = always_failing(r#"[ { "retry": { "semantics": "aws" } } ]"#);
    assert!(aws.len() == 3 && aws[1] < 1_000 && aws[2] - aws[1] < 2_000, "full jitter on 1 s, 2 s: {aws:?}");
}

/// Runs `stack` against a service answering `outcomes` in turn, with calls at `times_s`.
fn scripted(stack: &str, outcomes: &str, times_s: &[f64]) -> resilience_engine::Report {
    let times: Vec<String> = times_s.iter().map(|t| format!("\"{}ms\"", (t * 1_000.0).round())).collect();
    let faults = format!(r#", "faults": [ {{ "sequence": {{ "outcomes": "{outcomes}" }} }} ]"#);
    let load = format!(r#"{{ "times": [{}] }}"#, times.join(", "));
    let json = format!(
        r#"{{ "version": 2, "name": "conformance", "duration": "120s",
            "services": [ {{ "name": "s", "latency": {{ "constant": "0ms" }} {faults} }} ],
            "endpoints": [ {{ "name": "e", "service": "s", "load": {load}, "stack": {stack} }} ] }}"#
    );
    run_full(&Scenario::from_json(&json).expect("valid"))
}

fn outcomes(report: &resilience_engine::Report) -> (u64, u64, u64) {
    let total = &report.summary.total;
    (count(total, Outcome::Success), count(total, Outcome::Failed), count(total, Outcome::RejectedByBreaker))
}

/// C22 (Polly `Flow_Closed_HalfOpen_Open_HalfOpen_Closed`): half-open exactly when the 5 s break
/// ends; a failed probe breaks for 5 s more; a call 1 ms later is refused.
#[test]
fn c22_polly_full_cycle() {
    let stack = r#"[ { "circuit_breaker": { "semantics": "polly", "minimum_calls": 2, "failure_rate": 50 } } ]"#;
    let report = scripted(stack, "F,F,F,S,S", &[0.0, 0.0, 5.0, 5.001, 15.001, 16.0]);
    assert_eq!(attempt_times_ms(&report), [0, 0, 5_000, 15_001, 16_000]);
    assert_eq!(outcomes(&report), (2, 3, 1));
}

/// C21 (Polly `OnActionFailure_WhenClosed`): breaks when throughput ≥ MinimumThroughput and the
/// failure rate ≥ FailureRatio, (10, 10, 0.1, 0.1) → yes; (10, 11, 0.1, 0.1) → no.
#[test]
fn c21_polly_break_predicate() {
    let times: Vec<f64> = (0..11).map(f64::from).collect();
    let breaker = |minimum: u32| {
        format!(r#"[ {{ "circuit_breaker": {{ "semantics": "polly", "minimum_calls": {minimum} }} }} ]"#)
    };
    let outcomes_9s_1f = "S,S,S,S,S,S,S,S,S,F,S";
    assert_eq!(outcomes(&scripted(&breaker(10), outcomes_9s_1f, &times)), (9, 1, 1), "breaks at 10 of 10");
    assert_eq!(outcomes(&scripted(&breaker(11), outcomes_9s_1f, &times)), (10, 1, 0), "10 calls < 11");
}

/// C25 (cockatiel `ConsecutiveBreaker(2)`, halfOpenAfter 1 s): opens on the second failure in a
/// row; a probe exactly 1 s later runs and closes the breaker.
#[test]
fn c25_cockatiel_consecutive_breaker() {
    let stack =
        r#"[ { "circuit_breaker": { "semantics": "cockatiel", "consecutive_failures": 2, "wait_open": "1s" } } ]"#;
    let report = scripted(stack, "F,F,S,S", &[0.0, 0.1, 0.2, 1.1, 1.2]);
    assert_eq!(attempt_times_ms(&report), [0, 100, 1_100, 1_200]);
    assert_eq!(outcomes(&report), (2, 2, 1));
}

/// failsafe `CircuitBreaker.ofDefaults()`: the first failure opens it for 1 min; a trial exactly
/// 60 s later runs, and its success closes it.
#[test]
fn failsafe_default_breaker() {
    let report =
        scripted(r#"[ { "circuit_breaker": { "semantics": "failsafe" } } ]"#, "F,S,S", &[0.0, 1.0, 60.0, 61.0]);
    assert_eq!(attempt_times_ms(&report), [0, 60_000, 61_000]);
    assert_eq!(outcomes(&report), (2, 1, 1));
}

/// C04 (resilience4j): at exactly the end of the open wait the breaker is still open.
#[test]
fn c04_resilience4j_open_wait_is_strict() {
    let stack = r#"[ { "circuit_breaker": { "semantics": "resilience4j", "minimum_calls": 2, "wait_open": "5s" } } ]"#;
    let report = scripted(stack, "F,F,S", &[0.0, 0.0, 5.0, 5.001]);
    assert_eq!(attempt_times_ms(&report), [0, 0, 5_001]);
    assert_eq!(outcomes(&report).2, 1);
}

/// C17 (resilience4j bulkhead of 2, no wait) and C31 (cockatiel `bulkhead(2, 2)`).
#[test]
fn bulkheads_of_each_library() {
    let run = |stack: &str| {
        let json = r#"{ "version": 2, "name": "bulkhead", "duration": "1s",
            "services": [ { "name": "s", "latency": { "sequence": ["0ms", "2ms", "4ms", "6ms", "8ms"] } } ],
            "endpoints": [ { "name": "e", "service": "s", "load": { "times": ["0s", "0s", "0s", "0s", "0s"] }, "stack": STACK } ] }"#;
        run_full(&Scenario::from_json(&json.replace("STACK", stack)).expect("valid"))
    };
    let r4j = run(r#"[ { "bulkhead": { "semantics": "resilience4j", "max_concurrent": 2 } } ]"#);
    assert_eq!(count(&r4j.summary.total, Outcome::RejectedByBulkhead), 3, "no waiting: 2 in, 3 refused");
    let cockatiel = run(r#"[ { "bulkhead": { "semantics": "cockatiel", "max_concurrent": 2, "queue": 2 } } ]"#);
    assert_eq!(count(&cockatiel.summary.total, Outcome::RejectedByBulkhead), 1);
    assert_eq!(attempt_times_ms(&cockatiel), [0, 0, 0, 2]);
}

/// A 20 s call: Polly's 30 s timeout lets it finish; resilience4j's 1 s and Envoy's 15 s do not.
#[test]
fn timeouts_of_each_library() {
    let timed_out = |library: &str| {
        let stack = format!(r#"[ {{ "timeout": {{ "semantics": "{library}" }} }} ]"#);
        let report = run_full(&scenario_json(
            &stack,
            r#", "faults": [ { "latency": { "add": "20s" } } ]"#,
            r#"{ "times": ["0s"] }"#,
        ));
        (count(&report.summary.total, Outcome::TimedOut), report.summary.total.latency.max_ms)
    };
    assert_eq!(timed_out("resilience4j"), (1, 1_000.0));
    assert_eq!(timed_out("envoy"), (1, 15_000.0));
    assert_eq!(timed_out("polly").0, 0);
}

/// 60 calls at once against 50 permits a second: tower makes the rest wait for the next window,
/// failsafe's smooth limiter (maxWaitTime 0) spaces permits 20 ms apart and refuses the rest.
#[test]
fn rate_limiters_of_each_library() {
    let run = |library: &str| {
        let stack = format!(r#"[ {{ "rate_limiter": {{ "semantics": "{library}" }} }} ]"#);
        let load = format!(r#"{{ "times": [{}] }}"#, vec!["\"0s\""; 60].join(", "));
        let report = run_full(&scenario_json(&stack, "", &load));
        (count(&report.summary.total, Outcome::Success), count(&report.summary.total, Outcome::RejectedByRateLimiter))
    };
    assert_eq!(run("tower"), (60, 0));
    assert_eq!(run("failsafe"), (1, 59));
    assert_eq!(run("resilience4j"), (60, 0), "resilience4j waits up to 5 s for the next cycle");
}

/// C13 (resilience4j `ofExponentialBackoff(500, 2.0)`): calls at t0, t500, t1500.
#[test]
fn c13_resilience4j_exponential_waits() {
    let stack = r#"[ { "retry": { "semantics": "resilience4j", "backoff": { "exponential": { "initial": "500ms", "multiplier": 2 } } } } ]"#;
    assert_eq!(always_failing(stack), [0, 500, 1_500]);
}

/// C01 (resilience4j base config, TIME_BASED window of 20 s): the sixth call (3 failures of 6
/// = 50 %) opens the breaker, the seventh is refused.
#[test]
fn c01_resilience4j_time_window_trips_at_fifty_percent() {
    let stack = r#"[ { "circuit_breaker": { "semantics": "resilience4j", "window": { "seconds": 20 }, "slow_call_rate": 50,
        "slow_call_duration": "4s", "minimum_calls": 5, "wait_open": "5s", "permitted_half_open": 4 } } ]"#;
    let report = scripted(stack, "S,S,S,F,F,F", &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(outcomes(&report), (3, 3, 1));
}

/// C27 (cockatiel `halfOpenSampling { calls: 10, threshold: 0.3 }`): three failures keep it
/// half-open, the seventh success closes it; a fourth failure re-opens it at once. Written as
/// 10 half-open calls of which 7 must succeed (open as soon as failures > 10 − 7).
#[test]
fn c27_cockatiel_half_open_sampling() {
    let stack = r#"[ { "circuit_breaker": { "semantics": "cockatiel", "consecutive_failures": 1, "wait_open": "1s",
        "permitted_half_open": 10, "half_open_successes": 7 } } ]"#;
    let probes: Vec<f64> = (0..11).map(|i| 1.0 + f64::from(i) * 0.1).collect();
    let times: Vec<f64> = core::iter::once(0.0).chain(probes.iter().copied()).collect();
    let closes = scripted(stack, "F,F,F,F,S,S,S,S,S,S,S,S", &times);
    assert_eq!(outcomes(&closes), (8, 4, 0), "3 failures then 7 successes close it; the 11th call runs closed");
    let reopens = scripted(stack, "F,F,F,F,F,S", &times);
    assert_eq!(outcomes(&reopens).1, 5, "the fourth half-open failure re-opens it");
    assert_eq!(outcomes(&reopens).2, 7, "so the remaining calls are refused");
}
