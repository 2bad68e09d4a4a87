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

use super::{INPUT_BYTES_MAX, LINK_CHARS_MAX, LINK_PANELS_MAX, Scenario, decode as doc, presets};

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
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::decode::bounded::<_, _, LINK_PANELS_MAX>"
    )]
    pub panels: Vec<String>,
}

/// The JSON inside a link, read straight into the typed document.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    scenario: Scenario,
    #[serde(default)]
    view: SharedView,
}

/// Just the scenario's schema version inside a payload; everything else is skipped unkept.
#[derive(Deserialize)]
struct PayloadPeek {
    #[serde(default)]
    scenario: Option<ScenarioPeek>,
}

/// Just the schema version of the scenario inside a payload.
#[derive(Deserialize)]
struct ScenarioPeek {
    #[serde(default)]
    version: Option<u64>,
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
    encode_doc(&serde_json::to_value(scenario).unwrap_or(Value::Null), view)
}

/// [`encode`] for a scenario held as a JSON document (the web app's edited document: it
/// never serialises a typed scenario, which keeps that code out of its bundle).
#[must_use]
pub fn encode_doc(doc: &Value, view: &SharedView) -> String {
    let payload = serde_json::json!({
        "scenario": doc,
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
    let (json, version) = unpack(text)?;
    let payload = if version == LINK_VERSION { read_payload(&json)? } else { read_old_payload(version, &json)?.0 };
    scenario_problems(&payload.scenario)?;
    Ok((payload.scenario, payload.view))
}

/// [`decode`], giving the scenario as the JSON document the link carries (checked exactly as
/// [`decode`] checks it, and read as a document only once it is known to be valid).
///
/// # Errors
/// As [`decode`].
pub fn decode_doc(text: &str) -> Result<(Value, SharedView), LinkError> {
    let (json, version) = unpack(text)?;
    let (payload, migrated) =
        if version == LINK_VERSION { (read_payload(&json)?, None) } else { read_old_payload(version, &json)? };
    scenario_problems(&payload.scenario)?;
    let mut whole = match migrated {
        Some(value) => value,
        None => serde_json::from_str::<Value>(&json).map_err(|e| LinkError(format!("the link is damaged: {e}")))?,
    };
    let mut doc = whole.as_object_mut().and_then(|payload| payload.remove("scenario")).unwrap_or(Value::Null);
    presets::migrate_v1(&mut doc);
    Ok((doc, payload.view))
}

/// The JSON text inside a link and its link version, after the cheap checks (length, version
/// marker, base64url, bounded inflation, UTF-8).
fn unpack(text: &str) -> Result<(String, u32), LinkError> {
    let text = text.trim();
    if text.is_empty() {
        return fail("the link holds no scenario");
    }
    if text.len() > LINK_CHARS_MAX {
        return fail(format!("the link is too large: {} characters; the limit is {LINK_CHARS_MAX}", text.len()));
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
        "z" => inflate(&bytes)?,
        "j" => bytes,
        other => return fail(format!("the link is damaged: unknown encoding {other:?}")),
    };
    let json = String::from_utf8(json).map_err(|e| {
        LinkError(format!(
            "the link is damaged: the byte at offset {} is not valid UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok((json, version))
}

/// Unpacks deflated data, stopping as soon as the output passes [`INPUT_BYTES_MAX`] (the work
/// is bounded by the limit, not by what the data claims).
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, LinkError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, INPUT_BYTES_MAX).map_err(|error| {
        if error.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            LinkError(format!(
                "the link is too large: its data does not unpack within the limit of {INPUT_BYTES_MAX} bytes"
            ))
        } else {
            LinkError("the link is damaged or cut short: its compressed data does not unpack".into())
        }
    })
}

/// Reads a current-version payload: shape and scenario version first, then one typed pass.
fn read_payload(json: &str) -> Result<Payload, LinkError> {
    if doc::check_shape(json).is_err() {
        return fail("the link is damaged: it does not hold a JSON object");
    }
    doc::check_size(json.len()).map_err(|e| LinkError(format!("the link is too large: {}", e.message)))?;
    let peeked = serde_json::from_str::<PayloadPeek>(json).ok().and_then(|p| p.scenario).and_then(|s| s.version);
    if let Err(error) = doc::check_version(peeked) {
        return fail(format!("the link's scenario is {}", error.message));
    }
    if presets::needed(json, peeked) {
        return read_resolved_payload(json);
    }
    doc::typed_value(json).map_err(|(path, error)| payload_error(&path, &error))
}

/// Reads a payload whose scenario is v1 or names libraries: migrated and its presets filled
/// in first (see [`presets`]).
fn read_resolved_payload(json: &str) -> Result<Payload, LinkError> {
    let mut whole: Value = serde_json::from_str(json).map_err(|e| LinkError(format!("the link is damaged: {e}")))?;
    if let Some(scenario) = whole.get_mut("scenario") {
        presets::resolve(scenario).map_err(|e| LinkError(format!("the link's scenario is not valid: {e}")))?;
    }
    doc::typed_value(&whole.to_string()).map_err(|(path, error)| {
        payload_error(&path, &serde::de::Error::custom(doc::without_position(&error.to_string())))
    })
}

/// Says where a payload went wrong: malformed JSON is damage; a bad field names its path.
fn payload_error(path: &str, error: &serde_json::Error) -> LinkError {
    if let Some(field) = path.strip_prefix("scenario.") {
        return LinkError(format!("the link's scenario is not valid: {field}: {error}"));
    }
    if !path.is_empty() {
        return LinkError(format!("the link is damaged: {path}: {error}"));
    }
    LinkError(format!("the link is damaged: {error}"))
}

/// Reads a payload of an older link version through its migrations; also gives the migrated
/// payload as a document.
fn read_old_payload(version: u32, json: &str) -> Result<(Payload, Option<Value>), LinkError> {
    let value: Value = serde_json::from_str(json).map_err(|e| LinkError(format!("the link is damaged: {e}")))?;
    let migrated = migrate(version, value)?;
    Ok((read_payload(&migrated.to_string())?, Some(migrated)))
}

/// The first validation problem of a link's scenario, if any.
fn scenario_problems(scenario: &Scenario) -> Result<(), LinkError> {
    match scenario.validate().into_iter().next() {
        Some(error) => fail(format!("the link's scenario is not valid: {error}")),
        None => Ok(()),
    }
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
            assert_eq!(decode(&link), Ok((scenario.clone(), view.clone())), "{name}");
            let doc = serde_json::to_value(&scenario).unwrap();
            assert_eq!(encode_doc(&doc, &view), link, "{name}: the same link from the document");
            assert_eq!(decode_doc(&link), Ok((doc, view)), "{name}");
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
        let error = decode(&link).unwrap_err().0;
        assert!(error.contains("does not unpack") && error.contains("too large"), "{error}");
    }

    fn json_link(json: &str) -> String {
        format!("j1.{}", URL_SAFE_NO_PAD.encode(json))
    }

    #[test]
    fn an_oversized_link_is_too_large_not_damaged() {
        let link = format!("z1.{}", "A".repeat(LINK_CHARS_MAX + 1));
        let error = decode(&link).unwrap_err().0;
        assert!(error.contains("too large") && !error.contains("damaged"), "{error}");
    }

    #[test]
    fn a_newer_scenario_in_a_link_says_so() {
        let link = json_link(r#"{"scenario":{"version":7,"name":"x","teleport":1}}"#);
        let error = decode(&link).unwrap_err().0;
        assert!(error.contains("made by a newer version (v7); this one reads up to v2"), "{error}");
    }

    #[test]
    fn non_object_payloads_and_bad_fields_say_what_is_wrong() {
        assert!(decode(&json_link("[1,2]")).unwrap_err().0.contains("JSON object"));
        let error = decode(&json_link(r#"{"scenario":{"version":1,"name":5}}"#)).unwrap_err().0;
        assert!(error.contains("scenario is not valid: name: invalid type"), "{error}");
        let error = decode(&json_link(r#"{"scenario":{"version":1},"view":{"panels":[]}, "x":1}"#)).unwrap_err().0;
        assert!(error.contains("damaged"), "{error}");
        let bad_utf8 = format!("j1.{}", URL_SAFE_NO_PAD.encode(b"{\"a\xff\"}"));
        assert!(decode(&bad_utf8).unwrap_err().0.contains("offset 3"));
    }

    #[test]
    fn too_many_panels_are_refused_while_reading() {
        let mut doc: Value = serde_json::from_str(examples::get("breaker-outage").unwrap()).unwrap();
        doc["version"] = 1.into();
        let panels: Vec<String> = (0..=LINK_PANELS_MAX).map(|i| format!("p{i}")).collect();
        let json = serde_json::json!({ "scenario": doc, "view": { "panels": panels } }).to_string();
        let error = decode(&json_link(&json)).unwrap_err().0;
        assert!(error.contains("view.panels") && error.contains("limit is 16"), "{error}");
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
