#!/usr/bin/env python3
"""Writes the ONNX model of channel-blocks.test (seeded weights): 3x3
stride-2 convolutions that --yolo-channel-blocks lays out, over shapes
its kernel must get right, from one input of 128 x 42 x 26:

- a: 128 -> 128, output 21 x 13 (an odd row count: tasks of 2 rows, the
  last one half; rows of 13, which no tile from 6 to 12 pixels divides:
  tiles of 10, the last shifted inwards), SiLU;
- b: a -> 64, output 11 x 7 (rows narrower than a tile: the whole row),
  no activation;
- c: 128 -> 32 with pads [0, 0, 1, 1], LeakyReLU, and d: 128 -> 32, SiLU,
  written into the two halves of a concat (output views at a channel
  offset);
- e: 128 -> 72 (three blocks of 32, the last with 8 channels: part of
  a vector stored), SiLU;
- g: a -> 16 (16 output channels, fewer than a block of 32: not laid out
  for AVX-512; one block of 16 for AVX2), and
  f: g -> 64 (16 input channels, below the default minimum: not laid out).

    make_channel_blocks.py OUT.onnx
"""

import sys

import numpy as np
from onnx import helper, numpy_helper
from onnx_model import activate, save


def main():
    rng = np.random.default_rng(11)
    inits, nodes = [], []

    def conv(name, x, cin, cout, pads, act, alpha=0.1):
        w = (rng.standard_normal((cout, cin, 3, 3)) * 0.05).astype(np.float32)
        b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
        inits.extend([numpy_helper.from_array(w, name + ".w"),
                      numpy_helper.from_array(b, name + ".b")])
        nodes.append(helper.make_node("Conv", [x, name + ".w", name + ".b"], [name],
                                      name=name + "/Conv", kernel_shape=[3, 3],
                                      strides=[2, 2], pads=pads))
        return activate(nodes, name, act, alpha)

    a = conv("a", "x", 128, 128, [1, 1, 1, 1], "silu")
    b = conv("b", a, 128, 64, [1, 1, 1, 1], None)
    c = conv("c", "x", 128, 32, [0, 0, 1, 1], "leaky")
    d = conv("d", "x", 128, 32, [1, 1, 1, 1], "silu")
    nodes.append(helper.make_node("Concat", [c, d], ["cd"], name="cd/Concat", axis=1))
    e = conv("e", "x", 128, 72, [1, 1, 1, 1], "silu")
    g = conv("g", a, 128, 16, [1, 1, 1, 1], "silu")
    f = conv("f", g, 16, 64, [1, 1, 1, 1], "silu")
    save(nodes, "channel_blocks", [("x", [1, 128, 42, 26])],
         [(b, [1, 64, 11, 7]), ("cd", [1, 64, 21, 13]), (e, [1, 72, 21, 13]),
          (f, [1, 64, 6, 4])], inits, sys.argv[1])


if __name__ == "__main__":
    main()
