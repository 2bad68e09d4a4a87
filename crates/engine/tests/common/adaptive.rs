//! Adaptive limits read from the trace alone: every limit an adaptive limit layer reports
//! (its "limit raised" and "limit lowered" events, the new limit as the figure) lies within
//! its `[min_limit, max_limit]`.

use std::collections::BTreeMap;

use resilience_engine::Scenario;
use resilience_engine::scenario::Layer;
use resilience_engine::sim::{NO_REQUEST, Report, TraceKind};

/// Codes of the adaptive limit's "limit raised" and "limit lowered" events.
const LIMIT_CHANGED: [u8; 2] = [1, 2];

/// Every limit each adaptive limit layer reported, as ((endpoint, layer), limits in order).
pub fn limits(scenario: &Scenario, report: &Report) -> BTreeMap<(usize, usize), Vec<u32>> {
    let events = &report.trace.as_ref().expect("full trace").events;
    let mut endpoint_of = BTreeMap::<u32, usize>::new();
    let mut seen = BTreeMap::<(usize, usize), Vec<u32>>::new();
    for e in events.iter().filter(|e| e.request != NO_REQUEST) {
        if e.kind == TraceKind::Arrival {
            endpoint_of.insert(e.request, e.value as usize);
        }
        if e.kind != TraceKind::LayerEvent {
            continue;
        }
        let endpoint = endpoint_of[&e.request];
        let layer = usize::from(e.layer);
        let is_adaptive = matches!(scenario.endpoints[endpoint].stack.get(layer), Some(Layer::AdaptiveLimit(_)));
        let (code, figure) = e.layer_event();
        if is_adaptive && LIMIT_CHANGED.contains(&code) {
            seen.entry((endpoint, layer)).or_default().push(figure);
        }
    }
    seen
}

/// Panics if an adaptive limit ever reported a limit outside its bounds.
pub fn check(scenario: &Scenario, report: &Report) {
    for ((endpoint, layer), reported) in limits(scenario, report) {
        let Some(Layer::AdaptiveLimit(doc)) = scenario.endpoints[endpoint].stack.get(layer) else { unreachable!() };
        let (_, min, max) = doc.limits();
        for limit in reported {
            assert!(
                (min..=max).contains(&limit),
                "adaptive limit {limit} outside [{min}, {max}] at {endpoint}/{layer}"
            );
        }
    }
}
