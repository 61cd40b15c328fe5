#!/usr/bin/env python3
"""Checks that a safetensors file written by Descent loads in PyTorch.

Usage: check-safetensors.py FILE

Two independent readers:
  1. a by-hand parse of the format (struct + json + torch.frombuffer) that also checks the
     layout rules Descent promises: header length a multiple of 8, space padding, tensors sorted
     by name, data contiguous with no gaps or overlaps and covering the whole data section;
  2. safetensors.torch.load_file, when the `safetensors` package is importable.
It prints every tensor and exits non-zero when the two disagree or a rule is broken.
Not used by the unit tests (they must not depend on Python); run by hand, for example with
Debian's /usr/bin/python3, which has torch.
"""
import json
import struct
import sys

import torch


def parse_by_hand(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, f"header length {n} is not a multiple of 8"
    raw = data[8:8 + n]
    text = raw.decode("utf-8")
    assert text.startswith("{"), "header does not start with '{'"
    padding = text[text.rindex("}") + 1:]
    assert set(padding) <= {" "}, f"header padding {padding!r} is not spaces"
    header = json.loads(text)
    metadata = header.pop("__metadata__", {})
    body = data[8 + n:]
    names = list(header)
    assert names == sorted(names), f"tensors not sorted by name: {names}"
    expected = 0
    tensors = {}
    for name in names:
        info = header[name]
        # Descent writes F32, and I64 for counts (BatchNorm's num_batches_tracked), as PyTorch does.
        assert info["dtype"] in ("F32", "I64"), f"{name}: dtype {info['dtype']}"
        size, dtype = (8, torch.int64) if info["dtype"] == "I64" else (4, torch.float32)
        begin, end = info["data_offsets"]
        assert begin == expected, f"{name}: begins at {begin}, expected {expected} (gap or overlap)"
        numel = 1
        for d in info["shape"]:
            numel *= d
        assert end - begin == size * numel, f"{name}: {end - begin} bytes for shape {info['shape']}"
        chunk = bytearray(body[begin:end])  # frombuffer wants a writable buffer; empty is allowed
        t = torch.frombuffer(chunk, dtype=dtype) if numel else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"])
        expected = end
    assert expected == len(body), f"data section has {len(body)} bytes, tensors cover {expected}"
    return tensors, metadata


def same(a, b):
    if a.dtype == torch.int64:
        return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b)
    return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a.view(torch.int32), b.view(torch.int32))


def main(path):
    ok = True
    mine, metadata = parse_by_hand(path)
    print(f"by hand: metadata {metadata}")
    for name, t in mine.items():
        print(f"  {name!r}: shape {list(t.shape)} {t.flatten().tolist()}")
    try:
        from safetensors import safe_open
        from safetensors.torch import load_file
    except ImportError:
        print("safetensors package not importable: only the by-hand parse was done")
        return 0
    theirs = load_file(path)
    with safe_open(path, framework="pt") as f:
        their_meta = f.metadata()
    print(f"safetensors.torch.load_file: {len(theirs)} tensors, metadata {their_meta}")
    if their_meta != metadata:
        print("  METADATA DIFFERS"); ok = False
    if list(theirs) != list(mine) and set(theirs) != set(mine):
        print(f"  NAMES DIFFER: {list(theirs)}"); ok = False
    for name, t in mine.items():
        if name not in theirs or not same(t, theirs[name]):
            print(f"  DIFFERS: {name!r}"); ok = False
    print("agree bit for bit" if ok else "DISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
