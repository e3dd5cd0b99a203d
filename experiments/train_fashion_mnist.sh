#!/usr/bin/env bash
# Trains the same MLPs on Fashion-MNIST with dnnspace and with PyTorch and prints both
# accuracies side by side (docs/experiments.md, "Training on Fashion-MNIST").
# Usage: experiments/train_fashion_mnist.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out}"
threads=2
mkdir -p "$out"

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "installing python3-torch"
  sudo_cmd=(); if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-torch python3-numpy
fi
bash "$here/scripts/install-deps"
if [ ! -x "$build/dnnspace" ]; then
  cmake -S "$here" -B "$build" -G Ninja -DDNNSPACE_BENCH=OFF >/dev/null
  ninja -C "$build" dnnspace
fi

# name network activation lr momentum epochs
configs=(
  "a_sigmoid_sgd         784-100-100-10      sigmoid 0.1 0.0 5"
  "a_sigmoid_best        784-100-100-10      sigmoid 0.1 0.9 10"
  "b_relu_sgd            784-256-256-256-10  relu    0.1 0.0 5"
)
for config in "${configs[@]}"; do
  read -r name sizes activation lr momentum epochs <<<"$config"
  echo "== $name: mlp-$sizes $activation lr $lr momentum $momentum batch 64 epochs $epochs"
  "$build/dnnspace" train --network "mlp-$sizes" --activation "$activation" --epochs "$epochs" --batch 64 \
    --lr "$lr" --momentum "$momentum" --seed 1 --threads "$threads" --json "$out/${name}_dnnspace.json"
  /usr/bin/python3 "$here/experiments/pytorch_mlp.py" train --sizes "$sizes" --activation "$activation" \
    --epochs "$epochs" --batch 64 --lr "$lr" --momentum "$momentum" --seed 1 --threads "$threads" \
    --json "$out/${name}_pytorch.json"
done

echo "== summary (final-epoch test accuracy)"
for config in "${configs[@]}"; do
  read -r name _ <<<"$config"
  /usr/bin/python3 - "$out/${name}_dnnspace.json" "$out/${name}_pytorch.json" "$name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["epochs"][-1]["test_accuracy"]
p = json.load(open(sys.argv[2]))["epochs"][-1]["test_accuracy"]
print(f"{sys.argv[3]:<18} dnnspace {d:.4f}  pytorch {p:.4f}  difference {100 * (d - p):+.2f} points")
PY
done
