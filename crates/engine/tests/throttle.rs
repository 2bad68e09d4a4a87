#![cfg(not(target_arch = "wasm32"))]
//! Client-side adaptive throttling in whole runs: the gallery story and the two rules.

mod common;

use common::*;
use resilience_engine::Scenario;
use resilience_engine::sim::{Outcome, TraceKind};

/// The gallery story with its throttle's settings changed.
fn with_throttle(set: &[(&str, serde_json::Value)]) -> Scenario {
    let mut json: serde_json::Value = serde_json::to_value(example("throttle-outage")).unwrap();
    for (field, value) in set {
        json["endpoints"][0]["stack"][1]["throttle"][*field] = value.clone();
    }
    serde_json::from_value(json).unwrap()
}

#[test]
fn client_side_throttling_spares_the_service_during_an_outage() {
    let scenario = example("throttle-outage");
    let throttled = run_full(&scenario);
    check_invariants(&scenario, &throttled);
    let open = run_full(&without(&scenario, 0, 1));
    // During the outage (after the first seconds) the service sees a few percent of the calls.
    let hit = |report| sum_buckets(report, 25.0, 40.0, |b| b.attempts);
    let (sent, storm) = (hit(&throttled), hit(&open));
    assert!(storm > 8_000, "without it the retries triple the load: {storm}");
    assert!(sent * 10 < storm, "{sent} of {storm} calls reach the failing service");
    assert!(sent > 150, "a trickle still goes through: {sent}");
    // Before the outage nothing is refused but a few calls of the cold start (the first
    // requests count before their answers do); afterwards the throttle opens up again.
    let refused_in =
        |from, to| sum_buckets(&throttled, from, to, |b| b.outcomes[Outcome::RejectedByRateLimiter as usize]);
    assert!(refused_in(0.0, 1.0) < 10, "cold start: {}", refused_in(0.0, 1.0));
    assert_eq!(refused_in(1.0, 20.0), 0);
    let good = |from, to| sum_buckets(&throttled, from, to, |b| b.good());
    assert!(good(40.0, 45.0) > 50, "the recovery is noticed: {}", good(40.0, 45.0));
    assert!(good(50.0, 60.0) > 1_900, "and served in full 10 s later: {}", good(50.0, 60.0));
    let refused = count(&throttled.summary.total, Outcome::RejectedByRateLimiter);
    assert!(refused > 4_000, "{refused} calls refused locally");
}

#[test]
fn without_the_cap_the_book_s_formula_recovers_more_slowly() {
    let capped = run_full(&example("throttle-outage"));
    let book = with_throttle(&[("max_rejection", 1.0.into())]);
    let uncapped = run_full(&book);
    check_invariants(&book, &uncapped);
    let good = |report| sum_buckets(report, 40.0, 50.0, |b| b.good());
    assert!(good(&uncapped) * 2 < good(&capped), "uncapped {} vs capped {}", good(&uncapped), good(&capped));
}

#[test]
fn failsafe_go_s_rule_refuses_at_most_ninety_percent() {
    let scenario = with_throttle(&[("rule", "failsafe_go".into()), ("max_rejection", serde_json::Value::Null)]);
    let report = run_full(&scenario);
    check_invariants(&scenario, &report);
    let trace = report.trace.as_ref().unwrap();
    let refusal_percent = trace
        .events
        .iter()
        .filter(|e| e.kind == TraceKind::LayerEvent && e.layer == 1 && e.layer_event().0 == 0)
        .map(|e| e.layer_event().1)
        .max()
        .unwrap();
    assert_eq!(refusal_percent, 90);
    let refused = count(&report.summary.total, Outcome::RejectedByRateLimiter);
    assert!(refused > 3_000, "{refused}");
}
