//! Bulkhead and client-pool occupancy, reconstructed from the trace alone (never from the
//! bulkhead's own counters), so the "never more than its permits" invariant is checked from
//! the outside: `BulkheadAdmitted` takes a permit; `BulkheadReleased` with value 0 (the call
//! is done) or 1 (an outer layer abandoned it) gives one back. The count is exact in trace
//! order.

use std::collections::BTreeMap;

use resilience_engine::Scenario;
use resilience_engine::scenario::Layer;
use resilience_engine::sim::{NO_REQUEST, POOL, Report, TraceKind};

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
    let mut endpoint_of = BTreeMap::<u32, usize>::new();
    // (endpoint, layer) → (permits held now, most held at once).
    let mut held = BTreeMap::<(Option<usize>, u8), (i64, i64)>::new();
    for e in events.iter().filter(|e| e.request != NO_REQUEST) {
        if e.kind == TraceKind::Arrival {
            endpoint_of.insert(e.request, e.value as usize);
        }
        let change = match (e.kind, e.value) {
            (TraceKind::BulkheadAdmitted, _) => 1,
            (TraceKind::BulkheadReleased, 0 | 1) => -1,
            _ => continue,
        };
        let endpoint = endpoint_of.get(&e.request).copied().expect("a request's first record is its arrival");
        let key = if e.layer == POOL { (None, POOL) } else { (Some(endpoint), e.layer) };
        let (now, most) = held.entry(key).or_default();
        *now += change;
        assert!(*now >= 0, "released more permits than were given at {key:?}");
        *most = (*most).max(*now);
    }
    held.into_iter().map(|(key, (_, most))| peak_of(scenario, key, most)).collect()
}

/// Panics if a bulkhead or the pool held more permits than it has, according to the trace.
pub fn check(scenario: &Scenario, report: &Report) {
    for peak in peaks(scenario, report) {
        assert!(peak.held_max <= peak.limit, "bulkhead over its limit (from the trace): {peak:?}");
    }
}

/// One bulkhead's peak, with its limit from the scenario.
fn peak_of(scenario: &Scenario, (endpoint, layer): (Option<usize>, u8), held_max: i64) -> Peak {
    let limit = match endpoint {
        None => scenario.client.as_ref().expect("pool admissions need a pool").workers,
        Some(e) => match &scenario.endpoints[e].stack[usize::from(layer)] {
            Layer::Bulkhead(config) => config.max_concurrent,
            other => panic!("a bulkhead admission at a {} layer", other.kind_name()),
        },
    };
    Peak { endpoint, layer, held_max: u32::try_from(held_max).unwrap_or(u32::MAX), limit }
}
