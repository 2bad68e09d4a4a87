//! Editing the scenario as a JSON document: set and remove values at JSON pointers, translate
//! pointers to the engine's error paths, and new layers and faults from the engine's catalogue. The
//! document may be invalid while the user types; the engine's parser and validator say where.

use resilience_engine::catalog;
use serde_json::{Value, json};

/// Sets `value` at `pointer` (`/endpoints/0/stack/2/retry/max_attempts`), creating missing
/// objects on the way. Returns false if an array index is out of range.
pub fn set(doc: &mut Value, pointer: &str, value: Value) -> bool {
    let mut node = doc;
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        node = match node {
            Value::Array(items) => match segment.parse::<usize>().ok().and_then(|n| items.get_mut(n)) {
                Some(item) => item,
                None => return false,
            },
            Value::Object(map) => {
                if last {
                    map.insert((*segment).to_owned(), value);
                    return true;
                }
                map.entry((*segment).to_owned()).or_insert_with(|| json!({}))
            }
            other => {
                *other = json!({});
                let Value::Object(map) = other else { return false };
                if last {
                    map.insert((*segment).to_owned(), value);
                    return true;
                }
                map.entry((*segment).to_owned()).or_insert_with(|| json!({}))
            }
        };
    }
    *node = value;
    true
}

/// Removes the value at `pointer`, if any.
pub fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else { return };
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(key);
        }
        Some(Value::Array(items)) => {
            if let Some(index) = key.parse::<usize>().ok().filter(|i| *i < items.len()) {
                items.remove(index);
            }
        }
        _ => {}
    }
}

/// The engine's path for a pointer: `/endpoints/0/stack/2/retry` → `endpoints[0].stack[2].retry`.
pub fn path_of(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.parse::<usize>().is_ok() {
            path.push_str(&format!("[{segment}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
    }
    path
}

/// The variant name of an externally tagged value: `{"exponential": {..}}` → `exponential`,
/// `"full"` → `full`.
pub fn variant(value: Option<&Value>) -> String {
    match value {
        Some(Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A new layer of `kind` (as scenario files name it), with the catalogue's starting settings;
/// `None` for a kind the catalogue does not know.
pub fn new_layer(kind: &str) -> Option<Value> {
    catalog::LAYERS.iter().copied().find(|l| l.name == kind).map(catalog::LayerSpec::new_layer)
}

/// A new fault of `kind` over `[from_s, to_s)`, with the catalogue's starting settings; `None`
/// for a kind the catalogue does not know.
pub fn new_fault(kind: &str, from_s: u64, to_s: u64) -> Option<Value> {
    let spec = catalog::fault(kind)?;
    let mut fault: Value = serde_json::from_str(spec.example).unwrap_or_else(|_| json!({}));
    fault["from"] = json!(format!("{from_s}s"));
    fault["to"] = json!(format!("{to_s}s"));
    Some(json!({ kind: fault }))
}

/// What the comparison runs against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CompareWith {
    /// Every stack emptied.
    #[default]
    NoPatterns,
    /// The same scenario with one layer of one endpoint switched off.
    WithoutLayer {
        /// Endpoint index.
        endpoint: usize,
        /// Layer index in its stack.
        layer: usize,
    },
}

/// The document the comparison runs.
pub fn comparison(doc: &Value, with: CompareWith) -> Value {
    match with {
        CompareWith::NoPatterns => without_patterns(doc),
        CompareWith::WithoutLayer { endpoint, layer } => {
            let mut other = doc.clone();
            let pointer = format!("/endpoints/{endpoint}/stack/{layer}");
            let kind = variant(other.pointer(&pointer));
            set(&mut other, &format!("{pointer}/{kind}/enabled"), Value::Bool(false));
            other
        }
    }
}

/// The scenario with every stack emptied: the "no patterns" baseline of the comparison.
pub fn without_patterns(doc: &Value) -> Value {
    let mut bare = doc.clone();
    if let Some(Value::Array(endpoints)) = bare.get_mut("endpoints") {
        for endpoint in endpoints {
            endpoint["stack"] = json!([]);
        }
    }
    bare
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_creates_missing_objects_and_respects_arrays() {
        let mut doc = json!({ "a": [ { "b": 1 } ] });
        assert!(set(&mut doc, "/a/0/c/d", json!(2)));
        assert_eq!(doc, json!({ "a": [ { "b": 1, "c": { "d": 2 } } ] }));
        assert!(!set(&mut doc, "/a/5/c", json!(1)));
        remove(&mut doc, "/a/0/c");
        assert_eq!(doc, json!({ "a": [ { "b": 1 } ] }));
        remove(&mut doc, "/a/0");
        assert_eq!(doc, json!({ "a": [] }));
    }

    #[test]
    fn comparisons_switch_off_what_they_say() {
        let doc = json!({ "endpoints": [ { "stack": [ { "retry": {} }, { "timeout": { "timeout": "1s" } } ] } ] });
        assert_eq!(comparison(&doc, CompareWith::NoPatterns)["endpoints"][0]["stack"], json!([]));
        let without = comparison(&doc, CompareWith::WithoutLayer { endpoint: 0, layer: 1 });
        assert_eq!(without["endpoints"][0]["stack"][1]["timeout"]["enabled"], json!(false));
        assert_eq!(without["endpoints"][0]["stack"][0], json!({ "retry": {} }));
    }

    #[test]
    fn pointers_become_engine_paths() {
        assert_eq!(path_of("/endpoints/0/stack/2/retry/max_attempts"), "endpoints[0].stack[2].retry.max_attempts");
        assert_eq!(path_of("/seed"), "seed");
    }

    #[test]
    fn every_new_layer_and_fault_is_valid() {
        for kind in catalog::LAYERS.iter().map(|l| l.name) {
            let mut doc: Value =
                serde_json::from_str(resilience_engine::examples::gallery("breaker-outage").unwrap()).unwrap();
            doc["endpoints"][0]["stack"] = json!([new_layer(kind), new_layer("cache")]);
            assert!(new_layer("client_pool").is_none() && new_fault("nope", 1, 2).is_none());
            for fault in catalog::FAULTS.iter().map(|f| f.name) {
                doc["services"][0]["faults"] = json!([new_fault(fault, 10, 20)]);
                let scenario = resilience_engine::Scenario::from_json(&doc.to_string());
                assert!(scenario.is_ok(), "{kind} + {fault}: {scenario:?}");
            }
        }
    }
}
