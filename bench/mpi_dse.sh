#!/usr/bin/env bash
# A 64-point dse sweep (AlexNet, batch 16, eyeriss; rf x gb, 8 x 8) run side by side, in
# one run, as
#   1 process, 1 thread | mpirun -np 2, 1 thread each | 1 process, 2 threads
#   | mpirun -np 2 without --threads (the ranks share the cores: 1 thread each)
# and, for one large layer (AlexNet CONV3, batch 16, --replication 2: the mapspace split
# over the ranks), 1 process vs mpirun -np 2, both 1 thread per rank.
# Prints one Markdown table: wall seconds, speed-up over the first row of its group, and
# whether the outputs (table and JSON) are byte-identical to the first row's.
# Usage: bash bench/mpi_dse.sh [BUILD_DIR]   (default: build; needs the dnnspace target)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
cli="$build/dnnspace"
[[ -x $cli ]] || { echo "bench/mpi_dse.sh: $cli not built (ninja -C $build dnnspace)" >&2; exit 1; }
command -v mpirun > /dev/null || { echo "bench/mpi_dse.sh: mpirun missing (scripts/install-deps installs openmpi-bin)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sweep=(dse --network alexnet --batch 16 --sweep rf=16,24,32,48,64,96,128,256 --sweep gb=32K,48K,64K,96K,128K,192K,256K,512K)
layer=(optimize --network alexnet --batch 16 --layer conv3 --replication 2)

echo "| run | wall (s) | speed-up | same output |"
echo "| --- | ---: | ---: | --- |"
run() {  # name group launcher... -- args...
  local name=$1 group=$2
  shift 2
  local start end
  start=$(date +%s.%N)
  "$@" --json "$work/$name.json" > "$work/$name.txt"
  end=$(date +%s.%N)
  local wall
  wall=$(/usr/bin/python3 -c "print(f'{$end - $start:.1f}')")
  if [[ ! -f $work/$group.first ]]; then
    echo "$wall" > "$work/$group.first"
    cp "$work/$name.json" "$work/$group.json"
    cp "$work/$name.txt" "$work/$group.txt"
  fi
  local first speedup same=yes
  first=$(cat "$work/$group.first")
  speedup=$(/usr/bin/python3 -c "print(f'{$first / $wall:.2f}x')")
  cmp -s "$work/$name.json" "$work/$group.json" && cmp -s "$work/$name.txt" "$work/$group.txt" || same=NO
  echo "| $name | $wall | $speedup | $same |"
}
run "64 points, 1 process, 1 thread" sweep "$cli" "${sweep[@]}" --threads 1
run "64 points, mpirun -np 2, 1 thread each" sweep mpirun -np 2 "$cli" "${sweep[@]}" --threads 1
run "64 points, 1 process, 2 threads" sweep "$cli" "${sweep[@]}" --threads 2
run "64 points, mpirun -np 2 (cores shared: 1 thread each)" sweep mpirun -np 2 "$cli" "${sweep[@]}"
run "CONV3 replication 2, 1 process, 1 thread" layer "$cli" "${layer[@]}" --threads 1
run "CONV3 replication 2, mpirun -np 2, 1 thread each" layer mpirun -np 2 "$cli" "${layer[@]}" --threads 1
run "CONV3 replication 2, 1 process, 2 threads" layer "$cli" "${layer[@]}" --threads 2
