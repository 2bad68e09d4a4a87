//! Helpers shared by the integration tests.
#![allow(dead_code, missing_docs)]

pub mod adaptive;
pub mod golden;
pub mod occupancy;

use resilience_engine::sim::{Outcome, Report, Totals, TraceKind};
use resilience_engine::{RunOptions, Scenario, examples, run};

/// Trace records kept by test runs.
pub const TRACE_CAP: usize = 5_000_000;

/// An example by name.
pub fn example(name: &str) -> Scenario {
    Scenario::from_json(examples::get(name).expect("example exists")).expect("example is valid")
}

/// Runs with the full trace.
pub fn run_full(scenario: &Scenario) -> Report {
    run(scenario, &RunOptions::full_trace(TRACE_CAP)).expect("run succeeds")
}

/// The same scenario with the layer `layer` of endpoint `endpoint` disabled in place.
pub fn without(scenario: &Scenario, endpoint: usize, layer: usize) -> Scenario {
    let mut json: serde_json::Value = serde_json::to_value(scenario).expect("serialises");
    let layer_json = &mut json["endpoints"][endpoint]["stack"][layer];
    let config = layer_json.as_object_mut().and_then(|o| o.values_mut().next()).expect("layer config");
    config["enabled"] = false.into();
    serde_json::from_value(json).expect("still a scenario")
}

/// Outcome count of a totals block.
pub fn count(totals: &Totals, outcome: Outcome) -> u64 {
    totals.outcomes.get(outcome)
}

/// Sum over buckets whose start lies in `[from_s, to_s)` of `f(bucket)`.
pub fn sum_buckets(report: &Report, from_s: f64, to_s: f64, f: impl Fn(&resilience_engine::sim::Bucket) -> u32) -> u64 {
    let width = report.metrics.bucket_us as f64 / 1e6;
    report
        .metrics
        .buckets
        .iter()
        .enumerate()
        .filter(|(i, _)| (*i as f64 * width) >= from_s && (*i as f64 * width) < to_s)
        .map(|(_, b)| u64::from(f(b)))
        .sum()
}

/// Checks the invariants every run must keep; panics with a message naming the broken one.
pub fn check_invariants(scenario: &Scenario, report: &Report) {
    let trace = report.trace.as_ref().expect("full trace");
    assert!(!trace.truncated, "test traces are not truncated");
    // Time never goes backwards.
    assert!(trace.events.windows(2).all(|w| w[0].at_us <= w[1].at_us), "time went backwards");
    // Every request ends exactly once (or is counted unfinished).
    let mut arrivals = std::collections::BTreeMap::<u32, (u32, u32, u32)>::new();
    for e in &trace.events {
        let entry = arrivals.entry(e.request).or_default();
        match e.kind {
            TraceKind::Arrival => entry.0 += 1,
            TraceKind::Complete => entry.1 += 1,
            TraceKind::AttemptStart => entry.2 += 1,
            _ => {}
        }
    }
    arrivals.remove(&resilience_engine::sim::NO_REQUEST);
    let unfinished = arrivals.values().filter(|(_, done, _)| *done == 0).count() as u64;
    assert!(arrivals.values().all(|(a, done, _)| *a == 1 && *done <= 1), "a request arrived or ended twice");
    assert_eq!(unfinished, report.summary.unfinished, "unfinished requests are counted");
    let completed: u32 = report.metrics.buckets.iter().map(|b| b.completed()).sum();
    assert_eq!(u64::from(completed) + unfinished, arrivals.len() as u64, "every arrival completes once");
    // Attempts per request never exceed the product of what each enabled layer can multiply
    // them by: a retry's attempts, a hedge's 1 + hedged attempts, 2 for a fallback that calls
    // a secondary service.
    let max_attempts: u64 = scenario
        .endpoints
        .iter()
        .map(|e| e.stack.iter().filter(|l| l.enabled()).map(|l| l.attempts_factor() as u64).product::<u64>())
        .max()
        .unwrap_or(1);
    assert!(
        arrivals.values().all(|(_, _, attempts)| u64::from(*attempts) <= max_attempts),
        "more attempts than the retries allow"
    );
    // Bulkheads and the client pool never hold more than their limit, read from the trace.
    occupancy::check(scenario, report);
    // Adaptive limits stay within their bounds, read from the trace.
    adaptive::check(scenario, report);
    check_half_open_permits(scenario, report);
}

/// While a breaker is half-open, at most `permitted_half_open` probes are in flight at once
/// (a released permit may be handed out again, as resilience4j's `releasePermission`).
fn check_half_open_permits(scenario: &Scenario, report: &Report) {
    let trace = report.trace.as_ref().expect("full trace");
    let endpoint_of: std::collections::BTreeMap<u32, usize> =
        trace.events.iter().filter(|x| x.kind == TraceKind::Arrival).map(|x| (x.request, x.value as usize)).collect();
    for (e, endpoint) in scenario.endpoints.iter().enumerate() {
        for (l, layer) in endpoint.stack.iter().enumerate() {
            let resilience_engine::scenario::Layer::CircuitBreaker(config) = layer else { continue };
            let mut half_open = false;
            let mut probes = std::collections::BTreeSet::new();
            for event in trace.events.iter().filter(|x| usize::from(x.layer) == l) {
                let mine = endpoint_of.get(&event.request) == Some(&e);
                match event.kind {
                    TraceKind::StateChange if (event.value >> 8) as usize == e => {
                        half_open = event.value & 0xff == 2;
                        probes.clear();
                    }
                    TraceKind::BreakerPermitted if half_open && mine => {
                        probes.insert(event.request);
                        assert!(
                            probes.len() <= config.permitted_half_open as usize,
                            "half-open let more calls through than permitted"
                        );
                    }
                    TraceKind::BreakerRecorded | TraceKind::BreakerReleased if mine => {
                        probes.remove(&event.request);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A one-service, one-endpoint scenario (60 s, instant answers unless `service_extra` adds
/// faults or latency) with `stack` and `load` written as JSON.
pub fn scenario_json(stack: &str, service_extra: &str, load: &str) -> Scenario {
    let json = format!(
        r#"{{ "version": 2, "name": "conformance", "duration": "60s",
            "services": [ {{ "name": "s", "latency": {{ "constant": "0ms" }} {service_extra} }} ],
            "endpoints": [ {{ "name": "e", "service": "s", "load": {load}, "stack": {stack} }} ] }}"#
    );
    Scenario::from_json(&json).expect("valid conformance scenario")
}

/// When each attempt reached the service, in milliseconds.
pub fn attempt_times_ms(report: &Report) -> Vec<u64> {
    let trace = report.trace.as_ref().expect("trace");
    trace.events.iter().filter(|e| e.kind == TraceKind::AttemptStart).map(|e| e.at_us / 1_000).collect()
}
