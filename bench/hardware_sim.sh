#!/usr/bin/env bash
# Simulates a larger generated accelerator than the test suite does: a 16x16 C|K systolic
# array (004 Fig. 4c) on a 32->32-channel 8x8 3x3 convolution, and compares the RTL's cycles
# and DRAM words with `dnnspace evaluate` (docs/hardware.md). Prints the time of each step.
#   bash bench/hardware_sim.sh [BUILD_DIR]      (default: build; needs verilator)
set -euo pipefail
build=${1:-build}
dnnspace="$build/dnnspace"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/arch.yaml" <<'YAML'
architecture:
  name: ck-systolic-16x16
  word_bits: 8
  technology: interstellar-28nm
  levels:
    - name: DRAM
      kind: dram
      word_bits: {inputs: 8, weights: 8, outputs: 32}
    - name: GlobalBuffer
      kind: sram
      capacity: 32KB
      word_bits: {inputs: 8, weights: 8, outputs: 32}
    - name: WeightReg
      kind: regfile
      capacity: 1B
      holds: [weights]
  array: {rows: 16, cols: 16, below: GlobalBuffer, timing: systolic}
YAML
cat >"$work/layer.yaml" <<'YAML'
layer: {name: conv32, type: conv, N: 1, K: 32, C: 32, P: 8, Q: 8, R: 3, S: 3, stride: 1, pad: 1}
YAML
cat >"$work/mapping.yaml" <<'YAML'
mapping:
  - level: DRAM
    temporal: []
  - level: GlobalBuffer
    temporal: [K: 2, C: 2, R: 3, S: 3]
    spatial: {rows: [C: 16], cols: [K: 16]}
  - level: WeightReg
    temporal: [P: 8, Q: 8]
YAML
inputs="--arch $work/arch.yaml --layer $work/layer.yaml --mapping $work/mapping.yaml"

seconds() { date +%s.%N; }
t0=$(seconds)
"$dnnspace" generate $inputs --out "$work/design" >/dev/null
t1=$(seconds)
# Random operands: 32 x 10 x 10 inputs (padded plane), 32 x 32 x 3 x 3 weights.
head -c 3200 /dev/urandom | od -An -v -tx1 -w1 | tr -d ' ' >"$work/design/inputs.hex"
head -c 9216 /dev/urandom | od -An -v -tx1 -w1 | tr -d ' ' >"$work/design/weights.hex"
cd "$work/design"
rtl="dnnspace_pe.v dnnspace_bank.v dnnspace_systolic_array.v dnnspace_systolic_ctrl.v dnnspace_systolic_accel.v dnnspace_accel_top.v"
verilator --binary -j 2 --top-module dnnspace_tb $rtl dnnspace_tb.sv >verilator.log 2>&1
t2=$(seconds)
obj_dir/Vdnnspace_tb >sim.log
t3=$(seconds)
cd - >/dev/null
model=$("$dnnspace" evaluate $inputs)
echo "generate: $(awk "BEGIN{print $t1 - $t0}") s, verilate: $(awk "BEGIN{print $t2 - $t1}") s, simulate: $(awk "BEGIN{print $t3 - $t2}") s"
grep -E "^(cycles|macs|access 0)" "$work/design/result.txt"
echo "model:"
echo "$model" | grep -E "^(cycles|compute cycles|fill and drain)|^DRAM "
