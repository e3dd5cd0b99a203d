#!/usr/bin/env bash
# Instructions per evaluate() call of each model_bench case, counted by valgrind's callgrind:
# a measure of the model's cost that a shared, noisy machine does not disturb.
# Usage: bench/instructions_per_evaluate.sh MODEL_BENCH... (e.g. a baseline's and this tree's)
set -euo pipefail
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for bm in BM_evaluate_4level BM_evaluate_into_4level BM_evaluate_eyeriss BM_evaluate_into_eyeriss \
    BM_evaluate_partial_tiles BM_evaluate_into_partial_tiles; do
  for bin in "$@"; do
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --benchmark_filter="^$bm\$" \
      --benchmark_min_time=0.01 >/dev/null 2>&1
    # Inclusive instructions per call of dnnspace::evaluate / evaluate_into, from the call records.
    per_call="$(python3 - "$out" <<'PY'
import re, sys
names, calls, cost = {}, {}, {}
current, pending = None, None
for line in open(sys.argv[1]):
    m = re.match(r'c?fn=\((\d+)\)(?: (.*))?', line)
    if line.startswith('cfn=') or line.startswith('fn='):
        if m.group(2):
            names[m.group(1)] = m.group(2)
        if line.startswith('cfn='):
            current = m.group(1)
        continue
    if line.startswith('calls='):
        pending = int(line.split('=')[1].split()[0])
        continue
    if pending is not None:
        parts = line.split()
        calls[current] = calls.get(current, 0) + pending
        cost[current] = cost.get(current, 0) + (int(parts[1]) if len(parts) > 1 else 0)
        pending = None
pattern = re.compile(r'^dnnspace::evaluate(_into)?\(')
for i, name in names.items():
    if pattern.search(name) and calls.get(i):
        print(f"{cost[i] / calls[i]:.0f}")
        break
PY
)"
    echo "$bm $bin ${per_call:-n/a}"
  done
done
