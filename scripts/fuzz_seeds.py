#!/usr/bin/env python3
"""Writes the seed corpora of scripts/fuzz.sh: fuzz_seeds.py OUTDIR.

OUTDIR/onnxtxt: the importer's hand-written test graphs (protobuf text);
OUTDIR/onnx:    the same graphs as binary protobuf, the small hostile models
                of test/Hostile, and the graph structure of the smallest
                fixture model (weights over 64 values replaced by external
                references, so that it stays a few tens of KB);
OUTDIR/mlir:    every .mlir test split at `// -----`, and the hand-written
                graphs imported by yolo-translate when a build has one.
"""
import glob
import os
import subprocess
import sys
import tempfile

from google.protobuf import text_format
import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_ONNX = 65536


def main(out):
    for sub in ("onnx", "onnxtxt", "mlir"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    inputs = os.path.join(ROOT, "test", "Conversion", "ImportONNX", "Inputs")
    translate = os.path.join(ROOT, "build", "bin", "yolo-translate")
    for path in sorted(glob.glob(os.path.join(inputs, "*.onnxtxt"))):
        name = os.path.splitext(os.path.basename(path))[0]
        text = open(path).read()
        with open(os.path.join(out, "onnxtxt", name + ".onnxtxt"), "w") as f:
            f.write(text)
        model = onnx.ModelProto()
        text_format.Parse(text, model)
        with open(os.path.join(out, "onnx", name + ".onnx"), "wb") as f:
            f.write(model.SerializeToString())
        if os.access(translate, os.X_OK):
            r = subprocess.run([translate, "--import-onnx", path],
                               capture_output=True, text=True)
            if r.returncode == 0 and len(r.stdout) < 16384:
                with open(os.path.join(out, "mlir", name + ".mlir"), "w") as f:
                    f.write(r.stdout)

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(
            ROOT, "test", "Hostile", "Inputs", "make_hostile.py"), tmp],
            check=True)
        for path in glob.glob(os.path.join(tmp, "*.onnx")):
            if os.path.getsize(path) <= MAX_ONNX:
                data = open(path, "rb").read()
                with open(os.path.join(out, "onnx", "hostile_" +
                                       os.path.basename(path)), "wb") as f:
                    f.write(data)

    fixtures = os.environ.get("YOLO_FIXTURE_DIR", os.path.expanduser(
        "~/.cache/yolo-compiler/fixtures"))
    fixture = os.path.join(fixtures, "gelan-t-fused-320.onnx")
    if os.path.exists(fixture):
        model = onnx.load(fixture, load_external_data=False)
        for t in model.graph.initializer:
            count = 1
            for d in t.dims:
                count *= d
            if count > 64:
                t.ClearField("raw_data")
                t.ClearField("float_data")
                t.data_location = onnx.TensorProto.EXTERNAL
                del t.external_data[:]
                t.external_data.add(key="location", value="weights.bin")
        with open(os.path.join(out, "onnx", "gelan-t-skeleton.onnx"),
                  "wb") as f:
            f.write(model.SerializeToString())

    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.mlir"),
                                 recursive=True)):
        rel = os.path.relpath(path, os.path.join(ROOT, "test"))
        stem = rel.replace(os.sep, "_")[:-len(".mlir")]
        for k, chunk in enumerate(open(path).read().split("// -----")):
            with open(os.path.join(out, "mlir", "%s_%d.mlir" % (stem, k)),
                      "w") as f:
                f.write(chunk)


if __name__ == "__main__":
    main(sys.argv[1])
