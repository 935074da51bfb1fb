#!/usr/bin/env bash
# A Puskesmas laptop's first full sync, end to end (issue 9 item 7): a release `posyandu
# serve` as the district server over a demo region of PERSONS persons (two Puskesmas: the
# officer of Tempursari has about half), and `posyandu sync` into an empty SQLite laptop as
# that officer: login, push (nothing yet), the whole feed pulled and applied page by page.
# Prints the sync's own summary and seconds, then a second run (nothing new) and its
# seconds. Target: under 2 minutes for a Puskesmas of 20,000 persons with two years.
#
#   bench/laptop_sync.sh                                   # server on SQLite
#   bench/laptop_sync.sh postgres://postgres@127.0.0.1:5432/bench_laptop   # server on PostgreSQL (recreated)
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-40000}"
source bench/common.sh
fresh_db "${1:-}"
"$BIN" demo --persons "$PERSONS" --database-url "$URL" | grep '^Waktu'
start_server --database-url "$URL"
printf 'puskesmas-demo-2026\n' > "$WORK/password"
LAPTOP="sqlite://$WORK/laptop.sqlite"
"$BIN" migrate --database-url "$LAPTOP" > /dev/null
for run in first second; do
  start=$(date +%s.%N)
  /usr/bin/time -f "peak_rss_kb=%M" "$BIN" sync --server "http://127.0.0.1:$PORT" --user puskesmas.tempursari \
    --password-file "$WORK/password" --database-url "$LAPTOP"
  end=$(date +%s.%N)
  echo "$run sync: $(python3 -c "print(f'{$end - $start:.1f}')") s"
done
echo "laptop database: $(du -h "$WORK/laptop.sqlite" | cut -f1)"
