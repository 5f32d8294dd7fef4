#!/usr/bin/env python3
"""The region-wide statistics at Tibet scale (issue 13), beside the `/healthz` baseline of the same run.

Drops and re-creates a PostgreSQL database (psql on the same host), fills it with
`zhucun generate` (70 departments, 5,541 villages, 15 rounds by default; the generation time is
recorded), starts `zhucun serve` on it, logs in as the generated `regional` account and, on one
keep-alive connection, after a warm-up, times in interleaved rounds:

* `GET /healthz` (no database, no login: the baseline),
* `GET /api/v1/stats/departments` for one year (`year=`) and for the 15-year comparison
  (`from=&to=`), `/stats/counties?year=` (the whole region, and one prefecture) and
  `/stats/villages?year=&county=`, the prefecture and county being the ones with the most
  villages (by their codes from `/divisions`),
* `GET /api/v1/reports/annual?year=` of one generated department (its admin), for comparison,

and prints each one's p50 and p95 in ms and as a ratio to `/healthz`, against the issue's
targets (p95 < 500 ms for a year, < 2 s for 15 years). An endpoint the server does not have
(404) is listed as such. Then it times the same calls again while `zhucun refresh-stats` (another
process) recomputes the statistics summary, and prints how long that refresh took. The server's
own background refresh is set to a day so it does not run during the timing.

    ZHUCUN_BIN=target/debug/zhucun python3 bench/region.py
    BENCH_VILLAGES=1000 BENCH_DEPARTMENTS=10 python3 bench/region.py   # a smaller trial
    BENCH_REUSE=1 python3 bench/region.py     # time again on the database of the previous run
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

BIN = os.environ.get("ZHUCUN_BIN", "target/debug/zhucun")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/zhucun_region")
DEPARTMENTS = os.environ.get("BENCH_DEPARTMENTS", "70")
VILLAGES = os.environ.get("BENCH_VILLAGES", "5541")
YEARS = int(os.environ.get("BENCH_YEARS", "15"))
SEED = os.environ.get("BENCH_SEED", "1")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PER_ROUND = int(os.environ.get("BENCH_PER_ROUND", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
PASSWORD = "bench-region-password-1"
LAST_YEAR = 2026  # the generator's last round runs from October 2025 to September 2026
YEAR = int(os.environ.get("BENCH_YEAR", "2025"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url, sql):
    out = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def fresh_database(url):
    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin, f'CREATE DATABASE "{name}"')


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def call(self, method, path, token=None, body=None):
        headers = {"Accept-Encoding": "identity"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()

    def ok(self, method, path, token=None, body=None):
        status, data = self.call(method, path, token, body)
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return data

    def login(self, username):
        data = self.ok("POST", "/api/v1/auth/login",
                       body={"username": username, "password": PASSWORD})
        return json.loads(data)["access_token"]


def main():
    env = dict(os.environ, DATABASE_URL=PG_URL, ZHUCUN_ADMIN_PASSWORD=PASSWORD, ZHUCUN_LOG="warn")
    if os.environ.get("BENCH_REUSE"):
        generation_s, rows, generated = 0.0, 0, "(reused the previous run's database)"
    else:
        fresh_database(PG_URL)
        start = time.perf_counter()
        gen = subprocess.run([BIN, "generate", "--departments", DEPARTMENTS, "--villages", VILLAGES,
                              "--rounds", str(YEARS), "--seed", SEED],
                             env=env, check=True, stdout=subprocess.PIPE, text=True)  # progress: stderr
        generation_s = time.perf_counter() - start
        generated = gen.stdout.rstrip()
        rows = sum(int(line.split()[-1]) for line in gen.stdout.splitlines()
                   if line.startswith("  ") and not line.strip().startswith("total"))
    prefecture = psql(PG_URL, "SELECT prefecture FROM villages GROUP BY prefecture "
                              "ORDER BY COUNT(*) DESC, prefecture LIMIT 1")
    county = psql(PG_URL, "SELECT county FROM villages GROUP BY county "
                          "ORDER BY COUNT(*) DESC, county LIMIT 1")
    first = LAST_YEAR - YEARS + 1

    # A summary of the data as it is (a reused database has the previous run's logins since), so
    # the server does not refresh it while the reads are timed.
    subprocess.run([BIN, "refresh-stats"], env=env, check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="zhucun-region-bench-")
    port = free_port()
    env.update(ZHUCUN_BIND=f"127.0.0.1:{port}", ZHUCUN_DATA_DIR=work,
               ZHUCUN_STATS_REFRESH_SECONDS="86400")
    server = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        client = None
        for _ in range(300):
            try:
                client = Client(port)
                client.ok("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        regional = client.login("gen_regional")
        admin = client.login("gen_admin_01")
        divisions = json.loads(client.ok("GET", "/api/v1/divisions", regional))
        pcode = next(p["code"] for p in divisions["prefectures"] if p["name"] == prefecture)
        ccode = next(c["code"] for p in divisions["prefectures"] for c in p["counties"]
                     if c["name"] == county)
        endpoints = [
            ("/healthz (baseline)", "/healthz", None, None),
            (f"stats/departments year={YEAR}", f"/api/v1/stats/departments?year={YEAR}", regional, 500),
            (f"stats/departments {first}–{LAST_YEAR}",
             f"/api/v1/stats/departments?from={first}&to={LAST_YEAR}", regional, 2000),
            (f"stats/counties year={YEAR} (every county)",
             f"/api/v1/stats/counties?year={YEAR}", regional, 500),
            (f"stats/counties year={YEAR} ({prefecture})",
             f"/api/v1/stats/counties?year={YEAR}&prefecture={pcode}", regional, 500),
            (f"stats/villages year={YEAR} ({county})",
             f"/api/v1/stats/villages?year={YEAR}&county={ccode}", regional, 500),
            (f"reports/annual year={YEAR} (one department)",
             f"/api/v1/reports/annual?year={YEAR}", admin, None),
        ]
        missing = {}
        for name, path, tok, _ in endpoints:
            status, data = client.call("GET", path, tok)
            if status != 200:
                missing[name] = f"{status} {data[:120]!r}"
        live = [e for e in endpoints if e[0] not in missing]
        times = {name: [] for name, _, _, _ in live}
        for _, path, tok, _ in live:  # warm-up
            for _ in range(WARMUP):
                client.ok("GET", path, tok)
        for _ in range(ROUNDS):
            for name, path, tok, _ in live:
                for _ in range(PER_ROUND):
                    t0 = time.perf_counter()
                    client.ok("GET", path, tok)
                    times[name].append((time.perf_counter() - t0) * 1000)
        # Again while another process refreshes the summary: reads are served from the one
        # stored before (PostgreSQL's snapshots), the refresh runs beside them.
        started = time.perf_counter()
        refresher = subprocess.Popen([BIN, "refresh-stats"], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        during = {name: [] for name, _, _, _ in live}
        while refresher.poll() is None:
            for name, path, tok, _ in live:
                t0 = time.perf_counter()
                client.ok("GET", path, tok)
                during[name].append((time.perf_counter() - t0) * 1000)
        refreshed = refresher.communicate()[0].strip()
        refresh_s = time.perf_counter() - started
        base = statistics.median(times[endpoints[0][0]])
        print(f"server: {BIN}, PostgreSQL {PG_URL}")
        if rows:
            print(f"generated {DEPARTMENTS} departments, {VILLAGES} villages, {YEARS} rounds "
                  f"(seed {SEED}): {rows} rows in {generation_s:.1f} s")
        print(generated)
        print(f"{WARMUP} warm-up calls, then {ROUNDS} rounds × {PER_ROUND} calls per endpoint, "
              "one keep-alive connection")
        print()
        print("| endpoint | p50 ms | p95 ms | p50 ÷ /healthz | p95 ÷ /healthz | target p95 |")
        print("|---|---:|---:|---:|---:|---|")
        failed = False
        for name, _, _, target in endpoints:
            if name in missing:
                print(f"| {name} | – | – | – | – | not served: {missing[name]} |")
                continue
            t = sorted(times[name])
            p50 = statistics.median(t)
            p95 = t[max(0, int(len(t) * 0.95) - 1)]
            verdict = ""
            if target is not None:
                within = p95 < target
                failed |= not within
                verdict = f"< {target} ms: {'within' if within else 'OVER'}"
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / base:.1f} | {p95 / base:.1f} | {verdict} |")
        print()
        print(f"While `zhucun refresh-stats` ran ({refresh_s:.1f} s: {refreshed}):")
        print()
        print("| endpoint | calls | p50 ms | p95 ms | p50 ÷ /healthz |")
        print("|---|---:|---:|---:|---:|")
        during_base = statistics.median(during[endpoints[0][0]] or [base])
        for name, _, _, _ in live:
            t = sorted(during[name])
            if not t:
                continue
            p50 = statistics.median(t)
            p95 = t[max(0, int(len(t) * 0.95) - 1)]
            print(f"| {name} | {len(t)} | {p50:.1f} | {p95:.1f} | {p50 / during_base:.1f} |")
        return 1 if failed else 0
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
