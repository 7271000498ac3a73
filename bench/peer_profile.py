#!/usr/bin/env python3
"""Per-layer comparison of our library with OpenVINO on the same model.

    .venv/bin/python bench/peer_profile.py --model M.onnx --runner OUT/NAME-run \\
        [--threads 1 2] [--repeat 10] [--rounds 1] [--warmup 3] [--top 15] \\
        [--input X.npy] [--save-profiles DIR] [--out FILE]
    .venv/bin/python bench/peer_profile.py --from-file OURS.prof --openvino-file OV.prof \\
        [--warmup 0] [--top 15]

bench/run_bench.py says how much faster or slower the whole model runs;
this script says where. For each thread count it runs our runner with
YOLO_PROFILE (bench/profile.py: one time per step and run) and OpenVINO's
CPU plugin with PERF_COUNT (f32 inference precision, the LATENCY hint and
INFERENCE_NUM_THREADS, as run_bench.py configures it) on the same input,
and matches each of OpenVINO's executed nodes to our step by ONNX node
name: a step's name lists the ONNX nodes it computes ('+'-joined), and
OpenVINO names a node after its ONNX node, a convolution with its bias
split off as NAME/WithoutBiases. OpenVINO nodes that match no step (its
layout reorders, concatenations, which our kernels write in place, and
nodes it kept that we fused) are summed apart, by node type.

Per thread count it prints:
- a table with a row per layer class (as bench/profile.py): our time (sum
  of the steps' medians), OpenVINO's time for the nodes matched to those
  steps (sum of the nodes' medians), and ours / OpenVINO;
- OpenVINO's unmatched time, by node type, and both end-to-end medians
  (OpenVINO's with PERF_COUNT on, which adds its own overhead);
- with --top K, the K steps where OpenVINO gains most on us (our median
  minus its), each with OpenVINO's implementation (exec type, e.g.
  brgconv_avx512_1x1_f32) and our kernel.

The medians are per step, over the timed runs. The engines run one after
the other, so on a host whose speed drifts (a shared VM) one may run in a
slow stretch and the other in a fast one: --rounds K alternates them K
times (--repeat runs each per round, ours first in the first round,
OpenVINO first in the next, and so on) and pools each step's runs over
the rounds; the end-to-end figures are then the medians of the rounds'
medians. A node OpenVINO did not execute in every run is left out, and
the log says which. Compare classes and steps, not single runs.
--save-profiles DIR keeps both pooled profiles (ours-THREADS.prof in
YOLO_PROFILE's format; openvino-THREADS.prof, a header line and one line
per node: name, type, exec type, the time of each run in ms,
tab-separated), which --from-file / --openvino-file summarize again
without running anything.
"""

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_profile_module():
    # bench/profile.py by path: `import profile` would find the standard
    # library's profiler when this script is imported from elsewhere.
    spec = importlib.util.spec_from_file_location("yolo_bench_profile",
                                                  os.path.join(HERE, "profile.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


prof = _load_profile_module()


def log(msg):
    print(f"peer_profile.py: {msg}", file=sys.stderr, flush=True)


class PeerProfile:
    """OpenVINO's per-node times of several runs (the openvino-THREADS.prof
    format): `# openvino-profile 1 threads=T runs=N version=V e2e_ms=M`,
    then per node: name, type, exec type, N comma-separated times (ms)."""

    def __init__(self, path):
        self.path = path
        lines, self.header = prof.read_tagged(path, "openvino-profile",
                                              "an OpenVINO profile")
        try:
            self.threads = int(self.header["threads"])
            self.runs = int(self.header["runs"])
        except (KeyError, ValueError):
            raise ValueError(f"{path}: header without threads or runs: {lines[0]}")
        e2e = self.header.get("e2e_ms")
        self.e2e = float(e2e) if e2e not in (None, "") else None
        self.nodes = []
        for n, f in prof.tab_rows(path, lines, 4):
            times = prof.times_field(path, n, f[3], self.runs)
            self.nodes.append({"name": f[0], "type": f[1], "exec": f[2], "times": times})

    def summarize(self, drop):
        prof.set_medians(self.path, self.runs, drop, self.nodes)
        self.timed = self.runs - drop


def onnx_name(ov_name):
    """The ONNX node an OpenVINO node stands for: a convolution whose bias
    OpenVINO split off is NAME/WithoutBiases."""
    return ov_name[:-len("/WithoutBiases")] if ov_name.endswith("/WithoutBiases") else ov_name


def match(ours, peer):
    """Our steps in units (a grouped convolution runs as one step per group,
    each named after the ONNX node: steps that share a node name are one
    unit) and the OpenVINO nodes of each unit, by ONNX node name.
    Returns ([(steps, nodes)] in step order, [unmatched nodes])."""
    units, unit_of = [], {}
    for s in ours.steps:
        parts = s["name"].split("+")
        u = next((unit_of[p] for p in parts if p in unit_of), None)
        if u is None:
            u = len(units)
            units.append(([], []))
        units[u][0].append(s)
        for p in parts:
            unit_of.setdefault(p, u)
    unmatched = []
    for node in peer.nodes:
        u = unit_of.get(onnx_name(node["name"]))
        if u is None:
            unmatched.append(node)
        else:
            units[u][1].append(node)
    return units, unmatched


def merge_ours(rounds, drop):
    """Our profiles of several rounds as one: each step's timed runs
    concatenated (the warm-up runs of every round dropped)."""
    first = rounds[0]
    for p in rounds[1:]:
        if [s["name"] for s in p.steps] != [s["name"] for s in first.steps]:
            raise SystemExit(f"peer_profile.py: the rounds' profiles list different steps "
                             f"({first.path}, {p.path})")
    for k, s in enumerate(first.steps):
        s["times"] = [t for p in rounds for t in p.steps[k]["times"][drop:]]
    first.runs = len(first.steps[0]["times"]) if first.steps else 0
    first.summarize(0)
    return first


def write_ours(p, path):
    """A profile in YOLO_PROFILE's format (runtime/src/model_driver.c)."""
    head = " ".join(f"{k}={v}" for k, v in p.header.items()
                    if k not in ("threads", "steps", "runs"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# yolo-profile 1 {head} threads={p.threads} steps={len(p.steps)} "
                f"runs={p.runs}\n")
        for s in p.steps:
            f.write(f"{s['index']}\t{s['cls']}\t{s['flops']}\t{s['kernel']}\t{s['name']}\t"
                    f"{s['desc']}\t{','.join(f'{t:.4f}' for t in s['times'])}\n")


def report(label, ours, our_e2e, peer, top):
    """Markdown lines for one thread count."""
    units, unmatched = match(ours, peer)
    fmt = prof.fmt
    matched = [(st, nodes) for st, nodes in units if nodes]
    out = [f"### {ours.threads} thread(s)", "",
           f"- ours ({label}): {ours.source} (model={ours.header.get('model', '?')}, "
           f"{len(ours.steps)} steps, median of {ours.timed} timed run(s))",
           f"- OpenVINO {peer.header.get('version', '?')}: {len(peer.nodes)} executed nodes, "
           f"median of {peer.timed} timed run(s); "
           f"{sum(len(n) for _, n in matched)} matched to "
           f"{sum(len(st) for st, _ in matched)} of our steps",
           "", "| class | ours ms | OpenVINO ms | ours / OpenVINO | ours GFLOP/s | "
           "OpenVINO GFLOP/s |", "|---|---|---|---|---|---|"]
    present = [c for c in prof.CLASSES if c in ours.by_class]
    present += sorted(set(ours.by_class) - set(prof.CLASSES))
    # A unit's OpenVINO time counts in the class of its first step.
    peer_by_class = {}
    for st, nodes in units:
        c = st[0]["cls"]
        peer_by_class[c] = peer_by_class.get(c, 0.0) + sum(n["ms"] for n in nodes)
    tot_ours = tot_peer = 0.0
    for c in present:
        steps = [s for s in ours.steps if s["cls"] == c]
        a = sum(s["ms"] for s in steps)
        b = peer_by_class.get(c, 0.0)
        flops = sum(s["flops"] for s in steps)
        tot_ours += a
        tot_peer += b
        out.append(f"| {c} | {a:.3f} | {b:.3f} | {fmt(a / b if b > 0 else None)}"
                   f"{'x' if b > 0 else ''} | {fmt(prof.gflops_rate(flops, a), 1)} | "
                   f"{fmt(prof.gflops_rate(flops, b), 1)} |")
    rest = sum(n["ms"] for n in unmatched)
    out.append(f"| OpenVINO's other nodes | — | {rest:.3f} | | | |")
    out.append(f"| **total** (sum of medians) | {tot_ours:.3f} | {tot_peer + rest:.3f} | "
               f"{fmt(tot_ours / (tot_peer + rest) if tot_peer + rest > 0 else None)}"
               f"{'x' if tot_peer + rest > 0 else ''} | | |")
    out.append(f"| end-to-end (median) | {fmt(our_e2e, 3)} | {fmt(peer.e2e, 3)} | "
               f"{fmt(our_e2e / peer.e2e if our_e2e and peer.e2e else None)}"
               f"{'x' if our_e2e and peer.e2e else ''} | | |")
    alone = [s for st, nodes in units if not nodes for s in st]
    if alone:
        out += ["", f"Our steps that match no OpenVINO node: {len(alone)}, "
                f"{sum(s['ms'] for s in alone):.3f} ms (" +
                ", ".join(f"{s['index']} {s['cls']}" for s in alone[:8]) +
                (", ..." if len(alone) > 8 else "") + ")"]
    if unmatched:
        by_type = {}
        for n in unmatched:
            t = by_type.setdefault(n["type"], [0, 0.0])
            t[0] += 1
            t[1] += n["ms"]
        out += ["", "OpenVINO's nodes that match no step of ours (by type): " +
                ", ".join(f"{k} {v[1]:.3f} ms ({v[0]})"
                          for k, v in sorted(by_type.items(), key=lambda kv: -kv[1][1]))]
    if top:
        gap = lambda u: sum(s["ms"] for s in u[0]) - sum(n["ms"] for n in u[1])
        out += ["", f"Steps where OpenVINO gains most ({ours.threads} thread(s)), "
                "ours minus OpenVINO:", "",
                "| step | class | ours ms | OpenVINO ms | ours - OpenVINO | OpenVINO's "
                "implementation | name | our kernel |", "|---|---|---|---|---|---|---|---|"]
        for st, nodes in sorted(matched, key=lambda u: -gap(u))[:top]:
            first = st[0]
            idx = (str(first["index"]) if len(st) == 1 else
                   f"{first['index']}-{st[-1]['index']} ({len(st)} steps)")
            impl = ", ".join(sorted({n["exec"] for n in nodes}))
            mine = sum(s["ms"] for s in st)
            theirs = sum(n["ms"] for n in nodes)
            out.append(f"| {idx} | {first['cls']} | {mine:.3f} | {theirs:.3f} | "
                       f"{mine - theirs:+.3f} | {impl} | {first['name']} | "
                       f"k{first['kernel']} {first['desc']} |")
    return out


def compile_openvino(model, xpath, threads):
    import numpy as np
    import openvino as ov
    core = ov.Core()
    m = core.read_model(model)
    x = np.load(xpath)
    if m.input(0).get_partial_shape().is_dynamic:
        m.reshape({m.input(0).get_any_name(): ov.PartialShape(list(x.shape))})
    config = {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY",
              "INFERENCE_PRECISION_HINT": "f32", "PERF_COUNT": True}
    return core.compile_model(m, "CPU", config).create_infer_request(), x


def run_openvino(req, x, threads, repeat, warmup, rounds_done):
    """One round of OpenVINO runs with PERF_COUNT: its end-to-end times and
    each executed node's (type, exec type, times), warm-up runs dropped."""
    import openvino as ov
    log(f"OpenVINO, {threads} thread(s): {warmup} warm-up + {repeat} timed runs ...")
    times, nodes = [], {}
    for i in range(warmup + repeat):
        t0 = time.perf_counter()
        req.infer({0: x})
        if i < warmup:
            continue
        times.append((time.perf_counter() - t0) * 1e3)
        for p in req.profiling_info:
            # Nodes fused into another (an activation into its convolution)
            # are listed too, not run.
            if p.status != ov.ProfilingInfo.Status.EXECUTED:
                continue
            n = nodes.setdefault(p.node_name, (p.node_type, p.exec_type, []))
            n[2].append(p.real_time.total_seconds() * 1e3)
    log(f"  median {statistics.median(times):.1f} ms end to end (PERF_COUNT on)")
    rounds_done.append((times, nodes))


def write_openvino(rounds, threads, path):
    """The rounds' OpenVINO times as one profile file (nodes reported in
    every run of every round); the end-to-end figure is the median of the
    rounds' medians."""
    import openvino as ov
    runs = sum(len(t) for t, _ in rounds)
    e2e = statistics.median(statistics.median(t) for t, _ in rounds)
    names = {}
    for _, nodes in rounds:
        for name, (ntype, ex, _) in nodes.items():
            names.setdefault(name, (ntype, ex))
    left = []
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# openvino-profile 1 threads={threads} runs={runs} "
                f"version={ov.get_version().split()[0]} e2e_ms={e2e:.4f}\n")
        for name, (ntype, ex) in names.items():
            t = [v for _, nodes in rounds for v in nodes.get(name, (0, 0, []))[2]]
            if len(t) == runs:
                f.write(f"{name}\t{ntype}\t{ex}\t{','.join(f'{v:.4f}' for v in t)}\n")
            else:
                left.append((name, len(t), statistics.median(t)))
    if left:
        # A node executed in some runs only: its time cannot be pooled with
        # the others'; say so rather than leave it out silently.
        log(f"  {len(left)} OpenVINO node(s) not executed in every run, left out: " +
            ", ".join(f"{n} ({k} of {runs} runs, median {ms:.3f} ms)"
                      for n, k, ms in left[:5]) + (", ..." if len(left) > 5 else ""))


def main():
    ap = argparse.ArgumentParser(
        description="Per-layer comparison of our library with OpenVINO on the same model.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--model", help="the ONNX model our runner was compiled from")
    ap.add_argument("--runner", metavar="[LABEL=]PATH", help="our OUT/NAME-run")
    ap.add_argument("--from-file", action="append", default=[], metavar="[LABEL=]FILE",
                    help="our YOLO_PROFILE file instead of a run (repeatable, one per "
                    "thread count)")
    ap.add_argument("--openvino-file", action="append", default=[], metavar="FILE",
                    help="OpenVINO's profile file instead of a run (as many as "
                    "--from-file, matched by thread count)")
    ap.add_argument("--threads", nargs="+", default=["1", "2"],
                    help="thread counts: 1 2 or 1,2 (default 1 2)")
    ap.add_argument("--repeat", type=int, default=10, help="timed runs (default 10)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate the engines this many times, --repeat runs each per "
                    "round (default 1): on a host whose speed drifts, both then see "
                    "its slow and fast stretches")
    ap.add_argument("--warmup", type=int, default=None,
                    help="warm-up runs per round, dropped (default 3 with --runner, 0 with "
                    "--from-file)")
    ap.add_argument("--top", type=int, default=0, metavar="K",
                    help="also list the K steps where OpenVINO gains most")
    ap.add_argument("--input", help="the input .npy (default: random, of the runner's shape)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random input")
    ap.add_argument("--out", help="also write the tables to this file")
    ap.add_argument("--save-profiles", metavar="DIR", help="keep both raw profiles in DIR")
    args = ap.parse_args()
    args.threads = prof.thread_counts(ap, args.threads)
    if bool(args.runner) == bool(args.from_file):
        ap.error("give --model M.onnx --runner OUT/NAME-run, or --from-file and "
                 "--openvino-file")
    if (args.top < 0 or args.repeat < 1 or args.rounds < 1 or
            any(t < 1 for t in args.threads)):
        ap.error("--top must be >= 0, --repeat, --rounds and --threads >= 1")

    pairs = []  # (label, ours, our e2e, peer)
    if args.from_file:
        if len(args.openvino_file) != len(args.from_file):
            ap.error("give one --openvino-file per --from-file")
        warmup = args.warmup or 0
        if warmup < 0:
            ap.error(f"--warmup must be >= 0, got {warmup}")
        peers = {}
        try:
            for path in args.openvino_file:
                p = PeerProfile(path)
                p.summarize(warmup)
                if p.threads in peers:
                    raise ValueError(f"{path}: a second OpenVINO profile of "
                                     f"{p.threads} thread(s)")
                peers[p.threads] = p
            for spec in args.from_file:
                label, path = prof.labelled(spec, "--from-file")
                ours = prof.Profile(path)
                ours.summarize(warmup)
                if ours.threads not in peers:
                    raise ValueError(f"{path}: {ours.threads} thread(s), and no OpenVINO "
                                     "profile of as many")
                pairs.append((label, ours, None, peers.pop(ours.threads)))
        except (OSError, ValueError) as e:
            raise SystemExit(f"peer_profile.py: {e}")
    else:
        if not args.model:
            ap.error("--runner needs --model (the ONNX file it was compiled from)")
        if not os.path.isfile(args.model):
            raise SystemExit(f"peer_profile.py: model {args.model} not found")
        label, runner = prof.labelled(args.runner, "--runner")
        if not (os.path.isfile(runner) and os.access(runner, os.X_OK)):
            raise SystemExit(f"peer_profile.py: runner {runner} is missing or not executable")
        warmup = 3 if args.warmup is None else args.warmup
        if warmup < 0 or warmup + args.repeat > prof.MAX_RUNS:
            ap.error(f"--warmup + --repeat must be at most {prof.MAX_RUNS}, got "
                     f"{warmup} + {args.repeat}")
        try:
            import openvino  # noqa: F401
        except ImportError:
            raise SystemExit("peer_profile.py: openvino is not installed in this Python "
                             "(run it with .venv/bin/python after scripts/setup.sh)")
        with tempfile.TemporaryDirectory(prefix="yolo-peer-profile-") as tmp:
            xpath = args.input
            if not xpath:
                shape = prof.input_shape(runner)
                xpath = os.path.join(tmp, "x.npy")
                log(f"input: uniform [0, 1) of shape {'x'.join(map(str, shape))}, "
                    f"seed {args.seed}")
                prof.write_npy(xpath, shape, args.seed)
            for t in args.threads:
                req, x = compile_openvino(args.model, xpath, t)
                mine, medians, theirs = [], [], []
                for k in range(args.rounds):
                    if args.rounds > 1:
                        log(f"{t} thread(s), round {k + 1} of {args.rounds}")
                    # ours first in even rounds, OpenVINO first in odd ones:
                    # a drift within the rounds favours neither engine.
                    if k % 2:
                        run_openvino(req, x, t, args.repeat, warmup, theirs)
                    p, e2e = prof.run_runner(label, os.path.abspath(runner), xpath, t,
                                             args.repeat, warmup, tmp, None)
                    mine.append(p)
                    medians.append(e2e)
                    if not k % 2:
                        run_openvino(req, x, t, args.repeat, warmup, theirs)
                ours = merge_ours(mine, warmup)
                ours.source = runner
                ovpath = os.path.join(tmp, f"openvino-{t}.prof")
                write_openvino(theirs, t, ovpath)
                if args.save_profiles:
                    os.makedirs(args.save_profiles, exist_ok=True)
                    write_ours(ours, os.path.join(args.save_profiles, f"ours-{t}.prof"))
                    shutil.copy(ovpath, os.path.join(args.save_profiles,
                                                     os.path.basename(ovpath)))
                peer = PeerProfile(ovpath)
                peer.summarize(0)
                e2e = (statistics.median(medians) if None not in medians else None)
                pairs.append((label, ours, e2e, peer))

    lines = []
    for label, ours, e2e, peer in sorted(pairs, key=lambda p: p[1].threads):
        if lines:
            lines.append("")
        lines += report(label, ours, e2e, peer, args.top)
    prof.write_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
