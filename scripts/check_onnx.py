#!/usr/bin/env python3
"""Validates a model written by yolo-translate --export-onnx and prints a
summary that lit tests FileCheck.

    check_onnx.py MODEL.onnx [--nodes] [--compare REF.onnx]
                  [--atol 1e-5] [--rtol 1e-5] [--seed 0]

Always runs onnx.checker.check_model(full_check=True), which includes strict
shape inference: every shape the exporter declares (inputs, outputs,
value_info) must agree with what ONNX infers. Then prints the model header,
the inputs and outputs with their shapes, and the op-type histogram, one
`op TYPE COUNT` line per type in name order. --nodes also prints every node
as `node TYPE NAME`.

--compare runs MODEL and REF with onnxruntime (graph optimizations off, so
both run as written) on the same random normal inputs, matched by input
name, and compares every output of MODEL with REF's output of the same name
(or the same position when REF has no such name). Prints one line per
output and exits 1 when |a - b| > atol + rtol * |b| anywhere, or on a NaN
(yolocheck.Comparison).
"""
import argparse
import collections
import sys

import numpy as np
import onnx

from yolocheck import Comparison, ort_session


def shape_of(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return [d.dim_value if d.HasField("dim_value") else d.dim_param
            for d in dims]


def compare(path, ref_path, atol, rtol, seed):
    sess, ref = ort_session(path, threads=1), ort_session(ref_path, threads=1)
    rng = np.random.default_rng(seed)
    feeds = {}
    for i in ref.get_inputs():
        if not all(isinstance(d, int) for d in i.shape):
            sys.exit(f"FAIL: reference input {i.name} has dynamic shape "
                     f"{i.shape}")
        feeds[i.name] = rng.standard_normal(i.shape).astype(np.float32)
    names = [i.name for i in sess.get_inputs()]
    if sorted(names) != sorted(feeds):
        sys.exit(f"FAIL: inputs {names} differ from the reference's "
                 f"{sorted(feeds)}")
    ref_names = [o.name for o in ref.get_outputs()]
    ref_outs = dict(zip(ref_names, ref.run(None, feeds)))
    ok = True
    for k, (o, got) in enumerate(zip(sess.get_outputs(), sess.run(None, feeds))):
        want = ref_outs.get(o.name)
        if want is None:
            want = ref_outs[ref_names[k]]
        if got.shape != want.shape:
            print(f"compare {o.name}: FAIL shape {list(got.shape)} != "
                  f"{list(want.shape)}")
            ok = False
            continue
        c = Comparison(got.astype(np.float64), want, atol, rtol)
        print(f"compare {o.name}: {'ok' if c.ok else 'FAIL'} "
              f"max_abs_err={c.max_abs:.3g}")
        ok &= c.ok
    print("compare:", "ok" if ok else "FAIL")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--nodes", action="store_true")
    ap.add_argument("--compare", metavar="REF.onnx")
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    model = onnx.load(args.model)
    onnx.checker.check_model(model, full_check=True)
    print("checker: ok")
    opsets = " ".join(f"{o.domain or 'ai.onnx'}:{o.version}"
                      for o in model.opset_import)
    print(f"model: ir_version {model.ir_version}, opset {opsets}, "
          f"producer {model.producer_name}")
    g = model.graph
    print("inputs:", " ".join(f"{i.name}{shape_of(i)}" for i in g.input))
    print("outputs:", " ".join(f"{o.name}{shape_of(o)}" for o in g.output))
    print(f"initializers: {len(g.initializer)}")
    for op, n in sorted(collections.Counter(n.op_type for n in g.node).items()):
        print(f"op {op} {n}")
    if args.nodes:
        for n in g.node:
            print(f"node {n.op_type} {n.name}")
    if args.compare and not compare(args.model, args.compare, args.atol,
                                    args.rtol, args.seed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
