#!/usr/bin/env bash
# Runs every test of zhucun: Rust (unit and in-process API tests on SQLite and PostgreSQL), the
# OpenAPI drift check, and the SPA (types, lint, unit tests, build with bundle budget, browser
# tests against a real `zhucun serve --demo`). Installs what a fresh machine lacks.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# PostgreSQL: the API tests need it (they fail, never skip, when it is unreachable).
export ZHUCUN_TEST_PG="${ZHUCUN_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
# shellcheck source=scripts/pg.sh
. scripts/pg.sh
ensure_test_postgres

# Chromium for the browser tests (Debian's; no browser download).
if [ ! -x /usr/bin/chromium ]; then
    step "installing chromium"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-core >/dev/null
    else
        echo "browser tests need /usr/bin/chromium: apt-get install chromium fonts-noto-cjk fonts-noto-core" >&2
        exit 1
    fi
fi

step "domain crate stays free of I/O crates"
for crate in diesel actix-web; do
    if cargo tree -p zhucun-domain -e normal --prefix none | grep -q "^$crate "; then
        echo "zhucun-domain must not depend on $crate" >&2
        exit 1
    fi
done

step "docker-compose.yml against the Compose Specification schema"
bash scripts/check-compose.sh

step "dependencies against the RustSec advisory database (scripts/audit.sh)"
if [ -d "${ZHUCUN_ADVISORY_DB:-../shared/advisory-db}" ]; then
    bash scripts/audit.sh
else
    echo "no advisory database snapshot here (ZHUCUN_ADVISORY_DB): not checked"
fi

step "Rust tests (SQLite and PostgreSQL)"
cargo test --workspace --locked

step "building the zhucun binary for the browser tests"
cargo build -p zhucun-api --locked
export ZHUCUN_BIN="$PWD/target/debug/zhucun"

step "fuzzing the running API from its OpenAPI document (no 5xx, answers match the document)"
bash tests/fuzz/run.sh

step "the README's curl section, as written, against a fresh demo server"
python3 tests/readme/run_curl.py

step "frontend: generated client, types, lint, unit tests, build, browser tests"
cd frontend
npm ci --no-audit --no-fund --loglevel=error
npm test
