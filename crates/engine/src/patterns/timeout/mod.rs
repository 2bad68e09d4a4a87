//! Timeout: a deadline on whatever is inside it.
//!
//! Inside a retry it bounds each attempt; outside a retry it bounds the whole call, backoff
//! waits included. When the deadline passes first, the caller gets [`Failure::Timeout`] and
//! the inner work is abandoned, but the service does not learn that the caller gave up: a
//! request already queued or running there keeps its place and its worker.
//!
//! ```text
//!   Armed(deadline) ──inner answered first──> Done(answer)
//!   Armed(deadline) ──deadline reached──────> Done(timeout), inner work abandoned
//! ```
//!
//! [`Failure::Timeout`]: crate::patterns::Failure::Timeout

mod doc;
mod layer;
mod presets;
mod spec;

pub use doc::TimeoutDoc;

use crate::time::Instant;

/// A timeout layer's settings (read from a [`TimeoutDoc`]): the deadline after entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout {
    timeout_us: u64,
}

impl Timeout {
    /// The deadline of a call entering the layer at `now`.
    #[must_use]
    pub const fn deadline(self, now: Instant) -> Instant {
        now.plus_micros(self.timeout_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::document::PatternDoc;
    use crate::time::Span;

    #[test]
    fn deadline_is_entry_plus_timeout() {
        let timeout = TimeoutDoc { enabled: true, timeout: Span::from_millis(500) }.parse().unwrap();
        assert_eq!(timeout.deadline(Instant::from_secs(2)), Instant::from_millis(2_500));
        assert_eq!(TimeoutDoc::default().timeout, Span::from_secs(1));
    }

    #[test]
    fn a_zero_timeout_is_refused_by_name() {
        let errors = TimeoutDoc { enabled: true, timeout: Span::ZERO }.parse().unwrap_err();
        assert_eq!(errors[0].field, "timeout");
    }
}
