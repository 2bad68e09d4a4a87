//! Golden digests of every example run with the full trace. The native tests and the wasm
//! tests (in headless Chromium) check the same numbers: same scenario + seed = same trace on
//! both targets. Update only when a change is meant to alter behaviour, and say why.

/// (example name, digest) in `examples::ALL` order.
pub const GOLDEN: &[(&str, u64)] = &[
    ("all-six", 0x4bd92bc770761088),
    ("cache-outage", 0x52b76003c2a16800),
    ("retry-transient", 0x8ca562f983b183cc),
    ("timeout-brownout", 0x9fbb2298b817eaa6),
    ("breaker-outage", 0x774c60047176419b),
    ("fallback-outage", 0x238763ec46ae1aef),
    ("bulkhead-isolation", 0xb965156f41b5cbeb),
    ("retry-storm", 0x6aff3e6e36050df4),
    ("retries-every-layer", 0x898eb2d5b7b6146b),
    ("thundering-herd", 0x0faddff432050d4b),
    ("breaker-never-opens", 0xf24fe2f4944bf26b),
    ("rate-limiter-spike", 0xddff503de007f4c8),
    ("retry-budget-storm", 0x6d72733dfe9556d0),
    ("hedging-tail", 0xba78423c5d566aae),
    ("adaptive-limit-slowdown", 0x75d498d9a6d48b67),
    ("throttle-outage", 0xadfb7cb3100f3c81),
];
