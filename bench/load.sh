#!/usr/bin/env bash
# Load benchmark of measurement captures through the HTTP API (issue 8 item 8): a release
# `posyandu serve --demo` on 127.0.0.1, one logged-in Puskesmas officer (bearer token), wrk with
# CONNECTIONS connections for SECONDS seconds, each request a new capture (weight and
# length of one of the Puskesmas area's people, with a fresh client id). Prints requests/s, p50 and
# p99, then counts the rows in the database: every acknowledged capture must be there.
#
#   bench/load.sh                 # SQLite (a fresh file in a temp dir)
#   bench/load.sh postgres://postgres@127.0.0.1:5432/bench_load
#   ENDPOINT=assessment bench/load.sh   # the same requests, read and assessed but not stored
#                                        # (what the capture costs without its write)
#   ENDPOINT=push CONNECTIONS=50 bench/load.sh [postgres://…]   # 50 devices syncing at once:
#                                        # each request a push of BATCH (20) new weighings
#
# Needs wrk (apt-get install wrk), curl, python3, and for PostgreSQL psql.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/posyandu-target}"
SECONDS_RUN="${SECONDS_RUN:-20}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
ENDPOINT="${ENDPOINT:-measurements}"
DB="${1:-}"

cargo build --release -q -p posyandu
BIN="$CARGO_TARGET_DIR/release/posyandu"
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [[ "$DB" == postgres://* ]]; then
  base="${DB%/*}/postgres"; name="${DB##*/}"
  psql "$base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  ENGINE=PostgreSQL; URL="$DB"
else
  ENGINE=SQLite; URL="sqlite://$WORK/posyandu.sqlite"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$WORK" && exec "$BIN" serve --demo --database-url "$URL" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1) &
SERVER=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
API="http://127.0.0.1:$PORT/api/v1"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# The Puskesmas officer: a service day at one of the Puskesmas's posyandu, and balita captures
# spread over every balita of the Puskesmas area (as a real day: a few rows per child,
# not thousands of captures piling onto a handful of people's histories).
sql() {
  if [[ $ENGINE == PostgreSQL ]]; then psql "$URL" -tAc "$1"
  else python3 -c "import sqlite3,sys; print('\n'.join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))" "$WORK/posyandu.sqlite" "$1"; fi
}
session=$(curl -sf "$API/session" -H 'Content-Type: application/json' \
  -d '{"username":"puskesmas.tempursari","password":"puskesmas-demo-2026"}')
TOKEN=$(echo "$session" | json 'd["token"]')
AREA=$(sql "SELECT org_path FROM org_unit WHERE id = '$(echo "$session" | json 'd["unit_id"]')'")
UNIT=$(sql "SELECT id FROM org_unit WHERE level = 'posyandu' AND org_path LIKE '$AREA%' ORDER BY org_path LIMIT 1")
DAY=$(python3 -c 'import uuid; print(uuid.uuid4())')
curl -sf "$API/days" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$DAY\",\"unit_id\":\"$UNIT\",\"date\":\"$(date -u +%F)\",\"kader\":\"bench\"}" >/dev/null
PERSONS=$(sql "SELECT id FROM person WHERE org_path LIKE '$AREA%' AND birth_date > '$(date -u -d '5 years ago' +%F)' AND deleted_at IS NULL LIMIT 3000" | paste -sd, -)

count() { sql "SELECT COUNT(*) FROM measurement WHERE day = '$(date -u +%F)'"; }
before=$(count)
BATCH="${BATCH:-20}"
script=bench/capture.lua; [[ $ENDPOINT == push ]] && script=bench/push.lua
out=$(TOKEN="$TOKEN" DAY="$DAY" PERSONS="$PERSONS" ENDPOINT="$ENDPOINT" UNIT="$UNIT" BATCH="$BATCH" \
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s "$script" "http://127.0.0.1:$PORT")
after=$(count)
result=$(echo "$out" | grep '^RESULT')
ok=$(echo "$result" | sed 's/.* ok=\([0-9]*\).*/\1/')
stored=$(( (after - before) / 2 ))
echo "engine=$ENGINE endpoint=$ENDPOINT connections=$CONNECTIONS threads=$THREADS persons=$(echo "$PERSONS" | tr ',' '\n' | wc -l)"
echo "$result"
if [[ $ENDPOINT == push ]]; then
  acked=$(( ok * BATCH )); rows=$(( after - before ))
  echo "pushes=$ok batch=$BATCH acknowledged_captures=$acked stored=$rows captures_per_s=$(( rows / SECONDS_RUN ))"
  if (( rows < acked )); then echo "LOST: $((acked - rows)) acknowledged captures are not in the database" >&2; exit 1; fi
  exit 0
fi
if [[ $ENDPOINT != measurements ]]; then exit 0; fi
echo "acknowledged=$ok stored_captures=$stored (2 measurements each; requests cut off by wrk's stop may be stored without being counted as acknowledged)"
if (( stored < ok )); then echo "LOST: $((ok - stored)) acknowledged captures are not in the database" >&2; exit 1; fi
