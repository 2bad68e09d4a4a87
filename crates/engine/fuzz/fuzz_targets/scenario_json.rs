//! Fuzz target: Scenario JSON: bytes → `Scenario::parse_bytes` → `validate` → a run under tight budgets.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = resilience_engine::fuzzing::scenario_json(data);
});
