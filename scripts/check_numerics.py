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
|a - b| > atol + rtol * |b| anywhere.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort


def run(cmd):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAILED: {' '.join(map(str, cmd))}\n{p.stderr}")
    return p.stdout


def session(path):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    # Reference semantics, not ORT's own graph rewrites.
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(str(path), opts,
                                providers=["CPUExecutionProvider"])


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
    ap.add_argument("--tools", default=str(
        pathlib.Path(__file__).resolve().parent.parent / "build" / "bin"))
    ap.add_argument("--keep-dir")
    ap.add_argument("--json", help="also write a summary to this file")
    args = ap.parse_args()
    tools = pathlib.Path(args.tools)
    work = pathlib.Path(args.keep_dir or tempfile.mkdtemp(prefix="yolo-num-"))
    work.mkdir(parents=True, exist_ok=True)

    shape_flag = [f"--input-shape={args.input_shape}"] if args.input_shape \
        else []
    t0 = time.time()
    run([tools / "yolo-translate", "--import-onnx", args.model, "-o",
         work / "imported.mlir", *shape_flag])
    t1 = time.time()
    run([tools / "yolo-opt", work / "imported.mlir",
         f"--pass-pipeline=builtin.module({args.passes})", "-o",
         work / "optimized.mlir"])
    t2 = time.time()
    run([tools / "yolo-translate", "--export-onnx", work / "optimized.mlir",
         "-o", work / "optimized.onnx"])
    print(f"import {t1 - t0:.2f} s, {args.passes} {t2 - t1:.2f} s")
    import onnx
    onnx.checker.check_model(str(work / "optimized.onnx"), full_check=True)
    print("onnx.checker: the exported model is valid")

    original = session(args.model)
    optimized = session(work / "optimized.onnx")
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
            err = np.abs(a - b)
            rel = err / np.maximum(np.abs(b), 1e-6)
            bad = err > args.atol + args.rtol * np.abs(b)
            ok &= not bad.any()
            worst_abs = max(worst_abs, float(err.max()))
            worst_rel = max(worst_rel, float(rel.max()))
            print(f"{'OK  ' if not bad.any() else 'FAIL'} input {k} output "
                  f"{name} {list(a.shape)}: max abs err {err.max():.3g}, "
                  f"max rel err {rel.max():.3g}, {int(bad.sum())} elements "
                  f"outside atol={args.atol:g} rtol={args.rtol:g} "
                  f"(reference in [{b.min():.3g}, {b.max():.3g}], "
                  f"std {b.std():.3g})")
    if args.json:
        import json
        pathlib.Path(args.json).write_text(json.dumps({
            "ok": bool(ok), "max_abs_err": worst_abs,
            "max_rel_err": worst_rel, "import_s": t1 - t0,
            "passes_s": t2 - t1, "passes": args.passes}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
