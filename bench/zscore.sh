#!/usr/bin/env bash
# Times `posyandu zscore` end to end (read CSV, compute, write CSV) on 1,000,000 register
# rows made by repeating the input columns of WHO's reference cases (every edge case
# included), and prints rows per second. Usage: bench/zscore.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
ref=../shared/who-growth/reference-public.csv
work=${TMPDIR:-/tmp}/posyandu-bench-zscore
mkdir -p "$work"
cargo build --release -q -p posyandu
bin=${CARGO_TARGET_DIR:-target}/release/posyandu
input=$work/register-$rows.csv
if [ ! -s "$input" ]; then
  # Input columns only (case_id … oedema), repeated until there are $rows data rows.
  awk -F, -v n="$rows" 'NR==1 {print $1","$2","$4","$5","$6","$7","$8","$9","$10","$11","$12","$13","$14; next}
    {row[NR-1]=$1","$2","$4","$5","$6","$7","$8","$9","$10","$11","$12","$13","$14; m=NR-1}
    END {for (i=0; i<n; i++) print row[i%m+1]}' "$ref" > "$input"
fi
size=$(du -m "$input" | cut -f1)
echo "input: $rows rows, ${size} MB, $(nproc) cores"
best=""
for run in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$bin" zscore "$input" -o "$work/out.csv"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  echo "run $run: $(printf '%.3f' "$secs") s"
  if [ -z "$best" ] || (( $(echo "$secs < $best" | bc -l) )); then best=$secs; fi
done
lines=$(($(wc -l < "$work/out.csv") - 1))
[ "$lines" -eq "$rows" ] || { echo "expected $rows output rows, got $lines" >&2; exit 1; }
echo "best: $(printf '%.3f' "$best") s = $(echo "$rows / $best" | bc) rows/s end to end"
/usr/bin/time -f "peak memory: %M KB" "$bin" zscore "$input" -o "$work/out.csv"
