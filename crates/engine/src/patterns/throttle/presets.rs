//! The libraries with client-side throttling (`../shared/reference/semantics.md` §2.6). The
//! plain defaults are the Google SRE book's rule, which is none of the preset libraries.

use crate::patterns::semantics::Semantics::Failsafe;
use crate::patterns::semantics::{Preset, preset};

/// failsafe-go's adaptive throttler.
pub(super) static PRESETS: &[Preset] = &[preset(
    Failsafe,
    r#"{"rule":"failsafe_go"}"#,
    "failsafe-go's adaptivethrottler: success threshold 0.9 over 1 min, at most 90 % rejected.",
)];
