#!/usr/bin/env bash
# Runs zhucun on one port with the embedded SQLite database and demo data: builds the SPA and the
# release binary, then serves both at http://127.0.0.1:8080 (override with ZHUCUN_BIND).
set -euo pipefail
cd "$(dirname "$0")/.."
# The SPA is (re)built when missing, when its sources changed since the last build, or on request.
spa_stale() {
    [ ! -f frontend/dist/index.html ] || [ "${ZHUCUN_REBUILD_SPA:-0}" = 1 ] ||
        [ -n "$(find frontend/src frontend/index.html frontend/package-lock.json frontend/vite.config.ts \
            openapi/openapi.json -newer frontend/dist/index.html -print -quit)" ]
}
if spa_stale; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build)
fi
cargo build --release -p zhucun-api --locked
export ZHUCUN_LOG_FORMAT="${ZHUCUN_LOG_FORMAT:-text}"
exec ./target/release/zhucun serve --demo --static-dir frontend/dist "$@"
