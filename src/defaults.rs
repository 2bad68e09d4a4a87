//! The engine catalogue's defaults of each layer kind, computed when the app is built (see
//! `build.rs`) and embedded as JSON: the same values as `LayerSpec::defaults`, without the
//! configs' serialisers in the wasm.

use serde_json::Value;

/// `{kind: default config}` for every layer kind and the client pool.
const LAYER_DEFAULTS: &str = include_str!(concat!(env!("OUT_DIR"), "/layer_defaults.json"));

/// The default config of layer `kind` (fields without a default are absent); `Null` for an
/// unknown kind.
pub fn layer(kind: &str) -> Value {
    let all: Value = serde_json::from_str(LAYER_DEFAULTS).unwrap_or(Value::Null);
    all.get(kind).cloned().unwrap_or(Value::Null)
}

/// The default of the field at `path` (`/window/count`) of layer `kind`, if it has one.
pub fn of(kind: &str, path: &str) -> Option<Value> {
    layer(kind).pointer(path).cloned()
}

#[cfg(test)]
mod tests {
    use resilience_engine::catalog::{CLIENT_POOL, LAYERS};

    #[test]
    fn embedded_defaults_are_the_catalogues() {
        for spec in LAYERS.iter().copied().chain([&CLIENT_POOL]) {
            assert_eq!(super::layer(spec.name), spec.defaults(), "{}", spec.name);
        }
        assert_eq!(super::of("timeout", "/timeout"), Some(serde_json::json!("1s")));
        assert!(super::layer("nope").is_null());
    }
}
