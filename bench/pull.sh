#!/usr/bin/env bash
# First full sync of a laptop (issue 9 item 7): a release `posyandu serve` over a demo region
# of PERSONS persons (two Puskesmas, so about half of them in the officer's area), the demo
# Puskesmas officer logs in and pulls the whole feed of the area through
# GET /api/v1/sync/pull (pages of LIMIT rows, gzip as a client asks). Prints rows, persons,
# bytes over the wire and seconds, and the seconds those bytes need at 10 and 2 Mbit/s.
#
#   bench/pull.sh                                   # SQLite
#   bench/pull.sh postgres://postgres@127.0.0.1:5432/bench_pull   # PostgreSQL (recreated)
#
# Needs curl, python3, and for PostgreSQL psql.
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-40000}"
LIMIT="${LIMIT:-5000}"
source bench/common.sh
fresh_db "${1:-}"
"$BIN" demo --persons "$PERSONS" --database-url "$URL" | grep '^Waktu'
start_server --database-url "$URL"

python3 - "$PORT" "$LIMIT" <<'PY'
import gzip, json, sys, time, urllib.request
port, limit = sys.argv[1], int(sys.argv[2])
api = f"http://127.0.0.1:{port}/api/v1"
req = urllib.request.Request(f"{api}/session", method="POST",
    data=json.dumps({"username": "puskesmas.tempursari", "password": "puskesmas-demo-2026"}).encode(),
    headers={"Content-Type": "application/json"})
token = json.load(urllib.request.urlopen(req))["token"]
after, rows, wire, pages, kinds = 0, 0, 0, 0, {}
start = time.monotonic()
while True:
    r = urllib.request.urlopen(urllib.request.Request(f"{api}/sync/pull?after={after}&limit={limit}",
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}))
    body = r.read()
    wire += len(body)
    if r.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    page = json.loads(body)
    pages += 1
    for c in page["changes"]:
        k = next(iter(c["record"]))
        kinds[k] = kinds.get(k, 0) + 1
    rows += len(page["changes"])
    after = page["next_after"]
    if not page["more"]:
        break
secs = time.monotonic() - start
print(f"rows={rows} pages={pages} persons={kinds.get('Person', 0)} bytes_on_wire={wire} "
      f"seconds={secs:.1f} at_10Mbit_s={wire * 8 / 10e6:.0f} at_2Mbit_s={wire * 8 / 2e6:.0f}")
print("by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
PY
