#!/usr/bin/env bash
# Command 2: every check and test. Installs what is missing, then runs
# cargo fmt --check, clippy -D warnings (server and wasm builds), the cargo
# tests against SQLite AND a throw-away PostgreSQL cluster, and the
# Playwright tests against the real built server in Debian's Chromium.
# Ends with one line: `N passed, N failed` (cargo and Playwright summed).
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$HERALD_ROOT"

failed_checks=()
check() {
    local name="$1"; shift
    step "$name"
    "$@" || failed_checks+=("$name")
}

# Every cargo command below sees the site the binary carries, as build.sh
# names it: a different value would rebuild the binary between them.
export HERALD_EMBED_SITE="$CARGO_TARGET_DIR/debug/site"

"$HERALD_ROOT/scripts/setup.sh" --test || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

check "cargo fmt --check" cargo fmt --all -- --check
check "clippy (server, ssr)" cargo clippy -p server -p app --all-targets -- -D warnings
check "clippy (frontend, wasm32)" cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
check "build (debug)" "$HERALD_ROOT/scripts/build.sh" debug

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

step "cargo tests (SQLite and PostgreSQL)"
cargo test -p server -p app 2>&1 | tee "$logs/cargo.log"
cargo_status=${PIPESTATUS[0]}
count() { grep -cE "$1" "$logs/cargo.log" || true; }
read -r cargo_passed cargo_failed < <(awk '/^test result:/ {
    for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i }
} END { print p + 0, f + 0 }' "$logs/cargo.log")
sqlite_passed=$(count '^test .*::sqlite::.* \.\.\. ok$')
postgres_passed=$(count '^test .*::postgres::.* \.\.\. ok$')
postgres_ran=$(count '^test .*::postgres::')
if [ "$cargo_status" -ne 0 ] && [ "$cargo_failed" -eq 0 ]; then
    cargo_failed=1 # it did not build or a test binary crashed
fi
if [ "$postgres_ran" -eq 0 ]; then
    echo "no test ran against PostgreSQL: that is a failure, never a skip" >&2
    cargo_failed=$((cargo_failed + 1))
fi

step "Playwright (Debian Chromium, real server)"
e2e_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
e2e_data="$(mktemp -d "${TMPDIR:-/tmp}/herald-e2e-XXXXXX")"
rm -f end2end/test-results/results.json
(cd end2end && HERALD_BIN="$CARGO_TARGET_DIR/debug/herald" HERALD_E2E_PORT="$e2e_port" \
    HERALD_E2E_DATA_DIR="$e2e_data" npx playwright test)
rm -rf "$e2e_data"
read -r e2e_passed e2e_failed < <(node -e '
    try {
        const { stats } = require("./end2end/test-results/results.json");
        console.log(stats.expected, stats.unexpected + stats.flaky);
    } catch { console.log(0, 1); }')

step "herald-bench --quick --json (smoke: it runs and prints its JSON; numbers belong to the benchmark)"
bench_passed=0
bench_failed=1
cargo build -p server --bin herald-bench &&
    bench_json="$("$CARGO_TARGET_DIR/debug/herald-bench" --quick --json)" && echo "$bench_json" &&
    echo "$bench_json" | jq -e 'has("raw_posts_per_s") and has("deliveries_per_s") and has("ratio_to_raw")
        and (.latency_ms | has("p50") and has("p95") and has("p99")) and has("api_get_per_s")
        and has("api_get_p99_ms") and has("peak_rss_mib") and has("backend")' >/dev/null &&
    bench_passed=1 && bench_failed=0

step "summary"
echo "cargo:      $cargo_passed passed, $cargo_failed failed (SQLite $sqlite_passed passed, PostgreSQL $postgres_passed passed, of them integration tests)"
echo "playwright: $e2e_passed passed, $e2e_failed failed"
echo "bench smoke: $bench_passed passed, $bench_failed failed"
if [ ${#failed_checks[@]} -gt 0 ]; then
    printf 'failed checks: %s\n' "${failed_checks[*]}"
fi
total_failed=$((cargo_failed + e2e_failed + bench_failed + ${#failed_checks[@]}))
echo "$((cargo_passed + e2e_passed + bench_passed)) passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
