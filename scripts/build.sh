#!/usr/bin/env bash
# Builds Herald: the wasm bundle and stylesheet into <target>/<profile>/site,
# then the `herald` binary beside it (it finds its site next to itself).
# Usage: scripts/build.sh [debug|fast-link|release]
# `fast-link` (what `make run` serves) links fast; `release` is the fat-LTO build
# for releases and herald-bench. Both ship the release wasm bundle.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$HERALD_ROOT"

profile="${1:-debug}"
case "$profile" in
    debug) wasm_flags=(); wasm_dir=debug; server_flags=() ;;
    fast-link) wasm_flags=(--profile wasm-release); wasm_dir=wasm-release; server_flags=(--profile fast-link) ;;
    release) wasm_flags=(--profile wasm-release); wasm_dir=wasm-release; server_flags=(--release) ;;
    *) echo "usage: $0 [debug|fast-link|release]" >&2; exit 2 ;;
esac

step "building the browser bundle ($profile)"
cargo build -p frontend --target wasm32-unknown-unknown "${wasm_flags[@]}"

site="$CARGO_TARGET_DIR/$profile/site"
staging="$site.new"
rm -rf "$staging"
mkdir -p "$staging/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$staging/pkg" --out-name herald \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$wasm_dir/frontend.wasm"
mv "$staging/pkg/herald_bg.wasm" "$staging/pkg/herald.wasm"
if [ "$profile" != debug ] && command -v wasm-opt >/dev/null; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        "$staging/pkg/herald.wasm" -o "$staging/pkg/herald.wasm"
fi
cp style/main.css "$staging/pkg/herald.css"
cp -R public/. "$staging/"
rm -rf "$site"
mv "$staging" "$site"

step "building the server ($profile)"
cargo build -p server --bin herald "${server_flags[@]}"
echo "$CARGO_TARGET_DIR/$profile/herald"
