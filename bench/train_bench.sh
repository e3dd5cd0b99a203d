#!/usr/bin/env bash
# Training and inference throughput of mlp-784-100-100-10 on Fashion-MNIST, dnnspace vs
# PyTorch on the same work and thread count; appends the run to bench/RESULTS.md.
# Usage: bench/train_bench.sh [BUILD_DIR]   (needs python3-torch; experiments/ installs it)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
threads=2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cli="$build/dnnspace"
net=mlp-784-100-100-10
py() { /usr/bin/python3 "$here/experiments/pytorch_mlp.py" "$@"; }
field() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# dnnspace training: one epoch of 10,000 samples at batch 1, one full epoch at batch 64.
"$cli" train --network $net --epochs 1 --batch 1 --lr 0.01 --train-limit 10000 --test-limit 100 \
  --threads $threads --json "$work/t1.json" >/dev/null
"$cli" train --network $net --epochs 1 --batch 64 --lr 0.1 --threads $threads \
  --json "$work/t64.json" --weights "$work/w.bin" >/dev/null
d_t1=$(field "$work/t1.json" 'd["epochs"][0]["samples_per_second"]')
d_t64=$(field "$work/t64.json" 'd["epochs"][0]["samples_per_second"]')

# dnnspace inference over the 10,000 test images, fp32 and under hardware numerics.
cat >"$work/fixed.yaml" <<'YAML'
default: {arithmetic: fixed, weights: Q2.6, activations: Q2.4, products: Q2.7}
YAML
cat >"$work/fixed16.yaml" <<'YAML'
default: {arithmetic: fixed, weights: Q6.10, activations: Q6.10, products: Q12.20}
YAML
cat >"$work/int8.yaml" <<'YAML'
default: {arithmetic: int8, granularity: per-channel}
YAML
infer() {  # batch numerics-file-or-empty -> images/s
  local extra=()
  if [ -n "$2" ]; then extra=(--numerics "$2"); fi
  "$cli" infer --network $net --weights "$work/w.bin" --batch "$1" --threads $threads "${extra[@]}" \
    --json "$work/i.json" >/dev/null
  field "$work/i.json" 'd["images_per_second"]'
}
d_i1=$(infer 1 "")
d_i1000=$(infer 1000 "")
d_fx1=$(infer 1 "$work/fixed.yaml")
d_fx1000=$(infer 1000 "$work/fixed.yaml")
d_fw1000=$(infer 1000 "$work/fixed16.yaml")
d_q1000=$(infer 1000 "$work/int8.yaml")

# PyTorch, same threads: 2,000 steps at batch 1, ~20,000 samples at batch 64.
py bench --threads $threads --train-batches 1 --infer-batches 1,1000 --train-samples 2000 --json "$work/p1.json" >/dev/null
py bench --threads $threads --train-batches 64 --infer-batches 1000 --train-samples 20000 --json "$work/p64.json" >/dev/null
p_t1=$(field "$work/p1.json" 'd["train_batch_1"]')
p_t64=$(field "$work/p64.json" 'd["train_batch_64"]')
p_i1=$(field "$work/p1.json" 'd["infer_batch_1"]')
p_i1000=$(field "$work/p1.json" 'd["infer_batch_1000"]')

ratio() { /usr/bin/python3 -c "print(f'{float($1) / float($2):.2f}')"; }
fmt() { /usr/bin/python3 -c "print(f'{float($1):,.0f}')"; }
report="$(cat <<EOT

## Training throughput: $net ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $threads threads for both.
Command: \`bench/train_bench.sh $build\` (PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), Debian python3-torch).

| Work | dnnspace (samples/s) | PyTorch (samples/s) | dnnspace / PyTorch |
|---|---|---|---|
| train, batch 1 | $(fmt $d_t1) | $(fmt $p_t1) | $(ratio $d_t1 $p_t1) |
| train, batch 64 | $(fmt $d_t64) | $(fmt $p_t64) | $(ratio $d_t64 $p_t64) |
| infer fp32, batch 1 | $(fmt $d_i1) | $(fmt $p_i1) | $(ratio $d_i1 $p_i1) |
| infer fp32, batch 1000 | $(fmt $d_i1000) | $(fmt $p_i1000) | $(ratio $d_i1000 $p_i1000) |

| dnnspace inference under numerics (10k test images) | images/s | fp32 / this |
|---|---|---|
| fixed Q2.6/Q2.4/Q2.7 (narrow kernel), batch 1 | $(fmt $d_fx1) | $(ratio $d_i1 $d_fx1) |
| fixed Q2.6/Q2.4/Q2.7 (narrow kernel), batch 1000 | $(fmt $d_fx1000) | $(ratio $d_i1000 $d_fx1000) |
| fixed Q6.10/Q6.10/Q12.20 (wide int64 kernel), batch 1000 | $(fmt $d_fw1000) | $(ratio $d_i1000 $d_fw1000) |
| int8 per-channel, batch 1000 | $(fmt $d_q1000) | $(ratio $d_i1000 $d_q1000) |
EOT
)"
echo "$report"
if [ ! -f "$here/bench/RESULTS.md" ]; then echo "# Benchmark results" >"$here/bench/RESULTS.md"; fi
echo "$report" >>"$here/bench/RESULTS.md"
