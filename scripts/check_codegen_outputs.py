#!/usr/bin/env python3
"""Proves every output of a generated library numerically: compiles
MODEL.onnx with yolo-codegen (import, --yolo-optimize, Halide) for the
host, runs the generated runner on a seeded random input and compares each
of the library's outputs with onnxruntime's output of the same name
(check_codegen.py checks the main output on many targets; this one checks
all outputs, e.g. a segmentation model's boxes and mask prototypes).

    check_codegen_outputs.py MODEL.onnx [--input-shape 2x3x320x320]
                             [--atol 1e-3] [--rtol 1e-3] [--tools build/bin]
                             [--work DIR] [--threads 2] [-- CODEGEN-ARGS...]

An element fails when |got - ref| > atol + rtol * |ref| or it is NaN
(yolocheck.Comparison); so does a library output that the model does not
have, by name and shape. Arguments after `--` go to yolo-codegen
(e.g. --emit-detector: the library in WORK/lib then also has its detector).
Prints one line per output and a last line with the worst errors; exits 1
on any failure.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import time

import numpy as np

from yolocheck import (Comparison, add_tools_argument, mark, ort_session,
                       work_dir)


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--input-shape",
                    help="pins a dynamic input (yolo-codegen --input-shape)")
    ap.add_argument("--atol", type=float, default=1e-3)
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    add_tools_argument(ap)
    ap.add_argument("--work", help="keep the library and outputs here "
                    "(default: a temporary folder, removed when the check "
                    "passes, kept and named when it fails)")
    args = ap.parse_args(argv)
    tools = pathlib.Path(args.tools)
    with work_dir(args.work, "yolo-cgo-") as work:
        compare(args, tools, work, extra)


def compare(args, tools, work, extra):
    """Compiles the model in `work`, runs it and compares every output;
    exits 0 when all match, else 1."""
    sess = ort_session(args.model, threads=2, as_written=False)
    inp = sess.get_inputs()[0]
    shape = [int(d) for d in args.input_shape.split("x")] \
        if args.input_shape else inp.shape
    if not all(isinstance(d, int) for d in shape):
        sys.exit(f"check_codegen_outputs: {args.model}: input '{inp.name}' "
                 f"has dynamic shape {shape}; give --input-shape")
    x = np.random.default_rng(0).random(shape, dtype=np.float32)
    np.save(work / "x.npy", x)
    refs = sess.run(None, {inp.name: x})
    names = [o.name for o in sess.get_outputs()]

    lib = work / "lib"
    cmd = [tools / "yolo-codegen", args.model, "-o", lib, "--name=model",
           "--emit-runner", "--quiet", *extra]
    if args.input_shape:
        cmd.append(f"--input-shape={args.input_shape}")
    t0 = time.time()
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"FAIL yolo-codegen failed (exit {p.returncode})\n{p.stderr}")
        sys.exit(1)
    compile_s = time.time() - t0

    # The library's outputs, in order, and the ONNX output each one is.
    header = (lib / "model.h").read_text()
    lib_names = re.findall(r'^#define MODEL_OUTPUT\d+_NAME "(.*)"$', header,
                           re.M)
    ys = [work / f"y{k}.npy" for k in range(len(lib_names))]
    run = [str(lib / "model-run"), "--input", str(work / "x.npy"),
           "--threads", str(args.threads)]
    for y in ys:
        run += ["--output", str(y)]
    r = subprocess.run(run, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL runner failed (exit {r.returncode}): {r.stderr.strip()}")
        sys.exit(1)
    print(f"compiled in {compile_s:.1f} s; the library has "
          f"{len(lib_names)} output(s) {lib_names}, the model {names}")
    ok = len(lib_names) > 0
    worst_abs = worst_rel = 0.0
    for k, (name, y) in enumerate(zip(lib_names, ys)):
        a = np.load(y)
        if name not in names:
            print(f"FAIL library output {k} '{name}': the model has no "
                  f"output of that name")
            ok = False
            continue
        b = refs[names.index(name)]
        if a.shape != b.shape:
            print(f"FAIL library output {k} '{name}': shape {list(a.shape)}"
                  f", onnxruntime's {list(b.shape)}")
            ok = False
            continue
        c = Comparison(a, b, args.atol, args.rtol)
        ok &= c.ok
        worst_abs = max(worst_abs, c.max_abs)
        worst_rel = max(worst_rel, c.max_rel)
        print(f"{mark(c.ok)} output {k} {name} {list(a.shape)}: "
              f"{c.summary()} (reference in [{b.min():.3g}, {b.max():.3g}], "
              f"std {b.std():.3g})")
    print(f"{mark(ok)} all outputs: worst abs err {worst_abs:.3g}, "
          f"worst rel err {worst_rel:.3g}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
