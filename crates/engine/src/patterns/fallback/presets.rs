//! The libraries with a fallback (`../shared/reference/semantics.md` §1.3): a fallback has no
//! settings of the library's own, so the presets only name it.

use crate::patterns::semantics::Semantics::{Cockatiel, Failsafe, Polly, Resilience4j};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a fallback, resilience4j first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(Resilience4j, "{}", "Decorators.withFallback: the answer for every failure."),
    preset(Polly, "{}", "FallbackStrategyOptions: ShouldHandle, then FallbackAction."),
    preset(Cockatiel, "{}", "fallback(policy, value): the value for every handled failure."),
    preset(Failsafe, "{}", "Fallback.of(value): the value for every failure."),
];
