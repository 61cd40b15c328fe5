#!/usr/bin/env bash
# Storage overhead of a shared study: seconds per trial of an empty objective, Descent
# (bench StorageBench) beside Optuna's RDBStorage (scripts/bench_storage_optuna.py), on an SQLite
# file and on PostgreSQL, with 1 and 4 worker processes started at once on one study. The time is
# the wall time from starting the workers to the last one's exit, JVM and interpreter start
# included (a run with --trials 1 shows that part), divided by the trials; the schema and the
# study are created before the clock starts.
#
# Usage: scripts/bench-storage.sh [--trials N] [--rounds R] [--python PYTHON]
#
# PYTHON must have optuna and psycopg2 (default /tmp/venv/bin/python, made with
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install optuna psycopg2-binary).
# PostgreSQL: a throwaway server started as for the tests (.ci/postgres.sh), stopped on exit.
# Rounds alternate the implementations, so a loaded machine slows both alike; report the minimum.
set -euo pipefail
cd "$(dirname "$0")/.."

trials=200
rounds=3
python=/tmp/venv/bin/python
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    *) echo "bench-storage: unknown argument $1" >&2; exit 2 ;;
  esac
done

source scripts/java-home.sh
echo "# building bench jar with $JAVA_HOME" >&2
mvn -B -q -ntp -pl bench -am package -DskipTests >&2
CI=true source .ci/postgres.sh >&2
jdbc=$DESCENT_TEST_POSTGRES_URL
# jdbc:postgresql://127.0.0.1:PORT/DB?user=U&password=P as SQLAlchemy writes it
hostdb=${jdbc#jdbc:postgresql://}; hostdb=${hostdb%%\?*}
user=$(sed -E 's/.*[?&]user=([^&]*).*/\1/' <<<"$jdbc"); password=$(sed -E 's/.*[?&]password=([^&]*).*/\1/' <<<"$jdbc")
# Optuna gets a database of its own: both keep their studies in a table named "studies".
hostport=${hostdb%%/*}
PGPASSWORD=$password "$(pg_bin)/createdb" -h "${hostport%%:*}" -p "${hostport##*:}" -U "$user" optuna_bench
sqlalchemy="postgresql+psycopg2://$user:$password@$hostport/optuna_bench"
work=$(mktemp -d -t bench-storage.XXXXXX)
trap 'rm -rf "$work"; pg_stop' EXIT

# run IMPL STORAGE WORKERS ROUND: prints one result line
run() {
  local impl=$1 storage=$2 workers=$3 round=$4 study="s_${1}_${2}_${3}_${4}" url pids=() start end
  if [ "$storage" = sqlite ]; then
    url=$([ "$impl" = descent ] && echo "jdbc:sqlite:$work/$study.db" || echo "sqlite:///$work/$study.db")
  else
    url=$([ "$impl" = descent ] && echo "$jdbc" || echo "$sqlalchemy")
  fi
  # The schema and the study are created before the clock starts, by one process: Optuna's workers
  # cannot create an SQLite schema concurrently (alembic_version UNIQUE failures), and the figure
  # is the per-trial cost anyway.
  if [ "$impl" = descent ]; then
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp bench/target/descent-bench.jar dev.descent.bench.StorageBench \
        --url "$url" --study "$study" --trials 0 >/dev/null
  else
    "$python" -c "import optuna, sys; optuna.create_study(study_name=sys.argv[2], storage=sys.argv[1], load_if_exists=True)" "$url" "$study"
  fi
  start=$(date +%s.%N)
  for _ in $(seq "$workers"); do
    if [ "$impl" = descent ]; then
      "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp bench/target/descent-bench.jar dev.descent.bench.StorageBench \
          --url "$url" --study "$study" --trials "$trials" >/dev/null &
    else
      "$python" scripts/bench_storage_optuna.py --url "$url" --study "$study" --trials "$trials" >/dev/null &
    fi
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  awk -v i="$impl" -v s="$storage" -v w="$workers" -v r="$round" -v n="$trials" -v a="$start" -v b="$end" \
      'BEGIN { printf "storage=%s impl=%s workers=%s round=%s trials=%s seconds=%.3f s_per_trial=%.5f\n", s, i, w, r, n, b - a, (b - a) / n }'
}

echo "# $(date -u +%FT%TZ) trials $trials, rounds $rounds, optuna $("$python" -c 'import optuna; print(optuna.__version__)')"
for round in $(seq "$rounds"); do
  for storage in sqlite postgresql; do
    for workers in 1 4; do
      for impl in descent optuna; do run "$impl" "$storage" "$workers" "$round"; done
    done
  done
done
