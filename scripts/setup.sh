#!/usr/bin/env bash
# Installs what Herald's build (and, with --test, its tests) needs, when missing.
# Idempotent: a second run does nothing but check.
set -euo pipefail
source "$(dirname "$0")/env.sh"

with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

apt_install() {
    local missing=("$@")
    step "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

if ! command -v cargo >/dev/null; then
    echo "Rust is missing: install it with rustup (https://rustup.rs) and run this again." >&2
    exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if [ ! -d "$HERALD_ROOT/end2end/node_modules" ] ||
   [ "$HERALD_ROOT/end2end/package-lock.json" -nt "$HERALD_ROOT/end2end/node_modules/.package-lock.json" ]; then
    if ! command -v npm >/dev/null; then apt_install nodejs npm; fi
    step "installing npm packages (Playwright, binaryen)"
    (cd "$HERALD_ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
fi

if $with_tests; then
    missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        missing+=(postgresql)
    fi
    command -v node >/dev/null || missing+=(nodejs)
    command -v curl >/dev/null || missing+=(curl)
    command -v jq >/dev/null || missing+=(jq)
    { command -v python3 >/dev/null && python3 -c 'import ensurepip, venv' 2>/dev/null; } || missing+=(python3-venv)
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

    if [ "$("$HERALD_VENV/bin/pip" freeze 2>/dev/null | grep -cxF -f "$HERALD_ROOT/scripts/python-requirements.txt")" \
         -ne "$(grep -c . "$HERALD_ROOT/scripts/python-requirements.txt")" ]; then
        step "installing schemathesis and openapi-spec-validator into $HERALD_VENV"
        python3 -m venv "$HERALD_VENV"
        "$HERALD_VENV/bin/pip" install --quiet --disable-pip-version-check \
            -r "$HERALD_ROOT/scripts/python-requirements.txt"
    fi
fi
