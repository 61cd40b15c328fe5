#!/usr/bin/env bash
# The training benchmark on the user's path (issue 16): `descent train` on bench/userpath/*.yaml as
# whole processes, beside PyTorch's own loop in the same run, for both PyTorch builds a user of this
# machine would have: Debian's python3-torch 1.13 (on OpenBLAS) and the PyTorch 2.13 CPU wheel (in
# a venv, from pip's configured wheel index), with torch.compile as a third column where it works.
#
# Usage: scripts/bench-train.sh [--quick] [--rounds R] [--threads "1 2"] [--benches "mlp cnn tiny demo"]
#                               [--data DIR] [--text FILE] [--seq-steps S1,S2] [--keep FILE]
#   full:    5 rounds; MLP 1 and 3 epochs, CNN 1 and 2 epochs, tiny problems 2,000 and 10,000 steps
#   --quick: 2 rounds, MLP and tiny only (a few minutes): checks that everything runs
#   sequence models (issue 18; not in the default list): --benches "char-transformer char-lstm",
#            bench/userpath/char-*.yaml on --text (default ../shared/data/kjv.txt), 3 and 8 steps
#            (--seq-steps), tokens per second in the table
#
# Per epoch = (t(E2) - t(E1)) / (E2 - E1) over whole-process wall times of the same round
# (scripts/bench_userpath.py says why); min / median / max over rounds (scripts/bench_userpath_table.py).
# 1 thread pins the whole process to one core (taskset -c 0), Descent's and PyTorch's alike.
# Run it on a quiet machine: nothing else heavy at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5; threads="1 2"; benches="mlp cnn tiny demo"; data=../shared/data/fashion-mnist; keep=""
text=../shared/data/kjv.txt; seq_steps=3,8
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; rounds=2; benches="mlp tiny"; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --benches) benches="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --text) text="$2"; shift 2 ;;
    --seq-steps) seq_steps="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "bench-train: unknown argument $1" >&2; exit 2 ;;
  esac
done
case " $benches " in
  *" mlp "*|*" cnn "*) [ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "bench-train: no Fashion-MNIST IDX files in $data (--data DIR)" >&2; exit 2; } ;;
esac
case " $benches " in
  *" char-"*) [ -f "$text" ] || { echo "bench-train: no training text $text (--text FILE)" >&2; exit 2; } ;;
esac

# PyTorch 1.13 from Debian, on OpenBLAS (Debian's default libblas.so.3 is the reference BLAS, ~15x
# slower, which would make the comparison meaningless).
debian_python=/usr/bin/python3
if ! "$debian_python" -c 'import torch' 2>/dev/null || ! "$debian_python" -c 'import ctypes; ctypes.CDLL("libblas.so.3").openblas_get_config' 2>/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "bench-train: install python3-torch and libopenblas0-pthread (root needed)" >&2; exit 1; }
  echo "# installing Debian's python3-torch and OpenBLAS" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread >&2; }
fi
# PyTorch 2.13 CPU in a venv kept between runs.
venv=${DESCENT_BENCH_VENV:-$HOME/.cache/descent-bench/torch213}
if ! "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
  echo "# creating $venv with torch==2.13.0+cpu" >&2
  python3 -m venv "$venv"
  PIP_INDEX_URL=${PIP_INDEX_URL:-file:///opt/pypi/simple} "$venv/bin/pip" install -q "torch==2.13.0+cpu" numpy >&2
fi
torches=(--torch "torch-1.13=$debian_python:blas" --torch "torch-2.13=$venv/bin/python")
# torch.compile needs a working C++ toolchain for its CPU code generation: probe it once (only
# the MLP and the CNN run it: its compile time would swamp the few steps of the others).
case " $benches " in *" mlp "*|*" cnn "*) want_compile=1 ;; *) want_compile=0 ;; esac
if [ "$want_compile" = 0 ]; then
  :
elif "$venv/bin/python" -c 'import torch; f = torch.compile(lambda x: (x * 2).relu()); f(torch.randn(4))' >/dev/null 2>&1; then
  torches+=(--torch "torch-2.13-compile=$venv/bin/python:compile")
else
  echo "# torch.compile does not work here: its column is left out" >&2
fi

source scripts/java-home.sh
./descent info >&2   # builds descent.jar if needed, outside the timing
results=${keep:-$(mktemp -t bench-train.XXXXXX)}
[ -n "$keep" ] || trap 'rm -f "$results"' EXIT
{
  echo "# $(date -u +%FT%TZ) $(uname -n), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "# $("$debian_python" -c 'import torch; print("Debian torch", torch.__version__)'); $("$venv/bin/python" -c 'import torch; print("pip torch", torch.__version__)')"
} >&2
python3 scripts/bench_userpath.py --rounds "$rounds" --threads "$threads" --benches "$benches" --data "$data" \
    --text "$text" --seq-steps "$seq_steps" --results "$results" "${torches[@]}" >&2
echo
python3 scripts/bench_userpath_table.py "$results"
