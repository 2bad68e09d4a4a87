//! Library presets and the v1 → v2 migration, applied to the document before the typed pass.
//!
//! Schema v2 adds `semantics`: one library for the whole scenario and one per layer (see
//! [`crate::patterns::semantics`]). Reading a document that names libraries takes two steps:
//! every layer's left-out fields are filled from its library's preset and the `semantics` words
//! are taken out; then the usual typed pass reads the result, so a bad value is reported at its
//! path as always. A document that names no library skips this step.
//!
//! A v1 document names no library. In v2 that means each kind's own library, whose preset is
//! the plain defaults, the v1 defaults; so migrating v1 → v2 only changes the version.

use serde_json::{Map, Value};

use super::{SCHEMA_VERSION, ScenarioError};
use crate::catalog::LAYERS;
use crate::patterns::semantics::{Semantics, unknown_preset};

/// The key that names a library.
const KEY: &str = "semantics";

/// True if `json` (of schema `version`) must go through [`resolve`] before the typed pass:
/// it is a v1 document, or it may name a library or carry assertions or a sweep.
pub(super) fn needed(json: &str, version: Option<u64>) -> bool {
    version == Some(1) || ["\"semantics\"", "\"expect\"", "\"sweep\""].iter().any(|key| json.contains(key))
}

/// Brings a v1 document to v2 (see the module doc: only the version changes).
pub fn migrate_v1(doc: &mut Value) {
    if let Some(version) = doc.get_mut("version").filter(|v| v.as_u64() == Some(1)) {
        *version = Value::from(SCHEMA_VERSION);
    }
}

/// Migrates `doc`, fills every layer's left-out fields from its library's preset and takes the
/// `semantics` words, the `expect` list (claims about the run, see [`crate::expect`]) and the
/// `sweep` section (see [`crate::odds::sweep`]) out,
/// leaving a document the typed pass reads.
///
/// # Errors
/// A `semantics` that is not a library's word, or a library without a preset for the kind.
pub(super) fn resolve(doc: &mut Value) -> Result<(), ScenarioError> {
    migrate_v1(doc);
    let Value::Object(root) = doc else { return Ok(()) };
    root.remove(crate::expect::KEY);
    root.remove(crate::odds::sweep::KEY);
    let scenario_library = take_library(root, KEY)?;
    let Some(Value::Array(endpoints)) = root.get_mut("endpoints") else { return Ok(()) };
    for (e, endpoint) in endpoints.iter_mut().enumerate() {
        let Some(Value::Array(stack)) = endpoint.get_mut("stack") else { continue };
        for (l, layer) in stack.iter_mut().enumerate() {
            let Value::Object(layer) = layer else { continue };
            let Some((kind, Value::Object(body))) = layer.iter_mut().next() else { continue };
            let path = format!("endpoints[{e}].stack[{l}].{kind}");
            resolve_layer(kind, body, scenario_library, &path)?;
        }
    }
    Ok(())
}

/// Fills one layer's body from its library's preset (an unknown kind is left for the typed
/// pass to report).
fn resolve_layer(
    kind: &str,
    body: &mut Map<String, Value>,
    scenario_library: Option<Semantics>,
    path: &str,
) -> Result<(), ScenarioError> {
    let own = take_library(body, &format!("{path}.{KEY}"))?;
    let Some(spec) = LAYERS.iter().find(|spec| spec.name == kind) else { return Ok(()) };
    if let Some(library) = own.filter(|library| spec.preset(*library).is_none()) {
        return Err(ScenarioError::new(format!("{path}.{KEY}"), unknown_preset(spec, library)));
    }
    spec.fill_from_preset(body, spec.library_of(own, scenario_library));
    Ok(())
}

/// Takes the `semantics` word out of `object`: the library it names, if any.
fn take_library(object: &mut Map<String, Value>, path: &str) -> Result<Option<Semantics>, ScenarioError> {
    match object.remove(KEY) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(word)) => Semantics::from_word(&word).map(Some).ok_or_else(|| {
            ScenarioError::new(path, format!("unknown library `{word}`; expected one of {}", library_words()))
        }),
        Some(_) => Err(ScenarioError::new(path, format!("expected a library's name, one of {}", library_words()))),
    }
}

/// Every library's word, for error messages.
fn library_words() -> String {
    Semantics::ALL.map(Semantics::word).join(", ")
}
