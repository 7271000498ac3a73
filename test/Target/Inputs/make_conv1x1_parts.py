#!/usr/bin/env python3
"""Writes the ONNX model of conv1x1-parts.test (seeded weights): 1x1
convolutions over few pixels, whose flattened kernels make fewer than 8
tasks of pixel tiles, from one input of 256 x 10 x 10:

- a: 256 -> 512, SiLU (at least ~2M FMAs a tile of pixels on AVX2 and
  AVX-512: its output channels split into parts on several threads);
- b: a -> 128, no activation (the same, a part of 32 or 64 channels);
- c: 256 -> 8 (two blocks of channels, too few FMAs a tile: not split),
  SiLU.

    make_conv1x1_parts.py OUT.onnx
"""

import sys

import numpy as np
from onnx import helper, numpy_helper
from onnx_model import save


def main():
    rng = np.random.default_rng(5)
    inits, nodes = [], []

    def conv(name, x, cin, cout, silu):
        w = (rng.standard_normal((cout, cin, 1, 1)) * 0.05).astype(np.float32)
        b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
        inits.extend([numpy_helper.from_array(w, name + ".w"),
                      numpy_helper.from_array(b, name + ".b")])
        nodes.append(helper.make_node("Conv", [x, name + ".w", name + ".b"], [name],
                                      name=name + "/Conv", kernel_shape=[1, 1]))
        if not silu:
            return name
        nodes.append(helper.make_node("Sigmoid", [name], [name + "_s"],
                                      name=name + "/Sigmoid"))
        nodes.append(helper.make_node("Mul", [name, name + "_s"], [name + "_y"],
                                      name=name + "/Mul"))
        return name + "_y"

    a = conv("a", "x", 256, 512, True)
    b = conv("b", a, 512, 128, False)
    c = conv("c", "x", 256, 8, True)
    save(nodes, "conv1x1_parts", [("x", [1, 256, 10, 10])],
         [(b, [1, 128, 10, 10]), (c, [1, 8, 10, 10])], inits, sys.argv[1])


if __name__ == "__main__":
    main()
