//! Golden digests of every example run with the full trace. The native tests and the wasm
//! tests (in headless Chromium) check the same numbers: same scenario + seed = same trace on
//! both targets. Update only when a change is meant to alter behaviour, and say why.

/// (example name, digest) in `examples::ALL` order.
pub const GOLDEN: &[(&str, u64)] = &[
    ("all-six", 0x13fc467168c3639e),
    ("cache-outage", 0x9221f136db1691ec),
    ("retry-transient", 0x637242f4870c5c78),
    ("timeout-brownout", 0x8c7c8aeb106e04cd),
    ("breaker-outage", 0xed0c8c6dfa17e6bb),
    ("fallback-outage", 0x7bb07929a9a5ce94),
    ("bulkhead-isolation", 0xf6367a8dcfcce95d),
    ("retry-storm", 0x43a501cead2767cf),
];
