#!/usr/bin/python3
"""PyTorch twins of bench/'s MlpTrainBench, CnnTrainBench and TinyTrainBench, printing the same
`epoch ...` and `result ...` lines so scripts/bench_train_table.py can set them side by side.

Run with Debian's /usr/bin/python3 (python3-torch). Thread settings come from the caller
(scripts/bench-train.sh) as OMP_NUM_THREADS / OPENBLAS_NUM_THREADS in the environment, since the
OpenMP runtime and the BLAS read them when they load; --threads is passed to
torch.set_num_threads only when given (the "default" 2-thread setting leaves torch alone).

Usage: bench_train_torch.py mlp|cnn|tiny [--threads N] [--epochs E] [--limit N] [--steps S]
                            [--problem logistic|linear] [--optimizer sgd|adam] [--data DIR] [--seed S]
"""
import argparse
import ctypes
import gzip
import os
import resource
import statistics
import time

import numpy as np
import torch
from torch import nn

SETTING = "-"  # the thread setting's name (--setting), on every printed line


def line(tag, **kv):
    words = [tag] + [f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in kv.items()]
    print(" ".join(words), flush=True)


def blas_backend():
    """Which libblas.so.3 torch's matmuls reach. Debian's torch calls the system BLAS through
    the libblas.so.3 alternative: the reference BLAS (about 7 GFLOP/s) unless OpenBLAS is
    installed or put first on LD_LIBRARY_PATH."""
    # The file the dynamic linker actually mapped for torch (the alternative resolved), then a
    # probe of the same (already loaded) library for OpenBLAS's own entry points.
    with open("/proc/self/maps") as f:
        paths = sorted({l.split()[-1] for l in f if "libblas" in l or "libopenblas" in l})
    where = os.path.realpath(paths[0]) if paths else "no libblas mapped"
    try:
        blas = ctypes.CDLL("libblas.so.3")
        blas.openblas_get_config.restype = ctypes.c_char_p
        return f"{where}: {blas.openblas_get_config().decode()} with {blas.openblas_get_num_threads()} BLAS threads"
    except (OSError, AttributeError):
        return f"{where}: NOT OpenBLAS (reference BLAS?), torch numbers will be far too slow"


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux: the same VmHWM the Java side reads from /proc/self/status.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def read_idx(path):
    """Gzipped IDX (unsigned bytes): big-endian magic 0 0 8 rank, one int32 per dimension, data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 8:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def fashion(data, train, limit=0):
    prefix = "train" if train else "t10k"
    images = read_idx(os.path.join(data, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data, f"{prefix}-labels-idx1-ubyte.gz"))
    if limit > 0:
        images, labels = images[:limit], labels[:limit]
    # [N, 1, 28, 28] float32 in [0, 1] and int64 class indices, as Idx.read gives Descent.
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


def epoch_bench(name, model, x, y, xt, yt, epochs, seed, threads):
    """Same protocol as EpochBench.java: shuffled batches of 128, Adam 1e-3, cross-entropy,
    loss.item() every step (as Descent's Trainer does), epochs timed one by one, test accuracy
    after the last one outside the timing."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    n, seconds = x.shape[0], []
    for e in range(epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=g)
        total, count = 0.0, 0
        for i in range(0, n, 128):
            idx = order[i:i + 128]
            xb, yb = x[idx], y[idx]  # gathered rows, as a DataLoader over a TensorDataset does
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item()
            count += 1
        s = time.perf_counter() - t0
        seconds.append(s)
        line("epoch", bench=name, impl="torch", setting=SETTING, threads=threads, epoch=e + 1, seconds=s, loss=total / count)
    model.eval()
    with torch.no_grad():
        correct = sum((model(xt[i:i + 1024]).argmax(1) == yt[i:i + 1024]).sum().item() for i in range(0, xt.shape[0], 1024))
    tail = seconds[1:] if len(seconds) > 1 else seconds
    line("result", bench=name, impl="torch", setting=SETTING, threads=threads, epochs=len(seconds), train_size=n,
         sec_per_epoch_median=statistics.median(tail), sec_per_epoch_min=min(tail),
         epoch_seconds=",".join(f"{s:.3f}" for s in seconds), accuracy=correct / xt.shape[0], peak_rss_mb=peak_rss_mb())


def mlp(a, threads):
    x, y = fashion(a.data, True, a.limit)
    xt, yt = fashion(a.data, False)
    x, xt = x.reshape(x.shape[0], -1).contiguous(), xt.reshape(xt.shape[0], -1).contiguous()
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    epoch_bench("mlp", model, x, y, xt, yt, a.epochs or 5, a.seed, threads)


def cnn(a, threads):
    x, y = fashion(a.data, True, a.limit)
    xt, yt = fashion(a.data, False)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))
    epoch_bench("cnn", model, x, y, xt, yt, a.epochs or 2, a.seed, threads)


def tiny(a, threads):
    """Same as TinyTrainBench.java: 32 fixed batches of 32 rows on 2 features, cycled; SGD 0.1
    or Adam 0.01; zero_grad, forward, loss, backward, step, loss.item()."""
    g = torch.Generator().manual_seed(a.seed)
    xs, ys = [], []
    for _ in range(32):
        xb = torch.randn(32, 2, generator=g)
        noise = torch.randn(32, generator=g)
        if a.problem == "logistic":
            yb = ((1.5 * xb[:, 0] - xb[:, 1] + 0.2 + 0.3 * noise) > 0).float()
        else:
            yb = 3 * xb[:, 0] - 2 * xb[:, 1] + 0.5 + 0.1 * noise
        xs.append(xb)
        ys.append(yb.unsqueeze(1))
    model = nn.Linear(2, 1)
    loss_fn = nn.BCEWithLogitsLoss() if a.problem == "logistic" else nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.1) if a.optimizer == "sgd" else torch.optim.Adam(model.parameters(), lr=0.01)
    steps, last = a.steps, float("nan")
    start = half = time.perf_counter()
    for step in range(steps):
        if step == steps // 2:
            half = time.perf_counter()
        b = step % 32
        opt.zero_grad()
        loss = loss_fn(model(xs[b]), ys[b])
        loss.backward()
        opt.step()
        last = loss.item()
    end = time.perf_counter()
    all_rate, steady = steps / (end - start), (steps - steps // 2) / (end - half)
    line("result", bench=f"tiny-{a.problem}-{a.optimizer}", impl="torch", setting=SETTING, threads=threads, steps=steps,
         steps_per_sec=all_rate, steady_steps_per_sec=steady, us_per_step=1e6 / all_rate, final_loss=last,
         peak_rss_mb=peak_rss_mb())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bench", choices=["mlp", "cnn", "tiny"])
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 leaves torch's default")
    p.add_argument("--label", type=int, default=0, help="thread count to print (defaults to --threads)")
    p.add_argument("--setting", default="-", help="name of the thread setting, printed on each line")
    p.add_argument("--epochs", type=int, default=0)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--steps", type=int, default=10000)
    p.add_argument("--problem", choices=["logistic", "linear"], default="logistic")
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--data", default="../shared/data/fashion-mnist")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    global SETTING
    SETTING = a.setting
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    print(f"# torch {torch.__version__}: {torch.get_num_threads()} ATen threads, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '-')}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '-')}, {blas_backend()}", flush=True)
    {"mlp": mlp, "cnn": cnn, "tiny": tiny}[a.bench](a, a.label or a.threads or torch.get_num_threads())


if __name__ == "__main__":
    main()
