#!/usr/bin/env bash
# Side-by-side throughput: zhucun's endpoints against its own /healthz (the "hello" baseline),
# measured in the same run on the same machine. Server pinned to core 0, wrk to core 1.
#
#   bench/run.sh                      # embedded SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench bench/run.sh
#
# Needs wrk (apt-get install wrk). Prints requests/s, p99 latency and the ratio to the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
PORT="${BENCH_PORT:-18090}"
cargo build --release -p zhucun-api --locked -q
tmp="$(mktemp -d)"
PASSWORD="bench-$(date +%s)-password"
DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$tmp/zhucun.db}" ZHUCUN_DATA_DIR="$tmp" \
ZHUCUN_ADMIN_PASSWORD="$PASSWORD" ZHUCUN_DEMO_PASSWORD="$PASSWORD" ZHUCUN_LOG=warn \
    taskset -c 0 ./target/release/zhucun serve --demo --workers 1 --bind "127.0.0.1:$PORT" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
TOKEN="$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')"
VILLAGE="$(curl -sf "http://127.0.0.1:$PORT/api/v1/villages?limit=1" -H "Authorization: Bearer $TOKEN" | python3 -c 'import json,sys;print(json.load(sys.stdin)["items"][0]["id"])')"

run() {
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$1" \
        | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}'
}

run /healthz >/dev/null   # warm-up
base="$(run /healthz)"
base_rps="${base%% *}"
printf '%-40s %12s %10s %8s\n' endpoint "requests/s" "p99" "vs hello"
printf '%-40s %12s %10s %8s\n' "/healthz (baseline)" "$base_rps" "${base##* }" "1.00"
for path in "/api/v1/villages/$VILLAGE" "/api/v1/villages?limit=20" "/api/v1/teams?limit=20" "/api/v1/me"; do
    r="$(run "$path")"
    rps="${r%% *}"
    ratio="$(python3 -c "print(f'{float(\"$rps\")/float(\"$base_rps\"):.2f}')")"
    printf '%-40s %12s %10s %8s\n' "$path" "$rps" "${r##* }" "$ratio"
done
