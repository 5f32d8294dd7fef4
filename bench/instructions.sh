#!/usr/bin/env bash
# Server-side instructions per request (valgrind's callgrind: user-space instructions counted, not
# timed, so the figures repeat on a busy or a noisy machine) of the endpoints bench/run.sh times,
# with their ratios to /healthz and to the bare reads, on SQLite. Uses the bench build of
# bench/run.sh. Give more binaries to compare builds in one run (e.g. main's and a branch's):
#
#   bench/instructions.sh                                  # target/bench/release/zhucun
#   bench/instructions.sh /tmp/zhucun-main target/bench/release/zhucun
#
# Kernel time (sockets, wake-ups) is not counted: the figures attribute the server's own work.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_REQUESTS:-200}"
[ "$#" -gt 0 ] || set -- "${BENCH_TARGET_DIR:-target/bench}/release/zhucun"
for tool in valgrind callgrind_control curl python3; do
    command -v "$tool" >/dev/null || { echo "bench/instructions.sh needs $tool" >&2; exit 1; }
done
tmp="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

# Keep-alive GETs of one URL, every answer checked.
cat >"$tmp/hit.py" <<'PY'
import http.client, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1]); token = sys.argv[2]
c = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
path = u.path + ("?" + u.query if u.query else "")
for _ in range(int(sys.argv[3])):
    c.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = c.getresponse(); r.read()
    if r.status != 200:
        sys.exit(f"{path}: {r.status}")
PY

measure() { # $1 = binary, $2 = port, $3 = label
    local bin="$1" port="$2" label="$3" base="http://127.0.0.1:$2" password="bench-$(date +%s%N)"
    mkdir -p "$tmp/$label"
    DATABASE_URL="sqlite://$tmp/$label/z.db" ZHUCUN_DATA_DIR="$tmp/$label" ZHUCUN_ADMIN_PASSWORD="$password" \
        ZHUCUN_DEMO_PASSWORD="$password" ZHUCUN_LOG=warn \
        valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/$label/cg.%p" \
        "$bin" serve --demo --workers 1 --bind "127.0.0.1:$port" --static-dir "$tmp/no-spa" \
        >"$tmp/$label/server.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 600); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.5; done
    local token dept village
    read -r token dept village < <(python3 bench/prepare.py "$base" "$password" 60)
    local label_ep path
    for label_ep in healthz bare_get bare_list get list; do
        case "$label_ep" in
            healthz) path=/healthz ;;
            bare_get) path="/bench/bare/villages/$village" ;;
            bare_list) path="/bench/bare/villages?limit=50&department_id=$dept" ;;
            get) path="/api/v1/villages/$village" ;;
            list) path="/api/v1/villages?limit=50" ;;
        esac
        python3 "$tmp/hit.py" "$base$path" "$token" 20          # warm-up, not counted
        callgrind_control -z "$pid" >/dev/null
        callgrind_control -i on "$pid" >/dev/null
        python3 "$tmp/hit.py" "$base$path" "$token" "$N"
        callgrind_control -d "$label_ep" "$pid" >/dev/null
        callgrind_control -i off "$pid" >/dev/null
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}

port=18120
labels=()
for bin in "$@"; do
    label="$(basename "$(dirname "$(dirname "$bin")")")-$(basename "$bin")-$port"
    labels+=("$label")
    measure "$bin" "$port" "$label" &
    port=$((port + 1))
done
wait
python3 - "$tmp" "$N" "$@" -- "${labels[@]}" <<'PY'
import glob, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
rest = sys.argv[3:]; cut = rest.index("--"); bins, labels = rest[:cut], rest[cut + 1:]
names = {"healthz": "`/healthz`", "bare_get": "bare point read", "bare_list": "bare 50-row select",
         "get": "`GET /api/v1/villages/{id}`", "list": "`GET /api/v1/villages?limit=50`"}
print(f"instructions per request (callgrind, server side, {n} keep-alive requests each)\n")
print("| binary | endpoint | instructions | ÷ /healthz | ÷ bare |")
print("| --- | --- | ---: | ---: | ---: |")
for b, label in zip(bins, labels):
    ir = {}
    for f in glob.glob(f"{tmp}/{label}/cg.*"):
        text = open(f, errors="replace").read()
        m = re.search(r"^desc: Trigger: dump (\w+)", text, re.M)
        s = re.search(r"^summary: (\d+)", text, re.M)
        if m and s:
            ir[m.group(1)] = ir.get(m.group(1), 0) + int(s.group(1)) / n
    for k, name in names.items():
        if k not in ir:
            continue
        bare = {"get": "bare_get", "list": "bare_list"}.get(k)
        # Throughput ratios are the inverse: an endpoint doing twice the work runs at half the rate.
        vs_h = ir["healthz"] / ir[k]
        vs_b = f"{ir[bare] / ir[k]:.2f}" if bare else ""
        print(f"| {b} | {name} | {ir[k]:,.0f} | {vs_h:.3f} | {vs_b} |")
PY
