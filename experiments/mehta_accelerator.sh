#!/usr/bin/env bash
# 002's pipelined training accelerator against software training of the same MLP
# (docs/experiments.md, "002's training accelerator"): 784-100-100-10 sigmoid on
# Fashion-MNIST for two epochs (120,000 samples; 002 trained 100,000 MNIST samples), the
# accelerator's time, power and energy from its pipeline model, this machine's software time
# (dnnspace's engine at batch 64 and batch 1, and PyTorch where python3-torch is installed),
# the accelerator with more lanes per neuron, and the best mappings of the same training
# step on a 2-D array (optimize --training).
# Usage: experiments/mehta_accelerator.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/mehta_accelerator}"
mkdir -p "$out"
net=mlp-784-100-100-10
common=(--network "$net" --epochs 2 --lr 0.1 --momentum 0.9 --seed 1 --threads 2)
"$build/dnnspace" train "${common[@]}" --batch 64 --json "$out/software-b64.json" >"$out/software-b64.txt"
# One sample per step, as the accelerator updates (a smaller step: lr 0.1 with momentum 0.9 diverges at batch 1).
"$build/dnnspace" train --network "$net" --epochs 2 --lr 0.01 --seed 1 --threads 2 --batch 1 \
  --json "$out/software-b1.json" >"$out/software-b1.txt"
for memory in distributed unified; do
  "$build/dnnspace" train "${common[@]}" --batch 64 --accelerator mehta --memory "$memory" \
    --json "$out/mehta-lut-$memory.json" >"$out/mehta-lut-$memory.txt"
done
"$build/dnnspace" train "${common[@]}" --batch 64 --accelerator mehta --sigmoid alu --json "$out/mehta-alu.json" \
  >"$out/mehta-alu.txt"
for lanes in 2 4 8 16; do
  "$build/dnnspace" train --network "$net" --epochs 1 --train-limit 1000 --test-limit 100 --accelerator mehta \
    --lanes "$lanes" --json "$out/mehta-lanes$lanes.json" >/dev/null
done
sed 's/word_bits: 16/word_bits: 32/; s/name: eyeriss/name: eyeriss-fp32/' "$here/examples/arch/eyeriss.yaml" >"$out/eyeriss-fp32.yaml"
"$build/dnnspace" optimize --training --network "$net" --batch 1 --arch "$out/eyeriss-fp32.yaml" --min-util 0 \
  --threads 2 --json "$out/array-b1.json" >"$out/array-b1.txt"
"$build/dnnspace" optimize --training --network "$net" --batch 64 --arch "$out/eyeriss-fp32.yaml" --min-util 0 \
  --threads 2 --json "$out/array-b64.json" >"$out/array-b64.txt"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 "$here/experiments/pytorch_mlp.py" bench --sizes 784-100-100-10 --activation sigmoid \
    --train-batches 1,64 --train-samples 20000 --threads 2 --json "$out/pytorch.json" >/dev/null
fi
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
load = lambda name: json.load(open(os.path.join(out, name)))
sw64, sw1 = load("software-b64.json"), load("software-b1.json")
secs = lambda j: sum(e["train_seconds"] for e in j["epochs"])
samples = sum(e["samples"] for e in sw64["epochs"])
print(f"| run | test accuracy | time for {samples:,} samples | power | energy |")
print("|---|---|---|---|---|")
print(f"| software: dnnspace engine, fp32, batch 64 | {sw64['epochs'][-1]['test_accuracy']:.4f} | {secs(sw64):.2f} s | | |")
print(f"| software: dnnspace engine, fp32, batch 1 (lr 0.01, no momentum) | {sw1['epochs'][-1]['test_accuracy']:.4f} | {secs(sw1):.2f} s | | |")
if os.path.exists(os.path.join(out, "pytorch.json")):
    pt = load("pytorch.json")
    for batch in (64, 1):
        rate = pt[f"train_batch_{batch}"]
        print(f"| software: PyTorch, fp32, batch {batch} (throughput over 20,000 samples) | | {samples / rate:.2f} s | | |")
for name, label in [("mehta-lut-distributed.json", "mehta, LUT sigmoid, distributed memory"),
                    ("mehta-lut-unified.json", "mehta, LUT sigmoid, unified memory"),
                    ("mehta-alu.json", "mehta, ALU sigmoid, distributed memory")]:
    j = load(name); a = j["accelerator"]
    print(f"| {label} | {j['epochs'][-1]['test_accuracy']:.4f} | {a['seconds']:.2f} s ({a['cycles_per_sample']:,} cycles per sample) | "
          f"{a['power_w']:.2f} W | {a['energy_j']:.2f} J |")
print()
print("| lanes per neuron | cycles per sample | time per sample (us) | power (W) | energy per sample (uJ) | neurons' area (mm2) |")
print("|---|---|---|---|---|---|")
rows = [("1", load("mehta-lut-distributed.json")["accelerator"])]
rows += [(str(k), load(f"mehta-lanes{k}.json")["accelerator"]) for k in (2, 4, 8, 16)]
for k, a in rows:
    per = a["seconds"] / a["samples"]
    print(f"| {k} | {a['cycles_per_sample']:,} | {per * 1e6:.1f} | {a['power_w']:.2f} | {a['power_w'] * per * 1e6:.1f} | {a['area_mm2']:.1f} |")
print()
print("| 2-D array (eyeriss, 32-bit words), optimize --training | energy per sample (uJ) | cycles per sample | time per sample (us) |")
print("|---|---|---|---|")
for name in ("array-b1.json", "array-b64.json"):
    j = load(name); t = j["total"]; n = j["batch"]
    print(f"| batch {n} | {t['energy_per_sample_pj'] / 1e6:.2f} | {t['cycles'] / n:,.0f} | {t['cycles'] / n / 400:.2f} |")
PY
