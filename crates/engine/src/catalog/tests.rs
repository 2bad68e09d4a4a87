use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::layers::json_of;

use super::*;
use crate::Scenario;
use crate::patterns::bulkhead::BulkheadDoc;
use crate::patterns::circuit_breaker::BreakerDoc;
use crate::patterns::fallback::FallbackDoc;
use crate::patterns::retry::RetryDoc;
use crate::patterns::timeout::TimeoutDoc;
use crate::scenario::{Layer, SCHEMA_VERSION};

/// A valid document with `stack` as its one endpoint's stack and `faults` as its service's.
fn document(stack: Vec<Value>, faults: Vec<Value>) -> Value {
    json!({
        "version": SCHEMA_VERSION, "name": "catalogue", "duration": "10s",
        "client": CLIENT_POOL.new_layer()["client_pool"],
        "services": [{ "name": "api", "latency": { "constant": "10ms" }, "faults": faults }],
        "endpoints": [{ "name": "e", "service": "api", "load": { "constant": { "rps": 10 } }, "stack": stack }],
    })
}

/// Sets `value` at `pointer`, creating objects on the way.
fn set(target: &mut Value, pointer: &str, value: Value) {
    let mut node = target;
    for key in pointer.split('/').skip(1) {
        if !node.is_object() {
            *node = json!({});
        }
        node = node.as_object_mut().expect("an object").entry(key).or_insert(Value::Null);
    }
    *node = value;
}

/// A value of the field's type inside its range, or its default.
fn sample(spec: &FieldSpec, default: Option<Value>) -> Value {
    if let Some(choice) = spec.choices.last() {
        return choice.value(default.as_ref());
    }
    default.unwrap_or_else(|| match (spec.kind, spec.range) {
        (FieldKind::Duration, Some(Range::Duration(b))) => json!(b.min.max(crate::time::Span::from_millis(1))),
        (FieldKind::Duration, _) => json!("1s"),
        (_, Some(Range::Whole(b))) => json!(b.max),
        (_, Some(Range::Number(b))) => json!(b.min),
        (_, Some(Range::Status(b))) => json!(b.min),
        (FieldKind::Text, _) => json!("S,F"),
        (FieldKind::FailureKinds, _) => json!(["4xx"]),
        (FieldKind::Bool, _) => json!(true),
        _ => json!(1),
    })
}

#[test]
fn every_field_exists_in_the_scenario_format() {
    // Each field, set on its own to a value in range (its default when it has one), on top of
    // the kind's example: the document must parse (unknown fields are errors) and validate.
    for layer in LAYERS {
        for spec in layer.fields.iter().filter(|f| f.kind != FieldKind::ChoiceOrService) {
            let mut config = layer.new_layer()[layer.name].take();
            choose_variant(layer, spec, &mut config);
            set(&mut config, spec.path, sample(spec, layer.default_of(spec.path)));
            if spec.path == "/max_retries" {
                config.as_object_mut().unwrap().remove("max_attempts");
            }
            let doc = document(vec![json!({ layer.name: config }), json!({ "cache": { "ttl": "1s" } })], vec![]);
            let parsed = Scenario::from_json(&doc.to_string());
            assert!(parsed.is_ok(), "{} {}: {parsed:?}", layer.name, spec.path);
        }
    }
}

/// Sets the parent choice of a nested field (`/window/seconds`, `/backoff/linear/delay`) to the
/// variant the field belongs to.
fn choose_variant(layer: &'static LayerSpec, spec: &FieldSpec, config: &mut Value) {
    for parent in layer.fields.iter().filter(|f| !f.choices.is_empty()) {
        let Some(rest) = spec.path.strip_prefix(parent.path).and_then(|r| r.strip_prefix('/')) else { continue };
        let variant = rest.split('/').next().unwrap_or_default();
        let choice = parent.choices.iter().find(|c| c.variant == variant).expect("a choice for the variant");
        set(config, parent.path, choice.value(layer.default_of(parent.path).as_ref()));
    }
}

#[test]
fn every_fault_field_exists_and_examples_validate() {
    for fault in &FAULTS {
        let mut value: Value = serde_json::from_str(fault.example).unwrap();
        for spec in fault.fields.iter().chain(WINDOW_FIELDS) {
            let default = fault.defaults().pointer(spec.path).cloned();
            set(&mut value, spec.path, sample(spec, default));
        }
        set(&mut value, "/to", json!("5s"));
        let doc = document(vec![], vec![json!({ fault.name: value })]);
        let parsed = Scenario::from_json(&doc.to_string());
        assert!(parsed.is_ok(), "{}: {parsed:?}", fault.name);
    }
}

#[test]
fn every_example_is_a_valid_layer_of_its_kind() {
    for layer in LAYERS {
        let entry = layer.new_layer();
        let parsed: Layer = serde_json::from_value(entry.clone()).expect("the example parses");
        assert_eq!(parsed.kind_name(), layer.name);
        let doc = document(vec![entry, json!({ "cache": { "ttl": "1s" } })], vec![]);
        assert!(Scenario::from_json(&doc.to_string()).is_ok(), "{}", layer.name);
    }
}

#[test]
fn defaults_are_the_configs_own() {
    // The config's `Default`, and what serde fills in for an empty config: the two agree, and
    // the catalogue shows them.
    fn both<T: Default + Serialize + DeserializeOwned>() -> (Value, Value) {
        let empty = serde_json::from_value::<T>(json!({})).expect("an empty config parses");
        (json_of(T::default()), json_of(empty))
    }
    let expect = [
        ("fallback", both::<FallbackDoc>()),
        ("circuit_breaker", both::<BreakerDoc>()),
        ("retry", both::<RetryDoc>()),
        ("timeout", both::<TimeoutDoc>()),
        ("bulkhead", both::<BulkheadDoc>()),
    ];
    for (name, (config, from_serde)) in expect {
        assert_eq!(config, from_serde, "{name}: Default and serde's defaults differ");
        let spec = layer(name).unwrap();
        for field in spec.fields {
            assert_eq!(spec.default_of(field.path), config.pointer(field.path).cloned(), "{name} {}", field.path);
        }
    }
    // Spot checks against the literal defaults the configs document.
    assert_eq!(layer("circuit_breaker").unwrap().default_of("/failure_rate"), Some(json!(50.0)));
    assert_eq!(layer("circuit_breaker").unwrap().default_of("/window/count"), Some(json!(100)));
    assert_eq!(layer("timeout").unwrap().default_of("/timeout"), Some(json!("1s")));
    // Configs without `Default`: what serde fills in for a left-out field.
    let cache = layer("cache").unwrap();
    assert_eq!((cache.default_of("/capacity"), cache.default_of("/ttl")), (Some(json!(1000)), None));
    assert_eq!(cache.default_of("/serve_stale"), Some(json!(false)));
    assert_eq!(CLIENT_POOL.default_of("/max_wait"), Some(json!("1s")));
    assert_eq!(FAULTS[0].defaults().pointer("/status"), Some(&json!(503)));
    assert_eq!(FAULTS[1].defaults().pointer("/status"), Some(&json!(500)));
}

#[test]
fn a_choice_without_a_value_is_the_default_variant() {
    for layer in LAYERS.iter().copied().chain([&CLIENT_POOL]) {
        for field in layer.fields {
            for choice in field.choices {
                let value = choice.value(layer.default_of(field.path).as_ref());
                let variant = match &value {
                    Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
                    Value::String(s) => s.clone(),
                    _ => String::new(),
                };
                assert_eq!(variant, choice.variant, "{} {}", layer.name, field.path);
            }
        }
    }
}

#[test]
fn ranges_are_the_validators() {
    // Just outside a field's range, the validator names that very field.
    for layer in LAYERS {
        for field in layer.fields {
            let outside = match field.range {
                Some(Range::Whole(b)) if b.min > 0 => json!(b.min - 1),
                Some(Range::Whole(b)) => json!(u64::from(b.max) + 1),
                Some(Range::Number(b)) => json!(b.max * 2.0),
                _ => continue,
            };
            let mut config = layer.new_layer()[layer.name].take();
            choose_variant(layer, field, &mut config);
            set(&mut config, field.path, outside);
            let doc = document(vec![json!({ layer.name: config })], vec![]);
            let error = Scenario::from_json(&doc.to_string()).expect_err(field.path);
            assert!(error.path.ends_with(&field.path.replace('/', ".")), "{} → {error}", field.path);
        }
    }
}

#[test]
fn names_are_the_scenario_formats_and_unique() {
    let mut names: Vec<&str> = LAYERS.iter().map(|l| l.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), LAYERS.len());
    for fault in &FAULTS {
        let value: Value = json!({ fault.name: serde_json::from_str::<Value>(fault.example).unwrap() });
        let parsed: crate::scenario::Fault = serde_json::from_value(value).expect(fault.name);
        assert_eq!(parsed.kind_name(), fault.name);
    }
    assert!(layer("client_pool").is_some() && fault("throttle").is_some() && layer("nope").is_none());
}

#[test]
fn the_catalogue_serialises_with_defaults() {
    let json: Value = serde_json::from_str(&to_json()).unwrap();
    assert_eq!(json["layers"].as_array().map(Vec::len), Some(LAYERS.len()));
    let breaker = &json["layers"][2];
    assert_eq!(breaker["name"], "circuit_breaker");
    let rate = breaker["fields"].as_array().unwrap().iter().find(|f| f["path"] == "/failure_rate").unwrap();
    assert_eq!((rate["default"].clone(), rate["range"]["max"].clone()), (json!(50.0), json!(100.0)));
    assert_eq!(breaker["outcomes"], json!(["rejected-by-breaker"]));
    assert_eq!(json["faults"][0]["fields"][0]["default"], json!(503));
    assert_eq!(json["service_sections"][0]["path"], "/latency");
    assert_eq!(json["endpoint_sections"][0]["choices"][3]["value"]["spike"]["spike_rps"], json!(600));
    assert_eq!(json["endpoint_sections"][1]["fields"][2]["help"], "higher: a few keys get most requests");
}

/// Every numeric or duration leaf of `value` under `pointer`, as a path inside the section.
fn leaves(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| leaves(v, &format!("{pointer}/{k}"), out)),
        Value::Number(_) | Value::String(_) => out.push(pointer.to_owned()),
        _ => {}
    }
}

#[test]
fn every_section_choice_is_valid_and_its_variant_lists_each_of_its_settings() {
    let sections = SERVICE_SECTIONS
        .iter()
        .map(|s| (s, "/services/0"))
        .chain(ENDPOINT_SECTIONS.iter().map(|s| (s, "/endpoints/0")));
    for (section, owner) in sections {
        // A plain section is checked with a value of its own fields.
        let plain = json!({ "concurrency": 50, "queue": 100 });
        let values: Vec<(&str, Value)> = if section.choices.is_empty() {
            vec![("", plain)]
        } else {
            section.choices.iter().map(|c| (c.variant, serde_json::from_str(c.value).expect(c.value))).collect()
        };
        for (variant, value) in values {
            let mut doc = document(vec![], vec![]);
            let owned = doc.pointer_mut(owner).expect("a service and an endpoint");
            set(owned, section.path, value.clone());
            let scenario = Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{variant}: {e}"));
            assert!(scenario.validate().is_empty(), "{variant}: {:?}", scenario.validate());
            let mut found = Vec::new();
            leaves(&value, "", &mut found);
            let mut listed: Vec<&str> = section.fields_of(variant).map(|f| f.path).collect();
            listed.sort_unstable();
            assert_eq!(found, listed, "{} {variant}", section.label);
            assert!(listed.iter().all(|p| section.field(p).is_some()));
        }
    }
}
