"""PyTorch's side of the user's-path benchmark (scripts/bench-train.sh): the same models, data,
optimizer and batches as bench/userpath/*.yaml, in PyTorch's own training loop, as a whole process
that the caller times from the outside (start-up, data loading and the final test pass included,
exactly as for `descent train`).

Runs under any torch (Debian's 1.13 with /usr/bin/python3, the 2.13 CPU wheel in a venv). Thread
settings come from the caller: OMP_NUM_THREADS / OPENBLAS_NUM_THREADS in the environment (read when
the runtimes load) and --threads for torch.set_num_threads (0 leaves torch's default). --compile
wraps the model in torch.compile (PyTorch 2 only).

Prints one line: `result {json}` with the epochs' own seconds and the test accuracy (the sequence
benchmarks: the seconds since training started after each step).

Usage: bench_userpath_torch.py mlp|cnn [--epochs E] | tiny --steps S --problem logistic|linear
       --optimizer sgd|adam --csv FILE | char-transformer|char-lstm --steps S --text FILE;
       common: [--threads N] [--compile] [--data DIR] [--seed S]
"""
import argparse
import gzip
import inspect
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


class CharTransformer(nn.Module):
    """bench/userpath/char-transformer.yaml: embedding, learned positions, 4 pre-norm causal
    TransformerEncoderLayers (d 128, 4 heads, ff 512, GELU, no dropout), LayerNorm, linear."""

    def __init__(self, vocab, d=128, heads=4, ff=512, layers=4, max_len=128):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(max_len, d) * 0.02)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation="gelu",
                                                               batch_first=True, norm_first=True) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)
        # PyTorch 2 takes is_causal=True with the mask as a hint and then runs its causal
        # scaled-dot-product attention kernel (no mask tensor): PyTorch's fastest path.
        self.hint = "is_causal" in inspect.signature(nn.TransformerEncoderLayer.forward).parameters

    def forward(self, x):
        t = x.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.emb(x) + self.pos[:t]
        for layer in self.layers:
            h = layer(h, src_mask=mask, is_causal=True) if self.hint else layer(h, src_mask=mask)
        return self.head(self.norm(h))


class CharLstm(nn.Module):
    """bench/userpath/char-lstm.yaml: embedding 128, a 2-layer LSTM of 256 (batch first), linear."""

    def __init__(self, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, 128)
        self.lstm = nn.LSTM(128, 256, num_layers=2, batch_first=True)
        self.head = nn.Linear(256, vocab)

    def forward(self, x):
        return self.head(self.lstm(self.emb(x))[0])


def sequence(a):
    """A character-level language model on --text as Descent's text data reads it (vocabulary
    sorted(set(text)), windows x_i = ids[iT : iT+T], y_i shifted by one, T = 128), shuffled batches
    of 32 windows, AdamW 1e-3 (weight decay 0.01), mean cross-entropy over all tokens, loss.item()
    every step; --steps steps (cycling epochs if needed)."""
    block, batch = 128, 32
    with open(a.text, encoding="utf-8", newline="") as f:
        text = f.read()
    vocab = sorted(set(text))
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    ids = torch.from_numpy(np.searchsorted(np.array([ord(c) for c in vocab], dtype=np.uint32), codes).astype(np.int64))
    n = (ids.shape[0] - 1) // block
    x, y = ids[:n * block].view(n, block), ids[1:n * block + 1].view(n, block)
    model = CharTransformer(len(vocab)) if a.bench == "char-transformer" else CharLstm(len(vocab))
    step_model = torch.compile(model) if a.compile else model
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    g = torch.Generator().manual_seed(a.seed)
    t0, seconds, order, at = time.perf_counter(), [], torch.randperm(n, generator=g), 0
    for _ in range(a.steps):
        if at + batch > n:
            order, at = torch.randperm(n, generator=g), 0
        idx = order[at:at + batch]
        at += batch
        opt.zero_grad()
        logits = step_model(x[idx])
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y[idx].reshape(-1))
        loss.backward()
        opt.step()
        loss.item()
        seconds.append(time.perf_counter() - t0)
    return {"step_seconds": seconds, "tokens_per_step": batch * block, "final_loss": loss.item()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bench", choices=["mlp", "cnn", "tiny", "char-transformer", "char-lstm"])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--steps", type=int, default=10000)
    p.add_argument("--problem", choices=["logistic", "linear"], default="logistic")
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--csv")
    p.add_argument("--text", help="the training text of the sequence benchmarks (kjv.txt)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--compile", action="store_true")
    p.add_argument("--data", default="../shared/data/fashion-mnist")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = tiny(a) if a.bench == "tiny" else sequence(a) if a.bench.startswith("char-") else classify(a)
    out.update(torch=torch.__version__, aten_threads=torch.get_num_threads())
    print("result " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
