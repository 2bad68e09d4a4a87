//! Fuzz target: Imported files: the engine's share of a dropped or chosen file → a run under tight budgets.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = resilience_engine::fuzzing::import_file(data);
});
