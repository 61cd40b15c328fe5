#!/usr/bin/env bash
# Checks the ./descent launcher as a user runs it (issue 17: no incubator warning in plain output):
# java's stderr goes through a filter that drops the JVM's "Using incubator modules" line, and
# nothing else may change: the exit status (0, 2 for a refused configuration, 130 after Ctrl-C or
# SIGTERM), the one-line errors, the end line and --resume hint after Ctrl-C, and the progress
# lines (plain through a pipe, redrawn with \r on a terminal). Needs the built jar (mvn verify;
# the launcher builds it otherwise). Run by .ci/run after the Maven build.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "launcher check: FAILED: $*"; exit 1; }
no_warning() { ! grep -q "incubator" "$1" || fail "$2: the incubator warning reached stderr: $(head -3 "$1")"; }

cat > "$work/run.yaml" <<'YAML'
seed: 0
data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
model: [linear: 16, relu, linear: 10]
loss: cross_entropy
optimizer: {name: adam, lr: 0.01}
train: {epochs: 2, batch_size: 64}
metrics: [accuracy]
YAML

# A normal run: nothing on stderr; stdout the progress lines, as java itself writes them.
./descent train "$work/run.yaml" --out "$work/a" > "$work/a.out" 2> "$work/a.err" || fail "a normal run exited $?: $(cat "$work/a.err")"
[ ! -s "$work/a.err" ] || fail "a normal run wrote to stderr: $(head -3 "$work/a.err")"
source scripts/java-home.sh
"$JAVA_HOME/bin/java" "${DESCENT_JVM_OPTS[@]}" -jar cli/target/descent.jar train "$work/run.yaml" --out "$work/b" > "$work/b.out" 2> "$work/b.err"
grep -q "WARNING: Using incubator modules: jdk.incubator.vector" "$work/b.err" || fail "java itself no longer warns; the filter may be obsolete"
times() { sed -E 's/[0-9.]+ ex\/s  eta [0-9.hms?]+//; s/\([0-9.hms]+\)$//; s#(run directory: ).*#\1#' "$1"; }
diff <(times "$work/a.out") <(times "$work/b.out") > /dev/null || fail "stdout differs from java's own: $(diff <(times "$work/a.out") <(times "$work/b.out") | head -4)"
grep -q "^step .* ex/s" "$work/a.out" || fail "no plain progress lines: $(head -3 "$work/a.out")"

# On a terminal (script gives the command a pseudo-terminal), the step line is redrawn in place.
if script -qec "./descent train '$work/run.yaml' --out '$work/tty'" /dev/null > "$work/tty.out" 2>&1; then
  grep -q $'\rstep ' "$work/tty.out" || fail "on a terminal the progress is not redrawn with \\r"
  no_warning "$work/tty.out" "on a terminal"
else
  fail "a run on a pseudo-terminal exited $?: $(tail -3 "$work/tty.out")"
fi

# A refused configuration: exit 2 and its one-line error, the only line on stderr.
printf 'model: [linear: 3]\nloss: cross_entropy\nbogus: 1\n' > "$work/bad.yaml"
set +e
./descent train "$work/bad.yaml" --out "$work/bad" > /dev/null 2> "$work/bad.err"
code=$?
set -e
[ "$code" = 2 ] || fail "a refused configuration exited $code, not 2: $(cat "$work/bad.err")"
[ "$(wc -l < "$work/bad.err")" = 1 ] && grep -q "bogus" "$work/bad.err" || fail "a refused configuration's stderr: $(cat "$work/bad.err")"

# The java launcher's own notes come before the JVM's warning and still get through.
set +e
JAVA_TOOL_OPTIONS=-Ddescent.check=1 ./descent train "$work/bad.yaml" --out "$work/bad" > /dev/null 2> "$work/picked.err"
code=$?
set -e
[ "$code" = 2 ] && [ "$(wc -l < "$work/picked.err")" = 2 ] && head -1 "$work/picked.err" | grep -q "^Picked up JAVA_TOOL_OPTIONS" \
  && tail -1 "$work/picked.err" | grep -q "bogus" || fail "with JAVA_TOOL_OPTIONS (exit $code): $(cat "$work/picked.err")"

# Ctrl-C (SIGINT to the whole process group, as a terminal sends it: java and the filter) and
# SIGTERM (to the launcher's process, which is java): the run stops after the step with an end line
# and the --resume hint, exit 130. env --default-signal: a background job of a script inherits
# SIGINT ignored.
sed 's/epochs: 2/epochs: 400/' "$work/run.yaml" > "$work/long.yaml"
for sig in INT TERM; do
  run="$work/long-$sig"
  env --default-signal=INT setsid ./descent train "$work/long.yaml" --quiet --out "$run" > "$work/$sig.out" 2> "$work/$sig.err" &
  pid=$!
  for _ in $(seq 600); do grep -qs '"kind":"step"' "$run/metrics.jsonl" && break; sleep 0.1; done
  grep -qs '"kind":"step"' "$run/metrics.jsonl" || fail "$sig: no step within 60 s: $(cat "$work/$sig.err")"
  if [ "$sig" = INT ]; then kill -INT -- "-$pid"; else kill -TERM "$pid"; fi
  set +e
  wait "$pid"
  code=$?
  set -e
  [ "$code" = 130 ] || fail "$sig: exit $code, not 130: $(cat "$work/$sig.out" "$work/$sig.err")"
  grep -q -- "--resume $run" "$work/$sig.out" || fail "$sig: no --resume hint: $(cat "$work/$sig.out")"
  tail -1 "$run/metrics.jsonl" | grep -q '"reason":"stopped: interrupted (Ctrl-C)"' || fail "$sig: no end line: $(tail -1 "$run/metrics.jsonl")"
  [ ! -s "$work/$sig.err" ] || fail "$sig: stderr: $(head -3 "$work/$sig.err")"
done
# --spark: Spark logs at WARN unless spark.log.level says otherwise (SparkLogLevel), so a local run logs no INFO line (nor JVM warnings) and a refusal that
# comes after Spark started (more --tasks than local[1]'s one slot) is still one line, exit 2.
sed 's/batch_size: 64}/batch_size: 64, shards: 2}/' "$work/run.yaml" > "$work/spark.yaml"
./descent train "$work/spark.yaml" --quiet --out "$work/spark" --spark 'local[2]' > "$work/spark.out" 2> "$work/spark.err" \
  || fail "a --spark run exited $?: $(tail -3 "$work/spark.err")"
! grep -q -E " INFO |^WARNING" "$work/spark.err" || fail "a --spark run logged at INFO or the JVM warned: $(grep -m 2 -E " INFO |^WARNING" "$work/spark.err")"
grep -q "^spark: exchange .* ms per step" "$work/spark.out" || fail "a --spark run printed no exchange time: $(cat "$work/spark.out")"
set +e
./descent train "$work/spark.yaml" --quiet --out "$work/spark-refused" --spark 'local[1]' --tasks 2 > /dev/null 2> "$work/spark-refused.err"
code=$?
set -e
[ "$code" = 2 ] && [ "$(wc -l < "$work/spark-refused.err")" = 1 ] && grep -q -- "--tasks: 2 tasks, but Spark (local\[1\]) offers 1 task slots" "$work/spark-refused.err" \
  && [ ! -e "$work/spark-refused" ] || fail "--tasks over local[1]'s slots (exit $code): $(head -5 "$work/spark-refused.err")"
echo "launcher check: ok (no incubator warning; stdout as java's; terminal progress; exit 2 on a refused configuration; 130 with end line and hint after SIGINT and SIGTERM; --spark without INFO lines or JVM warnings, a refusal after Spark started in one line)"
