#!/usr/bin/env bash
# Benchmarks (figures, never pass/fail): the engine against the tokio + tower peer, then the
# playground in headless Chromium (re-run latency, timeline frame rate, wasm size, loading on slow networks).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
PEER_MANIFEST="$PWD/../shared/bench/tower-peer/Cargo.toml" PEER_TARGET_DIR="$PWD/target/peer" \
  cargo bench -p resilience-engine --bench throughput
trunk build --offline --release
(cd tests/e2e && node bench.mjs && node bench-load.mjs)
