#!/usr/bin/env bash
# Coverage-guided fuzzing of Descent's loaders with Jazzer (the fuzz module): each target runs for
# SECONDS (default 300) in a JVM of its own (libFuzzer fuzzes one target per process; the module's
# surefire forks one per test class), starting from the committed seeds
# (fuzz/src/test/resources/dev/descent/fuzz/<Target>FuzzTestInputs) and the corpus earlier runs
# grew (fuzz/.cifuzz-corpus, not committed). A finding (any exception but a documented one-line
# error) fails the run; Jazzer saves the input under the seeds directory, where `mvn verify`
# replays it from then on.
#
# Usage: scripts/fuzz.sh [SECONDS] [Target ...]   targets: Config Csv Idx Safetensors (default all)
# .ci/run calls it with 5 seconds per target.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(Config Csv Idx Safetensors)
classes=$(printf 'dev.descent.fuzz.%sFuzzTest,' "${targets[@]}")
mkdir -p fuzz/target
log=fuzz/target/fuzz.log
echo "fuzz: ${targets[*]}, ${seconds}s each (log $log)"
status=0
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" mvn -B -ntp -q -Dstyle.color=never -pl fuzz -am test \
  -Dfuzz.reuseForks=false -Dtest="${classes%,}" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || status=$?
# libFuzzer writes to each forked JVM's standard error, which lands in the Maven log in test order:
# per target its closing "Done N runs in S second(s)" and status lines with the corpus size.
for t in "${targets[@]}"; do
  report="fuzz/target/surefire-reports/dev.descent.fuzz.${t}FuzzTest.txt"
  result=$(grep -ho "Tests run: .*" "$report" 2>/dev/null | head -1 || true)
  echo "fuzz: $t: ${result:-no test report}"
done
grep -a -E "^Done [0-9]+ runs|FuzzTestFinding" "$log" | sed 's/^/fuzz: /' || true
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED (exit $status); the findings and their inputs: $log, fuzz/target/surefire-reports"
fi
exit "$status"
