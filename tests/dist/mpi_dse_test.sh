#!/usr/bin/env bash
# dse and optimize under mpirun: the same table, JSON, CSV and checkpoint records with 1,
# 2 and 4 ranks (4 oversubscribed on a 2-core machine) as the same binary run without
# mpirun: design points dealt out, or with fewer points than ranks and in optimize each
# layer's mapspace split (the search counters too); a checkpoint cut after two points
# resumed by 2 ranks gives the same again; other commands are refused once.
# Usage: mpi_dse_test.sh DNNSPACE_BINARY
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# mpirun refuses root unless told; the shared-memory transport needs no ptrace rights.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
sweep=(dse --network alexnet --sweep rf=16,32,64,128 --sweep gb=64K,128K)
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cli" "${sweep[@]}" --json ref.json --csv ref.csv --checkpoint ref.jsonl > ref.txt
[ "$(wc -l < ref.jsonl)" -eq 9 ] || fail "the checkpoint has not 8 points"
for n in 1 2 4; do
  mpirun --oversubscribe -np "$n" "$cli" "${sweep[@]}" --json "np$n.json" --csv "np$n.csv" --checkpoint "np$n.jsonl" \
    > "np$n.txt" 2> "np$n.err" || fail "mpirun -np $n exited $? ($(head -c 500 "np$n.err"))"
  cmp -s ref.txt "np$n.txt" || fail "-np $n: the table differs: $(diff ref.txt "np$n.txt" | head -5)"
  cmp -s ref.json "np$n.json" || fail "-np $n: the JSON differs"
  cmp -s ref.csv "np$n.csv" || fail "-np $n: the CSV differs"
  # The same records, in the order the points finished.
  cmp -s <(sort ref.jsonl) <(sort "np$n.jsonl") || fail "-np $n: the checkpoint records differ"
  echo "np $n: identical to the run without mpirun"
done

head -3 ref.jsonl > cut.jsonl
mpirun --oversubscribe -np 2 "$cli" "${sweep[@]}" --json cut.json --resume cut.jsonl > cut.txt 2> cut.err ||
  fail "the resumed mpirun exited $? ($(head -c 500 cut.err))"
grep -q "resumed 2 of 8 design points" cut.err || fail "no resume message: $(cat cut.err)"
cmp -s ref.txt cut.txt || fail "resumed on 2 ranks: the table differs"
cmp -s ref.json cut.json || fail "resumed on 2 ranks: the JSON differs"
cmp -s <(sort ref.jsonl) <(sort cut.jsonl) || fail "resumed on 2 ranks: the checkpoint differs"
echo "resumed on 2 ranks: identical"

# An error is said once, by rank 0, and every rank exits.
if mpirun --oversubscribe -np 2 "$cli" "${sweep[@]}" --checkpoint ref.jsonl > err.txt 2> err.err; then
  fail "a checkpoint that exists was written over"
fi
[ "$(grep -c 'dnnspace: error:' err.err)" -eq 1 ] || fail "the error is not said once: $(cat err.err)"
echo "errors: once"

# A resumed record rank 0 refuses ends every rank (no rank left waiting), with 2 ranks
# dealing points and with 3 ranks searching 2 points together.
sed '2s/"label":"[^"]*"/"label":"rf=1B gb=1B"/' ref.jsonl > badlabel.jsonl
cmp -s ref.jsonl badlabel.jsonl && fail "the label edit did nothing"
for n in 2 3; do
  set +e
  timeout 120 mpirun --oversubscribe -np "$n" "$cli" "${sweep[@]}" --resume badlabel.jsonl > bad.txt 2> bad.err
  code=$?
  set -e
  [ "$code" -ne 124 ] || fail "-np $n: a refused record left the ranks waiting (killed after 120 s)"
  [ "$code" -ne 0 ] || fail "-np $n: a refused record was accepted"
  grep -q "the record is of design 'rf=1B gb=1B'" bad.err || fail "-np $n: no message: $(head -c 300 bad.err)"
done
set +e
timeout 120 mpirun --oversubscribe -np 3 "$cli" dse --network alexnet --sweep rf=16,64 --resume badlabel.jsonl > bad.txt 2> bad.err
code=$?
set -e
[ "$code" -ne 124 ] || fail "2 points on 3 ranks: a refused checkpoint left the ranks waiting"
echo "refused records: every rank ends"

# Two points on four ranks: each point's layers searched by all four.
"$cli" dse --network alexnet --sweep rf=16,64 --json two.json > two.txt
mpirun --oversubscribe -np 4 "$cli" dse --network alexnet --sweep rf=16,64 --json two4.json > two4.txt 2> two4.err ||
  fail "2 points on 4 ranks exited $? ($(head -c 500 two4.err))"
cmp -s two.txt two4.txt && cmp -s two.json two4.json || fail "2 points on 4 ranks differ"
echo "2 points on 4 ranks: identical"

# One layer's mapspace (160,006 work items) split over the ranks.
layer=(optimize --network alexnet --layer conv3 --replication 2)
"$cli" "${layer[@]}" --json layer.json > layer.txt
for n in 1 2 4; do
  mpirun --oversubscribe -np "$n" "$cli" "${layer[@]}" --json "layer$n.json" > "layer$n.txt" 2> "layer$n.err" ||
    fail "optimize on $n ranks exited $? ($(head -c 500 "layer$n.err"))"
  cmp -s layer.txt "layer$n.txt" || fail "optimize on $n ranks: the table differs: $(diff layer.txt "layer$n.txt" | head -5)"
  cmp -s layer.json "layer$n.json" || fail "optimize on $n ranks: the JSON differs"
done
echo "optimize, one layer split over 1, 2, 4 ranks: identical, counters included"

if mpirun --oversubscribe -np 2 "$cli" dataflows --layer alexnet/conv3 > other.txt 2> other.err; then
  fail "dataflows ran under mpirun"
fi
grep -q "dataflows: only dse and optimize run over MPI ranks" other.err || fail "no refusal: $(cat other.err)"
[ "$(grep -c 'dnnspace: error:' other.err)" -eq 1 ] || fail "the refusal is not said once"
echo "other commands: refused once"
