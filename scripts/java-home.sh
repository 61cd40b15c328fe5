#!/usr/bin/env bash
# Sourced by ./descent, .ci/run and the bench scripts: exports JAVA_HOME pointing at a JDK 25 or
# newer, and sets DESCENT_JVM_OPTS, the JVM settings the launcher runs Descent with.
# Order: $JAVA_HOME, the `java` on PATH, then the usual install places. Fails with a clear
# message when none is found, because Descent's kernels need Java 25's Vector API.

descent_java_major() { # prints the feature version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1
}

descent_pick_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ]; then
    if [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
      major=$(descent_java_major "$JAVA_HOME/bin/java")
      if [ "${major:-0}" -ge 25 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
      echo "descent: JAVA_HOME=$JAVA_HOME is Java ${major:-unknown}; Descent needs 25 or newer, looking elsewhere" >&2
    else
      echo "descent: JAVA_HOME=$JAVA_HOME has no bin/java and bin/javac, looking elsewhere" >&2
    fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(descent_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
                   "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(descent_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}

if ! DESCENT_JAVA_HOME=$(descent_pick_jdk); then
  echo "descent: no JDK 25 or newer found (checked JAVA_HOME, PATH, /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks)." >&2
  echo "descent: install a JDK 25 (for example Temurin 25) and set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$DESCENT_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"

# The launcher's JVM settings (bench/training.md measures with the same ones). The Vector API
# module for the kernels. The serial collector, unless DESCENT_JAVA_OPTS picks another: Descent's
# training loop recycles its buffers (Trainer.reuseMemory), so a steady run allocates little, and
# the serial collector sizes the heap by what is live (free-ratio bounds) where G1 grows it with
# the allocation rate of the JIT warm-up and keeps it: the Fashion-MNIST MLP peaked at 400 MB
# resident with it against 680-850 MB with G1, at the same speed within this machine's noise.
DESCENT_JVM_OPTS=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
case " ${DESCENT_JAVA_OPTS:-} " in
  *" -XX:+Use"*GC" "*) ;;
  *) DESCENT_JVM_OPTS+=(-XX:+UseSerialGC) ;;
esac
