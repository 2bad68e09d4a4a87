//! Bulkhead settings as scenario files write them, and how they are read.

use serde::{Deserialize, Serialize};

use super::{BulkheadLayer, BulkheadSettings};
use crate::catalog::LayerSpec;
use crate::patterns::check::{ConfigError, FieldCheck};
use crate::patterns::document::PatternDoc;
use crate::patterns::enabled_by_default;
use crate::patterns::registry::CompileContext;
use crate::scenario::{CAPACITY, QUEUE};
use crate::time::Span;

/// Settings of a bulkhead. Defaults follow resilience4j's semaphore bulkhead: 25 concurrent
/// calls, no waiting.
///
/// Two flavours: `max_wait` > 0 lets calls wait that long for a permit (resilience4j); `queue`
/// bounds the number of waiting calls, FIFO (cockatiel's `bulkhead(limit, queue)`, a thread
/// pool's bounded queue). With a queue and no `max_wait`, queued calls wait as long as it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkheadDoc {
    /// False keeps the layer in the stack but lets calls pass straight through.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Calls allowed inside at once.
    #[serde(default = "default_max_concurrent")]
    pub max_concurrent: u32,
    /// How long a call may wait for a permit (0: not at all, unless `queue` is set).
    #[serde(default)]
    pub max_wait: Span,
    /// How many calls may wait, FIFO. Unbounded when only `max_wait` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<u32>,
}

impl Default for BulkheadDoc {
    fn default() -> Self {
        Self { enabled: true, max_concurrent: default_max_concurrent(), max_wait: Span::ZERO, queue: None }
    }
}

const fn default_max_concurrent() -> u32 {
    25
}

impl PatternDoc for BulkheadDoc {
    type Layer = BulkheadLayer;
    type Settings = BulkheadSettings;
    const SPEC: &'static LayerSpec = &super::spec::SPEC;

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn parse(&self) -> Result<BulkheadSettings, Vec<ConfigError>> {
        let mut check = FieldCheck::default();
        check.count("max_concurrent", self.max_concurrent, CAPACITY);
        if let Some(queue) = self.queue {
            check.count("queue", queue, QUEUE);
        }
        let wait_us = self.max_wait.as_micros();
        let (wait_max_us, waiting_max) = match (wait_us, self.queue) {
            (0, None) => (Some(0), 0),
            (0, Some(queue)) => (None, queue as usize),
            (wait, queue) => (Some(wait), queue.map_or(usize::MAX, |q| q as usize)),
        };
        check.finish(|| BulkheadSettings { permits_max: self.max_concurrent, wait_max_us, waiting_max })
    }

    fn build(&self, settings: BulkheadSettings, _cx: &CompileContext<'_>) -> BulkheadLayer {
        BulkheadLayer::bulkhead(settings)
    }
}
