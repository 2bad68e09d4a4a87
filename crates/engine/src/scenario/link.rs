//! Share links: a scenario and the view around it, compressed into a URL fragment (which never
//! reaches a server).
//!
//! A link payload reads `<codec><version>.<data>`: codec `z` is raw deflate then base64url
//! (used when shorter), `j` plain JSON in base64url. The version is the link schema's; each
//! older version has a migration to the next, so old links open forever (golden fixtures in
//! the tests). Decoding never panics: every failure is a [`LinkError`] that says what is wrong.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use core::fmt;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{INPUT_BYTES_MAX, Scenario};

/// The link schema this engine writes.
pub const LINK_VERSION: u32 = 1;

/// What the sender was looking at, besides the scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SharedView {
    /// Endpoint whose stack is shown.
    pub endpoint: usize,
    /// Request open in the inspector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<u32>,
    /// Play head, in microseconds.
    pub cursor_us: u64,
    /// Visible time window, in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<[u64; 2]>,
    /// Panels shown (embed mode), in order; empty: all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub panels: Vec<String>,
}

/// The JSON inside a link.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    scenario: Value,
    #[serde(default)]
    view: SharedView,
}

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError(pub String);

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LinkError {}

fn fail<T>(message: impl Into<String>) -> Result<T, LinkError> {
    Err(LinkError(message.into()))
}

/// Encodes a scenario and view as a link payload (deflated when that is shorter).
#[must_use]
pub fn encode(scenario: &Scenario, view: &SharedView) -> String {
    // Built as a `Value` so the scenario is serialised one way only (keeps the wasm small).
    let payload = serde_json::json!({
        "scenario": serde_json::to_value(scenario).unwrap_or(Value::Null),
        "view": serde_json::to_value(view).unwrap_or(Value::Null),
    });
    let json = payload.to_string().into_bytes();
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
    if deflated.len() < json.len() {
        format!("z{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(deflated))
    } else {
        format!("j{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(json))
    }
}

/// Decodes a link payload into a valid scenario and its view.
///
/// # Errors
/// A [`LinkError`] for truncated, corrupted, future-version, oversized or invalid links.
pub fn decode(text: &str) -> Result<(Scenario, SharedView), LinkError> {
    let text = text.trim();
    if text.is_empty() {
        return fail("the link holds no scenario");
    }
    if text.len() > INPUT_BYTES_MAX {
        return fail(format!("the link is {} characters long; the limit is {INPUT_BYTES_MAX}", text.len()));
    }
    let Some((head, data)) = text.split_once('.') else {
        return fail("the link is damaged: it has no version marker (did the end get cut off?)");
    };
    let mut head_chars = head.chars();
    let codec = head_chars.next().map(String::from).unwrap_or_default();
    let version = head_chars.as_str();
    let Ok(version) = version.parse::<u32>() else {
        return fail(format!("the link is damaged: {head:?} is not a version marker"));
    };
    if version > LINK_VERSION {
        return fail(format!(
            "the link was made by a newer version of the playground (link version {version}; this one reads up to {LINK_VERSION})"
        ));
    }
    if version == 0 {
        return fail("the link is damaged: version 0 does not exist");
    }
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')) else {
        return fail("the link is damaged or cut short: it is not valid base64url (was it edited or truncated?)");
    };
    let json = match codec.as_str() {
        "z" => miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, INPUT_BYTES_MAX)
            .map_err(|_| LinkError("the link is damaged or cut short: its compressed data does not unpack".into()))?,
        "j" => bytes,
        other => return fail(format!("the link is damaged: unknown encoding {other:?}")),
    };
    let value: Value = serde_json::from_slice(&json).map_err(|e| LinkError(format!("the link is damaged: {e}")))?;
    let value = migrate(version, value)?;
    let payload: Payload = serde_json::from_value(value).map_err(|e| LinkError(format!("the link is damaged: {e}")))?;
    let scenario = Scenario::from_json(&payload.scenario.to_string())
        .map_err(|e| LinkError(format!("the link's scenario is not valid: {e}")))?;
    Ok((scenario, payload.view))
}

/// Brings a payload of link version `version` up to [`LINK_VERSION`], one step at a time.
/// (Version 1 is the first; a version 2 adds a `1 => …` arm that rewrites the value.)
fn migrate(version: u32, value: Value) -> Result<Value, LinkError> {
    match version {
        LINK_VERSION => Ok(value),
        other => fail(format!("no migration from link version {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn example(name: &str) -> Scenario {
        Scenario::from_json(examples::get(name).unwrap()).unwrap()
    }

    #[test]
    fn examples_round_trip_and_stay_short() {
        for (name, _) in examples::ALL {
            let scenario = example(name);
            let view = SharedView {
                endpoint: 0,
                request: Some(42),
                cursor_us: 12_345,
                window: Some([0, 60_000_000]),
                panels: vec![],
            };
            let link = encode(&scenario, &view);
            assert!(link.len() < 2_000, "{name}: {} characters", link.len());
            assert!(link.starts_with("z1."), "{name} compresses");
            assert_eq!(decode(&link), Ok((scenario, view)), "{name}");
        }
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let good = encode(&example("all-six"), &SharedView::default());
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "no scenario"),
            ("z1".into(), "no version marker"),
            (good[..good.len() / 2].to_owned(), "cut short"),
            (good.replace("z1.", "z9."), "newer version"),
            (good.replace("z1.", "q1."), "unknown encoding"),
            (good.replace("z1.", "z0."), "version 0"),
            (format!("{good}<script>"), "not valid base64url"),
            ("j1.bm90IGpzb24".into(), "damaged"),
            ("zx.abc".into(), "not a version marker"),
        ];
        for (link, words) in cases {
            let error = decode(&link).unwrap_err();
            assert!(error.0.contains(words), "{link:.40}: {error}");
        }
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let huge = vec![b' '; INPUT_BYTES_MAX + 10];
        let deflated = miniz_oxide::deflate::compress_to_vec(&huge, 9);
        let link = format!("z1.{}", URL_SAFE_NO_PAD.encode(deflated));
        assert!(decode(&link).unwrap_err().0.contains("does not unpack"));
    }

    #[test]
    fn an_invalid_scenario_in_a_link_names_the_field() {
        let mut doc: Value = serde_json::from_str(examples::get("breaker-outage").unwrap()).unwrap();
        doc["duration"] = "0s".into();
        let json = serde_json::json!({ "scenario": doc, "view": {} }).to_string();
        let link = format!("j1.{}", URL_SAFE_NO_PAD.encode(json));
        let error = decode(&link).unwrap_err();
        assert!(error.0.contains("duration"), "{error}");
    }
}
