//! The throttle against the SRE book's formula and failsafe-go's `adaptivethrottler`.

use super::*;
use crate::patterns::contract::{Counter, Decision, LayerPattern, Probe, Reply, Source};
use crate::patterns::document::PatternDoc;
use crate::patterns::{Failure, FailureKind};
use crate::rng::{Stream, StreamId};
use crate::sim::TraceKind;
use crate::time::{Instant, Span};

const S: u64 = 1_000_000;

fn throttle(json: &str) -> Throttle {
    let doc: ThrottleDoc = serde_json::from_str(json).unwrap();
    Throttle::new(doc.parse().unwrap())
}

#[test]
fn nothing_is_refused_while_requests_stay_within_k_times_accepts() {
    let mut t = throttle("{}");
    for _ in 0..100 {
        assert!(t.admit(0, 0.0), "a draw of 0 is refused by any p > 0");
        t.record(0, true);
    }
    assert_eq!(t.rejection(0), 0.0);
    // Half accepted: requests = 2·accepts, still nothing refused with K = 2.
    for _ in 0..100 {
        t.admit(0, 0.999);
    }
    assert_eq!((t.counts(0), t.rejection(0)), ((200, 100), 0.0));
}

#[test]
fn the_sre_formula_counts_refused_calls_as_requests() {
    let mut t = throttle("{}");
    for _ in 0..10 {
        t.admit(0, 0.999);
        t.record(0, true);
    }
    for _ in 0..89 {
        t.admit(0, 0.999);
    }
    // requests 99, accepts 10: (99 − 20) / 100.
    assert!((t.rejection(0) - 0.79).abs() < 1e-12);
    assert!(!t.admit(0, 0.5), "refused below p");
    assert_eq!(t.counts(0), (100, 10), "the refused call is a request too");
    assert!(t.admit(0, 0.9), "let through above p");
}

#[test]
fn failsafe_go_counts_results_only_and_caps_the_rate() {
    let mut t = throttle(r#"{"rule":"failsafe_go"}"#);
    for _ in 0..10 {
        assert!(t.admit(0, 0.999), "never refused above the cap of 0.9");
        t.record(0, false);
    }
    // executions 10, successes 0: min(10 / 11, 0.9) = 0.9 (adaptivethrottler's cap).
    assert_eq!(t.rejection(0), 0.9);
    assert!(!t.admit(0, 0.5));
    assert_eq!(t.counts(0), (10, 0), "a refused call is not an execution");
    // computeRejectionRate: 100 executions, 80 successes, threshold 0.9: (100 − 88.9) / 101.
    let mut t = throttle(r#"{"rule":"failsafe_go","max_rejection":1}"#);
    for i in 0..100 {
        t.record(0, i < 80);
    }
    let expected = (100.0 - 80.0 / 0.9) / 101.0;
    assert!((t.rejection(0) - expected).abs() < 1e-9, "{} vs {expected}", t.rejection(0));
}

#[test]
fn min_requests_hold_refusals_back() {
    let mut t = throttle(r#"{"min_requests":5}"#);
    for _ in 0..4 {
        t.admit(0, 0.0);
        t.record(0, false);
    }
    assert_eq!(t.rejection(0), 0.0, "4 requests, fewer than 5");
    t.admit(0, 0.0);
    assert!(t.rejection(0) > 0.0);
}

#[test]
fn the_window_slides_bucket_by_bucket() {
    // 2 min in 20 buckets of 6 s.
    let mut t = throttle("{}");
    for _ in 0..10 {
        t.admit(0, 0.999);
    }
    for _ in 0..10 {
        t.admit(60 * S, 0.999);
    }
    assert_eq!(t.counts(119 * S).0, 20);
    assert_eq!(t.counts(120 * S).0, 10, "the first bucket slid out");
    assert_eq!(t.counts(180 * S).0, 0);
    assert_eq!(t.counts(u64::MAX).0, 0, "a jump far ahead empties everything");
}

#[test]
fn bad_settings_are_named_and_build_nothing() {
    let doc = ThrottleDoc {
        k: Some(0.5),
        window: Some(Span::ZERO),
        max_rejection: Some(f64::INFINITY),
        ..ThrottleDoc::default()
    };
    let fields: Vec<_> = doc.parse().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["k", "window", "max_rejection"]);
    let defaults = ThrottleDoc::default().parse().unwrap();
    assert_eq!((defaults.k, defaults.window_us, defaults.max_rejection), (2.0, 120 * S, 1.0));
}

/// A probe that keeps the layer's events.
#[derive(Default)]
struct Recorder {
    events: Vec<u8>,
}

impl Probe for Recorder {
    fn now(&self) -> Instant {
        Instant::ZERO
    }
    fn key(&self) -> u32 {
        0
    }
    fn trace(&mut self, kind: TraceKind, value: u32) {
        assert_eq!(kind, TraceKind::LayerEvent);
        self.events.push((value >> 24) as u8);
    }
    fn count(&mut self, _counter: Counter) {}
    fn occupancy(&mut self, _in_use: u32, _waiting: u32) {}
    fn state(&mut self, _code: u8) {}
    fn wake_layer_at(&mut self, _at: Option<Instant>) {}
}

#[test]
fn the_layer_records_what_the_backend_did_not_accept_and_refuses_locally() {
    let doc: ThrottleDoc = serde_json::from_str(r#"{"k":1,"max_rejection":1}"#).unwrap();
    let mut layer = ThrottleLayer::new(doc.parse().unwrap(), Stream::new(3, StreamId::Latency(0)));
    let mut probe = Recorder::default();
    let outage = Reply::Err(Failure::Status { code: 503, retry_after_us: None });
    let mut refused = 0;
    for me in 0..200 {
        let (mut call, decision) = layer.enter(me, &mut probe);
        match decision {
            Decision::Forward => {
                layer.on_reply(&mut call, outage, &mut probe);
            }
            _ => refused += 1,
        }
    }
    // Nothing accepted: p = n / (n + 1), so nearly every call is refused.
    assert!(refused > 150, "{refused}");
    let not_accepted = probe.events.iter().filter(|c| **c == layer::event::NOT_ACCEPTED).count();
    assert_eq!(not_accepted + refused, 200);
    let mut call = ThrottleCall::default();
    layer.on_reply(&mut call, Reply::Ok(Source::Service), &mut probe);
    assert_eq!(probe.events.len(), 200, "a call that was not sent records nothing");
    assert!(layer.throttle().records(FailureKind::Timeout) && !layer.throttle().records(FailureKind::ClientError));
}
