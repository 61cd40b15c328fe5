"""PyTorch's side of the user's-path benchmark (scripts/bench-train.sh): the same models, data,
optimizer and batches as bench/userpath/*.yaml, in PyTorch's own training loop, as a whole process
that the caller times from the outside (start-up, data loading and the final test pass included,
exactly as for `descent train`).

Runs under any torch (Debian's 1.13 with /usr/bin/python3, the 2.13 CPU wheel in a venv). Thread
settings come from the caller: OMP_NUM_THREADS / OPENBLAS_NUM_THREADS in the environment (read when
the runtimes load) and --threads for torch.set_num_threads (0 leaves torch's default). --compile
wraps the model in torch.compile (PyTorch 2 only).

Prints one line: `result {json}` with the epochs' own seconds and the test accuracy.

Usage: bench_userpath_torch.py mlp|cnn [--epochs E] | tiny --steps S --problem logistic|linear
       --optimizer sgd|adam --csv FILE; common: [--threads N] [--compile] [--data DIR] [--seed S]
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    """IDX of unsigned bytes, gzipped: magic 0 0 8 rank, one big-endian int32 per dimension."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def fashion(data, prefix):
    images = read_idx(os.path.join(data, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data, f"{prefix}-labels-idx1-ubyte.gz"))
    # [N, 1, 28, 28] in [0, 1], as Descent reads IDX images.
    return (torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1),
            torch.from_numpy(labels.astype(np.int64)))


def model_for(bench):
    if bench == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))


def classify(a):
    """Adam 1e-3, cross-entropy, shuffled batches of 128 gathered by index (what a DataLoader over
    a TensorDataset does, without its per-batch collation cost), loss.item() every step as a
    logging loop does; test accuracy at the end."""
    x, y = fashion(a.data, "train")
    xt, yt = fashion(a.data, "t10k")
    model = model_for(a.bench)
    step_model = torch.compile(model) if a.compile else model
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(a.seed)
    n, seconds = x.shape[0], []
    for _ in range(a.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=g)
        for i in range(0, n, 128):
            idx = order[i:i + 128]
            opt.zero_grad()
            loss = loss_fn(step_model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            loss.item()
        seconds.append(time.perf_counter() - t0)
    model.eval()
    with torch.no_grad():
        correct = sum((model(xt[i:i + 1024]).argmax(1) == yt[i:i + 1024]).sum().item()
                      for i in range(0, xt.shape[0], 1024))
    return {"epoch_seconds": seconds, "accuracy": correct / xt.shape[0]}


def tiny(a):
    """A linear layer on the CSV's two features (1,024 rows, header x1,x2,y), batches of 32 in file
    order, cycled for --steps steps: BCE-with-logits or MSE, SGD 0.1 or Adam 0.01."""
    table = np.loadtxt(a.csv, delimiter=",", skiprows=1, dtype=np.float32)
    x, y = torch.from_numpy(table[:, :2].copy()), torch.from_numpy(table[:, 2:3].copy())
    batches = [(x[i:i + 32], y[i:i + 32]) for i in range(0, x.shape[0], 32)]
    model = nn.Linear(2, 1)
    loss_fn = nn.BCEWithLogitsLoss() if a.problem == "logistic" else nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.1) if a.optimizer == "sgd" else torch.optim.Adam(model.parameters(), lr=0.01)
    t0 = time.perf_counter()
    last = float("nan")
    for step in range(a.steps):
        xb, yb = batches[step % len(batches)]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        last = loss.item()
    return {"loop_us_per_step": (time.perf_counter() - t0) / a.steps * 1e6, "final_loss": last}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bench", choices=["mlp", "cnn", "tiny"])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--steps", type=int, default=10000)
    p.add_argument("--problem", choices=["logistic", "linear"], default="logistic")
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--csv")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--compile", action="store_true")
    p.add_argument("--data", default="../shared/data/fashion-mnist")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = tiny(a) if a.bench == "tiny" else classify(a)
    out.update(torch=torch.__version__, aten_threads=torch.get_num_threads())
    print("result " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
