#!/usr/bin/env bash
# Zhang et al.'s FPGA design space (docs/platforms.md, "Zhang et al.'s engine"): AlexNet's
# convolutions on the VC707 with their chosen <64,7,13,13> beside the best designs, and
# VGG-16 on 004's ZCU102, on the whole part and limited to the 1,030 DSPs of 004 Table VII.
# Usage: experiments/fpga_design_space.sh [BUILD_DIR] [OUT_DIR]
#   defaults: build, experiments/out/fpga; the figures are written to docs/figures/.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/fpga}"
mkdir -p "$out" "$here/docs/figures"
for layer in conv1 conv5; do
  "$build/dnnspace" dse --target fpga:vc707 --network alexnet --design 64,7,13,13 --plot-layer "$layer" \
    --plot "$here/docs/figures/fpga-alexnet-$layer-vc707.svg" --json "$out/alexnet-vc707.json" >"$out/alexnet-vc707.txt"
done
echo "== AlexNet on vc707"
cat "$out/alexnet-vc707.txt"
"$build/dnnspace" dse --target fpga:zcu102 --network vgg16 --json "$out/vgg16-zcu102.json" >"$out/vgg16-zcu102.txt"
echo "== VGG-16 on zcu102"
cat "$out/vgg16-zcu102.txt"
# 004's design used 1,030 DSPs: the same part with only those.
sed -e 's/name: vc707/name: zcu102-1030dsp/' -e 's/dsp_slices: 2800/dsp_slices: 1030/' -e 's/bram_18k: 2060/bram_18k: 1824/' \
    -e 's/luts: 303600/luts: 274080/' -e 's/flip_flops: 607200/flip_flops: 548160/' -e 's/clock_mhz: 100/clock_mhz: 200/' \
    -e 's/dram_bandwidth_gbps: 4.5/dram_bandwidth_gbps: 19.2/' -e 's/word_bits: 32/word_bits: 16/' \
    -e 's/dsp_per_mac: 5/dsp_per_mac: 1/' -e 's/floating_point: true/floating_point: false/' \
    "$here/examples/fpga/vc707.yaml" >"$out/zcu102-1030dsp.yaml"
"$build/dnnspace" dse --target "fpga:$out/zcu102-1030dsp.yaml" --network vgg16 --json "$out/vgg16-zcu102-1030.json" \
  >"$out/vgg16-zcu102-1030.txt"
echo "== VGG-16 on zcu102 with 1,030 DSPs"
cat "$out/vgg16-zcu102-1030.txt"
