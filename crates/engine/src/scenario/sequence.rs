//! A fault's outcome sequence (`"S,S,F,503"`), read once, when the document is read, into
//! typed steps. The simulator consumes the steps and never parses text; a bad token is an
//! error naming its position, never dropped.
//!
//! The document keeps the text as written: serialising writes back exactly the text that was
//! read (spaces and letter case included), so old documents and share links round-trip
//! unchanged.

use core::fmt;
use core::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::limits::SEQUENCE_MAX;

/// One step of an explicit outcome sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceStep {
    /// `S`: serve normally (no error-rate draw).
    Success,
    /// `F`: serve, then answer 500.
    Fail,
    /// A status such as `503`: answer it at once.
    Status(u16),
}

impl SequenceStep {
    /// Reads one token: `S`, `F` (either case) or an error status (400 to 599). Surrounding
    /// spaces are the caller's to trim.
    #[must_use]
    pub fn parse(token: &str) -> Option<Self> {
        match token {
            "S" | "s" => Some(Self::Success),
            "F" | "f" => Some(Self::Fail),
            code => code.parse().ok().filter(|c| (400..=599).contains(c)).map(Self::Status),
        }
    }
}

/// Why an outcome sequence text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutcomesError {
    /// More than [`SEQUENCE_MAX`] comma-separated entries (counted before any is read).
    TooMany {
        /// Entries in the text.
        count: usize,
    },
    /// The entry at 1-based `position` is not `S`, `F` or an error status.
    BadToken {
        /// 1-based position of the entry in the list.
        position: usize,
        /// The entry, trimmed.
        token: String,
    },
}

impl fmt::Display for OutcomesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany { count } => write!(f, "has {count} outcomes; the limit is {SEQUENCE_MAX}"),
            Self::BadToken { position, token } => {
                write!(f, "outcome {position} is {token:?}; use S, F or an error status such as 503")
            }
        }
    }
}

impl std::error::Error for OutcomesError {}

/// An outcome sequence: the typed steps, with the text they were read from.
///
/// Only [`Outcomes::parse`] (or deserialising) builds one, so the steps are never empty and
/// always agree with the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcomes {
    text: String,
    steps: Vec<SequenceStep>,
}

impl Outcomes {
    /// Reads comma-separated outcomes such as `"S, F, 503"`.
    ///
    /// # Errors
    /// More than [`SEQUENCE_MAX`] entries, or an entry (an empty one included) that is not
    /// `S`, `F` or an error status, with its position.
    pub fn parse(text: &str) -> Result<Self, OutcomesError> {
        // Counted before anything is collected, so a huge list costs no memory.
        let count = text.split(',').count();
        if count > SEQUENCE_MAX {
            return Err(OutcomesError::TooMany { count });
        }
        let steps = text
            .split(',')
            .map(str::trim)
            .enumerate()
            .map(|(i, token)| {
                SequenceStep::parse(token)
                    .ok_or_else(|| OutcomesError::BadToken { position: i + 1, token: token.to_owned() })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { text: text.to_owned(), steps })
    }

    /// The steps, in order (never empty).
    #[must_use]
    pub fn steps(&self) -> &[SequenceStep] {
        &self.steps
    }

    /// The text as it was written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for Outcomes {
    type Err = OutcomesError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Outcomes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Outcomes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Outcomes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(OutcomesVisitor)
    }
}

/// Reads the outcome text of a document.
struct OutcomesVisitor;

impl Visitor<'_> for OutcomesVisitor {
    type Value = Outcomes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("comma-separated outcomes such as \"S,F,503\"")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Outcomes, E> {
        Outcomes::parse(text).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_become_typed_steps_and_the_text_is_kept() {
        let outcomes = Outcomes::parse("S, f,503 ,429").unwrap();
        assert_eq!(
            outcomes.steps(),
            [SequenceStep::Success, SequenceStep::Fail, SequenceStep::Status(503), SequenceStep::Status(429)]
        );
        assert_eq!(serde_json::to_string(&outcomes).unwrap(), r#""S, f,503 ,429""#);
        assert_eq!(serde_json::from_str::<Outcomes>(r#""S, f,503 ,429""#).unwrap(), outcomes);
    }

    #[test]
    fn a_bad_token_is_an_error_with_its_position() {
        for (text, position, token) in
            [("S,X", 2, "X"), ("", 1, ""), ("S,,F", 2, ""), ("200", 1, "200"), ("S,F,600", 3, "600"), ("S,-1", 2, "-1")]
        {
            assert_eq!(
                Outcomes::parse(text),
                Err(OutcomesError::BadToken { position, token: token.into() }),
                "{text:?}"
            );
        }
        let error = serde_json::from_str::<Outcomes>(r#""S, nope""#).unwrap_err().to_string();
        assert!(error.contains(r#"outcome 2 is "nope""#), "{error}");
    }

    #[test]
    fn too_many_entries_are_refused_before_they_are_read() {
        let text = ",".repeat(SEQUENCE_MAX);
        assert_eq!(Outcomes::parse(&text), Err(OutcomesError::TooMany { count: SEQUENCE_MAX + 1 }));
        assert!(Outcomes::parse(&vec!["S"; SEQUENCE_MAX].join(",")).is_ok());
    }
}
