"""Logs in as admin, fills the admin's department up to WANT villages through the API, and prints
"token department_id village_id" (the first village of a 50-row page by name). Shared by
bench/run.sh and bench/instructions.sh.

    python3 bench/prepare.py BASE_URL ADMIN_PASSWORD WANT
"""
import json
import sys
import urllib.request

base, password, want = sys.argv[1], sys.argv[2], int(sys.argv[3])


def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    # Long enough for a server under valgrind (bench/instructions.sh).
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)


token = call("POST", "/api/v1/auth/login", {"username": "admin", "password": password})["access_token"]
dept = call("GET", "/api/v1/me", token=token)["department"]["id"]
have = len(call("GET", "/api/v1/villages?limit=500", token=token)["items"])
for i in range(have, want):
    call("POST", "/api/v1/villages", {"name": f"基准村{i:03d}", "prefecture": "拉萨市",
                                      "county": "林周县", "township": "春堆乡"}, token)
page = call("GET", "/api/v1/villages?limit=50", token=token)["items"]
assert len(page) == 50, f"a 50-row page has {len(page)} rows"
print(token, dept, page[0]["id"])
