#![cfg(not(target_arch = "wasm32"))]
//! Scenario tests: each example tells its story with numbers, conformance cases run through the
//! scenario format, invariants hold, and runs reproduce bit for bit.

mod common;

use common::*;
use resilience_engine::sim::{Outcome, TraceKind};
use resilience_engine::{RunError, RunOptions, Scenario, examples, run};

// ---- the stories ----------------------------------------------------------------------------

#[test]
fn breaker_cuts_downstream_attempts_during_the_outage_and_recovers() {
    let scenario = example("breaker-outage");
    let with = run_full(&scenario);
    let without = run_full(&without(&scenario, 0, 0));
    let during = |r| sum_buckets(r, 21.0, 40.0, |b| b.attempts);
    let (with_during, without_during) = (during(&with), during(&without));
    assert!(
        with_during * 10 <= without_during,
        "attempts during outage: {with_during} vs {without_during} (drop >= 90 %)"
    );
    assert!(count(&with.summary.total, Outcome::RejectedByBreaker) > 1_500, "fails fast");
    let after = sum_buckets(&with, 46.0, 60.0, |b| b.outcomes[Outcome::Success as usize]);
    assert!(after > 1_300, "closed again after the outage: {after} successes in 46..60 s");
    check_invariants(&scenario, &with);
}

#[test]
fn retry_with_backoff_and_jitter_absorbs_transient_errors() {
    let scenario = example("retry-transient");
    let with = run_full(&scenario);
    let without = run_full(&without(&scenario, 0, 0));
    assert!(with.summary.total.success_rate >= 0.99, "with retry: {}", with.summary.total.success_rate);
    assert!(without.summary.total.success_rate <= 0.85, "without: {}", without.summary.total.success_rate);
    assert!(with.summary.total.amplification < 1.5, "at a modest cost: {}", with.summary.total.amplification);
    assert!(count(&with.summary.total, Outcome::SuccessAfterRetry) > 1_000);
    check_invariants(&scenario, &with);
}

#[test]
fn timeout_bounds_latency_during_a_brownout() {
    let scenario = example("timeout-brownout");
    let with = run_full(&scenario);
    let without = run_full(&without(&scenario, 0, 0));
    assert!(with.summary.total.latency.max_ms <= 250.0, "bounded: {}", with.summary.total.latency.max_ms);
    assert!(
        without.summary.total.latency.p99_ms >= 2_000.0,
        "unbounded without: {}",
        without.summary.total.latency.p99_ms
    );
    assert!(count(&with.summary.total, Outcome::TimedOut) > 500, "the slow calls fail fast instead");
    check_invariants(&scenario, &with);
}

#[test]
fn fallback_answers_every_request_through_the_outage() {
    let scenario = example("fallback-outage");
    let with = run_full(&scenario);
    let without = run_full(&without(&scenario, 0, 0));
    assert_eq!(count(&with.summary.total, Outcome::Failed), 0);
    assert!(count(&with.summary.total, Outcome::Fallback) > 1_400);
    let failed = count(&without.summary.total, Outcome::Failed) as f64 / without.summary.total.requests as f64;
    assert!(failed > 0.3, "a third fails without it: {failed}");
    check_invariants(&scenario, &with);
}

#[test]
fn cache_with_stale_entries_keeps_serving_through_the_outage() {
    let scenario = example("cache-outage");
    let with = run_full(&scenario);
    let no_cache = run_full(&without(&scenario, 0, 0));
    assert!(with.summary.total.success_rate >= 0.95, "with cache: {}", with.summary.total.success_rate);
    assert!(no_cache.summary.total.success_rate <= 0.70, "without: {}", no_cache.summary.total.success_rate);
    assert!(count(&with.summary.total, Outcome::CacheStale) > 2_000, "stale entries answer during the outage");
    assert!(with.summary.total.amplification < 0.6, "the cache also sheds load: {}", with.summary.total.amplification);
    check_invariants(&scenario, &with);
}

#[test]
fn bulkhead_keeps_the_healthy_endpoint_alive() {
    let scenario = example("bulkhead-isolation");
    let with = run_full(&scenario);
    let without = run_full(&without(&scenario, 1, 0));
    let search = |r: &resilience_engine::Report| r.summary.endpoints[0].success_rate;
    assert!(search(&with) >= 0.99, "search with the bulkhead: {}", search(&with));
    assert!(search(&without) <= 0.80, "search without: {}", search(&without));
    assert!(count(&with.summary.endpoints[1], Outcome::RejectedByBulkhead) > 500);
    check_invariants(&scenario, &with);
    // Read from the trace: the bulkhead fills to exactly its 10 permits; without it the slow
    // calls take every one of the pool's 40 threads.
    let held = |r: &resilience_engine::Report| {
        occupancy::peaks(&scenario, r).iter().map(|p| (p.endpoint, p.held_max)).collect::<Vec<_>>()
    };
    assert!(held(&with).contains(&(Some(1), 10)), "{:?}", held(&with));
    assert!(held(&without).contains(&(None, 40)), "{:?}", held(&without));
}

#[test]
fn retry_storm_keeps_the_service_down_after_the_spike() {
    let scenario = example("retry-storm");
    let with = run_full(&scenario);
    let without = run_full(&without(&scenario, 0, 0));
    let good_after = |r| sum_buckets(r, 40.0, 60.0, |b| b.good());
    let (stormy, calm) = (good_after(&with), good_after(&without));
    assert!(calm > 5_000, "without retries the service recovers: {calm}");
    assert!(stormy * 10 < calm, "with immediate retries it stays down: {stormy} vs {calm}");
    assert!(with.summary.total.amplification > 2.5, "the storm: {}", with.summary.total.amplification);
    check_invariants(&scenario, &with);
}

#[test]
fn all_six_stacked_answer_every_request() {
    let scenario = example("all-six");
    let report = run_full(&scenario);
    let total = &report.summary.total;
    assert_eq!(count(total, Outcome::Failed) + count(total, Outcome::TimedOut), 0, "{total:?}");
    assert!(count(total, Outcome::CacheFresh) > count(total, Outcome::Success), "the cache carries most load");
    let breaker = report.metrics.layers.iter().find(|l| l.kind == "circuit_breaker").expect("breaker series");
    assert!(breaker.samples[20..31].iter().any(|s| s.worst_state == 1), "the breaker opens during the outage");
    assert_eq!(breaker.samples[59].state, 0, "and closes again");
    check_invariants(&scenario, &report);
}

#[test]
fn retries_at_every_layer_multiply_attempts_during_the_outage() {
    let scenario = example("retries-every-layer");
    let stacked = run_full(&scenario);
    let single = run_full(&without(&without(&scenario, 0, 0), 0, 1));
    let ratio =
        |r| sum_buckets(r, 21.0, 39.0, |b| b.attempts) as f64 / sum_buckets(r, 21.0, 39.0, |b| b.arrivals) as f64;
    assert!(ratio(&stacked) > 25.0, "27 attempts per request in the outage: {}", ratio(&stacked));
    assert!(ratio(&single) < 3.1, "one retry layer: at most 3: {}", ratio(&single));
    check_invariants(&scenario, &stacked);
}

#[test]
fn retries_in_lockstep_form_a_thundering_herd_and_jitter_spreads_it() {
    let scenario = example("thundering-herd");
    let herd = run_full(&scenario);
    let mut json: serde_json::Value = serde_json::to_value(&scenario).unwrap();
    json["endpoints"][0]["stack"][0]["retry"]["honor_retry_after"] = false.into();
    json["endpoints"][0]["stack"][0]["retry"]["jitter"] = "full".into();
    let jittered = run_full(&serde_json::from_value(json).unwrap());
    let (spike, spread) = (herd.summary.total.peak_downstream_rps, jittered.summary.total.peak_downstream_rps);
    assert!(spike > 3.0 * spread, "lockstep peak {spike}/s vs jittered {spread}/s");
    check_invariants(&scenario, &herd);
}

#[test]
fn a_breaker_with_a_too_high_minimum_never_opens() {
    let scenario = example("breaker-never-opens");
    let never = run_full(&scenario);
    assert_eq!(count(&never.summary.total, Outcome::RejectedByBreaker), 0);
    let mut json: serde_json::Value = serde_json::to_value(&scenario).unwrap();
    json["endpoints"][0]["stack"][0]["circuit_breaker"]["minimum_calls"] = 20.into();
    let tuned = run_full(&serde_json::from_value(json).unwrap());
    assert!(count(&tuned.summary.total, Outcome::RejectedByBreaker) > 500, "with a sane minimum it opens");
    check_invariants(&scenario, &never);
}

// ---- conformance through the scenario format ----------------------------------------------------

/// C12: resilience4j's default retry against an always-failing supplier.
#[test]
fn c12_default_retry_timeline() {
    let always_fails = r#", "faults": [ { "errors": { "rate": 1.0 } } ]"#;
    let scenario = scenario_json(r#"[ { "retry": {} } ]"#, always_fails, r#"{ "times": ["0s"] }"#);
    let report = run_full(&scenario);
    assert_eq!(attempt_times_ms(&report), [0, 500, 1_000]);
    assert_eq!(count(&report.summary.total, Outcome::Failed), 1);
    let succeeds_second = r#", "faults": [ { "sequence": { "outcomes": "F,S" } } ]"#;
    let report = run_full(&scenario_json(r#"[ { "retry": {} } ]"#, succeeds_second, r#"{ "times": ["0s"] }"#));
    assert_eq!(attempt_times_ms(&report), [0, 500]);
    assert_eq!(count(&report.summary.total, Outcome::SuccessAfterRetry), 1);
}

/// C13: exponential backoff 500 ms x2: calls at t0, t500, t1500.
#[test]
fn c13_exponential_retry_timeline() {
    let stack = r#"[ { "retry": { "backoff": { "exponential": { "initial": "500ms", "multiplier": 2.0 } } } } ]"#;
    let report =
        run_full(&scenario_json(stack, r#", "faults": [ { "errors": { "rate": 1.0 } } ]"#, r#"{ "times": ["0s"] }"#));
    assert_eq!(attempt_times_ms(&report), [0, 500, 1_500]);
}

/// C01 through the simulator: the sixth call (3 failures of 6 = 50 %) opens the breaker, and
/// the seventh is rejected.
#[test]
fn c01_breaker_opens_at_fifty_percent_in_a_simulation() {
    let stack = r#"[ { "circuit_breaker": { "window": { "seconds": 20 }, "failure_rate": 50, "slow_call_rate": 50,
        "slow_call_duration": "4s", "minimum_calls": 5, "wait_open": "5s", "permitted_half_open": 4 } } ]"#;
    let faults = r#", "faults": [ { "sequence": { "outcomes": "S,S,S,F,F,F" } } ]"#;
    let load = r#"{ "times": ["0s", "1s", "2s", "3s", "4s", "5s", "6s"] }"#;
    let report = run_full(&scenario_json(stack, faults, load));
    let total = &report.summary.total;
    assert_eq!((count(total, Outcome::Success), count(total, Outcome::Failed)), (3, 3));
    assert_eq!(count(total, Outcome::RejectedByBreaker), 1);
    let opened =
        report.trace.as_ref().unwrap().events.iter().find(|e| e.kind == TraceKind::StateChange).expect("opened");
    assert_eq!((opened.at_us, opened.value & 0xff), (5_000_000, 1));
}

/// C31 through the simulator: bulkhead(2, queue 2); five calls at t0 lasting 0..8 ms.
#[test]
fn c31_bulkhead_queue_in_a_simulation() {
    let stack = r#"[ { "bulkhead": { "max_concurrent": 2, "queue": 2 } } ]"#;
    let json = r#"{ "version": 2, "name": "c31", "duration": "1s",
        "services": [ { "name": "s", "latency": { "sequence": ["0ms", "2ms", "4ms", "6ms", "8ms"] } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": { "times": ["0s", "0s", "0s", "0s", "0s"] }, "stack": STACK } ] }"#;
    let report = run_full(&Scenario::from_json(&json.replace("STACK", stack)).unwrap());
    assert_eq!(count(&report.summary.total, Outcome::Success), 4);
    assert_eq!(count(&report.summary.total, Outcome::RejectedByBulkhead), 1);
    // Waiters started as slots freed: 0 at t0, 1 at t0, 2 when #0 left (t0), 3 when #1 left (t2).
    assert_eq!(attempt_times_ms(&report), [0, 0, 0, 2]);
    let peaks = occupancy::peaks(&Scenario::from_json(&json.replace("STACK", stack)).unwrap(), &report);
    assert_eq!(peaks, [occupancy::Peak { endpoint: Some(0), layer: 0, held_max: 2, limit: 2 }], "from the trace");
}

#[test]
fn timeout_inside_retry_bounds_each_attempt_outside_bounds_the_call() {
    let slow = r#", "faults": [ { "latency": { "add": "1s" } } ]"#;
    let load = r#"{ "times": ["0s"] }"#;
    let inside = run_full(&scenario_json(
        r#"[ { "retry": { "backoff": { "constant": { "delay": "100ms" } }, "retry_on": ["timeout"] } }, { "timeout": { "timeout": "200ms" } } ]"#,
        slow,
        load,
    ));
    assert_eq!(attempt_times_ms(&inside), [0, 300, 600], "each attempt gets 200 ms");
    let outside = run_full(&scenario_json(
        r#"[ { "timeout": { "timeout": "200ms" } }, { "retry": { "retry_on": ["timeout"] } } ]"#,
        slow,
        load,
    ));
    assert_eq!(attempt_times_ms(&outside), [0], "the whole call gets 200 ms");
    assert_eq!(outside.summary.total.latency.max_ms, 200.0);
}

#[test]
fn abandoned_attempts_keep_their_service_worker() {
    // Two calls time out at 100 ms, but the single worker serves both in full (until 1 s), so a
    // third, quick call at 700 ms still waits behind them and times out too.
    let json = r#"{ "version": 2, "name": "abandon", "duration": "1s",
        "services": [ { "name": "s", "latency": { "sequence": ["500ms", "500ms", "50ms"] }, "capacity": { "concurrency": 1, "queue": 10 } } ],
        "endpoints": [ { "name": "e", "service": "s", "load": { "times": ["0s", "10ms", "700ms"] },
                         "stack": [ { "timeout": { "timeout": "100ms" } } ] } ] }"#;
    let report = run_full(&Scenario::from_json(json).unwrap());
    assert_eq!(count(&report.summary.total, Outcome::TimedOut), 3);
    let queued = report.trace.as_ref().unwrap().events.iter().filter(|e| e.kind == TraceKind::AttemptQueued).count();
    assert_eq!(queued, 2, "the second and third wait for the busy worker");
}

#[test]
fn closed_loop_clients_slow_down_when_the_service_does() {
    let json = |factor: u32| {
        format!(
            r#"{{ "version": 2, "name": "closed", "duration": "20s",
            "services": [ {{ "name": "s", "latency": {{ "constant": "10ms" }}, "faults": [ {{ "slowdown": {{ "factor": {factor} }} }} ] }} ],
            "endpoints": [ {{ "name": "e", "service": "s", "load": {{ "closed": {{ "clients": 10, "think": "90ms" }} }} }} ] }}"#
        )
    };
    let fast = run_full(&Scenario::from_json(&json(1)).unwrap());
    let slow = run_full(&Scenario::from_json(&json(10)).unwrap());
    let (f, s) = (fast.summary.total.requests, slow.summary.total.requests);
    assert!((1_800..2_200).contains(&f), "10 clients x 20 s / 100 ms = 2000: {f}");
    assert!(s * 3 < f * 2, "closed-loop load falls when latency rises: {s} vs {f}");
}

#[test]
fn warmup_requests_are_left_out_of_the_summary() {
    let mut scenario = example("breaker-outage");
    let all = run_full(&scenario).summary.total.requests;
    scenario.warmup = "30s".parse().unwrap();
    let measured = run_full(&scenario).summary.total.requests;
    assert!(measured < all * 6 / 10 && measured > all * 4 / 10, "{measured} of {all}");
}

// ---- reproducibility and bounds ----------------------------------------------------------------

#[test]
fn runs_reproduce_and_seeds_matter() {
    for (name, _) in examples::ALL {
        let scenario = example(name);
        let (a, b) = (run_full(&scenario), run_full(&scenario));
        assert_eq!(a.digest, b.digest, "{name} twice");
        assert_eq!(a.summary, b.summary, "{name} twice");
        let mut reseeded = scenario.clone();
        reseeded.seed += 1;
        assert_ne!(run_full(&reseeded).digest, a.digest, "{name} with another seed");
    }
}

#[test]
fn examples_match_their_golden_digests() {
    let mut actual = Vec::new();
    for (name, _) in examples::ALL {
        actual.push((*name, run_full(&example(name)).digest));
    }
    let expected: Vec<(&str, u64)> = golden::GOLDEN.to_vec();
    let listing: String = actual.iter().map(|(n, d)| format!("    (\"{n}\", 0x{d:016x}),\n")).collect();
    assert_eq!(actual, expected, "golden digests changed; if intended, update tests/common/golden.rs:\n{listing}");
}

#[test]
fn metrics_only_mode_gives_the_same_summary_without_a_trace() {
    let scenario = example("all-six");
    let full = run_full(&scenario);
    let lean = run(&scenario, &RunOptions::default()).unwrap();
    assert!(lean.trace.is_none());
    assert_eq!(lean.summary, full.summary);
    assert_eq!(lean.events, full.events);
}

#[test]
fn a_trace_over_its_cap_is_marked_truncated() {
    let report = run(&example("all-six"), &RunOptions::full_trace(1_000)).unwrap();
    let trace = report.trace.unwrap();
    assert!(trace.truncated && trace.events.len() == 1_000);
    assert!(report.summary.total.requests > 10_000, "the run itself is complete");
}

#[test]
fn the_event_budget_stops_a_run_with_a_named_error() {
    let scenario = example("retry-storm");
    let error = run(&scenario, &RunOptions { max_events: 10_000, ..RunOptions::default() }).unwrap_err();
    assert_eq!(error, RunError::EventBudget { scenario: scenario.name, seed: 13, limit: 10_000 });
    let text = error.to_string();
    assert!(text.contains("Retry storm") && text.contains("13") && text.contains("10000"), "{text}");
}

#[test]
fn full_trace_records_are_small() {
    let report = run_full(&example("all-six"));
    let trace = report.trace.unwrap();
    let bytes = trace.events.len() * size_of_val(&trace.events[0]);
    assert!(bytes / trace.events.len() <= 32);
}

#[test]
fn a_run_in_slices_equals_a_run_in_one_go() {
    let scenario = example("all-six");
    let whole = run_full(&scenario);
    let mut sliced = resilience_engine::Simulation::new(&scenario, &RunOptions::full_trace(TRACE_CAP)).unwrap();
    let mut slices = 0;
    let mut last_progress = 0.0;
    while !sliced.step(1_000).unwrap() {
        slices += 1;
        assert!(sliced.progress() >= last_progress, "progress never goes back");
        last_progress = sliced.progress();
    }
    assert!(slices > 10);
    assert_eq!(sliced.finish().digest, whole.digest);
}
