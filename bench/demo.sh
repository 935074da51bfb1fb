#!/usr/bin/env bash
# Times `posyandu demo` (generate the seeded region and write it in one transaction) into a
# fresh SQLite file, and `posyandu import` of a synthetic register CSV, and prints figures.
# Usage: bench/demo.sh [PERSONS] [IMPORT_ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-6000}
rows=${2:-5000}
work=${TMPDIR:-/tmp}/posyandu-bench-demo
rm -rf "$work"; mkdir -p "$work"
cargo build --release -q -p posyandu
bin=${CARGO_TARGET_DIR:-target}/release/posyandu
export RUST_BACKTRACE=0
unset POSYANDU_DATABASE_URL || true

echo "posyandu demo: about $persons persons, $(nproc) cores"
best=""
for run in 1 2 3; do
  db="$work/demo-$run.sqlite"
  start=$(date +%s.%N)
  "$bin" demo --persons "$persons" --database-url "sqlite://$db" > "$work/demo-$run.txt"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  if [ -z "$best" ] || (( $(echo "$secs < $best" | bc -l) )); then best=$secs; fi
done
grep -E "^(penduduk|kunjungan|dosis|Di basis data|Waktu)" "$work/demo-1.txt" | sed 's/^/  /'
echo "  best of 3: $(printf '%.2f' "$best") s into a fresh SQLite file"
echo "  file size: $(du -m "$work/demo-1.sqlite" | cut -f1) MB (+ WAL $(du -k "$work/demo-1.sqlite-wal" 2>/dev/null | cut -f1 || echo 0) KB)"
start=$(date +%s.%N)
"$bin" demo --persons "$persons" --database-url "sqlite://$work/demo-1.sqlite" > /dev/null
end=$(date +%s.%N)
echo "  re-run on the same file (stores nothing): $(printf '%.2f' "$(echo "$end - $start" | bc -l)") s"

# A synthetic register: $rows weighings of $((rows / 4)) children, 4 months each.
csv="$work/register.csv"
echo "nik;nama;jk;tgl_lahir;nama_ibu;kode_desa;posyandu;tgl_ukur;berat;tinggi" > "$csv"
awk -v rows="$rows" 'BEGIN {
  srand(1);
  for (i = 0; i < rows / 4; i++) {
    sex = (i % 2) ? "L" : "P"; day = 1 + i % 28; mon = 1 + int(i / 28) % 12;
    nikday = (sex == "P") ? day + 40 : day;
    nik = sprintf("350801%02d%02d24%04d", nikday, mon, 1 + i % 9999);
    for (m = 1; m <= 4; m++) {
      w = sprintf("%.1f", 6 + m * 0.3 + rand()); l = sprintf("%.1f", 62 + m + rand() * 2);
      gsub(/\./, ",", w); gsub(/\./, ",", l);  # decimal comma, as Excel writes it
      printf "%s;Anak %d;%s;%02d/%02d/2024;Ibu %d;35.08.01.2001;PY01;05/%02d/2025;%s;%s\n", nik, i, sex, day, mon, i, m, w, l;
    }
  }
}' >> "$csv"
start=$(date +%s.%N)
"$bin" import "$csv" --unit /35/3508/ --database-url "sqlite://$work/demo-1.sqlite" > "$work/import.txt" || true
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
echo "posyandu import: $rows rows"
sed -n 2,3p "$work/import.txt" | sed 's/^/  /'
echo "  $(printf '%.2f' "$secs") s = $(echo "$rows / $secs" | bc) rows/s (one transaction per row)"
