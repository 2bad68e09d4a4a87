//! The scenario document: what a share link carries and the headless runner reads.
//!
//! One serde document with an explicit schema `version`. Durations are human strings
//! (`"250ms"`); unknown fields are errors; every error names the path of the offending field,
//! as in `endpoints[0].stack[2].retry.max_attempts: must be between 1 and 100`.

mod decode;
mod estimate;
pub(crate) use estimate::about;
mod json_path;
mod limits;
pub mod link;
mod maps_only;
mod model;
pub mod presets;
mod sequence;
mod validate;

use core::fmt;

use serde::{Deserialize, Serialize};

pub use limits::*;
pub use model::{Capacity, ClientPool, Endpoint, Fault, Keys, Latency, Layer, Load, Service};
pub use sequence::{Outcomes, OutcomesError, SequenceStep};

use crate::time::Span;

/// The schema version this engine writes and reads.
pub const SCHEMA_VERSION: u32 = 2;

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
    #[serde(deserialize_with = "decode::bounded::<_, _, SERVICES_MAX>")]
    pub services: Vec<Service>,
    /// Sources of requests, each with its stack.
    #[serde(deserialize_with = "decode::bounded::<_, _, ENDPOINTS_MAX>")]
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
    /// Cheap checks come first: size, emptiness, that the text opens a JSON object, and the
    /// schema version (a document from a newer engine is refused as such). Then one typed pass
    /// reads the document, every list bounded as it is read.
    ///
    /// # Errors
    /// Empty, oversized, non-object or newer-version input; malformed JSON, wrong types,
    /// unknown fields and too-long lists, with the path.
    pub fn parse(json: &str) -> Result<Self, ScenarioError> {
        decode::check_size(json.len())?;
        decode::check_shape(json)?;
        let version = decode::peek_version(json);
        decode::check_version(version)?;
        if presets::needed(json, version) {
            return Self::parse_resolved(json);
        }
        decode::typed(json)
    }

    /// [`Scenario::parse`] for a document that names libraries or is v1: migrated, its presets
    /// filled in, then read by the typed pass. Positions in errors would point into the
    /// rewritten text, so only the path is given.
    fn parse_resolved(json: &str) -> Result<Self, ScenarioError> {
        let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(json) else {
            return decode::typed(json);
        };
        presets::resolve(&mut doc)?;
        decode::typed(&doc.to_string())
            .map_err(|error| ScenarioError::new(error.path, decode::without_position(&error.message)))
    }

    /// [`Scenario::parse`] for raw bytes (a file): bad UTF-8 is reported with its byte offset.
    ///
    /// # Errors
    /// As [`Scenario::parse`], and text that is not UTF-8.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, ScenarioError> {
        decode::check_size(bytes.len())?;
        Self::parse(decode::utf8(bytes)?)
    }

    /// Reads and validates a scenario from raw bytes (a file).
    ///
    /// # Errors
    /// As [`Scenario::parse_bytes`], then the first validation problem, with its path.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ScenarioError> {
        decode::check_size(bytes.len())?;
        Self::from_json(decode::utf8(bytes)?)
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

    /// About how many requests the load produces over the duration (a closed-loop client sends
    /// at most one request per think time plus the fastest answer it can get, and at most one
    /// per millisecond).
    #[must_use]
    pub fn expected_requests(&self) -> f64 {
        self.endpoints.iter().map(|e| estimate::endpoint_requests(self, e)).sum()
    }

    /// At most how many downstream attempts the scenario can make: for each endpoint its
    /// expected requests times [`Endpoint::attempts_per_request`].
    #[must_use]
    pub fn expected_attempts(&self) -> f64 {
        self.endpoints.iter().map(|e| estimate::endpoint_requests(self, e) * e.attempts_per_request()).sum()
    }

    /// The index of the service called `name`.
    #[must_use]
    pub fn service_index(&self, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.name == name)
    }
}

#[cfg(test)]
mod tests;
