#!/usr/bin/env bash
# Runs every model benchmark built in the build directory $1 and prints the results.
#
# Usage: bash bench/run.sh BUILD_DIR [google-benchmark flags...]
# e.g.   bash bench/run.sh build-bench --benchmark_repetitions=5
# Extra flags go to every benchmark; with none, each case runs 5 times and only the
# mean/median/stddev rows are printed, because single runs on shared cores are noisy.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: bash bench/run.sh BUILD_DIR [benchmark flags...]" >&2
  exit 2
fi
build_dir=$1
shift
if [[ $# -eq 0 ]]; then
  set -- --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
fi

bench_src_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
found=0
# One executable per bench/*_bench.cpp, as CMakeLists.txt builds them.
for src in "$bench_src_dir"/*_bench.cpp; do
  name=$(basename "$src" .cpp)
  exe=$build_dir/$name
  if [[ ! -x $exe ]]; then
    echo "bench/run.sh: $exe not built (configure with -DDNNSPACE_BENCH=ON and build it)" >&2
    exit 1
  fi
  echo "== $name"
  "$exe" "$@"
  found=1
done
if [[ $found -eq 0 ]]; then
  echo "bench/run.sh: no bench/*_bench.cpp found" >&2
  exit 1
fi
