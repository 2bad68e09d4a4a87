//! The scenario document: what a share link carries and the headless runner reads.
//!
//! One serde document with an explicit schema `version`. Durations are human strings
//! (`"250ms"`); unknown fields are errors; every error names the path of the offending field,
//! as in `endpoints[0].stack[2].retry.max_attempts: must be between 1 and 100`.

mod limits;
pub mod link;
mod model;
mod validate;

use core::fmt;

use serde::{Deserialize, Serialize};

pub use limits::*;
pub use model::{Capacity, ClientPool, Endpoint, Fault, Keys, Latency, Layer, Load, Service};

use crate::time::Span;

/// The schema version this engine writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole scenario: services, endpoints with their load and stacks, seed and duration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Schema version; must be [`SCHEMA_VERSION`].
    pub version: u32,
    /// Short title.
    pub name: String,
    /// What the scenario shows (plain text, never markup).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Root of all randomness of a run.
    #[serde(default)]
    pub seed: u64,
    /// Virtual time during which requests arrive; in-flight work is drained afterwards.
    pub duration: Span,
    /// Requests arriving before this are left out of the summary.
    #[serde(default, skip_serializing_if = "Span::is_zero")]
    pub warmup: Span,
    /// Width of a metrics bucket (default 1 s, finer for runs shorter than 10 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<Span>,
    /// A shared client worker pool (what a bulkhead protects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<ClientPool>,
    /// Downstream dependencies.
    pub services: Vec<Service>,
    /// Sources of requests, each with its stack.
    pub endpoints: Vec<Endpoint>,
}

/// A problem with a scenario: where (a path such as `services[0].latency.p99`) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Path of the offending field; empty for the document as a whole.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
}

impl ScenarioError {
    /// An error at `path`.
    #[must_use]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Reads a scenario from JSON without checking ranges and references.
    ///
    /// # Errors
    /// Malformed JSON, wrong types, unknown fields and oversized input, with the path.
    pub fn parse(json: &str) -> Result<Self, ScenarioError> {
        if json.len() > INPUT_BYTES_MAX {
            return Err(ScenarioError::new(
                "",
                format!("scenario is {} bytes; the limit is {INPUT_BYTES_MAX}", json.len()),
            ));
        }
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let scenario: Self = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let path = if path == "." { String::new() } else { path };
            ScenarioError::new(path, error.into_inner().to_string())
        })?;
        deserializer.end().map_err(|e| ScenarioError::new("", e.to_string()))?;
        Ok(scenario)
    }

    /// Reads and validates a scenario.
    ///
    /// # Errors
    /// The first problem found, with its path.
    pub fn from_json(json: &str) -> Result<Self, ScenarioError> {
        let scenario = Self::parse(json)?;
        match scenario.validate().into_iter().next() {
            Some(error) => Err(error),
            None => Ok(scenario),
        }
    }

    /// Every range, reference and size problem of the scenario (empty when valid).
    #[must_use]
    pub fn validate(&self) -> Vec<ScenarioError> {
        validate::validate(self)
    }

    /// The scenario as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// About how many requests the load produces over the duration (closed loops: at most one
    /// request per client per think time).
    #[must_use]
    pub fn expected_requests(&self) -> f64 {
        let seconds = self.duration.as_secs_f64();
        self.endpoints.iter().map(|e| validate::expected_requests(&e.load, seconds)).sum()
    }

    /// The index of the service called `name`.
    #[must_use]
    pub fn service_index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests;
