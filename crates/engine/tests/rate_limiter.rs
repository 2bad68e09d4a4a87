#![cfg(not(target_arch = "wasm32"))]
//! The rate limiter in whole runs: the gallery story, a limiter shared by endpoints, and the
//! reference's invariants.

mod common;

use common::*;
use resilience_engine::Scenario;
use resilience_engine::sim::{Outcome, TraceKind};

#[test]
fn a_rate_limiter_keeps_a_spike_from_drowning_the_service() {
    let scenario = example("rate-limiter-spike");
    let limited = run_full(&scenario);
    let total = &limited.summary.total;
    assert!(count(total, Outcome::RejectedByRateLimiter) > 2_000, "the spike's excess is refused");
    assert_eq!(count(total, Outcome::TimedOut), 0, "admitted calls never wait out the timeout");
    assert!(total.latency.p99_ms < 500.0, "p99 {} ms", total.latency.p99_ms);
    check_invariants(&scenario, &limited);

    let open = run_full(&without(&scenario, 0, 0));
    let timed_out = count(&open.summary.total, Outcome::TimedOut);
    assert!(timed_out > total.requests / 2, "without it {timed_out} of {} time out", total.requests);
    assert!(total.success_rate > 2.0 * open.summary.total.success_rate);
}

fn shared_scenario(shared: &str) -> Scenario {
    let limiter = format!(r#"{{"rate_limiter":{{"algorithm":"smooth","limit":20,"period":"1s"{shared}}}}}"#);
    let json = format!(
        r#"{{"version":2,"name":"shared","seed":5,"duration":"20s",
        "services":[{{"name":"s","latency":{{"constant":"10ms"}}}}],
        "endpoints":[
          {{"name":"a","service":"s","load":{{"constant":{{"rps":30}}}},"stack":[{limiter}]}},
          {{"name":"b","service":"s","load":{{"constant":{{"rps":30}}}},"stack":[{limiter}]}}]}}"#
    );
    Scenario::from_json(&json).unwrap()
}

#[test]
fn layers_with_the_same_shared_name_are_one_limiter() {
    let admitted = |scenario: &Scenario| {
        let report = run_full(scenario);
        check_invariants(scenario, &report);
        count(&report.summary.total, Outcome::Success)
    };
    let separate = admitted(&shared_scenario(""));
    let shared = admitted(&shared_scenario(r#","shared":"catalog""#));
    // Two limiters of 20/s let about 40/s through; one shared limiter about 20/s.
    assert!((700..=820).contains(&separate), "separate: {separate}");
    assert!((350..=420).contains(&shared), "shared: {shared}");
}

#[test]
fn sharing_layers_must_agree_on_their_settings() {
    let mut json: serde_json::Value = serde_json::to_value(shared_scenario(r#","shared":"catalog""#)).unwrap();
    json["endpoints"][1]["stack"][0]["rate_limiter"]["limit"] = 21.into();
    let errors = serde_json::from_value::<Scenario>(json).unwrap().validate();
    let paths: Vec<_> = errors.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"endpoints[1].stack[0].rate_limiter.shared"), "{paths:?}");
}

#[test]
fn refusals_are_traced_as_the_layer_s_own_events() {
    let report = run_full(&example("rate-limiter-spike"));
    let trace = report.trace.as_ref().unwrap();
    let refused =
        trace.events.iter().filter(|e| e.kind == TraceKind::LayerEvent && e.layer_event().0 == 1).count() as u64;
    assert_eq!(refused, count(&report.summary.total, Outcome::RejectedByRateLimiter));
}
