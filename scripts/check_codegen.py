#!/usr/bin/env python3
"""Proves a generated library numerically: compiles MODEL.onnx with
yolo-codegen (import, --yolo-optimize, Halide) for each target, runs the
generated runner on seeded random inputs and compares with onnxruntime's
main output of the original model.

    check_codegen.py MODEL.onnx [--targets host x86-64-linux-avx2 ...]
                     [--atol 1e-3] [--rtol 1e-3] [--tools build/bin]
                     [--work DIR] [--threads 1 2] [--repeat 2]
                     [-- CODEGEN-ARGS...]

Arguments after `--` go to yolo-codegen (e.g. --winograd=6).

An element fails when |got - ref| > atol + rtol * |ref| or it is NaN
(yolocheck.Comparison). Also checks that outputs are bit-identical across
thread counts and repeated runs. Prints one line per check; exits 1 on any
failure.

Targets are Halide target strings or the short names in TARGETS; a
comma-separated list builds one multi-target library, and every variant
of it is checked (each forced in turn with the library's test-only
YOLO_CPU_DISABLE override). The runners of arm-64 targets run under
qemu-aarch64 (user mode, with the Debian cross sysroot
/usr/aarch64-linux-gnu); their timings mean nothing.

A library (or variant) for a CPU feature this machine lacks is still
built, and checked statically (its disassembly must use the target's
vector registers), but not run: the library itself refuses this CPU
(YOLO_ERR_UNSUPPORTED_CPU), and that is reported as
"SKIPPED target: <the library's reason>", never as a failure.
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import time

import numpy as np

from cpuinfo import cpu_flags
from yolocheck import (Comparison, add_tools_argument, mark, ort_session,
                       work_dir)

# Halide target strings of the x86-64 families we schedule for.
TARGETS = {
    "avx2": "x86-64-linux-avx-avx2-f16c-fma-sse41",
    "avx512": "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41",
    # One portable library: AVX-512, AVX2, or any x86-64 CPU.
    "x86-fleet": "x86-64-linux-avx512,x86-64-linux-avx2,x86-64-linux",
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


def variants_of(header):
    """[(target, [cpu features])] from a generated header's comment."""
    text = header.read_text()
    targets = re.search(r'#define \w+_TARGET "([^"]*)"', text).group(1)
    out = []
    for t in targets.split(","):
        m = re.search(r"^     " + re.escape(t) + r": (.*?)( \*/)?$", text,
                      re.M)
        feats = m.group(1).split() if m else []
        out.append((t, [f for f in feats if f != "(baseline)"]))
    return out


def force_env(variants, i):
    """YOLO_CPU_DISABLE value that makes the library skip variants 0..i-1:
    for each, one feature it needs that variant i does not."""
    mine = set(variants[i][1])
    off = set()
    for t, feats in variants[:i]:
        extra = [f for f in feats if f not in mine]
        if not extra:
            return None
        off.add(extra[0])
    return ",".join(sorted(off))


# What a variant's code must contain, by the register width its target
# gives Halide (checked on libraries that cannot run here).
def static_isa(tstring):
    if "avx512" in tstring:
        return "zmm"
    if "avx" in tstring:
        return "ymm"
    return None


def disassembly(lib, index, multi):
    """objdump -d of the kernels of variant `index` in archive `lib`."""
    text = subprocess.run(["objdump", "-d", "--no-show-raw-insn", lib],
                          capture_output=True, text=True).stdout
    prefix = f"v{index}_k" if multi else "k"
    parts = re.split(r"^(\S+\.o):\s+file format.*$", text, flags=re.M)
    return "".join(body for name, body in zip(parts[1::2], parts[2::2])
                   if name.startswith(prefix))


def skipped(label, vtarget, out, index, multi, reason):
    """The static check of a variant this CPU cannot run."""
    isa = static_isa(vtarget)
    if isa and f"%{isa}" not in disassembly(out / "libmodel.a", index, multi):
        print(f"FAIL {label}: not run here ({reason}), and its code has no "
              f"{isa} register")
        return False
    print(f"SKIPPED {label}: built, not run: {reason}" +
          (f" (its kernels use {isa} registers)" if isa else ""))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--targets", nargs="*", default=["host"])
    ap.add_argument("--atol", type=float, default=1e-3)
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    add_tools_argument(ap)
    ap.add_argument("--work", help="keep every library and output here "
                    "(default: a temporary folder, removed when every check "
                    "passes, kept and named when one fails)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs per thread count (bit-identity check)")
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    args = ap.parse_args(argv)
    tools = pathlib.Path(args.tools)
    with work_dir(args.work, "yolo-cg-") as work:
        sys.exit(0 if check_targets(args, tools, work, extra) else 1)


def check_targets(args, tools, work, extra):
    """Builds and checks every target in `work`; True when all pass."""
    sess = ort_session(args.model, threads=2, as_written=False)
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
                            "--emit-runner", "--quiet", *extra],
                           capture_output=True, text=True)
        if p.returncode != 0:
            print(f"FAIL {target}: yolo-codegen failed\n{p.stderr}")
            ok = False
            continue
        compile_s = time.time() - t0
        variants = variants_of(out / "model.h")
        for i, (vtarget, _) in enumerate(variants):
            label = target if len(variants) == 1 else f"{target} [{vtarget}]"
            env = None
            if len(variants) > 1:
                off = force_env(variants, i)
                if off is None:
                    print(f"FAIL {label}: cannot force this variant: an "
                          f"earlier one needs nothing it lacks")
                    ok = False
                    continue
                # Added to an outer YOLO_CPU_DISABLE (the suite run as on
                # a CPU without those features), not in its place.
                outer = os.environ.get("YOLO_CPU_DISABLE", "")
                if off and outer:
                    off = outer + "," + off
                env = dict(os.environ, YOLO_CPU_DISABLE=off) if off else None
            ok &= check_variant(args, label, tstring,
                                [t for t, _ in variants], variants[i][1], i,
                                out, work, env, refs, compile_s)
    return ok


def check_variant(args, label, tstring, names, features, index, out, work,
                  env, refs, compile_s):
    """Runs variant `index` of a library (of the resolved targets `names`);
    True when it passes or is skipped."""
    vtarget = names[index]
    multi = len(names) > 1
    results = []
    for threads in args.threads:
        for rep in range(args.repeat):
            y = out / f"y{index}_{threads}_{rep}.npy"
            r = subprocess.run(runner_prefix(tstring) + [
                                out / "model-run", "--input",
                                work / "x.npy", "--output", y,
                                "--threads", str(threads), "--verbose"],
                               capture_output=True, text=True, env=env)
            if r.returncode != 0 and "unsupported CPU" in r.stderr:
                reason = r.stderr.strip().split("unsupported CPU: ")[-1]
                return skipped(label, vtarget, out, index, multi, reason)
            if r.returncode != 0:
                print(f"FAIL {label}: runner failed (exit {r.returncode}): "
                      f"{r.stderr.strip()}")
                return False
            picked = re.search(r"^variant: (\S+)", r.stdout, re.M)
            if (multi and picked and picked.group(1) in names and
                    names.index(picked.group(1)) > index):
                # A later variant ran: this CPU lacks one of this one's
                # features (only earlier variants were switched off).
                lacking = [f for f in features if f not in cpu_flags()]
                return skipped(label, vtarget, out, index, multi,
                               f"this CPU lacks {', '.join(lacking) or '?'} "
                               f"(the library picked {picked.group(1)})")
            if not picked or picked.group(1) != vtarget:
                print(f"FAIL {label}: the library ran variant "
                      f"{picked.group(1) if picked else '?'}, not {vtarget}")
                return False
            results.append(np.load(y))
    # The main output: the one the optimized model kept, by name.
    # The last output of that shape: the main one of a dual head.
    ref = [o for o in refs if o.shape == results[0].shape][-1]
    c = Comparison(results[0], ref, args.atol, args.rtol)
    print(f"{mark(c.ok)} {label}: matches onnxruntime ({c.summary()}); "
          f"compiled in {compile_s:.1f} s")
    same = all(np.array_equal(results[0], r) for r in results[1:])
    print(f"{mark(same)} {label}: bit-identical across "
          f"runs and thread counts {args.threads}")
    return c.ok and same


if __name__ == "__main__":
    main()
