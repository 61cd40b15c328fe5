#!/usr/bin/env python3
"""Reads Descent's TensorBoard event files with TensorBoard's own reader and checks them.

  check-tensorboard.py run RUN_DIR       # descent train with callbacks.tensorboard
  check-tensorboard.py compare OUT VARIANT...
  check-tensorboard.py tune OUT TRIALS
  check-tensorboard.py resumed RUN_DIR   # trained, then resumed twice from an earlier checkpoint
  check-tensorboard.py federated RUN_DIR # a federated run (federated: section)

run: every train/* point equals the step records of RUN_DIR/metrics.jsonl, every val/* point the
eval records, epoch/loss the epoch records (all as float32, which is what a scalar summary holds);
weight and gradient histograms exist for every parameter, and the config is there as text.
compare: OUT/tb holds one run per variant, each checked against its variant's metrics.jsonl.
tune: OUT/tb's HParams experiment names the search parameters and the metric, and every trial
has a session (start with its parameters, end with its status), its curves, and the parameters
and value of its row in OUT/leaderboard.csv.
resumed: the curves hold each step once, the last run's values (metrics.jsonl keeps every run's
lines; the restart mark of a resumed run makes TensorBoard drop what it replaces).
federated: every value of every round line of metrics.jsonl (client_loss, drift, val_*) is a point
at the round number (round/<name>, val/<name>), and the config is there as text; for a resumed run
each round once, the last run's values (metrics.jsonl is cut back to the checkpoint's round).
Prints one line per check and exits 1 on the first failure.
"""
import csv
import json
import math
import os
import sys

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import metadata as hparams_metadata

EVERYTHING = {"scalars": 0, "histograms": 0, "tensors": 0}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def load(path):
    acc = EventAccumulator(path, size_guidance=EVERYTHING)
    acc.Reload()
    return acc


def f32(v):
    return float("nan") if v is None else float(np.float32(v))


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def records(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def check_curve(acc, tag, expected, where):
    """expected: [(step, value)] from metrics.jsonl, in file order."""
    if tag not in acc.Tags()["scalars"]:
        fail(f"{where}: no scalar '{tag}' (has {sorted(acc.Tags()['scalars'])})")
    got = [(e.step, e.value) for e in acc.Scalars(tag)]
    want = [(s, f32(v)) for s, v in expected]
    if len(got) != len(want):
        fail(f"{where}: '{tag}' has {len(got)} points, metrics.jsonl {len(want)}")
    for (gs, gv), (ws, wv) in zip(got, want):
        if gs != ws or not same(gv, wv):
            fail(f"{where}: '{tag}' at step {gs}: {gv}, metrics.jsonl says step {ws}: {wv}")
    return len(got)


def check_run(tb_dir, run_dir, where):
    acc = load(tb_dir)
    recs = records(run_dir)
    steps = [r for r in recs if r["kind"] == "step"]
    evals = [r for r in recs if r["kind"] == "eval"]
    epochs = [r for r in recs if r["kind"] == "epoch"]
    points = 0
    for key in ("loss", "lr", "grad_norm"):
        points += check_curve(acc, "train/" + key, [(r["step"], r[key]) for r in steps], where)
    for name in sorted({k for r in evals for k in r if k.startswith("val_")}):
        points += check_curve(acc, "val/" + name[4:], [(r["step"], r[name]) for r in evals], where)
    points += check_curve(acc, "epoch/loss", [(r["step"], r["loss"]) for r in epochs], where)
    histograms = acc.Tags()["histograms"]
    weights = [t for t in histograms if t.startswith("weights/")]
    grads = [t for t in histograms if t.startswith("grads/")]
    if not weights or len(weights) != len(grads):
        fail(f"{where}: expected a weight and a gradient histogram per parameter, got {sorted(histograms)}")
    for tag in weights + grads:
        h = acc.Histograms(tag)[-1].histogram_value
        if h.num <= 0 or not h.min <= h.max or sum(h.bucket) != h.num:
            fail(f"{where}: histogram '{tag}' is inconsistent: num {h.num}, min {h.min}, max {h.max}, buckets sum {sum(h.bucket)}")
    if "config" not in acc.Tags()["tensors"]:
        fail(f"{where}: no 'config' text")
    text = acc.Tensors("config")[0].tensor_proto.string_val[0].decode()
    if "model:" not in text:
        fail(f"{where}: the 'config' text does not hold the configuration: {text[:80]!r}")
    print(f"ok: {where}: {points} scalar points equal metrics.jsonl; {len(weights)} weight and {len(grads)} gradient histograms; config text")


def check_compare(out, variants):
    tb = os.path.join(out, "tb")
    runs = sorted(d for d in os.listdir(tb) if os.path.isdir(os.path.join(tb, d)))
    if runs != sorted(variants):
        fail(f"{tb}: runs {runs}, expected one per variant {sorted(variants)}")
    for v in variants:
        check_run(os.path.join(tb, v), os.path.join(out, "variants", v), f"compare variant {v}")
    print(f"ok: {tb}: one run per variant ({', '.join(runs)})")


def check_tune(out, trials):
    tb = os.path.join(out, "tb")
    root = load(tb)
    content = root.PluginTagToContent(hparams_metadata.PLUGIN_NAME)
    if hparams_metadata.EXPERIMENT_TAG not in content:
        fail(f"{tb}: no HParams experiment summary")
    experiment = hparams_metadata.parse_experiment_plugin_data(content[hparams_metadata.EXPERIMENT_TAG])
    names = [h.name for h in experiment.hparam_infos]
    metrics = [m.name.tag for m in experiment.metric_infos]
    if not names or len(metrics) != 1:
        fail(f"{tb}: experiment has hparams {names} and metrics {metrics}")
    sessions = sorted(d for d in os.listdir(tb) if os.path.isdir(os.path.join(tb, d)))
    if len(sessions) != trials:
        fail(f"{tb}: {len(sessions)} trial runs, expected {trials}")
    with open(os.path.join(out, "leaderboard.csv")) as f:
        board = {int(row["trial"]): row for row in csv.DictReader(f)}
    for s in sessions:
        acc = load(os.path.join(tb, s))
        c = acc.PluginTagToContent(hparams_metadata.PLUGIN_NAME)
        start = hparams_metadata.parse_session_start_info_plugin_data(c[hparams_metadata.SESSION_START_INFO_TAG])
        end = hparams_metadata.parse_session_end_info_plugin_data(c[hparams_metadata.SESSION_END_INFO_TAG])
        # A conditional parameter (momentum only for sgd) is absent from the trials that lack it.
        if not start.hparams or not set(start.hparams) <= set(names):
            fail(f"{tb}/{s}: session parameters {sorted(start.hparams)}, experiment {sorted(names)}")
        row = board[int(s)]
        for name, v in start.hparams.items():
            got = getattr(v, v.WhichOneof("kind"))
            if str(got) != row[name] and not (isinstance(got, float) and float(row[name]) == got):
                fail(f"{tb}/{s}: parameter {name} is {got}, leaderboard.csv says {row[name]}")
        if end.status == 1:
            value = acc.Scalars(metrics[0])[-1].value
            if row["state"] != "complete" or value != f32(float(row[metrics[0].split("/", 1)[1]])):
                fail(f"{tb}/{s}: metric {metrics[0]} is {value}, leaderboard.csv says {row}")
        if "train/loss" not in acc.Tags()["scalars"]:
            fail(f"{tb}/{s}: no training curve")
        print(f"ok: {tb}/{s}: session {dict((k, v.WhichOneof('kind') and getattr(v, v.WhichOneof('kind'))) for k, v in start.hparams.items())}, status {end.status}")
    print(f"ok: {tb}: HParams experiment with {names} and metric {metrics[0]}; {trials} sessions, as leaderboard.csv")


def check_resumed(run_dir):
    acc = load(os.path.join(run_dir, "tb"))
    latest = {}
    for r in records(run_dir):
        if r["kind"] == "step":
            latest[r["step"]] = r["loss"]
        if r["kind"] == "end":
            # A later run restarting at an earlier step replaces everything after it.
            last = r["step"]
            latest = {k: v for k, v in latest.items() if k <= last}
    got = [(e.step, e.value) for e in acc.Scalars("train/loss")]
    want = sorted((s, f32(v)) for s, v in latest.items())
    if [s for s, _ in got] != [s for s, _ in want]:
        fail(f"{run_dir}: train/loss steps {[s for s, _ in got]}, expected each of {[s for s, _ in want]} once")
    for (gs, gv), (ws, wv) in zip(got, want):
        if not same(gv, wv):
            fail(f"{run_dir}: train/loss at step {gs}: {gv}, the last run logged {wv}")
    print(f"ok: {run_dir}: after two resumes, train/loss holds steps 1..{got[-1][0]} once each, the last run's values")


def check_federated(run_dir):
    acc = load(os.path.join(run_dir, "tb"))
    rounds = [r for r in records(run_dir) if r["kind"] == "round"]
    if not rounds:
        fail(f"{run_dir}: metrics.jsonl has no round lines")
    names = [k for k in rounds[0] if k not in ("kind", "round", "clients")]
    tags = ["val/" + k[4:] if k.startswith("val_") else "round/" + k for k in names]
    points = sum(check_curve(acc, t, [(r["round"], r[k]) for r in rounds], run_dir) for t, k in zip(tags, names))
    if sorted(acc.Tags()["scalars"]) != sorted(tags):
        fail(f"{run_dir}: scalars {sorted(acc.Tags()['scalars'])}, metrics.jsonl's round lines have {sorted(tags)}")
    if "config" not in acc.Tags()["tensors"] or "federated:" not in acc.Tensors("config")[0].tensor_proto.string_val[0].decode():
        fail(f"{run_dir}: no 'config' text holding the federated section")
    print(f"ok: {run_dir}: {points} points of {len(rounds)} rounds ({', '.join(tags)}) equal metrics.jsonl; config text")


def main(argv):
    if len(argv) < 3:
        fail(__doc__)
    mode = argv[1]
    if mode == "run":
        check_run(os.path.join(argv[2], "tb"), argv[2], argv[2])
    elif mode == "compare":
        check_compare(argv[2], argv[3:])
    elif mode == "resumed":
        check_resumed(argv[2])
    elif mode == "federated":
        check_federated(argv[2])
    elif mode == "tune":
        check_tune(argv[2], int(argv[3]))
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
