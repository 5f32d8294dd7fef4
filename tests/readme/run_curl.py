#!/usr/bin/env python3
"""Runs the README's curl section as written against a fresh `zhucun serve --demo`.

The section "## The API with curl" is a shell script in ```sh blocks. Every curl in it must answer
2xx, unless its command ends with a comment that marks the expected error, e.g.

    curl -s -X POST $API/surveys ... -d '{...}'   # expect 409: the year exists

Anything else (a 4xx/5xx nobody expected, a command that fails, a curl that cannot connect) fails
the run, naming the README line. The server gets a free port, its own temporary database and the
passwords in ZHUCUN_ADMIN_PASSWORD / ZHUCUN_DEMO_PASSWORD, which the README's script reads.

Usage: ZHUCUN_BIN=target/debug/zhucun python3 tests/readme/run_curl.py [README.md]
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXPECT = re.compile(r"#\s*expect\s+(\d{3})\b")

# Defined before the README's script runs: curl records each answer's status and checks it.
PRELUDE = r"""
set -eo pipefail
trap 'echo "README script stopped at: $BASH_COMMAND" >&2' ERR
ZHUCUN_README_FAILED=0
curl() {
    local status_file line="${ZHUCUN_LINE:-?}" expected="${ZHUCUN_EXPECT:-}"
    status_file=$(mktemp)
    command curl --max-time 30 -w '%{stderr}%{http_code}' "$@" 2>"$status_file"
    local rc=$?
    local status
    status=$(tail -c 3 "$status_file")
    rm -f "$status_file"
    if [ "$rc" -ne 0 ]; then
        echo "README line $line: curl failed (exit $rc)" >&2
        ZHUCUN_README_FAILED=1
        return "$rc"
    fi
    if [ -n "$expected" ]; then
        if [ "$status" != "$expected" ]; then
            echo "README line $line: expected $expected, got $status" >&2
            ZHUCUN_README_FAILED=1
        fi
    elif [ "${status:0:1}" != 2 ]; then
        echo "README line $line: answered $status (mark an expected error with '# expect $status')" >&2
        ZHUCUN_README_FAILED=1
    fi
    ZHUCUN_README_CALLS=$((ZHUCUN_README_CALLS + 1))
    return 0
}
ZHUCUN_README_CALLS=0
"""

EPILOGUE = r"""
echo "README: $ZHUCUN_README_CALLS curl calls" >&2
exit "$ZHUCUN_README_FAILED"
"""


def curl_section(readme: str) -> list[tuple[int, str]]:
    """(line number, text) of every line of the sh blocks under '## The API with curl'."""
    lines = readme.splitlines()
    out, in_section, in_block = [], False, False
    for number, line in enumerate(lines, start=1):
        if line.startswith("## "):
            in_section = line.strip() == "## The API with curl"
            continue
        if not in_section:
            continue
        if line.strip().startswith("```"):
            in_block = line.strip() == "```sh" if not in_block else False
            continue
        if in_block:
            out.append((number, line))
    return out


def instrument(block: list[tuple[int, str]]) -> str:
    """The script with each curl told its README line and, where marked, its expected status."""
    script, i = [], 0
    while i < len(block):
        # A logical command: physical lines joined by trailing backslashes.
        start = i
        while block[i][1].rstrip().endswith("\\") and i + 1 < len(block):
            i += 1
        command = [text for _, text in block[start : i + 1]]
        number = block[start][0]
        expected = EXPECT.search(command[-1])
        prefix = f"ZHUCUN_LINE={number} "
        if expected:
            prefix += f"ZHUCUN_EXPECT={expected.group(1)} "
        # Every curl of the command (also inside $( … )) gets the prefix.
        command[0] = re.sub(r"(^|[;(|&]\s*|\$\(\s*)curl\b", lambda m: f"{m.group(1)}{prefix}curl", command[0])
        for k in range(1, len(command)):
            command[k] = re.sub(r"(\$\(\s*)curl\b", lambda m: f"{m.group(1)}{prefix}curl", command[k])
        script.extend(command)
        i += 1
    return "\n".join(script)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    readme_path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "README.md"
    block = curl_section(readme_path.read_text(encoding="utf-8"))
    if not block:
        print(f"no ```sh block under '## The API with curl' in {readme_path}", file=sys.stderr)
        return 1
    binary = os.environ.get("ZHUCUN_BIN", str(REPO / "target" / "debug" / "zhucun"))
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="zhucun-readme-"))
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite://{workdir / 'z.db'}",
        ZHUCUN_DATA_DIR=str(workdir),
        ZHUCUN_ADMIN_PASSWORD="admin-" + secrets.token_hex(8),
        ZHUCUN_DEMO_PASSWORD="demo-" + secrets.token_hex(8),
        ZHUCUN_LOG="warn",
        # The script logs in several times; the login throttle must not be what fails it.
        ZHUCUN_PUBLIC_RATE_BURST="1000",
        ZHUCUN_PUBLIC_RATE_PER_MINUTE="1000",
    )
    log = open(workdir / "server.log", "wb")
    server = subprocess.Popen(
        [binary, "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--static-dir", str(workdir / "no-spa")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                print((workdir / "server.log").read_text(errors="replace")[-4000:], file=sys.stderr)
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        script = instrument(block).replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        run = subprocess.run(
            ["bash", "-c", PRELUDE + script + EPILOGUE],
            env=env,
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            timeout=600,
        )
        sys.stderr.write(run.stderr)
        if run.returncode != 0:
            print(f"README curl section: FAILED (exit {run.returncode})", file=sys.stderr)
            return 1
        print("README curl section: every command answered as the README says")
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
