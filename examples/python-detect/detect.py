#!/usr/bin/env python3
"""Objects in images with a YOLOv9 detector compiled into a Python module.

Build the module once with an installed yolo-compiler, then run:

    yolo-codegen models/demo/yolov9-t-shapes.onnx --emit=python \\
        --name shapes -o build-py
    python examples/python-detect/detect.py --module build-py/shapes \\
        models/demo/sample.jpg [--names models/demo/shapes.names]

Prints the variant the module runs, then per image one line per
detection: class, score, x1 y1 x2 y2 in image pixels.
"""
import argparse
import importlib.util
import pathlib
import sys
import sysconfig


def load_module(stem):
    """Imports the extension module at STEM + EXT_SUFFIX (build-py/shapes)."""
    path = pathlib.Path(str(stem) + sysconfig.get_config_var("EXT_SUFFIX"))
    if not path.exists():
        sys.exit(f"error: {path}: no such module (build it with "
                 f"yolo-codegen --emit=python)")
    spec = importlib.util.spec_from_file_location(path.name.split(".")[0],
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("images", nargs="+")
    ap.add_argument("--module", required=True,
                    help="the module's path without its suffix")
    ap.add_argument("--names", help="class names, one per line")
    ap.add_argument("--conf", type=float, default=0.25)
    ap.add_argument("--iou", type=float, default=0.45)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    names = (pathlib.Path(args.names).read_text().split("\n")
             if args.names else [])
    model = load_module(args.module).Model(threads=args.threads)
    print(f"variant: {model.target}")
    for image in args.images:
        dets = model.detect(image, conf=args.conf, iou=args.iou)
        print(f"{image}: {len(dets)} detections")
        for cls, score, x1, y1, x2, y2 in dets:
            label = names[cls] if cls < len(names) and names[cls] else str(cls)
            print(f"  {label} {score:.4f} {x1:.1f} {y1:.1f} {x2:.1f} {y2:.1f}")


if __name__ == "__main__":
    main()
