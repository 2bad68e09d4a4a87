//! Each algorithm against its library's rules (`../shared/reference/semantics.md`).

use super::*;
use crate::patterns::document::PatternDoc;
use crate::time::Span;

const MS: u64 = 1_000;
const S: u64 = 1_000_000;

fn limiter(json: &str) -> RateLimiter {
    let doc: RateLimiterDoc = serde_json::from_str(json).unwrap();
    RateLimiter::new(doc.parse().unwrap())
}

fn at(limiter: &mut RateLimiter, now_us: u64, calls: usize) -> Vec<Permit> {
    (0..calls).map(|_| limiter.acquire(now_us)).collect()
}

#[test]
fn resilience4j_reserves_ahead_and_pays_the_debt_back() {
    let mut l = limiter(r#"{"algorithm":"resilience4j","limit":2,"period":"1s"}"#);
    let waits = at(&mut l, 0, 5);
    assert_eq!(waits, [Permit::Now, Permit::Now, Permit::After(S), Permit::After(S), Permit::After(2 * S)]);
    assert_eq!(l.available(0), -3);
    // Cycle 1 refills 2: the balance is -1, so the next call waits for cycle 2.
    assert_eq!(l.acquire(S), Permit::After(S));
    // No carry-over: after a long pause the balance is the limit, not more.
    assert_eq!(l.available(10 * S), 2);
}

#[test]
fn resilience4j_refuses_after_waiting_its_whole_timeout() {
    let mut l = limiter(r#"{"algorithm":"resilience4j","limit":2,"period":"1s","max_wait":"500ms"}"#);
    assert_eq!(at(&mut l, 0, 3), [Permit::Now, Permit::Now, Permit::Refused(500 * MS)]);
    assert_eq!(l.available(0), 0, "a refused call reserves nothing");
    assert_eq!(limiter(r#"{}"#).max_wait_us, Some(5 * S), "resilience4j's default timeout is 5 s");
}

#[test]
fn token_bucket_starts_full_queues_then_refuses() {
    let mut l = limiter(r#"{"algorithm":"token_bucket","limit":1,"period":"1s","burst":2,"queue":1}"#);
    assert_eq!(at(&mut l, 0, 4), [Permit::Now, Permit::Now, Permit::After(S), Permit::Refused(0)]);
    // At the boundary the queued call takes the new token; the next one queues for the next.
    assert_eq!(l.acquire(S), Permit::After(S));
    // Replenishment stops at the burst.
    assert_eq!(l.available(60 * S), 2);
}

#[test]
fn smooth_spaces_permits_evenly() {
    let mut l = limiter(r#"{"algorithm":"smooth","limit":10,"period":"1s"}"#);
    assert_eq!(at(&mut l, 0, 2), [Permit::Now, Permit::Refused(0)], "failsafe waits 0 by default");
    let mut l = limiter(r#"{"algorithm":"smooth","limit":10,"period":"1s","max_wait":"1s"}"#);
    assert_eq!(at(&mut l, 0, 3), [Permit::Now, Permit::After(100 * MS), Permit::After(200 * MS)]);
    assert_eq!(l.acquire(350 * MS), Permit::Now);
}

#[test]
fn bursty_pays_debt_back_without_a_cap() {
    let mut l = limiter(r#"{"algorithm":"bursty","limit":2,"period":"1s","max_wait":"10s"}"#);
    let waits = at(&mut l, 0, 5);
    assert_eq!(waits, [Permit::Now, Permit::Now, Permit::After(S), Permit::After(S), Permit::After(2 * S)]);
    assert_eq!(l.acquire(S), Permit::After(S));
    // failsafe's quirk: a debt of 2 paid back over 5 periods of 2 leaves 8, above the limit.
    assert_eq!(l.available(6 * S), 8);
}

#[test]
fn fixed_window_opens_at_the_first_call_and_chains_windows_under_load() {
    let mut l = limiter(r#"{"algorithm":"fixed_window","limit":2,"period":"1s"}"#);
    let waits = at(&mut l, 500 * MS, 5);
    assert_eq!(waits, [Permit::Now, Permit::Now, Permit::After(S), Permit::After(S), Permit::After(2 * S)]);
    // Idle past the last window: a new one opens at once.
    assert_eq!(l.acquire(4 * S), Permit::Now);
    let mut shed = limiter(r#"{"algorithm":"fixed_window","limit":1,"period":"1s","max_wait":"0s"}"#);
    assert_eq!(at(&mut shed, 0, 2), [Permit::Now, Permit::Refused(0)]);
}

#[test]
fn bad_settings_are_named_and_build_nothing() {
    let doc = RateLimiterDoc {
        limit: 0,
        period: Span::ZERO,
        burst: Some(0),
        max_wait: Some(Span::from_secs(7_200)),
        shared: Some(" ".into()),
        ..RateLimiterDoc::default()
    };
    let fields: Vec<_> = doc.parse().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["limit", "period", "max_wait", "burst", "shared"]);
}

#[test]
fn extreme_values_do_not_overflow() {
    for algorithm in ["resilience4j", "token_bucket", "smooth", "bursty", "fixed_window"] {
        let json = format!(
            r#"{{"algorithm":"{algorithm}","limit":1000000,"period":"1ms","burst":1000000,"queue":1000000,"max_wait":"1h"}}"#
        );
        let mut l = limiter(&json);
        for t in [0, 1, u64::MAX / 2, u64::MAX - 1, u64::MAX] {
            let _ = l.acquire(t);
            let _ = l.available(t);
        }
    }
}
