#!/usr/bin/env bash
# Forward-only against training energy per sample (optimize vs optimize --training,
# docs/search.md "Training"), and how the optimal dataflow changes between the passes.
# Usage: experiments/training_cost.sh [BUILD_DIR] [OUT_DIR] [NETWORKS] [ARCHS] [BATCH]
#   defaults: build, experiments/out/training_cost, "alexnet resnet50", "eyeriss tpu-like", 16
# Prints two Markdown tables (docs/experiments.md, "Training on the accelerator").
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/training_cost}"
networks="${3:-alexnet resnet50}"
archs="${4:-eyeriss tpu-like}"
batch="${5:-16}"
mkdir -p "$out"
for arch in $archs; do
  for net in $networks; do
    "$build/dnnspace" optimize --arch "$arch" --network "$net" --batch "$batch" --threads 2 \
      --json "$out/$net-$arch-forward.json" >"$out/$net-$arch-forward.txt"
    for opt in sgd adam; do
      "$build/dnnspace" optimize --arch "$arch" --network "$net" --batch "$batch" --threads 2 --training \
        --optimizer "$opt" --json "$out/$net-$arch-$opt.json" >"$out/$net-$arch-$opt.txt"
    done
  done
done
/usr/bin/python3 - "$out" "$networks" "$archs" <<'PY'
import json, sys
out, networks, archs = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
print("| network | arch | forward only (uJ/sample) | training, sgd (uJ/sample) | ratio | forward / dgrad / wgrad / update | adam (uJ/sample) | off-chip per sample, forward / training (MB) |")
print("|---|---|---|---|---|---|---|---|")
flows = []
for arch in archs:
    for net in networks:
        f = json.load(open(f"{out}/{net}-{arch}-forward.json"))
        t = json.load(open(f"{out}/{net}-{arch}-sgd.json"))
        a = json.load(open(f"{out}/{net}-{arch}-adam.json"))
        n = f["batch"]
        ef, et, ea = f["total"]["energy_pj"] / n / 1e6, t["total"]["energy_pj"] / n / 1e6, a["total"]["energy_pj"] / n / 1e6
        tt = t["total"]
        shares = " / ".join(f"{100 * tt[p]['energy_pj'] / tt['energy_pj']:.0f}%" for p in ("forward", "dgrad", "wgrad", "update"))
        of, ot = f["total"]["offchip_bytes"] / n / 1e6, tt["offchip_bytes"] / n / 1e6
        print(f"| {net} | {arch} | {ef:,.1f} | {et:,.1f} | {et / ef:.2f}x | {shares} | {ea:,.1f} | {of:.2f} / {ot:.2f} |")
        changed_d = changed_w = both = 0
        examples = []
        for layer in t["layers"]:
            p = layer["passes"]
            fw = p["forward"]["dataflow"]
            dg = p["dgrad"]["dataflow"] if p["dgrad"] else None
            wg = p["wgrad"]["dataflow"] if p["wgrad"] else None
            if dg is not None:
                both += 1
                changed_d += dg != fw
            changed_w += wg is not None and wg != fw
            if (dg is not None and dg != fw) or (wg is not None and wg != fw):
                examples.append(f"{layer['name']} {fw} / {dg or '-'} / {wg or '-'}")
        flows.append((net, arch, len(t["layers"]), both, changed_d, changed_w, examples))
print()
print("| network | arch | layers | dgrad's dataflow differs from forward's | wgrad's differs | examples (forward / dgrad / wgrad) |")
print("|---|---|---|---|---|---|")
for net, arch, layers, both, d, w, ex in flows:
    print(f"| {net} | {arch} | {layers} | {d} of {both} | {w} of {layers} | {'; '.join(ex[:4])} |")
PY
