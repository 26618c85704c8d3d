#!/usr/bin/env bash
# Builds Herald: the wasm bundle and stylesheet into <target>/<profile>/site,
# and the `herald` binary beside it (it finds its site next to itself).
# Usage: scripts/build.sh [debug|fast-link|release]
# `fast-link` (what `make run` serves) builds and links fast; `release` is the
# fat-LTO build for releases and herald-bench.
#
# The bundle and its bindings generator (`bundler/`, wasm-bindgen's library)
# build in the background, in a target directory of their own, while the
# server library builds: on two cores each fills the other's single-threaded
# stretches. Then the binary, which carries the site (HERALD_EMBED_SITE), links.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$HERALD_ROOT"

profile="${1:-debug}"
# Every profile ships the same bundles: wasm-release (fat LTO), then wasm-opt, so
# the tests load what users load. The passes are chosen by the brotli file,
# which is what goes on the wire: -Oz makes the smallest module but a larger
# brotli file than -O1 with -Oz's global passes (dead arguments, duplicate
# functions) around it; the custom sections go (JOURNAL.md beside the
# first-load benchmark). It builds beside the server library.
case "$profile" in
    debug) server_flags=() ;;
    fast-link) server_flags=(--profile fast-link) ;;
    release) server_flags=(--release) ;;
    *) echo "usage: $0 [debug|fast-link|release]" >&2; exit 2 ;;
esac
bundle_target="$CARGO_TARGET_DIR/bundle"
site="$CARGO_TARGET_DIR/$profile/site"

# One bundle per part of the app, each with only its own pages: the
# console's main pages (`herald`), its administration pages (`admin`) and
# the customer portal (`portal`). The stylesheet is the console's for all.
bundles=("herald:" "admin:admin" "portal:portal")

build_bundle() {
    step "building the browser bundles ($profile) and their bindings generator"
    # One generator for every profile, optimised: it reads the whole module.
    cargo build --quiet -p herald-bundler --profile fast-link --target-dir "$bundle_target"
    local staging="$site.new"
    rm -rf "$staging"
    mkdir -p "$staging/pkg"
    local bundler="$bundle_target/fast-link/herald-bundler"
    # Without it the bundles are over their budget: setup.sh installs it.
    command -v wasm-opt >/dev/null || { echo "wasm-opt not found: run scripts/setup.sh" >&2; return 1; }
    local bundle name features
    for bundle in "${bundles[@]}"; do
        name="${bundle%%:*}"
        features="${bundle#*:}"
        cargo build --quiet -p frontend --target wasm32-unknown-unknown --target-dir "$bundle_target" \
            --profile wasm-release ${features:+--features "$features"}
        "$bundler" bindgen "$bundle_target/wasm32-unknown-unknown/wasm-release/frontend.wasm" "$staging/pkg" "$name"
        mv "$staging/pkg/${name}_bg.wasm" "$staging/pkg/$name.wasm"
        wasm-opt --duplicate-function-elimination -O1 --dae-optimizing \
            --duplicate-function-elimination --vacuum --remove-unused-names --merge-blocks \
            --code-folding --duplicate-function-elimination --simplify-locals \
            --optimize-instructions --vacuum --merge-blocks \
            --strip-producers --strip-target-features \
            --enable-bulk-memory --enable-nontrapping-float-to-int \
            "$staging/pkg/$name.wasm" -o "$staging/pkg/$name.wasm"
        # Compressed once here, so the server sends the files as they are.
        "$bundler" compress "$staging/pkg/$name.js" "$staging/pkg/$name.wasm"
    done
    cp style/main.css "$staging/pkg/herald.css"
    "$bundler" compress "$staging/pkg/herald.css"
    cp -R public/. "$staging/"
    rm -rf "$site"
    mv "$staging" "$site"
    step "browser bundles ready in $site"
}

build_bundle &
bundle_job=$!
step "building the server library ($profile)"
server_status=0
cargo build -p server --lib "${server_flags[@]}" || server_status=$?
bundle_status=0
wait "$bundle_job" || bundle_status=$?
if [ "$server_status" -ne 0 ] || [ "$bundle_status" -ne 0 ]; then
    echo "build failed (server: $server_status, browser bundle: $bundle_status)" >&2
    exit 1
fi
# The binary compiles the finished site in (read from disk in debug builds).
step "building the herald binary with the site in it ($profile)"
HERALD_EMBED_SITE="$site" cargo build -p server --bin herald "${server_flags[@]}"
echo "$CARGO_TARGET_DIR/$profile/herald"
