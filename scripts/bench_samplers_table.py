#!/usr/bin/env python3
"""Table of the `sampler ...` lines from SamplerBench and bench_samplers_optuna.py.

For every problem, budget and (impl, sampler): the median best value over seeds, the quartiles
and the extremes, and the median regret (best minus the known minimum) so problems compare.
Quartiles: the order statistics at (n-1)/4 and 3(n-1)/4, linearly interpolated.
"""
import sys
from collections import defaultdict

MINIMA = {"mixed4": 0.0, "branin": 0.397887, "hartmann6": -3.32237}
ORDER = [("descent", "tpe"), ("optuna", "tpe"), ("descent", "random"), ("optuna", "random")]


def quantile(sorted_values, q):
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (pos - lo) * (sorted_values[hi] - sorted_values[lo])


def main(path):
    runs = defaultdict(list)  # (problem, budget, impl, sampler) -> best values, one per seed
    budgets, problems = set(), []
    with open(path) as f:
        for line in f:
            if not line.startswith("sampler "):
                continue
            kv = dict(tok.split("=", 1) for tok in line.split()[1:])
            if kv["problem"] not in problems:
                problems.append(kv["problem"])
            for k, v in kv.items():
                if k.startswith("best_"):
                    b = int(k[5:])
                    budgets.add(b)
                    runs[(kv["problem"], b, kv["impl"], kv["sampler"])].append(float(v))
    # The four standard rows first, then any other impl (a local variant under test) in name order.
    pairs = ORDER + sorted({(i, s) for (_, _, i, s) in runs} - set(ORDER))
    print(f"{'problem':<10} {'budget':>6}  {'sampler':<16} {'seeds':>5} {'median':>10} {'q1':>10} {'q3':>10} {'min':>10} {'max':>10} {'med.regret':>10}")
    for p in problems:
        for b in sorted(budgets):
            for impl, s in pairs:
                v = sorted(runs.get((p, b, impl, s), []))
                if not v:
                    continue
                med = quantile(v, 0.5)
                print(f"{p:<10} {b:>6}  {impl + ' ' + s:<16} {len(v):>5} {med:>10.4f} {quantile(v, 0.25):>10.4f} "
                      f"{quantile(v, 0.75):>10.4f} {v[0]:>10.4f} {v[-1]:>10.4f} {med - MINIMA.get(p, 0.0):>10.4f}")
            print()


if __name__ == "__main__":
    main(sys.argv[1])
