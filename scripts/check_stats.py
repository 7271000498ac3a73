#!/usr/bin/env python3
"""Checks the statistics of an imported (and optionally optimized) YOLOv9
export against the reference table of ../shared/YOLOV9.md.

    check_stats.py MODEL.onnx --variant yolov9-c --flavour fused [--imgsz 640]
                   [--optimize] [--tools build/bin] [--input-shape 1x3x640x640]

Imports MODEL with yolo-translate, optionally runs --yolo-optimize, reads
--yolo-print-stats=json and compares:
  - GFLOPs with the table's fused or unfused column (scaled by (imgsz/640)^2)
    within 0.2 % (or within the table's rounding to one decimal),
  - the parameter count (fused exports, and every optimized model) exactly,
  - after --yolo-optimize: the table's numbers of gelan-X (pruning yolov9-X
    yields gelan-X), one main output, no batch_norm and no standalone SiLU
    left, and with --reference GELAN.onnx: op counts, convolutions, fused
    activations, parameters and MACs identical to that optimized export.
Prints one line per check and exits 1 on any mismatch.
"""
import argparse
import pathlib
import sys

from yolocheck import add_tools_argument, mark, model_stats

# model: (params fused, GFLOPs fused, GFLOPs unfused) at 640x640.
TABLE = {
    "gelan-t": (2407632, 9.8, 9.9),
    "gelan-s": (7105888, 26.4, 26.7),
    "gelan-m": (19978672, 76.3, 76.8),
    "gelan-c": (25288768, 102.1, 102.8),
    "gelan-e": (57345920, 188.9, 191.1),
    "yolov9-t": (3674576, 16.2, 16.3),
    "yolov9-s": (9659168, 39.0, 39.5),
    "yolov9-m": (32667400, 131.3, 132.1),
    "yolov9-c": (50880768, 237.6, 238.7),
    "yolov9-e": (68669632, 241.3, 244.0),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--variant", required=True)
    ap.add_argument("--flavour", choices=["fused", "unfused", "bn"],
                    required=True)
    ap.add_argument("--imgsz", type=int, default=640)
    ap.add_argument("--optimize", action="store_true")
    ap.add_argument("--input-shape")
    ap.add_argument("--reference",
                    help="with --optimize: an export whose optimized stats "
                         "must be identical (the fused gelan-X export)")
    add_tools_argument(ap)
    args = ap.parse_args()

    stats = model_stats(args.tools, args.model, args.optimize,
                        args.input_shape)

    reference = args.variant
    if args.optimize:
        reference = args.variant.replace("yolov9-", "gelan-")
    params, gf_fused, gf_unfused = TABLE[reference]
    use_fused = args.optimize or args.flavour == "fused"
    expected = (gf_fused if use_fused else gf_unfused) * (args.imgsz / 640) ** 2
    ok = True

    def check(name, good, detail):
        nonlocal ok
        ok &= good
        print(f"{mark(good)} {name}: {detail}")

    got = stats["gflops"]
    rel = abs(got - expected) / expected
    # The table gives one decimal: for the small models its own rounding
    # (up to 0.05 GFLOPs) exceeds 0.2 %, so agreeing to the table's digits
    # passes too.
    rounding = 0.05 * (args.imgsz / 640) ** 2
    check("gflops", rel <= 0.002 or abs(got - expected) <= rounding,
          f"{got:.3f} vs {expected:.3f} expected ({reference}, "
          f"{'fused' if use_fused else 'unfused'}), {100 * rel:.3f} %")
    if use_fused:
        check("parameters", stats["parameters"] == params,
              f"{stats['parameters']} vs {params} expected")
    if args.optimize:
        ops = stats["ops"]
        check("batch_norm", "yolo.batch_norm" not in ops,
              f"{ops.get('yolo.batch_norm', 0)} left")
        check("outputs", len(stats["outputs"]) == 1 and
              stats["outputs"][0].endswith("(main)"),
              ", ".join(stats["outputs"]))
        check("silu fused", "yolo.silu" not in ops,
              f"{ops.get('yolo.silu', 0)} standalone silu left, "
              f"{stats['fused_activations']} of {stats['convolutions']} "
              f"convolutions carry an activation")
        if args.reference:
            ref = model_stats(args.tools, args.reference, True,
                              args.input_shape)
            for key in ("ops", "convolutions", "fused_activations",
                        "parameters", "conv_macs"):
                check(f"{key} = reference", stats[key] == ref[key],
                      f"{stats[key]} vs {ref[key]} "
                      f"({pathlib.Path(args.reference).name}, optimized)")
    print(f"convolutions: {stats['convolutions']}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
