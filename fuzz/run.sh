#!/usr/bin/env bash
# Runs the libFuzzer harnesses built in BUILD_DIR, each on a corpus seeded from the
# project's examples, for RUNS inputs (0: no limit) or SECONDS seconds (0: no limit).
# Exits non-zero when a harness finds a crash, a leak or undefined behaviour; the input
# is saved in BUILD_DIR/fuzz-findings/.
#
# Usage: bash fuzz/run.sh BUILD_DIR RUNS SECONDS [HARNESS]
set -euo pipefail
build=$1 runs=$2 seconds=$3 only=${4:-}
here="$(cd "$(dirname "$0")/.." && pwd)"
declare -A seeds=(
  [arch_yaml_fuzz]="$here/examples/arch"
  [workload_yaml_fuzz]="$here/examples/layers $here/examples/networks $here/examples/workloads"
  [mapping_yaml_fuzz]="$here/examples/mappings"
  [numerics_yaml_fuzz]="$here/examples/numerics"
  [fpga_yaml_fuzz]="$here/examples/fpga"
  [schedule_text_fuzz]="$here/examples/schedules $here/examples/hardware"
  [idx_fuzz]="$here/fuzz/corpus/idx"
  [weights_fuzz]="$here/fuzz/corpus/weights"
)
mkdir -p "$build/fuzz-findings"
passed=0
for name in arch_yaml_fuzz workload_yaml_fuzz mapping_yaml_fuzz numerics_yaml_fuzz fpga_yaml_fuzz schedule_text_fuzz idx_fuzz weights_fuzz; do
  [[ -z $only || $only == "$name" ]] || continue
  corpus="$build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  flags=(-rss_limit_mb=2048 -timeout=20 -max_len=8192 -print_final_stats=1
         "-artifact_prefix=$build/fuzz-findings/$name-")
  [[ $runs != 0 ]] && flags+=("-runs=$runs")
  [[ $seconds != 0 ]] && flags+=("-max_total_time=$seconds")
  log="$build/fuzz-findings/$name.log"
  echo "== $name (runs: ${runs/#0/no limit}, seconds: ${seconds/#0/no limit})"
  status=0
  # shellcheck disable=SC2086
  "$build/fuzz/$name" "${flags[@]}" "$corpus" ${seeds[$name]} >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)' "$log" || true
  if [[ $status != 0 ]]; then
    echo "fuzz/run.sh: $name failed (exit $status): see $log; the input is in $build/fuzz-findings/" >&2
    echo "fuzz: $passed passed, 1 failed"
    exit 1
  fi
  passed=$((passed + 1))
done
echo "fuzz: $passed passed, 0 failed"
