//! Envoy's gradient controller against its source (`gradient_controller.cc`).

use super::*;
use crate::patterns::document::PatternDoc;

const MS: u64 = 1_000;
const S: u64 = 1_000_000;

/// A fixed draw, for the min-RTT jitter.
struct Fixed(f64);

impl Random for Fixed {
    fn unit(&mut self) -> f64 {
        self.0
    }
}

fn envoy(json: &str) -> AdaptiveLimit {
    let doc: AdaptiveLimitDoc = serde_json::from_str(json).unwrap();
    AdaptiveLimit::new(doc.parse().unwrap(), &mut Fixed(0.5))
}

/// `n` calls that entered at `at_us` and took `rtt_us`; answers the limit after the last.
fn answer(l: &mut AdaptiveLimit, at_us: u64, rtt_us: u64, n: u32) -> u32 {
    let sample = Sample { rtt_us, inflight: 1, dropped: false, started_us: at_us };
    (0..n).map(|_| l.on_sample(sample, &mut Fixed(0.5))).last().unwrap_or(l.limit())
}

fn controller(l: &AdaptiveLimit) -> &envoy::Envoy {
    let State::Envoy(e) = &l.state else { unreachable!() };
    e
}

#[test]
fn the_limit_is_pinned_to_the_minimum_until_the_min_rtt_is_measured() {
    let mut l = envoy(r#"{"algorithm":"envoy_gradient","initial_limit":10}"#);
    assert_eq!(l.limit(), 3, "min_concurrency while measuring");
    assert_eq!(answer(&mut l, 0, 10 * MS, 49), 3);
    // The 50th sample ends the measurement: min RTT = p50, the limit set aside comes back.
    assert_eq!(answer(&mut l, 0, 10 * MS, 1), 10);
    let e = controller(&l);
    assert_eq!((e.min_rtt_us, e.deferred), (10 * MS, None));
    // The next measurement: 60 s plus a draw of half of ceil(15 % of 60 s) = 4.5 s.
    assert_eq!(e.min_rtt_at, Some(10 * MS + 64_500 * MS));
    assert_eq!(e.sample_reset_at, Some(10 * MS + 100 * MS));
}

#[test]
fn each_update_moves_the_limit_by_the_gradient_plus_its_square_root() {
    let mut l = envoy(r#"{"algorithm":"envoy_gradient","initial_limit":10}"#);
    answer(&mut l, 0, 10 * MS, 50);
    // A window at the min RTT: gradient 12.5 / 10 = 1.25; 12.5 + sqrt(12.5) = 16.03.
    answer(&mut l, 20 * MS, 10 * MS, 5);
    assert_eq!(l.advance(110 * MS), 16);
    // A window at 4× the min RTT: the gradient clamps at 0.5; 8 + sqrt(8) = 10.8.
    answer(&mut l, 120 * MS, 40 * MS, 5);
    assert_eq!(l.advance(210 * MS), 10);
    // An empty window changes nothing, however many pass.
    assert_eq!(l.advance(5 * S), 10);
    // The p50 stands for the window (5.31 s to 5.41 s): two slow calls of five do not count.
    answer(&mut l, 5 * S + 300 * MS, 10 * MS, 3);
    answer(&mut l, 5 * S, 400 * MS, 2);
    assert_eq!(l.advance(5 * S + 500 * MS), 16);
}

#[test]
fn samples_from_before_a_min_rtt_window_are_ignored() {
    let mut l = envoy(r#"{"algorithm":"envoy_gradient","initial_limit":10,"min_rtt_interval":"1s","jitter":0}"#);
    answer(&mut l, 0, 10 * MS, 50);
    // The next measurement starts at 1.01 s; calls sent before it are not samples of it.
    assert_eq!(l.advance(1_010 * MS), 3);
    answer(&mut l, 1_000 * MS, 20 * MS, 100);
    assert_eq!((l.limit(), controller(&l).min_rtt_us), (3, 10 * MS));
    answer(&mut l, 1_010 * MS, 30 * MS, 50);
    assert_eq!(controller(&l).min_rtt_us, 30 * MS);
}

#[test]
fn five_updates_at_the_minimum_start_a_new_measurement() {
    let mut l = envoy(r#"{"algorithm":"envoy_gradient","initial_limit":3,"max_limit":3}"#);
    answer(&mut l, 0, 10 * MS, 50);
    for window in 1..=5 {
        let at = 10 * MS + window * 100 * MS;
        answer(&mut l, at - 50 * MS, 10 * MS, 1);
        l.advance(at);
    }
    assert!(controller(&l).deferred.is_some(), "measuring again after 5 updates at 3");
}
