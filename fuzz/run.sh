#!/usr/bin/env bash
# Run every fuzz target (or those named) for a bounded time each, starting from the
# committed corpus in fuzz/corpus/<target>/. New inputs go to a scratch corpus outside the
# repository; with CMIN=1 they are merged into the committed corpus and minimised.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      # default 60 s each, all targets
#   CMIN=1 fuzz/run.sh 300 screen_line     # then keep a minimal corpus
#   fuzz/run.sh 0                          # only replay the committed corpus (regressions)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Only stable Rust is installed here, so the
# nightly flags cargo-fuzz passes are allowed with RUSTC_BOOTSTRAP=1. A crash stops that
# target; its input is in fuzz/artifacts/<target>/ and the script exits 1 at the end.
set -uo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(screen_line register_parse zscore_rows)

export RUSTC_BOOTSTRAP=1
# Its own target dir: the sanitizer-coverage build shares nothing with the dev build.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/posyandu-fuzz-target}"
# The code is `forbid(unsafe_code)`; AddressSanitizer would mostly slow the search down.
sanitizer="${FUZZ_SANITIZER:-none}"
scratch="${FUZZ_SCRATCH:-${TMPDIR:-/tmp}/posyandu-fuzz-corpus}"

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz" >&2; exit 2; }

failed=()
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t" "artifacts/$t"
  echo "== $t: ${seconds}s" >&2
  # 0 s: run every committed input once, fuzz nothing.
  if [ "$seconds" = 0 ]; then limit=(-runs=0); else limit=(-max_total_time="$seconds"); fi
  # One job, at most 64 KiB per input, 2 GiB of memory, 10 s per input.
  if ! cargo fuzz run -O -s "$sanitizer" "$t" "$scratch/$t" "corpus/$t" -- \
      "${limit[@]}" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 2>"$scratch/$t.log"; then
    failed+=("$t")
    grep -a -E "panicked|ERROR|Test unit written" "$scratch/$t.log" | head -5 >&2
  fi
  grep -a -E "^stat::number_of_executed_units|^stat::new_units_added" "$scratch/$t.log" >&2
  if [ "${CMIN:-0}" = 1 ]; then
    cp -n "$scratch/$t"/* "corpus/$t/" 2>/dev/null || true
    # Edges only (no hit counts), so the committed corpus stays a few hundred small files.
    cargo fuzz cmin -O -s "$sanitizer" "$t" "corpus/$t" -- -use_counters=0 >/dev/null 2>&1
    echo "   corpus/$t: $(ls "corpus/$t" | wc -l) inputs" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash" >&2
