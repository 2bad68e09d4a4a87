#![cfg(not(target_arch = "wasm32"))]
//! Retry budgets in whole runs: each library's budget ends the retry storm that plain retries
//! cause, and a named budget is shared by the retry layers that name it.

mod common;

use common::*;
use resilience_engine::Scenario;
use serde_json::{Value, json};

fn with_budget(scenario: &Scenario, budget: Value) -> Scenario {
    let mut json = serde_json::to_value(scenario).unwrap();
    json["endpoints"][0]["stack"][0]["retry"]["budget"] = budget;
    serde_json::from_value(json).unwrap()
}

#[test]
fn a_retry_budget_stops_the_storm_plain_retries_cause() {
    let scenario = example("retry-storm");
    let good_after = |r: &resilience_engine::Report| sum_buckets(r, 40.0, 60.0, |b| b.good());
    let stormy = good_after(&run_full(&scenario));
    for budget in [json!({"tps": {}}), json!({"envoy": {}}), json!({"aws": {}})] {
        let budgeted = with_budget(&scenario, budget.clone());
        let report = run_full(&budgeted);
        check_invariants(&budgeted, &report);
        let calm = good_after(&report);
        assert!(calm > 5_000 && calm > 10 * stormy, "{budget}: {calm} good answers after, storm {stormy}");
        let refused: u64 = report
            .metrics
            .layers
            .iter()
            .filter(|l| l.kind == "retry")
            .flat_map(|l| &l.samples)
            .map(|s| u64::from(s.rejected))
            .sum();
        assert!(refused > 0, "{budget}: the summary shows the retries it refused");
        assert!(report.summary.total.amplification < 1.6, "{budget}: {}", report.summary.total.amplification);
    }
}

#[test]
fn retry_layers_naming_one_budget_share_it() {
    let quota = |name: &str| json!({"aws": {"capacity": 50, "shared": name}});
    let two_endpoints = |first: Value, second: Value| {
        let endpoint = |name: &str, budget: Value| {
            json!({"name": name, "service": "s", "load": {"constant": {"rps": 50}},
            "stack": [{"retry": {"max_attempts": 3, "backoff": {"constant": {"delay": "10ms"}}, "budget": budget}}]})
        };
        let json = json!({"version": 2, "name": "shared budget", "seed": 3, "duration": "10s",
            "services": [{"name": "s", "latency": {"constant": "5ms"}, "faults": [{"outage": {"from": "0s"}}]}],
            "endpoints": [endpoint("a", first), endpoint("b", second)]});
        let scenario: Scenario = serde_json::from_value(json).unwrap();
        let report = run_full(&scenario);
        check_invariants(&scenario, &report);
        report.summary.total.amplification
    };
    // Every call fails: each budget allows 10 retries of cost 5 and never gets a refund.
    let separate = two_endpoints(quota("a"), quota("b"));
    let shared = two_endpoints(quota("x"), quota("x"));
    let requests = 2.0 * 50.0 * 10.0;
    assert!((separate - (1.0 + 20.0 / requests)).abs() < 1e-9, "separate: {separate}");
    assert!((shared - (1.0 + 10.0 / requests)).abs() < 1e-9, "shared: {shared}");
}

#[test]
fn sharing_retry_layers_must_agree_on_the_budget() {
    let mut json = serde_json::to_value(example("retry-storm")).unwrap();
    let endpoint = json["endpoints"][0].clone();
    json["endpoints"][0]["stack"][0]["retry"]["budget"] = json!({"tps": {"shared": "orders"}});
    let mut second = endpoint;
    second["name"] = "second".into();
    second["stack"][0]["retry"]["budget"] = json!({"tps": {"shared": "orders", "min_per_sec": 1}});
    json["endpoints"].as_array_mut().unwrap().push(second);
    let errors = serde_json::from_value::<Scenario>(json).unwrap().validate();
    let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"endpoints[1].stack[0].retry.budget.shared"), "{paths:?}");
}

#[test]
fn the_gallery_story_recovers_where_the_storm_does_not() {
    let good_after = |r: &resilience_engine::Report| sum_buckets(r, 40.0, 60.0, |b| b.good());
    let budgeted = example("retry-budget-storm");
    let report = run_full(&budgeted);
    check_invariants(&budgeted, &report);
    let storm = run_full(&example("retry-storm"));
    assert!(good_after(&report) > 10 * good_after(&storm), "{} vs {}", good_after(&report), good_after(&storm));
}
