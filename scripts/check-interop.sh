#!/usr/bin/env bash
# Checks the files Descent writes for other tools with those tools themselves: TensorBoard event
# files of a training run, a comparison and a study with TensorBoard's EventAccumulator
# (scripts/check-tensorboard.py). Needs the built jar (mvn verify) and Python 3 with venv; installs
# tensorboard into a virtual environment with pip. Run by .ci/run after the Maven build.
# If pip cannot install the packages, it says so in one line and exits 0: the JUnit tests, which
# read the same files with a decoder of their own, have run already.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${DESCENT_INTEROP_VENV:-/tmp/descent-interop-venv}
if ! "$venv/bin/python" -c "import tensorboard" 2>/dev/null; then
  # --retries 0: pip's configured wheel index answers at once; an unreachable one should not stall CI.
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --retries 0 --timeout 10 tensorboard; } > /tmp/descent-interop-pip.log 2>&1; then
    echo "interop check: NOT RUN: pip could not install tensorboard (see /tmp/descent-interop-pip.log); the JUnit checks of the same files ran"
    exit 0
  fi
fi
py="$venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

base='seed: 0
data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
model: [linear: 16, relu, linear: 10]
loss: cross_entropy
optimizer: {name: adam, lr: 0.01}
train: {epochs: 2, batch_size: 64}
metrics: [accuracy]'

printf '%s\ncallbacks: {tensorboard: {histogram_every: 5}, log_every: 2}\n' "$base" > "$work/run.yaml"
./descent train "$work/run.yaml" --quiet --out "$work/run" > /dev/null
"$py" scripts/check-tensorboard.py run "$work/run"

printf '%s\ncallbacks: {tensorboard: true}\ncompare:\n  variants:\n    - {name: adam}\n    - {name: sgd, optimizer: {name: sgd, lr: 0.1}}\n' "$base" > "$work/compare.yaml"
./descent compare "$work/compare.yaml" --out "$work/compare" > /dev/null
"$py" scripts/check-tensorboard.py compare "$work/compare" adam sgd

cat > "$work/tune.yaml" <<YAML
$base
callbacks: {tensorboard: true}
search:
  metric: val_accuracy
  sampler: random
  trials: 3
  params:
    optimizer.lr: {log_uniform: [1.0e-3, 1.0e-1]}
    optimizer.name: {choices: [sgd, adam]}
    optimizer.momentum: {uniform: [0.0, 0.9], when: {optimizer.name: sgd}}
YAML
./descent tune "$work/tune.yaml" --out "$work/tune" > /dev/null
"$py" scripts/check-tensorboard.py tune "$work/tune" 3
echo "interop check: TensorBoard read every file as written"
