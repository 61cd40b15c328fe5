"""Issue 16, part 2's check: N whole `descent train` processes of the user's-path CNN
(bench/userpath/cnn.yaml, 2 epochs), each one's steady epoch (epoch 2: its metrics.jsonl epoch
records hold seconds since training started, so epoch 2 = t2 - t1), then min / median / max over
the runs and worst / median. A process whose kernels fell back to the Vector API's Java code (the
slow runs of bench/training.md) shows as an epoch 3-4.6x the median; the target is worst <= 1.25x
median. Run it on a quiet machine: nothing else heavy at the same time.

Usage: python3 scripts/bench_cnn_runs.py [--runs 10] [--threads 2] [--data DIR] [--keep FILE]
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_userpath  # noqa: E402  (its Descent runner: the same command line as the table)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=os.path.join(bench_userpath.ROOT, "..", "shared", "data", "fashion-mnist"))
    p.add_argument("--keep", default=None, help="append each run's record (JSON lines) to this file")
    a = p.parse_args()
    import tempfile
    descent = bench_userpath.Descent(os.path.abspath(a.data), tempfile.mkdtemp(prefix="bench-cnn-runs-"))
    epochs = []
    for run in range(1, a.runs + 1):
        r = descent.classify("cnn", 2, a.threads, "-")
        t = r["epoch_seconds"]
        record = {"run": run, "threads": a.threads, "epoch1": t[0], "epoch2": t[1] - t[0], "wall": r["wall"],
                  "accuracy": r["accuracy"], "load": os.getloadavg()[0]}
        epochs.append(record["epoch2"])
        print(json.dumps(record), flush=True)
        if a.keep:
            with open(a.keep, "a") as f:
                f.write(json.dumps(record) + "\n")
    med = statistics.median(epochs)
    print(f"cnn epoch 2, {a.runs} runs, {a.threads} threads: min {min(epochs):.2f} s, median {med:.2f} s, max {max(epochs):.2f} s;"
          f" worst / median {max(epochs) / med:.2f} (target <= 1.25)")


if __name__ == "__main__":
    main()
