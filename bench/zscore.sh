#!/usr/bin/env bash
# Times `posyandu zscore` end to end (read CSV, compute, write CSV) on 1,000,000 rows of two
# kinds and prints rows per second:
#  - register: a synthetic posyandu register (sex, age, weight, length/height, position,
#    LiLA for a third), as e-PPGBM-style exports hold (crates/growth/examples/register.rs);
#  - who-mix: the input columns of WHO's 1,061 reference cases repeated (every edge case,
#    all eight 0–5 y indicators filled on most rows).
# Usage: bench/zscore.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
ref=../shared/who-growth/reference-public.csv
work=${TMPDIR:-/tmp}/posyandu-bench-zscore
mkdir -p "$work"
cargo build --release -q -p posyandu
bin=${CARGO_TARGET_DIR:-target}/release/posyandu
cargo build --release -q -p growth --example register
gen=${CARGO_TARGET_DIR:-target}/release/examples/register

time_it() { # name input
  local name=$1 input=$2 best="" secs start end
  echo "$name: $rows rows, $(du -m "$input" | cut -f1) MB, $(nproc) cores"
  for run in 1 2 3 4 5; do
    rm -f "$work/out.csv" # a new output file, as a user writes one (no truncation cost)
    start=$(date +%s.%N)
    "$bin" zscore "$input" -o "$work/out.csv"
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || (( $(echo "$secs < $best" | bc -l) )); then best=$secs; fi
  done
  local lines=$(($(wc -l < "$work/out.csv") - 1))
  [ "$lines" -eq "$rows" ] || { echo "expected $rows output rows, got $lines" >&2; exit 1; }
  echo "  best of 5: $(printf '%.3f' "$best") s = $(echo "$rows / $best" | bc) rows/s end to end"
  /usr/bin/time -f "  peak memory: %M KB" "$bin" zscore "$input" -o "$work/out.csv" --force
}

register=$work/register-$rows.csv
[ -s "$register" ] || "$gen" "$rows" > "$register"
mix=$work/who-mix-$rows.csv
if [ ! -s "$mix" ]; then
  # Input columns only (case_id … oedema), repeated until there are $rows data rows.
  awk -F, -v n="$rows" 'NR==1 {print $1","$2","$4","$5","$6","$7","$8","$9","$10","$11","$12","$13","$14; next}
    {row[NR-1]=$1","$2","$4","$5","$6","$7","$8","$9","$10","$11","$12","$13","$14; m=NR-1}
    END {for (i=0; i<n; i++) print row[i%m+1]}' "$ref" > "$mix"
fi
time_it register "$register"
time_it who-mix "$mix"
