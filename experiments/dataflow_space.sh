#!/usr/bin/env bash
# 004 (Yang et al.) Sec. VI-A, Fig. 7-8, Observation 1: every one-loop-per-axis U|V dataflow
# of AlexNet CONV3 and MobileNet CONV14 (depthwise) / CONV15 (pointwise), each with its
# energy-optimal blocking at utilization >= 75%, on the three hardware configurations of
# Fig. 7: eyeriss (blue, 512 B RF, per-hop array), eyeriss-flat (red, "global" array costs)
# and eyeriss-64b (green, 64 B RF). Batch 16.
# 004 numbers MobileNet's layers 1..27 (conv1, then dw/pw alternating), so its CONV14 is the
# zoo's conv_dw_7 and CONV15 is conv_pw_7 (the first 14x14x512 pair).
# Usage: experiments/dataflow_space.sh [BUILD_DIR] [OUT_DIR]
# REPLICATION (environment, 1 by default) allows up to that many loops per array axis
# (`dataflows --replication`, 004 Sec. III-C: 651 dataflows of a CONV layer with 2); the
# default OUT_DIR is then experiments/out/dataflow_space_rREPLICATION.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
replication="${REPLICATION:-1}"
suffix=""; [ "$replication" = 1 ] || suffix="_r$replication"
out="${2:-$here/experiments/out/dataflow_space$suffix}"
rep=(); [ "$replication" = 1 ] || rep=(--replication "$replication")
mkdir -p "$out"
cli="$build/dnnspace"
layers="alexnet/conv3 mobilenet/conv_dw_7 mobilenet/conv_pw_7"
archs="eyeriss eyeriss-flat eyeriss-64b"
for layer in $layers; do
  for arch in $archs; do
    f="$out/$(echo "$layer" | tr / _)__$arch.json"
    echo "running dataflows --layer $layer --arch $arch" >&2
    "$cli" dataflows --arch "$arch" --layer "$layer" --batch 16 "${rep[@]}" --threads 2 --json "$f" >"${f%.json}.txt"
  done
done
# The figure of docs/experiments.md (004 Fig. 7-8's view of AlexNet CONV3 on eyeriss).
if [ "$replication" = 1 ]; then
  "$cli" plot "$out/alexnet_conv3__eyeriss.json" --out "$here/docs/figures/dataflows-alexnet-conv3-eyeriss.svg" >&2
fi
/usr/bin/python3 - "$out" $layers -- $archs <<'PY'
import json, statistics, sys
out = sys.argv[1]
rest = sys.argv[2:]
sep = rest.index("--")
layers, archs = rest[:sep], rest[sep + 1:]
print(f"{'layer':22} {'arch':13} {'found':>5} {'best pJ':>14} {'best':>6} {'worst/best':>10} {'median/best':>11}"
      f" {'<=5%':>5} {'<=10%':>5} {'<=20%':>5} {'<=50%':>5}")
for layer in layers:
    for arch in archs:
        d = json.load(open(f"{out}/{layer.replace('/', '_')}__{arch}.json"))
        e = [x for x in d["dataflows"] if x["found"]]
        en = sorted(x["energy_pj"] for x in e)
        best = en[0]
        r = [v / best for v in en]
        within = lambda p: sum(1 for v in r if v <= 1 + p / 100 + 1e-12)
        print(f"{layer:22} {arch:13} {len(e):>2}/{d['dataflows_total']:<2} {best:>14,.0f} {e[0]['dataflow']:>6}"
              f" {r[-1]:>10.3f} {statistics.median(r):>11.3f} {within(5):>5} {within(10):>5} {within(20):>5} {within(50):>5}")
PY
