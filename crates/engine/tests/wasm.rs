//! The engine compiled to wasm, in headless Chromium: every example gives the same digest as
//! natively (the golden digests the native tests check too).
#![cfg(target_arch = "wasm32")]

mod common;

use resilience_engine::examples;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn examples_match_the_native_golden_digests() {
    for ((name, _), (golden_name, golden)) in examples::ALL.iter().zip(common::golden::GOLDEN) {
        assert_eq!(name, golden_name);
        let report = common::run_full(&common::example(name));
        assert_eq!(report.digest, *golden, "{name}: wasm digest {:016x} differs from native", report.digest);
    }
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic_in_wasm() {
    assert!(resilience_engine::Scenario::from_json("{\"version\": 1").is_err());
    assert!(resilience_engine::Scenario::from_json(&"[".repeat(5_000)).is_err());
}
