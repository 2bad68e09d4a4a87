//! Bulkhead and client-pool occupancy, reconstructed from the trace alone (never from the
//! bulkhead's own counters), so the "never more than its permits" invariant is checked from
//! the outside.
//!
//! The trace records a bulkhead's `BulkheadAdmitted`, `BulkheadQueued` and `BulkheadRejected`,
//! but no release. Each admission's release is therefore derived from the request's later
//! records:
//! - the client pool is the outermost layer: it releases when the request completes, and the
//!   request's `Complete` record is written right after the release;
//! - a stack bulkhead at index `l` holds its permit while the request's records stay inside
//!   it: records of deeper layers (`layer > l`) and the service records of the request's own
//!   calls. The permit is counted free right after the last such record. That is never later
//!   than the real release (so a correct run never fails), and equal to it in trace order
//!   unless other requests' records are interleaved at the same instant.
//!
//! A service call started by a fallback *outside* the bulkhead looks like the calls inside it
//! (`AttemptStart` at the service); when the stack has such a fallback, an `AttemptStart` counts
//! as inside only when the record before it is a step down towards the service (the admission
//! itself, a cache miss, a breaker permit, a deeper bulkhead's admission or a retry's wait).

use std::collections::BTreeMap;

use resilience_engine::Scenario;
use resilience_engine::patterns::fallback::FallbackAction;
use resilience_engine::scenario::Layer;
use resilience_engine::sim::{NO_REQUEST, POOL, Report, SERVICE, TraceEvent, TraceKind};

/// The most permits a bulkhead (or the pool) held at once according to the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peak {
    /// Endpoint index, or `None` for the client pool.
    pub endpoint: Option<usize>,
    /// Stack index of the bulkhead ([`POOL`] for the pool).
    pub layer: u8,
    /// Most permits held at once.
    pub held_max: u32,
    /// The bulkhead's limit.
    pub limit: u32,
}

/// Occupancy peaks of every bulkhead and of the pool, read from the full trace.
pub fn peaks(scenario: &Scenario, report: &Report) -> Vec<Peak> {
    let events = &report.trace.as_ref().expect("full trace").events;
    let mut by_request = BTreeMap::<u32, Vec<usize>>::new();
    for (i, e) in events.iter().enumerate().filter(|(_, e)| e.request != NO_REQUEST) {
        by_request.entry(e.request).or_default().push(i);
    }
    // (endpoint, layer) → (trace position, +1 admitted / -1 released).
    let mut changes = BTreeMap::<(Option<usize>, u8), Vec<(usize, i64)>>::new();
    for records in by_request.values() {
        let first = &events[records[0]];
        assert_eq!(first.kind, TraceKind::Arrival, "a request's first record is its arrival");
        let endpoint = first.value as usize;
        for (k, &i) in records.iter().enumerate().filter(|(_, i)| events[**i].kind == TraceKind::BulkheadAdmitted) {
            let layer = events[i].layer;
            let (key, held_to) = if layer == POOL {
                ((None, POOL), pool_release(events, &records[k + 1..]))
            } else {
                let outer = has_outer_fallback_call(scenario, endpoint, layer);
                ((Some(endpoint), layer), layer_release(events, &records[k..], outer))
            };
            // Admission at position 2i; release just after record `held_to` (2j + 1).
            changes.entry(key).or_default().extend([(2 * i, 1), (2 * held_to + 1, -1)]);
        }
    }
    changes.into_iter().map(|(key, list)| peak_of(scenario, key, list)).collect()
}

/// Panics if a bulkhead or the pool held more permits than it has, according to the trace.
pub fn check(scenario: &Scenario, report: &Report) {
    for peak in peaks(scenario, report) {
        assert!(peak.held_max <= peak.limit, "bulkhead over its limit (from the trace): {peak:?}");
    }
}

/// The last record during which the pool's permit is held: the one before `Complete`.
fn pool_release(events: &[TraceEvent], later: &[usize]) -> usize {
    later.iter().find(|i| events[**i].kind == TraceKind::Complete).map_or(usize::MAX / 4, |i| i - 1)
}

/// The last record of the request inside the bulkhead admitted at `records[0]`.
fn layer_release(events: &[TraceEvent], records: &[usize], outer_fallback_call: bool) -> usize {
    let layer = events[records[0]].layer;
    let mut last = records[0];
    for pair in records.windows(2) {
        let (before, record) = (&events[pair[0]], &events[pair[1]]);
        let deeper = record.layer > layer && record.layer < SERVICE;
        let own_call = record.layer == SERVICE
            && (record.kind != TraceKind::AttemptStart || !outer_fallback_call || steps_down(before, layer));
        if !(deeper || own_call) {
            return last;
        }
        last = pair[1];
    }
    // Still inside when the trace ends (an unfinished request).
    usize::MAX / 4
}

/// Whether `before` leads further in at or below `layer`, towards the service.
fn steps_down(before: &TraceEvent, layer: u8) -> bool {
    before.layer >= layer
        && before.layer < SERVICE
        && matches!(
            before.kind,
            TraceKind::BulkheadAdmitted
                | TraceKind::CacheMiss
                | TraceKind::BreakerPermitted
                | TraceKind::RetryScheduled
        )
}

/// Whether an enabled fallback that calls a service sits outside layer `layer`.
fn has_outer_fallback_call(scenario: &Scenario, endpoint: usize, layer: u8) -> bool {
    scenario.endpoints[endpoint].stack[..usize::from(layer)]
        .iter()
        .any(|l| matches!(l, Layer::Fallback(f) if f.enabled && matches!(f.action, FallbackAction::Service(_))))
}

/// The peak of one bulkhead's running permit count.
fn peak_of(scenario: &Scenario, (endpoint, layer): (Option<usize>, u8), mut list: Vec<(usize, i64)>) -> Peak {
    let limit = match endpoint {
        None => scenario.client.as_ref().expect("pool admissions need a pool").workers,
        Some(e) => match &scenario.endpoints[e].stack[usize::from(layer)] {
            Layer::Bulkhead(config) => config.max_concurrent,
            other => panic!("a bulkhead admission at a {} layer", other.kind_name()),
        },
    };
    list.sort_unstable();
    let (mut held, mut held_max) = (0_i64, 0_i64);
    for (_, change) in list {
        held += change;
        assert!(held >= 0, "released more permits than were given");
        held_max = held_max.max(held);
    }
    Peak { endpoint, layer, held_max: u32::try_from(held_max).unwrap_or(u32::MAX), limit }
}
