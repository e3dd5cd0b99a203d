#!/usr/bin/env bash
# Minerva's stages 4 and 5 on Fashion-MNIST (001 Sec. 4.4.2-4.4.3), with the engine:
#  0. Iso-Training Noise: 784-256-256-256-10 ReLU trained from SEEDS (SGD lr 0.1, batch
#     64, EPOCHS epochs); mean and sigma of the fp32 test error. ITN 1 = one sigma.
#  1. The seed-1 network in fixed point (Q^W = Q2.6, 8-bit weight words; Q^X = Q^P = Q6.10).
#  2. Stage 4: the same threshold on the hidden layers' inputs (fc2, fc3, fc4), swept; the
#     fraction of MACs pruned and the error (001 Fig. 4.7).
#  3. Stage 5: every weight bit faulting at rates 1e-5 .. 0.3, with no mask, word masking
#     and bit masking, 20 fault maps each (001 Fig. 4.9); the largest rate whose mean error
#     stays within ITN 1 of the fixed-point network's.
# Usage: experiments/minerva_faults.sh [BUILD_DIR] [OUT_DIR] [SEEDS (default 1..10)] [EPOCHS (default 5)]
# About 5 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/minerva_faults}"
seeds="${3:-1 2 3 4 5 6 7 8 9 10}"
epochs="${4:-5}"
cli="$build/dnnspace"
mkdir -p "$out"
net=mlp-784-256-256-256-10

echo "== 0. Iso-Training Noise: $net, $epochs epochs, seeds $seeds"
for s in $seeds; do
  "$cli" train --network $net --activation relu --epochs "$epochs" --batch 64 --lr 0.1 --seed "$s" --threads 2 \
    --weights "$out/seed$s.bin" --json "$out/seed$s.json" > /dev/null
done

cat > "$out/fixed.yaml" <<'EOF'
default:
  arithmetic: fixed
  weights: Q2.6
  activations: Q6.10
  products: Q6.10
EOF
first=$(echo $seeds | cut -d' ' -f1)
weights="$out/seed$first.bin"
"$cli" infer --network $net --weights "$weights" --numerics "$out/fixed.yaml" --json "$out/fixed.json" > /dev/null

echo "== stage 4: prune threshold on fc2, fc3, fc4"
thresholds="0 0.25 0.5 0.75 1.0 1.5 2.0 3.0"
for t in $thresholds; do
  cat > "$out/prune_$t.yaml" <<EOF
default:
  arithmetic: fixed
  weights: Q2.6
  activations: Q6.10
  products: Q6.10
layers:
  fc2: {prune_threshold: $t}
  fc3: {prune_threshold: $t}
  fc4: {prune_threshold: $t}
EOF
  "$cli" infer --network $net --weights "$weights" --numerics "$out/prune_$t.yaml" --json "$out/prune_$t.json" > /dev/null
done

echo "== stage 5: weight bit faults, 20 maps per rate"
rates="1e-5 3e-5 1e-4 3e-4 1e-3 3e-3 1e-2 3e-2 1e-1 3e-1"
for m in none word bit; do
  for r in $rates; do
    "$cli" infer --network $net --weights "$weights" --numerics "$out/fixed.yaml" --fault-rate "$r" --mitigation $m \
      --fault-maps 20 --json "$out/fault_${m}_$r.json" > /dev/null
  done
done

/usr/bin/python3 - "$out" "$seeds" "$thresholds" "$rates" <<'PY'
import json, math, statistics, sys
out, seeds, thresholds, rates = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4].split()
load = lambda name: json.load(open(f"{out}/{name}.json"))
errors = [1 - load(f"seed{s}")["epochs"][-1]["test_accuracy"] for s in seeds]
mean = statistics.mean(errors)
sigma = statistics.stdev(errors) if len(errors) > 1 else 0.0
print(f"\nITN over {len(errors)} seeds: fp32 test error mean {100*mean:.2f}%, sigma {100*sigma:.2f}% "
      f"(min {100*min(errors):.2f}%, max {100*max(errors):.2f}%)")
fixed = 1 - load("fixed")["test_accuracy"]
bound = fixed + sigma
print(f"seed {seeds[0]} in fixed point (Q2.6 weights, Q6.10 activations and products): error {100*fixed:.2f}% "
      f"(fp32 {100*errors[0]:.2f}%); the bound ITN 1 = {100*bound:.2f}%\n")
print("| prune threshold (fc2-fc4 inputs) | MACs pruned | error | within ITN 1 |")
print("| ---: | ---: | ---: | --- |")
for t in thresholds:
    j = load(f"prune_{t}")
    e = 1 - j["test_accuracy"]
    print(f"| {t} | {100*j['pruned_fraction']:.1f}% | {100*e:.2f}% | {'yes' if e <= bound else 'no'} |")
print("\n| bit fault rate | no mask: error (min-max) | word masking | bit masking |")
print("| ---: | ---: | ---: | ---: |")
tolerated = {}
for r in rates:
    row = [r]
    for m in ("none", "word", "bit"):
        f = load(f"fault_{m}_{r}")["faults"]
        e, lo, hi = 1 - f["accuracy_mean"], 1 - f["accuracy_max"], 1 - f["accuracy_min"]
        row.append(f"{100*e:.2f}% ({100*lo:.2f}-{100*hi:.2f})")
        if e <= bound:
            tolerated[m] = max(tolerated.get(m, 0.0), float(r))
    print("| " + " | ".join(row) + " |")
print()
for m in ("none", "word", "bit"):
    t = tolerated.get(m)
    print(f"largest rate within ITN 1, {m}: {t if t else 'none of those tried'}")
if tolerated.get("word") and tolerated.get("bit"):
    print(f"bit masking tolerates {tolerated['bit'] / tolerated['word']:.0f}x the rate word masking does")
PY
