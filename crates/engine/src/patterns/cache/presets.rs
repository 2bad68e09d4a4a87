//! The libraries with a cache (`../shared/reference/semantics.md` §1.3): nothing of theirs
//! differs from the plain defaults, which are resilience4j's.

use crate::patterns::semantics::Semantics::{Failsafe, Resilience4j};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with a cache, resilience4j first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(Resilience4j, "{}", "resilience4j-cache over a JCache: a hit answers, a miss calls and stores."),
    preset(Failsafe, "{}", "failsafe-go's cachepolicy: a hit answers, a miss calls and stores."),
];
