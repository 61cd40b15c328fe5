#!/usr/bin/env python3
"""Checks ONNX files written by `descent export` with ONNX's own checker.

  check-onnx.py MODEL.onnx...

Each file must pass onnx.checker.check_model with full_check (which also runs shape inference),
declare a symbolic batch dimension on its input and outputs, and carry Descent's metadata.
Prints one line per file and exits 1 on the first failure.
"""
import sys

import onnx


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check(path):
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except onnx.checker.ValidationError as e:
        fail(f"{path}: onnx.checker: {str(e).splitlines()[0]}")
    graph = model.graph
    for value in list(graph.input) + list(graph.output):
        first = value.type.tensor_type.shape.dim[0]
        if first.dim_param != "batch":
            fail(f"{path}: {value.name}'s first dimension is {first}, expected the symbolic 'batch'")
    meta = {p.key: p.value for p in model.metadata_props}
    for key in ("descent.task", "descent.loss", "descent.input_scaling"):
        if key not in meta:
            fail(f"{path}: no metadata '{key}' (has {sorted(meta)})")
    ops = sorted({n.op_type for n in graph.node})
    print(f"ok: {path}: onnx.checker (full) passes; opset {model.opset_import[0].version}, IR {model.ir_version}; "
          f"{len(graph.node)} nodes ({', '.join(ops)}); outputs {[o.name for o in graph.output]}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        fail(__doc__)
    for p in sys.argv[1:]:
        check(p)
