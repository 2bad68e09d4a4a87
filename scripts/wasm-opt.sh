#!/usr/bin/env sh
# Trunk post-build hook: shrink the release wasm with binaryen's wasm-opt (from npm, installed
# by scripts/setup.sh into tools/). Debug builds are left alone. --low-memory-unused lets it fold
# constant offsets into loads and stores (about 1.9 KB gzipped): Rust puts the stack first and
# grows it down from 1 MiB, so nothing valid lives below address 1024, and no pointer comes
# near 4 GiB, where folding would change an address that wraps.
set -eu
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
opt="${TRUNK_SOURCE_DIR:-.}/tools/node_modules/.bin/wasm-opt"
if [ ! -x "$opt" ]; then
  echo "wasm-opt not installed (run scripts/setup.sh); the wasm stays unoptimised" >&2
  exit 0
fi
for wasm in "$TRUNK_STAGING_DIR"/*_bg.wasm; do
  "$opt" -Oz --converge --low-memory-unused --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue -o "$wasm" "$wasm"
done
