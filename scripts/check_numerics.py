#!/usr/bin/env python3
"""Proves an optimization numerically: the optimized graph, written back to
ONNX by yolo-translate --export-onnx, must compute the original model's main
output on the same random inputs (onnxruntime on both).

    check_numerics.py MODEL.onnx [--passes yolo-optimize] [--atol 1e-3]
                      [--rtol 1e-3] [--inputs 2] [--input-shape 1x3x320x320]
                      [--tools build/bin] [--keep-dir DIR]

The main output is the one yolo-prune-aux kept (its yolo.name is the ONNX
output name); every output of the exported model is compared with the
original output of the same name. Prints max abs/rel errors, exits 1 when
|a - b| > atol + rtol * |b| anywhere, or on a NaN (yolocheck.Comparison).
"""
import argparse
import pathlib
import sys
import time

import numpy as np

from yolocheck import (Comparison, add_tools_argument, mark, ort_session,
                       run_tool, work_dir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--passes", default="yolo-optimize",
                    help="yolo-opt pass pipeline to prove, e.g. "
                         "yolo-prune-aux or yolo-optimize")
    ap.add_argument("--atol", type=float, default=1e-3)
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--inputs", type=int, default=2,
                    help="number of random inputs")
    ap.add_argument("--input-shape")
    ap.add_argument("--seed", type=int, default=0)
    add_tools_argument(ap)
    ap.add_argument("--keep-dir", help="keep the models here (default: a "
                    "temporary folder, removed when the check passes, kept "
                    "and named when it fails)")
    ap.add_argument("--json", help="also write a summary to this file")
    args = ap.parse_args()
    tools = pathlib.Path(args.tools)
    with work_dir(args.keep_dir, "yolo-num-") as work:
        compare(args, tools, work)


def compare(args, tools, work):
    """Runs the passes in `work` and compares the models' outputs; exits 0
    when all match, else 1."""
    shape_flag = [f"--input-shape={args.input_shape}"] if args.input_shape \
        else []
    t0 = time.time()
    run_tool([tools / "yolo-translate", "--import-onnx", args.model, "-o",
              work / "imported.mlir", *shape_flag])
    t1 = time.time()
    run_tool([tools / "yolo-opt", work / "imported.mlir",
              f"--pass-pipeline=builtin.module({args.passes})", "-o",
              work / "optimized.mlir"])
    t2 = time.time()
    run_tool([tools / "yolo-translate", "--export-onnx",
              work / "optimized.mlir", "-o", work / "optimized.onnx"])
    print(f"import {t1 - t0:.2f} s, {args.passes} {t2 - t1:.2f} s")
    import onnx
    onnx.checker.check_model(str(work / "optimized.onnx"), full_check=True)
    print("onnx.checker: the exported model is valid")

    original = ort_session(args.model, threads=2)
    optimized = ort_session(work / "optimized.onnx", threads=2)
    inp = original.get_inputs()[0]
    shape = [int(d) for d in args.input_shape.split("x")] if args.input_shape \
        else inp.shape
    dtype = np.float16 if "float16" in inp.type else np.float32
    names = [o.name for o in optimized.get_outputs()]
    rng = np.random.default_rng(args.seed)
    ok = True
    worst_abs = worst_rel = 0.0
    for k in range(args.inputs):
        x = rng.random(shape, dtype=np.float32)
        ref = original.run(names, {inp.name: x.astype(dtype)})
        got = optimized.run(names, {optimized.get_inputs()[0].name: x})
        for name, a, b in zip(names, got, ref):
            b = b.astype(np.float32)
            if a.shape != b.shape:
                print(f"FAIL input {k} output {name}: shape {a.shape} vs "
                      f"{b.shape}")
                ok = False
                continue
            c = Comparison(a, b, args.atol, args.rtol)
            ok &= c.ok
            worst_abs = max(worst_abs, c.max_abs)
            worst_rel = max(worst_rel, c.max_rel)
            print(f"{mark(c.ok)} input {k} output {name} {list(a.shape)}: "
                  f"{c.summary()} (reference in [{b.min():.3g}, "
                  f"{b.max():.3g}], std {b.std():.3g})")
    if args.json:
        import json
        pathlib.Path(args.json).write_text(json.dumps({
            "ok": bool(ok), "max_abs_err": worst_abs,
            "max_rel_err": worst_rel, "import_s": t1 - t0,
            "passes_s": t2 - t1, "passes": args.passes}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
