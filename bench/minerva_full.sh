#!/usr/bin/env bash
# The default `dnnspace minerva` run on Fashion-MNIST (45 networks of 3 epochs, the ITN over
# 10 seeds, 525 designs, the bit search, 13 thresholds, 9 fault rates x 3 mitigations x 20
# maps), timed stage by stage on this machine; its target is 20 minutes on 2 cores.
# Prints the run's report, each stage's wall time and the total, and leaves the run's
# directory (stage files and figures) in OUT.
# Usage: bash bench/minerva_full.sh [BUILD_DIR] [OUT]   (default: build, a temporary directory)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
cli="$build/dnnspace"
[[ -x $cli ]] || { echo "bench/minerva_full.sh: $cli not built (ninja -C $build dnnspace)" >&2; exit 1; }
out="${2:-$(mktemp -d)/minerva}"
start=$(date +%s.%N)
last=$start
"$cli" minerva --out "$out" | while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ $line == stage\ [1-5]\ * ]]; then
    now=$(date +%s.%N)
    awk -v a="$now" -v b="$last" 'BEGIN { printf "    (%.0f s)\n", a - b }'
    last=$now
  fi
done
end=$(date +%s.%N)
awk -v a="$end" -v b="$start" -v o="$out" 'BEGIN { printf "total %.0f s; the run is in %s\n", a - b, o }'
