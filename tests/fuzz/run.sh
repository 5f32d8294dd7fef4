#!/usr/bin/env bash
# Property-based fuzzing of the running API from its own OpenAPI document (schemathesis): no
# request a client can send may answer 5xx, and every answer must match the document (status
# codes, content types, headers, bodies) and allow the methods it says. Deterministic seed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${ZHUCUN_BIN:-$PWD/target/debug/zhucun}"
VENV="$PWD/target/schemathesis-venv"
if [ ! -x "$VENV/bin/schemathesis" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
tmp="$(mktemp -d)"
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')"
password="fuzz-$(date +%s)-password"
DATABASE_URL="sqlite://$tmp/zhucun.db" ZHUCUN_DATA_DIR="$tmp" ZHUCUN_ADMIN_PASSWORD="$password" \
ZHUCUN_DEMO_PASSWORD="$password" ZHUCUN_LOG=warn "$BIN" serve --demo --bind "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
token="$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')"
# Logout and password change are left out: they would end the fuzzer's own login.
"$VENV/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method,allow_header_conformance \
    --exclude-path /api/v1/auth/logout --exclude-path /api/v1/me/password \
    --max-examples "${FUZZ_EXAMPLES:-25}" --seed 20261129 --no-color
if grep -q '"status":5' "$tmp/server.log" 2>/dev/null; then
    echo "the server logged a 5xx" >&2
    exit 1
fi
