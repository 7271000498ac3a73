#!/usr/bin/env python3
"""Proves a generated library numerically: compiles MODEL.onnx with
yolo-codegen (import, --yolo-optimize, Halide) for each target, runs the
generated runner on seeded random inputs and compares with onnxruntime's
main output of the original model.

    check_codegen.py MODEL.onnx [--targets host x86-64-linux-avx2 ...]
                     [--atol 1e-3] [--rtol 1e-3] [--tools build/bin]
                     [--work DIR] [--threads 1 2] [--repeat 2]

Also checks that outputs are bit-identical across thread counts and
repeated runs. Prints one line per check; exits 1 on any failure.

Targets are Halide target strings or the short names in TARGETS. The
runners of arm-64 targets run under qemu-aarch64 (user mode, with the
Debian cross sysroot /usr/aarch64-linux-gnu); their timings mean nothing.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

# Halide target strings of the x86-64 families we schedule for.
TARGETS = {
    "avx2": "x86-64-linux-avx-avx2-f16c-fma-sse41",
    "avx512": "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41",
    "arm64": "arm-64-linux",
    "arm64-dotprod": "arm-64-linux-arm_dot_prod",
    "cuda": "host-cuda",
    # Hopper (sm_90) runs sm_86 PTX, the newest capability Halide 21 names.
    "cuda86": "host-cuda-cuda_capability_86",
}
QEMU_SYSROOT = "/usr/aarch64-linux-gnu"


def runner_prefix(tstring):
    """The command prefix that runs a runner built for `tstring` here."""
    if tstring.startswith("arm-64"):
        return ["qemu-aarch64", "-L", QEMU_SYSROOT]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--targets", nargs="*", default=["host"])
    ap.add_argument("--atol", type=float, default=1e-3)
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--tools", default=str(
        pathlib.Path(__file__).resolve().parent.parent / "build" / "bin"))
    ap.add_argument("--work")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs per thread count (bit-identity check)")
    args = ap.parse_args()
    tools = pathlib.Path(args.tools)
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="yolo-cg-"))
    work.mkdir(parents=True, exist_ok=True)

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(args.model, opts,
                                providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    x = np.random.default_rng(0).random(inp.shape, dtype=np.float32)
    np.save(work / "x.npy", x)
    refs = sess.run(None, {inp.name: x})
    ok = True
    for target in args.targets:
        tstring = TARGETS.get(target, target)
        out = work / target
        t0 = time.time()
        p = subprocess.run([tools / "yolo-codegen", args.model, "-o", out,
                            f"--target={tstring}", "--name=model",
                            "--emit-runner", "--quiet"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            print(f"FAIL {target}: yolo-codegen failed\n{p.stderr}")
            ok = False
            continue
        compile_s = time.time() - t0
        results = []
        for threads in args.threads:
            for rep in range(args.repeat):
                y = out / f"y{threads}_{rep}.npy"
                r = subprocess.run(runner_prefix(tstring) + [
                                    out / "model-run", "--input",
                                    work / "x.npy", "--output", y,
                                    "--threads", str(threads)],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"FAIL {target}: runner failed: {r.stderr}")
                    ok = False
                    break
                results.append(np.load(y))
        if len(results) != args.repeat * len(args.threads):
            continue
        # The main output: the one the optimized model kept, by name.
        # The last output of that shape: the main one of a dual head.
        ref = [o for o in refs if o.shape == results[0].shape][-1]
        got = results[0]
        err = np.abs(got - ref)
        bad = err > args.atol + args.rtol * np.abs(ref)
        rel = err / np.maximum(np.abs(ref), 1e-6)
        good = not bad.any()
        ok &= good
        print(f"{'OK  ' if good else 'FAIL'} {target}: matches onnxruntime "
              f"(max abs err {err.max():.3g}, max rel err {rel.max():.3g}, "
              f"{int(bad.sum())} elements outside atol={args.atol:g} "
              f"rtol={args.rtol:g}); compiled in {compile_s:.1f} s")
        same = all(np.array_equal(results[0], r) for r in results[1:])
        ok &= same
        print(f"{'OK  ' if same else 'FAIL'} {target}: bit-identical across "
              f"runs and thread counts {args.threads}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
