//! What each library's hedging does out of the box (`../shared/reference/semantics.md` §2.4,
//! §2.6, §2.8). The plain defaults are Polly's.

use crate::patterns::semantics::Semantics::{Failsafe, Polly, Tower};
use crate::patterns::semantics::{Preset, preset};

/// The libraries with hedging, Polly first (the plain defaults).
pub(super) static PRESETS: &[Preset] = &[
    preset(Polly, "{}", "HedgingStrategyOptions: 1 hedged attempt when none answered within 2 s."),
    preset(
        Tower,
        r#"{"mode":"percentile"}"#,
        "Hedge: one hedge after the p90 of the last period's successful latencies (10 s, at least 10 of them; \
         tower requires all three).",
    ),
    preset(Failsafe, "{}", "failsafe-go HedgePolicy: maxHedges 1; its delay is required (2 s here)."),
];
