#!/usr/bin/env bash
# Follow-up speed (issue 10 item 9): a release `posyandu serve` over a demo region of
# PERSONS persons (two Puskesmas: Tempursari has about half, i.e. 20,000 with the default
# 40,000, with two years of visits). As the Tempursari officer, every target list of the
# whole Puskesmas for the last month with data, and the person page of a child with a
# two-year history; the median of RUNS requests each, as the server answers (curl's total
# time on loopback). Targets: a list under 200 ms, the person page under 50 ms.
#
#   bench/targets.sh                                          # SQLite
#   bench/targets.sh postgres://postgres@127.0.0.1:5432/bench_targets   # PostgreSQL (recreated)
#   REUSE=1 bench/targets.sh postgres://…/bench_targets     # that database as it is, if loaded
#   REUSE=1 bench/targets.sh /tmp/targets.sqlite             # that SQLite file, loaded once
# (REUSE compares two builds on the same data; the server migrates it to its own version.)
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-40000}"
RUNS="${RUNS:-7}"
source bench/common.sh
if [[ -n "${REUSE:-}" && "${1:-}" == postgres://* ]] \
  && [[ "$(psql "$1" -Atc 'SELECT count(*) > 0 FROM person' 2>/dev/null)" == t ]]; then
  URL="$1"
elif [[ -n "${REUSE:-}" && -n "${1:-}" && "${1:-}" != postgres://* ]]; then
  URL="sqlite://$(realpath -m "$1")"
  [[ -s "$1" ]] || "$BIN" demo --persons "$PERSONS" --database-url "$URL" | grep '^Waktu'
else
  fresh_db "${1:-}"
  "$BIN" demo --persons "$PERSONS" --database-url "$URL" | grep '^Waktu'
fi
# A served database has its statistics and visibility maps (autovacuum, off on some test
# servers): without them PostgreSQL plans as if the tables were empty, which no real one is.
if [[ "$URL" == postgres://* ]]; then psql "$URL" -qc 'VACUUM ANALYZE'; fi
start_server --database-url "$URL"
BASE="http://127.0.0.1:$PORT"
TOKEN=$(curl -sf "$BASE/api/v1/session" -H 'content-type: application/json' \
  -d '{"username":"puskesmas.tempursari","password":"puskesmas-demo-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
UNIT=$(curl -sf "$BASE/api/v1/targets/imunisasi" -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["unit"])')
# The demo's history ends the month before last: its last month with weighings.
MONTH=$(python3 -c 'import datetime as d; t=d.date.today().replace(day=1)-d.timedelta(days=1); t=t.replace(day=1)-d.timedelta(days=1); print(t.strftime("%Y-%m"))')
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:])*1000:.0f} ms")' "$@"; }
timed() { # timed URL → the median of RUNS requests, after one warm-up
  curl -sf -o /dev/null "$1" -H "authorization: Bearer $TOKEN"
  local t=()
  for _ in $(seq 1 "$RUNS"); do t+=("$(curl -sf -o /dev/null -w '%{time_total}' "$1" -H "authorization: Bearer $TOKEN")"); done
  median "${t[@]}"
}
echo "unit: Puskesmas Tempursari, month $MONTH, median of $RUNS"
for list in imunisasi pertumbuhan stunting wasting tidak-ditimbang bumil-risiko ptm-belum-dicek rujukan-tertunda; do
  rows=$(curl -sf "$BASE/api/v1/targets/$list?month=$MONTH" -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')
  printf '%-18s %6s rows  page %7s  xlsx %7s\n' "$list" "$rows" "$(timed "$BASE/sasaran?list=$list&month=$MONTH")" "$(timed "$BASE/sasaran?list=$list&month=$MONTH&format=xlsx")"
done
# A child with the longest history: the first row of the month's growth list.
CHILD=$(curl -sf "$BASE/api/v1/targets/pertumbuhan?month=$MONTH" -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["person_id"])')
size=$(curl -sf "$BASE/orang/$CHILD" -H "authorization: Bearer $TOKEN" | wc -c)
visits=$(curl -sf "$BASE/orang/$CHILD" -H "authorization: Bearer $TOKEN" | grep -c 'class="card visit"' || true)
echo "person page /orang/$CHILD ($size bytes, $visits visits): $(timed "$BASE/orang/$CHILD")"
