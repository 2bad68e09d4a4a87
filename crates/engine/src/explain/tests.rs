use serde_json::json;

use super::*;
use crate::sim::{Outcome, Report};
use crate::{RunOptions, examples, run};

fn traced(scenario: &Scenario) -> Report {
    run(scenario, &RunOptions::full_trace(5_000_000)).unwrap()
}

fn example(name: &str) -> Scenario {
    Scenario::from_json(examples::get(name).unwrap()).unwrap()
}

/// The first request that ended with `outcome`.
fn first_with(report: &Report, outcome: Outcome) -> u32 {
    let trace = report.trace.as_ref().unwrap();
    trace.events.iter().find(|e| e.kind == TraceKind::Complete && e.value == outcome as u32).unwrap().request
}

#[test]
fn a_refusal_by_an_open_breaker_names_the_opening_and_this_requests_part_in_it() {
    // The retry sits outside the breaker, so the breaker counts each attempt.
    let scenario = Scenario::from_json(
        &json!({
            "version": 2, "name": "why", "duration": "4s",
            "services": [ { "name": "s", "latency": { "constant": "10ms" }, "faults": [ { "outage": { "from": "1s" } } ] } ],
            "endpoints": [ { "name": "e", "service": "s", "load": { "constant": { "rps": 5 } }, "stack": [
                { "retry": { "max_attempts": 3, "backoff": { "constant": { "delay": "100ms" } }, "retry_on": ["5xx", "rejected"] } },
                { "circuit_breaker": { "window": { "count": 10 }, "minimum_calls": 6, "wait_open": "10s" } } ] } ]
        })
        .to_string(),
    )
    .unwrap();
    let report = traced(&scenario);
    let trace = report.trace.as_ref().unwrap();
    let mut refused_ids: Vec<u32> =
        trace.events.iter().filter(|e| e.kind == TraceKind::BreakerRejected).map(|e| e.request).collect();
    refused_ids.dedup();
    let mut saw_own_part = false;
    for id in refused_ids {
        for explained in request(&scenario, trace, id).iter().filter(|x| x.what.contains("breaker was open")) {
            let text = &explained.cause.text;
            assert!(text.starts_with("the breaker opened at "), "{text}");
            assert!(text.contains("of the last ") && text.contains("threshold 50 %"), "{text}");
            assert!(explained.cause.at_us <= explained.at_us, "a cause comes first");
            saw_own_part |= text.contains("this request's attempts 1 and 2 among them");
        }
    }
    assert!(saw_own_part, "some refused attempt 3 had its own attempts 1 and 2 open the breaker");
}

#[test]
fn each_breaker_transition_says_why() {
    let scenario = example("breaker-outage");
    let report = traced(&scenario);
    let transitions = transitions(&scenario, report.trace.as_ref().unwrap());
    let first: Vec<(&str, &str)> = transitions.iter().take(3).map(|t| (t.to, t.why.as_str())).collect();
    assert_eq!(first[0].0, "open");
    assert!(
        first[0].1.contains("of the last 50 recorded calls failed") && first[0].1.contains("threshold 50 %"),
        "{first:?}"
    );
    assert_eq!(first[1], ("half-open", "after its 5s wait in the open state"));
    assert_eq!(first[2], ("open", "after 5 of its 5 probe calls failed"), "its 5 probes met the outage");
    assert!(
        transitions.iter().any(|t| t.to == "closed" && t.why == "its probe calls succeeded"),
        "it closes after the outage"
    );
}

#[test]
fn bulkhead_refusals_timeouts_and_give_ups_have_causes() {
    let bulkhead = example("bulkhead-isolation");
    let report = traced(&bulkhead);
    let id = first_with(&report, Outcome::RejectedByBulkhead);
    let explained = request(&bulkhead, report.trace.as_ref().unwrap(), id);
    let cause = &explained.iter().find(|x| x.what.contains("refused by the bulkhead")).unwrap().cause.text;
    assert!(cause.starts_with("10 of its 10 permits were in use"), "{cause}");

    let brownout = example("timeout-brownout");
    let report = traced(&brownout);
    let id = first_with(&report, Outcome::TimedOut);
    let explained = request(&brownout, report.trace.as_ref().unwrap(), id);
    assert!(
        explained
            .iter()
            .any(|x| x.what.ends_with("timed out") && x.cause.text.starts_with("no answer within 250ms of "))
    );

    let transient = example("retry-transient");
    let report = traced(&transient);
    let id = first_with(&report, Outcome::Failed);
    let explained = request(&transient, report.trace.as_ref().unwrap(), id);
    let gave_up = explained.iter().find(|x| x.what.starts_with("the retry gave up after")).expect("a give-up");
    assert!(gave_up.cause.text.starts_with("the service answered "), "{}", gave_up.cause.text);
    assert!(request(&transient, report.trace.as_ref().unwrap(), u32::MAX - 1).is_empty(), "no such request");
}
