#!/usr/bin/env bash
# Data-parallel training on Spark against one process (issue 14): the user's-path CNN
# (bench/userpath/cnn.yaml, Fashion-MNIST) for one epoch with train.shards 8, at global batch
# 512 and 128, as
#   inprocess   descent train --threads 1                                 (the single-machine definition)
#   spark-1x1   descent train --threads 1 --spark local[1] --tasks 1      (1 executor x 1 thread: the baseline)
#   spark-2x1   descent train --threads 1 --spark local[2] --tasks 2      (2 executors x 1 thread)
# All three end with the same weights (the tests prove it); this measures time only. Seconds per
# epoch come from metrics.jsonl's epoch line (training only, without Spark's start-up). Target
# from the issue: spark-2x1 >= 1.7x spark-1x1 at batch 512.
#
# Usage: scripts/bench-spark.sh [--rounds R] [--batches "512 128"] [--keep FILE]
# Rounds interleave the variants so that all see similar machine load; read min and median. Every
# line carries the load average at its start. Not run in CI, and meaningless on a loaded machine.
# Not measured here: communication time per step (the exchange is not instrumented yet) and the
# federated rounds (descent train has no federated: section yet).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
batches="512 128"
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "bench-spark: unknown argument $1" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${keep:-$work/results.txt}
: > "$out"
./descent train --help > /dev/null                       # builds descent.jar once, outside the timings
for r in $(seq 1 "$rounds"); do
  for b in $batches; do
    for variant in inprocess spark-1x1 spark-2x1; do
      case "$variant" in
        inprocess) extra=() ;;
        spark-1x1) extra=(--spark "local[1]" --tasks 1) ;;
        spark-2x1) extra=(--spark "local[2]" --tasks 2) ;;
      esac
      run="$work/$variant-$b-$r"
      load=$(cut -d' ' -f1 /proc/loadavg)
      ./descent train bench/userpath/cnn.yaml --quiet --threads 1 --out "$run" \
          --set train.epochs=1 --set "train.batch_size=$b" --set train.shards=8 "${extra[@]}" > /dev/null
      seconds=$(grep '"kind":"epoch"' "$run/metrics.jsonl" | head -1 | sed 's/.*"seconds":\([0-9.eE+-]*\).*/\1/')
      echo "round=$r batch=$b variant=$variant seconds_per_epoch=$seconds load=$load" | tee -a "$out"
    done
  done
done
python3 - "$out" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    d = dict(kv.split("=") for kv in line.split())
    rows.setdefault((int(d["batch"]), d["variant"]), []).append(float(d["seconds_per_epoch"]))
print("| batch | variant | min s/epoch | median s/epoch | speedup over spark-1x1 (median) |")
print("|---|---|---|---|---|")
for (b, v), xs in sorted(rows.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
    base = statistics.median(rows[(b, "spark-1x1")])
    print(f"| {b} | {v} | {min(xs):.2f} | {statistics.median(xs):.2f} | {base / statistics.median(xs):.2f}x |")
PY
