#!/usr/bin/env python3
"""Per-layer convolution benchmark: the numbers behind the conv schedules.

    .venv/bin/python bench/conv_tiles.py MODEL.onnx [--target host]
        [--tiles 16x1x16,8x5x4,...] [--winograd off,4,...]
        [--only 256x40x40] [--out table.md]

For every distinct convolution of MODEL (as yolo-codegen lowers it after
--yolo-optimize), this builds a one-layer ONNX model (Conv + SiLU, seeded
random weights, the layer's exact shape, stride, padding and groups),
compiles it with yolo-codegen and measures the CPU time of one run on one
thread: (user + sys of N + 1 runs) - (of 1 run), divided by N. CPU time,
not wall time, because this machine is shared: other processes stretch the
wall clock but barely change the CPU time a single-threaded run needs.
Every layer's output is also checked against onnxruntime (max abs error).

Without --tiles it reports the tile that the schedule chooses for each
layer (lanes x vectors x channels) and GFLOP/s, and the model total
weighted by how often each layer occurs. With --tiles it sweeps: every
layer is compiled once per tile (YOLO_CONV_TILE=LxVxC) and the best one is
marked, which is how the rules in lib/Target/TileRules*.cpp
(chooseConvTile) were found.

--winograd compares algorithms: each 3x3 stride-1 layer is compiled once
per value of yolo-codegen's --winograd (off: the direct convolution; 2, 4,
6: Winograd F(m x m, 3 x 3); auto: what the compiler picks); other layers
run direct only. A suffix chooses where the weights are transformed: `c`
at compile time (--winograd-weight-growth=1000), `r` at run time, per
block of output channels (--winograd-weight-growth=0); e.g.
--winograd off,4c,4r,2r. Without one, a one-layer model's weights exceed
the default budget, so they are transformed at run time. GFLOP/s are always the direct convolution's FLOPs over
the time ("effective" GFLOP/s for Winograd, which does fewer
multiplications), so the columns compare times.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "build", "bin")


def log(msg):
    print(f"[conv_tiles] {msg}", flush=True)


def layers_of(model, target, tmp):
    """Distinct conv kernels from yolo-codegen's progress lines, with the
    number of times each runs, and the padding/stride from the layer shape."""
    out = os.path.join(tmp, "model")
    r = subprocess.run([os.path.join(TOOLS, "yolo-codegen"), model,
                        f"--target={target}", "-o", out, "--name", "m",
                        "--winograd=off", "--channel-blocks=false"],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"yolo-codegen failed on {model}:\n{r.stderr}")
    # The progress line: [ i/N] kK conv 1xCxHxW, OxIxKHxKW, O -> 1xOxHOxWO
    layers = []
    for line in (r.stdout + r.stderr).splitlines():
        m = re.search(r"\] (k\d+) (conv1x1|conv) (.*) -> (\S+) \(", line)
        if not m:
            continue
        ins = [list(map(int, p.strip().split("x")))
               for p in m.group(3).split(",")]
        outs = list(map(int, m.group(4).split("x")))
        if m.group(2) == "conv1x1":
            n, c, p = ins[0]
            o = outs[1]
            # The flattened kernel: any H x W with H * W = P will do.
            h = int(np.sqrt(p))
            while p % h:
                h -= 1
            layers.append(dict(cin=c, cout=o, h=h, w=p // h, k=1, s=1,
                               g=1, ho=h, wo=p // h))
        else:
            n, c, h, w = ins[0]
            o, cg, kh, kw = ins[1]
            ho, wo = outs[2], outs[3]
            # YOLOv9 pads k // 2: the output is as tall as the input at
            # stride 1 and half as tall at stride 2.
            s = 1 if ho == h else 2
            layers.append(dict(cin=c, cout=o, h=h, w=w, k=kh, s=s,
                               g=c // cg, ho=ho, wo=wo))
    return layers


def make_model(L, path):
    rng = np.random.default_rng(0)
    cin, cout, k, g = L["cin"], L["cout"], L["k"], L["g"]
    w = numpy_helper.from_array(
        (rng.standard_normal((cout, cin // g, k, k)) * 0.05).astype(
            np.float32), "w")
    b = numpy_helper.from_array(
        rng.standard_normal(cout).astype(np.float32), "b")
    p = k // 2
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[k, k],
                         strides=[L["s"]] * 2, pads=[p] * 4, group=g,
                         name="conv"),
        helper.make_node("Sigmoid", ["c"], ["sg"], name="sigmoid"),
        helper.make_node("Mul", ["c", "sg"], ["y"], name="silu"),
    ]
    graph = helper.make_graph(
        nodes, "layer",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [1, cin, L["h"], L["w"]])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [1, cout, L["ho"], L["wo"]])], [w, b])
    onnx.save(helper.make_model(graph, ir_version=8,
                                opset_imports=[helper.make_opsetid("", 13)]),
              path)
    return 2 * cout * L["ho"] * L["wo"] * (cin // g) * k * k


def cpu_seconds(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    if status:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr.read().decode()}")
    return ru.ru_utime + ru.ru_stime


def measure(L, d, target, tile, check, winograd="auto"):
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "m.onnx")
    flops = make_model(L, path)
    env = dict(os.environ, YOLO_TILE_DEBUG="1")
    if tile:
        env["YOLO_CONV_TILE"] = tile
    else:
        env.pop("YOLO_CONV_TILE", None)
    growth = {"c": ["--winograd-weight-growth=1000"],
              "r": ["--winograd-weight-growth=0"]}.get(winograd[-1:], [])
    if growth:
        winograd = winograd[:-1]
    # A swept tile is the row-vectorized kernel's: without one, the layer
    # runs the kernel the compiler picks (stride-2 layers of 128+ input
    # channels on full-rate AVX-512: weights in blocks of output channels).
    blocks = ["--channel-blocks=false"] if tile else []
    r = subprocess.run([os.path.join(TOOLS, "yolo-codegen"), path,
                        f"--target={target}", "-o", d, "--name", "m",
                        "--emit-runner", f"--winograd={winograd}"] + growth + blocks,
                       capture_output=True, text=True,
                       env=env)
    if r.returncode:
        sys.exit(f"yolo-codegen failed:\n{r.stderr}")
    m = re.search(r"tile: .*lanes=(\d+) vectors=(\d+) channels=(\d+)",
                  r.stderr)
    mb = re.search(r"tile: blocked .*lanes=(\d+) vectors=(\d+) pixels=(\d+)",
                   r.stderr)
    chosen = ("blocked " + "x".join(mb.groups()) if mb else
              "x".join(m.groups()) if m else "?")
    x = os.path.join(d, "x.npy")
    y = os.path.join(d, "y.npy")
    np.save(x, np.random.default_rng(1).random(
        (1, L["cin"], L["h"], L["w"]), dtype=np.float32))
    run = [os.path.join(d, "m-run"), "--input", x, "--output", y,
           "--threads", "1", "--warmup", "1"]
    reps = max(3, min(50, int(3e9 / flops)))
    t = (cpu_seconds(run + ["--repeat", str(reps + 1)]) -
         cpu_seconds(run + ["--repeat", "1"])) / reps
    err = float("nan")
    if check:
        import onnxruntime as ort
        ref = ort.InferenceSession(path, providers=[
            "CPUExecutionProvider"]).run(None, {"x": np.load(x)})[0]
        err = float(np.abs(np.load(y) - ref).max())
    return chosen, t * 1e3, flops / t / 1e9, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--target", default="host")
    ap.add_argument("--tiles", default="",
                    help="comma-separated LANESxVECTORSxCHANNELS to sweep")
    ap.add_argument("--winograd", default="",
                    help="comma-separated --winograd values to compare "
                    "(off, auto, 2, 4, 6; suffix c or r: weights transformed "
                    "at compile time or at run time) on 3x3 stride-1 layers")
    ap.add_argument("--only", default="",
                    help="only layers whose COUTxHOxWO contains this text")
    ap.add_argument("--kinds", default="",
                    help="only these layer kinds, comma-separated: 1x1, "
                    "3x3s1, 3x3s2 (e.g. 1x1,3x3s2 to sweep register tiles "
                    "without the Winograd layers)")
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args()
    tiles = [t for t in args.tiles.split(",") if t] or [None]
    algos = [w for w in args.winograd.split(",") if w] or ["auto"]
    variants = [(t, w) for w in algos for t in tiles]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        layers = layers_of(args.model, args.target, tmp)
        log(f"{len(layers)} distinct convolutions")
        for i, L in enumerate(layers):
            name = (f"{L['cin']}->{L['cout']} {L['k']}x{L['k']}/{L['s']}"
                    f"{'' if L['g'] == 1 else ' g' + str(L['g'])} "
                    f"{L['ho']}x{L['wo']}")
            if args.only and args.only not in f"{L['cout']}x{L['ho']}x{L['wo']}":
                continue
            kind = f"{L['k']}x{L['k']}" + (f"s{L['s']}" if L["k"] > 1 else "")
            if args.kinds and kind not in args.kinds.split(","):
                continue
            results = []
            wino = L["k"] == 3 and L["s"] == 1 and L["g"] == 1
            for j, (tile, w) in enumerate(variants):
                if w != "off" and not wino and w != algos[0]:
                    results.append(None)
                    continue
                res = measure(L, os.path.join(tmp, f"l{i}_{j}"), args.target,
                              tile, not args.no_check,
                              w if wino else "off")
                results.append(res)
                log(f"[{i + 1}/{len(layers)}] {name}: winograd "
                    f"{w if wino else 'n/a'} tile {res[0]} "
                    f"{res[1]:.2f} ms {res[2]:.1f} GFLOP/s err {res[3]:.1e}")
            best = max((j for j in range(len(results)) if results[j]),
                       key=lambda j: results[j][2])
            rows.append((name, results, best))
    lines = ["| layer | " + " | ".join(
        (f"winograd {w}, " if len(algos) > 1 else "") +
        f"tile {t or 'chosen'}: GFLOP/s" for t, w in variants) +
        " | max abs err |",
        "|---|" + "---|" * (len(variants) + 1)]
    for name, results, best in rows:
        cells = []
        for j, r in enumerate(results):
            if r is None:
                cells.append("-")
                continue
            chosen, ms, gf, err = r
            c = f"{gf:.1f} ({chosen}, {ms:.2f} ms)"
            cells.append(f"**{c}**" if j == best and len(variants) > 1
                         else c)
        lines.append(f"| {name} | " + " | ".join(cells) +
                     f" | {max(r[3] for r in results if r):.1e} |")
    report = "\n".join(lines)
    print(report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report + "\n")


if __name__ == "__main__":
    main()
