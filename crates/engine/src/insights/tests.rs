//! Each insight on a scenario that triggers it and on one that must not.

use serde_json::{Value, json};

use super::*;
use crate::{RunOptions, run};

/// A 10 s scenario: one service (`service` fields merged in), one endpoint with `load` and `stack`.
fn scenario(service: Value, load: Value, stack: Value) -> Scenario {
    let mut doc = json!({
        "version": 2, "name": "insights", "duration": "10s",
        "services": [ { "name": "s", "latency": { "constant": "10ms" } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": load, "stack": stack } ]
    });
    if let (Value::Object(s), Value::Object(extra)) = (&mut doc["services"][0], service) {
        s.extend(extra);
    }
    Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{e}"))
}

/// The ids of the insights about a scenario, with the layer each concerns.
fn found(scenario: &Scenario) -> Vec<(&'static str, Option<usize>)> {
    let report = run(scenario, &RunOptions::default()).unwrap();
    insights(scenario, &report).into_iter().map(|i| (i.id, i.layer)).collect()
}

fn rps(n: u32) -> Value {
    json!({ "constant": { "rps": n } })
}

/// The insights of one scenario, with `id` among them or not.
fn has(scenario: &Scenario, id: &str) -> bool {
    found(scenario).iter().any(|(found, _)| *found == id)
}

#[test]
fn retries_outside_a_breaker_feed_it_every_attempt() {
    let retry = json!({ "retry": { "max_attempts": 3 } });
    let breaker = json!({ "circuit_breaker": { "minimum_calls": 30 } });
    let outside = scenario(json!({}), rps(5), json!([retry, breaker]));
    let report = run(&outside, &RunOptions::default()).unwrap();
    let insight = insights(&outside, &report).into_iter().find(|i| i.id == "retries_through_breaker").unwrap();
    assert_eq!(insight.layer, Some(1));
    assert!(insight.message.contains("after about 10 calls instead of 30"), "{}", insight.message);
    let fix = insight.fix.unwrap();
    assert_eq!(fix.edits[0].0, "/endpoints/0/stack");
    assert!(fix.edits[0].1[0].get("circuit_breaker").is_some(), "the breaker first: {}", fix.edits[0].1);
    assert!(!has(&scenario(json!({}), rps(5), json!([breaker, retry])), "retries_through_breaker"));
}

#[test]
fn a_timeout_around_a_retry_that_outwaits_it() {
    let retry = json!({ "retry": { "max_attempts": 3, "backoff": { "constant": { "delay": "500ms" } } } });
    let cut = scenario(json!({}), rps(5), json!([{ "timeout": { "timeout": "800ms" } }, retry]));
    assert!(found(&cut).contains(&("timeout_cuts_retries", Some(0))));
    let room = scenario(json!({}), rps(5), json!([{ "timeout": { "timeout": "2s" } }, retry]));
    assert!(!has(&room, "timeout_cuts_retries"));
}

#[test]
fn a_per_attempt_timeout_no_shorter_than_the_whole_call() {
    let stack = |inner: &str| {
        json!([{ "timeout": { "timeout": "1s" } }, { "retry": { "max_attempts": 2, "backoff": { "constant": { "delay": "10ms" } } } },
            { "timeout": { "timeout": inner } }])
    };
    let report_of = |s: &Scenario| insights(s, &run(s, &RunOptions::default()).unwrap());
    let long = scenario(json!({}), rps(5), stack("1s"));
    let insight = report_of(&long).into_iter().find(|i| i.id == "attempt_timeout_too_long").unwrap();
    assert_eq!(insight.layer, Some(2));
    assert_eq!(insight.fix.unwrap().edits, vec![("/endpoints/0/stack/2/timeout/timeout".to_owned(), json!("500ms"))]);
    assert!(!has(&scenario(json!({}), rps(5), stack("300ms")), "attempt_timeout_too_long"));
}

#[test]
fn retries_at_several_layers_multiply() {
    let retry = |n: u32| json!({ "retry": { "max_attempts": n, "jitter": "full" } });
    let three = scenario(json!({}), rps(5), json!([retry(3), retry(3), retry(3)]));
    let report = run(&three, &RunOptions::default()).unwrap();
    let insight = insights(&three, &report).into_iter().find(|i| i.id == "retries_multiply").unwrap();
    assert!(insight.message.contains("3 × 3 × 3 = 27"), "{}", insight.message);
    assert_eq!(insight.fix.unwrap().edits.len(), 2, "all but the innermost switched off");
    assert!(!has(&scenario(json!({}), rps(5), json!([retry(3)])), "retries_multiply"));
}

#[test]
fn a_bulkhead_larger_than_the_service() {
    let capacity = json!({ "capacity": { "concurrency": 10, "queue": 5 } });
    let big = scenario(capacity.clone(), rps(5), json!([{ "bulkhead": { "max_concurrent": 50 } }]));
    assert!(found(&big).contains(&("bulkhead_over_capacity", Some(0))));
    assert!(!has(
        &scenario(capacity, rps(5), json!([{ "bulkhead": { "max_concurrent": 15 } }])),
        "bulkhead_over_capacity"
    ));
}

#[test]
fn a_breaker_that_never_reaches_its_minimum() {
    let breaker = json!([{ "circuit_breaker": { "window": { "seconds": 10 }, "minimum_calls": 100 } }]);
    assert!(has(&scenario(json!({}), rps(5), breaker.clone()), "breaker_never_judges"), "50 calls a window < 100");
    assert!(!has(&scenario(json!({}), rps(20), breaker), "breaker_never_judges"), "200 calls a window");
}

#[test]
fn many_callers_without_jitter() {
    let retry = |jitter: &str| json!([{ "retry": { "max_attempts": 3, "jitter": jitter } }]);
    assert!(has(&scenario(json!({}), rps(50), retry("none")), "no_jitter"));
    assert!(!has(&scenario(json!({}), rps(50), retry("full")), "no_jitter"));
    assert!(!has(&scenario(json!({}), rps(2), retry("none")), "no_jitter"), "two callers a second");
}

#[test]
fn stale_answers_that_end_before_the_outage() {
    let outage = json!({ "faults": [ { "outage": { "from": "2s", "to": "8s" } } ] });
    let cache = |extra: Value| {
        let mut c = json!({ "ttl": "1s" });
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!([{ "cache": c }])
    };
    assert!(has(&scenario(outage.clone(), rps(5), cache(json!({}))), "stale_shorter_than_outage"), "no stale answers");
    let short = cache(json!({ "serve_stale": true, "max_staleness": "3s" }));
    assert!(has(&scenario(outage.clone(), rps(5), short), "stale_shorter_than_outage"));
    let covers = cache(json!({ "serve_stale": true, "max_staleness": "6s" }));
    assert!(!has(&scenario(outage, rps(5), covers.clone()), "stale_shorter_than_outage"));
    assert!(!has(&scenario(json!({}), rps(5), covers), "stale_shorter_than_outage"), "no outage");
}

#[test]
fn a_hedge_that_fires_before_the_median() {
    let service = json!({ "latency": { "lognormal": { "p50": "40ms", "p99": "200ms" } } });
    let hedge = |delay: &str| json!([{ "hedging": { "delay": delay } }]);
    assert!(has(&scenario(service.clone(), rps(5), hedge("20ms")), "hedge_below_median"));
    assert!(!has(&scenario(service, rps(5), hedge("100ms")), "hedge_below_median"));
}

#[test]
fn every_fix_is_a_valid_change_that_removes_its_insight() {
    let cases = [
        json!([{ "retry": { "max_attempts": 3 } }, { "circuit_breaker": {} }]),
        json!([{ "retry": { "max_attempts": 3, "jitter": "full" } }, { "retry": { "max_attempts": 2, "jitter": "full" } }]),
        json!([{ "circuit_breaker": { "window": { "seconds": 10 }, "minimum_calls": 100 } }]),
        json!([{ "hedging": { "delay": "1ms" } }]),
    ];
    for stack in cases {
        let before = scenario(json!({}), rps(5), stack.clone());
        let report = run(&before, &RunOptions::default()).unwrap();
        let mut doc = serde_json::to_value(&before).unwrap();
        let mut fixed_ids = Vec::new();
        for insight in insights(&before, &report) {
            for (at, value) in insight.fix.expect("a fix").edits {
                *doc.pointer_mut(&at).unwrap_or_else(|| panic!("{at} exists")) = value;
            }
            fixed_ids.push(insight.id);
        }
        assert!(!fixed_ids.is_empty(), "{stack}");
        let after = Scenario::from_json(&doc.to_string()).expect("a fix keeps the scenario valid");
        let still = found(&after);
        assert!(fixed_ids.iter().all(|id| !still.iter().any(|(s, _)| s == id)), "{stack}: {still:?}");
    }
}
