//! What each library's rate limiter does out of the box (`../shared/reference/semantics.md`
//! §2.2, §2.4, §2.6, §2.8). The plain defaults are resilience4j's.

use crate::patterns::semantics::Semantics::{Failsafe, Polly, Resilience4j, Tower};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a rate limiter, resilience4j first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(
        Resilience4j,
        "{}",
        "RateLimiterConfig: 50 permits a period, a 5 s timeout; the period is 1 s here (resilience4j's 500 ns \
         default would never limit anything).",
    ),
    preset(
        Polly,
        r#"{"algorithm":"token_bucket"}"#,
        "a TokenBucketRateLimiter (System.Threading.RateLimiting) with QueueLimit 0; it has no defaults of its \
         own: 50 tokens every 1 s here.",
    ),
    preset(Failsafe, r#"{"algorithm":"smooth"}"#, "RateLimiter.smoothBuilder(50, 1 s): maxWaitTime 0."),
    preset(
        Tower,
        r#"{"algorithm":"fixed_window"}"#,
        "RateLimit with Rate::new(50, 1 s): a call over the limit waits for the next window (back-pressure).",
    ),
];
