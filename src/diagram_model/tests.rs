//! The diagram's model against real runs of the examples.

use resilience_engine::sim::Outcome;
use resilience_engine::{RunOptions, Scenario, examples, run};

use super::*;

fn model(name: &str, hop_us: u64) -> (DiagramModel, Derived, Report, usize) {
    let scenario = Scenario::from_json(examples::gallery(name).unwrap()).unwrap();
    let report = run(&scenario, &RunOptions::full_trace(5_000_000)).unwrap();
    let derived = Derived::from_report(&report);
    let endpoint = scenario.endpoints.iter().position(|e| !e.stack.is_empty()).unwrap_or(0);
    (DiagramModel::build(&scenario, &report, endpoint, hop_us), derived, report, endpoint)
}

/// The stations a request's dot visits over its visual lifetime, sampled finely.
fn along_over_life(model: &DiagramModel, id: u32) -> Vec<f32> {
    let path = model.path_of(id);
    let (first, last) = (path[0].0, path[path.len() - 1].0);
    let mut seen = Vec::new();
    let mut dots = Vec::new();
    for step in 0..=400u64 {
        let t = first + (last - first) * step / 400;
        dots.clear();
        model.dots_at(t, &mut dots);
        seen.extend(dots.iter().filter(|d| d.request == id).map(|d| d.along));
    }
    seen
}

#[test]
fn stations_run_from_client_through_the_stack_to_the_service() {
    let (model, ..) = model("all-six", 300_000);
    let kinds: Vec<StationKind> = model.stations.iter().map(|s| s.kind).collect();
    use StationKind::*;
    assert_eq!(kinds, [Client, Fallback, Cache, Breaker, Retry, Timeout, Bulkhead, Service]);
    assert_eq!(model.stations[6].capacity, Some(50));
    assert_eq!(model.stations[7].capacity, Some(60));
}

#[test]
fn a_retried_call_goes_back_to_the_retry_station_and_out_again() {
    let (model, derived, ..) = model("retry-transient", 50_000);
    let retry = model.find(StationKind::Retry).unwrap() as f32;
    let service = (model.stations.len() - 1) as f32;
    let retried = derived.journeys.iter().find(|j| j.attempts.len() >= 2).expect("some call was retried");
    let along = along_over_life(&model, retried.id);
    let first_service = along.iter().position(|a| *a >= service).expect("reaches the service");
    let back =
        along[first_service..].iter().position(|a| *a <= retry).expect("comes back to the retry") + first_service;
    assert!(along[back..].iter().any(|a| *a >= service), "goes to the service again after its wait: {along:?}");
    assert_eq!(model.stride, 1);
}

#[test]
fn a_cache_hit_never_reaches_the_service() {
    let (model, derived, ..) = model("all-six", 300_000);
    let cache = model.find(StationKind::Cache).unwrap() as f32;
    let hits: Vec<_> = derived
        .journeys
        .iter()
        .filter(|j| j.id % model.stride == 0 && j.attempts.is_empty())
        .filter(|j| j.markers.iter().any(|(_, m)| *m == crate::view_model::Marker::CacheHit))
        .take(20)
        .collect();
    assert!(!hits.is_empty());
    for hit in hits {
        let along = along_over_life(&model, hit.id);
        assert!(!along.is_empty(), "the hit is drawn");
        assert!(along.iter().all(|a| *a <= cache + 1e-3), "turns back at the cache: {along:?}");
        assert!(along.iter().any(|a| *a >= cache - 1e-3), "reaches the cache");
    }
}

#[test]
fn the_breaker_state_follows_the_play_head() {
    let (model, derived, ..) = model("breaker-outage", 300_000);
    let breaker = model.find(StationKind::Breaker).unwrap();
    assert_eq!(model.states_at(&derived, 10_000_000)[breaker].breaker, 0, "closed before the outage");
    assert_eq!(model.states_at(&derived, 30_000_000)[breaker].breaker, 1, "open during it");
    assert_eq!(model.states_at(&derived, 59_000_000)[breaker].breaker, 0, "closed after it");
    let mut dots = Vec::new();
    model.dots_at(30_000_000, &mut dots);
    assert!(dots.iter().any(|d| d.mark == Some(MarkKind::Bounce) && d.along == breaker as f32), "calls bounce");
}

#[test]
fn bulkhead_and_pool_occupancy_never_exceed_their_slots() {
    for name in ["all-six", "bulkhead-isolation"] {
        let (model, derived, ..) = model(name, 300_000);
        for (i, station) in model.stations.iter().enumerate() {
            if let (StationKind::Bulkhead | StationKind::Pool, Some(capacity)) = (station.kind, station.capacity) {
                let peak = model.peak_in_use(i);
                assert!(peak <= capacity, "{name}: station {i} peaks at {peak} > {capacity}");
                assert!(peak > 0, "{name}: station {i} is used");
                assert!((0..60).all(|s| model.states_at(&derived, s * 1_000_000)[i].busy <= capacity));
            }
        }
    }
}

#[test]
fn a_dense_run_is_thinned_to_the_dot_budget_and_dots_stay_on_the_diagram() {
    let (model, ..) = model("all-six", 300_000);
    assert!(model.stride > 1, "12,000 calls at this pace need thinning");
    let last = (model.stations.len() - 1) as f32;
    let mut dots = Vec::new();
    for s in 0..120u64 {
        dots.clear();
        model.dots_at(s * 500_000, &mut dots);
        assert!(dots.len() <= MAX_DOTS);
        assert!(dots.iter().all(|d| (0.0..=last).contains(&d.along) && (0.0..=1.0).contains(&d.across)));
    }
}

#[test]
fn a_timeout_cuts_calls_and_leaves_a_mark_at_its_station() {
    let (model, ..) = model("timeout-brownout", 100_000);
    let timeout = model.find(StationKind::Timeout).unwrap();
    let mut dots = Vec::new();
    let cut = (0..600u64).any(|s| {
        dots.clear();
        model.dots_at(s * 100_000, &mut dots);
        dots.iter().any(|d| d.mark == Some(MarkKind::Cut) && d.along <= timeout as f32 && d.tint == Tint::TimedOut)
    });
    assert!(cut, "some call is cut at the timeout and goes back as timed out");
}

#[test]
fn without_a_trace_the_model_is_empty_but_has_its_stations() {
    let scenario = Scenario::from_json(examples::gallery("breaker-outage").unwrap()).unwrap();
    let report = run(&scenario, &RunOptions::default()).unwrap();
    let model = DiagramModel::build(&scenario, &report, 0, 0);
    assert_eq!(model.stations.len(), 3);
    let mut dots = Vec::new();
    model.dots_at(1_000_000, &mut dots);
    assert!(dots.is_empty());
}

#[test]
fn the_readouts_and_the_summary_say_what_is_on_screen() {
    let (model, derived, ..) = model("breaker-outage", 300_000);
    let states = model.states_at(&derived, 30_000_000);
    let readouts = model.readouts(&states, 30_000_000);
    assert_eq!((readouts[1].glyph, readouts[1].headline.as_str(), readouts[1].tone), ("⊘", "open", Tone::Bad));
    assert_eq!((readouts[2].detail.as_str(), readouts[2].alert), ("outage", true));
    let text = model.describe(&readouts, 30_000_000);
    assert!(
        text.starts_with("Live stack diagram (client → circuit breaker → service) at 30.0 s: circuit breaker open, "),
        "{text}"
    );
    assert!(text.ends_with(", outage."), "{text}");
    let early = model.readouts(&model.states_at(&derived, 10_050_000), 10_050_000);
    let before = model.describe(&early, 10_050_000);
    assert!(
        before.contains(" at 10.0 s: circuit breaker closed, 0 refused; service ") && !before.contains("outage"),
        "{before}"
    );
    assert!(model.describe(&early, 50_000).contains(" at 0.0 s"));
    assert_eq!(breaker_name(2), "half-open");
    assert_eq!((breaker_name(1), breaker_name(0), breaker_name(4)), ("open", "closed", "closed"));
    assert_eq!(kind_name(StationKind::Breaker), "circuit breaker", "the catalogue's label");
    assert_eq!(kind_name(StationKind::Pool), "client pool");
}

#[test]
fn every_example_and_endpoint_builds_and_stays_on_the_diagram() {
    for (name, json) in examples::ALL {
        let scenario = Scenario::from_json(json).unwrap();
        let report = run(&scenario, &RunOptions::full_trace(5_000_000)).unwrap();
        let derived = Derived::from_report(&report);
        for endpoint in 0..scenario.endpoints.len() {
            for hop_us in [1, 70_000, 10_000_000] {
                let model = DiagramModel::build(&scenario, &report, endpoint, hop_us);
                let last = (model.stations.len() - 1) as f32;
                let mut dots = Vec::new();
                for s in 0..70u64 {
                    dots.clear();
                    model.dots_at(s * 1_000_000, &mut dots);
                    assert!(dots.len() <= MAX_DOTS, "{name}");
                    assert!(dots.iter().all(|d| (0.0..=last).contains(&d.along)), "{name} {endpoint}");
                    let states = model.states_at(&derived, s * 1_000_000);
                    for (station, state) in model.stations.iter().zip(&states) {
                        if station.kind != StationKind::Service {
                            assert!(station.capacity.is_none_or(|c| state.busy <= c), "{name}: {station:?} {state:?}");
                        }
                    }
                    assert!(!model.describe(&model.readouts(&states, s * 1_000_000), s * 1_000_000).is_empty());
                }
            }
        }
    }
}

#[test]
fn the_new_layer_kinds_are_stations_named_from_the_catalogue() {
    use StationKind::*;
    for (example, expected) in [
        ("rate-limiter-spike", &[Client, RateLimiter, Timeout, Service][..]),
        ("hedging-tail", &[Client, Hedging, Service]),
        ("adaptive-limit-slowdown", &[Client, AdaptiveLimit, Timeout, Service]),
        ("throttle-outage", &[Client, Retry, Throttle, Service]),
    ] {
        let scenario = Scenario::from_json(examples::gallery(example).unwrap()).unwrap();
        let kinds: Vec<StationKind> = stations_of(&scenario, 0).iter().map(|s| s.kind).collect();
        assert_eq!(kinds, expected, "{example}");
    }
    let names: Vec<String> = [RateLimiter, Hedging, AdaptiveLimit, Throttle].into_iter().map(kind_name).collect();
    assert_eq!(names, ["rate limiter", "hedging", "adaptive limit", "adaptive throttle"]);
}

#[test]
fn a_refused_call_turns_back_at_the_limiter_and_its_readout_counts_it() {
    let (model, derived, ..) = model("rate-limiter-spike", 50_000);
    let limiter = model.find(StationKind::RateLimiter).unwrap() as u8;
    let refused = derived.journeys.iter().filter(|j| j.outcome == Some(Outcome::RejectedByRateLimiter));
    for journey in refused.take(50) {
        let path = model.path_of(journey.id);
        assert_eq!(path.iter().map(|(_, s)| *s).max(), Some(limiter), "#{}: {path:?}", journey.id);
    }
    let at = 30_000_000;
    let readouts = model.readouts(&model.states_at(&derived, at), at);
    let readout = &readouts[usize::from(limiter)];
    assert!(readout.headline.ends_with(" refused"), "{readout:?}");
    assert!(readout.headline.trim_end_matches(" refused").parse::<u32>().unwrap() > 100, "{readout:?}");
    assert!(model.describe(&readouts, at).contains("rate limiter "), "named in the text alternative");
}

#[test]
fn the_adaptive_limit_station_reads_its_limit_at_the_play_head() {
    let (model, derived, ..) = model("adaptive-limit-slowdown", 50_000);
    let station = model.find(StationKind::AdaptiveLimit).unwrap();
    let limit_at = |s: u64| {
        let readouts = model.readouts(&model.states_at(&derived, s * 1_000_000), s * 1_000_000);
        let headline = readouts[station].headline.clone();
        headline.trim_start_matches("≤ ").trim_end_matches(" calls").parse::<u32>().expect(&headline)
    };
    assert!(limit_at(30) * 2 < limit_at(19), "{} then {}", limit_at(19), limit_at(30));
    let refused = derived.journeys.iter().find(|j| j.outcome == Some(Outcome::RejectedByBulkhead)).unwrap();
    let path = model.path_of(refused.id);
    assert_eq!(path.iter().map(|(_, s)| usize::from(*s)).max(), Some(station), "turned back: {path:?}");
}

#[test]
fn a_hedged_call_holds_one_place_in_service_per_attempt_and_frees_them_all() {
    let (model, ..) = model("hedging-tail", 50_000);
    let service = model.stations.len() - 1;
    let derived_at = |t: u64| model.in_use[service].at(t);
    // About 200 calls a second of 20 ms (a few of 500 ms): a handful inside at any time.
    assert!((0..60).all(|s| derived_at(s * 1_000_000 + 500_000) < 100), "no attempt leaks its place");
    assert_eq!(derived_at(u64::MAX), 0, "every place freed at the end");
}

#[test]
fn read_a_part_at_a_time_the_model_is_the_one_read_at_once() {
    // A large run's model is built over several tasks; it must be the same model.
    for name in ["all-six", "retry-storm", "bulkhead-isolation"] {
        let (whole, _, report, endpoint) = model(name, 70_000);
        let scenario = Scenario::from_json(examples::gallery(name).unwrap()).unwrap();
        let mut calls = Calls::new(&scenario, &report, endpoint).unwrap();
        let mut parts = 1;
        while !calls.read_some(&report, 997) {
            parts += 1;
        }
        assert!(parts > 3, "{name}: {parts} parts");
        let stepped = DiagramModel::paced(calls, &report, 70_000);
        assert_eq!(format!("{stepped:?}"), format!("{whole:?}"), "{name}");
    }
}
