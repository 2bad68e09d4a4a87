//! The field a JSON parse error points at, named as scenario errors name fields
//! (`endpoints[0].stack[2].retry.max_attempts`).
//!
//! serde_json reports where in the text it found a problem (line and column); this module
//! walks the text up to that point and says which field it was reading there. It does so only
//! after a parse has failed, so the typed parse itself carries no path-tracking code (which
//! keeps the web bundle small).
//!
//! The text up to the error is well-formed JSON as far as it goes (the parser read it), so a
//! simple scanner is enough: a stack of open objects and arrays, the key being read in each
//! object and the index in each array.

/// An object or array that is open at the point of the error.
enum Open {
    /// An object: the last key read, and whether its value has started (a `:` was seen; a
    /// string read before that is the next key).
    Object { key: Option<String>, in_value: bool },
    /// An array: the index of the current entry, and whether that entry has started.
    Array { index: usize, in_entry: bool },
}

/// What a key just read (its value not yet started) is, for the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PendingKey {
    /// The key is the problem (an unknown field): the path names it.
    Named,
    /// The object is the problem (an unknown enum variant): the path stops at the object.
    Left,
}

/// The path of the field at 1-based `line` and `column` (bytes) of `json`: the value being
/// read there, or the key just read (see [`PendingKey`]). Empty for the document.
#[must_use]
pub(super) fn path_at(json: &str, line: usize, column: usize, pending: PendingKey) -> String {
    let end = offset_of(json, line, column);
    let mut stack = Vec::new();
    scan(json.as_bytes().get(..end).unwrap_or_default(), &mut stack);
    render(&stack, pending)
}

/// The path of the first place `word` is written as a string in `json`: as a value, the
/// field holding it; as a key (an enum written as `{"word": …}`), the object. For errors that
/// name the offending word but arrive with the position of an outer value.
#[must_use]
pub(super) fn path_of_word(json: &str, word: &str) -> Option<String> {
    let quoted = format!("\"{word}\"");
    let start = json.find(&quoted)?;
    let end = start + quoted.len();
    let is_key = json.get(end..).is_some_and(|rest| rest.trim_start().starts_with(':'));
    let pending = if is_key { PendingKey::Left } else { PendingKey::Named };
    let mut stack = Vec::new();
    scan(json.as_bytes().get(..end).unwrap_or_default(), &mut stack);
    Some(render(&stack, pending))
}

/// The byte offset of a 1-based line and column, clamped to the text.
fn offset_of(json: &str, line: usize, column: usize) -> usize {
    let line_start: usize = json.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (line_start + column).min(json.len())
}

/// Reads `bytes`, keeping `stack` up to date with what is open at their end.
fn scan(bytes: &[u8], stack: &mut Vec<Open>) {
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match byte {
            b'{' => {
                start_value(stack);
                stack.push(Open::Object { key: None, in_value: false });
            }
            b'[' => {
                start_value(stack);
                stack.push(Open::Array { index: 0, in_entry: false });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Open::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Open::Object { key, in_value }) => (*key, *in_value) = (None, false),
                Some(Open::Array { index, in_entry }) => (*index, *in_entry) = (*index + 1, false),
                None => {}
            },
            b'"' => {
                let (text, next) = string(bytes, at);
                at = next;
                match stack.last_mut() {
                    Some(Open::Object { key, in_value: false }) => *key = Some(text),
                    _ => start_value(stack),
                }
            }
            b if b.is_ascii_whitespace() => {}
            _ => start_value(stack),
        }
    }
}

/// Marks the innermost array's current entry as started (a value inside an object is started
/// by its `:`).
fn start_value(stack: &mut [Open]) {
    if let Some(Open::Array { in_entry, .. }) = stack.last_mut() {
        *in_entry = true;
    }
}

/// The text of the string whose opening quote is just before `from`, and the offset after its
/// closing quote (or the end, for a string cut short).
fn string(bytes: &[u8], from: usize) -> (String, usize) {
    let mut at = from;
    let mut escaped = false;
    while let Some(&byte) = bytes.get(at) {
        if escaped {
            escaped = false;
        } else if byte == b'\\' {
            escaped = true;
        } else if byte == b'"' {
            let raw = bytes.get(from..at).unwrap_or_default();
            return (String::from_utf8_lossy(raw).into_owned(), at + 1);
        }
        at += 1;
    }
    (String::from_utf8_lossy(bytes.get(from..).unwrap_or_default()).into_owned(), bytes.len())
}

/// The path the open objects and arrays spell.
fn render(stack: &[Open], pending: PendingKey) -> String {
    let mut path = String::new();
    for open in stack {
        match open {
            Open::Object { key: Some(key), in_value } if *in_value || pending == PendingKey::Named => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Open::Array { index, in_entry: true } => path.push_str(&format!("[{index}]")),
            _ => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at the end of `json` (one line), as a parse error there would report it.
    fn at_end(json: &str) -> String {
        path_at(json, 1, json.len(), PendingKey::Named)
    }

    #[test]
    fn values_are_named_by_their_keys_and_indices() {
        assert_eq!(
            at_end(r#"{"endpoints":[{"a":1},{"stack":[{"retry":{"max_attempts":"x""#),
            "endpoints[1].stack[0].retry.max_attempts"
        );
        assert_eq!(at_end(r#"{"services":[{"name":"s","latency":{"constant":"1q""#), "services[0].latency.constant");
    }

    #[test]
    fn an_unknown_key_is_named_by_itself() {
        assert_eq!(at_end(r#"{"endpoints":[{"stack":[{"retri""#), "endpoints[0].stack[0].retri");
        assert_eq!(at_end(r#"{"nmae""#), "nmae");
        let variant = r#"{"endpoints":[{"stack":[{"retri""#;
        assert_eq!(path_at(variant, 1, variant.len(), PendingKey::Left), "endpoints[0].stack[0]");
    }

    #[test]
    fn a_closed_object_is_named_by_where_it_sits() {
        // A missing field is found at the object's closing brace.
        assert_eq!(at_end(r#"{"endpoints":[{"name":"e"}"#), "endpoints[0]");
        assert_eq!(at_end(r#"{"seed":1}"#), "");
    }

    #[test]
    fn a_word_is_found_as_a_value_or_as_a_key() {
        let json = r#"{"endpoints":[{"stack":[{"retry":{}},{"circuit_breaker":{"mode":"half_closed"}}]}]}"#;
        assert_eq!(path_of_word(json, "half_closed").as_deref(), Some("endpoints[0].stack[1].circuit_breaker.mode"));
        let json = r#"{"endpoints":[{"stack":[{"teleport":{}}]}]}"#;
        assert_eq!(path_of_word(json, "teleport").as_deref(), Some("endpoints[0].stack[0]"));
        assert_eq!(path_of_word(json, "absent"), None);
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_are_skipped_whole() {
        assert_eq!(at_end(r#"{"name":"a \" [{ b","description":"x\\","seed":true"#), "seed");
    }

    #[test]
    fn positions_on_later_lines_and_past_the_end_are_read_correctly() {
        let json = "{\n  \"version\": 1,\n  \"seed\": \"x\"\n}";
        assert_eq!(path_at(json, 3, 13, PendingKey::Named), "seed");
        assert_eq!(path_at(json, 99, 99, PendingKey::Named), "");
        assert_eq!(path_at("", 1, 5, PendingKey::Named), "");
    }
}
