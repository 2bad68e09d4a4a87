//! Bulkhead settings as scenario files write them.

use serde::{Deserialize, Serialize};

use crate::patterns::enabled_by_default;
use crate::time::Span;

/// Settings of a bulkhead. Defaults follow resilience4j's semaphore bulkhead: 25 concurrent
/// calls, no waiting.
///
/// Two flavours: `max_wait` > 0 lets calls wait that long for a permit (resilience4j); `queue`
/// bounds the number of waiting calls, FIFO (cockatiel's `bulkhead(limit, queue)`, a thread
/// pool's bounded queue). With a queue and no `max_wait`, queued calls wait as long as it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkheadConfig {
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

impl Default for BulkheadConfig {
    fn default() -> Self {
        Self { enabled: true, max_concurrent: default_max_concurrent(), max_wait: Span::ZERO, queue: None }
    }
}

const fn default_max_concurrent() -> u32 {
    25
}
