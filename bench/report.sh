#!/usr/bin/env bash
# The monthly report (issue 11 item 7): `posyandu report` for the whole demo kabupaten, one
# Puskesmas and one posyandu, for one month (October of the demo's last year), over a demo
# region of PERSONS persons with two years of visits; each run three times (the first cold
# for the process with no stored summary, so every unit is computed from the record; the
# second and third read the summaries the first stored), release build. Prints seconds per
# run and the process's peak memory. Target (issue 11): under 1 s for a kabupaten of
# 1,000,000 persons.
#
#   bench/report.sh                                            # SQLite
#   bench/report.sh postgres://postgres@127.0.0.1:5432/bench_report   # PostgreSQL (recreated)
#   REUSE=sqlite:///tmp/demo1m/demo.sqlite bench/report.sh     # an existing demo database
#                                                              # (its summaries emptied first)
#   REUSE=postgres://…/bench_1m bench/report.sh                  # a PostgreSQL copy of it
#                                                              # (bench/pg_copy.py)
#
# Then the 12-month trend page of the kabupaten (`/laporan/tren`, served by `posyandu serve`
# on the same database, as the demo's Dinkes account), with no summary stored and again
# (TREND=0 skips it). Target: under 3 s.
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-40000}"
MONTH="${MONTH:-2026-10}"
source bench/common.sh
if [ -n "${REUSE:-}" ]; then
  URL="$REUSE"
  case "$URL" in
    sqlite://*) sqlite3 "${URL#sqlite://}" "DELETE FROM report_cache" ;;
    *) psql "$URL" -qc "DELETE FROM report_cache" ;;
  esac
else
  fresh_db "${1:-}"
  "$BIN" demo --persons "$PERSONS" --database-url "$URL" | grep '^Waktu'
fi
# The list is read whole first: awk stopping at its first match would cut the pipe.
"$BIN" unit list --database-url "$URL" > "$WORK/units.txt"
kab=$(awk '/\[kabupaten/ {print $NF; exit}' "$WORK/units.txt")
pkm=$(awk '/\[Puskesmas\]/ {print $NF; exit}' "$WORK/units.txt")
py=$(awk '/\[posyandu\]/ {print $NF; exit}' "$WORK/units.txt")
for unit in "$kab" "$pkm" "$py"; do
  for run in 1 2 3; do
    start=$(date +%s.%N)
    out=$(/usr/bin/time -f "%M" "$BIN" report --unit "$unit" --month "$MONTH" --format csv \
      --database-url "$URL" 2>&1 >"$WORK/report.csv")
    end=$(date +%s.%N)
    s=$(awk -F, '$2=="s" {print $4}' "$WORK/report.csv")
    echo "$unit run $run: $(python3 -c "print(f'{$end - $start:.2f}')") s, S=$s, peak_rss_kb=$out"
  done
done

if [ "${TREND:-1}" = 1 ]; then
  case "$URL" in
    sqlite://*) sqlite3 "${URL#sqlite://}" "DELETE FROM report_cache" ;;
    *) psql "$URL" -qc "DELETE FROM report_cache" ;;
  esac
  start_server --database-url "$URL"
  token=$(curl -sf "http://127.0.0.1:$PORT/api/v1/session" -H 'Content-Type: application/json' \
    -d '{"username":"dinkes.lumajang","password":"dinkes-demo-2026"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  for run in 1 2 3; do
    t=$(curl -s -o "$WORK/trend.html" -w '%{time_total} %{http_code}' \
      -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/laporan/tren?month=$MONTH")
    echo "trend (kabupaten, 12 months) run $run: $t"
  done
fi
