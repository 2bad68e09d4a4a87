//! The example scenarios shipped with the engine, by stable name. Each tells one story of the
//! seed's goals (fail fast, fail gracefully, stop the spread); `tests/scenarios.rs` asserts it.

/// (name, JSON) of every example, in gallery order. The first is the playground's default.
pub const ALL: &[(&str, &str)] = &[
    ("all-six", include_str!("../scenarios/all-six.json")),
    ("cache-outage", include_str!("../scenarios/cache-outage.json")),
    ("retry-transient", include_str!("../scenarios/retry-transient.json")),
    ("timeout-brownout", include_str!("../scenarios/timeout-brownout.json")),
    ("breaker-outage", include_str!("../scenarios/breaker-outage.json")),
    ("fallback-outage", include_str!("../scenarios/fallback-outage.json")),
    ("bulkhead-isolation", include_str!("../scenarios/bulkhead-isolation.json")),
    ("retry-storm", include_str!("../scenarios/retry-storm.json")),
    ("retries-every-layer", include_str!("../scenarios/retries-every-layer.json")),
    ("thundering-herd", include_str!("../scenarios/thundering-herd.json")),
    ("breaker-never-opens", include_str!("../scenarios/breaker-never-opens.json")),
    ("rate-limiter-spike", include_str!("../scenarios/rate-limiter-spike.json")),
    ("retry-budget-storm", include_str!("../scenarios/retry-budget-storm.json")),
    ("hedging-tail", include_str!("../scenarios/hedging-tail.json")),
    ("adaptive-limit-slowdown", include_str!("../scenarios/adaptive-limit-slowdown.json")),
    ("throttle-outage", include_str!("../scenarios/throttle-outage.json")),
];

/// The reference benchmark workloads (shared/bench/WORKLOADS.md) as scenarios.
pub const BENCH: &[(&str, &str)] = &[
    ("w1-stacked", include_str!("../scenarios/bench/w1-stacked.json")),
    ("w2-retry-timeout-bulkhead", include_str!("../scenarios/bench/w2-retry-timeout-bulkhead.json")),
    ("w3-hedge-budget", include_str!("../scenarios/bench/w3-hedge-budget.json")),
];

/// The name of the playground's default example.
pub const DEFAULT: &str = "all-six";

/// The JSON of the gallery example called `name` (not the benchmark workloads: the web app
/// asks for these only, so the workloads stay out of its bundle).
#[must_use]
pub fn gallery(name: &str) -> Option<&'static str> {
    ALL.iter().find(|(n, _)| *n == name).map(|(_, json)| *json)
}

/// The JSON of the example (or benchmark workload) called `name`.
#[must_use]
pub fn get(name: &str) -> Option<&'static str> {
    ALL.iter().chain(BENCH).find(|(n, _)| *n == name).map(|(_, json)| *json)
}
