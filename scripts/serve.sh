#!/usr/bin/env bash
# Installs what is missing, then builds and serves the playground on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
# --no-autoreload (also set in Trunk.toml): dist/ never carries the live-reload script.
exec trunk serve --offline --release --no-autoreload "$@"
