#!/usr/bin/env bash
# The store's figures: 1,000,000 measurements through `Tx::capture_batch` next to raw SQLite
# inserts of the same rows in the same run (target: store >= half of raw), and the
# "everything under this Puskesmas this month" query (crates/store/benches/store_bulk.rs).
# Usage: bench/store.sh [ROWS]     (POSYANDU_BENCH_PG_URL=postgres://… adds PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
export POSYANDU_BENCH_ROWS=${1:-1000000}
echo "$(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
cargo bench -q -p store --bench store_bulk
