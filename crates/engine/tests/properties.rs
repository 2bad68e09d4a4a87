#![cfg(not(target_arch = "wasm32"))]
//! Property tests: no input makes the engine panic, and generated scenarios keep the
//! invariants (every request ends once, bulkheads within limits, half-open permits within
//! the setting, time never goes backwards, attempts within the retry limits).

mod common;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use resilience_engine::{RunOptions, Scenario, examples, run};
use serde_json::{Value, json};

/// `cases` generated cases per property, after the saved failures of
/// `tests/properties.proptest-regressions` (replayed first; a new failure is saved there).
fn config(cases: u32) -> ProptestConfig {
    let persistence = FileFailurePersistence::WithSource("proptest-regressions");
    ProptestConfig { cases, failure_persistence: Some(Box::new(persistence)), ..ProptestConfig::default() }
}

/// Runs a scenario if it is valid, with bounds that keep each case quick.
fn run_if_valid(json: &str) {
    if let Ok(scenario) = Scenario::from_json(json) {
        let options = RunOptions { max_events: 200_000, ..RunOptions::full_trace(500_000) };
        let _ = run(&scenario, &options);
    }
}

/// A value to plant in a document: junk of every JSON type.
fn junk() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Value::from),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(1e300)),
        Just(json!("0s")),
        Just(json!("-5ms")),
        Just(json!("NaN")),
        Just(json!("99999h")),
        Just(json!("<script>alert(1)</script>")),
        ".{0,12}".prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
    ]
}

/// Replaces the `pick`-th node (in document order) of `doc` with `value`, or removes it.
fn mutate(doc: &mut Value, pick: usize, value: Value, remove: bool) {
    fn walk(node: &mut Value, pick: &mut usize, value: &Value, remove: bool) -> bool {
        let keys: Vec<String> = match node {
            Value::Object(map) => map.keys().cloned().collect(),
            Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
            _ => return false,
        };
        for key in keys {
            if *pick == 0 {
                match node {
                    Value::Object(map) if remove => {
                        map.remove(&key);
                    }
                    Value::Object(map) => {
                        map.insert(key, value.clone());
                    }
                    Value::Array(items) => {
                        items[key.parse::<usize>().unwrap_or(0)] = value.clone();
                    }
                    _ => {}
                }
                return true;
            }
            *pick -= 1;
            let child = match node {
                Value::Object(map) => map.get_mut(&key),
                Value::Array(items) => items.get_mut(key.parse::<usize>().unwrap_or(0)),
                _ => None,
            };
            if child.is_some_and(|c| walk(c, pick, value, remove)) {
                return true;
            }
        }
        false
    }
    let mut pick = pick;
    walk(doc, &mut pick, &value, remove);
}

fn layer() -> impl Strategy<Value = Value> {
    prop_oneof![
        (1u32..5, 0u64..300, prop::bool::ANY, 0usize..5).prop_map(|(n, ms, jitter, budget)| {
            let budgets = [json!("none"), json!({ "tps": { "ttl": "2s", "min_per_sec": 1 } }), json!({ "envoy": {} }),
                json!({ "aws": { "capacity": 40 } }), json!({ "aws": { "capacity": 40, "shared": "all" } })];
            json!({ "retry": {
                "max_attempts": n, "backoff": { "exponential": { "initial": format!("{}ms", ms + 1), "multiplier": 2.0 } },
                "jitter": if jitter { "full" } else { "none" }, "retry_on": ["5xx", "timeout", "429", "rejected"],
                "budget": budgets[budget].clone() } })
        }),
        (1u64..800).prop_map(|ms| json!({ "timeout": { "timeout": format!("{ms}ms") } })),
        (1u32..30, 0u64..200, prop::option::of(0u32..20)).prop_map(|(max, wait, queue)| {
            let mut b = json!({ "bulkhead": { "max_concurrent": max, "max_wait": format!("{wait}ms") } });
            if let Some(q) = queue { b["bulkhead"]["queue"] = q.into(); }
            b
        }),
        (1u32..40, 1u32..100, 1u32..10, prop::bool::ANY, prop::option::of(1u32..5)).prop_map(|(window, min, permitted, at_or_after, consecutive)| {
            let mut b = json!({ "circuit_breaker": { "window": { "count": window }, "minimum_calls": min, "wait_open": "500ms",
                "permitted_half_open": permitted, "open_boundary": if at_or_after { "at_or_after" } else { "strictly_after" },
                "slow_call_duration": "200ms", "slow_call_rate": 80, "max_wait_half_open": "2s" } });
            if let Some(n) = consecutive { b["circuit_breaker"]["consecutive_failures"] = n.into(); }
            b
        }),
        (1u64..5_000, 1u32..50, prop::bool::ANY).prop_map(|(ttl, cap, stale)| json!({ "cache": {
            "ttl": format!("{ttl}ms"), "capacity": cap, "serve_stale": stale } })),
        prop_oneof![Just("static"), Just("stale_cache")].prop_map(|a| json!({ "fallback": { "action": a } })),
        Just(json!({ "fallback": { "action": { "service": "backup" } } })),
        (0usize..5, 1u32..50, 1u64..500, prop::option::of(0u64..300), 1u32..60, 0u32..20).prop_map(
            |(algorithm, limit, period_ms, wait_ms, burst, queue)| {
                let names = ["resilience4j", "token_bucket", "smooth", "bursty", "fixed_window"];
                let mut b = json!({ "rate_limiter": { "algorithm": names[algorithm], "limit": limit,
                    "period": format!("{period_ms}ms"), "burst": burst, "queue": queue } });
                if let Some(ms) = wait_ms { b["rate_limiter"]["max_wait"] = format!("{ms}ms").into(); }
                b
            }
        ),
        Just(json!({ "rate_limiter": { "algorithm": "bursty", "limit": 5, "period": "100ms", "shared": "pool" } })),
        (0usize..4, 0u64..200, 1u32..4).prop_map(|(mode, delay_ms, hedged)| {
            let mode = ["latency", "parallel", "fallback", "percentile"][mode];
            json!({ "hedging": { "mode": mode, "delay": format!("{delay_ms}ms"),
                "max_hedged_attempts": hedged, "min_data_points": 5, "period": "1s" } })
        }),
        (0usize..4, 1u32..30, 0u32..30, 0u32..60, 1u64..500).prop_map(|(algorithm, min, initial, extra, ms)| {
            let names = ["aimd", "gradient2", "vegas", "envoy_gradient"];
            json!({ "adaptive_limit": { "algorithm": names[algorithm], "min_limit": min, "initial_limit": min + initial / 2,
                "max_limit": min + initial + extra, "timeout": format!("{ms}ms"), "probe_multiplier": 1 + extra % 5,
                "update_interval": format!("{}ms", 1 + ms / 5), "min_rtt_interval": format!("{}ms", 10 * ms), "min_rtt_requests": 1 + extra } })
        }),
        (prop::bool::ANY, 1.0f64..4.0, 1u64..3_000, 0.0f64..=1.0, 0u32..20).prop_map(|(sre, k, window_ms, cap, min)| json!({ "throttle": {
            "rule": if sre { "sre" } else { "failsafe_go" }, "k": k, "window": format!("{window_ms}ms"),
            "max_rejection": cap, "min_requests": min } })),
    ]
}

/// A random but valid scenario: two services, one or two endpoints, random stacks and faults.
fn scenario() -> impl Strategy<Value = Value> {
    let stack = || prop::collection::vec(layer(), 0..6);
    (stack(), stack(), 1u64..400, 1u32..40, 0u64..1_000, prop::bool::ANY, any::<u64>(), 0.0f64..0.6).prop_map(
        |(first, second, rps, workers, outage_ms, closed, seed, error_rate)| {
            let cache = json!({ "cache": { "ttl": "1s" } });
            let fix = |mut s: Vec<Value>| {
                if s.iter().any(|l| l.get("fallback").is_some_and(|f| f["action"] == "stale_cache")) {
                    s.push(cache.clone());
                }
                s
            };
            let load = if closed { json!({ "closed": { "clients": 20, "think": "50ms" } }) } else { json!({ "poisson": { "rps": rps } }) };
            json!({
                "version": 2, "name": "generated", "seed": seed, "duration": "3s",
                "client": { "workers": workers * 3, "max_wait": "100ms" },
                "services": [
                    { "name": "main", "latency": { "lognormal": { "p50": "20ms", "p99": "300ms" } },
                      "capacity": { "concurrency": workers, "queue": workers * 2 },
                      "faults": [
                        { "outage": { "from": format!("{outage_ms}ms"), "to": format!("{}ms", outage_ms + 700) } },
                        { "errors": { "rate": error_rate } },
                        { "throttle": { "rps": 200, "retry_after": "100ms" } },
                        { "slowdown": { "from": "2s", "factor": 4 } }
                      ] },
                    { "name": "backup", "latency": { "uniform": { "min": "1ms", "max": "5ms" } } }
                ],
                "endpoints": [
                    { "name": "a", "service": "main", "load": load, "keys": { "zipf": { "count": 50, "s": 1.1 } }, "stack": fix(first) },
                    { "name": "b", "service": "main", "load": { "constant": { "rps": 50 } }, "stack": fix(second) }
                ]
            })
        },
    )
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn mutated_examples_never_panic(which in 0..examples::ALL.len(), pick in 0usize..400, value in junk(), remove in any::<bool>()) {
        let mut doc: Value = serde_json::from_str(examples::ALL[which].1).unwrap();
        mutate(&mut doc, pick, value, remove);
        run_if_valid(&doc.to_string());
    }

    #[test]
    fn random_text_never_panics(text in ".{0,300}") {
        run_if_valid(&text);
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(scenario) = Scenario::from_bytes(&bytes) {
            let _ = run(&scenario, &RunOptions { max_events: 200_000, ..RunOptions::default() });
        }
    }

    #[test]
    fn mutated_example_bytes_never_panic(which in 0..examples::ALL.len(), at in 0usize..4_000, byte in any::<u8>()) {
        let mut bytes = examples::ALL[which].1.as_bytes().to_vec();
        let at = at % bytes.len();
        bytes[at] = byte;
        let _ = Scenario::parse_bytes(&bytes);
    }

    #[test]
    fn truncated_examples_never_panic(which in 0..examples::ALL.len(), cut in 0usize..4_000) {
        let json = examples::ALL[which].1;
        let end = json.char_indices().map(|(i, _)| i).take_while(|i| *i <= cut).last().unwrap_or(0);
        run_if_valid(&json[..end]);
    }

    #[test]
    fn generated_scenarios_keep_the_invariants(doc in scenario()) {
        let scenario = Scenario::from_json(&doc.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let report = run(&scenario, &RunOptions::full_trace(2_000_000)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        common::check_invariants(&scenario, &report);
        let again = run(&scenario, &RunOptions::full_trace(2_000_000)).unwrap();
        prop_assert_eq!(report.digest, again.digest, "same scenario, same digest");
    }
}

/// The case saved in `properties.proptest-regressions` (seed `cc d93f7dc3…`), written out, so
/// it runs even if the generator changes and the seed no longer draws it.
#[test]
fn the_saved_regression_case_keeps_the_invariants() {
    let doc = json!({
        "version": 2, "name": "generated", "seed": 6_700_849_487_827_925_555_u64, "duration": "3s",
        "client": { "workers": 3, "max_wait": "100ms" },
        "services": [
            { "name": "main", "latency": { "lognormal": { "p50": "20ms", "p99": "300ms" } },
              "capacity": { "concurrency": 1, "queue": 2 },
              "faults": [
                { "outage": { "from": "621ms", "to": "1321ms" } },
                { "errors": { "rate": 0.0 } },
                { "throttle": { "rps": 200, "retry_after": "100ms" } },
                { "slowdown": { "from": "2s", "factor": 4 } }
              ] },
            { "name": "backup", "latency": { "uniform": { "min": "1ms", "max": "5ms" } } }
        ],
        "endpoints": [
            { "name": "a", "service": "main", "load": { "poisson": { "rps": 2 } }, "keys": { "zipf": { "count": 50, "s": 1.1 } },
              "stack": [
                { "timeout": { "timeout": "1ms" } },
                { "circuit_breaker": { "window": { "count": 1 }, "minimum_calls": 1, "wait_open": "500ms",
                    "permitted_half_open": 1, "open_boundary": "strictly_after", "slow_call_duration": "200ms",
                    "slow_call_rate": 80, "max_wait_half_open": "2s" } }
              ] },
            { "name": "b", "service": "main", "load": { "constant": { "rps": 50 } }, "stack": [] }
        ]
    });
    let scenario = Scenario::from_json(&doc.to_string()).expect("the saved case is valid");
    let report = run(&scenario, &RunOptions::full_trace(2_000_000)).expect("runs");
    common::check_invariants(&scenario, &report);
}

#[test]
fn valid_scenarios_survive_a_json_round_trip() {
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&scenario(), |doc| {
            let scenario = Scenario::from_json(&doc.to_string()).unwrap();
            prop_assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
            Ok(())
        })
        .unwrap();
}

mod links {
    use super::*;
    use resilience_engine::scenario::link::{SharedView, decode, encode};

    proptest! {
        #![proptest_config(config(64))]

        #[test]
        fn any_valid_scenario_survives_a_link_round_trip(doc in scenario(), cursor in any::<u64>(), request in prop::option::of(any::<u32>())) {
            let scenario = Scenario::from_json(&doc.to_string()).unwrap();
            let view = SharedView { endpoint: 1, request, cursor_us: cursor, window: Some([1, 2]), panels: vec!["timeline".into()] };
            let link = encode(&scenario, &view);
            prop_assert_eq!(decode(&link), Ok((scenario, view)));
        }

        #[test]
        fn random_text_never_panics_the_decoder(text in ".{0,400}") {
            let _ = decode(&text);
        }

        #[test]
        fn deflated_junk_never_panics_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            use base64::Engine as _;
            let deflated = miniz_oxide::deflate::compress_to_vec(&bytes, 6);
            let _ = decode(&format!("z1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated)));
            let _ = decode(&format!("j1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)));
        }

        #[test]
        fn mutated_links_never_panic_the_decoder(which in 0..examples::ALL.len(), at in 0usize..2_000, byte in any::<u8>(), cut in any::<bool>()) {
            let scenario = Scenario::from_json(examples::ALL[which].1).unwrap();
            let mut link = encode(&scenario, &SharedView::default()).into_bytes();
            let at = at % link.len();
            if cut { link.truncate(at) } else { link[at] = byte }
            let _ = decode(&String::from_utf8_lossy(&link));
        }
    }
}
