//! The libraries with an adaptive concurrency limit (`../shared/reference/semantics.md` §2.9).
//! The plain defaults are Netflix concurrency-limits' AIMD, which is none of the preset libraries.

use crate::patterns::semantics::Semantics::Envoy;
use crate::patterns::semantics::{Preset, preset};

/// Envoy's gradient controller.
pub(super) static PRESETS: &[Preset] = &[preset(
    Envoy,
    r#"{"algorithm":"envoy_gradient"}"#,
    "the adaptive concurrency filter's gradient controller: p50 sample, 25 % buffer, 15 % jitter, \
     limits 3 to 1000.",
)];
