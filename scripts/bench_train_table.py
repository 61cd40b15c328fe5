#!/usr/bin/env python3
"""Folds the `result ...` lines of scripts/bench-train.sh into one table, ours beside PyTorch's.

Per benchmark and thread count, over the rounds: min and median of the per-round figure
(seconds per epoch, itself the median of epochs 2..N, for mlp/cnn; microseconds per step over
all steps for the tiny problems, so that lower is better everywhere). For PyTorch at a thread
count with several settings, the setting with the lower median is kept and named. The ratio is
ours / torch of the time (lower is better; < 1 means Descent is faster): the form of issue 6's
targets (MLP <= 0.75 on 1 thread, CNN <= 0.6, tiny problems <= 0.05, i.e. 20x the steps/s).
Standard library only.
"""
import statistics
import sys
from collections import defaultdict


def parse(path):
    runs = defaultdict(list)  # (bench, threads, impl, setting) -> [fields per round]
    with open(path) as f:
        for line in f:
            if line.startswith("result "):
                d = dict(kv.split("=", 1) for kv in line.split()[1:])
                runs[(d["bench"], int(d["threads"]), d["impl"], d.get("setting", "-"))].append(d)
    return runs


def figure(d):
    """The per-round time figure: seconds per epoch, or microseconds per step."""
    return float(d["sec_per_epoch_median"]) if "sec_per_epoch_median" in d else float(d["us_per_step"])


def summary(rounds):
    v = [figure(d) for d in rounds]
    acc = [float(d["accuracy"]) for d in rounds if "accuracy" in d]
    return {
        "min": min(v), "med": statistics.median(v), "n": len(v),
        "acc": statistics.median(acc) if acc else None,
        "rss": max(float(d["peak_rss_mb"]) for d in rounds),
        "load": sorted(float(d["load"].split("/")[0]) for d in rounds if "load" in d),
    }


def main():
    runs = parse(sys.argv[1])
    order = ["mlp", "cnn", "tiny-logistic-sgd", "tiny-logistic-adam", "tiny-linear-sgd", "tiny-linear-adam"]
    cases = sorted({(b, t) for b, t, _, _ in runs}, key=lambda c: (order.index(c[0]) if c[0] in order else 99, c[0], c[1]))
    header = ("benchmark", "thr", "unit", "ours min", "ours med", "torch min", "torch med", "torch setting",
              "ratio min", "ratio med", "acc ours/torch", "peak RSS MiB ours/torch", "rounds", "load 1-min")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for b, t in cases:
        ours = [summary(v) for (bb, tt, impl, _), v in runs.items() if (bb, tt, impl) == (b, t, "descent")]
        torch = sorted(((summary(v), s) for (bb, tt, impl, s), v in runs.items() if (bb, tt, impl) == (b, t, "torch")),
                       key=lambda x: x[0]["med"])
        o = ours[0] if ours else None
        tr, setting = torch[0] if torch else (None, "-")
        unit = "s/epoch" if b in ("mlp", "cnn") else "us/step"
        fmt = (lambda x: f"{x:.3f}") if unit == "s/epoch" else (lambda x: f"{x:.2f}")
        # the tiny problems' target is a ratio of 0.05: two decimals would hide which side it falls
        rfmt = (lambda r: f"{r:.2f}") if unit == "s/epoch" else (lambda r: f"{r:.3f}")
        cols = [b, str(t), unit,
                fmt(o["min"]) if o else "-", fmt(o["med"]) if o else "-",
                fmt(tr["min"]) if tr else "-", fmt(tr["med"]) if tr else "-", setting,
                rfmt(o['min'] / tr['min']) if o and tr else "-", rfmt(o['med'] / tr['med']) if o and tr else "-",
                "/".join(f"{s['acc']:.4f}" if s and s["acc"] is not None else "-" for s in (o, tr)),
                "/".join(f"{s['rss']:.0f}" if s else "-" for s in (o, tr)),
                "/".join(str(s["n"]) if s else "0" for s in (o, tr)),
                "-".join(f"{x:.2f}" for x in (min(o["load"] + tr["load"]), max(o["load"] + tr["load"])))
                if o and tr and (o["load"] or tr["load"]) else "-"]
        print("| " + " | ".join(cols) + " |")
    print("\nmin / med: over rounds, of each round's figure (s/epoch = median of epochs 2..N; us/step = all steps,"
          " JIT warm-up included). ratio = ours / torch time: lower is better, < 1 means Descent is faster."
          " torch setting: the faster of those tried at that thread count. Accuracy: median over rounds;"
          " peak RSS: largest over rounds (VmHWM). load: range of 1-minute load averages at the runs' starts.")
    settings(runs, cases)
    steady(runs, cases)
    eager(runs, cases)


def settings(runs, cases):
    """Every torch setting tried, so a setting that lost on the median (one bad, contended round)
    but won on the min stays visible."""
    lines = []
    for b, t in cases:
        per = sorted((s, summary(v)) for (bb, tt, i, s), v in runs.items() if (bb, tt, i) == (b, t, "torch"))
        if len(per) > 1:
            lines.append(f"{b} {t} thr: " + "; ".join(f"{s} {x['min']:.3f}/{x['med']:.3f}" for s, x in per))
    if lines:
        print("\nPyTorch settings tried (min/med, same unit):\n" + "\n".join(lines))


def steady(runs, cases):
    """The tiny problems again at steady state (second half of the steps, after the JIT has
    compiled the loop): separates per-step overhead from warm-up cost."""
    rows = []
    for b, t in cases:
        if not b.startswith("tiny"):
            continue
        def med(impl):
            per = [statistics.median(1e6 / float(d["steady_steps_per_sec"]) for d in v)
                   for (bb, tt, i, _), v in runs.items() if (bb, tt, i) == (b, t, impl)]
            return min(per) if per else None
        o, tr = med("descent"), med("torch")
        rows.append(f"| {b} | {t} | {o:.1f} | {tr:.1f} | {o / tr:.2f} |" if o and tr else f"| {b} | {t} | - | - | - |")
    if rows:
        print("\nTiny problems, steady state (second half of the steps; median over rounds; torch: its faster setting)")
        print("| benchmark | thr | ours us/step | torch us/step | ratio ours/torch |")
        print("|---|---|---|---|---|")
        print("\n".join(rows))


def eager(runs, cases):
    """The tiny problems written out eagerly (zeroGrad, forward, loss, backward, step) instead of
    through CompiledStep: what a step costs without the plan."""
    rows = []
    for b, t in cases:
        if not b.startswith("tiny"):
            continue
        o = [summary(v) for (bb, tt, i, _), v in runs.items() if (bb, tt, i) == (b, t, "descent-eager")]
        tr = sorted((summary(v) for (bb, tt, i, _), v in runs.items() if (bb, tt, i) == (b, t, "torch")), key=lambda x: x["med"])
        if o and tr:
            o, tr = o[0], tr[0]
            rows.append(f"| {b} | {t} | {o['min']:.1f} | {o['med']:.1f} | {tr['med']:.1f} | {o['min'] / tr['min']:.2f} | {o['med'] / tr['med']:.2f} |")
    if rows:
        print("\nTiny problems, eager steps (no CompiledStep); all steps, as the main table")
        print("| benchmark | thr | ours min | ours med | torch med | ratio min | ratio med |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(rows))


if __name__ == "__main__":
    main()
