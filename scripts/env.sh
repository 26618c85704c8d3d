# Shared settings for Herald's scripts (sourced, not run).
# Build caches live outside the clone so CI and fresh clones reuse them.
HERALD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HERALD_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/herald/target}"
# schemathesis and openapi-spec-validator for the API tests.
export HERALD_VENV="${HERALD_VENV:-$HOME/.cache/herald/venv}"
export npm_config_cache="${npm_config_cache:-$HOME/.cache/herald/npm}"
# Playwright drives Debian's Chromium; it must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# npm's binaryen (wasm-opt) first: Debian's older one breaks hydration.
export PATH="$HERALD_ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"


step() { printf '\n==> %s\n' "$*" >&2; }
