#!/usr/bin/env python3
"""Per-layer-class time breakdown of compiled models (YOLO_PROFILE).

    python3 bench/profile.py --runner before=OUT1/NAME-run --runner after=OUT2/NAME-run \\
        [--threads 1 2] [--repeat 20] [--warmup 3] [--top 10] [--input X.npy]
    python3 bench/profile.py --from-file [LABEL=]PROFILE ... [--warmup 0] [--top 10]

Each runner (`yolo-codegen --emit-runner` builds OUT/NAME-run) runs as
`NAME-run --input X.npy --threads T --repeat N --warmup W` with the
environment variable YOLO_PROFILE set to a temporary file: the library then
times every kernel call (runtime/src/model_driver.c) and writes, when the
runner ends, one line per step: index, class, direct FLOPs, kernel, step
name, kernel description, then the time of each run in ms.

This script drops the warm-up runs, takes each step's median over the timed
runs and prints, per thread count, a markdown table with a row per class
(conv3x3s1, conv1x1, conv3x3s2, conv-other, matmul, pool, elementwise, copy,
other): its milliseconds (sum of its steps' medians), its share of the total,
its GFLOP (2 x multiply-adds of the direct algorithm: a Winograd layer counts
as the 3x3 convolution it replaces) and the effective GFLOP/s; one column
group per runner (with two runners, also the first's time over the
second's). The total row is the sum of all step medians; the last row is
the runner's own median end-to-end latency, for comparison. --top K also
lists the K slowest steps of each runner.

Without --input, the input is uniform [0, 1) random numbers (--seed) of the
shape NAME.h, next to the runner, declares. Progress goes to stderr, the
tables to stdout (and --out FILE); --save-profiles DIR keeps the raw files
(for --from-file later). Python 3 only; numpy is not needed.
"""
import argparse
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile

CLASSES = ["conv3x3s1", "conv1x1", "conv3x3s2", "conv-other", "matmul", "pool",
           "elementwise", "copy", "other"]
MAX_RUNS = 256  # the runs a profiling context records (model_driver.c)


def log(msg):
    print(f"profile.py: {msg}", file=sys.stderr, flush=True)


def read_tagged(path, tag, what):
    """The lines of a profile file whose first line is `# TAG 1 key=value
    ...`, and those keys and values; ValueError naming the file otherwise
    (`what`: what such a file is called)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    m = re.match(rf"# {re.escape(tag)} 1 (.*)$", lines[0] if lines else "")
    if not m:
        raise ValueError(f"{path}: not {what} (its first line is not '# {tag} 1 ...')")
    return lines, dict(kv.split("=", 1) for kv in m.group(1).split() if "=" in kv)


def thread_counts(ap, specs):
    """--threads as integers: `1 2` or `1,2`."""
    try:
        return [int(t) for spec in specs for t in spec.split(",") if t.strip()]
    except ValueError:
        ap.error(f"--threads takes integers, got {' '.join(specs)}")


def set_medians(path, runs, drop, items):
    """Each item's "ms": the median of its "times" after the first `drop`."""
    if runs <= drop:
        raise ValueError(f"{path}: {runs} run(s) recorded, none left after "
                         f"dropping {drop} warm-up run(s)")
    for item in items:
        item["ms"] = statistics.median(item["times"][drop:])


def tab_rows(path, lines, count):
    """(line number, fields) of each non-empty line after the header, each
    of `count` tab-separated fields; ValueError naming the line otherwise."""
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        f = line.split("\t")
        if len(f) != count:
            raise ValueError(f"{path}:{n}: expected {count} tab-separated fields, got {len(f)}")
        yield n, f


def times_field(path, n, field, runs):
    """Line n's comma-separated times, `runs` of them, in ms."""
    try:
        times = [float(t) for t in field.split(",")] if field else []
    except ValueError:
        raise ValueError(f"{path}:{n}: a time that is not a number: {field[:80]}")
    if len(times) != runs:
        raise ValueError(f"{path}:{n}: {len(times)} times, the header says runs={runs}")
    return times


class Profile:
    """One YOLO_PROFILE file: its header fields and its steps."""

    def __init__(self, path):
        self.path = self.source = path
        lines, self.header = read_tagged(path, "yolo-profile", "a YOLO_PROFILE file")
        try:
            self.threads = int(self.header["threads"])
            steps = int(self.header["steps"])
            self.runs = int(self.header["runs"])
        except (KeyError, ValueError):
            raise ValueError(f"{path}: header without threads, steps or runs: {lines[0]}")
        self.steps = []  # dicts: index, cls, flops, kernel, name, desc, times
        for n, f in tab_rows(path, lines, 7):
            times = times_field(path, n, f[6], self.runs)
            self.steps.append({"index": int(f[0]), "cls": f[1], "flops": int(f[2]),
                               "kernel": int(f[3]), "name": f[4], "desc": f[5],
                               "times": times})
        if len(self.steps) != steps:
            raise ValueError(f"{path}: {len(self.steps)} steps, the header says steps={steps}")

    def summarize(self, drop):
        """Per step: the median of the runs after the first `drop`."""
        set_medians(self.path, self.runs, drop, self.steps)
        self.timed = self.runs - drop
        self.total_ms = sum(s["ms"] for s in self.steps)
        self.by_class = {}
        for s in self.steps:
            c = self.by_class.setdefault(s["cls"], {"ms": 0.0, "flops": 0, "steps": 0})
            c["ms"] += s["ms"]
            c["flops"] += s["flops"]
            c["steps"] += 1


def fmt(v, digits=2):
    return "—" if v is None else f"{v:.{digits}f}"


def gflops_rate(flops, ms):
    return flops / 1e9 / (ms / 1e3) if flops and ms > 0 else None


def table(columns, threads):
    """Markdown: a row per class, the total, the runner's end-to-end time.
    columns: [(label, Profile, end_to_end_ms or None)]."""
    present = [c for c in CLASSES if any(c in p.by_class for _, p, _ in columns)]
    present += sorted({c for _, p, _ in columns for c in p.by_class} - set(CLASSES))
    two = len(columns) == 2
    head = ["class"]
    for label, _, _ in columns:
        head += [f"{label} ms", f"{label} %", f"{label} GFLOP", f"{label} GFLOP/s"]
    if two:
        head.append(f"{columns[0][0]} / {columns[1][0]}")
    out = [f"### {threads} thread(s)", ""]
    for label, p, _ in columns:
        out.append(f"- {label}: {p.source} (model={p.header.get('model', '?')}, "
                   f"variant={p.header.get('variant', '?')}, {len(p.steps)} steps, "
                   f"median of {p.timed} timed run(s))")
    out += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def row(name, cells_of, ratio_of):
        cells = [name]
        for _, p, e in columns:
            cells += cells_of(p, e)
        if two:
            a, b = ratio_of(columns[0]), ratio_of(columns[1])
            cells.append(f"{a / b:.2f}x" if a and b else "—")
        out.append("| " + " | ".join(cells) + " |")

    for c in present:
        def cells(p, e, c=c):
            k = p.by_class.get(c)
            if not k:
                return ["—"] * 4
            return [fmt(k["ms"], 3), fmt(100 * k["ms"] / p.total_ms if p.total_ms else 0, 1),
                    fmt(k["flops"] / 1e9 if k["flops"] else None, 3),
                    fmt(gflops_rate(k["flops"], k["ms"]), 1)]
        row(c, cells, lambda col, c=c: col[1].by_class.get(c, {}).get("ms"))
    flops = lambda p: sum(s["flops"] for s in p.steps)
    row("**total** (sum of step medians)",
        lambda p, e: [fmt(p.total_ms, 3), "100.0", fmt(flops(p) / 1e9, 3),
                      fmt(gflops_rate(flops(p), p.total_ms), 1)],
        lambda col: col[1].total_ms)
    if all(e is None for _, _, e in columns):
        return out
    row("end-to-end (runner median)",
        lambda p, e: [fmt(e, 3), "", "", fmt(gflops_rate(flops(p), e) if e else None, 1)],
        lambda col: col[2])
    return out


def top_steps(columns, k):
    out = []
    for label, p, _ in columns:
        out += ["", f"Slowest {k} steps of {label} ({p.threads} thread(s)):", "",
                "| step | class | ms | % | GFLOP/s | name | kernel |", "|---|---|---|---|---|---|---|"]
        for s in sorted(p.steps, key=lambda s: -s["ms"])[:k]:
            out.append(f"| {s['index']} | {s['cls']} | {s['ms']:.3f} | "
                       f"{100 * s['ms'] / p.total_ms if p.total_ms else 0:.1f} | "
                       f"{fmt(gflops_rate(s['flops'], s['ms']), 1)} | {s['name']} | "
                       f"k{s['kernel']} {s['desc']} |")
    return out


def input_shape(runner):
    """NAME_INPUT0_SHAPE from NAME.h next to OUT/NAME-run."""
    d, base = os.path.split(runner)
    name = base[:-4] if base.endswith("-run") else base
    header = os.path.join(d, name + ".h")
    try:
        with open(header, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise SystemExit(f"profile.py: cannot read {header} for the input's shape ({e.strerror}); "
                         "pass --input X.npy")
    m = re.search(r"#define \w+_INPUT0_SHAPE \{([\d, ]+)\}", text)
    if not m or re.search(r"#define \w+_INPUT1_SHAPE", text):
        raise SystemExit(f"profile.py: {header} does not declare exactly one input shape; "
                         "pass --input X.npy")
    return [int(v) for v in m.group(1).split(",") if v.strip()]


def write_npy(path, shape, seed):
    """Uniform [0, 1) float32 in C order, as .npy version 1.0."""
    count = 1
    for v in shape:
        count *= v
    try:
        import numpy as np
        np.save(path, np.random.default_rng(seed).random(shape, np.float32))
        return
    except ImportError:
        pass
    import array
    import random
    rng = random.Random(seed)
    data = array.array("f", (rng.random() for _ in range(count)))
    if sys.byteorder != "little":
        data.byteswap()
    dims = "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    head = f"{{'descr': '<f4', 'fortran_order': False, 'shape': {dims}, }}"
    head += " " * ((64 - (10 + len(head) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head.encode("latin1"))
        data.tofile(f)


def write_tables(lines, out):
    """The tables to stdout, and to the file `out` when given."""
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)


def labelled(spec, what):
    label, sep, path = spec.partition("=")
    if not sep:
        path, label = spec, os.path.basename(spec)
    if not path:
        raise SystemExit(f"profile.py: {what} '{spec}' names no file")
    return label, path


def run_runner(label, runner, xpath, threads, repeat, warmup, tmp, save):
    prof = os.path.join(tmp, f"{re.sub(r'[^A-Za-z0-9_.-]', '_', label)}-{threads}.prof")
    if os.path.exists(prof):
        os.remove(prof)
    cmd = [runner, "--input", xpath, "--threads", str(threads), "--repeat", str(repeat),
           "--warmup", str(warmup)]
    log(f"{label}, {threads} thread(s): {warmup} warm-up + {repeat} timed runs ...")
    r = subprocess.run(cmd, env=dict(os.environ, YOLO_PROFILE=prof), capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit(f"profile.py: {' '.join(cmd)} failed (rc={r.returncode}):\n"
                         f"{(r.stdout + r.stderr)[-2000:]}")
    m = re.search(r"\bmedian_ms=([0-9.eE+-]+)", r.stdout)
    if r.stderr.strip():
        log(f"  {label}: {r.stderr.strip()}")
    if not os.path.exists(prof):
        raise SystemExit(f"profile.py: {runner} wrote no profile to {prof} (a library built "
                         "before YOLO_PROFILE existed, or a CUDA one, which ignores it)")
    p = Profile(prof)
    p.summarize(warmup)
    p.source = runner
    if save:
        os.makedirs(save, exist_ok=True)
        shutil.copy(prof, os.path.join(save, os.path.basename(prof)))
    e2e = float(m.group(1)) if m else None
    log(f"  median {fmt(e2e, 1)} ms end to end, {p.total_ms:.1f} ms in the kernels")
    return p, e2e


def main():
    ap = argparse.ArgumentParser(
        description="Per-layer-class time breakdown of compiled models (YOLO_PROFILE).",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--runner", action="append", default=[], metavar="LABEL=PATH",
                    help="an OUT/NAME-run to profile (repeatable: one column group each)")
    ap.add_argument("--from-file", action="append", default=[], metavar="[LABEL=]FILE",
                    help="summarize an existing YOLO_PROFILE file instead (repeatable)")
    ap.add_argument("--threads", nargs="+", default=["1", "2"],
                    help="thread counts: 1 2 or 1,2 (default 1 2)")
    ap.add_argument("--repeat", type=int, default=20, help="timed runs (default 20)")
    ap.add_argument("--warmup", type=int, default=None,
                    help="warm-up runs, dropped (default 3 with --runner, 0 with --from-file)")
    ap.add_argument("--top", type=int, default=0, metavar="K", help="also list the K slowest steps")
    ap.add_argument("--input", help="the input .npy (default: random, of the runner's shape)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random input")
    ap.add_argument("--out", help="also write the tables to this file")
    ap.add_argument("--save-profiles", metavar="DIR",
                    help="keep the profile files (LABEL-THREADS.prof) in DIR")
    args = ap.parse_args()
    args.threads = thread_counts(ap, args.threads)
    if bool(args.runner) == bool(args.from_file):
        ap.error("give --runner LABEL=PATH (one or more) or --from-file FILE (one or more)")
    if args.top < 0 or args.repeat < 1 or any(t < 1 for t in args.threads):
        ap.error("--top must be >= 0, --repeat and --threads >= 1")

    groups = {}  # threads -> [(label, Profile, end-to-end ms)]
    if args.from_file:
        warmup = args.warmup or 0
        for spec in args.from_file:
            label, path = labelled(spec, "--from-file")
            try:
                p = Profile(path)
                p.summarize(warmup)
            except (OSError, ValueError) as e:
                raise SystemExit(f"profile.py: {e}")
            groups.setdefault(p.threads, []).append((label, p, None))
    else:
        warmup = 3 if args.warmup is None else args.warmup
        if warmup < 0 or warmup + args.repeat > MAX_RUNS:
            ap.error(f"--warmup + --repeat must be at most {MAX_RUNS} (the runs a profile "
                     f"records), got {warmup} + {args.repeat}")
        runners = [labelled(spec, "--runner") for spec in args.runner]
        for label, path in runners:
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                raise SystemExit(f"profile.py: runner {path} ({label}) is missing or not "
                                 "executable")
        with tempfile.TemporaryDirectory(prefix="yolo-profile-") as tmp:
            xpath = args.input
            if not xpath:
                shape = input_shape(runners[0][1])
                for _, path in runners[1:]:
                    if input_shape(path) != shape:
                        raise SystemExit("profile.py: the runners take inputs of different "
                                         "shapes; pass --input X.npy")
                xpath = os.path.join(tmp, "x.npy")
                log(f"input: uniform [0, 1) of shape {'x'.join(map(str, shape))}, seed {args.seed}")
                write_npy(xpath, shape, args.seed)
            for t in args.threads:
                for label, path in runners:
                    p, e2e = run_runner(label, os.path.abspath(path), xpath, t, args.repeat,
                                        warmup, tmp, args.save_profiles)
                    groups.setdefault(t, []).append((label, p, e2e))

    lines = []
    for t in sorted(groups):
        if lines:
            lines.append("")
        lines += table(groups[t], t)
        if args.top:
            lines += top_steps(groups[t], args.top)
    write_tables(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
