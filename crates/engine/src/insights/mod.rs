//! Config insights: warnings computed from a stack, its load and its run, each attached to
//! the layer it concerns, with a one-click fix where one exists.
//!
//! | id | says |
//! |---|---|
//! | `retries_through_breaker` | retries outside a breaker feed it every attempt, so it opens after fewer calls |
//! | `timeout_cuts_retries` | a timeout around a retry ends calls before the retry's last attempt |
//! | `attempt_timeout_too_long` | a per-attempt timeout no shorter than the whole call's |
//! | `retries_multiply` | retries at several layers multiply: worst case ×N |
//! | `bulkhead_over_capacity` | a bulkhead (or the client pool) larger than the service can serve |
//! | `breaker_never_judges` | at this load the breaker's time window never holds its minimum calls |
//! | `no_jitter` | many clients retry on the same schedule |
//! | `stale_shorter_than_outage` | cached answers expire before an outage ends |
//! | `hedge_below_median` | a hedge delay below the service's median latency |

mod stack;
#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::Value;

use crate::Scenario;
use crate::sim::Report;

/// One warning about a scenario's configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Insight {
    /// A stable name for the kind of warning (see the module's table).
    pub id: &'static str,
    /// The endpoint it concerns.
    pub endpoint: usize,
    /// The layer it concerns (its index in the endpoint's stack), if one.
    pub layer: Option<usize>,
    /// What is wrong, with the figures that show it.
    pub message: String,
    /// A change that removes the problem, if there is a simple one.
    pub fix: Option<Fix>,
}

/// A change to the scenario document: values to set at JSON pointers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    /// What the change does, as a button would say it.
    pub label: String,
    /// `(pointer, value)` pairs (`/endpoints/0/stack/1/retry/jitter`, `"full"`).
    pub edits: Vec<(String, Value)>,
}

/// Every insight about `scenario`, using `report` (a run of it) for the load-dependent ones.
#[must_use]
pub fn insights(scenario: &Scenario, report: &Report) -> Vec<Insight> {
    let mut found = Vec::new();
    for endpoint in 0..scenario.endpoints.len() {
        let scope = stack::Scope::new(scenario, report, endpoint);
        found.extend(stack::all(&scope));
    }
    found
}

/// A layer's JSON pointer: `/endpoints/0/stack/2/retry`.
fn pointer(endpoint: usize, layer: usize, kind: &str) -> String {
    format!("/endpoints/{endpoint}/stack/{layer}/{kind}")
}
