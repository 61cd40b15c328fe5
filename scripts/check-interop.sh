#!/usr/bin/env bash
# Checks the files Descent writes for other tools with those tools themselves: TensorBoard event
# files of a training run, a comparison, a study and a federated run with TensorBoard's EventAccumulator
# (scripts/check-tensorboard.py), and models exported to ONNX (an MLP with every activation and
# norm, a CNN with batch norm and both poolings, a character-level transformer language model, an
# LSTM classifier, a GRU and RNN language model) with onnx.checker (scripts/check-onnx.py; that
# ONNX Runtime computes what Descent computes is the JUnit tests' part). Needs the built jar
# (mvn verify) and Python 3 with venv; installs tensorboard and onnx into a virtual environment
# with pip. Run by .ci/run after the Maven build.
# If pip cannot install the packages, it says so in one line and exits 0: the JUnit tests, which
# read the same files with a decoder of their own, have run already.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=${DESCENT_INTEROP_VENV:-/tmp/descent-interop-venv}
if ! "$venv/bin/python" -c "import tensorboard, onnx" 2>/dev/null; then
  # --retries 0: pip's configured wheel index answers at once; an unreachable one should not stall CI.
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --retries 0 --timeout 10 tensorboard onnx; } > /tmp/descent-interop-pip.log 2>&1; then
    echo "interop check: NOT RUN: pip could not install tensorboard and onnx (see /tmp/descent-interop-pip.log); the JUnit checks of the same files ran"
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

# Resumed twice from the first epoch's checkpoint: once to epoch 3, then to epoch 2 only.
printf '%s\ncallbacks: {tensorboard: true}\n' "$base" > "$work/resume.yaml"
./descent train "$work/resume.yaml" --quiet --out "$work/resume" --set train.epochs=1 > /dev/null
cp "$work/resume/last.safetensors" "$work/epoch1.safetensors"
./descent train "$work/resume.yaml" --quiet --out "$work/resume" --resume "$work/epoch1.safetensors" --set train.epochs=3 --allow-changes > /dev/null
./descent train "$work/resume.yaml" --quiet --out "$work/resume" --resume "$work/epoch1.safetensors" --allow-changes > /dev/null
"$py" scripts/check-tensorboard.py resumed "$work/resume"

printf '%s\ncallbacks: {tensorboard: true}\ncompare:\n  variants:\n    - {name: adam}\n    - {name: sgd, optimizer: {name: sgd, lr: 0.1}}\n' "$base" > "$work/compare.yaml"
./descent compare "$work/compare.yaml" --out "$work/compare" > /dev/null
"$py" scripts/check-tensorboard.py compare "$work/compare" adam sgd

# A federated run logs per round: client loss, drift and the validation metrics at the round number.
printf '%s\ncallbacks: {tensorboard: true}\nfederated: {clients: 4, fraction: 0.5, rounds: 3, partition: {dirichlet: 0.5}}\n' \
  "$(printf '%s\n' "$base" | grep -v '^train:')" > "$work/fed.yaml"
./descent train "$work/fed.yaml" --quiet --out "$work/fed" > /dev/null
"$py" scripts/check-tensorboard.py federated "$work/fed"
# Continued to 4 rounds; and another run of 1 round continued to 3, then resumed from its round-1
# checkpoint to 2: metrics.jsonl is cut back to the checkpoint, and the restart marks make
# TensorBoard drop the rounds the later run logs again, so each round is there once.
./descent train "$work/fed.yaml" --quiet --out "$work/fed" --resume "$work/fed" --set federated.rounds=4 --allow-changes > /dev/null
"$py" scripts/check-tensorboard.py federated "$work/fed"
./descent train "$work/fed.yaml" --quiet --out "$work/fed-rewound" --set federated.rounds=1 > /dev/null
cp "$work/fed-rewound/last.safetensors" "$work/fed-round1.safetensors"
./descent train "$work/fed.yaml" --quiet --out "$work/fed-rewound" --resume "$work/fed-rewound" --set federated.rounds=3 --allow-changes > /dev/null
./descent train "$work/fed.yaml" --quiet --out "$work/fed-rewound" --resume "$work/fed-round1.safetensors" --set federated.rounds=2 --allow-changes > /dev/null
"$py" scripts/check-tensorboard.py federated "$work/fed-rewound"

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

# ONNX: every layer and activation the configuration offers, then a CNN on small IDX images.
./descent export "$work/run" --format onnx --output "$work/mlp.onnx" > /dev/null
cat > "$work/layers.yaml" <<YAML
seed: 0
data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: standard}
model: [linear: 16, layernorm, gelu, linear: 16, gelu_tanh, dropout: 0.1, silu, linear: 16, softplus: {beta: 2, threshold: 5},
        linear: 16, elu: 0.5, leaky_relu: 0.1, tanh, linear: 16, sigmoid, batchnorm1d, relu, linear: 16, softmax, linear: 10, log_softmax]
loss: nll
optimizer: {name: adam, lr: 0.01}
train: {epochs: 1, batch_size: 64}
YAML
./descent train "$work/layers.yaml" --quiet --out "$work/layers" > /dev/null
./descent export "$work/layers" --format onnx --output "$work/layers.onnx" > /dev/null
"$py" - "$work" <<'PY'
import struct, sys, random
rng = random.Random(1)
n = 60
with open(sys.argv[1] + "/images.idx", "wb") as f, open(sys.argv[1] + "/labels.idx", "wb") as g:
    f.write(struct.pack(">iiii", 0x803, n, 8, 8))
    g.write(struct.pack(">ii", 0x801, n))
    for i in range(n):
        g.write(bytes([i % 3]))
        f.write(bytes(200 if y // 2 == i % 3 + 1 else rng.randrange(60) for y in range(8) for x in range(8)))
PY
cat > "$work/cnn.yaml" <<YAML
seed: 0
data: {train: {images: images.idx, labels: labels.idx}}
model: [conv2d: {out: 4, kernel: 3, padding: 1}, batchnorm2d, relu, maxpool2d: 2, conv2d: {out: 4, kernel: 3, stride: 2, padding: 1},
        avgpool2d: {kernel: 2, stride: 1, padding: 1}, flatten, linear: 3]
loss: cross_entropy
optimizer: {name: adam, lr: 0.01}
train: {epochs: 2, batch_size: 16}
YAML
./descent train "$work/cnn.yaml" --quiet --out "$work/cnn" > /dev/null
./descent export "$work/cnn" --format onnx --output "$work/cnn.onnx" > /dev/null
# A character-level causal transformer language model: int64 token ids, attention decomposed.
"$py" -c 'import sys; open(sys.argv[1], "w").write("the quick brown fox jumps over the lazy dog. " * 8)' "$work/lm.txt"
cat > "$work/lm.yaml" <<YAML
seed: 0
data: {train: {text: lm.txt}, tokenizer: char, block_size: 8}
model: [embedding: 16, positional_embedding: {max_len: 8},
        transformer_encoder: {layers: 2, heads: 2, ff: 32, activation: gelu, norm_first: true, causal: true},
        layernorm, linear: vocab]
loss: cross_entropy
optimizer: {name: adamw, lr: 0.01}
train: {epochs: 1, batch_size: 16}
YAML
./descent train "$work/lm.yaml" --quiet --out "$work/lm" > /dev/null
./descent export "$work/lm" --format onnx --output "$work/lm.onnx" > /dev/null
# Recurrent layers as ONNX's LSTM/GRU/RNN operators: a bidirectional two-layer LSTM classifier on
# token-id columns, a two-layer GRU language model and a relu RNN without biases.
cat > "$work/lstm.yaml" <<YAML
seed: 0
data: {train: $root/examples/data/pattern-test.csv, target: contains_12}
model: [embedding: {dim: 8, vocab: 10}, lstm: {hidden: 8, layers: 2, bidirectional: true, dropout: 0.1}, last_step, linear: 2]
loss: cross_entropy
optimizer: {name: adam, lr: 0.01}
train: {epochs: 1, batch_size: 64}
YAML
./descent train "$work/lstm.yaml" --quiet --out "$work/lstm" > /dev/null
./descent export "$work/lstm" --format onnx --output "$work/lstm.onnx" > /dev/null
cat > "$work/gru.yaml" <<YAML
seed: 0
data: {train: {text: lm.txt}, tokenizer: char, block_size: 8}
model: [embedding: 16, gru: {hidden: 16, layers: 2}, rnn: {hidden: 8, nonlinearity: relu, bias: false}, linear: vocab]
loss: cross_entropy
optimizer: {name: adamw, lr: 0.01}
train: {epochs: 1, batch_size: 16}
YAML
./descent train "$work/gru.yaml" --quiet --out "$work/gru" > /dev/null
./descent export "$work/gru" --format onnx --output "$work/gru.onnx" > /dev/null
"$py" scripts/check-onnx.py "$work/mlp.onnx" "$work/layers.onnx" "$work/cnn.onnx" "$work/lm.onnx" "$work/lstm.onnx" "$work/gru.onnx"
echo "interop check: TensorBoard read every event file as written; onnx.checker passed every exported model"
