#!/usr/bin/env bash
# Setting (b) of docs/experiments.md, compared faithfully: 784-256-256-256-10 ReLU, SGD lr 0.1,
# batch 64, 5 epochs, dnnspace against PyTorch.
#  1. Same start: PyTorch from dnnspace's initial weights and batch order (--dnnspace-start
#     reproduces its generator bit for bit). Seed 1: the weights after 1, 10 and 100 steps
#     compared value by value, with the first step's loss and the mean loss over 10 and 100
#     steps; seeds 1 to 3: 5 epochs, losses and test accuracy per epoch.
#  2. Seeds: both tools on SEEDS, each with its own initialisation and shuffle.
# Usage: experiments/relu_mlp_comparison.sh [BUILD_DIR] [OUT_DIR] [SEEDS (default 1 to 10)]
# Runs one training at a time on 2 threads (about a minute each).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out}"
seeds="${3:-1 2 3 4 5 6 7 8 9 10}"
threads=2
export OMP_WAIT_POLICY=PASSIVE  # PyTorch: spinning OpenMP threads lose most of their time on a shared machine
mkdir -p "$out"
cli="$build/dnnspace"
py() { /usr/bin/python3 "$here/experiments/pytorch_mlp.py" "$@"; }
common=(--batch 64 --lr 0.1 --threads $threads)

echo "== 1. same start (seed 1): weights after N samples = N/64 steps"
for n in 64 640 6400; do
  "$cli" train --network mlp-784-256-256-256-10 --epochs 1 --seed 1 --train-limit $n "${common[@]}" \
    --weights "$out/same_d_$n.bin" --json "$out/same_d_$n.json" >/dev/null
  py train --sizes 784-256-256-256-10 --activation relu --epochs 1 --seed 1 --train-limit $n --dnnspace-start --step-losses \
    "${common[@]}" --weights-out "$out/same_p_$n.bin" --json "$out/same_p_$n.json" >/dev/null
done
for s in 1 2 3; do
  "$cli" train --network mlp-784-256-256-256-10 --epochs 5 --seed $s "${common[@]}" \
    --weights "$out/same_d_full$s.bin" --json "$out/same_d_full$s.json" >/dev/null
  py train --sizes 784-256-256-256-10 --activation relu --epochs 5 --seed $s --dnnspace-start "${common[@]}" \
    --weights-out "$out/same_p_full$s.bin" --json "$out/same_p_full$s.json" >/dev/null
done
for n in 64 640 6400 full1 full2 full3; do
  py compare "$out/same_d_$n.bin" "$out/same_p_$n.bin" >"$out/same_compare_$n.json"
  /usr/bin/python3 - "$out" "$n" <<'PY'
import json, sys
out, n = sys.argv[1:]
d = json.load(open(f"{out}/same_d_{n}.json"))["epochs"]
p = json.load(open(f"{out}/same_p_{n}.json"))["epochs"]
c = json.load(open(f"{out}/same_compare_{n}.json"))["parameters"]
worst = max(v["max_abs_diff"] for v in c.values())
print(f"{n:>5}: max |w_dnnspace - w_pytorch| {worst:.2e}; loss per epoch dnnspace "
      + " ".join(f"{e['loss']:.7f}" for e in d) + " / pytorch " + " ".join(f"{e['loss']:.7f}" for e in p)
      + f"; test accuracy {d[-1]['test_accuracy']:.4f} / {p[-1]['test_accuracy']:.4f}")
PY
done

echo "== 2. seeds: final test accuracy"
for s in $seeds; do
  "$cli" train --network mlp-784-256-256-256-10 --epochs 5 --seed "$s" "${common[@]}" --json "$out/seed_d_$s.json" >/dev/null
  py train --sizes 784-256-256-256-10 --activation relu --epochs 5 --seed "$s" "${common[@]}" --json "$out/seed_p_$s.json" >/dev/null
done
/usr/bin/python3 - "$out" $seeds <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
for tool, tag in (("dnnspace", "d"), ("pytorch", "p")):
    acc = [json.load(open(f"{out}/seed_{tag}_{s}.json"))["epochs"][-1]["test_accuracy"] for s in seeds]
    print(f"{tool:<9} " + " ".join(f"{a:.4f}" for a in acc)
          + f"  mean {statistics.mean(acc):.4f} sd {statistics.stdev(acc) if len(acc) > 1 else 0:.4f}")
PY
