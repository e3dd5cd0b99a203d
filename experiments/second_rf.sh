#!/usr/bin/env bash
# 004 Fig. 13 (Sec. VI-B): a second per-PE register file (levels=+rf2) on AlexNet, batch 16,
# C|K on every layer, normalized to one register file of the optimal size (64 B, as 004
# normalizes) with the same global buffer; savings per layer, CONV against FC.
# Usage: experiments/second_rf.sh [BUILD_DIR] [OUT_DIR] [RF_SIZES] [RF2_SIZES] [GB_SIZE]
#   defaults: build, experiments/out/second_rf, 8,16,32, 64..512, 512K (004: "the optimal
#   global buffer sizes are both 512 KB"; its optimal pairs are 8 B/128 B and 8 or 16 B/256 B)
# Utilization floor MIN_UTIL (default 0.75, see memory_sizing.sh: conv1 has no C|K mapping).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/experiments/out/second_rf}"
rf="${3:-8,16,32}"
rf2="${4:-64..512}"
gb="${5:-512K}"
min_util="${MIN_UTIL:-0.75}"
mkdir -p "$out"
common=(--network alexnet --batch 16 --base eyeriss --dataflow "C|K" --min-util "$min_util" --threads 2)
"$build/dnnspace" dse "${common[@]}" --sweep rf=64 --sweep "gb=$gb" \
  --json "$out/one_rf.json" --csv "$out/one_rf.csv" >"$out/one_rf.txt"
"$build/dnnspace" dse "${common[@]}" --sweep levels=+rf2 --sweep "rf=$rf" --sweep "rf2=$rf2" --sweep "gb=$gb" \
  --json "$out/two_rf.json" --csv "$out/two_rf.csv" >"$out/two_rf.txt"
/usr/bin/python3 - "$out/one_rf.json" "$out/two_rf.json" <<'PY'
import json, sys
one = json.load(open(sys.argv[1]))["points"][0]
two = json.load(open(sys.argv[2]))["points"]
def layers(p): return {l["name"]: l["energy_pj"] for l in p["layers"] if l["found"]}
base = layers(one)
conv = [n for n in base if n.startswith("conv")]
fc = [n for n in base if n.startswith("fc")]
def part(p, names): return sum(layers(p)[n] for n in names)
print(f"one register file, 64 B: {one['energy_pj'] / 1e6:.1f} uJ "
      f"(CONV {part(one, conv) / 1e6:.1f}, FC {part(one, fc) / 1e6:.1f}; layers mapped {one['layers_mapped']})")
print("improvement = energy(one RF, 64 B) / energy(two RFs); 004 Fig. 13: CONV > 1.3 (more than 30%), overall about 1.25")
print(f"{'point':<28}{'total uJ':>10}{'overall':>9}{'CONV':>7}{'FC':>7}  " + " ".join(f"{n:>6}" for n in base))
for p in two:
    l = layers(p)
    if set(l) != set(base):
        print(f"{p['label']:<28} layers mapped differ: {sorted(l)}"); continue
    print(f"{p['label']:<28}{p['energy_pj'] / 1e6:>10.1f}{one['energy_pj'] / p['energy_pj']:>8.3f}x"
          f"{part(one, conv) / part(p, conv):>6.3f}x{part(one, fc) / part(p, fc):>6.3f}x  "
          + " ".join(f"{base[n] / l[n]:>6.3f}" for n in base))
best = min(two, key=lambda p: p["energy_pj"])
print(f"best two-RF point: {best['label']}, overall {one['energy_pj'] / best['energy_pj']:.3f}x, "
      f"CONV savings {1 - part(best, conv) / part(one, conv):.1%}, FC savings {1 - part(best, fc) / part(one, fc):.1%}")
PY
