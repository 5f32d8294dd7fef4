#!/usr/bin/env python3
"""Memory and time of list downloads (`format=csv|xlsx`), measured side by side in one run.

Starts `zhucun serve --demo` on a fresh SQLite database, fills the ledger with synthetic entries
(written straight into the database file: the ledger's triggers only refuse UPDATE and DELETE),
and for 10,000 and then 100,000 rows reads:

* the CSV download (streamed page by page by the server), and
* the same rows as JSON pages of 500 through the cursor (the baseline a client would otherwise
  script), and, at 100,000 rows, the xlsx download (built whole, the form with a row limit).

The server's peak resident memory (VmHWM, read from /proc) is recorded after each step, so the
growth each step causes is visible: streamed CSV should add about nothing between 10,000 and
100,000 rows. Times are reported as ratios to the JSON baseline of the same rows in the same run.

    ZHUCUN_BIN=target/release/zhucun python3 bench/export_memory.py
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.environ.get("ZHUCUN_BIN", "target/debug/zhucun")
PASSWORD = "bench-password-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def request(url, token=None, data=None):
    req = urllib.request.Request(url, data=data)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    return urllib.request.urlopen(req, timeout=600)


def drain(url, token):
    """Reads a download in 64 KiB pieces, keeping nothing; returns (bytes, lines, seconds)."""
    start = time.perf_counter()
    size = lines = 0
    with request(url, token) as r:
        while True:
            piece = r.read(65536)
            if not piece:
                break
            size += len(piece)
            lines += piece.count(b"\n")
    return size, lines, time.perf_counter() - start


def pages(base, query, token):
    """Reads the same list as JSON pages of 500 through the cursor; returns (rows, seconds)."""
    start = time.perf_counter()
    rows, cursor = 0, None
    while True:
        url = f"{base}/api/v1/ledger?{query}&limit=500" + (f"&cursor={cursor}" if cursor else "")
        with request(url, token) as r:
            page = json.load(r)
        rows += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return rows, time.perf_counter() - start


def fill(db, village, upto, have):
    con = sqlite3.connect(db, timeout=60)
    con.execute("PRAGMA busy_timeout = 60000")
    rows = [
        (1, village, f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", "allocation", "department", 100 + i,
         f"凭证 第{i}号, བཀྲ་ཤིས།", 1, "bench", "2026-01-01 00:00:00")
        for i in range(have, upto)
    ]
    con.executemany(
        "INSERT INTO ledger_entries (department_id, village_id, entry_date, kind, source, amount_fen,"
        " evidence, created_by, created_by_username, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    con.commit()
    con.close()


def main():
    work = tempfile.mkdtemp(prefix="zhucun-export-bench-")
    db = os.path.join(work, "bench.db")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite://{db}", ZHUCUN_BIND=f"127.0.0.1:{port}",
               ZHUCUN_ADMIN_PASSWORD=PASSWORD, ZHUCUN_DEMO_PASSWORD=PASSWORD)
    server = subprocess.Popen([BIN, "serve", "--demo"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with request(f"{base}/healthz"):
                    break
            except OSError:
                time.sleep(0.2)
        with request(f"{base}/api/v1/auth/login", data=json.dumps(
                {"username": "office_staff", "password": PASSWORD}).encode()) as r:
            token = json.load(r)["access_token"]
        with request(f"{base}/api/v1/villages?limit=1", token) as r:
            village = json.load(r)["items"][0]["id"]
        query = "year=2021"
        pages(base, query, token)  # warm the pool and the caches
        print(f"server: {BIN}, SQLite, pid {server.pid}")
        print(f"{'step':44} {'rows':>8} {'peak RSS MiB':>12} {'+MiB':>6} {'time ÷ JSON pages':>18}")
        peak = kib(server.pid, "VmHWM")
        print(f"{'idle after warm-up':44} {'':>8} {peak / 1024:12.1f}")
        have = 0
        for n in (10_000, 100_000):
            fill(db, village, n, have)
            have = n
            rows, json_s = pages(base, query, token)
            after_json = kib(server.pid, "VmHWM")
            print(f"{'JSON pages of 500 (baseline)':44} {rows:8} {after_json / 1024:12.1f} "
                  f"{(after_json - peak) / 1024:6.1f} {1.0:18.2f}")
            peak = after_json
            size, lines, csv_s = drain(f"{base}/api/v1/ledger?{query}&format=csv", token)
            after_csv = kib(server.pid, "VmHWM")
            print(f"{'CSV download (streamed)':44} {lines - 2:8} {after_csv / 1024:12.1f} "
                  f"{(after_csv - peak) / 1024:6.1f} {csv_s / json_s:18.2f}")
            peak = after_csv
            assert lines - 2 == rows, (lines, rows)
        size, _, xlsx_s = drain(f"{base}/api/v1/ledger?{query}&format=xlsx", token)
        after_xlsx = kib(server.pid, "VmHWM")
        print(f"{'xlsx download (built whole, ≤ 100,000 rows)':44} {have:8} {after_xlsx / 1024:12.1f} "
              f"{(after_xlsx - peak) / 1024:6.1f} {xlsx_s / json_s:18.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
