#!/usr/bin/env bash
# Minerva's stage 1 on Fashion-MNIST (001 Sec. 4.3, Fig. 4.3): the training space of
# ReLU MLPs, hidden layers (3, 4, 5) x nodes per layer (32 .. 512) x weight penalty (none,
# L1 1e-5, L2 1e-5): 45 networks, each trained EPOCHS epochs (SGD lr 0.1, batch 64, seed 1).
# Prints the test error against the weight count and the Pareto frontier (fewer weights
# and lower error), and the point 001 would pick: the smallest network on the frontier whose
# error is within 0.5 points of the best.
# Usage: experiments/minerva_training_space.sh [BUILD_DIR] [OUT_DIR] [EPOCHS (default 3)]
# About 10 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/minerva_training_space}"
epochs="${3:-3}"
cli="$build/dnnspace"
mkdir -p "$out"
for layers in 3 4 5; do
  for nodes in 32 64 128 256 512; do
    widths=784
    for _ in $(seq "$layers"); do widths="$widths-$nodes"; done
    for penalty in none l1 l2; do
      flags=()
      [ "$penalty" = l1 ] && flags=(--l1 1e-5)
      [ "$penalty" = l2 ] && flags=(--l2 1e-5)
      name="mlp-$widths-10"
      "$cli" train --network "$name" --activation relu --epochs "$epochs" --batch 64 --lr 0.1 --seed 1 --threads 2 \
        "${flags[@]}" --json "$out/${layers}x${nodes}_$penalty.json" > /dev/null
    done
  done
done
/usr/bin/python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
points = []
for path in sorted(glob.glob(f"{out}/*.json")):
    j = json.load(open(path))
    layers, rest = os.path.basename(path)[:-5].split("x")
    nodes, penalty = rest.split("_")
    layers, nodes = int(layers), int(nodes)
    sizes = [784] + [nodes] * layers + [10]
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    points.append((weights, 1 - j["epochs"][-1]["test_accuracy"], layers, nodes, penalty))
points.sort()
front, best = [], float("inf")
for p in points:
    if p[1] < best:
        front.append(p)
        best = p[1]
print(f"{len(points)} networks; error vs weights (* = on the Pareto frontier)\n")
print("| hidden layers x nodes | penalty | weights | test error | frontier |")
print("| --- | --- | ---: | ---: | --- |")
for p in points:
    print(f"| {p[2]} x {p[3]} | {p[4]} | {p[0]:,} | {100*p[1]:.2f}% | {'*' if p in front else ''} |")
lowest = min(p[1] for p in points)
chosen = next(p for p in front if p[1] <= lowest + 0.005)
print(f"\nlowest error {100*lowest:.2f}%; chosen (smallest on the frontier within 0.5 points): "
      f"{chosen[2]} x {chosen[3]}, {chosen[4]}, {chosen[0]:,} weights, {100*chosen[1]:.2f}%")
PY
