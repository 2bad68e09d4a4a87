//! Tests of the view model.

use super::*;
use resilience_engine::{RunOptions, Scenario, examples, run};

fn derive(name: &str) -> (Report, Derived) {
    let scenario = Scenario::from_json(examples::gallery(name).unwrap()).unwrap();
    let report = run(&scenario, &RunOptions::full_trace(5_000_000)).unwrap();
    let derived = Derived::from_report(&report);
    (report, derived)
}

#[test]
fn bulkhead_occupancy_is_exact_from_the_trace() {
    let (report, derived) = derive("bulkhead-isolation");
    let series = report.metrics.layers.iter().find(|l| l.kind == "bulkhead").expect("a bulkhead");
    let timeline = derived.layers.get(&(series.endpoint, series.layer)).unwrap();
    assert!(timeline.occupancy.iter().all(|(_, in_use, _)| *in_use <= 10), "never over its 10 permits");
    assert_eq!(timeline.occupancy.iter().map(|o| o.1).max(), Some(10), "full during the slowdown");
    assert_eq!(timeline.occupancy_at(u64::MAX), (0, 0), "every permit given back at the end");
    // The most permits in use within each bucket is what the bulkhead itself counted.
    // (The drain phase after the run lands in the last bucket, as the metrics put it.)
    let last = series.samples.len() - 1;
    let mut exact = vec![0; series.samples.len()];
    for (t, in_use, _) in &timeline.occupancy {
        let bucket = ((t / report.metrics.bucket_us) as usize).min(last);
        exact[bucket] = exact[bucket].max(*in_use);
    }
    // The bulkhead samples itself only when it admits, queues or refuses, so a bucket in
    // which calls only finish (the drain after 60 s) reads 0 there while the trace still
    // shows the permits held: the trace is the exact one.
    let counted: Vec<u32> = series.samples.iter().map(|s| s.in_use_max).collect();
    assert_eq!(exact[..60], counted[..60], "the same maxima while calls arrive");
    assert!(exact.iter().zip(&counted).all(|(e, c)| e >= c));
    assert_eq!((exact[60], counted[60]), (2, 0), "two calls still held their permits at 60 s");
}

#[test]
fn journeys_cover_every_request_with_its_outcome() {
    let (report, derived) = derive("breaker-outage");
    assert_eq!(derived.journeys.len() as u64, report.summary.total.requests);
    assert!(derived.journeys.iter().all(|j| j.outcome.is_some() && j.end_us >= j.arrival_us));
    assert!(derived.journeys.windows(2).all(|w| w[0].arrival_us <= w[1].arrival_us), "arrival order");
    let visible = derived.visible(30_000_000, 31_000_000).count();
    assert!((80..130).contains(&visible), "about 100 requests in one second: {visible}");
}

#[test]
fn keyboard_navigation_walks_requests_in_arrival_order() {
    let (_, derived) = derive("breaker-outage");
    let last = derived.journeys.len() as u32 - 1;
    let first_after = derived.neighbour(None, 20_000_000, 1).unwrap();
    assert!(derived.journeys[first_after as usize].arrival_us >= 20_000_000);
    let before = derived.neighbour(None, 20_000_000, -1).unwrap();
    assert!(derived.journeys[before as usize].arrival_us < 20_000_000);
    assert_eq!(derived.neighbour(Some(5), 0, 1), Some(6));
    assert_eq!(derived.neighbour(Some(5), 0, -10), Some(0), "clamped at the first");
    assert_eq!(derived.neighbour(Some(last), 0, 1), Some(last), "clamped at the last");
    assert_eq!(Derived::default().neighbour(None, 0, 1), None);
}

#[test]
fn state_changes_are_listed_for_annotations() {
    let (_, derived) = derive("breaker-outage");
    let changes = derived.state_changes(0, 0, u64::MAX);
    assert!(changes.windows(2).all(|w| w[0].0 <= w[1].0));
    let opened = changes.iter().find(|(_, _, code)| *code == 1).expect("the breaker opens");
    assert!((20_000_000..25_000_000).contains(&opened.0), "opens soon after the outage: {}", opened.0);
    assert!(derived.state_changes(1, 0, u64::MAX).is_empty(), "no such endpoint");
}

#[test]
fn layer_timelines_answer_at_any_play_head() {
    let (_, derived) = derive("breaker-outage");
    let breaker = derived.layers.get(&(0, 0)).unwrap();
    assert_eq!(breaker.state_at(10_000_000), 0, "closed before the outage");
    assert_eq!(breaker.state_at(30_000_000), 1, "open during it");
    assert_eq!(breaker.state_at(59_000_000), 0, "closed again after it");
    let [permitted, rejected, _] = breaker.counts_at(u64::MAX);
    assert!(permitted > 3_000 && rejected > 1_500);
    assert_eq!(breaker.counts_at(0), [0, 0, 0]);
    assert_eq!(breaker.failure_rate_at(0), None, "no result yet");
    let rate = breaker.failure_rate_at(19_000_000).expect("past the minimum number of calls");
    assert!(rate < 10.0, "a few failures before the outage: {rate}");
    let opened_at = breaker.states.iter().find(|(_, code)| *code == 1).map(|(t, _)| *t).unwrap();
    let at_open = breaker.failure_rate_at(opened_at).expect("computed when it opened");
    assert!(at_open >= 50.0, "the breaker opened at its own rate of {at_open} %, over its threshold");

    let (_, derived) = derive("retry-transient");
    let retry = derived.layers.get(&(0, 0)).unwrap();
    let waiting: usize = (1..60).map(|s| retry.waiting_at(s * 1_000_000)).sum();
    assert!(waiting > 0, "some calls are waiting to retry at some point");
    assert_eq!(retry.waiting_at(0), 0);
}

#[test]
fn a_hedged_call_shows_its_attempts_side_by_side_and_the_winner_answered() {
    let (report, derived) = derive("hedging-tail");
    let trace = report.trace.as_ref().unwrap();
    let verdicts: Vec<(u32, u8, u32)> = trace
        .events
        .iter()
        .filter(|e| e.kind == TraceKind::LayerEvent && matches!(e.layer_event().0, 1 | 2))
        .map(|e| (e.request, e.layer_event().0, e.layer_event().1))
        .collect();
    assert!(verdicts.len() > 100, "{} hedged calls", verdicts.len());
    let (mut first_won, mut hedge_won) = (0, 0);
    for (id, code, n) in verdicts {
        let attempts = &derived.journeys[id as usize].attempts;
        assert_eq!(attempts.len(), 2, "#{id}: the first attempt and one hedge");
        assert!(!attempts[0].parallel && attempts[1].parallel, "#{id}: the hedge runs beside the first");
        assert!(attempts[1].start_us < attempts[0].end_us, "#{id}: they overlap in time");
        let winner = if code == 2 { 0 } else { n as usize };
        assert_eq!(attempts[winner].status, 200, "#{id}: the winner answered");
        assert_eq!(attempts[1 - winner].status, 0, "#{id}: the loser was cancelled");
        if winner == 0 { first_won += 1 } else { hedge_won += 1 }
    }
    assert!(first_won > 0 && hedge_won > 0, "{first_won} {hedge_won}");
    let sequential = derived.journeys.iter().filter(|j| j.attempts.len() == 1);
    assert!(sequential.flat_map(|j| &j.attempts).all(|a| !a.parallel));
}

#[test]
fn an_adaptive_limit_is_followed_over_time() {
    let (report, derived) = derive("adaptive-limit-slowdown");
    let series = report.metrics.layers.iter().find(|l| l.kind == "adaptive_limit").expect("a limit");
    let timeline = derived.layers.get(&(series.endpoint, series.layer)).unwrap();
    assert!(timeline.limits.len() > 100, "the limit moved {} times", timeline.limits.len());
    assert!(timeline.limits.windows(2).all(|w| w[0].1 != w[1].1 && w[0].0 <= w[1].0), "changes only");
    let before = timeline.limit_at(19_999_999).unwrap();
    let lowest = (25..40).filter_map(|s| timeline.limit_at(s * 1_000_000)).min().unwrap();
    assert!(lowest < before / 2, "{before} then {lowest}");
    assert!(timeline.limit_at(59_000_000).unwrap() >= 25, "climbs back");
    assert!(timeline.limits.iter().all(|(_, l)| (5..=100).contains(l)), "within min and max");
    assert_eq!(timeline.limit_at(0), Some(timeline.limits[0].1));
    assert_eq!(LayerTimeline::default().limit_at(5), None);
    // The calls in flight at any play head: a call only goes in below the limit of the moment
    // (a lowered limit leaves the calls already inside), and the most is what the layer sampled.
    let admissions = timeline.occupancy.windows(2).filter(|w| w[1].1 > w[0].1);
    assert!(admissions.clone().count() > 1_000);
    assert!(admissions.into_iter().all(|w| timeline.limit_at(w[1].0).is_some_and(|l| w[1].1 <= l)));
    assert_eq!(timeline.occupancy_at(u64::MAX), (0, 0), "every call left");
    let busiest = series.samples.iter().map(|s| s.in_use_max).max();
    assert_eq!(timeline.occupancy.iter().map(|o| o.1).max(), busiest);
    assert!((25..40).any(|s| timeline.occupancy_at(s * 1_000_000).0 > 0), "calls inside during the slowdown");
}
