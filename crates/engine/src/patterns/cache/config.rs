//! Cache settings as scenario files write them.

use serde::{Deserialize, Serialize};

use crate::patterns::enabled_by_default;
use crate::time::Span;

/// Settings of a cache layer: entries live `ttl`, at most `capacity` of them (least recently
/// used evicted first); with `serve_stale`, an expired entry answers when the inner call fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// How long an entry is fresh.
    pub ttl: Span,
    /// Entries kept at most.
    #[serde(default = "default_capacity")]
    pub capacity: u32,
    /// Answer with an expired entry when the inner call fails.
    #[serde(default)]
    pub serve_stale: bool,
    /// How long past its TTL an entry may still be served stale (default: any age).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_staleness: Option<Span>,
}

const fn default_capacity() -> u32 {
    1_000
}
