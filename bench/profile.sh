#!/usr/bin/env bash
# Where the time of one endpoint goes: `perf record` (software clock, DWARF call graphs from the
# line tables of the bench build) of the server while wrk loads the endpoint, on SQLite or
# PostgreSQL. Uses the bench build of bench/run.sh (run that first, or the same cargo build).
#
#   bench/profile.sh                                   # authenticated GET /api/v1/villages/{id}, SQLite
#   BENCH_BACKENDS=postgres bench/profile.sh
#   BENCH_PROFILE_PATH=/api/v1/villages?limit=50 bench/profile.sh
#   BENCH_PROFILE_PATH='/bench/bare/villages/{village}' bench/profile.sh   # the bare read
#
# Prints the top self-time symbols and the share of each stage of a request; the raw
# profile stays in bench/perf.data (not committed) for `perf report -i bench/perf.data`.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND="${BENCH_BACKENDS:-sqlite}"
PORT="${BENCH_PORT:-18091}"
TARGET_DIR="${BENCH_TARGET_DIR:-target/bench}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/zhucun_bench}"
SECONDS_PROFILED="${BENCH_PROFILE_SECONDS:-8}"
BIN="$TARGET_DIR/release/zhucun"
[ -x "$BIN" ] || { echo "build first: bench/run.sh (or see its cargo build line)" >&2; exit 1; }
tmp="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
PASSWORD="bench-$(date +%s)-password"
BASE="http://127.0.0.1:$PORT"
case "$BACKEND" in
    sqlite) url="sqlite://$tmp/zhucun.db" ;;
    postgres)
        db="${PG_URL##*/}"
        psql -q "${PG_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\""
        url="$PG_URL" ;;
esac
DATABASE_URL="$url" ZHUCUN_DATA_DIR="$tmp" ZHUCUN_ADMIN_PASSWORD="$PASSWORD" ZHUCUN_DEMO_PASSWORD="$PASSWORD" \
    ZHUCUN_LOG=warn taskset -c 0 "$BIN" serve --demo --workers 1 --bind "127.0.0.1:$PORT" \
    --static-dir "$tmp/no-spa" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done
TOKEN="$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')"
VILLAGE="$(curl -sf "$BASE/api/v1/villages?limit=1" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys;print(json.load(sys.stdin)["items"][0]["id"])')"
path="${BENCH_PROFILE_PATH:-/api/v1/villages/$VILLAGE}"
path="${path//\{village\}/$VILLAGE}"   # e.g. BENCH_PROFILE_PATH='/bench/bare/villages/{village}'
taskset -c 1 wrk -t1 -c8 -d"$((SECONDS_PROFILED + 4))s" -H "Authorization: Bearer $TOKEN" "$BASE$path" >"$tmp/wrk.out" &
wrk=$!
sleep 2
# All threads of the server (actix worker, blocking pool); software clock: no PMU on this VM.
perf record -q -e cpu-clock -F 1999 --call-graph dwarf,16384 -p "$server" -o bench/perf.data \
    -- sleep "$SECONDS_PROFILED" 2>/dev/null
wait "$wrk"
grep Requests/sec "$tmp/wrk.out"
echo "== self time, top symbols"
perf report -i bench/perf.data --no-children --sort symbol --stdio -q --percent-limit 0.7 -g none 2>/dev/null |
    grep -E '^ +[0-9]' | sed -E 's/[ -]+$//; s/ +/ /g' | cut -c1-120 | head -30
echo "== stages (resolving inlined frames takes a minute or two)"
perf script -i bench/perf.data -F comm,tid,ip,sym 2>/dev/null | bench/perf_stages.py
