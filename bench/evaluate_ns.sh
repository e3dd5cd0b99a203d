#!/usr/bin/env bash
# Median ns per evaluate() of each model_bench case, for one or more builds measured side by
# side: the binaries alternate ROUNDS times (default 8), 3 repetitions each, and the median of
# all a binary's repetitions is printed per case, with the fastest repetition. A shared
# machine drifts; alternating keeps the comparison a ratio taken in one run (bench/RESULTS.md).
# Where another tenant loads the machine, some processes run up to 2x slower throughout:
# the median then describes the neighbours, the minimum what the code takes undisturbed.
# Usage: bench/evaluate_ns.sh MODEL_BENCH... (e.g. a baseline's and this tree's)
#        ROUNDS=4 bench/evaluate_ns.sh build/model_bench
set -euo pipefail
rounds="${ROUNDS:-8}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for ((r = 0; r < rounds; ++r)); do
  for bin in "$@"; do
    "$bin" --benchmark_filter='^BM_evaluate' --benchmark_repetitions=3 --benchmark_min_time=0.2 \
      --benchmark_report_aggregates_only=false --benchmark_format=csv 2>/dev/null |
      awk -F, -v bin="$bin" '$1 ~ /^"BM_evaluate/ && $1 !~ /_(mean|median|stddev|cv)"$/ {gsub(/"/, "", $1); print bin, $1, $4}' >>"$out"
  done
done
python3 - "$out" "$@" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
bins, cases = sys.argv[2:], []
for _, case, _ in rows:
    if case not in cases:
        cases.append(case)
print("case " + " ".join(f"{b}:median {b}:min" for b in bins))
for case in cases:
    cells = []
    for bin in bins:
        times = [float(ns) for b, c, ns in rows if b == bin and c == case]
        cells += [f"{statistics.median(times):.0f}", f"{min(times):.0f}"]
    print(case + " " + " ".join(cells))
PY
