#!/usr/bin/env bash
# The roofline of AlexNet (batch 16, 004's C|K dataflow) on eyeriss-chip, the Eyeriss chip
# of 003 Sec. V-B with its 64-bit DRAM bus (1.6 GB/s at 200 MHz), and on eyeriss with
# DRAM at 1.6 and 12.8 GB/s (docs/platforms.md, "Roofline").
# Usage: experiments/roofline.sh [BUILD_DIR] [OUT_DIR]
#   defaults: build, experiments/out/roofline; the figures are written to docs/figures/.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/roofline}"
mkdir -p "$out" "$here/docs/figures"
run() {  # NAME ARGS...
  local name=$1
  shift
  "$build/dnnspace" roofline --network alexnet --batch 16 --dataflow "C|K" --threads 2 "$@" \
    --json "$out/$name.json" --plot "$here/docs/figures/roofline-$name.svg" >"$out/$name.txt"
  echo "== $name ($*)"
  cat "$out/$name.txt"
}
run alexnet-eyeriss-chip --arch eyeriss-chip
run alexnet-eyeriss-1.6 --arch eyeriss --bandwidth DRAM=1.6
run alexnet-eyeriss-12.8 --arch eyeriss --bandwidth DRAM=12.8
