#!/usr/bin/env bash
# 004 Fig. 14 (Sec. VI-C): the auto-optimizer (dse --auto: C|K, RF and buffer sizes under
# Observations 2 and 3, then a second RF) against the eyeriss baseline (C|K, the base of
# the search) and the tpu-like chip (32x32 PEs, 8 B RF, 64 KB + 28 MB buffers, also C|K).
# CNNs at batch 16, LSTMs, RHN and MLPs at batch 128 (004 Table VI).
# Usage: experiments/auto_optimizer.sh [BUILD_DIR] [OUT_DIR] [NETWORKS]
#   defaults: build, experiments/out/auto_optimizer, every network of Fig. 14, smallest
#   first: "mlp-m mlp-l lstm-m lstm-l rhn alexnet mobilenet googlenet vgg16"
# Utilization floor MIN_UTIL (default 0.75, 004 Sec. VI-A). Runs one network at a time.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/auto_optimizer}"
nets="${3:-mlp-m mlp-l lstm-m lstm-l rhn alexnet mobilenet googlenet vgg16}"
min_util="${MIN_UTIL:-0.75}"
mkdir -p "$out"
for net in $nets; do
  case "$net" in alexnet|vgg16|googlenet|mobilenet) batch=16 ;; *) batch=128 ;; esac
  common=(--network "$net" --batch "$batch" --min-util "$min_util" --threads 2)
  start=$(date +%s)
  "$build/dnnspace" dse "${common[@]}" --base eyeriss --auto \
    --json "$out/$net.auto.json" --csv "$out/$net.auto.csv" >"$out/$net.auto.txt"
  mid=$(date +%s)
  "$build/dnnspace" dse "${common[@]}" --base tpu-like --dataflow "C|K" --sweep levels=base \
    --json "$out/$net.tpu.json" >"$out/$net.tpu.txt"
  end=$(date +%s)
  echo "$net: auto $((mid - start)) s, tpu-like $((end - mid)) s" >"$out/$net.time"
done
/usr/bin/python3 - "$out" $nets <<'PY'
import json, os, sys
out, nets = sys.argv[1], sys.argv[2:]
paper = {"vgg16": "3.5x", "googlenet": "2.7x", "mobilenet": "4.2x", "lstm-m": "<=1.6x", "lstm-l": "<=1.6x",
         "rhn": "<=1.6x", "mlp-m": "<=1.8x", "mlp-l": "<=1.8x", "alexnet": "(not stated)"}
print(f"{'network':<10}{'eyeriss uJ':>12}{'auto uJ':>12}{'tpu-like uJ':>13}{'gain':>8}{'tpu/auto':>9}  {'004':>12}  chosen; seconds")
for n in nets:
    if not os.path.exists(f"{out}/{n}.tpu.json"): continue
    a = json.load(open(f"{out}/{n}.auto.json")); t = json.load(open(f"{out}/{n}.tpu.json"))["points"][0]
    base = a["base"]["energy_pj"] if isinstance(a["base"], dict) else None
    ch = a["chosen"]
    if ch is None:  # every design leaves some layer unmapped (e.g. conv1 under C|K at 0.75)
        print(f"{n:<10}{base / 1e6:>12.1f}{'-':>12}{t['energy_pj'] / 1e6:>13.1f}{'-':>8}{'-':>9}  "
              f"{paper.get(n, ''):>12}  no design maps every layer; see {out}/{n}.auto.txt")
        continue
    hier = " ".join(f"{l['name']}={l['capacity_bytes']}" for l in ch["levels"] if l["capacity_bytes"])
    secs = open(f"{out}/{n}.time").read().strip().split(": ", 1)[1]
    print(f"{n:<10}{base / 1e6:>12.1f}{ch['energy_pj'] / 1e6:>12.1f}{t['energy_pj'] / 1e6:>13.1f}"
          f"{a['energy_gain']:>7.2f}x{t['energy_pj'] / ch['energy_pj']:>8.2f}x  {paper.get(n, ''):>12}  {hier}; {secs}")
PY
