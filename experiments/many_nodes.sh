#!/usr/bin/env bash
# 000 Table I in kind (docs/platforms.md, "Many nodes"): a training step of AlexNet (batch
# 16, model parallel as DaDianNao and Coates et al. split their networks) on FPGA
# (vc707) and GPU (gtx680, Coates et al.'s) nodes at 1, 9 and 64, and on DaDianNao-like
# ASIC nodes at 64; then DaDianNao-like nodes against one K20m GPU (DaDianNao's baseline)
# for inference and training at 1 to 64 nodes. About two minutes on 2 cores.
# Usage: experiments/many_nodes.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/many_nodes}"
mkdir -p "$out"
ddn="$here/examples/arch/dadiannao-like.yaml"
links=(--link-gbps 6.4 --link-latency-us 0.1 --topology mesh)  # DaDianNao's HT 2.0 links, a 2-D mesh
run() {  # NAME ARGS...
  local name=$1
  shift
  "$build/dnnspace" scale "${links[@]}" --threads 2 "$@" --json "$out/$name.json" >"$out/$name.txt"
  echo "== $name ($*)"
  cat "$out/$name.txt"
}
run table1-fpga --arch fpga:vc707 --network alexnet --batch 16 --nodes 1,9,64 --parallel model --training
run table1-gpu --arch gpu:gtx680 --network alexnet --batch 16 --nodes 1,9,64 --parallel model --training
run table1-asic --arch "$ddn" --network alexnet --batch 16 --nodes 64 --parallel model --training --min-util 0.25
# DaDianNao against its K20m baseline, on AlexNet's convolutions (their weights fit one
# node; FC6's do not): the fastest mappings (--objective cycles), any utilization.
convs="$here/examples/networks/alexnet_convs.yaml"
fast=(--objective cycles --min-util 0 --time-limit 2)
run ddn-inference --arch "$ddn" --network "$convs" --batch 1 --nodes 1,4,16,64 --parallel model "${fast[@]}"
run ddn-training --arch "$ddn" --network "$convs" --batch 16 --nodes 1,4,16,64 --parallel model --training "${fast[@]}"
run k20m-inference --arch gpu:k20m --network "$convs" --batch 1 --nodes 1 --parallel model
run k20m-training --arch gpu:k20m --network "$convs" --batch 16 --nodes 1 --parallel model --training
