#!/usr/bin/env bash
# Descent's sgemm (bench/GemmBench) beside PyTorch's torch.mm, same shapes, same run, then a table.
#
# Usage: scripts/bench-matmul.sh [--rounds R] [--threads "1 2"] [--shapes 128x784x256,512,...] [--seconds S]
#
# Each round runs, for every thread count, ours and then torch, so both see similar machine load;
# on a shared machine use several rounds and read the best (least disturbed) and median columns.
# Thread pinning: Descent's --threads; for torch, torch.set_num_threads plus OMP_NUM_THREADS and
# OPENBLAS_NUM_THREADS (read by the BLAS at load time) and openblas_set_num_threads when present.
#
# PyTorch: Debian's python3-torch at /usr/bin/python3 (the `python3` on PATH may lack torch). Its
# torch.mm calls whatever libblas.so.3 resolves to; Debian's default is the slow reference BLAS.
# Set TORCH_BLAS_DIR to a directory holding an optimised libblas.so.3 (for example OpenBLAS's
# .../openblas-pthread) to compare against that instead; the torch header line names the BLAS.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
threads="1 2"
shapes="128x784x256,256,512,1024,2048"
seconds=1.5
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "bench-matmul: unknown argument $1" >&2; exit 2 ;;
  esac
done

source scripts/java-home.sh
echo "# building bench jar with $JAVA_HOME" >&2
mvn -B -q -ntp -pl bench -am package -DskipTests >&2
jar=bench/target/descent-bench.jar
torch_python=/usr/bin/python3

results=$(mktemp -t bench-matmul.XXXXXX)
trap 'rm -f "$results"' EXIT
echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"

blas_env=()
if [ -n "${TORCH_BLAS_DIR:-}" ]; then blas_env=(LD_LIBRARY_PATH="$TORCH_BLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"); fi

for r in $(seq 1 "$rounds"); do
  for t in $threads; do
    echo "# round $r/$rounds, $t thread(s), load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
    "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -jar "$jar" \
        --threads "$t" --shapes "$shapes" --seconds "$seconds" 2> >(grep -v "incubator modules" >&2) | tee -a "$results"
    env "${blas_env[@]}" OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" MKL_NUM_THREADS="$t" \
        "$torch_python" scripts/bench_matmul_torch.py --threads "$t" --shapes "$shapes" --seconds "$seconds" | tee -a "$results"
  done
done

echo
"$torch_python" scripts/bench_matmul_table.py "$results"
