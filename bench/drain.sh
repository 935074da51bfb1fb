#!/usr/bin/env bash
# Draining a phone's outbox of 200 captures on the issue's 3G profile (issue 9 item 7): a
# release `posyandu serve --demo`, then browser/drain.bench.mjs in Debian's Chromium (needs
# /usr/bin/chromium and `npm ci` in browser/). CAPTURES=n changes the count.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/posyandu-target}"
cargo build --release -q -p posyandu
BIN="$CARGO_TARGET_DIR/release/posyandu"
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$WORK" && exec "$BIN" serve --demo --database-url "sqlite://$WORK/p.sqlite" --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1) &
SERVER=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
(cd browser && POSYANDU_URL="http://127.0.0.1:$PORT" node drain.bench.mjs)
