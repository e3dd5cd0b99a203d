#!/usr/bin/env bash
# Training and inference throughput of mlp-784-100-100-10 on Fashion-MNIST, dnnspace vs
# PyTorch on the same work and thread count; appends the run to bench/RESULTS.md.
# Usage: bench/train_bench.sh [BUILD_DIR]
# PyTorch runs at its best available here: Debian's python3-torch calls the system BLAS
# (libblas.so.3), which is the slow netlib reference unless an optimised one is installed, so
# the script installs OpenBLAS (libopenblas0-openmp: OpenMP threads, which torch.set_num_threads
# controls) and checks that torch loads it. dnnspace links the pthread OpenBLAS from its own
# directory (RUNPATH; docs/engine.md), so the alternative selected here does not change its BLAS.
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

apt_install() {
  local sudo_cmd=(); if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then echo "installing python3-torch"; apt_install python3-torch python3-numpy; fi
if ! dpkg-query -W -f='${Status}' libopenblas0-openmp 2>/dev/null | grep -q 'ok installed'; then
  echo "installing libopenblas0-openmp"; apt_install libopenblas0-openmp
fi
# Installing it makes OpenBLAS the libblas.so.3 alternative in auto mode; a manual choice of
# another one stays, so name OpenBLAS explicitly when it is not the current one.
blas_alt=libblas.so.3-x86_64-linux-gnu
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
if [ "$(update-alternatives --query $blas_alt | sed -n 's/^Value: //p')" != "$openblas" ]; then
  echo "selecting OpenBLAS for $blas_alt"
  sudo_cmd=(); if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" update-alternatives --set $blas_alt $openblas
  "${sudo_cmd[@]}" update-alternatives --set liblapack.so.3-x86_64-linux-gnu \
    /usr/lib/x86_64-linux-gnu/openblas-openmp/liblapack.so.3
fi
# Which BLAS torch really loads (torch.__config__.show() prints the build's BLAS_INFO=generic
# whatever is installed), and a 1024^3 sgemm on $threads threads as the proof.
torch_blas=$(/usr/bin/python3 - $threads <<'PY'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
a @ b
start = time.perf_counter()
for _ in range(5):
    a @ b
seconds = (time.perf_counter() - start) / 5
libs = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in open("/proc/self/maps") if "blas" in line})
print(f"{', '.join(libs)}; sgemm 1024^3 {2 * 1024 ** 3 / seconds / 1e9:.1f} GFLOP/s")
PY
)
case "$torch_blas" in
  *openblas*) ;;
  *) echo "torch does not load OpenBLAS ($torch_blas); see update-alternatives --display $blas_alt" >&2; exit 1 ;;
esac
echo "torch BLAS: $torch_blas"

load=$(cut -d' ' -f1-3 /proc/loadavg)

# dnnspace training: one epoch of 10,000 samples at batch 1, one full epoch at batch 64; the
# best of 3 runs each (the machine may be shared; PyTorch gets the best of 4 settings below).
d_t1=0
d_t64=0
for _ in 1 2 3; do
  "$cli" train --network $net --epochs 1 --batch 1 --lr 0.01 --train-limit 10000 --test-limit 100 \
    --threads $threads --json "$work/t1.json" >/dev/null
  "$cli" train --network $net --epochs 1 --batch 64 --lr 0.1 --threads $threads \
    --json "$work/t64.json" --weights "$work/w.bin" >/dev/null
  d_t1=$(/usr/bin/python3 -c "print(max($d_t1, $(field "$work/t1.json" 'd["epochs"][0]["samples_per_second"]')))")
  d_t64=$(/usr/bin/python3 -c "print(max($d_t64, $(field "$work/t64.json" 'd["epochs"][0]["samples_per_second"]')))")
done

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
infer() {  # batch numerics-file-or-empty -> images/s, the best of 3 passes (a pass is short)
  local extra=() best=0 rate
  if [ -n "$2" ]; then extra=(--numerics "$2"); fi
  for _ in 1 2 3; do
    "$cli" infer --network $net --weights "$work/w.bin" --batch "$1" --threads $threads "${extra[@]}" \
      --json "$work/i.json" >/dev/null
    rate=$(field "$work/i.json" 'd["images_per_second"]')
    best=$(/usr/bin/python3 -c "print(max($best, $rate))")
  done
  echo "$best"
}
d_i1=$(infer 1 "")
d_i1000=$(infer 1000 "")
d_fx1=$(infer 1 "$work/fixed.yaml")
d_fx1000=$(infer 1000 "$work/fixed.yaml")
d_fw1=$(infer 1 "$work/fixed16.yaml")
d_fw1000=$(infer 1000 "$work/fixed16.yaml")
d_q1000=$(infer 1000 "$work/int8.yaml")

# PyTorch at its best on at most $threads threads: 2,000 steps at batch 1, ~20,000 samples at
# batch 64, inference the best of 3 passes like dnnspace's; each measured with 1 and $threads
# OpenMP threads and with OpenMP's default and passive waiting (on a shared machine spinning
# threads can lose most of their time), and the best of the four kept per row.
for t in 1 $threads; do
  for wait in default passive; do
    env_cmd=(env); if [ $wait = passive ]; then env_cmd=(env OMP_WAIT_POLICY=PASSIVE); fi
    "${env_cmd[@]}" /usr/bin/python3 "$here/experiments/pytorch_mlp.py" bench --threads $t --train-batches 1 \
      --infer-batches 1,1000 --train-samples 2000 --json "$work/p1_${t}_$wait.json" >/dev/null
    "${env_cmd[@]}" /usr/bin/python3 "$here/experiments/pytorch_mlp.py" bench --threads $t --train-batches 64 \
      --infer-batches 1000 --train-samples 20000 --json "$work/p64_${t}_$wait.json" >/dev/null
  done
done
best() {  # file prefix, key -> "value (threads, wait)"
  /usr/bin/python3 - "$work" "$1" "$2" <<'PY'
import glob, json, os, sys
work, prefix, key = sys.argv[1:]
runs = [(json.load(open(f))[key], os.path.basename(f)[len(prefix) + 1:-5].split("_")) for f in glob.glob(f"{work}/{prefix}_*.json")]
value, (t, wait) = max(runs)
print(f"{value} {t}t-{wait}")
PY
}
read -r p_t1 p_t1_cfg <<<"$(best p1 train_batch_1)"
read -r p_t64 p_t64_cfg <<<"$(best p64 train_batch_64)"
read -r p_i1 p_i1_cfg <<<"$(best p1 infer_batch_1)"
read -r p_i1000 p_i1000_cfg <<<"$(best p1 infer_batch_1000)"

ratio() { /usr/bin/python3 -c "print(f'{float($1) / float($2):.2f}')"; }
fmt() { /usr/bin/python3 -c "print(f'{float($1):,.0f}')"; }
report="$(cat <<EOT

## Training throughput: $net ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); dnnspace on $threads threads, PyTorch on 1 or $threads.
Command: \`bench/train_bench.sh $build\` (PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), Debian python3-torch).
PyTorch's BLAS: $torch_blas. Load average before the run: $load.
dnnspace fixed-point kernel: $(if grep -qw avx512bw /proc/cpuinfo; then echo "AVX-512BW (runtime dispatch)"; elif grep -qw avx2 /proc/cpuinfo; then echo "AVX2 (runtime dispatch)"; else echo portable; fi).

| Work | dnnspace, $threads threads (samples/s) | PyTorch, best of 1/$threads threads x OpenMP wait (samples/s) | dnnspace / PyTorch |
|---|---|---|---|
| train, batch 1 | $(fmt $d_t1) | $(fmt $p_t1) ($p_t1_cfg) | $(ratio $d_t1 $p_t1) |
| train, batch 64 | $(fmt $d_t64) | $(fmt $p_t64) ($p_t64_cfg) | $(ratio $d_t64 $p_t64) |
| infer fp32, batch 1 | $(fmt $d_i1) | $(fmt $p_i1) ($p_i1_cfg) | $(ratio $d_i1 $p_i1) |
| infer fp32, batch 1000 | $(fmt $d_i1000) | $(fmt $p_i1000) ($p_i1000_cfg) | $(ratio $d_i1000 $p_i1000) |

| dnnspace inference under numerics (10k test images) | images/s | fp32 / this |
|---|---|---|
| fixed Q2.6/Q2.4/Q2.7 (int16 product lanes), batch 1 | $(fmt $d_fx1) | $(ratio $d_i1 $d_fx1) |
| fixed Q2.6/Q2.4/Q2.7 (int16 product lanes), batch 1000 | $(fmt $d_fx1000) | $(ratio $d_i1000 $d_fx1000) |
| fixed Q6.10/Q6.10/Q12.20 (int32 product lanes, int64 sums), batch 1 | $(fmt $d_fw1) | $(ratio $d_i1 $d_fw1) |
| fixed Q6.10/Q6.10/Q12.20 (int32 product lanes, int64 sums), batch 1000 | $(fmt $d_fw1000) | $(ratio $d_i1000 $d_fw1000) |
| int8 per-channel, batch 1000 | $(fmt $d_q1000) | $(ratio $d_i1000 $d_q1000) |
EOT
)"
echo "$report"
if [ ! -f "$here/bench/RESULTS.md" ]; then echo "# Benchmark results" >"$here/bench/RESULTS.md"; fi
echo "$report" >>"$here/bench/RESULTS.md"
