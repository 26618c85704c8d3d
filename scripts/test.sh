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
# A hung test must end the run, not hold it: each test also has its own limit.
CARGO_TEST_LIMIT="${HERALD_CARGO_TEST_LIMIT:-45m}"

"$HERALD_ROOT/scripts/setup.sh" --test || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

check "cargo fmt --check" cargo fmt --all -- --check
check "clippy (server, ssr)" cargo clippy -p server -p app -p herald-service -p herald-engine -p herald-store -p herald-model -p herald-bundler --all-targets -- -D warnings
check "clippy (frontend, wasm32)" cargo clippy -p frontend -p herald-model --target wasm32-unknown-unknown -- -D warnings
check "clippy (admin bundle, wasm32)" cargo clippy -p frontend --features admin --target wasm32-unknown-unknown -- -D warnings
check "clippy (portal bundle, wasm32)" cargo clippy -p frontend --features portal --target wasm32-unknown-unknown -- -D warnings
check "build (debug)" "$HERALD_ROOT/scripts/build.sh" debug

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# A suite passes only when it started, listed tests, ran every one it
# listed, skipped none and failed none: a green line means every claim ran.
step "cargo tests (SQLite and PostgreSQL)"
# The listing builds the test binaries; a build failure shows here.
cargo test -p server -p app -p herald-service -p herald-engine -p herald-store -p herald-model --no-fail-fast -- --list --format terse >"$logs/cargo-list.log"
list_status=$?
timeout --kill-after=60 "$CARGO_TEST_LIMIT" \
    cargo test -p server -p app -p herald-service -p herald-engine -p herald-store -p herald-model --no-fail-fast 2>&1 | tee "$logs/cargo.log"
cargo_status=${PIPESTATUS[0]}
read -r cargo_passed cargo_failed cargo_skipped < <(awk '/^test result:/ {
    for (i = 1; i < NF; i++) {
        if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i
        if ($(i+1) ~ /^(ignored;|filtered$)/) s += $i
    }
} END { print p + 0, f + 0, s + 0 }' "$logs/cargo.log")
listed() { grep -cE "$1: test\$" "$logs/cargo-list.log" || true; }
ran() { grep -cE "^test $1 \.\.\. (ok|FAILED)\$" "$logs/cargo.log" || true; }
cargo_listed=$(listed '.')
cargo_problems=()
[ "$list_status" -eq 0 ] || cargo_problems+=("the test binaries did not build or list (status $list_status)")
[ "$cargo_listed" -gt 0 ] || cargo_problems+=("no test was listed")
[ "$((cargo_passed + cargo_failed))" -eq "$cargo_listed" ] ||
    cargo_problems+=("$((cargo_passed + cargo_failed)) of $cargo_listed listed tests ran")
[ "$cargo_skipped" -eq 0 ] || cargo_problems+=("$cargo_skipped tests ignored or filtered out")
[ "$cargo_status" -eq 0 ] || [ "$cargo_failed" -gt 0 ] ||
    cargo_problems+=("cargo test ended with status $cargo_status and no failed test (a crash or the time limit)")
for backend in sqlite postgres; do
    backend_listed=$(listed ".*::$backend::.*")
    backend_ran=$(ran ".*::$backend::.*")
    [ "$backend_listed" -gt 0 ] || cargo_problems+=("no test is listed for $backend: that is a failure, never a skip")
    [ "$backend_ran" -eq "$backend_listed" ] || cargo_problems+=("$backend_ran of $backend_listed $backend tests ran")
done
sqlite_passed=$(grep -cE '^test .*::sqlite::.* \.\.\. ok$' "$logs/cargo.log" || true)
postgres_passed=$(grep -cE '^test .*::postgres::.* \.\.\. ok$' "$logs/cargo.log" || true)
if [ ${#cargo_problems[@]} -gt 0 ]; then
    printf 'cargo tests: %s\n' "${cargo_problems[@]}" >&2
    cargo_failed=$((cargo_failed + ${#cargo_problems[@]}))
fi

step "Playwright (Debian Chromium, real server)"
e2e_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
e2e_data="$(mktemp -d "${TMPDIR:-/tmp}/herald-e2e-XXXXXX")"
rm -f end2end/test-results/results.json
playwright() {
    (cd end2end && HERALD_BIN="$CARGO_TARGET_DIR/debug/herald" HERALD_E2E_PORT="$e2e_port" \
        HERALD_E2E_DATA_DIR="$e2e_data" npx playwright test "$@")
}
# Every spec must load to be listed: one that does not fails the listing.
e2e_listed=$(playwright --list --reporter=list | sed -nE 's/^Total: ([0-9]+) tests? in .*/\1/p')
e2e_listed=${e2e_listed:-0}
playwright
e2e_status=$?
rm -rf "$e2e_data"
read -r e2e_passed e2e_failed e2e_skipped e2e_errors < <(node -e '
    try {
        const { stats, errors } = require("./end2end/test-results/results.json");
        console.log(stats.expected, stats.unexpected + stats.flaky, stats.skipped, errors.length);
    } catch { console.log(0, 0, 0, 1); }')
e2e_ran=$((e2e_passed + e2e_failed + e2e_skipped))
e2e_problems=()
[ "$e2e_listed" -gt 0 ] || e2e_problems+=("no spec was listed (one failed to load?)")
[ "$e2e_ran" -eq "$e2e_listed" ] || e2e_problems+=("$e2e_ran of $e2e_listed listed specs ran")
[ "$e2e_skipped" -eq 0 ] || e2e_problems+=("$e2e_skipped specs skipped")
[ "$e2e_errors" -eq 0 ] || e2e_problems+=("$e2e_errors errors outside the specs (or no report)")
[ "$e2e_status" -eq 0 ] || [ "$e2e_failed" -gt 0 ] ||
    e2e_problems+=("Playwright ended with status $e2e_status and no failed spec")
if [ ${#e2e_problems[@]} -gt 0 ]; then
    printf 'playwright: %s\n' "${e2e_problems[@]}" >&2
    e2e_failed=$((e2e_failed + ${#e2e_problems[@]}))
fi

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
echo "cargo:      $cargo_passed passed, $cargo_failed failed of $cargo_listed listed (SQLite $sqlite_passed passed, PostgreSQL $postgres_passed passed, of them integration tests)"
echo "playwright: $e2e_passed passed, $e2e_failed failed of $e2e_listed listed"
echo "bench smoke: $bench_passed passed, $bench_failed failed"
if [ ${#failed_checks[@]} -gt 0 ]; then
    printf 'failed checks: %s\n' "${failed_checks[*]}"
fi
total_failed=$((cargo_failed + e2e_failed + bench_failed + ${#failed_checks[@]}))
echo "$((cargo_passed + e2e_passed + bench_passed)) passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
