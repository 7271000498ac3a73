#!/usr/bin/env python3
"""The reference of one model of a GPU bundle, and its program packed.

    reference.py MODEL.onnx OUT WITH_ONNX

OUT is the model's folder of the bundle (scripts/gpu_check.sh): OUT/lib
holds the library's header (model.h), OUT/cuda-check the program built
against it. Writes OUT/ref.npy: onnxruntime's CPU output, for the fixed
input of yolo_cuda_check.c, of the output the header names first (the
main one). With WITH_ONNX = 1 it also writes that input as OUT/x.npy and,
for a 640 model, copies MODEL as OUT/model.onnx (gpu/ort_cuda.py times
onnxruntime's CUDA provider on them). Then it replaces OUT/cuda-check by
OUT/cuda-check.xz (run.sh unpacks it).
"""
import lzma
import pathlib
import re
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(1, str(HERE.parent))
from yolocheck import ort_session  # noqa: E402


def hash_input(shape):
    """yolo_cuda_check.c's hash_input: x[i] = (bits 16..31 of
    i * 2654435761 mod 2^32) / 65536, in [0, 1)."""
    i = np.arange(int(np.prod(shape)), dtype=np.uint64)
    x = (((i * 2654435761) % 2**32) >> 16).astype(np.float32) / 65536
    return x.reshape(shape)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip())
    onnx, out = sys.argv[1], pathlib.Path(sys.argv[2])
    header = (out / "lib" / "model.h").read_text()
    name = re.search(r'#define MODEL_OUTPUT0_NAME "([^"]*)"',
                     header).group(1)
    sess = ort_session(onnx, as_written=False)
    inp = sess.get_inputs()[0]
    x = hash_input(inp.shape)
    ref = sess.run([name], {inp.name: x})[0]
    np.save(out / "ref.npy", ref)
    if sys.argv[3] == "1":
        np.save(out / "x.npy", x)
        if "-640" in out.name:
            (out / "model.onnx").write_bytes(pathlib.Path(onnx).read_bytes())
    print(f"   reference: onnxruntime CPU output '{name}' {list(ref.shape)}")
    # The program travels compressed (run.sh unpacks it).
    exe = out / "cuda-check"
    packed = out / "cuda-check.xz"
    packed.write_bytes(lzma.compress(exe.read_bytes(), preset=1))
    print(f"   cuda-check: {exe.stat().st_size / 1e6:.1f} MB, "
          f"{packed.stat().st_size / 1e6:.1f} MB compressed")
    exe.unlink()


if __name__ == "__main__":
    main()
