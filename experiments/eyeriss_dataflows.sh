#!/usr/bin/env bash
# 003 (Sze et al.) Sec. V-B.5, Fig. 33 (CONV) and Fig. 34 (FC): the dataflows of 003 on one
# spatial architecture of 256 PEs and equal area, 003's normalized costs (Fig. 22), AlexNet
# at batch 16, each dataflow with its energy-optimal blocking.
# The dataflows as U|V unrollings (rows|cols; docs/model.md):
#   WS   = R|S  (filter plane on the array; 003 Fig. 25(a), 004 Table I F_X F_Y)
#   OS_A = P|Q  (one output channel, many output pixels; 003 Fig. 26, ShiDianNao)
#   OS_B = K|Q  (several channels x several pixels of a row: "in between" A and C)
#   OS_C = K|N  (many output channels, one activation per channel and image; FC-oriented)
#   NLR  = C|K  on eyeriss-256pe-nlr.yaml (no RF, a larger buffer)
#   RS   = R|P  (filter rows against output rows; 003 Fig. 29)
# Each dataflow is searched exactly (--fallback none: a layer it cannot unroll, such as an
# FC layer under R|S, is reported unmapped rather than replicated into another dataflow).
# All but NLR run on eyeriss-256pe.yaml. 003 sets no utilization floor, so --min-util 0: a
# dataflow whose loops are small (R|S on a 3x3 filter) uses few of the 256 PEs, as in 003's
# figures without replication (see docs/experiments.md).
# Usage: experiments/eyeriss_dataflows.sh [BUILD_DIR] [OUT_DIR] [LAYERS (default: all 8)]
# At --min-util 0 the mapper's space is large: one CONV layer takes about 8 minutes per
# dataflow on 2 shared cores, so the full run takes hours; pass a subset such as "fc6 fc7 fc8".
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/eyeriss_dataflows}"
mkdir -p "$out"
cli="$build/dnnspace"
arch="$here/experiments/arch/eyeriss-256pe.yaml"
nlr="$here/experiments/arch/eyeriss-256pe-nlr.yaml"
layers="${3:-conv1 conv2 conv3 conv4 conv5 fc6 fc7 fc8}"
names="WS OS_A OS_B OS_C NLR RS"
declare -A form=([WS]="R|S" [OS_A]="P|Q" [OS_B]="K|Q" [OS_C]="K|N" [NLR]="C|K" [RS]="R|P")
for l in $layers; do
  for n in $names; do
    a="$arch"; [ "$n" = NLR ] && a="$nlr"
    echo "running optimize --layer $l --dataflow ${form[$n]} ($n)" >&2
    "$cli" optimize --arch "$a" --network alexnet --layer "$l" --batch 16 --dataflow "${form[$n]}" --min-util 0 \
      --fallback none --threads 2 --json "$out/${l}_$n.json" >"$out/${l}_$n.txt"
  done
done
/usr/bin/python3 - "$out" "$layers" $names <<'PY'
import json, sys
out, layers, names = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
import os
def load(l, n):  # a run left out (or stopped) counts as not found
    f = f"{out}/{l}_{n}.json"
    return json.load(open(f))["layers"][0] if os.path.exists(f) else {}
runs = {n: {l: load(l, n) for l in layers} for n in names}
e = lambda n, l: runs[n][l]["energy_pj"] if runs[n][l].get("found") else None
print("energy (normalized units, 1 = one MAC) and ratio X/RS")
print(f"{'layer':7}" + "".join(f"{n:>16}" for n in names))
for l in layers:
    row = f"{l:7}"
    for n in names:
        v, rs = e(n, l), e("RS", l)
        row += f"{'-':>16}" if v is None else (f"{v:>10.3g} {v / rs:>4.2f}x" if rs else f"{v:>10.3g}      ")
    print(row)
for kind, pick in (("CONV", lambda l: l.startswith("conv")), ("FC", lambda l: l.startswith("fc"))):
    sel = [l for l in layers if pick(l)]
    if not sel or any(e("RS", l) is None for l in sel): continue
    rs = sum(e("RS", l) for l in sel)
    print(f"{kind} total X/RS: " + "  ".join(
        f"{n} {sum(e(n, l) for l in sel) / rs:.2f}x" for n in names
        if all(e(n, l) is not None for l in sel)))
PY
