#![cfg(not(target_arch = "wasm32"))]
//! The adaptive limit in whole runs: the gallery story, every algorithm on it, and the
//! invariant that a limit stays within its bounds (checked from the trace by
//! `check_invariants`).

mod common;

use common::*;
use resilience_engine::Scenario;
use resilience_engine::sim::{Outcome, TraceKind};

/// The gallery story with its limit's algorithm replaced.
fn with_algorithm(algorithm: &str) -> Scenario {
    let mut json: serde_json::Value = serde_json::to_value(example("adaptive-limit-slowdown")).unwrap();
    json["endpoints"][0]["stack"][0]["adaptive_limit"]["algorithm"] = algorithm.into();
    serde_json::from_value(json).unwrap()
}

/// The limits reported between `from_s` and `to_s`.
fn limits_between(report: &resilience_engine::sim::Report, from_s: u64, to_s: u64) -> Vec<u32> {
    let trace = report.trace.as_ref().unwrap();
    trace
        .events
        .iter()
        .filter(|e| {
            e.kind == TraceKind::LayerEvent && e.layer == 0 && (from_s * 1_000_000..to_s * 1_000_000).contains(&e.at_us)
        })
        .map(|e| e.layer_event())
        .filter(|(code, _)| *code == 1 || *code == 2)
        .map(|(_, limit)| limit)
        .collect()
}

#[test]
fn an_adaptive_limit_finds_the_service_s_capacity_after_a_slowdown() {
    let scenario = example("adaptive-limit-slowdown");
    let limited = run_full(&scenario);
    check_invariants(&scenario, &limited);
    let total = &limited.summary.total;
    assert_eq!(count(total, Outcome::TimedOut), 0, "admitted calls never wait out the 1 s timeout");
    assert!(count(total, Outcome::RejectedByBulkhead) > 2_000, "the excess over the capacity is refused");
    assert!(total.latency.p99_ms < 700.0, "p99 {} ms", total.latency.p99_ms);
    // The slowed service serves about 100 calls a second; the limit keeps it busy.
    let served = sum_buckets(&limited, 25.0, 40.0, |b| b.good());
    assert!((1_100..=1_700).contains(&served), "served {served} in the slowdown");
    // The limit falls to a fraction of where it was, and climbs back afterwards.
    let before = *limits_between(&limited, 10, 20).last().unwrap();
    let during = limits_between(&limited, 25, 40);
    let after = *limits_between(&limited, 40, 60).last().unwrap();
    assert!(*during.iter().min().unwrap() < before / 2, "{before} then {during:?}");
    assert!(after >= 25, "back to {after}");

    let open = run_full(&without(&scenario, 0, 0));
    let timed_out = count(&open.summary.total, Outcome::TimedOut);
    assert!(timed_out > 5_000, "without it {timed_out} calls time out");
    assert_eq!(sum_buckets(&open, 25.0, 40.0, |b| b.good()), 0, "and nothing is served in time");
    assert!(total.success_rate > 1.5 * open.summary.total.success_rate);
}

#[test]
fn every_algorithm_keeps_the_slowdown_from_timing_calls_out() {
    for (algorithm, most_timeouts) in [("aimd", 0), ("gradient2", 100), ("vegas", 0), ("envoy_gradient", 100)] {
        let scenario = with_algorithm(algorithm);
        let report = run_full(&scenario);
        check_invariants(&scenario, &report);
        let timed_out = count(&report.summary.total, Outcome::TimedOut);
        assert!(timed_out <= most_timeouts, "{algorithm}: {timed_out} timed out");
        let changes = limits_between(&report, 0, 60).len();
        assert!(changes > 100, "{algorithm}: the limit moved {changes} times");
    }
}

#[test]
fn vegas_reads_queueing_from_the_latency_and_holds_the_limit_lowest() {
    let highest = |algorithm| limits_between(&run_full(&with_algorithm(algorithm)), 25, 40).into_iter().max().unwrap();
    let (aimd, vegas) = (highest("aimd"), highest("vegas"));
    assert!(vegas < aimd, "vegas {vegas}, aimd {aimd}");
}

#[test]
fn refusals_are_traced_as_the_layer_s_own_events() {
    let report = run_full(&example("adaptive-limit-slowdown"));
    let trace = report.trace.as_ref().unwrap();
    let refused =
        trace.events.iter().filter(|e| e.kind == TraceKind::LayerEvent && e.layer_event().0 == 0).count() as u64;
    assert_eq!(refused, count(&report.summary.total, Outcome::RejectedByBulkhead));
}
