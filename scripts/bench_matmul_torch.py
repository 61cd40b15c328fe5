#!/usr/bin/python3
"""PyTorch's torch.mm on the shapes GemmBench measures, printing the same line format.

Run with Debian's /usr/bin/python3 (it has python3-torch). Thread pinning: torch.set_num_threads
here, plus OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set by the caller (scripts/bench-matmul.sh)
before the interpreter starts, since the BLAS reads them only at load time.

Usage: bench_matmul_torch.py --threads 1 [--shapes 128x784x256,512] [--seconds 1.5] [--min-reps 5]
Shapes are MxKxN (C[m,n] = A[m,k] @ B[k,n]) or one number for a cube.
"""
import argparse
import ctypes
import time

import torch


def parse_shapes(spec):
    shapes = []
    for part in spec.split(","):
        d = [int(x) for x in part.strip().split("x")]
        if len(d) == 1:
            d = d * 3
        if len(d) != 3:
            raise SystemExit(f"shape {part}: expected MxKxN or a single size")
        shapes.append(tuple(d))
    return shapes


def run(m, k, n, threads, seconds, min_reps):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(m, k, generator=g, dtype=torch.float32)
    b = torch.randn(k, n, generator=g, dtype=torch.float32)
    c = torch.empty(m, n, dtype=torch.float32)
    # Same protocol as GemmBench: warm up for a third of the time (at least 3 calls), then time
    # single calls until both min_reps and the measuring time are reached.
    warm_end = time.perf_counter() + seconds / 3
    i = 0
    while i < 3 or time.perf_counter() < warm_end:
        torch.mm(a, b, out=c)
        i += 1
    times = []
    end = time.perf_counter() + seconds
    while len(times) < min_reps or (time.perf_counter() < end and len(times) < 100_000):
        t0 = time.perf_counter_ns()
        torch.mm(a, b, out=c)
        times.append(time.perf_counter_ns() - t0)
    times.sort()
    min_ms, median_ms = times[0] / 1e6, times[len(times) // 2] / 1e6
    flop = 2.0 * m * n * k
    print(f"gemm impl=torch m={m} k={k} n={n} threads={threads} reps={len(times)} "
          f"min_ms={min_ms:.4f} median_ms={median_ms:.4f} best_gflops={flop / min_ms / 1e6:.1f} "
          f"median_gflops={flop / median_ms / 1e6:.1f} checksum={c.double().sum().item():.6g}", flush=True)


def blas_backend(threads):
    """Which BLAS torch.mm reaches, pinned to `threads` when it is OpenBLAS.

    Debian's torch calls whatever libblas.so.3 resolves to (the reference BLAS by default,
    OpenBLAS when that is installed or put first on LD_LIBRARY_PATH)."""
    try:
        blas = ctypes.CDLL("libblas.so.3")
    except OSError:
        return "unknown BLAS"
    try:
        blas.openblas_get_config.restype = ctypes.c_char_p
        blas.openblas_set_num_threads(threads)
        return f"{blas.openblas_get_config().decode()}, {blas.openblas_get_num_threads()} BLAS threads"
    except AttributeError:
        return "libblas.so.3 is not OpenBLAS (probably the reference BLAS)"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--shapes", default="128x784x256,256,512,1024,2048")
    p.add_argument("--seconds", type=float, default=1.5)
    p.add_argument("--min-reps", type=int, default=5)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    backend = blas_backend(args.threads)
    print(f"# torch {torch.__version__}, threads={torch.get_num_threads()}, {backend}", flush=True)
    for m, k, n in parse_shapes(args.shapes):
        run(m, k, n, args.threads, args.seconds, args.min_reps)


if __name__ == "__main__":
    main()
