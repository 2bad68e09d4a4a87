//! What each library's bulkhead does out of the box (`../shared/reference/semantics.md` §1.3,
//! §2.2, §2.5, §2.9). The plain defaults are resilience4j's.

use crate::patterns::semantics::Semantics::{Cockatiel, Envoy, Failsafe, Polly, Resilience4j};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a bulkhead, resilience4j first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(Resilience4j, "{}", "BulkheadConfig: 25 concurrent calls, no waiting (maxWaitDuration 0)."),
    preset(
        Polly,
        r#"{"max_concurrent":1000}"#,
        "the rate-limiter strategy's default ConcurrencyLimiter: PermitLimit 1000, QueueLimit 0.",
    ),
    preset(Cockatiel, "{}", "bulkhead(limit, queue = 0): the limit is required (25 here), no queue."),
    preset(Failsafe, "{}", "Bulkhead.of(maxConcurrency) requires the limit (25 here); maxWaitTime 0."),
    preset(
        Envoy,
        r#"{"max_concurrent":1024,"queue":1024}"#,
        "cluster circuit breaking: max_requests 1024, max_pending_requests 1024 (pending requests wait without a time limit).",
    ),
];
