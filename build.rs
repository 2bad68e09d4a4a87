//! Writes each layer kind's default config, as the engine's catalogue reads it, to a JSON file
//! that the web app embeds (`src/defaults.rs`). The app then shows the engine's defaults
//! without compiling the configs' serialisers into the wasm (about 2 KB gzipped).

use std::path::Path;

use resilience_engine::catalog::{CLIENT_POOL, LAYERS};

fn main() {
    let defaults: serde_json::Map<String, serde_json::Value> =
        LAYERS.iter().copied().chain([&CLIENT_POOL]).map(|spec| (spec.name.to_owned(), spec.defaults())).collect();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = Path::new(&out_dir).join("layer_defaults.json");
    std::fs::write(path, serde_json::Value::Object(defaults).to_string()).expect("OUT_DIR is writable");
}
