#!/usr/bin/env bash
# In-process training benchmarks (issue 6): bench/*TrainBench timing epochs inside one JVM, beside
# PyTorch (scripts/bench_train_torch.py) in the same run, then a table (scripts/bench_train_table.py).
#
# Usage: scripts/bench-train-inprocess.sh [--quick] [--rounds R] [--threads "1 2"] [--benches "mlp cnn tiny"]
#                               [--data DIR] [--keep FILE]
#   full:    MLP 5 epochs, CNN 2 epochs on all 60,000 images, tiny problems 10,000 steps
#   --quick: MLP 2 epochs, CNN 2 epochs on the first 10,000 images, tiny problems 2,000 steps
#
# Each round runs, per thread count and benchmark, ours then torch's, so both see similar machine
# load; on a shared machine use several rounds and read the min and median columns. Every
# measurement line carries the load average at its start.
#
# PyTorch gets its best setting (issue 6):
#   1 thread:  torch.set_num_threads(1), OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1 (set_num_threads
#              alone does not stop OpenBLAS from using both cores).
#   2 threads: "default" (no variables, no set_num_threads: Debian's torch then runs 1 ATen thread
#              and OpenBLAS on 2) and "omp2-blas1" (set_num_threads(2), OMP 2, OpenBLAS 1); both are
#              run every round, and the table keeps whichever has the better median.
# Debian's python3-torch calls whatever libblas.so.3 resolves to; Debian's default is the slow
# reference BLAS (about 7 GFLOP/s against OpenBLAS's 100), which would make the comparison
# meaningless. So, unless TORCH_BLAS_DIR names a directory holding an optimised libblas.so.3
# (used through LD_LIBRARY_PATH), this script installs Debian's libopenblas0-pthread when
# libblas.so.3 is not OpenBLAS (root only; it switches the system-wide libblas.so.3 alternative
# to OpenBLAS, see `update-alternatives --display libblas.so.3-x86_64-linux-gnu`). Each torch
# run prints the BLAS file it mapped.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=""
threads="1 2"
benches="mlp cnn tiny"
quick=0
data=../shared/data/fashion-mnist
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --benches) benches="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "bench-train: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ "$quick" = 1 ]; then
  rounds=${rounds:-2}; mlp_args=(--epochs 2); cnn_args=(--epochs 2 --limit 10000); steps=2000
else
  rounds=${rounds:-3}; mlp_args=(--epochs 5); cnn_args=(--epochs 2); steps=10000
fi

torch_python=/usr/bin/python3   # Debian's, with python3-torch; the `python3` on PATH may lack it
blas_env=()
if [ -n "${TORCH_BLAS_DIR:-}" ]; then
  blas_env=(LD_LIBRARY_PATH="$TORCH_BLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
elif ! "$torch_python" -c 'import ctypes; ctypes.CDLL("libblas.so.3").openblas_get_config' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "# libblas.so.3 is not OpenBLAS: installing libopenblas0-pthread so torch runs at its real speed" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas0-pthread >&2
  else
    echo "bench-train: libblas.so.3 is not OpenBLAS and this is not root; install libopenblas0-pthread" >&2
    echo "bench-train: or set TORCH_BLAS_DIR=/usr/lib/x86_64-linux-gnu/openblas-pthread (torch would be ~10x too slow)" >&2
    exit 1
  fi
fi

source scripts/java-home.sh
echo "# building bench jar with $JAVA_HOME" >&2
mvn -B -q -ntp -pl bench -am package -DskipTests >&2
jar=bench/target/descent-bench.jar
# The JVM settings of the ./descent launcher (DESCENT_JVM_OPTS from java-home.sh: the serial
# collector, no heap flags), so the figures are what a user gets.
java_cmd=("$JAVA_HOME/bin/java" "${DESCENT_JVM_OPTS[@]}" -cp "$jar")

results=${keep:-$(mktemp -t bench-train.XXXXXX)}
[ -n "$keep" ] || trap 'rm -f "$results"' EXIT
: > "$results"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) CPUs, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), quick=$quick" | tee -a "$results"

# Runs one measurement: prints its load average, then its output with the load appended to each
# result line (the table reports the range of loads its figures were taken under).
measure() {
  local l; l=$(load | tr ' ' '/')
  "$@" 2> >(grep -v "incubator modules" >&2) | sed "/^result /s|\$| load=$l|" | tee -a "$results"
}
ours() { local main=$1 t=$2; shift 2; measure "${java_cmd[@]}" "dev.descent.bench.$main" --threads "$t" --data "$data" "$@"; }
torch() { # torch THREADS BENCH ARGS...: every setting issue 6 prescribes for that count
  local t=$1; shift
  if [ "$t" = 1 ]; then
    measure env "${blas_env[@]}" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$torch_python" scripts/bench_train_torch.py "$@" \
        --threads 1 --setting omp1-blas1 --data "$data"
  else
    measure env "${blas_env[@]}" "$torch_python" scripts/bench_train_torch.py "$@" --label "$t" --setting default --data "$data"
    measure env "${blas_env[@]}" OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS=1 "$torch_python" scripts/bench_train_torch.py "$@" \
        --threads "$t" --setting "omp$t-blas1" --data "$data"
  fi
}

for r in $(seq 1 "$rounds"); do
  for t in $threads; do
    echo "# round $r/$rounds, $t thread(s), load: $(load)" | tee -a "$results"
    for b in $benches; do
      case "$b" in
        mlp) ours MlpTrainBench "$t" "${mlp_args[@]}"; torch "$t" mlp "${mlp_args[@]}" ;;
        cnn) ours CnnTrainBench "$t" "${cnn_args[@]}"; torch "$t" cnn "${cnn_args[@]}" ;;
        tiny)
          for p in logistic linear; do for o in sgd adam; do
            # The Java side has no --data; tiny data are generated.
            # Ours twice: through CompiledStep (the headline figure) and written out eagerly.
            measure "${java_cmd[@]}" dev.descent.bench.TinyTrainBench --threads "$t" --steps "$steps" --problem "$p" --optimizer "$o"
            measure "${java_cmd[@]}" dev.descent.bench.TinyTrainBench --threads "$t" --steps "$steps" --problem "$p" --optimizer "$o" --mode eager
            torch "$t" tiny --steps "$steps" --problem "$p" --optimizer "$o"
          done; done ;;
        *) echo "bench-train: unknown benchmark $b" >&2; exit 2 ;;
      esac
    done
  done
done

echo
"$torch_python" scripts/bench_train_table.py "$results"
