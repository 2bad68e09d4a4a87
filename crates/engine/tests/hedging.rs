#![cfg(not(target_arch = "wasm32"))]
//! Hedging in whole runs: the gallery story, Polly's three modes and tower's percentile
//! delay, and the invariants (one answer per call, losers cancelled).

mod common;

use common::*;
use resilience_engine::Scenario;
use resilience_engine::sim::{Outcome, TraceKind};
use serde_json::{Value, json};

fn with_hedging(scenario: &Scenario, hedging: Value) -> Scenario {
    let mut json = serde_json::to_value(scenario).unwrap();
    json["endpoints"][0]["stack"][0] = json!({ "hedging": hedging });
    serde_json::from_value(json).unwrap()
}

#[test]
fn a_hedge_cuts_the_p99_for_a_few_percent_extra_load() {
    let scenario = example("hedging-tail");
    let hedged = run_full(&scenario);
    check_invariants(&scenario, &hedged);
    let plain = run_full(&without(&scenario, 0, 0));
    let (with, without) = (&hedged.summary.total, &plain.summary.total);
    assert!(
        with.latency.p99_ms * 2.0 < without.latency.p99_ms,
        "p99 {} vs {}",
        with.latency.p99_ms,
        without.latency.p99_ms
    );
    assert!(with.amplification < 1.15, "extra load {}", with.amplification);
    assert_eq!(count(with, Outcome::Success), with.requests, "a hedged success is a success, not a retry");
}

#[test]
fn the_losers_are_cancelled_and_every_call_is_answered_once() {
    let scenario = example("hedging-tail");
    let report = run_full(&scenario);
    let trace = report.trace.as_ref().unwrap();
    let count_of = |kind: TraceKind| trace.events.iter().filter(|e| e.kind == kind).count();
    let events =
        |code: u8| trace.events.iter().filter(|e| e.kind == TraceKind::LayerEvent && e.layer_event().0 == code).count();
    let (hedges, hedge_won, first_won) = (events(0), events(1), events(2));
    assert!(hedges > 100 && hedge_won > 0 && first_won > 0, "{hedges} {hedge_won} {first_won}");
    assert_eq!(hedge_won + first_won, hedges, "each hedged call ends with one winner");
    assert_eq!(count_of(TraceKind::AttemptAbandoned), hedges, "every loser is cancelled");
    assert_eq!(count_of(TraceKind::Complete) as u64, report.summary.total.requests);
}

#[test]
fn parallel_mode_sends_every_attempt_at_once() {
    let scenario = with_hedging(&example("hedging-tail"), json!({ "mode": "parallel", "max_hedged_attempts": 2 }));
    let report = run_full(&scenario);
    check_invariants(&scenario, &report);
    assert!((report.summary.total.amplification - 3.0).abs() < 0.01, "{}", report.summary.total.amplification);
}

#[test]
fn fallback_mode_hedges_only_after_a_failure() {
    let mut json = serde_json::to_value(example("hedging-tail")).unwrap();
    json["services"][0]["faults"] = json!([{ "errors": { "from": "0s", "rate": 0.3 } }]);
    json["endpoints"][0]["stack"][0] = json!({ "hedging": { "mode": "fallback", "max_hedged_attempts": 1 } });
    let scenario: Scenario = serde_json::from_value(json).unwrap();
    let report = run_full(&scenario);
    check_invariants(&scenario, &report);
    let total = &report.summary.total;
    // Two tries at 30 % errors: about 9 % fail, and about 1.3 attempts per call.
    assert!((0.88..0.94).contains(&total.success_rate), "{}", total.success_rate);
    assert!((1.25..1.35).contains(&total.amplification), "{}", total.amplification);
}

#[test]
fn percentile_mode_waits_for_data_then_hedges_at_the_percentile() {
    let hedging = json!({ "mode": "percentile", "percentile": 95, "min_data_points": 100, "period": "5s" });
    let scenario = with_hedging(&example("hedging-tail"), hedging);
    let report = run_full(&scenario);
    check_invariants(&scenario, &report);
    let trace = report.trace.as_ref().unwrap();
    let first_hedge = trace.events.iter().find(|e| e.kind == TraceKind::LayerEvent).map(|e| e.at_us).unwrap();
    assert!(first_hedge >= 5_000_000, "no hedge before the first period has its data: {first_hedge}");
    assert!(report.summary.total.amplification < 1.1, "about 5 % hedged: {}", report.summary.total.amplification);
}
