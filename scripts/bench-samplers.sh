#!/usr/bin/env bash
# Descent's TPE and random search (bench/SamplerBench) beside Optuna 3.1's TPESampler and
# RandomSampler on the same problems, budgets and seeds; then a table of the best value found,
# median and quartiles over seeds.
#
# Usage: scripts/bench-samplers.sh [--seeds S] [--budgets 30,60] [--problems mixed4,branin,hartmann6] [--optuna5 PYTHON]
#
# --optuna5 PYTHON also runs the Optuna of that interpreter (rows "optuna5 ...", its default TPE being
# multivariate, and "optuna5-uni tpe", the univariate TPE of Optuna 3.1 and Descent), e.g. a venv made with
#   python3 -m venv /tmp/venv && PIP_INDEX_URL=file:///opt/pypi/simple /tmp/venv/bin/pip install optuna   # Optuna 5
# and then --optuna5 /tmp/venv/bin/python.
#
# Optuna: Debian's python3-optuna at /usr/bin/python3 (the `python3` on PATH may lack it). Seeds are
# 0..S-1 on both sides, but the two generators differ, so seed s of Descent and seed s of Optuna are
# unrelated draws: compare distributions (medians, quartiles), not seed by seed.
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=20
budgets=30,60
problems=mixed4,branin,hartmann6
optuna5=
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --budgets) budgets="$2"; shift 2 ;;
    --problems) problems="$2"; shift 2 ;;
    --optuna5) optuna5="$2"; shift 2 ;;
    *) echo "bench-samplers: unknown argument $1" >&2; exit 2 ;;
  esac
done

source scripts/java-home.sh
echo "# building bench jar with $JAVA_HOME" >&2
mvn -B -q -ntp -pl bench -am package -DskipTests >&2
optuna_python=/usr/bin/python3

results=$(mktemp -t bench-samplers.XXXXXX)
trap 'rm -f "$results"' EXIT
echo "# $(date -u +%FT%TZ) seeds 0..$((seeds - 1)), budgets $budgets, problems $problems" | tee -a "$results"
"$JAVA_HOME/bin/java" -cp bench/target/descent-bench.jar dev.descent.bench.SamplerBench \
    --seeds "$seeds" --budgets "$budgets" --problems "$problems" | tee -a "$results"
"$optuna_python" scripts/bench_samplers_optuna.py --seeds "$seeds" --budgets "$budgets" --problems "$problems" | tee -a "$results"
if [ -n "$optuna5" ]; then
  "$optuna5" scripts/bench_samplers_optuna.py --seeds "$seeds" --budgets "$budgets" --problems "$problems" --impl optuna5 | tee -a "$results"
  "$optuna5" scripts/bench_samplers_optuna.py --seeds "$seeds" --budgets "$budgets" --problems "$problems" --impl optuna5-uni --univariate \
      | tee -a "$results"
fi

echo
"$optuna_python" scripts/bench_samplers_table.py "$results"
