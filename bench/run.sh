#!/usr/bin/env bash
# Throughput of zhucun's endpoints as ratios to baselines measured in the same run:
#   * /healthz (the "hello" baseline: actix + the app's middleware, no database);
#   * the bare baseline routes of the `bench-baseline` feature (crates/api/src/bench_baseline.rs):
#     the same pool, pool helper, diesel query and JSON as the endpoint, without auth.
# On embedded SQLite and on PostgreSQL, release build with the feature, one actix worker pinned to
# core 0, the load generator pinned to core 1, warm-up, every endpoint BENCH_RUNS times in
# interleaved rounds (so drift and CPU steal hit all endpoints alike), medians.
# On SQLite it also measures the p99 latency of the authenticated GET by id at half its measured
# maximum rate (constant rate: h2load --rps, every request logged, p99 computed from the log).
#
#   bench/run.sh                                  # both backends, ~4-5 minutes after the build
#   BENCH_BACKENDS=sqlite bench/run.sh            # one backend
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/zhucun_bench bench/run.sh
#
# The PostgreSQL database named in BENCH_PG_URL is DROPPED and re-created (psql on the same host).
# Needs wrk and h2load (apt-get install wrk nghttp2-client), curl, python3, taskset; psql for
# PostgreSQL. The bench build goes to its own target dir (BENCH_TARGET_DIR, default target/bench)
# so the feature never ends up in target/release; line tables are kept there for perf.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
DURATION="${BENCH_DURATION:-5}"          # seconds per measured run
WARMUP="${BENCH_WARMUP:-2}"              # seconds of warm-up per endpoint
RUNS="${BENCH_RUNS:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"    # = the default DB pool size
PORT="${BENCH_PORT:-18090}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/zhucun_bench}"
VILLAGES="${BENCH_VILLAGES:-60}"         # at least this many in the admin's department
P99_SECONDS="${BENCH_P99_SECONDS:-10}"
TARGET_DIR="${BENCH_TARGET_DIR:-target/bench}"
SERVER_CPU="${BENCH_SERVER_CPU:-0}"
CLIENT_CPU="${BENCH_CLIENT_CPU:-1}"

for tool in wrk h2load curl python3 taskset; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool" >&2; exit 1; }
done

CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    cargo build --release -p zhucun-api --features bench-baseline --locked -q --target-dir "$TARGET_DIR"
BIN="$TARGET_DIR/release/zhucun"

tmp="$(mktemp -d)"
server=""
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=""
    fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
PASSWORD="bench-$(date +%s)-password"
results="$tmp/results.txt"   # backend label round rps p99
: >"$results"
BASE="http://127.0.0.1:$PORT"

start_server() { # $1 = DATABASE_URL
    DATABASE_URL="$1" ZHUCUN_DATA_DIR="$tmp" ZHUCUN_ADMIN_PASSWORD="$PASSWORD" \
        ZHUCUN_DEMO_PASSWORD="$PASSWORD" ZHUCUN_LOG=warn \
        taskset -c "$SERVER_CPU" "$BIN" serve --demo --workers 1 --bind "127.0.0.1:$PORT" \
        --static-dir "$tmp/no-spa" >"$tmp/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do
        curl -sf "$BASE/readyz" >/dev/null && return 0
        kill -0 "$server" 2>/dev/null || break
        sleep 0.2
    done
    echo "the server did not start:" >&2
    cat "$tmp/server.log" >&2
    exit 1
}

# Logs in as admin, fills the admin's department up to $VILLAGES villages through the API, and
# prints: token department_id village_id
prepare() {
    python3 bench/prepare.py "$BASE" "$PASSWORD" "$VILLAGES"
}

wrk_run() { # $1 = seconds, $2 = path; prints "rps p99"
    taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${1}s" --latency \
        -H "Authorization: Bearer $TOKEN" "$BASE$2" |
        awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF}
             END {if (bad) {print "non-2xx answers: " bad > "/dev/stderr"; exit 1} print rps, p99}'
}

steal_ticks() { awk '/^cpu / {print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

for backend in $BACKENDS; do
    case "$backend" in
        sqlite) url="sqlite://$tmp/zhucun.db" ;;
        postgres)
            db="${PG_URL##*/}"; admin_url="${PG_URL%/*}/postgres"
            psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\""
            url="$PG_URL" ;;
        *) echo "unknown backend $backend" >&2; exit 1 ;;
    esac
    start_server "$url"
    prep="$(prepare)"
    read -r TOKEN DEPT VILLAGE <<<"$prep"
    labels=(healthz bare_get bare_list get list)
    paths=("/healthz" "/bench/bare/villages/$VILLAGE" "/bench/bare/villages?limit=50&department_id=$DEPT"
           "/api/v1/villages/$VILLAGE" "/api/v1/villages?limit=50")
    for i in "${!paths[@]}"; do wrk_run "$WARMUP" "${paths[$i]}" >/dev/null; done
    read -r steal0 total0 < <(steal_ticks)
    for round in $(seq 1 "$RUNS"); do
        for i in "${!paths[@]}"; do
            r="$(wrk_run "$DURATION" "${paths[$i]}")"
            echo "$backend ${labels[$i]} $round $r" | tee -a "$results" >&2
        done
    done
    read -r steal1 total1 < <(steal_ticks)
    echo "$backend steal $(( (steal1 - steal0) * 100 / (total1 - total0 + 1) ))" >>"$results"
    if [ "$backend" = sqlite ]; then
        max="$(awk '$1=="sqlite" && $2=="get" {print $4}' "$results" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
        per_client="$(python3 -c "print(max(1, round(float('$max') / 2 / $CONNECTIONS)))")"
        taskset -c "$CLIENT_CPU" h2load --h1 -c"$CONNECTIONS" --rps="$per_client" -D "$P99_SECONDS" \
            -H "Authorization: Bearer $TOKEN" --log-file="$tmp/h2load.log" "$BASE/api/v1/villages/$VILLAGE" \
            >"$tmp/h2load.out"
        python3 - "$tmp/h2load.log" "$P99_SECONDS" "$((per_client * CONNECTIONS))" >>"$results" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
lat = sorted(int(r[2]) for r in rows)            # microseconds
bad = sum(1 for r in rows if not r[1].startswith("2"))
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print(f"sqlite p99 {sys.argv[3]} {len(lat) / float(sys.argv[2]):.0f} {p(0.5):.2f} {p(0.99):.2f} {bad}")
EOF
    fi
    stop_server
done

python3 - "$results" "$CONNECTIONS" "$DURATION" "$RUNS" <<'EOF'
import statistics, sys
from collections import defaultdict
res, steal, p99 = defaultdict(list), {}, None
for line in open(sys.argv[1]):
    f = line.split()
    if f[1] == "steal":
        steal[f[0]] = f[2]
    elif f[1] == "p99":
        p99 = f[2:]
    else:
        res[(f[0], f[1])].append((float(f[3]), f[4]))
names = {"healthz": "`/healthz`", "bare_get": "bare point read", "bare_list": "bare 50-row select",
         "get": "`GET /api/v1/villages/{id}`", "list": "`GET /api/v1/villages?limit=50`"}
targets = {("sqlite", "get"): "≥ 0.40 · ≥ 0.85", ("sqlite", "list"): "≥ 0.25 · ≥ 0.80",
           ("postgres", "get"): "— · ≥ 0.85", ("postgres", "list"): "— · ≥ 0.80"}
print(f"{sys.argv[2]} connections, median of {sys.argv[4]} runs of {sys.argv[3]} s each\n")
for backend in dict.fromkeys(b for b, _ in res):
    med = {k: statistics.median(r for r, _ in v) for (b, k), v in res.items() if b == backend}
    print(f"{backend} (CPU steal during the runs: {steal.get(backend, '?')} %)\n")
    print("| endpoint | req/s (median) | runs | ÷ /healthz | ÷ bare | target (÷ /healthz · ÷ bare) |")
    print("| --- | ---: | --- | ---: | ---: | --- |")
    for k in names:
        if k not in med:
            continue
        bare = {"get": "bare_get", "list": "bare_list"}.get(k)
        runs = " / ".join(f"{r:.0f}" for r, _ in res[(backend, k)])
        vs_bare = f"{med[k] / med[bare]:.2f}" if bare else ""
        print(f"| {names[k]} | {med[k]:,.0f} | {runs} | {med[k] / med['healthz']:.2f} | {vs_bare} "
              f"| {targets.get((backend, k), '')} |")
    print()
if p99:
    rate, got, p50, p99v, bad = p99
    print(f"SQLite `GET /api/v1/villages/{{id}}` at a constant {rate} req/s (half the median max; "
          f"achieved {got}/s): p50 {p50} ms, p99 {p99v} ms (target ≤ 5 ms), non-2xx {bad}")
EOF
