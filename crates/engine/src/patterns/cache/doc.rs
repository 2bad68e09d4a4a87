//! Cache settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{Cache, CacheSettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::enabled_by_default;
use crate::patterns::registry::CompileContext;
use crate::scenario::CAPACITY;
use crate::time::Span;

/// Settings of a cache layer: entries live `ttl`, at most `capacity` of them (least recently
/// used evicted first); with `serve_stale`, an expired entry answers when the inner call fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheDoc {
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

impl PatternDoc for CacheDoc {
    type Layer = Cache;
    type Settings = CacheSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<CacheSettings, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        check.positive_span("ttl", self.ttl);
        check.count("capacity", self.capacity, CAPACITY);
        check.finish(|| CacheSettings {
            ttl_us: self.ttl.as_micros(),
            capacity: self.capacity,
            serve_stale: self.serve_stale,
            max_staleness_us: self.max_staleness.map_or(u64::MAX, |s| s.as_micros()),
        })
    }

    fn build(&self, settings: CacheSettings, cx: &CompileContext<'_>) -> Cache {
        Cache::new(settings, cx.key_space)
    }
}
