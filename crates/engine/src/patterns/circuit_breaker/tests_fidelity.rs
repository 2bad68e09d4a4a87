//! Step 6 fidelity fixes, each mirroring a test of the library it follows: resilience4j's
//! `CircuitBreakerStateMachineTest` (R4J), failsafe's `HalfOpenStateTest` and
//! `CountingCircuitStats` (FS).

use super::*;
use crate::patterns::document::PatternDoc;
use crate::time::Span;

const F: CallResult = CallResult::Failure(FailureKind::ServerError);
const S: CallResult = CallResult::Success;
const T0: Instant = Instant::ZERO;

/// R4J's test setUp config (conformance "base"), with 4xx ignored.
fn base() -> BreakerDoc {
    BreakerDoc { ignore: vec![FailureKind::ClientError], ..super::tests::base() }
}

fn call(cb: &mut CircuitBreaker, at: Instant, result: CallResult) -> Recorded {
    let permit = cb.try_acquire(at).expect("permitted");
    cb.record(at, permit, result)
}

/// (failure rate, successful, buffered, failed, not permitted): R4J's
/// `assertCircuitBreakerMetricsEqualTo`, with `None` for its −1.
fn summary(cb: &CircuitBreaker) -> (Option<f64>, u32, u32, u32, u64) {
    let m = cb.metrics();
    (m.failure_rate, m.successful, m.buffered, m.failed, m.not_permitted)
}

fn events(cb: &mut CircuitBreaker) -> Vec<BreakerEvent> {
    core::iter::from_fn(|| cb.poll_event()).collect()
}

fn transitions(cb: &mut CircuitBreaker) -> Vec<(u8, u8)> {
    events(cb)
        .into_iter()
        .filter_map(|e| match e {
            BreakerEvent::StateTransition { from, to, .. } => Some((from.code(), to.code())),
            _ => None,
        })
        .collect()
}

/// R4J `shouldOpenAfterFailureRateThresholdExceeded`: the rate is "not computed" (−1) below
/// the minimum; the closed metrics stay readable once open; a refused call is counted there.
#[test]
fn r4j_open_keeps_the_closed_metrics() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    assert_eq!(summary(&cb), (None, 0, 0, 0, 0));
    let expected = [(None, 0, 1, 1, 0), (None, 0, 2, 2, 0), (None, 0, 3, 3, 0), (None, 1, 4, 3, 0)];
    for (result, want) in [F, F, F, S].into_iter().zip(expected) {
        call(&mut cb, T0, result);
        assert_eq!(cb.state(), BreakerState::Closed);
        assert_eq!(summary(&cb), want);
    }
    call(&mut cb, T0, S);
    assert!(matches!(cb.state(), BreakerState::Open { .. }));
    assert_eq!(summary(&cb), (Some(60.0), 2, 5, 3, 0));
    let published = events(&mut cb);
    assert!(matches!(published[0], BreakerEvent::FailureRateExceeded { rate, .. } if rate == 60.0));
    assert!(matches!(published[1], BreakerEvent::StateTransition { from: BreakerState::Closed, .. }));
    assert_eq!(published.len(), 2);
    assert!(cb.try_acquire(T0).is_err());
    assert_eq!(summary(&cb), (Some(60.0), 2, 5, 3, 1));
    assert_eq!(cb.metrics().minimum_calls, 5);
}

/// R4J `shouldTransitionToHalfOpenAfterWaitInterval` (`ofExponentialBackoff(5000)`: 5 s, then
/// 7.5 s), and IntervalFunction's `(long)(v · m)` truncation to whole ms at each step.
#[test]
fn r4j_growing_open_wait_is_truncated_to_whole_milliseconds() {
    let config = BreakerDoc { wait_multiplier: 1.5, ..base() };
    let mut cb = CircuitBreaker::new(&config.parse().unwrap());
    cb.transition_to(T0, Target::Open).unwrap();
    assert_eq!(cb.state(), BreakerState::Open { until: Instant::from_secs(5) });
    cb.transition_to(T0, Target::HalfOpen).unwrap();
    cb.transition_to(T0, Target::Open).unwrap();
    assert_eq!(cb.state(), BreakerState::Open { until: Instant::from_millis(7_500) });

    let odd = BreakerDoc { wait_open: Span::from_millis(101), ..config };
    let mut cb = CircuitBreaker::new(&odd.parse().unwrap());
    let mut waits = Vec::new();
    for _ in 0..5 {
        cb.transition_to(T0, Target::Open).unwrap();
        let BreakerState::Open { until } = cb.state() else { panic!("open") };
        waits.push(until.as_micros() / 1_000);
    }
    assert_eq!(waits, [101, 151, 226, 339, 508], "not 101 · 1.5^4 = 511.3");
}

/// R4J `shouldForceOpenCircuitBreaker`, and the same state as a config `mode`.
#[test]
fn r4j_forced_open_rejects_forever() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    cb.transition_to(T0, Target::ForcedOpen).unwrap();
    assert_eq!(cb.state(), BreakerState::ForcedOpen);
    assert!(cb.try_acquire(T0).is_err());
    assert!(cb.try_acquire(Instant::from_secs(6)).is_err(), "no half-open after the wait");
    assert_eq!(cb.state(), BreakerState::ForcedOpen);
    assert_eq!(summary(&cb), (None, 0, 0, 0, 2));
    assert_eq!(transitions(&mut cb), [(0, 4)]);

    let mut cb = CircuitBreaker::new(&BreakerDoc { mode: BreakerMode::ForcedOpen, ..base() }.parse().unwrap());
    assert_eq!(cb.try_acquire(Instant::from_secs(3600)), Err(Rejection::CircuitOpen { until: Instant::NEVER }));
    assert_eq!(cb.state().code(), 4);
    assert!(events(&mut cb).is_empty(), "starting in a state is no transition");
}

/// R4J `shouldDisableCircuitBreaker` and `shouldNotProduceEventsInDisabledState`.
#[test]
fn r4j_disabled_permits_everything_and_records_nothing() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    cb.transition_to(T0, Target::Disabled).unwrap();
    assert_eq!(cb.state().code(), 3);
    assert_eq!(call(&mut cb, T0, S), Recorded::NotCounted);
    for _ in 0..4 {
        assert_eq!(call(&mut cb, T0, F), Recorded::NotCounted);
    }
    assert_eq!(cb.state(), BreakerState::Disabled);
    assert_eq!(summary(&cb), (None, 0, 0, 0, 0));
    assert_eq!(transitions(&mut cb), [(0, 3)], "one state transition, nothing else");
    assert_eq!(
        CircuitBreaker::new(&BreakerDoc { mode: BreakerMode::Disabled, ..base() }.parse().unwrap()).state().code(),
        3
    );
}

/// R4J `shouldRecordMetricsInMetricsOnlyState` and `shouldPublishEachEventOnceInMetricOnlyState`.
#[test]
fn r4j_metrics_only_records_and_publishes_once_but_never_blocks() {
    let mut cb = CircuitBreaker::new(&BreakerDoc { mode: BreakerMode::MetricsOnly, ..base() }.parse().unwrap());
    assert_eq!(cb.state().code(), 5);
    for result in [F, F, F, S, S] {
        call(&mut cb, T0, result);
    }
    assert_eq!(cb.state(), BreakerState::MetricsOnly);
    assert_eq!(summary(&cb), (Some(60.0), 2, 5, 3, 0));
    call(&mut cb, T0, F);
    let published = events(&mut cb);
    assert_eq!(published.len(), 1, "{published:?}");
    assert!(matches!(published[0], BreakerEvent::FailureRateExceeded { rate, .. } if rate == 60.0));

    // Five slow failures: each event once.
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    cb.transition_to(T0, Target::MetricsOnly).unwrap();
    let _ = events(&mut cb);
    for _ in 0..5 {
        let permit = cb.try_acquire(T0).unwrap();
        cb.record(Instant::from_secs(5), permit, F);
    }
    let kinds: Vec<_> = events(&mut cb).into_iter().map(|e| core::mem::discriminant(&e)).collect();
    assert_eq!(kinds.len(), 2);
    assert_ne!(kinds[0], kinds[1]);
    assert!(cb.try_acquire(T0).is_ok());
}

/// R4J `circuitBreakerDoesNotPublishStateTransitionEventsForInternalTransitions` and
/// `shouldNotAllowTransitionFromClosedToHalfOpen`.
#[test]
fn r4j_no_event_for_a_transition_to_the_same_state() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    let illegal = cb.transition_to(T0, Target::HalfOpen);
    assert_eq!(illegal, Err(IllegalTransition { from: BreakerState::Closed, to: Target::HalfOpen }));
    assert_eq!(cb.state(), BreakerState::Closed);
    for target in [Target::Open, Target::HalfOpen, Target::Disabled, Target::MetricsOnly, Target::Closed] {
        cb.transition_to(T0, target).unwrap();
        cb.transition_to(T0, target).unwrap();
    }
    assert_eq!(transitions(&mut cb), [(0, 1), (1, 2), (2, 3), (3, 5), (5, 0)]);
    cb.transition_to(T0, Target::MetricsOnly).unwrap();
    assert!(cb.transition_to(T0, Target::Open).is_err());
    cb.reset(T0);
    let published = events(&mut cb);
    assert!(matches!(published[..], [_, BreakerEvent::StateTransition { .. }, BreakerEvent::Reset { .. }]));
    cb.reset(T0);
    assert!(matches!(events(&mut cb)[..], [BreakerEvent::Reset { .. }]), "closed → closed: no transition");
}

/// R4J `shouldReleasePermissionWhenExceptionIgnored`: an ignored failure gives its half-open
/// permit back and is not recorded.
#[test]
fn r4j_ignored_failures_release_the_permit() {
    let mut cb = CircuitBreaker::new(&base().parse().unwrap());
    cb.transition_to(T0, Target::Open).unwrap();
    cb.transition_to(T0, Target::HalfOpen).unwrap();
    for n in 1..=3 {
        call(&mut cb, T0, S);
        assert_eq!(cb.state(), BreakerState::HalfOpen);
        assert_eq!(summary(&cb), (None, n, n, 0, 0));
    }
    let ignored = call(&mut cb, T0, CallResult::Failure(FailureKind::ClientError));
    assert_eq!(ignored, Recorded::Ignored);
    assert_eq!(summary(&cb), (None, 3, 3, 0, 0));
    assert_eq!(call(&mut cb, T0, F), Recorded::Failure { slow: false }, "the 4th permit is free again");
    assert_eq!(cb.state(), BreakerState::Closed, "1 of 4 failed: 25 % < 50 %");
    assert_eq!(summary(&cb), (None, 0, 0, 0, 0));
}

/// FS `HalfOpenStateTest.testSuccessWithSuccessAndFailureRatios` /
/// `testFailureWithSuccessAndFailureRatios`: `withSuccessThreshold(3, 4)` decides half-open,
/// whatever the closed state's failure threshold says.
#[test]
fn failsafe_half_open_success_threshold() {
    let config = BreakerDoc { half_open_successes: Some(3), ..base() };
    for (last, closes) in [(S, true), (F, false)] {
        let mut cb = CircuitBreaker::new(&config.parse().unwrap());
        cb.transition_to(T0, Target::Open).unwrap();
        cb.transition_to(T0, Target::HalfOpen).unwrap();
        for result in [S, F, S] {
            call(&mut cb, T0, result);
            assert_eq!(cb.state(), BreakerState::HalfOpen);
        }
        call(&mut cb, T0, last);
        assert_eq!(cb.state() == BreakerState::Closed, closes, "{last:?}");
        assert_eq!(cb.state().blocks(), !closes);
    }
}

/// FS `CountingCircuitStats.getFailureRate`: `Math.round(failures / executions · 100)`; 2 of 3
/// is 67 %, which reaches a 67 % threshold only when rates are rounded.
#[test]
fn failsafe_rates_rounded_to_whole_percent() {
    let config = BreakerDoc { window: WindowDoc::Count(3), minimum_calls: 3, failure_rate: 67.0, ..base() };
    let mut exact = CircuitBreaker::new(&config.parse().unwrap());
    let mut rounded = CircuitBreaker::new(&BreakerDoc { round_rates: true, ..config }.parse().unwrap());
    for result in [F, S, F] {
        call(&mut exact, T0, result);
        call(&mut rounded, T0, result);
    }
    assert_eq!(exact.state(), BreakerState::Closed);
    assert!(exact.metrics().failure_rate.is_some_and(|r| (r - 66.67).abs() < 0.01));
    assert!(matches!(rounded.state(), BreakerState::Open { .. }));
    assert_eq!(rounded.metrics().failure_rate, Some(67.0));
    assert_eq!(metrics::percent(33, 50, true), 66.0, "testMetrics: 33 of 50");
}

/// A config built directly, without the validator, never panics.
#[test]
fn zero_sizes_and_nan_rates_are_refused_by_name_not_built() {
    let config = BreakerDoc {
        window: WindowDoc::Count(0),
        permitted_half_open: 0,
        minimum_calls: 0,
        consecutive_failures: Some(0),
        half_open_successes: Some(0),
        wait_multiplier: f64::NAN,
        failure_rate: f64::NAN,
        ..BreakerDoc::default()
    };
    let errors = config.parse().unwrap_err();
    let mut fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "consecutive_failures",
            "failure_rate",
            "half_open_successes",
            "minimum_calls",
            "permitted_half_open",
            "wait_multiplier",
            "window.count"
        ]
    );
    let seconds = BreakerDoc { window: WindowDoc::Seconds(0), ..BreakerDoc::default() };
    assert_eq!(seconds.parse().unwrap_err()[0].field, "window.seconds");
}
