# Shared by the bench scripts (sourced): a release build, a scratch folder removed on exit
# with the server in it stopped, a fresh database, and a server on a free port.
# BIN=/path/to/posyandu runs that binary instead (a copy kept while the tree changes).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/posyandu-target}"
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p posyandu
  BIN="$CARGO_TARGET_DIR/release/posyandu"
fi
WORK=$(mktemp -d)
SERVER=
trap 'if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

# fresh_db [postgres://…/NAME]: sets URL to that database recreated empty, or to a new
# SQLite file in $WORK.
fresh_db() {
  if [[ "${1:-}" == postgres://* ]]; then
    local base="${1%/*}/postgres" name="${1##*/}"
    psql "$base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    URL="$1"
  else
    URL="sqlite://$WORK/server.sqlite"
  fi
}

# start_server ARGS…: `posyandu serve ARGS` in $WORK on a free port; sets PORT and SERVER
# and waits until /healthz answers (a first demo load takes a while).
start_server() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  (cd "$WORK" && exec "$BIN" serve "$@" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1) &
  SERVER=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 1; done
  echo "the server did not answer (see its log)" >&2
  cat "$WORK/serve.log" >&2
  return 1
}
