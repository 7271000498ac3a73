#!/usr/bin/env python3
"""Puts every f32 weight tensor of a model on a grid of 2k+1 levels.

    quantize.py IN.onnx OUT.onnx [--levels 2k+1]

Each f32 initializer of more than 16 elements becomes round(a / s) * s with
s = max|a| / k (still f32: the same model for onnxruntime and for us), so
that a program with the weights inside compresses for the transfer to a
device machine (random f32 weights do not compress). The default, 255
levels, compresses about 3x (scripts/gpu_check.sh); the CPU benchmark's
bundle (bench/bundle_bench.sh) takes 15, about 8x: latency does not depend
on the weights' values.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    args = sys.argv[1:]
    levels = 255
    if len(args) == 4 and args[2] == "--levels":
        levels = int(args[3]) if args[3].isdigit() else 0
        args = args[:2]
    if len(args) != 2 or levels < 3 or levels % 2 == 0:
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip() +
                 " (an odd number of levels, at least 3)")
    half = (levels - 1) // 2
    m = onnx.load(args[0])
    for k, init in enumerate(m.graph.initializer):
        a = numpy_helper.to_array(init)
        if a.dtype == np.float32 and a.size > 16:
            s = float(np.abs(a).max()) / half or 1.0
            q = (np.round(a / s) * s).astype(np.float32)
            m.graph.initializer[k].CopyFrom(
                numpy_helper.from_array(q, init.name))
    onnx.save(m, args[1])


if __name__ == "__main__":
    main()
