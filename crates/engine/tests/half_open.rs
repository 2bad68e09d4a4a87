#![cfg(not(target_arch = "wasm32"))]
//! The breaker's half-open admission setting in whole runs (resilience4j rejects the calls
//! over the probes, cockatiel queues them until the probes decide).

mod common;

use common::*;
use resilience_engine::Scenario;
use resilience_engine::sim::{Outcome, TraceKind};

/// Half-open admission as a setting: with every probe taken, resilience4j refuses the next
/// calls at once; cockatiel queues them until the probe decides. After a 10 s outage, the
/// breaker half-opens with one probe of 50 ms; the calls arriving meanwhile are refused, or
/// wait and go in once the probe's success closes the breaker.
#[test]
fn half_open_admission_rejects_or_queues_until_the_probe_decides() {
    let run_with = |admission: &str| run_full(&Scenario::from_json(&half_open_json(admission)).expect("valid"));
    let kinds = |report: &resilience_engine::Report, kind: TraceKind| {
        report.trace.as_ref().unwrap().events.iter().filter(|e| e.kind == kind).count()
    };
    let (reject, queue) = (run_with("reject"), run_with("queue"));
    assert_eq!(kinds(&reject, TraceKind::BreakerQueued), 0);
    let queued = kinds(&queue, TraceKind::BreakerQueued);
    assert!((3..=6).contains(&queued), "about 5 calls arrive during the 50 ms probe: {queued}");
    let refused = |r: &resilience_engine::Report| count(&r.summary.total, Outcome::RejectedByBreaker);
    assert_eq!(refused(&reject) - refused(&queue), queued as u64, "each queued call would have been refused");
    // Every queued call went in once the probe closed the breaker, and succeeded.
    let events = &queue.trace.as_ref().unwrap().events;
    for waiting in events.iter().filter(|e| e.kind == TraceKind::BreakerQueued) {
        let later = events.iter().filter(|e| e.request == waiting.request && e.at_us >= waiting.at_us);
        let kinds_later: Vec<TraceKind> = later.map(|e| e.kind).collect();
        assert!(kinds_later.contains(&TraceKind::BreakerPermitted), "{kinds_later:?}");
        assert!(kinds_later.ends_with(&[TraceKind::Complete]));
    }
    check_invariants(&Scenario::from_json(&half_open_json("queue")).unwrap(), &queue);
}

/// A 10 s outage behind a breaker whose single half-open probe takes 50 ms.
fn half_open_json(admission: &str) -> String {
    format!(
        r#"{{ "version": 2, "name": "half-open", "duration": "20s",
        "services": [ {{ "name": "s", "latency": {{ "constant": "50ms" }},
            "faults": [ {{ "outage": {{ "from": "0s", "to": "10s", "status": 503 }} }} ] }} ],
        "endpoints": [ {{ "name": "e", "service": "s", "load": {{ "constant": {{ "rps": 100 }} }},
            "stack": [ {{ "circuit_breaker": {{ "window": {{ "count": 10 }}, "minimum_calls": 10, "wait_open": "10500ms",
                "permitted_half_open": 1, "half_open_admission": "{admission}" }} }} ] }} ] }}"#
    )
}
