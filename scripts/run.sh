#!/usr/bin/env bash
# Command 1: install what is missing, build Herald (the fast-linking `fast-link`
# profile, see Cargo.toml) and serve it with
# SQLite in ./data on http://127.0.0.1:3000 (HERALD_ADDR to change).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$HERALD_ROOT"

"$HERALD_ROOT/scripts/setup.sh"
binary="$("$HERALD_ROOT/scripts/build.sh" fast-link | tail -n 1)"
step "starting $binary (Ctrl-C stops it)"
exec "$binary" serve "$@"
