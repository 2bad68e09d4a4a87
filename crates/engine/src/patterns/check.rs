//! Checking settings: every problem named by the field it is in.
//!
//! A pattern parses its document into its own settings with a [`FieldCheck`]: each range
//! check that fails adds a [`ConfigError`] naming the field (relative to the layer, such as
//! `window.count`), and [`FieldCheck::finish`] hands out the settings only when there was none.
//! The scenario validator uses the same checks with full paths.

use core::fmt;

use crate::scenario::{Bounds, POSITIVE_SPAN, WAIT_SPAN};
use crate::time::Span;

/// One problem in a pattern's settings: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The field, as the document spells it (`window.count`, `backoff.exponential.initial`).
    pub field: String,
    /// What is wrong, for a person ("must be between 1 and 100, got 0").
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Collects the problems found while reading one set of settings.
#[derive(Debug, Default)]
pub struct FieldCheck {
    errors: Vec<ConfigError>,
}

impl FieldCheck {
    /// Records that `field` is wrong.
    pub fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ConfigError { field: field.into(), message: message.into() });
    }

    /// Checks a whole number against its bounds.
    pub fn count(&mut self, field: &str, value: u32, Bounds { min, max }: Bounds<u32>) {
        if !(min..=max).contains(&value) {
            self.fail(field, format!("must be between {min} and {max}, got {value}"));
        }
    }

    /// Checks a number against its bounds (NaN and infinities are refused).
    pub fn number(&mut self, field: &str, value: f64, Bounds { min, max }: Bounds<f64>) {
        if !value.is_finite() || value < min || value > max {
            self.fail(field, format!("must be between {min} and {max}, got {value}"));
        }
    }

    /// Checks a duration that must not be zero.
    pub fn positive_span(&mut self, field: &str, span: Span) {
        if span < POSITIVE_SPAN.min {
            self.fail(field, "must be greater than zero");
        }
    }

    /// Checks a wait, which must be at least a millisecond.
    pub fn wait_span(&mut self, field: &str, span: Span) {
        if span < WAIT_SPAN.min {
            self.fail(field, format!("must be at least {}", WAIT_SPAN.min));
        }
    }

    /// True while no problem was found.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// The problems found so far, leaving none behind.
    pub fn take(&mut self) -> Vec<ConfigError> {
        core::mem::take(&mut self.errors)
    }

    /// The settings `make` builds, if no problem was found; otherwise every problem.
    ///
    /// # Errors
    /// Each field that was wrong, in the order checked.
    pub fn finish<T>(self, make: impl FnOnce() -> T) -> Result<T, Vec<ConfigError>> {
        if self.errors.is_empty() { Ok(make()) } else { Err(self.errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_each_wrong_field_and_builds_nothing() {
        let mut check = FieldCheck::default();
        check.count("window.count", 0, Bounds { min: 1, max: 10 });
        check.number("rate", f64::NAN, Bounds { min: 0.0, max: 1.0 });
        check.positive_span("ttl", Span::ZERO);
        check.wait_span("wait", Span::from_micros(10));
        let errors = check.finish(|| 1).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["window.count", "rate", "ttl", "wait"]);
        assert_eq!(errors[0].to_string(), "window.count: must be between 1 and 10, got 0");
    }

    #[test]
    fn clean_settings_are_built() {
        let mut check = FieldCheck::default();
        check.count("n", 5, Bounds { min: 1, max: 10 });
        assert!(check.is_clean());
        assert_eq!(check.finish(|| 7), Ok(7));
    }
}
