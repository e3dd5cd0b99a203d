#!/usr/bin/env bash
# Mapper speed (issue 3): times `dnnspace optimize` side by side, in one run, on
#   - AlexNet, every layer, batch 16, eyeriss, dataflow C|K   (target: < 10 s)
#   - ResNet-50, all 54 layers, batch 16, eyeriss, C|K        (target: < 60 s)
#   - AlexNet CONV3, batch 16, eyeriss, all 21 two-loop dataflows (target: < 30 s)
# each with 1 and 2 threads, and prints one Markdown table: wall and CPU seconds, peak
# RSS (/usr/bin/time -v), mappings evaluated, mappings evaluated per second per core
# (evaluated / wall / threads, and evaluated / CPU second, which other load on the cores
# does not change), the 2-thread speed-up, and whether both thread counts gave the same
# energy (they must: the mapper is deterministic).
#
#   - AlexNet CONV3, batch 4 and 16, eyeriss-256pe, R|P at --min-util 0 (003's setting)
#
# Usage: bash bench/mapper_bench.sh [BUILD_DIR]   (default: build; needs the dnnspace target)
# Environment: MAPPER_BENCH_CASES=REGEX runs only the cases whose name matches;
# MAPPER_BENCH_BASELINE=PATH also runs each case with another dnnspace binary (e.g. the
# one built from main, copied aside), right after this one, as "baseline" rows.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
cli="$build/dnnspace"
if [[ ! -x $cli ]]; then
  echo "bench/mapper_bench.sh: $cli not built (ninja -C $build dnnspace)" >&2
  exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench/mapper_bench.sh: /usr/bin/time missing (bash scripts/install-deps installs package 'time')" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
field() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
timefield() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }

cases=(
  "alexnet-CK|--arch eyeriss --network alexnet --batch 16 --dataflow C|K"
  "resnet50-CK|--arch eyeriss --network resnet50 --batch 16 --dataflow C|K"
  "alexnet-conv3-21df|--arch eyeriss --network alexnet --batch 16 --layer conv3"
  "alexnet-conv3-RP-floor0-b4|--arch $here/experiments/arch/eyeriss-256pe.yaml --network alexnet --batch 4 --layer conv3 --dataflow R|P --min-util 0"
  "alexnet-conv3-RP-floor0-b16|--arch $here/experiments/arch/eyeriss-256pe.yaml --network alexnet --batch 16 --layer conv3 --dataflow R|P --min-util 0"
)
binaries=("$cli")
labels=("this")
if [[ -n ${MAPPER_BENCH_BASELINE:-} ]]; then
  binaries+=("$MAPPER_BENCH_BASELINE")
  labels+=("baseline")
fi

echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); nproc: $(nproc); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | binary | threads | wall s | CPU s (user+sys) | peak RSS MB | mappings evaluated | evaluated / wall s / core | evaluated / CPU s | speed-up 1->2 (wall) | same energy |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for entry in "${cases[@]}"; do
  name=${entry%%|*}
  [[ $name =~ ${MAPPER_BENCH_CASES:-.} ]] || continue
  read -r -a args <<<"${entry#*|}"
  for b in "${!binaries[@]}"; do
  declare -A wall=() energy=()
  for threads in 1 2; do
    json="$work/$name-$b-$threads.json"
    times="$work/$name-$b-$threads.time"
    /usr/bin/time -v "${binaries[$b]}" optimize "${args[@]}" --threads "$threads" --json "$json" \
      >/dev/null 2>"$times"
    elapsed=$(timefield "$times" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')
    wall[$threads]=$(/usr/bin/python3 -c "import sys; p=sys.argv[1].split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))" "$elapsed")
    cpu=$(/usr/bin/python3 -c "import sys; print(float(sys.argv[1])+float(sys.argv[2]))" \
      "$(timefield "$times" 'User time (seconds)')" "$(timefield "$times" 'System time (seconds)')")
    rss_mb=$(( $(timefield "$times" 'Maximum resident set size (kbytes)') / 1024 ))
    evaluated=$(field "$json" 'd["total"]["mappings_evaluated"]')
    energy[$threads]=$(field "$json" 'repr(d["total"]["energy_pj"])')
    rate=$(/usr/bin/python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2])/int(sys.argv[3]):,.0f}')" \
      "$evaluated" "${wall[$threads]}" "$threads")
    cpu_rate=$(/usr/bin/python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):,.0f}')" "$evaluated" "$cpu")
    speedup="" same=""
    if [[ $threads == 2 ]]; then
      speedup=$(/usr/bin/python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}x')" "${wall[1]}" "${wall[2]}")
      same=$([[ ${energy[1]} == "${energy[2]}" ]] && echo yes || echo "NO (${energy[1]} vs ${energy[2]})")
    fi
    printf '| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s | %s | %s |\n' "$name" "${labels[$b]}" "$threads" \
      "${wall[$threads]}" "$cpu" "$rss_mb" "$evaluated" "$rate" "$cpu_rate" "$speedup" "$same"
    echo "$name ${labels[$b]} $threads ${energy[$threads]}" >>"$work/energies"
  done
  unset wall energy
  done
done
echo
if [[ ${#binaries[@]} -gt 1 ]]; then
  # Both binaries must find the same optimum, bit for bit.
  if awk '{key=$1" "$3; if (key in e && e[key] != $4) bad=1; e[key]=$4} END {exit bad}' "$work/energies"; then
    echo "baseline and this binary: same total energy in every case"
  else
    echo "baseline and this binary: DIFFERENT total energies:"; cat "$work/energies"
  fi
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
