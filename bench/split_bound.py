#!/usr/bin/env python3
"""What giving each thread half of the image, in memory of its own, could
reach at 2 threads: an upper bound measured, not modelled.

    .venv/bin/python bench/split_bound.py --full OUT/F-run --half OUT/H-run
        [--shape 1x3x640x640] [--rounds 6] [--repeat 20] [--warmup 2]
        [--out report.md]

FULL is our runner of the model on the whole image, HALF the same model
compiled for the top half of it (a dynamic-shape model compiled twice:
`yolo-codegen M-dyn.onnx --input-shape=1x3x640x640 ...` and
`--input-shape=1x3x320x640`). Each round runs, in this order:

  1. the cross-core round trip (bench/core_pingpong.c);
  2. FULL at 1 thread, then at 2 threads;
  3. two HALF runs at 1 thread at once, pinned one to each of the first two
     CPUs: two threads that share nothing, which is what a layout with each
     thread's rows in memory of its own would come close to (it would still
     exchange a few halo rows per layer, and it runs the work of a whole
     image, not of two halves of it);
  4. two FULL runs at 1 thread at once, pinned the same way: how much the
     host slows each CPU when both work (shared memory bandwidth, the other
     tenants), the ceiling for any way of splitting the work;
  5. the round trip again.

Both round trips give the round's cache state, as in run_bench.py: near
(the two CPUs share a cache), far (they do not), or changed. The report
gives, for each state, the medians over its rounds and three speed-ups
over FULL at 1 thread: FULL at 2 threads (what we do now), the slower of the
two halves (the bound of a split by rows), and twice FULL at 1 thread over
the slower of the two whole-image runs (the host's throughput scaling).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_bench import cache_state, run_pingpong  # noqa: E402

FIELDS = ("full1", "full2", "half", "pair")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def median_ms(out, what):
    m = re.search(r"median_ms=([0-9.]+)", out)
    if not m:
        raise SystemExit(f"split_bound: no median_ms in the output of {what}:\n"
                         f"{out[-2000:]}")
    return float(m.group(1))


def run_runner(runner, inp, threads, args, cpu=None):
    cmd = [runner, "--input", inp, "--threads", str(threads), "--repeat",
           str(args.repeat), "--warmup", str(args.warmup)]
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=pin), " ".join(cmd)


def finish(proc_cmd):
    proc, cmd = proc_cmd
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"split_bound: `{cmd}` failed ({proc.returncode}):\n"
                         f"{err[-2000:]}")
    return median_ms(out, cmd)


def one_round(args, full_in, half_in, cpus, pp):
    before = run_pingpong(pp, bandwidth=False)
    r = {"full1": finish(run_runner(args.full, full_in, 1, args)),
         "full2": finish(run_runner(args.full, full_in, 2, args))}
    halves = [run_runner(args.half, half_in, 1, args, c) for c in cpus]
    r["halves"] = [finish(h) for h in halves]
    r["half"] = max(r["halves"])
    wholes = [run_runner(args.full, full_in, 1, args, c) for c in cpus]
    r["wholes"] = [finish(w) for w in wholes]
    r["pair"] = max(r["wholes"])
    after = run_pingpong(pp, bandwidth=False)
    r["rt"] = (before[0] if before else None, after[0] if after else None)
    r["state"] = cache_state(*r["rt"])
    return r


def summarize(rounds):
    """Per cache state (near, far, changed, unprobed; in that order, those
    that occur): the number of rounds, the medians over them of FULL at 1
    and 2 threads, of the slower half and of the slower whole-image run at
    once, and the three speed-ups computed from those medians."""
    rows = []
    for state in ("near", "far", "changed", None):
        sel = [r for r in rounds if r["state"] == state]
        if not sel:
            continue
        med = {f: statistics.median(r[f] for r in sel) for f in FIELDS}
        rows.append({
            "state": state or "unprobed", "rounds": len(sel), **med,
            "now": med["full1"] / med["full2"],
            "split": med["full1"] / med["half"],
            "host": 2 * med["full1"] / med["pair"],
        })
    return rows


def report(rows, rounds, args):
    lines = [
        "# Splitting the image between two threads: the bound, by cache state",
        "",
        f"- whole image: {args.full}; half: {args.half}",
        f"- {len(rounds)} round(s) of --repeat {args.repeat} (--warmup "
        f"{args.warmup}); medians of each round's run medians, in ms",
        "",
        "| cache state | rounds | full 1T | full 2T | halves at once (slower) "
        "| wholes at once (slower) | 2T speed-up now | split bound | host |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['state']} | {r['rounds']} | {r['full1']:.1f} | "
            f"{r['full2']:.1f} | {r['half']:.1f} | {r['pair']:.1f} | "
            f"{r['now']:.2f}x | {r['split']:.2f}x | {r['host']:.2f}x |")
    lines += [
        "",
        "2T speed-up now: full 1T / full 2T. Split bound: full 1T / the slower "
        "of two half-image runs at 1 thread at once, one per CPU. Host: twice "
        "full 1T / the slower of two whole-image runs at 1 thread at once.",
        "",
        "Rounds: " + "; ".join(
            f"{i + 1}: {r['rt'][0]} / {r['rt'][1]} ns ({r['state'] or 'unprobed'}) "
            f"{r['full1']:.1f} {r['full2']:.1f} halves "
            f"{'/'.join(f'{h:.1f}' for h in r['halves'])} wholes "
            f"{'/'.join(f'{w:.1f}' for w in r['wholes'])}"
            for i, r in enumerate(rounds)) + ".",
    ]
    return "\n".join(lines) + "\n"


def parse_shape(text):
    try:
        dims = [int(d) for d in text.lower().split("x")]
    except ValueError:
        dims = []
    if len(dims) != 4 or min(dims) < 1 or dims[2] < 2:
        raise SystemExit(f"split_bound: --shape: expected NxCxHxW with H >= 2, "
                         f"got '{text}'")
    return dims


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", required=True, help="runner of the whole image")
    ap.add_argument("--half", required=True,
                    help="runner of the same model on the top half of the image")
    ap.add_argument("--shape", default="1x3x640x640",
                    help="the whole image's input shape (the half: H / 2)")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="also write the report here")
    args = ap.parse_args()
    for name in ("full", "half"):
        path = getattr(args, name)
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise SystemExit(f"split_bound: --{name}: not an executable: {path}")
    cpus = sorted(os.sched_getaffinity(0))[:2]
    if len(cpus) < 2:
        raise SystemExit("split_bound: needs two CPUs, this process may use "
                         f"{len(cpus)}")
    import numpy as np
    shape = parse_shape(args.shape)
    half_shape = shape[:2] + [shape[2] // 2, shape[3]]
    with tempfile.TemporaryDirectory(prefix="split-bound-") as tmp:
        x = np.random.default_rng(args.seed).random(shape, dtype=np.float32)
        full_in, half_in = os.path.join(tmp, "x.npy"), os.path.join(tmp, "h.npy")
        np.save(full_in, x)
        np.save(half_in, np.ascontiguousarray(x[:, :, :half_shape[2]]))
        pp = os.path.join(tmp, "core_pingpong")
        cmd = [os.environ.get("CC", "cc"), "-O2", "-pthread",
               os.path.join(HERE, "core_pingpong.c"), "-o", pp]
        if subprocess.run(cmd, capture_output=True).returncode != 0:
            log("split_bound: could not build core_pingpong.c: every round "
                "is unprobed")
            pp = None
        rounds = []
        for i in range(args.rounds):
            r = one_round(args, full_in, half_in, cpus, pp)
            rounds.append(r)
            log(f"round {i + 1}/{args.rounds}: {r['rt'][0]} / {r['rt'][1]} ns "
                f"({r['state'] or 'unprobed'}): full 1T {r['full1']:.1f} ms, "
                f"2T {r['full2']:.1f}, halves at once "
                f"{'/'.join(f'{h:.1f}' for h in r['halves'])}, wholes at once "
                f"{'/'.join(f'{w:.1f}' for w in r['wholes'])}")
    text = report(summarize(rounds), rounds, args)
    print(text, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
