#![cfg(not(target_arch = "wasm32"))]
//! Adversarial scenarios, tried as an attacker would: zero times, nested retries, huge fan-out,
//! huge key spaces, long timeouts around fast calls, hostile JSON and links. Each must end
//! quickly with a clear outcome: refused up front with a message naming the fields, a
//! `RunError` naming the scenario, seed and bound, or a normal report.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use resilience_engine::scenario::link;
use resilience_engine::sim::Bound;
use resilience_engine::{RunError, RunOptions, Scenario, run};
use serde_json::{Value, json};

/// Generous even for a debug build on a busy machine; the cases take well under a second.
const QUICK: Duration = Duration::from_secs(20);

/// A one-service, one-endpoint document with `load`, `latency` and `stack`.
fn doc(duration: &str, load: Value, latency: &str, stack: Value) -> Value {
    json!({
        "version": 2,
        "name": "attack",
        "seed": 7,
        "duration": duration,
        "services": [ { "name": "s", "latency": { "constant": latency } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": load, "stack": stack } ]
    })
}

/// Runs `f`, checking that it ends within [`QUICK`] of wall-clock time (the one place a test
/// needs the real clock: the point is how long the engine works, not what it simulates).
#[allow(clippy::disallowed_methods)]
fn quickly<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    assert!(started.elapsed() < QUICK, "{what} took {:?}", started.elapsed());
    result
}

/// The validation error of `document` (which must be refused), as text.
fn refused(document: &Value) -> String {
    quickly("validation", || Scenario::from_json(&document.to_string()).expect_err("should be refused").to_string())
}

/// The run error of `document` (which must be valid) under `options`.
fn stopped(document: &Value, options: &RunOptions) -> RunError {
    let scenario = Scenario::from_json(&document.to_string()).expect("valid");
    quickly("run", || run(&scenario, options).expect_err("should stop at a bound"))
}

fn assert_bound(error: &RunError, expected: Bound) {
    match error {
        RunError::Bound { scenario, seed, bound, .. } => {
            assert_eq!((scenario.as_str(), *seed, *bound), ("attack", 7, expected), "{error}");
            let text = error.to_string();
            assert!(text.contains("\"attack\"") && text.contains("seed 7"), "{text}");
        }
        other => panic!("expected {expected:?}, got {other}"),
    }
}

#[test]
fn a_closed_loop_with_zero_think_and_zero_latency_stops_at_its_request_bound() {
    let document = doc("10s", json!({ "closed": { "clients": 5, "think": "0s" } }), "0s", json!([]));
    let error = stopped(&document, &RunOptions::default());
    assert_bound(&error, Bound::Arrivals);
    assert!(error.to_string().contains("think"), "{error}");
}

#[test]
fn time_that_does_not_advance_is_caught_by_the_progress_guard() {
    let document = doc("10s", json!({ "closed": { "clients": 5, "think": "0s" } }), "0s", json!([]));
    let options = RunOptions { stalled_events_max: 1_000, ..RunOptions::default() };
    let error = stopped(&document, &options);
    assert_bound(&error, Bound::Stalled);
    assert!(error.to_string().contains("time does not advance"), "{error}");
}

#[test]
fn nested_retries_are_refused_with_the_layers_that_multiply() {
    let retry = json!({ "retry": { "max_attempts": 100, "backoff": { "constant": { "delay": "1ms" } } } });
    let stack: Vec<Value> = (0..16).map(|_| retry.clone()).collect();
    let document = doc("10s", json!({ "times": ["0s"] }), "1ms", stack.into());
    let error = refused(&document);
    assert!(error.starts_with("endpoints[0].stack: "), "{error}");
    assert!(error.contains("stack[0].retry (×100) × stack[1].retry (×100)"), "{error}");
    assert!(error.contains("the limit of 100 million"), "{error}");
}

#[test]
fn huge_fan_out_is_refused_by_its_request_estimate() {
    let mut document = doc("60s", json!({ "poisson": { "rps": 100_000 } }), "1ms", json!([]));
    let endpoint = document["endpoints"][0].clone();
    document["endpoints"] = (0..16)
        .map(|i| {
            let mut e = endpoint.clone();
            e["name"] = format!("e{i}").into();
            e
        })
        .collect::<Vec<_>>()
        .into();
    let error = refused(&document);
    assert!(error.starts_with("endpoints: the load asks for about 96 million requests"), "{error}");
}

#[test]
fn many_caches_over_a_huge_key_space_are_refused_by_their_total() {
    let cache = json!({ "cache": { "ttl": "1h", "capacity": 1_000_000 } });
    let stack: Vec<Value> = (0..16).map(|_| cache.clone()).collect();
    let mut document = doc("1s", json!({ "times": ["0s"] }), "1ms", stack.into());
    document["endpoints"][0]["keys"] = json!({ "uniform": { "count": 1_000_000 } });
    let error = refused(&document);
    assert!(error.contains(".cache.capacity: the caches could hold 16000000 entries"), "{error}");
    let mut document =
        doc("1s", json!({ "times": ["0s"] }), "1ms", vec![json!({ "cache": { "ttl": "1h" } }); 16].into());
    let endpoint = document["endpoints"][0].clone();
    document["endpoints"] = (0..2)
        .map(|i| {
            let mut e = endpoint.clone();
            e["name"] = format!("e{i}").into();
            e["keys"] = json!({ "uniform": { "count": 1_000_000 } });
            e
        })
        .collect::<Vec<_>>()
        .into();
    let error = refused(&document);
    assert!(
        error.starts_with("endpoints[1].stack[0].cache: the cache layers index more than 16000000 keys"),
        "{error}"
    );
}

#[test]
fn caches_within_the_total_allocate_as_keys_arrive() {
    let cache = json!({ "cache": { "ttl": "1h", "capacity": 250_000 } });
    let stack: Vec<Value> = (0..16).map(|_| cache.clone()).collect();
    let mut document = doc("1s", json!({ "poisson": { "rps": 16 } }), "1ms", stack.into());
    document["endpoints"][0]["keys"] = json!({ "uniform": { "count": 1_000_000 } });
    let scenario = Scenario::from_json(&document.to_string()).expect("valid");
    let report = quickly("16 caches over a million keys", || run(&scenario, &RunOptions::default())).expect("runs");
    assert_eq!(report.summary.unfinished, 0);
}

#[test]
fn a_long_timeout_around_many_fast_calls_stops_at_the_pending_events_bound() {
    let stack = json!([{ "timeout": { "timeout": "1h" } }]);
    let document = doc("60s", json!({ "poisson": { "rps": 100_000 } }), "1us", stack);
    let options = RunOptions { pending_events_max: 20_000, ..RunOptions::default() };
    let error = stopped(&document, &options);
    assert_bound(&error, Bound::PendingEvents);
    assert!(error.to_string().contains("shorten the timeouts"), "{error}");
}

#[test]
fn cancelled_timers_are_swept_out_so_a_long_timeout_around_fast_calls_completes() {
    let stack = json!([{ "timeout": { "timeout": "1h" } }]);
    let document = doc("20s", json!({ "poisson": { "rps": 2_000 } }), "1ms", stack);
    let scenario = Scenario::from_json(&document.to_string()).expect("valid");
    let tight = RunOptions { pending_events_max: 20_000, ..RunOptions::default() };
    let error = quickly("without sweeping", || run(&scenario, &tight)).expect_err("40 000 stale timers");
    assert_bound(&error, Bound::PendingEvents);
    let swept = RunOptions { queue_compact_min: 1_000, ..tight };
    let report = quickly("with sweeping", || run(&scenario, &swept)).expect("the live timers fit");
    assert_eq!(report.summary.unfinished, 0);
    let unswept = run(&scenario, &RunOptions::default()).expect("runs");
    assert_eq!(report.digest, unswept.digest, "sweeping changes nothing but memory");
}

#[test]
fn sweeping_cancelled_timers_leaves_every_example_bit_identical() {
    for (name, json) in resilience_engine::examples::ALL {
        let scenario = Scenario::from_json(json).expect("example");
        let plain = run(&scenario, &RunOptions::full_trace(2_000_000)).expect("runs");
        let swept = RunOptions { queue_compact_min: 64, ..RunOptions::full_trace(2_000_000) };
        let swept = run(&scenario, &swept).expect("runs");
        assert_eq!(plain.digest, swept.digest, "{name}");
        assert_eq!(format!("{:?}", plain.summary), format!("{:?}", swept.summary), "{name}");
        assert_eq!(format!("{:?}", plain.metrics), format!("{:?}", swept.metrics), "{name}");
    }
}

#[test]
fn millions_of_calls_in_flight_are_refused_up_front() {
    let document = doc("60s", json!({ "poisson": { "rps": 100_000 } }), "1h", json!([]));
    let error = refused(&document);
    assert!(error.starts_with("endpoints[0].load.poisson.rps: about 360 million calls could be in flight"), "{error}");
    assert!(error.contains("180.0× the limit of 2 million"), "{error}");
    let capped =
        doc("60s", json!({ "poisson": { "rps": 100_000 } }), "1h", json!([{ "timeout": { "timeout": "1s" } }]));
    Scenario::from_json(&capped.to_string()).expect("an outermost timeout bounds the calls in flight");
}

#[test]
fn calls_in_flight_are_capped_during_the_run() {
    // Explicit times are counted, not paced, so only the run can catch them piling up.
    let times = vec!["0s"; 30_000];
    let document = doc("60s", json!({ "times": times }), "1h", json!([]));
    let options = RunOptions { calls_in_flight_max: 20_000, ..RunOptions::default() };
    let error = stopped(&document, &options);
    assert_bound(&error, Bound::CallsInFlight);
}

#[test]
fn retries_within_the_limits_end_quickly() {
    let retry = json!({ "retry": { "max_attempts": 100, "backoff": { "constant": { "delay": "1ms" } } } });
    let mut document = doc("1s", json!({ "times": ["0s"] }), "1ms", json!([retry.clone(), retry]));
    document["services"][0]["faults"] = json!([{ "outage": {} }]);
    let scenario = Scenario::from_json(&document.to_string()).expect("valid");
    let report = quickly("10 000 attempts", || run(&scenario, &RunOptions::default())).expect("runs");
    assert_eq!(report.summary.total.attempts, 10_000);
}

#[test]
fn hostile_json_is_refused_with_words_a_user_can_act_on() {
    let cases: Vec<(String, &str)> = vec![
        ("[1, 2, 3]".into(), "a scenario is a JSON object"),
        (format!("[{}", "[".repeat(100_000)), "a scenario is a JSON object"),
        // Deep nesting is refused where the typed reader first meets it, without recursing.
        (format!("{{\"name\":{}", "[".repeat(100_000)), "name: invalid type: sequence"),
        (format!("{{\"services\":[{{\"faults\":{}", "[{\"x\":".repeat(50_000)), "services[0].faults[0]"),
        (format!("{{\"x\":{}", "[".repeat(100_000)), "unknown field `x`"),
        (String::new(), "the file is empty"),
        (r#"{"version": 7, "warp": 9}"#.into(), "made by a newer version (v7); this one reads up to v2"),
    ];
    for (json, words) in cases {
        let error = quickly("parse", || Scenario::from_json(&json)).expect_err("refused");
        assert!(error.to_string().contains(words), "{json:.40}: {error}");
    }
}

#[test]
fn huge_links_are_too_large_before_any_work() {
    let long = format!("z1.{}", "A".repeat(4 * 1024 * 1024));
    let error = quickly("long link", || link::decode(&long)).unwrap_err();
    assert!(error.0.contains("too large"), "{error}");
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'['; 9 * 1024 * 1024], 9);
    let bomb = format!("z1.{}", URL_SAFE_NO_PAD.encode(bomb));
    let error = quickly("zip bomb", || link::decode(&bomb)).unwrap_err();
    assert!(error.0.contains("too large"), "{error}");
    let nested = format!("j1.{}", URL_SAFE_NO_PAD.encode(format!("{{\"scenario\":{}", "[".repeat(100_000))));
    let error = quickly("nested link", || link::decode(&nested)).unwrap_err();
    assert!(error.0.contains("damaged") || error.0.contains("not valid"), "{error}");
}
