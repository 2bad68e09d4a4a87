#!/usr/bin/env sh
# Trunk post-build hook, release builds only (debug builds are left alone):
# 1. splits the page's wasm in two, so the first paint downloads only what it runs
#    (scripts/split/split-wasm.mjs: binaryen's wasm-split from Debian, a profile of the first
#    paint taken in headless Chromium);
# 2. shrinks every wasm with binaryen's wasm-opt (from npm, installed by scripts/setup.sh into
#    tools/). --low-memory-unused lets it fold constant offsets into loads and stores (about
#    1.9 KB gzipped): Rust puts the stack first and grows it down from 1 MiB, so nothing valid
#    lives below address 1024, and no pointer comes near 4 GiB, where folding would change an
#    address that wraps;
# 3. puts the final files' hashes into index.html's integrity attributes.
set -eu
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
root="${TRUNK_SOURCE_DIR:-.}"
opt="$root/tools/node_modules/.bin/wasm-opt"
if [ ! -x "$opt" ] || ! command -v wasm-split >/dev/null || [ ! -d "$root/tools/node_modules/playwright-core" ]; then
  echo "wasm-split, wasm-opt or playwright-core not installed (run scripts/setup.sh); the wasm stays whole and unoptimised" >&2
  exit 0
fi
node "$root/scripts/split/split-wasm.mjs" "$TRUNK_STAGING_DIR"
for wasm in "$TRUNK_STAGING_DIR"/*_bg.wasm; do
  "$opt" -Oz --converge --low-memory-unused --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue -o "$wasm" "$wasm"
done
node "$root/scripts/split/integrity.mjs" "$TRUNK_STAGING_DIR"
