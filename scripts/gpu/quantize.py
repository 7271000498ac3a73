#!/usr/bin/env python3
"""Puts every f32 weight tensor of a model on a 255-level grid.

    quantize.py IN.onnx OUT.onnx

Each f32 initializer of more than 16 elements becomes round(a / s) * s with
s = max|a| / 127 (still f32: the same model for onnxruntime and for us), so
that a program with the weights inside compresses about 3x for the transfer
to a GPU machine (scripts/gpu_check.sh; random f32 weights do not
compress).
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip())
    m = onnx.load(sys.argv[1])
    for k, init in enumerate(m.graph.initializer):
        a = numpy_helper.to_array(init)
        if a.dtype == np.float32 and a.size > 16:
            s = float(np.abs(a).max()) / 127 or 1.0
            q = (np.round(a / s) * s).astype(np.float32)
            m.graph.initializer[k].CopyFrom(
                numpy_helper.from_array(q, init.name))
    onnx.save(m, sys.argv[2])


if __name__ == "__main__":
    main()
