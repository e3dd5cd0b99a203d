#!/usr/bin/env bash
# Tensors kept on chip between layers (optimize --fuse, docs/search.md): energy and
# off-chip bytes with and without, across global buffer sizes, at batch 1, dataflow C|K on
# every layer (the replicated extension where a layer cannot fill the array), everything
# else as the eyeriss preset (16x16 PEs, 512 B register files, 004 Table IV energies, the
# global buffer's energy re-derived for each size).
# Usage: experiments/fusion_residency.sh [BUILD_DIR] [OUT_DIR] [NETWORKS] [GB_SIZES]
#   defaults: build, experiments/out/fusion_residency,
#   "alexnet vgg16" and the ONNX resnet18, resnet50, mobilenet_v2 and bert_base_encoder of tests/data/onnx,
#   "64KB 256KB 1MB 4MB 8MB"
# Prints one Markdown table (docs/experiments.md, "Keeping tensors on chip").
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/fusion_residency}"
networks="${3:-alexnet vgg16 $here/tests/data/onnx/resnet18.onnx $here/tests/data/onnx/resnet50.onnx $here/tests/data/onnx/mobilenet_v2.onnx $here/tests/data/onnx/bert_base_encoder.onnx}"
sizes="${4:-64KB 256KB 1MB 4MB 8MB}"
mkdir -p "$out"
for gb in $sizes; do
  sed "s/capacity: 128KB/capacity: $gb/; s/name: eyeriss/name: eyeriss-gb$gb/" "$here/examples/arch/eyeriss.yaml" \
    >"$out/eyeriss-gb$gb.yaml"
done
echo "| network | global buffer | energy (uJ) | with --fuse | saved | off-chip (KB) | with --fuse | saved | boundaries kept |"
echo "|---|---|---|---|---|---|---|---|---|"
for net in $networks; do
  name="$(basename "$net" .onnx)"
  for gb in $sizes; do
    for mode in plain fuse; do
      flag=""; [ "$mode" = fuse ] && flag="--fuse"
      "$build/dnnspace" optimize --arch "$out/eyeriss-gb$gb.yaml" --network "$net" --batch 1 --dataflow "C|K" \
        --threads 2 $flag --json "$out/$name-$gb-$mode.json" >"$out/$name-$gb-$mode.txt"
    done
    /usr/bin/python3 - "$out/$name-$gb-plain.json" "$out/$name-$gb-fuse.json" "$name" "$gb" <<'PY'
import json, sys
p, f = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ep, ef = p["total"]["energy_pj"] / 1e6, f["total"]["energy_pj"] / 1e6
op, of = p["total"]["offchip_bytes"] / 1024, f["total"]["offchip_bytes"] / 1024
b = f["boundaries"]
kept = sum(1 for x in b if x["resident"])
conn = sum(1 for x in b if x["connected"])
print(f"| {sys.argv[3]} | {sys.argv[4]} | {ep:,.1f} | {ef:,.1f} | {100 * (ep - ef) / ep:.1f}% | {op:,.0f} | {of:,.0f} | "
      f"{100 * (op - of) / op:.1f}% | {kept} of {conn} connected ({len(b)} in all) |")
PY
  done
done
