#!/usr/bin/env bash
# Installs what is missing, then runs every test: format and lints, the engine's unit,
# scenario, property and conformance tests (native), the engine compiled to wasm and the
# playground's components in headless Chromium (same digests as native), the release build of
# the web app, and the end-to-end tests in headless Chromium. Prints the release wasm size.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true CHROMEDRIVER=/usr/bin/chromedriver
# Property tests explore a fixed corner of their space in CI (set another seed to explore more).
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261127}"

step() { printf '\n== %s ==\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p resilience-playground --all-targets --target wasm32-unknown-unknown -- -D warnings

step "engine tests (native)"
cargo test --workspace

step "engine and components in headless Chromium (wasm-bindgen-test)"
cargo test -p resilience-engine --target wasm32-unknown-unknown --test wasm
cargo test -p resilience-playground --target wasm32-unknown-unknown --test components

step "release build of the web app"
trunk build --offline --release
# The first paint loads the first part of the app's wasm; the later part (what the first paint
# does not run, scripts/split/) and the worker chunk (analysis, code, import, link encoding) load
# after it. The budget is the first paint's.
wasm=dist/resilience-playground_bg.wasm
later=dist/resilience-playground_later_bg.wasm
worker=dist/resilience-worker_bg.wasm
# A fence against growth, not the goal (250 KB needs the engine out of the page). Raised from
# 400,000 to 400,600 in session 11: requests to the worker go out after the paint (an edit shown
# about 4 ms sooner) and the odds form keeps what a reader types while the worker redraws it;
# to 400,700 in session 12: the odds dialog tells the worker when the page is a phone's, which
# gets a chart laid out for its width (127 bytes); to 401,000 in session 13: Enter in a field of
# the odds form runs it, and a refusal about a field focuses that field (217 bytes); to 401,300
# in session 13: an embed's sweep panel (panels=…,sweep), run on a reader's click (370 bytes);
# to 401,500: an example's tips stay when only a sweep is written into it, and the focus stays
# in the odds dialog when Cancel goes (177 bytes); to 403,000 in session 14: the baseline a
# re-roll of the seed needs is prepared in the browser's idle time (1,564 bytes; re-roll → painted
# 15.7 → 14.6 ms median in bench.mjs, old and new builds alternating in the same runs); to
# 403,200: the odds chart's arrow keys, Home, End and Enter pick and open a cell (127 bytes); to
# 403,400: the load and service editors' labels and choices come from the engine's catalogue,
# which names the odds dialog's knobs too (256 bytes); to 403,500: the focus is never lost to the
# page when a banner's button or an odds control goes with the drawing (82 bytes). Lowered to
# 352,600 in session 15: the release build splits the wasm by a profile of first paints (the
# default example, an embed, a share link, every example and a docs page's players, so that a
# reader arriving by any of them needs only the first part), and what they do not run (about
# 70,000 bytes gzipped) loads after. Without the players the first part measured 348,387 to
# 348,595 bytes over five builds (a few functions run in some profiled loads and not in others,
# hence the room); with them 352,039. Lowered to 314,000 in session 16: the editors draw once
# the later part is in (their code left the first part), the page reads numbers without Rust's
# float parser, whose tables sat in the first part's data, and panels below the first screen
# draw when seen (313,230 to 313,737 measured over five builds). Lowered to 306,200 in session
# 17: the header menus' items, the gallery and the inspector are drawn only when shown, and the
# first paint writes numbers without Rust's float formatter (resilience_engine::decimal)
# (305,126 to 305,389 measured over six builds; a {:.1} of an f64 in a first-paint view would
# bring about 4.6 KB back, and split-wasm.mjs names it).
# (Tried in session 13 and dropped: running a small edit's scenario inside the edit, so the edit
# and its result render once; measured against the old build in the same runs it was no faster.)
budget=306200
[ -f "$later" ] || { echo "the release build did not split the app's wasm (see scripts/post-build.sh)" >&2; exit 1; }
gzipped=$(gzip -9 -c "$wasm" | wc -c)
printf 'release wasm (first paint): %s bytes, %s bytes gzipped (budget %s)\n' "$(wc -c <"$wasm")" "$gzipped" "$budget"
printf 'later part of the app (loaded after the first paint): %s bytes, %s bytes gzipped\n' "$(wc -c <"$later")" "$(gzip -9 -c "$later" | wc -c)"
printf 'worker chunk (loaded after the first paint): %s bytes, %s bytes gzipped\n' "$(wc -c <"$worker")" "$(gzip -9 -c "$worker" | wc -c)"
if [ "$gzipped" -gt "$budget" ]; then
  echo "the release wasm is over its budget of $budget bytes gzipped" >&2
  exit 1
fi

step "end-to-end tests (headless Chromium)"
(cd tests/e2e && npx playwright test)
