#!/usr/bin/env python3
"""Benchmark our compiled YOLO runner against onnxruntime and OpenVINO.

Run with the project venv:

    .venv/bin/python bench/run_bench.py [--model M.onnx] [--runner OUT/NAME-run]
        [--threads 1,2] [--repeat 20] [--rounds 1] [--warmup 3] [--seed 0]
        [--gflops G] [--input-shape 1x3x640x640] [--out table.md]

In one run on this machine it
  1. builds bench/fma_peak.c, bench/maxrss_exec.c and bench/core_pingpong.c
     with the system cc and measures the fp32 FMA peak (GFLOP/s at each
     thread count);
  2. counts the model's GFLOPs (2 x Conv MACs after onnx shape inference) unless
     --gflops is given;
  3. writes one seeded random input (uniform [0, 1), the model's input shape);
  4. for each thread count, runs our runner, onnxruntime and OpenVINO, each in
     its own process started by maxrss_exec (which reports that process's
     ru_maxrss): warm-up runs, then --repeat timed runs; median/min/mean
     (with --rounds R: R rounds of every engine in turn, the order rotated
     from round to round, their timed runs pooled);
  5. before each run of 2+ threads, measures the round trip of a cache line
     between the first two CPUs (core_pingpong: ~100 ns when they share a
     cache, several hundred when they do not) and the rate at which one CPU
     reads 2 MB the other has just written, against 2 MB it wrote itself
     (core_pingpong --bandwidth), and the round trip again after the run; lists
     them in the notes, with each engine's speed-up over 1 thread split by
     whether both round trips said the CPUs share a cache;
  6. prints a markdown table (and writes it to --out).

--isa avx2 measures an AVX-512 CPU as if it had AVX2 only, as far as each
engine allows: OpenVINO runs with ONEDNN_MAX_CPU_ISA=AVX2 (its oneDNN then
uses no AVX-512 kernel; the ISA it reports is checked and listed), our
runner with YOLO_CPU_DISABLE=avx512f (a multi-variant library picks its
AVX2 variant; an AVX-512-only one refuses to run), and the % of FMA peak
uses the AVX2 peak. onnxruntime has no such switch: it keeps the CPU's
full ISA, which the report says.

The parent stays out of the measured processes: Linux carries a process's
RSS high-water mark across execve, so children are launched through the tiny
maxrss_exec rather than straight from this (larger) Python process.

Internal modes (used by the parent; not for direct use):
    run_bench.py --_worker ort|ov|ort-base|ov-base|model-info ...
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FIXTURE = "gelan-c-fused-640.onnx"


def log(msg):
    print(f"[bench] {msg}", flush=True)


# --------------------------------------------------------------------------
# Workers (each runs in its own process).
# --------------------------------------------------------------------------

def _shape_str(shape):
    return "x".join(str(d) for d in shape)


def _fold_and_infer(model, max_rounds=50):
    """onnx shape inference, with the shape arithmetic folded first.

    YOLOv9 exports chunk tensors with Shape -> Gather -> Div -> Slice chains
    whose Slice bounds onnx shape inference cannot see through, leaving every
    Conv after them with unknown shapes. With the input shape pinned, those
    chains are constant: fold Shape of fully-known tensors and every node whose
    inputs are all small constants (onnx.reference), replace them by
    initializers, infer again, until nothing changes. Returns (model, shapes).
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper, shape_inference
    from onnx.reference import ReferenceEvaluator

    g = model.graph
    consts = {}  # name -> ndarray, small tensors only (shape arithmetic)
    for t in g.initializer:
        if int(np.prod(t.dims, dtype=np.int64)) <= 4096:
            consts[t.name] = numpy_helper.to_array(t)
    for _ in range(max_rounds):
        inferred = shape_inference.infer_shapes(model)
        shapes = {}
        for vi in list(inferred.graph.input) + list(inferred.graph.value_info) + list(
                inferred.graph.output):
            t = vi.type.tensor_type
            if t.HasField("shape"):
                shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None
                                   for d in t.shape.dim]
        for t in g.initializer:
            shapes[t.name] = list(t.dims)
        folded = []
        for n in g.node:
            ins = [i for i in n.input if i]
            vals = None
            if n.op_type == "Shape":
                s = shapes.get(n.input[0])
                if s is not None and all(isinstance(v, int) and v > 0 for v in s):
                    a = {x.name: x for x in n.attribute}
                    lo = a["start"].i if "start" in a else 0
                    hi = a["end"].i if "end" in a else len(s)
                    vals = [np.array(s[lo:hi], dtype=np.int64)]
            elif n.op_type == "Constant" or (ins and all(i in consts for i in ins)):
                try:
                    vin = [helper.make_tensor_value_info(
                        i, helper.np_dtype_to_tensor_dtype(consts[i].dtype), None) for i in ins]
                    vout = [helper.make_tensor_value_info(o, onnx.TensorProto.UNDEFINED, None)
                            for o in n.output]
                    m1 = helper.make_model(helper.make_graph([n], "fold", vin, vout),
                                           opset_imports=model.opset_import)
                    vals = ReferenceEvaluator(m1).run(None, {i: consts[i] for i in ins})
                except Exception:  # unsupported op: leave it for the runtime
                    vals = None
            if vals is not None and all(np.asarray(v).size <= 4096 for v in vals):
                for o, v in zip(n.output, vals):
                    consts[o] = np.asarray(v)
                folded.append(n)
        if not folded:
            return inferred, shapes
        graph_outs = {o.name for o in g.output}
        for n in folded:
            if any(o in graph_outs for o in n.output):
                continue
            g.node.remove(n)
            for o in n.output:
                g.initializer.append(numpy_helper.from_array(consts[o], o))
    return inferred, shapes


def worker_model_info(args):
    """Input name/shape/dtype and the Conv GFLOPs of the model, as JSON."""
    import numpy as np
    import onnx
    from onnx import shape_inference

    model = onnx.load(args.model)
    g = model.graph
    init_names = {i.name for i in g.initializer}
    inputs = [i for i in g.input if i.name not in init_names]
    if len(inputs) != 1:
        raise SystemExit(f"expected 1 graph input, found {[i.name for i in inputs]}")
    inp = inputs[0]
    dims = inp.type.tensor_type.shape.dim
    forced = [int(d) for d in args.input_shape.split("x")] if args.input_shape else None
    shape = []
    for k, d in enumerate(dims):
        if forced:
            shape.append(forced[k])
        elif d.HasField("dim_value") and d.dim_value > 0:
            shape.append(d.dim_value)
        elif k == 0:
            shape.append(1)  # dynamic batch -> 1
        else:
            raise SystemExit(
                f"input dim {k} of '{inp.name}' is dynamic ({d.dim_param!r}); pass --input-shape")
    if forced and len(forced) != len(dims):
        raise SystemExit(f"--input-shape has rank {len(forced)}, model input rank {len(dims)}")
    # Pin the input shape so shape inference reaches every Conv.
    for d, v in zip(dims, shape):
        d.Clear()
        d.dim_value = v
    elem = inp.type.tensor_type.elem_type
    dtype = onnx.helper.tensor_dtype_to_np_dtype(elem)

    inferred, shapes = _fold_and_infer(model)

    def known(s):
        return s is not None and all(isinstance(v, int) and v > 0 for v in s)

    macs, convs, unknown = 0, 0, []
    for n in inferred.graph.node:
        if n.op_type not in ("Conv", "ConvTranspose"):
            continue
        convs += 1
        w = shapes.get(n.input[1])
        if n.op_type == "Conv":
            o = shapes.get(n.output[0])
            if not (known(w) and known(o)):
                unknown.append(n.name)
                continue
            macs += int(np.prod(o, dtype=np.int64)) * int(np.prod(w[1:], dtype=np.int64))
        else:  # ConvTranspose: every input element scatters Cout/g*kh*kw MACs
            x = shapes.get(n.input[0])
            if not (known(w) and known(x)):
                unknown.append(n.name)
                continue
            macs += int(np.prod(x, dtype=np.int64)) * int(np.prod(w[1:], dtype=np.int64))
    outputs = [o.name for o in g.output]
    print("RESULT " + json.dumps({
        "input_name": inp.name, "input_shape": shape, "dtype": np.dtype(dtype).name,
        "gflops": 2.0 * macs / 1e9, "convs": convs, "unknown_convs": unknown,
        "outputs": outputs}), flush=True)


def _timed_loop(run_once, warmup, repeat):
    for _ in range(warmup):
        run_once()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run_once()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def worker_ort(args, baseline=False):
    import numpy as np
    import onnxruntime as ort
    if baseline:  # import-only: what the runtime + interpreter cost on their own
        print("RESULT " + json.dumps({"version": ort.__version__}), flush=True)
        return
    x = np.load(args.input)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.intra_op_num_threads = args.threads_one
    so.inter_op_num_threads = 1
    t0 = time.perf_counter()
    sess = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])
    load_s = time.perf_counter() - t0
    feed = {sess.get_inputs()[0].name: x}
    out = {}

    def once():
        out["y"] = sess.run(None, feed)

    times = _timed_loop(once, args.warmup, args.repeat)
    if args.save_output:
        np.save(args.save_output, out["y"][0])
    print("RESULT " + json.dumps({"times_ms": times, "load_s": load_s,
                                  "version": ort.__version__}), flush=True)


def worker_ov(args, baseline=False):
    import numpy as np
    import openvino as ov
    if baseline:
        print("RESULT " + json.dumps({"version": ov.get_version()}), flush=True)
        return
    x = np.load(args.input)
    core = ov.Core()
    t0 = time.perf_counter()
    model = core.read_model(args.model)
    ps = model.input(0).get_partial_shape()
    if not ps.is_static or list(ps.to_shape()) != list(x.shape):
        model.reshape({model.input(0).get_any_name(): ov.PartialShape(list(x.shape))})
    config = {"INFERENCE_NUM_THREADS": args.threads_one, "PERFORMANCE_HINT": "LATENCY"}
    if args.ov_precision != "default":
        config["INFERENCE_PRECISION_HINT"] = args.ov_precision
    compiled = core.compile_model(model, "CPU", config)
    load_s = time.perf_counter() - t0
    req = compiled.create_infer_request()
    props = {}
    for p in ("INFERENCE_PRECISION_HINT", "INFERENCE_NUM_THREADS", "NUM_STREAMS",
              "PERFORMANCE_HINT"):
        try:
            v = compiled.get_property(p)
            props[p] = v.get_type_name() if hasattr(v, "get_type_name") else str(v)
        except Exception:  # property names differ across versions
            pass
    out = {}

    def once():
        out["y"] = req.infer({0: x})

    times = _timed_loop(once, args.warmup, args.repeat)
    if args.save_output:
        np.save(args.save_output, req.get_output_tensor(0).data)
    print("RESULT " + json.dumps({"times_ms": times, "load_s": load_s, "props": props,
                                  "version": ov.get_version()}), flush=True)


# --------------------------------------------------------------------------
# Parent.
# --------------------------------------------------------------------------

def build_tools(tmp):
    cc = os.environ.get("CC", "cc")
    fma = os.path.join(tmp, "fma_peak")
    src = os.path.join(HERE, "fma_peak.c")
    # No -m ISA flags: fma_peak picks its AVX-512 / AVX2 kernels at run time,
    # so the binary runs on every x86-64 CPU.
    cmd = [cc, "-O2", "-pthread", src, "-o", fma]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"could not build fma_peak.c: {' '.join(cmd)}\n{r.stderr}")
    log(f"built fma_peak: {' '.join(cmd)}")
    mx = os.path.join(tmp, "maxrss_exec")
    cmd = [cc, "-O2", os.path.join(HERE, "maxrss_exec.c"), "-o", mx]
    subprocess.run(cmd, check=True)
    pp = os.path.join(tmp, "core_pingpong")
    cmd = [cc, "-O2", "-pthread", os.path.join(HERE, "core_pingpong.c"), "-o", pp]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        log(f"could not build core_pingpong.c (no cross-core round trips): {r.stderr.strip()}")
        pp = None
    return fma, mx, pp


def run_pingpong(pp, bandwidth=True):
    """The round trip of a cache line between the first two CPUs (ns), and the
    rates (GB/s) at which the first reads 2 MB the second has just written and
    2 MB it wrote itself (None where not measured, or without `bandwidth`);
    None if it did not run."""
    if not pp:
        return None
    r = subprocess.run([pp] + (["--bandwidth"] if bandwidth else []),
                       capture_output=True, text=True)
    m = re.search(r"round_trip_ns=(\d+)", r.stdout)
    if not m:
        return None
    b = re.search(r"other_read_gbs=([0-9.]+) own_read_gbs=([0-9.]+)", r.stdout)
    return (int(m.group(1)), float(b.group(1)) if b else None,
            float(b.group(2)) if b else None)


# A round trip above this (ns) means the two CPUs share no cache: the "far"
# state of bench/README.md (55-100 ns near, 330-430 far on the VMs measured).
FAR_NS = 200


def cache_state(before, after):
    """'near' or 'far' where the round trips before and after a run agree,
    'changed' where they do not, None where either was not measured."""
    if before is None or after is None:
        return None
    b, a = before > FAR_NS, after > FAR_NS
    return "changed" if a != b else ("far" if b else "near")


def splits_by_cache(vendor):
    """Whether round trips tell if two CPUs share a cache: on AMD CPUs, whose
    L3 belongs to one CCD (where FAR_NS was measured). An Intel server CPU has
    one L3 for all its cores; on the Emerald Rapids VM of session 25 its
    round trips were 59-332 ns with no such states (bench/README.md). Hygon's
    CPUs are AMD's Zen cores."""
    return vendor in ("AuthenticAMD", "HygonGenuine")


def scaling_figures(round_times, engines, threads, failed=(), vendor="AuthenticAMD"):
    """Each engine's speed-up over 1 thread at each other thread count: the
    1-thread median over the N-thread one from all rounds (every timed run
    pooled), then from the rounds whose round trips before and after the
    N-thread run both said the CPUs share a cache (near) and from those whose
    both said they do not (far), with how many rounds were of each state. A
    list of dicts (engine, threads, pooled, near, far (None without such
    rounds), rounds {near, far, changed, unprobed}, split (whether the round
    trips tell the states apart on this vendor's CPUs)); empty without a
    1-thread run. Engines in `failed` ((engine, threads) pairs whose row
    failed) are left out."""
    if 1 not in threads:
        return []
    split_ok = splits_by_cache(vendor)
    out = []
    for t in threads:
        if t == 1:
            continue
        for eng in engines:
            base, rounds = round_times.get((eng, 1)), round_times.get((eng, t))
            if not base or not rounds or (eng, 1) in failed or (eng, t) in failed:
                continue
            one = statistics.median([v for _, ts in base for v in ts])

            def speedup(states):
                ts = [v for st, ts in rounds if st in states for v in ts]
                return one / statistics.median(ts) if ts else None

            count = {k: sum(1 for st, _ in rounds if st == k)
                     for k in ("near", "far", "changed", None)}
            out.append({
                "engine": eng, "threads": t,
                "pooled": speedup({"near", "far", "changed", None}),
                "near": speedup({"near"}) if split_ok else None,
                "far": speedup({"far"}) if split_ok else None,
                "rounds": {"near": count["near"], "far": count["far"],
                           "changed": count["changed"], "unprobed": count[None],
                           "all": len(rounds)},
                "split": split_ok})
    return out


def thread_scaling(round_times, engines, threads, names, failed=(), vendor="AuthenticAMD"):
    """The note on each engine's speed-up over 1 thread (scaling_figures):
    the pooled figure, then the near and far ones where the rounds were of
    both or mixed states; None without a 1-thread run. On a CPU whose round
    trips do not tell (splits_by_cache(vendor) false), the pooled figure
    only, and the note says why."""
    figures = scaling_figures(round_times, engines, threads, failed, vendor)
    if not figures:
        return None
    split_ok = splits_by_cache(vendor)
    parts = []
    for f in figures:
        text = f"{names[f['engine']]} {f['threads']}T {f['pooled']:.2f}x"
        if not split_ok:
            parts.append(text)
            continue
        count = f["rounds"]
        kinds = [k for k in ("near", "far") if count[k]]
        if len(kinds) == 1 and count[kinds[0]] == count["all"]:
            text += f" (all {count['all']} round(s) {kinds[0]})"
        elif kinds or count["changed"]:
            split = [f"{k}, {count[k]} round(s): {f[k]:.2f}x" for k in kinds]
            if count["changed"]:
                split.append(f"{count['changed']} changed state")
            if count["unprobed"]:
                split.append(f"{count['unprobed']} unprobed")
            text += " (" + "; ".join(split) + ")"
        parts.append(text)
    if not split_ok:
        return ("Speed-up over 1 thread (the 1-thread median over the N-thread one, "
                f"all rounds; not split by the round trips, which tell whether the "
                f"CPUs share a cache on AMD CPUs only, and this one is "
                f"{vendor or 'of an unknown vendor'}): " + "; ".join(parts) + ".")
    return ("Speed-up over 1 thread (the 1-thread median over the N-thread one; then "
            "by the round trips before and after each N-thread run: near where both "
            f"are <= {FAR_NS} ns, the CPUs sharing a cache; far where both are above; "
            "rounds that changed state or went unprobed count only in the first "
            "figure): " + "; ".join(parts) + ".")


def run_fma_peak(fma, threads):
    log(f"measuring FMA peak (threads {','.join(map(str, threads))}) ...")
    r = subprocess.run([fma, "--threads", ",".join(map(str, threads))],
                       capture_output=True, text=True, check=True)
    peaks = {}  # (isa, threads) -> gflops
    for line in r.stdout.splitlines():
        log("  " + line)
        m = re.match(r"fma_peak isa=(\w+) threads=(\d+) gflops=([\d.]+)", line)
        if m:
            peaks[(m.group(1), int(m.group(2)))] = float(m.group(3))
    return peaks


def background_busy(seconds=0.5):
    """CPUs' worth of other work: /proc/stat busy time over `seconds` while we idle."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + (v[4] if len(v) > 4 else 0)
    try:
        t0, i0 = snap()
        time.sleep(seconds)
        t1, i1 = snap()
        return (os.cpu_count() or 1) * (1.0 - (i1 - i0) / max(1, t1 - t0))
    except OSError:
        return None


def measured(mx, tmp, tag, cmd, timeout, env=None):
    """Runs cmd under maxrss_exec (with `env` added to the environment);
    returns (rc, stdout+stderr, maxrss_MB, wall_s)."""
    rep = os.path.join(tmp, f"rss-{tag}.txt")
    if os.path.exists(rep):
        os.remove(rep)
    t0 = time.perf_counter()
    try:
        r = subprocess.run([mx, rep, *cmd], capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, **env) if env else None)
        rc, out = r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        rc = 124
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        out += f"\n(timed out after {timeout} s)"
    wall = time.perf_counter() - t0
    rss = None
    if os.path.exists(rep):
        m = re.search(r"maxrss_kb=(\d+)", open(rep).read())
        if m:
            rss = int(m.group(1)) / 1024.0
    return rc, out, rss, wall


def worker_cmd(args, mode, threads, extra=()):
    cmd = [sys.executable, os.path.abspath(__file__), "--_worker", mode,
           "--model", args.model, "--threads", str(threads),
           "--repeat", str(args.repeat), "--warmup", str(args.warmup),
           "--ov-precision", args.ov_precision]
    return cmd + list(extra)


def parse_result(out):
    for line in reversed(out.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return None


def tail(text, n=15):
    return "\n".join(text.strip().splitlines()[-n:])


def cpuinfo(key):
    """The value of the first /proc/cpuinfo line named `key`, or None."""
    try:
        with open("/proc/cpuinfo") as f:
            for l in f:
                if l.startswith(key):
                    return l.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def fmt(v, spec=".1f"):
    return "—" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="ONNX model (default: $YOLO_FIXTURE_DIR or "
                    f"~/.cache/yolo-compiler/fixtures, {DEFAULT_FIXTURE})")
    ap.add_argument("--runner", help="our NAME-run executable (omit: ORT/OpenVINO only)")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--repeat", type=int, default=20,
                    help="timed runs (median of these; with --rounds R, R x ceil(N / R))")
    ap.add_argument("--warmup", type=int, default=3,
                    help="untimed warm-up runs (in every process)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="split the timed runs over this many rounds; each round runs "
                    "every engine once, in an order rotated from round to round, and the "
                    "table pools the rounds' runs (shared machines: a burst of other "
                    "work then hits every engine alike)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random input")
    ap.add_argument("--gflops", type=float, help="model GFLOPs (default: 2 x Conv MACs)")
    ap.add_argument("--input-shape", help="e.g. 1x3x640x640, for dynamic-shape models")
    ap.add_argument("--engines", default="ours,ort,ov",
                    help="subset of ours,ort,ov to run (default all)")
    ap.add_argument("--ov-precision", default="f32",
                    help="OpenVINO INFERENCE_PRECISION_HINT (f32 = same math as ours; "
                    "'default' = leave OpenVINO's choice, which may be bf16)")
    ap.add_argument("--isa", choices=("native", "avx2"), default="native",
                    help="avx2: measure as on an AVX2-only CPU as far as the engines allow "
                    "(OpenVINO via ONEDNN_MAX_CPU_ISA=AVX2, ours via YOLO_CPU_DISABLE="
                    "avx512f, the AVX2 FMA peak; onnxruntime has no such switch)")
    ap.add_argument("--no-fma-peak", action="store_true", help="skip the FMA microbenchmark")
    ap.add_argument("--wait-idle", type=int, default=0, metavar="SECONDS",
                    help="before the FMA peak and each engine run, wait up to SECONDS for "
                    "other processes to leave the CPUs idle (shared machines)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per engine run")
    ap.add_argument("--out", help="also write the markdown report here")
    ap.add_argument("--json", help="also write the results as JSON here (bench/goal_report.py "
                    "reads it): the CPU, the FMA peaks, each engine's row with its rounds' "
                    "medians, the speed-ups over 1 thread")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    # worker-only
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--save-output", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._worker:
        args.threads_one = int(args.threads)
        {"model-info": worker_model_info,
         "ort": worker_ort, "ort-base": lambda a: worker_ort(a, baseline=True),
         "ov": worker_ov, "ov-base": lambda a: worker_ov(a, baseline=True)}[args._worker](args)
        return 0

    # ---- resolve inputs ------------------------------------------------------
    if not args.model:
        fx = os.environ.get("YOLO_FIXTURE_DIR",
                            os.path.expanduser("~/.cache/yolo-compiler/fixtures"))
        args.model = os.path.join(fx, DEFAULT_FIXTURE)
        if not os.path.exists(args.model):
            raise SystemExit(f"default model {args.model} not found: run "
                             "scripts/export_fixtures.py, or pass --model")
    args.model = os.path.abspath(args.model)
    if not os.path.exists(args.model):
        raise SystemExit(f"model not found: {args.model}")
    if args.isa == "avx2":
        flags = (cpuinfo("flags") or "").split()
        if "avx2" not in flags or "fma" not in flags:
            raise SystemExit("--isa avx2: this CPU lacks AVX2 or FMA "
                             "(/proc/cpuinfo flags)")
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    if args.rounds < 1 or args.repeat < 1:
        raise SystemExit("--rounds and --repeat must be at least 1")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    runner_note = None
    if "ours" in engines:
        if not args.runner:
            runner_note = "our runner: not given (--runner OUTDIR/NAME-run); ORT/OpenVINO only"
            engines.remove("ours")
        elif not (os.path.isfile(args.runner) and os.access(args.runner, os.X_OK)):
            runner_note = f"our runner: {args.runner} missing or not executable; ORT/OpenVINO only"
            engines.remove("ours")
        else:
            args.runner = os.path.abspath(args.runner)
    if runner_note:
        log(runner_note)

    tmp = tempfile.mkdtemp(prefix="yolo-bench-")
    try:
        return run_parent(args, threads, engines, runner_note, tmp)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_parent(args, threads, engines, runner_note, tmp):
    import numpy as np

    busy = []  # CPUs used by other processes, sampled while none of ours runs

    def sample_busy(when):
        b = background_busy()
        if b is not None:
            busy.append(b)
            if b > 0.3:
                log(f"other processes use {b:.1f} of {os.cpu_count()} CPUs {when}: "
                    "timings will be pessimistic")

    def wait_idle(what):
        """Waits up to --wait-idle s until others use < 0.3 CPUs for 3 samples in a row."""
        if args.wait_idle <= 0:
            return
        t_end, calm, said = time.time() + args.wait_idle, 0, False
        while time.time() < t_end and calm < 3:
            b = background_busy()
            calm = calm + 1 if b is not None and b < 0.3 else 0
            if calm == 0 and not said:
                log(f"waiting up to {args.wait_idle} s for the machine to go idle before {what} "
                    f"(others use {b:.1f} CPUs) ...")
                said = True
        if calm < 3:
            log(f"still busy after {args.wait_idle} s; running {what} anyway")

    load_start = os.getloadavg()[0]
    sample_busy("at start")
    fma, mx, pp = build_tools(tmp)

    # ---- model info + input -------------------------------------------------
    log(f"model {args.model}: reading input shape and counting Conv FLOPs ...")
    extra = ["--input-shape", args.input_shape] if args.input_shape else []
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--_worker", "model-info",
                        "--model", args.model, "--threads", "1", *extra],
                       capture_output=True, text=True)
    info = parse_result(r.stdout)
    if r.returncode != 0 or info is None:
        raise SystemExit("model-info failed:\n" + tail(r.stdout + r.stderr))
    gflops = args.gflops if args.gflops else info["gflops"]
    gsrc = "--gflops" if args.gflops else f"2 x Conv MACs over {info['convs']} Conv nodes"
    if info["unknown_convs"] and not args.gflops:
        log(f"warning: {len(info['unknown_convs'])} Conv nodes without inferred shapes "
            "were not counted")
    log(f"input {info['input_name']} {_shape_str(info['input_shape'])} {info['dtype']}; "
        f"{gflops:.2f} GFLOPs ({gsrc})")
    x = np.random.default_rng(args.seed).random(info["input_shape"]).astype(info["dtype"])
    xpath = os.path.join(tmp, "x.npy")
    np.save(xpath, x)
    del x

    # ---- FMA peak -------------------------------------------------------------
    if not args.no_fma_peak:
        wait_idle("the FMA peak")
    peaks = {} if args.no_fma_peak else run_fma_peak(fma, threads)

    def peak_for(t):
        for isa in (("avx2",) if args.isa == "avx2" else ("avx512", "avx2")):
            if (isa, t) in peaks:
                return isa, peaks[(isa, t)]
        return None, None

    # ---- import-only baselines (interpreter + runtime library RSS) ------------
    baselines, versions = {}, {}
    for eng in [e for e in ("ort", "ov") if e in engines]:
        rc, out, rss, _ = measured(mx, tmp, f"{eng}-base", worker_cmd(args, f"{eng}-base", 1),
                                   args.timeout)
        res = parse_result(out)
        baselines[eng] = rss
        if res:
            versions[eng] = res.get("version")

    # ---- ISA ------------------------------------------------------------------
    # --isa avx2: each engine's own switch, where it has one.
    envs = {"ours": {}, "ort": {}, "ov": {}}
    if args.isa == "avx2":
        disabled = [x for x in os.environ.get("YOLO_CPU_DISABLE", "").split(",") if x]
        envs["ours"]["YOLO_CPU_DISABLE"] = ",".join(
            disabled + ([] if "avx512f" in disabled else ["avx512f"]))
        envs["ov"]["ONEDNN_MAX_CPU_ISA"] = "AVX2"
    # The ISA OpenVINO's oneDNN says it uses (ONEDNN_VERBOSE), from one run.
    ov_isa = None
    if "ov" in engines:
        cmd = worker_cmd(args, "ov", 1, ["--input", xpath])
        cmd[cmd.index("--repeat") + 1] = "1"
        cmd[cmd.index("--warmup") + 1] = "0"
        rc, out, _, _ = measured(mx, tmp, "ov-isa", cmd, args.timeout,
                                 dict(envs["ov"], ONEDNN_VERBOSE="1"))
        m = re.search(r"info,cpu,isa:([^\n]*)", out)
        ov_isa = m.group(1).strip() if m else None
        log(f"OpenVINO's oneDNN reports isa: {ov_isa or 'nothing'}")
        if rc != 0:
            log(f"  the OpenVINO run with ONEDNN_VERBOSE failed (rc={rc}):\n{tail(out)}")
        if args.isa == "avx2" and not ov_isa:
            raise SystemExit("--isa avx2: OpenVINO's oneDNN reported no isa with "
                             f"ONEDNN_VERBOSE=1 (rc={rc}), so its ISA cannot be checked")
        if args.isa == "avx2" and ("512" in ov_isa or "AMX" in ov_isa):
            raise SystemExit(f"--isa avx2: OpenVINO still reports isa {ov_isa} with "
                             "ONEDNN_MAX_CPU_ISA=AVX2")

    # ---- engines ------------------------------------------------------------
    names = {"ours": "ours", "ort": "onnxruntime", "ov": "OpenVINO"}
    variants = set()  # our runner's variant(s), from its --verbose line
    per_round = -(-args.repeat // args.rounds)

    def run_engine(eng, t, rnd):
        """One process of one engine: its timed runs (ms, in order) and what
        else it reported; `note` says why it failed."""
        tag = f"{eng}-{t}-{rnd}"
        res = {"times": None, "rss": None, "note": ""}
        if eng == "ours":
            ypath = os.path.join(tmp, f"ours-y-{t}.npy")
            cmd = [args.runner, "--input", xpath, "--output", ypath, "--threads", str(t),
                   "--repeat", str(per_round), "--warmup", str(args.warmup), "--verbose"]
            rc, out, rss, wall = measured(mx, tmp, tag, cmd, args.timeout, envs["ours"])
            v = re.search(r"^variant: (\S+)", out, re.M)
            if v:
                variants.add(v.group(1))
                if args.isa == "avx2" and "avx512" in v.group(1):
                    raise SystemExit(f"--isa avx2: our runner ran its {v.group(1)} variant")
            elif args.isa == "avx2" and rc == 0:
                raise SystemExit("--isa avx2: our runner printed no variant line (a runner "
                                 "older than the CPU check), so its ISA cannot be checked")
            m = re.search(r"^times_ms=([0-9.,eE+-]+)$", out, re.M)
            vals = {k: float(v) for k, v in
                    re.findall(r"\b(median_ms|min_ms|mean_ms)\s*[=:]\s*([0-9.eE+-]+)", out)}
            if rc == 0 and m:
                res.update(times=[float(v) for v in m.group(1).split(",")], rss=rss,
                           ypath=ypath)
            elif rc == 0 and args.rounds == 1 and len(vals) == 3:
                # A runner built before times_ms=: its own summary will do
                # for one round (rounds need every run to pool them).
                res.update(times=None, summary=vals, rss=rss, ypath=ypath)
            else:
                res["note"] = f"failed (rc={rc})"
                log(f"  our runner failed (rc={rc}{'' if rc else ', no times_ms'}):\n"
                    f"{tail(out)}")
        else:
            save = os.path.join(tmp, f"{eng}-y-{t}.npy")
            cmd = worker_cmd(args, eng, t, ["--input", xpath, "--save-output", save])
            cmd[cmd.index("--repeat") + 1] = str(per_round)
            rc, out, rss, wall = measured(mx, tmp, tag, cmd, args.timeout, envs[eng])
            r = parse_result(out)
            if rc == 0 and r:
                res.update(times=r["times_ms"], rss=rss, load_s=r["load_s"], ypath=save)
                if eng == "ov":
                    res["props"] = r.get("props", {})
            else:
                res["note"] = f"failed (rc={rc})"
                log(f"  {names[eng]} failed (rc={rc}):\n{tail(out)}")
        if res["times"]:
            log(f"  median {statistics.median(res['times']):.1f} ms, min "
                f"{min(res['times']):.1f} ms, peak RSS {fmt(res['rss'])} MB ({wall:.1f} s)")
        return res

    def ok(g):
        return bool(g["times"]) or "summary" in g

    # Each round runs every engine once (a process each), the order rotated
    # from round to round: a wave of other work on a shared machine then
    # falls on every engine rather than on whichever ran during it.
    rows = []  # dicts
    round_medians = {}  # (engine, threads) -> [median of each round]
    # threads -> [(engine, run_pingpong before, round trip after (ns or None))]
    round_trips = {}
    round_times = {}  # (engine, threads) -> [(state or None, its timed runs)]
    for t in threads:
        got = {eng: [] for eng in engines}
        for rnd in range(args.rounds):
            order = engines[rnd % len(engines):] + engines[:rnd % len(engines)]
            for eng in order:
                wait_idle(f"{names[eng]} {t}T")
                sample_busy(f"before {names[eng]} {t}T")
                rt = run_pingpong(pp) if t >= 2 else None
                log(f"{names[eng]}, {t} thread(s)"
                    + (f", round {rnd + 1}/{args.rounds}" if args.rounds > 1 else "")
                    + f": {args.warmup} warm-up + {per_round} timed runs ...")
                got[eng].append(run_engine(eng, t, rnd))
                # The state can change within a run: probed again after it.
                after = run_pingpong(pp, bandwidth=False) if rt is not None else None
                after_ns = after[0] if after else None
                if rt is not None:
                    round_trips.setdefault(t, []).append((names[eng], rt, after_ns))
                if got[eng][-1]["times"]:
                    round_times.setdefault((eng, t), []).append(
                        (cache_state(rt[0] if rt else None, after_ns), got[eng][-1]["times"]))
        for eng in engines:
            row = {"engine": eng, "threads": t, "median": None, "min": None, "mean": None,
                   "rss": None, "note": ""}
            failed = [g["note"] for g in got[eng] if not ok(g)]
            if failed:
                row["note"] = failed[0]
            elif "summary" in got[eng][0]:
                sm = got[eng][0]["summary"]
                row.update(median=sm["median_ms"], min=sm["min_ms"], mean=sm["mean_ms"],
                           rss=got[eng][0]["rss"], ypath=got[eng][0]["ypath"])
            else:
                ts = [v for g in got[eng] for v in g["times"]]
                row.update(median=statistics.median(ts), min=min(ts),
                           mean=statistics.fmean(ts),
                           rss=max((g["rss"] for g in got[eng] if g["rss"] is not None),
                                   default=None),
                           ypath=got[eng][-1]["ypath"])
                if got[eng][0].get("load_s") is not None:
                    row["load_s"] = got[eng][0]["load_s"]
                if got[eng][-1].get("props"):
                    row["props"] = got[eng][-1]["props"]
                round_medians[(eng, t)] = [statistics.median(g["times"]) for g in got[eng]]
            rows.append(row)

    # ---- output agreement (informational) -------------------------------------
    agree = []
    ort_rows = {r["threads"]: r for r in rows if r["engine"] == "ort" and r.get("ypath")}
    for r in rows:
        if r["engine"] == "ort" or not r.get("ypath") or r["threads"] not in ort_rows:
            continue
        try:
            a = np.load(r["ypath"])
            b = np.load(ort_rows[r["threads"]]["ypath"])
            if a.shape == b.shape:
                d = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))
                agree.append(f"{names[r['engine']]} vs onnxruntime, {r['threads']} thread(s), "
                             f"output 0 {_shape_str(a.shape)}: max |diff| = {d:.3g}")
            else:
                agree.append(f"{names[r['engine']]} output shape {a.shape} != ORT {b.shape}")
        except Exception as e:  # noqa: BLE001 - informational only
            agree.append(f"{names[r['engine']]}: could not compare outputs ({e})")

    # ---- table ----------------------------------------------------------------
    by = {(r["engine"], r["threads"]): r for r in rows}

    def ratio(a, b, key):
        if a is None or b is None or a.get(key) is None or b.get(key) is None:
            return "—"
        return f"{a[key] / b[key]:.2f}"

    hdr = ("| engine | threads | median ms | min ms | peak RSS MB | GFLOP/s | % FMA peak "
           "| ours/ORT ms | ours/OV ms | ours/ORT RSS |")
    lines = [hdr, "|" + "---|" * 10]
    for r in rows:
        isa, pk = peak_for(r["threads"])
        gps = gflops / (r["median"] / 1e3) if r["median"] else None
        frac = f"{100 * gps / pk:.1f}%" if gps and pk else "—"
        if r["engine"] == "ours":
            o, v = by.get(("ort", r["threads"])), by.get(("ov", r["threads"]))
            rt = (ratio(r, o, "median"), ratio(r, v, "median"), ratio(r, o, "rss"))
        else:
            rt = ("", "", "")
        name = names[r["engine"]] + (f" ({r['note']})" if r["note"] else "")
        lines.append(f"| {name} | {r['threads']} | {fmt(r['median'])} | {fmt(r['min'])} "
                     f"| {fmt(r['rss'])} | {fmt(gps)} | {frac} | {rt[0]} | {rt[1]} | {rt[2]} |")
    if "ours" not in engines:
        lines.append("| ours | — | missing | | | | | | | |")

    cpu = cpuinfo("model name") or platform.processor() or ""
    head = [
        "# Benchmark",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M:%S')}; host: {platform.node()}, {cpu}, "
        f"{os.cpu_count()} logical CPUs; load average at start: {load_start:.2f}",
        f"- model: `{args.model}`; input `{info['input_name']}` "
        f"{_shape_str(info['input_shape'])} {info['dtype']}, uniform [0,1) seed {args.seed}",
        f"- model GFLOPs: {gflops:.2f} ({gsrc})",
        (f"- runs: {args.warmup} warm-up + {args.repeat} timed per engine and thread count; "
         "each engine in its own process" if args.rounds == 1 else
         f"- runs: {args.rounds} rounds per thread count, each running every engine once "
         f"(order rotated each round) in its own process, {args.warmup} warm-up + "
         f"{per_round} timed runs; the table pools the {args.rounds * per_round} timed runs"),
        (f"- our runner: {args.runner}"
         + (f" (variant {', '.join(sorted(variants))})" if variants else "")
         if "ours" in engines else f"- {runner_note or 'our runner: not run'}"),
    ]
    if args.isa == "avx2":
        how = []
        if "ours" in engines:
            how.append(f"ours with YOLO_CPU_DISABLE={envs['ours']['YOLO_CPU_DISABLE']}")
        if "ov" in engines:
            how.append("OpenVINO with ONEDNN_MAX_CPU_ISA=AVX2")
        if peaks:
            how.append("% FMA peak against the AVX2 peak")
        if "ort" in engines:
            how.append("onnxruntime has no such switch and uses the CPU's full ISA")
        head.append("- ISA: as on an AVX2-only CPU, as far as the engines allow: "
                    + "; ".join(how))
    if "ort" in engines:
        head.append(f"- onnxruntime {versions.get('ort', '?')}: CPU EP, ORT_ENABLE_ALL, "
                    "intra_op_num_threads=N, inter_op_num_threads=1, ORT_SEQUENTIAL")
    if "ov" in engines:
        props = next((r.get("props") for r in rows if r["engine"] == "ov" and r.get("props")), {})
        ps = ", ".join(f"{k}={v}" for k, v in props.items())
        head.append(f"- OpenVINO {versions.get('ov', '?')}: CPU, INFERENCE_NUM_THREADS=N, "
                    f"PERFORMANCE_HINT=LATENCY, precision hint {args.ov_precision}"
                    + (f" (compiled: {ps} at last thread count)" if ps else "")
                    + f"; its oneDNN reports isa: {ov_isa or 'nothing'}")
    if peaks:
        head.append("- FMA peak (fp32, bench/fma_peak.c, best of 5 x 200 ms): " + "; ".join(
            f"{isa} {t}T {g:.1f} GFLOP/s" for (isa, t), g in sorted(peaks.items())))
    notes = [
        "",
        "GFLOP/s = model GFLOPs / median seconds; % FMA peak = that / the fp32 FMA peak "
        "measured above at the same thread count (AVX-512 when available, unless --isa "
        "avx2; here: "
        + (", ".join(f"{peak_for(t)[0]} at {t}T" for t in threads if peak_for(t)[0])
           or "none measured") + "). "
        "Ratios: ours divided by the other engine at the same thread count "
        "(< 1.0: ours is faster / smaller).",
        "Peak RSS: ru_maxrss of the engine's own process (wait4 in bench/maxrss_exec), "
        "including model load and compile; for onnxruntime/OpenVINO this includes the "
        "Python interpreter and the runtime library. Import-only baselines (python + "
        "numpy + runtime, no model): " + (", ".join(
            f"{names[e]} {fmt(v)} MB" for e, v in baselines.items()) or "—") + ".",
    ]
    load = [f"{names[r['engine']]} {r['threads']}T {r['load_s']:.1f} s" for r in rows
            if r.get("load_s") is not None]
    if load:
        notes.append("Session load/compile time (not in the latency): " + ", ".join(load) + ".")
    if agree:
        notes.append("Output check: " + "; ".join(agree) + ".")
    if args.rounds > 1:
        notes.append("Median of each round: " + "; ".join(
            f"{names[e]} {t}T " + ", ".join(f"{v:.1f}" for v in meds)
            for (e, t), meds in round_medians.items()) + " ms.")
    vendor = cpuinfo("vendor_id")
    failed_rows = {(r["engine"], r["threads"]) for r in rows if r["note"]}
    scaling = thread_scaling(round_times, engines, threads, names, failed_rows, vendor)
    if scaling:
        notes.append(scaling)
    reading = ("About 100 ns: the CPUs share a cache; several hundred: they do not, "
               "and multi-threaded runs read more from the other core's cache "
               "(bench/README.md)." if splits_by_cache(vendor) else
               f"On this CPU ({vendor or 'unknown vendor'}) they do not tell whether "
               "the CPUs share a cache: that reading holds on AMD CPUs (bench/README.md).")
    for t, rts in round_trips.items():
        notes.append(
            f"Cross-core round trip (bench/core_pingpong.c, a cache line between the "
            f"first two CPUs) before and after each {t}-thread run: " + ", ".join(
                f"{rt[0]}{'' if after is None else f' / {after}'} ns ({e})"
                for e, rt, after in rts)
            + " (before / after the run). " + reading)
        rates = [(e, rt[1], rt[2]) for e, rt, _ in rts if rt[1] is not None]
        if rates:
            notes.append(
                f"Reading 2 MB that the other CPU has just written / that this CPU "
                f"wrote (core_pingpong --bandwidth) before each {t}-thread run: "
                + ", ".join(f"{o:.0f} / {w:.0f} GB/s ({e})" for e, o, w in rates)
                + ". Near each other: both at cache speed; without a shared cache, "
                "what the other core wrote comes at about the speed of memory.")
    if busy:
        head.append(f"- other processes' CPU use, sampled 0.5 s before each engine run: "
                    f"max {max(busy):.2f}, mean {statistics.fmean(busy):.2f} CPUs")
        if max(busy) > 0.3:
            head.append("- WARNING: the machine was busy with other work during this run; "
                        "timings (and the FMA peak) are pessimistic, rerun when idle")
    report = "\n".join(head + [""] + lines + notes) + "\n"
    print()
    print(report, flush=True)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)
        log(f"wrote {args.out}")
    if args.json:
        flags = (cpuinfo("flags") or "").split()
        doc = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S"),
            "host": platform.node(),
            "cpu": {"model_name": cpu, "vendor": vendor, "family": cpuinfo("cpu family"),
                    "model": cpuinfo("model\t"), "logical_cpus": os.cpu_count(),
                    "isa_flags": [f for f in flags if f in ("avx2", "fma") or
                                  f.startswith("avx512") or f.startswith("amx")]},
            "model": args.model, "gflops": gflops, "isa": args.isa,
            "threads": threads, "repeat": args.repeat, "rounds": args.rounds,
            "variants": sorted(variants), "ov_isa": ov_isa, "versions": versions,
            "fma_peak": [{"isa": isa, "threads": t, "gflops": g}
                         for (isa, t), g in sorted(peaks.items())],
            # The peak the table's "% FMA peak" is against, per thread count.
            "peak_used": [{"threads": t, "isa": peak_for(t)[0], "gflops": peak_for(t)[1]}
                          for t in threads if peak_for(t)[0]],
            "busy_max": max(busy) if busy else None,
            "rows": [{"engine": r["engine"], "threads": r["threads"], "median": r["median"],
                      "min": r["min"], "mean": r["mean"], "rss_mb": r["rss"],
                      "note": r["note"],
                      "round_medians": round_medians.get((r["engine"], r["threads"]), [])}
                     for r in rows],
            "speedups": scaling_figures(round_times, engines, threads, failed_rows, vendor),
            "round_trips": [{"threads": t, "engine": e, "before_ns": rt[0],
                             "after_ns": after}
                            for t, rts in round_trips.items() for e, rt, after in rts],
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
        log(f"wrote {args.json}")
    failed = [r for r in rows if r["median"] is None]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
