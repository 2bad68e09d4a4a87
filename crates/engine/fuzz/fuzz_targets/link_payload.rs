//! Fuzz target: Share links: bytes as a string → `link::decode` → a run under tight budgets.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = resilience_engine::fuzzing::link_payload(data);
});
