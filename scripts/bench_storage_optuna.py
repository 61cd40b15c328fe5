#!/usr/bin/env python3
"""One Optuna worker of a shared study whose objective does nothing: the counterpart of Descent's
bench StorageBench, run W at a time by scripts/bench-storage.sh.

    bench_storage_optuna.py --url sqlite:///s.db --study NAME --trials N

runs the study until it holds N trials in all (MaxTrialsCallback, so W workers together run N),
with the random sampler and one thread, then prints

    storage impl=optuna seconds=1.234

Needs optuna (and psycopg2 for postgresql:// URLs), e.g. from a venv:
python3 -m venv /tmp/venv && /tmp/venv/bin/pip install optuna psycopg2-binary
"""
import argparse
import os
import time

import optuna
from optuna.study import MaxTrialsCallback


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True, help="an SQLAlchemy URL: sqlite:///path or postgresql://user:password@host:port/db")
    ap.add_argument("--study", default="bench")
    ap.add_argument("--trials", type=int, default=200)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    t0 = time.perf_counter()
    storage = optuna.storages.RDBStorage(args.url)
    study = optuna.create_study(study_name=args.study, storage=storage, load_if_exists=True,
                                sampler=optuna.samplers.RandomSampler(seed=os.getpid()))
    study.optimize(lambda t: t.suggest_float("x", 0, 1), callbacks=[MaxTrialsCallback(args.trials, states=None)])
    print(f"storage impl=optuna seconds={time.perf_counter() - t0:.3f}", flush=True)


if __name__ == "__main__":
    main()
