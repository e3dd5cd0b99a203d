#!/usr/bin/env bash
# 004 Fig. 11 (Sec. VI-B): AlexNet, all layers (CONV and FC), batch 16, dataflow C|K on
# every layer; total energy against the per-PE register file size for several global
# buffer sizes, everything else as the eyeriss preset (16x16 PEs, 004 Table IV energies).
# Usage: experiments/memory_sizing.sh [BUILD_DIR] [OUT_DIR] [RF_SIZES] [GB_SIZES]
#   defaults: build, experiments/out/memory_sizing, 16..512, 64K,128K,256K,512K,1M
# NETWORK (environment, default alexnet) runs the same grid on another network at batch 16
# (Fig. 14's CNNs: the one-register-file part of the auto-optimizer's space, exhaustively);
# the default OUT_DIR is then experiments/out/memory_sizing_NETWORK.
# Utilization floor MIN_UTIL (environment, default 0.75 as 004 Sec. VI-A): with C|K fixed,
# conv1 (C = 3) fills at most 3 of the 16 rows, so dse maps it with C and one more loop on
# the rows (its --fallback replicate default, docs/cli.md; listed in dse.txt).
# Prints the energy table (uJ) and the ratios 004 states.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
network="${NETWORK:-alexnet}"
suffix=""; [ "$network" = alexnet ] || suffix="_$network"
out="${2:-$here/experiments/out/memory_sizing$suffix}"
rf="${3:-16..512}"
gb="${4:-64K,128K,256K,512K,1M}"
min_util="${MIN_UTIL:-0.75}"
mkdir -p "$out"
"$build/dnnspace" dse --network "$network" --batch 16 --base eyeriss --dataflow "C|K" --min-util "$min_util" \
  --sweep "rf=$rf" --sweep "gb=$gb" --threads 2 --json "$out/dse.json" --csv "$out/dse.csv" \
  >"$out/dse.txt"
# The figure of docs/experiments.md (004 Fig. 11), for the default grid.
if [ "$network" = alexnet ] && [ "$rf" = 16..512 ] && [ "$gb" = 64K,128K,256K,512K,1M ] && [ "$min_util" = 0.75 ]; then
  "$build/dnnspace" plot "$out/dse.json" --out "$here/docs/figures/memory-sizing-alexnet.svg" >&2
fi
/usr/bin/python3 - "$out/dse.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e, pts, rfs, gbs = {}, {}, [], []
for p in d["points"]:
    lv = {l["name"]: l["capacity_bytes"] for l in p["levels"]}
    r, g = lv["RegFile"], lv["GlobalBuffer"]
    if r not in rfs: rfs.append(r)
    if g not in gbs: gbs.append(g)
    e[r, g] = (p["energy_pj"], p["complete"], p["level_energy_pj"])
    pts[r, g] = p
kb = lambda b: f"{b // 1024}KB" if b >= 1024 else f"{b}B"
print("total energy, uJ (the layers mapped, C|K), rows RF, columns global buffer")
print("RF    " + "".join(f"{kb(g):>11}" for g in gbs))
for r in rfs:
    print(f"{kb(r):<6}" + "".join(f"{e[r, g][0] / 1e6:>10.1f}" + (" " if e[r, g][1] else "*") for g in gbs))
print("(* = some layer without a mapping)")
base = (512, 128 * 1024)
if base in e:
    b = e[base][0]
    print(f"\ngain over eyeriss (RF 512 B, GB 128 KB = {b / 1e6:.1f} uJ), energy(eyeriss) / energy(point):")
    print("RF    " + "".join(f"{kb(g):>11}" for g in gbs))
    for r in rfs:
        print(f"{kb(r):<6}" + "".join(f"{b / e[r, g][0]:>10.2f}x" for g in gbs))
    g0 = base[1]
    for r in (32, 64):
        if (r, g0) in e:
            print(f"RF {r} B at GB 128 KB: {b / e[r, g0][0]:.2f}x (004: 2.6x for 32 B or 64 B)")
    best = min(e, key=lambda k: e[k][0])
    print(f"best point: RF {kb(best[0])}, GB {kb(best[1])}: {b / e[best][0]:.2f}x")
print("\nper global buffer, best RF and the gain over the previous (smaller) buffer:")
prev = None
for g in gbs:
    r = min(rfs, key=lambda r: e[r, g][0])
    step = "" if prev is None else f", {prev / e[r, g][0]:.3f}x over the previous buffer's best"
    print(f"GB {kb(g):>6}: best RF {kb(r)} = {e[r, g][0] / 1e6:.1f} uJ{step}")
    prev = e[r, g][0]
print("\nCONV and FC layers (uJ) and the RF 512 B / RF 64 B ratio of each part:")
for g in gbs:
    part = {}
    for r in rfs:
        ls = [l for l in pts[r, g]["layers"] if l["found"]]
        part[r] = (sum(l["energy_pj"] for l in ls if l["name"].startswith("conv")),
                   sum(l["energy_pj"] for l in ls if l["name"].startswith("fc")))
        print(f"GB {kb(g):>6} RF {kb(r):<5} CONV {part[r][0] / 1e6:10.1f}  FC {part[r][1] / 1e6:10.1f}")
    if 512 in part and 64 in part:
        print(f"GB {kb(g):>6}: CONV {part[512][0] / part[64][0]:.2f}x, FC {part[512][1] / part[64][1]:.2f}x")
print("\nlevel breakdown (uJ) at GB 128 KB:")
for r in rfs:
    if (r, 128 * 1024) in e:
        lv = e[r, 128 * 1024][2]
        print(f"RF {kb(r):<5} " + "  ".join(f"{k} {v / 1e6:.1f}" for k, v in lv.items()))
PY
