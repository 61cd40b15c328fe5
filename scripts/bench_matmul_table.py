#!/usr/bin/env python3
"""Folds the `gemm impl=...` lines of scripts/bench-matmul.sh into one comparison table.

Per shape and thread count, over all rounds: best GFLOP/s (from the least disturbed call of any
round), median GFLOP/s (median over the rounds' per-round medians), and the ratios ours/torch of
both. On a shared machine the best figures compare the kernels, the medians show the noise.
Standard library only, so any python3 runs it.
"""
import statistics
import sys
from collections import defaultdict


def parse(path):
    runs = defaultdict(list)  # (impl, m, k, n, threads) -> [fields per round]
    with open(path) as f:
        for line in f:
            if not line.startswith("gemm "):
                continue
            fields = dict(kv.split("=", 1) for kv in line.split()[1:])
            key = (fields["impl"], int(fields["m"]), int(fields["k"]), int(fields["n"]), int(fields["threads"]))
            runs[key].append(fields)
    return runs


def summary(rounds):
    if not rounds:
        return None
    best = max(float(r["best_gflops"]) for r in rounds)
    median = statistics.median(float(r["median_gflops"]) for r in rounds)
    min_ms = min(float(r["min_ms"]) for r in rounds)
    median_ms = statistics.median(float(r["median_ms"]) for r in rounds)
    return best, median, min_ms, median_ms, len(rounds)


def main():
    runs = parse(sys.argv[1])
    cases = sorted({key[1:] for key in runs}, key=lambda c: (c[0] * c[1] * c[2], c[0], c[3]))
    header = ("shape MxKxN", "thr", "ours best", "ours med", "ours min/med ms", "torch best", "torch med",
              "torch min/med ms", "ratio best", "ratio med")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for m, k, n, t in cases:
        ours = summary(runs.get(("descent", m, k, n, t), []))
        torch = summary(runs.get(("torch", m, k, n, t), []))
        def cols(s):
            return ["-"] * 3 if s is None else [f"{s[0]:.1f}", f"{s[1]:.1f}", f"{s[2]:.3f}/{s[3]:.3f}"]
        ratio = ["-", "-"]
        if ours and torch:
            ratio = [f"{ours[0] / torch[0]:.2f}", f"{ours[1] / torch[1]:.2f}"]
        print("| " + " | ".join([f"{m}x{k}x{n}", str(t)] + cols(ours) + cols(torch) + ratio) + " |")
    rounds = max((len(v) for v in runs.values()), default=0)
    print(f"\nGFLOP/s = 2*M*N*K / time; {rounds} round(s); best = fastest call of any round, "
          "med = median of the per-round medians; ratio = ours / torch.")


if __name__ == "__main__":
    main()
