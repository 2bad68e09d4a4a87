//! Conformance cases from resilience4j's and cockatiel's own suites (see conformance.md).

use super::*;
use crate::patterns::document::PatternDoc;
use crate::time::Span;

const F: CallResult = CallResult::Failure(FailureKind::ServerError);
const S: CallResult = CallResult::Success;

fn secs(s: u64) -> Instant {
    Instant::from_secs(s)
}

/// The "base" config shared by C01-C09 (and the fidelity tests).
pub(super) fn base() -> BreakerDoc {
    BreakerDoc {
        failure_rate: 50.0,
        slow_call_rate: 50.0,
        slow_call_duration: Span::from_secs(4),
        permitted_half_open: 4,
        max_wait_half_open: Some(Span::from_secs(1)),
        window: WindowDoc::Seconds(20),
        minimum_calls: 5,
        wait_open: Span::from_secs(5),
        ..BreakerDoc::default()
    }
}

/// Runs one call that starts at `at` and lasts `duration`.
fn call(cb: &mut CircuitBreaker, at: Instant, duration: Span, result: CallResult) {
    let permit = cb.try_acquire(at).expect("permitted");
    cb.record(at.plus(core::time::Duration::from_micros(duration.as_micros())), permit, result);
}

fn open_breaker(config: &BreakerDoc) -> CircuitBreaker {
    let mut cb = CircuitBreaker::new(&config.parse().unwrap());
    for _ in 0..config.minimum_calls {
        call(&mut cb, Instant::ZERO, Span::ZERO, F);
    }
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
    cb
}

fn half_open(config: &BreakerDoc) -> (CircuitBreaker, Instant) {
    let mut cb = open_breaker(config);
    let later = secs(6);
    let permit = cb.try_acquire(later).expect("half-open probe");
    cb.release(permit);
    assert_eq!(cb.state(), BreakerState::HalfOpen);
    (cb, later)
}

#[test]
fn c01_time_window_trips_at_exactly_fifty_percent() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    for (t, result) in [(0, S), (1, S), (2, S), (3, F), (4, F)] {
        call(&mut cb, secs(t), Span::ZERO, result);
    }
    assert_eq!(cb.state(), BreakerState::Closed, "2/5 = 40 %");
    call(&mut cb, secs(5), Span::ZERO, F);
    assert_eq!(cb.state(), BreakerState::Open { until: secs(10) }, "3/6 = 50 % is inclusive");
}

#[test]
fn c03_slow_call_rate_trips() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    let mut t = Instant::ZERO;
    for (ms, result) in [(5_000, F), (5_000, S), (100, F), (100, S)] {
        call(&mut cb, t, Span::from_millis(ms), result);
        t = t.plus_micros(ms * 1_000);
        assert_eq!(cb.state(), BreakerState::Closed);
    }
    call(&mut cb, t, Span::from_secs(5), S);
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
    // resilience4j keeps the closed metrics when opening: buffered 5, slow 3, slow rate 60 %.
    let m = cb.metrics();
    assert_eq!((m.buffered, m.slow, m.failed), (5, 3, 2));
    assert_eq!((m.slow_call_rate, m.failure_rate), (Some(60.0), Some(40.0)));
}

#[test]
fn c04_open_wait_is_strict() {
    let mut cb = open_breaker(&base());
    assert_eq!(cb.try_acquire(secs(0)), Err(Rejection::CircuitOpen { until: secs(5) }));
    assert!(cb.try_acquire(secs(3)).is_err());
    assert_eq!(cb.stats().not_permitted, 2);
    assert!(cb.try_acquire(secs(5)).is_err(), "exactly at the end: still open");
    let permit = cb.try_acquire(secs(6)).expect("after the wait: a probe");
    assert_eq!(cb.state(), BreakerState::HalfOpen);
    assert_eq!(cb.stats().not_permitted, 0, "metrics reset on the transition");
    cb.release(permit);

    let polly = BreakerDoc { open_boundary: OpenBoundary::AtOrAfter, ..base() };
    let mut cb = open_breaker(&polly);
    assert!(cb.try_acquire(secs(5)).is_ok(), "at_or_after half-opens exactly at the end");
}

#[test]
fn c06_half_open_permits_and_release() {
    let (mut cb, t) = half_open(&base());
    let permits: Vec<_> = (0..4).map(|_| cb.try_acquire(t).expect("one of four")).collect();
    assert_eq!(cb.try_acquire(t), Err(Rejection::HalfOpenFull));
    assert_eq!(cb.try_acquire(t), Err(Rejection::HalfOpenFull));
    let mut permits = permits.into_iter();
    cb.release(permits.next().unwrap());
    let again = cb.try_acquire(t).expect("a released permit is reusable");
    assert_eq!(cb.try_acquire(t), Err(Rejection::HalfOpenFull));
    for permit in permits.chain([again]) {
        cb.record(t, permit, F);
    }
    let BreakerState::Open { until } = cb.state() else { panic!("4 failed probes re-open") };
    let later = until.plus_micros(1);
    let fresh: Vec<_> = (0..4).map(|_| cb.try_acquire(later).expect("four fresh permits")).collect();
    assert_eq!(fresh.len(), 4);
    assert_eq!(cb.try_acquire(later), Err(Rejection::HalfOpenFull));
}

#[test]
fn c07_half_open_reopens_on_failure_rate() {
    let (mut cb, t) = half_open(&base());
    for result in [F, F, S] {
        call(&mut cb, t, Span::ZERO, result);
        assert_eq!(cb.state(), BreakerState::HalfOpen);
    }
    call(&mut cb, t, Span::ZERO, F);
    assert!(matches!(cb.state(), BreakerState::Open { .. }), "3/4 = 75 %");

    let (mut cb, t) = half_open(&base());
    let mut now = t;
    for seconds in [5, 5, 5, 1] {
        call(&mut cb, now, Span::from_secs(seconds), S);
        now = now.plus_micros(seconds * 1_000_000);
    }
    assert!(matches!(cb.state(), BreakerState::Open { .. }), "slow 75 %, failures 0 %");
}

#[test]
fn c08_half_open_closes_below_threshold() {
    let (mut cb, t) = half_open(&base());
    for result in [F, S, S, S] {
        call(&mut cb, t, Span::ZERO, result);
    }
    assert_eq!(cb.state(), BreakerState::Closed);
    assert_eq!(cb.stats().window, Totals::default(), "metrics reset");
    call(&mut cb, t, Span::ZERO, S);
    assert_eq!(cb.stats().window.calls, 1);
}

#[test]
fn c25_consecutive_breaker() {
    let config = BreakerDoc {
        consecutive_failures: Some(2),
        wait_open: Span::from_secs(1),
        permitted_half_open: 1,
        open_boundary: OpenBoundary::AtOrAfter,
        ..BreakerDoc::default()
    };
    let mut cb = CircuitBreaker::new(&config.parse().unwrap());
    call(&mut cb, Instant::ZERO, Span::ZERO, F);
    assert_eq!(cb.state(), BreakerState::Closed);
    call(&mut cb, Instant::ZERO, Span::ZERO, F);
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
    assert!(cb.try_acquire(Instant::ZERO).is_err());
    let probe = cb.try_acquire(Instant::from_millis(1_000)).expect("half-open at 1000 ms");
    assert_eq!(cb.state(), BreakerState::HalfOpen);
    cb.record(Instant::from_millis(1_000), probe, S);
    assert_eq!(cb.state(), BreakerState::Closed);
}

#[test]
fn successes_reset_the_consecutive_count() {
    let config = BreakerDoc { consecutive_failures: Some(2), ..BreakerDoc::default() };
    let mut cb = CircuitBreaker::new(&config.parse().unwrap());
    for result in [F, S, F, S, F] {
        call(&mut cb, Instant::ZERO, Span::ZERO, result);
    }
    assert_eq!(cb.state(), BreakerState::Closed);
}

#[test]
fn max_wait_in_half_open_leaves_the_state() {
    let (mut cb, t) = half_open(&base());
    assert_eq!(cb.poll_timeout(), Some(t.plus_micros(1_000_000)));
    cb.handle_timeout(t.plus_micros(999_999));
    assert_eq!(cb.state(), BreakerState::HalfOpen, "spurious wake-ups are no-ops");
    cb.handle_timeout(t.plus_micros(1_000_000));
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
    assert_eq!(cb.poll_timeout(), None);
}

#[test]
fn open_wait_grows_and_is_capped() {
    let config = BreakerDoc {
        wait_multiplier: 2.0,
        wait_max: Some(Span::from_secs(15)),
        open_boundary: OpenBoundary::AtOrAfter,
        ..base()
    };
    let mut cb = open_breaker(&config);
    let mut now = Instant::ZERO;
    let mut waits = Vec::new();
    for _ in 0..4 {
        let BreakerState::Open { until } = cb.state() else { panic!("open") };
        waits.push(until.micros_since(now) / 1_000_000);
        now = until;
        for _ in 0..4 {
            call(&mut cb, now, Span::ZERO, F);
        }
    }
    assert_eq!(waits, [5, 10, 15, 15]);
}

#[test]
fn evaluating_only_on_failures_waits_for_a_failure() {
    let config = BreakerDoc {
        window: WindowDoc::Count(4),
        minimum_calls: 4,
        evaluate: Evaluate::OnFailure,
        ..BreakerDoc::default()
    };
    let mut cb = CircuitBreaker::new(&config.parse().unwrap());
    for result in [F, F, S, S] {
        call(&mut cb, Instant::ZERO, Span::ZERO, result);
    }
    assert_eq!(cb.state(), BreakerState::Closed, "50 % reached on a success: not judged");
    call(&mut cb, Instant::ZERO, Span::ZERO, F);
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
}

#[test]
fn unrecorded_kinds_count_as_success_and_stale_permits_are_ignored() {
    let config = BreakerDoc {
        window: WindowDoc::Count(2),
        minimum_calls: 2,
        record: vec![FailureKind::ServerError],
        ..BreakerDoc::default()
    };
    let mut cb = CircuitBreaker::new(&config.parse().unwrap());
    let late = cb.try_acquire(Instant::ZERO).unwrap();
    call(&mut cb, Instant::ZERO, Span::ZERO, CallResult::Failure(FailureKind::Timeout));
    call(&mut cb, Instant::ZERO, Span::ZERO, CallResult::Failure(FailureKind::Timeout));
    assert_eq!(cb.state(), BreakerState::Closed, "timeouts are not recorded failures here");
    call(&mut cb, Instant::ZERO, Span::ZERO, F);
    assert!(matches!(cb.state(), BreakerState::Open { .. }), "window [S, F]: 50 %");
    cb.record(Instant::ZERO, late, S);
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
}
