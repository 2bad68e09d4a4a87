//! Each algorithm against its library's tests and source (Netflix concurrency-limits:
//! `AIMDLimitTest`, `VegasLimitTest`, `Gradient2Limit`, `ExpAvgMeasurement`).

use super::algorithms::{ExpAvg, log10_root};
use super::*;
use crate::patterns::contract::{Counter, Decision, LayerPattern, Probe, Reply};
use crate::patterns::document::PatternDoc;
use crate::patterns::{Failure, FailureKind};
use crate::rng::{Stream, StreamId};
use crate::sim::TraceKind;
use crate::time::{Instant, Span};

const MS: u64 = 1_000;

/// A fixed draw, for the Vegas probe jitter.
struct Fixed(f64);

impl Random for Fixed {
    fn unit(&mut self) -> f64 {
        self.0
    }
}

fn limit(json: &str) -> AdaptiveLimit {
    let doc: AdaptiveLimitDoc = serde_json::from_str(json).unwrap();
    AdaptiveLimit::new(doc.parse().unwrap(), &mut Fixed(0.5))
}

fn sample(limit: &mut AdaptiveLimit, rtt_us: u64, inflight: u32, dropped: bool) -> u32 {
    limit.on_sample(Sample { rtt_us, inflight, dropped, started_us: 0 }, &mut Fixed(0.5))
}

#[test]
fn aimd_adds_one_near_the_limit_and_backs_off_on_a_drop() {
    // AIMDLimitTest.increaseOnSuccess / decreaseOnDrops / successOverflow.
    let mut l = limit(r#"{"algorithm":"aimd","initial_limit":20,"min_limit":1}"#);
    assert_eq!(sample(&mut l, MS, 10, false), 21);
    let mut l = limit(r#"{"algorithm":"aimd","initial_limit":30,"min_limit":1}"#);
    assert_eq!(sample(&mut l, 0, 0, true), 27);
    let mut l = limit(r#"{"algorithm":"aimd","initial_limit":21,"max_limit":21,"min_limit":1}"#);
    assert_eq!(sample(&mut l, MS, 10, false), 21, "held at the max");
    // Less than half the limit in flight: app-limited, no growth.
    let mut l = limit(r#"{"algorithm":"aimd","initial_limit":20,"min_limit":1}"#);
    assert_eq!(sample(&mut l, MS, 9, false), 20);
    // Slower than the timeout (5 s by default) is a drop.
    assert_eq!(sample(&mut l, 5_000 * MS + 1, 20, false), 18);
    assert_eq!(sample(&mut l, 5_000 * MS, 20, false), 19, "at the timeout exactly: a success");
}

#[test]
fn aimd_never_goes_below_its_min() {
    let mut l = limit(r#"{"algorithm":"aimd"}"#);
    assert_eq!(l.limit(), 20, "Netflix defaults: initial 20, min 20");
    for _ in 0..10 {
        assert_eq!(sample(&mut l, MS, 1, true), 20);
    }
}

#[test]
fn exp_avg_averages_plainly_then_exponentially() {
    let mut avg = ExpAvg::new(100);
    assert_eq!(avg.add(10.0), 10.0);
    assert_eq!(avg.add(20.0), 15.0);
    for _ in 0..8 {
        avg.add(15.0);
    }
    // Past the 10 warm-up samples: factor 2 / (100 + 1).
    let expected = 15.0 * (1.0 - 2.0 / 101.0) + 116.0 * (2.0 / 101.0);
    assert!((avg.add(116.0) - expected).abs() < 1e-9);
}

#[test]
fn gradient2_grows_by_the_smoothed_queue_size_while_latency_is_flat() {
    let mut l = limit(r#"{"algorithm":"gradient2","initial_limit":20,"min_limit":1}"#);
    // gradient 1: 20·0.8 + (20 + 4)·0.2 = 20.8, then 21.6.
    assert_eq!(sample(&mut l, 10 * MS, 20, false), 20);
    assert_eq!(sample(&mut l, 10 * MS, 20, false), 21);
    // App-limited (fewer than half in flight): unchanged.
    assert_eq!(sample(&mut l, 10 * MS, 5, false), 21);
    // Drops are not a signal to Gradient2.
    assert_eq!(sample(&mut l, 10 * MS, 20, true), 22);
}

#[test]
fn gradient2_shrinks_by_at_most_half_of_the_smoothing_when_latency_jumps() {
    let mut l = limit(r#"{"algorithm":"gradient2","initial_limit":100,"min_limit":1}"#);
    for _ in 0..10 {
        sample(&mut l, 10 * MS, 100, false);
    }
    let State::Gradient2(g) = &l.state else { unreachable!() };
    let e = g.estimate;
    // 4× the long RTT: the gradient clamps at 0.5; new = e·0.5 + 4, smoothed 0.9·e + 0.8.
    let after = sample(&mut l, 40 * MS, 100, false);
    assert_eq!(after, (0.9 * e + 0.8) as u32);
    assert!(after < e as u32);
}

#[test]
fn gradient2_forgets_a_slow_spell_faster_when_latency_recovers() {
    let mut l = limit(r#"{"algorithm":"gradient2","initial_limit":20,"min_limit":1,"long_window":10}"#);
    for _ in 0..10 {
        sample(&mut l, 100 * MS, 1, false);
    }
    sample(&mut l, 10 * MS, 1, false);
    let State::Gradient2(g) = &l.state else { unreachable!() };
    // long = 100·(1 − 2/11) + 10·2/11 ≈ 83.6 ms, more than 2 × 10 ms: cut by 5 %.
    let long = (100.0 * (1.0 - 2.0 / 11.0) + 10.0 * 2.0 / 11.0) * 1_000.0 * 0.95;
    assert!((g.long_rtt.value - long).abs() < 1e-6, "{} vs {long}", g.long_rtt.value);
}

fn vegas() -> AdaptiveLimit {
    // VegasLimitTest.create(): alpha 3, beta 6, smoothing 1, initial 10, max 20.
    limit(r#"{"algorithm":"vegas","alpha":3,"beta":6,"smoothing":1,"initial_limit":10,"max_limit":20}"#)
}

#[test]
fn vegas_follows_netflix_s_tests() {
    let mut l = vegas();
    assert_eq!(sample(&mut l, 10 * MS, 10, false), 10, "the first sample is the no-load RTT");
    assert_eq!(sample(&mut l, 10 * MS, 11, false), 16, "increaseLimit: no queue, + beta");
    let mut l = vegas();
    sample(&mut l, 10 * MS, 10, false);
    assert_eq!(sample(&mut l, 50 * MS, 11, false), 9, "decreaseLimit: queue 8 > beta");
    let mut l = vegas();
    sample(&mut l, 10 * MS, 10, false);
    assert_eq!(sample(&mut l, 14 * MS, 14, false), 10, "noChangeIfWithinThresholds: queue 3");
    // largeLimitIncrease: log10(10000) = 4, beta = 24.
    let mut l = limit(r#"{"algorithm":"vegas","initial_limit":10000,"max_limit":20000}"#);
    assert_eq!(sample(&mut l, 10_000_000, 5000, false), 10000);
    assert_eq!(sample(&mut l, 10_000_000, 6000, false), 10024);
}

#[test]
fn vegas_smooths_and_shrinks_on_a_drop() {
    let mut l = limit(r#"{"algorithm":"vegas","smoothing":0.5,"initial_limit":100,"max_limit":200}"#);
    sample(&mut l, 10 * MS, 100, false);
    // queue = ceil(100·(1 − 10/20)) = 50 > beta 12: 100 − 2 = 98, smoothed to 99.
    assert_eq!(sample(&mut l, 20 * MS, 100, false), 99);
    let mut l = vegas();
    sample(&mut l, 10 * MS, 10, false);
    assert_eq!(sample(&mut l, 10 * MS, 1, true), 9, "a drop decreases even when app-limited");
}

#[test]
fn vegas_probes_the_no_load_rtt_again_after_enough_samples() {
    // Jitter 0.75 (a draw of 0.5) · multiplier 2 · limit 10 = 15: the 15th sample is the new
    // no-load RTT, even though it is slower than the lowest seen.
    let mut l = limit(r#"{"algorithm":"vegas","probe_multiplier":2,"initial_limit":10,"max_limit":20}"#);
    sample(&mut l, 10 * MS, 10, false);
    for _ in 0..13 {
        sample(&mut l, 14 * MS, 1, false);
    }
    let State::Vegas(v) = &l.state else { unreachable!() };
    assert_eq!(v.rtt_noload_us, 10 * MS);
    sample(&mut l, 30 * MS, 1, false);
    let State::Vegas(v) = &l.state else { unreachable!() };
    assert_eq!(v.rtt_noload_us, 30 * MS);
    assert_eq!([log10_root(0), log10_root(9), log10_root(10), log10_root(999), log10_root(1000)], [1, 1, 1, 2, 3]);
}

#[test]
fn bad_settings_are_named_and_build_nothing() {
    let doc = AdaptiveLimitDoc {
        initial_limit: Some(0),
        max_limit: Some(2_000_000),
        backoff_ratio: 1.0,
        timeout: Span::ZERO,
        smoothing: Some(f64::NAN),
        long_window: 0,
        rtt_tolerance: 0.5,
        alpha: Some(10),
        beta: Some(5),
        probe_multiplier: 0,
        ..AdaptiveLimitDoc::default()
    };
    let errors = doc.parse().unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "initial_limit",
            "max_limit",
            "backoff_ratio",
            "timeout",
            "smoothing",
            "long_window",
            "rtt_tolerance",
            "beta",
            "probe_multiplier"
        ]
    );
    assert_eq!(errors[0].to_string(), "initial_limit: must be between 1 and 1000000, got 0");
}

#[test]
fn limits_outside_their_bounds_are_brought_within() {
    let doc = |json: &str| serde_json::from_str::<AdaptiveLimitDoc>(json).unwrap();
    assert_eq!(doc(r#"{"min_limit":2,"max_limit":5}"#).limits(), (5, 2, 5), "the default 20 starts at the max");
    assert_eq!(doc(r#"{"min_limit":50,"max_limit":10}"#).limits(), (10, 10, 10), "a min above the max is the max");
    assert_eq!(doc(r#"{"algorithm":"vegas","initial_limit":1}"#).limits(), (1, 1, 1_000));
    let l = limit(r#"{"initial_limit":500,"max_limit":30}"#);
    assert_eq!(l.limit(), 30);
}

#[test]
fn extreme_values_stay_within_bounds() {
    for algorithm in ["aimd", "gradient2", "vegas", "envoy_gradient"] {
        let json = format!(
            r#"{{"algorithm":"{algorithm}","initial_limit":1,"min_limit":1,"max_limit":1000000,"queue_size":1000000,
                "long_window":1,"probe_multiplier":1,"rtt_tolerance":100}}"#
        );
        let mut l = limit(&json);
        for (rtt, inflight, dropped) in [(0, 0, false), (u64::MAX, u32::MAX, false), (1, u32::MAX, true), (0, 1, false)]
        {
            for _ in 0..50 {
                let now = sample(&mut l, rtt, inflight, dropped);
                assert!((1..=1_000_000).contains(&now), "{algorithm}: {now}");
            }
        }
    }
}

/// A probe that keeps the layer's events and occupancy.
#[derive(Default)]
struct Recorder {
    now_us: u64,
    events: Vec<(u8, u32)>,
    in_use: u32,
}

impl Probe for Recorder {
    fn now(&self) -> Instant {
        Instant::ZERO.plus_micros(self.now_us)
    }
    fn key(&self) -> u32 {
        0
    }
    fn trace(&mut self, kind: TraceKind, value: u32) {
        assert_eq!(kind, TraceKind::LayerEvent);
        self.events.push(((value >> 24) as u8, value & 0xff_ffff));
    }
    fn count(&mut self, _counter: Counter) {}
    fn occupancy(&mut self, in_use: u32, _waiting: u32) {
        self.in_use = in_use;
    }
    fn state(&mut self, _code: u8) {}
    fn wake_layer_at(&mut self, _at: Option<Instant>) {}
}

#[test]
fn the_layer_refuses_at_the_limit_and_traces_each_new_limit() {
    let doc: AdaptiveLimitDoc = serde_json::from_str(r#"{"initial_limit":2,"min_limit":1}"#).unwrap();
    let mut layer = AdaptiveLimitLayer::new(doc.parse().unwrap(), Stream::new(1, StreamId::Latency(0)));
    let mut probe = Recorder::default();
    let (mut a, go) = layer.enter(0, &mut probe);
    assert_eq!(go, Decision::Forward);
    let (mut b, _) = layer.enter(1, &mut probe);
    let (_, refused) = layer.enter(2, &mut probe);
    assert!(matches!(refused, Decision::Answer(Reply::Err(Failure::Rejected(_)))));
    let (inside, refused) = (layer::event::IN_FLIGHT, layer::event::REFUSED);
    assert_eq!((probe.in_use, probe.events.as_slice()), (2, [(inside, 1), (inside, 2), (refused, 2)].as_slice()));
    probe.now_us = 10 * MS;
    layer.on_reply(&mut a, Reply::Ok(crate::patterns::contract::Source::Service), &mut probe);
    assert_eq!(probe.events.last(), Some(&(layer::event::RAISED, 3)));
    layer.on_reply(&mut b, Reply::Err(Failure::Timeout), &mut probe);
    assert_eq!(probe.events.last(), Some(&(layer::event::LOWERED, 2)), "(int)(3 · 0.9) = 2");
    assert_eq!((probe.in_use, layer.in_flight()), (0, 0));
    // A cancelled call gives its place back and is no sample.
    let (mut c, _) = layer.enter(3, &mut probe);
    layer.on_cancel(&mut c, 3, &mut probe);
    layer.on_reply(&mut c, Reply::Err(Failure::Timeout), &mut probe);
    assert_eq!((layer.in_flight(), layer.limit().limit()), (0, 2));
    assert!(layer.limit().is_drop(FailureKind::Throttled) && !layer.limit().is_drop(FailureKind::ServerError));
}
