//! Fallback: answer something useful when the inner layers fail.
//!
//! ```text
//!   Waiting ──inner ok──────────────────────────────> Done(inner answer)
//!   Waiting ──inner failed, kind not in `on`─────────> Done(failure)
//!   Waiting ──inner failed, kind in `on`──> static value          ──> Done(fallback)
//!                                      └─> stale cache entry      ──> Done(fallback) or failure
//!                                      └─> secondary service call ──> Done(fallback) or its failure
//! ```

mod doc;
mod layer;
mod presets;
mod spec;
pub use layer::{FallbackLayer, FallbackTarget};

pub use doc::{FallbackAction, FallbackDoc};

use crate::patterns::{Failure, KindSet};

/// A fallback layer's settings (read from a [`FallbackDoc`]): which failures it answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fallback {
    on: KindSet,
}

impl Fallback {
    /// True if `failure` should be answered by the fallback.
    #[must_use]
    pub const fn triggers_on(self, failure: Failure) -> bool {
        self.on.contains(failure.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::document::PatternDoc;
    use crate::patterns::{FailureKind, Rejection};

    #[test]
    fn triggers_only_on_selected_kinds() {
        let fallback = FallbackDoc { on: vec![FailureKind::Rejected], ..FallbackDoc::default() }.parse().unwrap();
        assert!(fallback.triggers_on(Failure::Rejected(Rejection::CircuitOpen { until: crate::time::Instant::ZERO })));
        assert!(!fallback.triggers_on(Failure::Timeout));
        assert!(FallbackDoc::default().parse().unwrap().triggers_on(Failure::Timeout));
    }
}
