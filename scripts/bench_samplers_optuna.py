#!/usr/bin/env python3
"""Optuna's TPESampler and RandomSampler on the problems of Descent's bench SamplerBench.

The spaces and formulas mirror bench/src/main/java/dev/descent/bench/SamplerProblems.java; change
both together. Output, one line per (problem, sampler, seed), in SamplerBench's format:

    sampler impl=optuna problem=branin sampler=tpe seed=0 best_30=0.52 best_60=0.41 ms=350

TPESampler keeps Optuna's defaults (n_startup_trials=10, n_ei_candidates=24, prior weight 1, magic
clip on, endpoints off), which are what Descent's TpeSampler follows; Optuna 3.1's TPE is univariate
as Descent's, Optuna 4 and later default to the multivariate TPE for one objective, and --univariate
(tpe rows only) turns that off for a like-for-like row. Each study runs
the largest budget once and reports the best after each budget: no sampler looks at the total.
Run with Debian's /usr/bin/python3 (package python3-optuna, Optuna 3.1), or with a venv's python
holding another Optuna and --impl naming it (scripts/bench-samplers.sh --optuna5 PYTHON).
"""
import argparse
import math
import time

import optuna

H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
       [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def mixed4(trial):
    # Descent's TpeSampler acceptance test: minimum 0 at x=1.5, lr=1e-3, units=40, act=gelu.
    x = trial.suggest_float("x", -5, 5) - 1.5
    lr = math.log10(trial.suggest_float("lr", 1e-6, 1, log=True)) + 3
    u = (trial.suggest_int("units", 1, 128) - 40) / 20.0
    act = 0 if trial.suggest_categorical("act", ["relu", "tanh", "gelu", "sigmoid"]) == "gelu" else 1
    return x * x + lr * lr + u * u + act


def branin(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    b, c, t = 5.1 / (4 * math.pi * math.pi), 5 / math.pi, 1 / (8 * math.pi)
    q = x2 - b * x1 * x1 + c * x1 - 6
    return q * q + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(trial):
    xs = [trial.suggest_float(f"x{j}", 0, 1) for j in range(6)]
    f = 0.0
    for i in range(4):
        s = 0.0
        for j in range(6):
            d = xs[j] - 1e-4 * H_P[i][j]
            s += H_A[i][j] * d * d
        f -= H_ALPHA[i] * math.exp(-s)
    return f


PROBLEMS = {"mixed4": mixed4, "branin": branin, "hartmann6": hartmann6}


def best_of_first(study, n):
    values = [t.value for t in study.trials if t.number < n and t.state == optuna.trial.TrialState.COMPLETE]
    return min(values) if values else math.inf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", default="mixed4,branin,hartmann6")
    ap.add_argument("--budgets", default="30,60")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--impl", default="optuna", help="the name of this Optuna in the table, e.g. optuna5 for a second version")
    ap.add_argument("--univariate", action="store_true",
                    help="TPESampler(multivariate=False): Optuna 4+ defaults to the multivariate TPE for one objective; 3.1 and Descent are univariate")
    args = ap.parse_args()
    budgets = sorted(int(b) for b in args.budgets.split(","))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(f"# optuna {optuna.__version__}", flush=True)
    for name in args.problems.split(","):
        objective = PROBLEMS[name]
        for sampler_name in ("tpe",) if args.univariate else ("tpe", "random"):
            for seed in range(args.seeds):
                if sampler_name == "tpe":
                    sampler = optuna.samplers.TPESampler(seed=seed, **({"multivariate": False} if args.univariate else {}))
                else:
                    sampler = optuna.samplers.RandomSampler(seed=seed)
                t0 = time.perf_counter()
                study = optuna.create_study(direction="minimize", sampler=sampler)
                study.optimize(objective, n_trials=budgets[-1])
                ms = int((time.perf_counter() - t0) * 1000)
                bests = " ".join(f"best_{b}={best_of_first(study, b):.6g}" for b in budgets)
                print(f"sampler impl={args.impl} problem={name} sampler={sampler_name} seed={seed} {bests} ms={ms}", flush=True)


if __name__ == "__main__":
    main()
