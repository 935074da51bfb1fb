#!/usr/bin/env bash
# Draining a phone's outbox of 200 captures on the issue's 3G profile (issue 9 item 7): a
# release `posyandu serve --demo`, then browser/drain.bench.mjs in Debian's Chromium (needs
# /usr/bin/chromium and `npm ci` in browser/). CAPTURES=n changes the count.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
start_server --demo --database-url "sqlite://$WORK/p.sqlite"
(cd browser && POSYANDU_URL="http://127.0.0.1:$PORT" node drain.bench.mjs)
