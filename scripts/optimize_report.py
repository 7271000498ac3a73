#!/usr/bin/env python3
"""The proof of the optimization passes on every fixture, as one table.

    optimize_report.py [--fixtures DIR] [--imgsz 640] [--flavours fused ...]
                       [--tools build/bin]

For each yolov9-X / gelan-X fixture at the given size (export them first
with `export_fixtures.py --set all`): GFLOPs and convolutions before and
after --yolo-optimize, the optimize time, and the numerical check against
onnxruntime on the original model (pruning alone at 1e-4, the whole
pipeline at 1e-3; max abs/rel error over 2 random inputs). Prints a
markdown table; exits 1 if any check fails.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

from yolocheck import add_tools_argument, model_stats

HERE = pathlib.Path(__file__).resolve().parent


def numerics(tools, model, passes, tol):
    with tempfile.TemporaryDirectory() as tmp:
        summary = pathlib.Path(tmp) / "summary.json"
        p = subprocess.run([sys.executable, HERE / "check_numerics.py", model,
                            "--tools", tools, "--passes", passes, "--atol",
                            str(tol), "--rtol", str(tol), "--json", summary,
                            "--keep-dir", tmp], capture_output=True, text=True)
        if not summary.exists():
            return {"ok": False, "max_abs_err": float("nan"),
                    "max_rel_err": float("nan"), "passes_s": float("nan"),
                    "error": p.stdout + p.stderr}
        return json.loads(summary.read_text())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", default=os.environ.get(
        "YOLO_FIXTURE_DIR",
        str(pathlib.Path.home() / ".cache" / "yolo-compiler" / "fixtures")))
    ap.add_argument("--imgsz", type=int, default=640)
    ap.add_argument("--flavours", nargs="*", default=["fused", "unfused", "bn"])
    ap.add_argument("--variants", nargs="*", default=[
        "yolov9-t", "yolov9-s", "yolov9-m", "yolov9-c", "yolov9-e",
        "yolov9-cf", "gelan-t", "gelan-s", "gelan-m", "gelan-c", "gelan-e"])
    add_tools_argument(ap)
    args = ap.parse_args()
    tools = pathlib.Path(args.tools)
    print("| model | GFLOPs before | after | convs before | after | "
          "optimize s | prune max abs / rel err | optimize max abs / rel "
          "err | ok |")
    print("|---|---|---|---|---|---|---|---|---|")
    all_ok = True
    for v in args.variants:
        for f in args.flavours:
            model = pathlib.Path(args.fixtures) / f"{v}-{f}-{args.imgsz}.onnx"
            if not model.exists():
                continue
            before = model_stats(tools, model, optimize=False)
            after = model_stats(tools, model, optimize=True)
            prune = numerics(tools, model, "yolo-prune-aux", 1e-4)
            full = numerics(tools, model, "yolo-optimize", 1e-3)
            ok = prune["ok"] and full["ok"]
            all_ok &= ok
            print(f"| {model.stem} | {before['gflops']:.1f} | "
                  f"{after['gflops']:.1f} | {before['convolutions']} | "
                  f"{after['convolutions']} | {full['passes_s']:.2f} | "
                  f"{prune['max_abs_err']:.2g} / {prune['max_rel_err']:.2g} | "
                  f"{full['max_abs_err']:.2g} / {full['max_rel_err']:.2g} | "
                  f"{'yes' if ok else 'NO'} |", flush=True)
            for r in (prune, full):
                if "error" in r:
                    print(r["error"], file=sys.stderr)
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
