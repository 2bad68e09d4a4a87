//! Import: a library's own configuration turned into scenario stacks with the matching
//! `semantics`.
//!
//! Reads (as YAML, which also reads JSON):
//! - a resilience4j Spring Boot `application.yml` (`resilience4j.<pattern>.instances.<name>`,
//!   with `configs` and `baseConfig`): one stack per instance name, in the Spring aspects'
//!   default order, outermost first: retry, circuit breaker, rate limiter, time limiter,
//!   bulkhead;
//! - a Polly v8 `appsettings.json` section (`Retry`, `CircuitBreaker`, `Timeout`,
//!   `TotalRequestTimeout`, `AttemptTimeout`, `RateLimiter`, `Hedging` options objects): one
//!   stack per section, in the standard HTTP handler's order;
//! - an Envoy cluster and route (`circuit_breakers`, `retry_policy`, `timeout`,
//!   `per_try_timeout`): one stack, as Envoy applies them.
//!
//! Every key that is not turned into a setting is listed by its path with the reason, never
//! dropped in silence.

mod envoy;
mod polly;
mod resilience4j;
mod support;
#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::Value;

/// What an import produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Imported {
    /// The library the configuration is for.
    pub library: &'static str,
    /// One stack per instance, pipeline or cluster, in document order.
    pub stacks: Vec<ImportedStack>,
    /// Keys not turned into settings: `path: reason`.
    pub unsupported: Vec<String>,
}

/// One stack of scenario layers (`{"retry": {...}}`), outermost first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportedStack {
    /// The instance, pipeline or cluster name.
    pub name: String,
    /// The layers, each with the library's `semantics`.
    pub stack: Vec<Value>,
}

/// Why a text could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError(pub String);

impl core::fmt::Display for ImportError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

/// Most bytes an import reads.
pub const IMPORT_BYTES_MAX: usize = 1024 * 1024;

/// Reads a resilience4j, Polly or Envoy configuration (YAML or JSON) into stacks.
///
/// # Errors
/// Text over [`IMPORT_BYTES_MAX`], text that is not YAML or JSON (with the parser's line), or
/// a document in none of the three shapes.
pub fn import(text: &str) -> Result<Imported, ImportError> {
    if text.len() > IMPORT_BYTES_MAX {
        return Err(ImportError(format!(
            "the file is too large: {} bytes; the limit is {IMPORT_BYTES_MAX}",
            text.len()
        )));
    }
    let doc: Value = serde_yaml::from_str(text).map_err(|e| ImportError(format!("not YAML or JSON: {e}")))?;
    let Value::Object(root) = doc else { return Err(ImportError("expected a mapping of settings".into())) };
    if root.contains_key("resilience4j") {
        return Ok(resilience4j::import(root));
    }
    if envoy::recognises(&root) {
        return Ok(envoy::import(root));
    }
    if let Some(imported) = polly::import(&root) {
        return Ok(imported);
    }
    Err(ImportError(
        "found no resilience4j (resilience4j.*), Polly (Retry, CircuitBreaker, Timeout … options) or Envoy (circuit_breakers, \
         retry_policy) settings"
            .into(),
    ))
}
