//! Reading a scenario document: cheap checks before the full parse (size, UTF-8, shape,
//! schema version), then one typed pass with every list bounded as it is read.

use core::fmt;
use core::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::json_path::{PendingKey, path_at, path_of_word};
use super::maps_only::MapsOnly;
use super::{INPUT_BYTES_MAX, SCHEMA_VERSION, Scenario, ScenarioError};

/// The message for a document that is not a JSON object.
pub(super) const NOT_AN_OBJECT: &str = "a scenario is a JSON object";

/// Refuses a document over [`INPUT_BYTES_MAX`] bytes before anything reads it.
pub(super) fn check_size(len_bytes: usize) -> Result<(), ScenarioError> {
    if len_bytes > INPUT_BYTES_MAX {
        return Err(ScenarioError::new(
            "",
            format!("the scenario is too large: {len_bytes} bytes; the limit is {INPUT_BYTES_MAX}"),
        ));
    }
    Ok(())
}

/// The text of `bytes`, or an error giving the byte offset of the first bad UTF-8 sequence.
pub(super) fn utf8(bytes: &[u8]) -> Result<&str, ScenarioError> {
    std::str::from_utf8(bytes).map_err(|error| {
        ScenarioError::new(
            "",
            format!("the file is not UTF-8 text: the byte at offset {} is not valid UTF-8", error.valid_up_to()),
        )
    })
}

/// Refuses empty text and text that does not open a JSON object, before the full parse.
pub(super) fn check_shape(json: &str) -> Result<(), ScenarioError> {
    let body = json.trim_start_matches('\u{feff}').trim_start();
    match body.chars().next() {
        None => Err(ScenarioError::new("", "the file is empty")),
        Some('{') => Ok(()),
        Some(_) => Err(ScenarioError::new("", NOT_AN_OBJECT)),
    }
}

/// Just the schema version of a document; every other field is skipped without being kept.
#[derive(Deserialize)]
struct VersionPeek {
    #[serde(default)]
    version: Option<u64>,
}

/// The schema version a well-formed document declares, if it declares a readable one. Any
/// problem is left for the full parse to report with its path.
pub(super) fn peek_version(json: &str) -> Option<u64> {
    serde_json::from_str::<VersionPeek>(json).ok().and_then(|peek| peek.version)
}

/// Refuses a document written by a newer engine, before the full parse trips on its fields.
pub(super) fn check_version(version: Option<u64>) -> Result<(), ScenarioError> {
    match version {
        Some(v) if v > u64::from(SCHEMA_VERSION) => Err(ScenarioError::new("version", newer_version(v))),
        _ => Ok(()),
    }
}

/// What a user reads about a document from a newer engine.
pub(super) fn newer_version(version: u64) -> String {
    format!(
        "not supported: made by a newer version (v{version}); this one reads up to v{SCHEMA_VERSION} (open it in a newer playground)"
    )
}

/// A parser message without its ` at line L column C` ending: for text the reader rewrote
/// before the typed pass, where the position would point into the rewritten text.
pub(super) fn without_position(message: &str) -> &str {
    message.rsplit_once(" at line ").map_or(message, |(text, _)| text)
}

/// The typed parse, with the path of the first problem.
pub(super) fn typed(json: &str) -> Result<Scenario, ScenarioError> {
    typed_value(json).map_err(|(path, error)| ScenarioError::new(path, error.to_string()))
}

/// Reads `json` as a `T` in one pass; a problem comes with the path of the field it is in
/// (empty for malformed JSON and for the document as a whole).
pub(super) fn typed_value<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, (String, serde_json::Error)> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = T::deserialize(MapsOnly(&mut deserializer)).and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|error| {
        let path = if error.is_data() { data_error_path(json, &error) } else { String::new() };
        (path, error)
    })
}

/// The path of a data error: where the parser stopped, or, for an unknown variant (which may
/// be reported where an outer value ends), where the word is written.
fn data_error_path(json: &str, error: &serde_json::Error) -> String {
    let message = error.to_string();
    if let Some(word) = message.strip_prefix("unknown variant `").and_then(|rest| rest.split('`').next()) {
        if let Some(path) = path_of_word(json, word) {
            return path;
        }
        return path_at(json, error.line(), error.column(), PendingKey::Left);
    }
    path_at(json, error.line(), error.column(), PendingKey::Named)
}

/// A list read with at most `MAX` entries: the reader stops at entry `MAX + 1`, before it
/// builds or keeps anything more. Use as `#[serde(deserialize_with = "bounded::<_, _, MAX>")]`.
///
/// # Errors
/// The entries' own errors, or "has more than MAX entries".
pub(super) fn bounded<'de, D, T, const MAX: usize>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_seq(BoundedVisitor::<T, MAX>(PhantomData))
}

/// Visits a sequence of at most `MAX` entries.
struct BoundedVisitor<T, const MAX: usize>(PhantomData<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for BoundedVisitor<T, MAX> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of at most {MAX} entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX).min(1_024));
        while items.len() < MAX {
            match seq.next_element()? {
                Some(item) => items.push(item),
                None => return Ok(items),
            }
        }
        // One more entry is skipped, not built: its presence alone is the error.
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(format!("has more than {MAX} entries; the limit is {MAX}")));
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lists_stop_at_the_first_entry_past_the_limit() {
        let mut de = serde_json::Deserializer::from_str("[1,2,3]");
        let ok: Vec<u8> = bounded::<_, _, 3>(&mut de).unwrap();
        assert_eq!(ok, vec![1, 2, 3]);
        let mut de = serde_json::Deserializer::from_str("[1,2,3,4]");
        let error = bounded::<_, u8, 3>(&mut de).unwrap_err();
        assert!(error.to_string().contains("has more than 3 entries; the limit is 3"), "{error}");
    }
}
