#!/usr/bin/env python3
"""Writes the seed corpora of scripts/fuzz.sh: fuzz_seeds.py OUTDIR.

OUTDIR/onnxtxt: the importer's hand-written test graphs (protobuf text);
OUTDIR/onnx:    the same graphs as binary protobuf, the small hostile models
                of test/Hostile, and the graph structure of the smallest
                fixture model (weights over 64 values replaced by external
                references, so that it stays a few tens of KB);
OUTDIR/mlir:    every .mlir test split at `// -----`, and the hand-written
                graphs imported by yolo-translate when a build has one;
OUTDIR/image:   the demo image and small images in every format and pixel
                layout the runtime's reader handles (Pillow writes most,
                BMP layouts it does not write are made here);
OUTDIR/npy:     small .npy files: float32 of several ranks, format versions
                1.0 to 3.0, and the kinds the reader refuses;
OUTDIR/postprocess: predictions for fuzz-runtime.c's post-processing target
                (4 option bytes, then [4 + classes, anchors] floats).
"""
import glob
import io
import os
import subprocess
import sys
import tempfile

from google.protobuf import text_format
import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_ONNX = 65536


def main(out):
    runtime_seeds(out)
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


def bmp(pixels, bits, top_down=False, compression=0, header=40, masks=()):
    """An uncompressed BMP of `pixels` (rows top to bottom, each pixel's
    bytes as stored), with bit field `masks` inside a header of more than
    40 bytes."""
    import struct
    height, width = pixels.shape[:2]
    stride = (width * bits // 8 + 3) // 4 * 4
    rows = [pixels[y].tobytes().ljust(stride, b"\0") for y in range(height)]
    data = b"".join(rows if top_down else rows[::-1])
    info = struct.pack("<IiiHHIIiiII", header, width,
                       -height if top_down else height, 1, bits, compression,
                       len(data), 2835, 2835, 0, 0)
    info += struct.pack("<%dI" % len(masks), *masks)
    info = info.ljust(header, b"\0")
    offset = 14 + len(info)
    return struct.pack("<2sIHHI", b"BM", offset + len(data), 0, 0,
                       offset) + info + data


def runtime_seeds(out):
    import numpy as np
    from PIL import Image
    image_dir = os.path.join(out, "image")
    npy_dir = os.path.join(out, "npy")
    os.makedirs(image_dir, exist_ok=True)
    os.makedirs(npy_dir, exist_ok=True)

    def put(directory, name, data):
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)

    put(image_dir, "sample.jpg",
        open(os.path.join(ROOT, "models", "demo", "sample.jpg"), "rb").read())
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
    variants = {
        "RGB": Image.fromarray(rgb),
        "RGBA": Image.fromarray(np.dstack([rgb, rgb[:, :, :1]])),
        "L": Image.fromarray(rgb[:, :, 0]),
        "LA": Image.fromarray(rgb[:, :, :2].copy(), "LA"),
        "P": Image.fromarray(rgb).quantize(8),
        "I16": Image.fromarray(rgb[:, :, 0].astype(np.uint16) * 257),
        "1": Image.fromarray(rgb[:, :, 0] > 127),
        "CMYK": Image.fromarray(np.dstack([rgb, rgb[:, :, :1]]), "CMYK"),
    }
    saves = [("png", "PNG", {}), ("ilace.png", "PNG", {"interlace": 1}),
             ("jpg", "JPEG", {"quality": 90}),
             ("prog.jpg", "JPEG", {"progressive": True}),
             ("444.jpg", "JPEG", {"subsampling": 0}),
             ("bmp", "BMP", {}), ("ppm", "PPM", {})]
    for mode, im in variants.items():
        for ext, fmt, kw in saves:
            buf = io.BytesIO()
            try:
                im.save(buf, fmt, **kw)
            except (OSError, ValueError, KeyError):
                continue  # a layout the format cannot hold
            put(image_dir, "%s.%s" % (mode, ext), buf.getvalue())
    # 16-bit PGM (maxval 65535), which Pillow does not write.
    grey16 = (rgb[:, :, 0].astype(">u2") * 257).tobytes()
    put(image_dir, "grey16.pgm", b"P5\n7 5\n65535\n" + grey16)
    # BMP layouts Pillow does not write: top-down 24-bit, and 32-bit bit
    # fields (R, G, B in bytes 0-2) in a 124-byte V5 header.
    put(image_dir, "topdown.bmp", bmp(rgb[:, :, ::-1], 24, top_down=True))
    rgbx = np.dstack([rgb, np.zeros((5, 7, 1), np.uint8)])
    put(image_dir, "bitfields.bmp",
        bmp(rgbx, 32, compression=3, header=124,
            masks=(0x000000FF, 0x0000FF00, 0x00FF0000)))

    def npy(name, array, version=None):
        buf = io.BytesIO()
        if version:
            np.lib.format.write_array(buf, array, version=version)
        else:
            np.save(buf, array)
        put(npy_dir, name, buf.getvalue())

    f4 = rng.standard_normal((2, 3, 4)).astype("<f4")
    npy("scalar.npy", np.float32(1.5).reshape(()))
    npy("empty.npy", np.zeros((0, 3), "<f4"))
    npy("rank1.npy", f4.ravel())
    npy("rank3.npy", f4)
    npy("rank8.npy", np.ones((1,) * 7 + (2,), "<f4"))
    npy("v2.npy", f4, version=(2, 0))
    npy("v3.npy", f4, version=(3, 0))
    npy("fortran.npy", np.asfortranarray(f4))
    npy("f8.npy", f4.astype("<f8"))
    npy("bigendian.npy", f4.astype(">f4"))
    npy("int64.npy", np.arange(6, dtype="<i8"))

    post_dir = os.path.join(out, "postprocess")
    os.makedirs(post_dir, exist_ok=True)
    for k, (classes, anchors) in enumerate([(2, 20), (5, 64), (16, 8)]):
        boxes = np.concatenate([rng.uniform(0, 64, (2, anchors)),
                                rng.uniform(1, 40, (2, anchors))])
        scores = rng.uniform(0, 1, (classes, anchors)) ** 3
        pred = np.concatenate([boxes, scores]).astype("<f4")
        if k == 2:
            pred[4, :3] = [np.nan, np.inf, -np.inf]
        options = bytes([classes - 1, 10 + k * 20, 32 + 100 * k, 57])
        put(post_dir, "pred%d.bin" % k, options + pred.tobytes())


if __name__ == "__main__":
    main(sys.argv[1])
