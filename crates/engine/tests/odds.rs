//! Odds across seeds, sweeps and the tipping-point finder (`resilience_engine::odds`):
//! determinism whatever the worker count, exact aggregates, recovery times, batch limits and a
//! known flip.
#![cfg(not(target_arch = "wasm32"))]

use resilience_engine::expect::{self, Verdict};
use resilience_engine::odds::parallel::Pool;
use resilience_engine::odds::{self, Distribution, Figures, Plan, SeedOutcome, TipRequest};
use resilience_engine::{RunOptions, Scenario, run};
use serde_json::{Value, json};

/// The retry-storm fixture with a sweep (retry attempts × spike end), as a document.
fn storm() -> Value {
    serde_json::from_str(include_str!("fixtures/odds/retry-storm-sweep.json")).expect("fixture is JSON")
}

/// A small, fast sweep of the fixture: 30 s, 2 × 3 cells, 2 seeds.
fn small_sweep() -> Value {
    let mut doc = storm();
    doc["duration"] = json!("30s");
    doc["expect"] = json!([{ "success_rate": { "at_least": 0.9, "from": "25s", "to": "30s" } }]);
    doc["sweep"] = json!({
        "knobs": [
            { "path": "/endpoints/0/stack/0/retry/max_attempts", "values": [1, 3] },
            { "path": "/endpoints/0/load/spike/to", "from": "21s", "to": "23s", "steps": 3 }
        ],
        "seeds": 2, "first_seed": 7
    });
    doc
}

#[test]
fn a_sweep_gives_the_same_numbers_on_1_2_and_8_threads_as_a_plain_loop() {
    let plan = Plan::new(&small_sweep()).unwrap();
    assert_eq!(plan.runs(), 12);
    let sequential: Vec<_> = (0..plan.runs()).map(|r| plan.run(r).unwrap()).collect();
    assert_eq!(sequential[11].cell, 5);
    assert_eq!(sequential[11].run.as_ref().unwrap().seed, 8);
    let reference = plan.summarize(&sequential);
    for jobs in [1, 2, 8] {
        let pool = Pool::new(jobs).unwrap();
        assert_eq!(pool.threads(), jobs);
        let parallel: Vec<_> = pool.map(plan.runs(), &|r| plan.run(r).unwrap(), &|_| {});
        assert_eq!(parallel, sequential, "{jobs} threads");
        assert_eq!(plan.summarize(&parallel), reference, "{jobs} threads");
    }
    // Arrival order does not matter either: results are merged by index.
    let reversed: Vec<_> = sequential.iter().rev().cloned().collect();
    assert_eq!(plan.summarize(&reversed), reference);
    // The free work unit (what a browser worker runs) gives the same run.
    assert_eq!(odds::run_cell(&small_sweep(), 4, 1).unwrap(), sequential[9]);
}

#[test]
fn seeds_on_a_pool_equal_the_sequential_batch_and_use_first_seed_plus_i() {
    let doc = small_sweep();
    let scenario = Scenario::from_json(&doc.to_string()).unwrap();
    let expectations = expect::read(&doc).unwrap();
    let sequential = odds::run_seeds(&scenario, &expectations, 40, 5).unwrap();
    assert_eq!(sequential.iter().map(|o| o.seed).collect::<Vec<_>>(), [40, 41, 42, 43, 44]);
    let pool = Pool::new(2).unwrap();
    let parallel = pool.map(5, &|i| odds::run_one(&scenario, &expectations, odds::seed_at(40, i)), &|_| {});
    assert_eq!(parallel, sequential);
    // The figures are the run summary's, not a second computation.
    let mut seeded = scenario;
    seeded.seed = 42;
    let report = run(&seeded, &RunOptions::default()).unwrap();
    let figures = sequential[2].figures.as_ref().unwrap();
    assert_eq!(figures.success_rate, report.summary.total.success_rate);
    assert_eq!(figures.p99_ms, report.summary.total.latency.p99_ms);
    assert_eq!(sequential[2].verdicts, expect::check(&expectations, &seeded, &report));
    // And the outcome travels as JSON unchanged.
    let text = serde_json::to_string(&sequential[2]).unwrap();
    assert_eq!(serde_json::from_str::<SeedOutcome>(&text).unwrap(), sequential[2]);
}

#[test]
fn distributions_and_shares_are_exact_on_a_hand_checked_case() {
    let d = Distribution::of(&[Some(4.0), None, Some(1.0), Some(3.0), Some(2.0)]).unwrap();
    assert_eq!(
        d,
        Distribution { count: 4, missing: 1, min: 1.0, p25: 1.75, median: 2.5, p75: 3.25, max: 4.0, mean: 2.5 }
    );
    assert_eq!(Distribution::of(&[None, Some(f64::NAN)]), None);
    let verdict = |pass| Verdict { claim: "c".into(), measured: String::new(), pass };
    let outcome = |seed, success_rate, recovery: Option<f64>, passes: [bool; 2]| SeedOutcome {
        seed,
        figures: Some(Figures {
            success_rate,
            goodput_rps: 10.0,
            p99_ms: 100.0 * success_rate,
            amplification: 1.0,
            recovery_ms: vec![recovery],
        }),
        verdicts: passes.iter().map(|p| verdict(*p)).collect(),
        digest: String::new(),
        error: None,
    };
    let outcomes = [
        outcome(1, 0.5, Some(3000.0), [true, false]),
        outcome(2, 1.0, None, [true, true]),
        outcome(3, 0.75, Some(5000.0), [false, false]),
        SeedOutcome::stopped(4, "bound".into()),
    ];
    let result = odds::aggregate(&outcomes, 2, 1);
    assert_eq!((result.runs, result.stopped), (4, 1));
    let success = result.figures[0].1.as_ref().unwrap();
    assert_eq!((success.count, success.missing, success.median, success.mean), (3, 1, 0.75, 0.75));
    assert_eq!((success.p25, success.p75), (0.625, 0.875));
    let recovery = result.recovery_ms[0].as_ref().unwrap();
    assert_eq!(
        (recovery.count, recovery.missing, recovery.min, recovery.median, recovery.max),
        (2, 2, 3000.0, 4000.0, 5000.0)
    );
    assert_eq!((result.assertions[0].holds, result.assertions[0].runs, result.assertions[0].share), (2, 4, 0.5));
    assert_eq!((result.assertions[1].holds, result.assertions[1].share), (1, 0.25));
}

/// A service with constant latency `latency`, 100 rps for `duration`, and one outage.
fn outage(latency: &str, outage_to: Option<&str>, duration: &str) -> Value {
    let mut fault = json!({ "outage": { "from": "10s", "status": 503 } });
    if let Some(to) = outage_to {
        fault["outage"]["to"] = json!(to);
    }
    json!({
        "version": 2, "name": "outage", "seed": 1, "duration": duration,
        "services": [{ "name": "s", "latency": { "constant": latency }, "faults": [fault] }],
        "endpoints": [{ "name": "e", "service": "s", "load": { "constant": { "rps": 100 } }, "stack": [] }],
        "expect": [{ "slowest": { "at_most": "250ms" } }]
    })
}

#[test]
fn recovery_is_the_end_of_the_first_good_window_after_the_fault_or_never() {
    let figures = |doc: &Value| {
        let scenario = Scenario::from_json(&doc.to_string()).unwrap();
        odds::run_one(&scenario, &[], 1).figures.unwrap()
    };
    // Healthy before, healthy right after: back at the end of the first 3-bucket window.
    assert_eq!(figures(&outage("10ms", Some("20s"), "40s")).recovery_ms, [Some(3_000.0)]);
    // A fault that never ends, or one that ends too late for a whole window: never.
    assert_eq!(figures(&outage("10ms", None, "40s")).recovery_ms, [None]);
    assert_eq!(figures(&outage("10ms", Some("38s"), "40s")).recovery_ms, [None]);
    assert_eq!(odds::RECOVERY_WINDOW_BUCKETS, 3);
}

#[test]
fn tipping_bisects_to_a_known_flip() {
    // `slowest ≤ 250ms` holds exactly while the constant latency is at most 250 ms.
    let doc = outage("100ms", Some("12s"), "20s");
    let request = TipRequest {
        knob: "/services/0/latency/constant".into(),
        from: json!("50ms"),
        to: json!("500ms"),
        assertion: 0,
        seeds: 2,
        first_seed: 1,
    };
    let sequential = |n: usize, work: &(dyn Fn(usize) -> SeedOutcome + Sync)| (0..n).map(work).collect();
    let tip = odds::tip(&doc, &request, &sequential).unwrap();
    let us = |v: &Option<Value>| {
        v.as_ref().unwrap().as_str().unwrap().parse::<resilience_engine::time::Span>().unwrap().as_micros()
    };
    let (good, bad) = (us(&tip.last_holding), us(&tip.first_failing));
    assert!(good <= 250_000 && bad > 250_000 && bad - good <= 450_000 / 1024 + 1, "[{good}, {bad}]");
    assert_eq!(tip.claim, "no request longer than 250ms");
    assert_eq!(tip.runs, tip.probes.len() * 2);
    assert_eq!(tip.probes.len(), 12, "two ends and ten halvings");
    assert_eq!((tip.probes[0].share, tip.probes[1].share), (1.0, 0.0));
    // A constant latency: every seed agrees at every probe, so they agree on the bracket too.
    assert_eq!((&tip.holds_on_every_seed_to, &tip.fails_on_every_seed_from), (&tip.last_holding, &tip.first_failing));
    // The same search on a pool gives the same probes.
    let pool = Pool::new(2).unwrap();
    let on_pool = |n: usize, work: &(dyn Fn(usize) -> SeedOutcome + Sync)| pool.map(n, work, &|_| {});
    assert_eq!(odds::tip(&doc, &request, &on_pool).unwrap(), tip);
    // Stepped by hand (as the browser's pool does, a probe at a time), the same search: the
    // partial result grows a probe per step, and the bound on probes holds.
    let mut search = odds::TipSearch::new(&doc, &request).unwrap();
    assert_eq!(search.probes_at_most(), 12);
    let mut steps = 0;
    while let Some(probe) = search.next_probe().unwrap() {
        let outcomes: Vec<SeedOutcome> = (0..request.seeds)
            .map(|i| {
                let expectations = resilience_engine::expect::read(&probe.doc).unwrap();
                odds::run_one(&probe.scenario, &expectations, odds::seed_at(request.first_seed, i))
            })
            .collect();
        search.record(&outcomes);
        steps += 1;
        assert_eq!(search.result().probes.len(), steps);
        assert!(!search.over());
    }
    assert!(search.over());
    assert_eq!(search.result(), tip);
    assert!(search.next_probe().unwrap().is_none(), "an ended search asks for nothing");
    // Ends on the wrong side are reported, not bisected.
    let backwards = TipRequest { from: json!("500ms"), to: json!("50ms"), ..request };
    let tip = odds::tip(&doc, &backwards, &sequential).unwrap();
    assert_eq!(
        (tip.note.as_str(), tip.probes.len(), tip.last_holding),
        ("the assertion already fails at from", 1, None)
    );
    // A whole-number knob narrows to adjacent values.
    let attempts = retries_one_to_three(1);
    let mut short_spike = small_sweep();
    short_spike["endpoints"][0]["load"]["spike"]["to"] = json!("21s");
    let tip = odds::tip(&short_spike, &attempts, &sequential).unwrap();
    assert_eq!((tip.last_holding, tip.first_failing), (Some(json!(1)), Some(json!(2))));
    assert_eq!(tip.probes.iter().map(|p| p.value.clone()).collect::<Vec<_>>(), [json!(1), json!(3), json!(2)]);
}

#[test]
fn a_search_in_whole_milliseconds_never_makes_more_probes_than_it_announced() {
    // Past a second, durations snap to whole milliseconds, so a halved bracket can stay up to a
    // millisecond wider than exact halving: the search must stop there, not probe once more
    // ("probe 13 of at most 12").
    let mut doc = outage("1s", Some("12s"), "20s");
    doc["expect"] = json!([{ "slowest": { "at_most": "1777ms" } }]);
    let request = TipRequest {
        knob: "/services/0/latency/constant".into(),
        from: json!("1s"),
        to: json!("3s"),
        assertion: 0,
        seeds: 1,
        first_seed: 1,
    };
    let mut search = odds::TipSearch::new(&doc, &request).unwrap();
    let announced = search.probes_at_most();
    assert_eq!(announced, 12);
    while let Some(probe) = search.next_probe().unwrap() {
        let expectations = resilience_engine::expect::read(&probe.doc).unwrap();
        search.record(&[odds::run_one(&probe.scenario, &expectations, 1)]);
        assert!(search.result().probes.len() <= announced, "{} probes", search.result().probes.len());
    }
    let tip = search.result();
    assert_eq!((tip.last_holding, tip.first_failing), (Some(json!("1.776s")), Some(json!("1.778s"))));
    assert_eq!(tip.probes.len(), 12);
}

#[test]
fn a_batch_past_the_limits_is_refused_before_any_run_saying_by_how_much() {
    let mut doc = storm();
    let refused = |doc: &mut Value, sweep: Value| {
        doc["sweep"] = sweep;
        Plan::new(doc).unwrap_err().to_string()
    };
    let error = refused(
        &mut doc,
        json!({
            "knobs": [
                { "path": "/endpoints/0/stack/0/retry/max_attempts", "from": 1, "to": 20, "steps": 20 },
                { "path": "/endpoints/0/stack/1/timeout/timeout", "from": "100ms", "to": "500ms", "steps": 20 }
            ],
            "seeds": 20
        }),
    );
    assert_eq!(
        error,
        "sweep: this sweep would simulate 156 million requests, 1.6× the limit of 100 million; use fewer cells, seeds or a shorter run"
    );
    doc["sweep"]["seeds"] = json!(1000);
    let error = Plan::new(&doc).unwrap_err().to_string();
    assert_eq!(
        error,
        "sweep: this sweep would simulate 400000 runs, 2× the limit of 200000; use fewer cells, seeds or a shorter run"
    );
    // Cells that all make the document invalid still count as runs, and such a sweep is refused
    // before any work (a shared link asked for 1.6 million runs of invalid cells).
    let error = refused(
        &mut doc,
        json!({
            "knobs": [
                { "path": "/endpoints/0/load/spike/spike_rps", "from": 1e5, "to": 1e6, "steps": 40 },
                { "path": "/duration", "from": "1h", "to": "100h", "steps": 40 }
            ],
            "seeds": 1000
        }),
    );
    assert_eq!(
        error,
        "sweep: this sweep would simulate 1.6 million runs, 8× the limit of 200000; use fewer cells, seeds or a shorter run"
    );
    let error = refused(
        &mut doc,
        json!({
            "knobs": [{ "path": "/endpoints/0/stack/0/retry/max_attempts", "from": -5, "to": -1, "steps": 5 }],
            "seeds": 2
        }),
    );
    assert!(
        error.starts_with("sweep: every cell makes the document invalid, so nothing would run; cell 0 (/endpoints/0/stack/0/retry/max_attempts = -5): "),
        "{error}"
    );
    let mut long = storm();
    long["duration"] = json!("1000s");
    let scenario = Scenario::from_json(&long.to_string()).unwrap();
    assert_eq!(scenario.expected_requests(), 301_500.0);
    assert_eq!(odds::check_batch(&scenario, 300), Ok(()));
    let error = odds::check_batch(&scenario, 1000).unwrap_err().to_string();
    assert_eq!(
        error,
        "seeds: this batch of seeds would simulate 301.5 million requests, 3.1× the limit of 100 million; use fewer seeds or a shorter run"
    );
    assert_eq!(
        odds::check_batch(&scenario, 0).unwrap_err().to_string(),
        "seeds: must be between 1 and 1000 seeds, got 0"
    );
}

#[test]
fn a_search_past_the_limits_is_refused_with_what_to_make_smaller() {
    let mut doc = small_sweep();
    doc["endpoints"][0]["load"] = json!({ "constant": { "rps": 2000 } });
    doc["duration"] = json!("1h");
    let request = retries_one_to_three(20);
    let Err(error) = odds::TipSearch::new(&doc, &request) else { panic!("refused") };
    assert_eq!(error.path, "tip");
    assert!(error.message.starts_with("this search would simulate "), "{error}");
    assert!(error.message.ends_with("; use fewer seeds or a shorter run"), "{error}");
}

/// A search of the first retry layer's attempts from 1 to 3 for claim 0, `seeds` per probe.
fn retries_one_to_three(seeds: usize) -> TipRequest {
    TipRequest {
        knob: "/endpoints/0/stack/0/retry/max_attempts".into(),
        from: json!(1),
        to: json!(3),
        assertion: 0,
        seeds,
        first_seed: 7,
    }
}
