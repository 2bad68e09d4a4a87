//! What each library's timeout does out of the box (`../shared/reference/semantics.md` §1.3).
//! The plain default is resilience4j's.

use crate::patterns::semantics::Semantics::{Cockatiel, Envoy, Failsafe, Polly, Resilience4j, Tower};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a timeout, resilience4j first (the plain default).
pub(super) static PRESETS: &[Preset] = &[
    preset(Resilience4j, "{}", "TimeLimiterConfig: 1 s, the running call cancelled."),
    preset(
        Polly,
        r#"{"timeout":"30s"}"#,
        "TimeoutStrategyOptions: 30 s. Polly's timeout is cooperative; here the call is abandoned at the deadline.",
    ),
    preset(Cockatiel, "{}", "timeout(duration, strategy) has no default duration: 1 s here."),
    preset(Failsafe, "{}", "Timeout.of(duration) has no default duration: 1 s here."),
    preset(Tower, "{}", "Timeout::new(inner, duration) has no default duration: 1 s here."),
    preset(Envoy, r#"{"timeout":"15s"}"#, "a route's timeout defaults to 15 s."),
];
