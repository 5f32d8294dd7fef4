#!/usr/bin/env python3
"""Time of a 10,000-row Excel import of households (`POST /api/v1/imports/households`).

Starts `zhucun serve --demo` on a fresh database (SQLite by default; `BENCH_PG_URL` for a
PostgreSQL database, which must exist and be empty), writes a workbook of ROWS households of
马格达村 with Python's zipfile (inline strings, no spreadsheet library), and as office_staff times:

* the dry run (every row read, checked and matched; nothing written),
* the commit (every row inserted with its category history and audit entry, in one transaction),
* the same file again (every row matched and unchanged: nothing written).

    ZHUCUN_BIN=target/release/zhucun python3 bench/import.py
    ZHUCUN_BIN=target/release/zhucun BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/bench_import python3 bench/import.py
"""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile
from xml.sax.saxutils import escape

BIN = os.environ.get("ZHUCUN_BIN", "target/debug/zhucun")
ROWS = int(os.environ.get("ROWS", "10000"))
PASSWORD = "bench-password-1"
HEADINGS = ["村", "户主姓名", "户主藏文姓名", "家庭人口", "家庭成员", "联系电话", "地址", "类别", "监测类型",
            "类别起始日期", "致贫原因", "备注"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def column(i):
    s = ""
    n = i + 1
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def workbook(rows):
    """An .xlsx of text cells (the first row the headings)."""
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for r, cells in enumerate(rows, 1):
        sheet.write(f'<row r="{r}">')
        for c, v in enumerate(cells):
            if v:
                sheet.write(f'<c r="{column(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        sheet.write("</row>")
    sheet.write("</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="农牧户" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
    return out.getvalue()


def multipart(file_bytes):
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"h.xlsx\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    return head + file_bytes + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post(url, token, body, content_type):
    req = urllib.request.Request(url, data=body, method="POST")
    req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def main():
    tmp = tempfile.mkdtemp(prefix="zhucun-bench-import-")
    port = free_port()
    database = os.environ.get("BENCH_PG_URL") or f"sqlite://{tmp}/z.db"
    env = dict(os.environ, DATABASE_URL=database, ZHUCUN_DATA_DIR=tmp,
               ZHUCUN_ADMIN_PASSWORD=PASSWORD, ZHUCUN_DEMO_PASSWORD=PASSWORD)
    server = subprocess.Popen([BIN, "serve", "--demo", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("server not ready")
        status, login = post(f"{base}/api/v1/auth/login", None,
                             json.dumps({"username": "office_staff", "password": PASSWORD}).encode(),
                             "application/json")
        assert status == 200, login
        token = login["access_token"]
        rows = [HEADINGS] + [
            ["马格达村", f"基准户{i:05d}", "", str(1 + i % 8), "", f"1390800{i:04d}", f"{1 + i % 9}组",
             "脱贫户", "", "2020-12-01", "因病、缺劳力", ""]
            for i in range(ROWS)
        ]
        book = workbook(rows)
        body, content_type = multipart(book)
        print(f"{ROWS} rows, {len(book) / 1024:.0f} KiB workbook, "
              f"{'PostgreSQL' if os.environ.get('BENCH_PG_URL') else 'SQLite'}")
        for label, query, expect in [
            ("dry run", "dry_run=true", ("created", ROWS)),
            ("commit", "dry_run=false", ("created", ROWS)),
            ("re-import (all unchanged)", "dry_run=false", ("unchanged", ROWS)),
        ]:
            start = time.perf_counter()
            status, report = post(f"{base}/api/v1/imports/households?{query}", token, body, content_type)
            seconds = time.perf_counter() - start
            assert status == 200, (status, json.dumps(report)[:2000])
            assert report[expect[0]] == expect[1], report
            print(f"  {label:28s} {seconds:6.2f} s")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
