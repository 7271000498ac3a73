#!/usr/bin/env python3
"""Writes the ONNX model of fuse-residual.test (seeded weights): residual
adds after each kind of convolution kernel, which --yolo-fuse-residual
folds into it, from one input of 64 x 24 x 20:

- p: a 3x3 16 -> 16 convolution (direct: fewer than 32 channels on a
  full-rate AVX-512 Intel target, Winograd elsewhere), SiLU, plus its
  input: a bottleneck;
- q: a 3x3 64 -> 64 convolution (Winograd), SiLU, plus the input, the
  add's operands swapped and its sum written into a concat's second half;
- r: a 1x1 64 -> 64 convolution, LeakyReLU, plus q's sum;
- s: a 3x3 stride-2 128 -> 64 convolution of the concat (weights in
  blocks of output channels on full-rate AVX-512), no activation, added
  to a stride-2 1x1 convolution of the input, which comes first (the add
  fuses into the later one);
- t: a 3x3 16 -> 16 convolution, SiLU, whose output is also a graph
  output: its add stays a kernel of its own.

    make_residual.py OUT.onnx
"""

import sys

import numpy as np
from onnx import helper, numpy_helper
from onnx_model import activate, save


def main():
    rng = np.random.default_rng(5)
    inits, nodes = [], []

    def conv(name, x, cin, cout, k, stride, act):
        w = (rng.standard_normal((cout, cin, k, k)) * (1.0 / (cin * k * k)) ** 0.5
             ).astype(np.float32)
        b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
        inits.extend([numpy_helper.from_array(w, name + ".w"),
                      numpy_helper.from_array(b, name + ".b")])
        p = k // 2
        nodes.append(helper.make_node("Conv", [x, name + ".w", name + ".b"], [name],
                                      name=name + "/Conv", kernel_shape=[k, k],
                                      strides=[stride, stride], pads=[p, p, p, p]))
        return activate(nodes, name, act)

    def add(name, a, b):
        nodes.append(helper.make_node("Add", [a, b], [name], name=name + "/Add"))
        return name

    inits.append(numpy_helper.from_array(np.array([16, 48], np.int64), "sizes"))
    nodes.append(helper.make_node("Split", ["x", "sizes"], ["x16", "x48"],
                                  name="split", axis=1))
    p = add("p_sum", "x16", conv("p", "x16", 16, 16, 3, 1, "silu"))
    q = add("q_sum", conv("q", "x", 64, 64, 3, 1, "silu"), "x")
    nodes.append(helper.make_node("Concat", ["x", q], ["cat"], name="cat/Concat",
                                  axis=1))
    r = add("r_sum", q, conv("r", q, 64, 64, 1, 1, "leaky"))
    down = conv("down", "x", 64, 64, 1, 2, "silu")
    s = add("s_sum", down, conv("s", "cat", 128, 64, 3, 2, None))
    t = conv("t", p, 16, 16, 3, 1, "silu")
    u = add("u_sum", p, t)
    save(nodes, "residual", [("x", [1, 64, 24, 20])],
         [(r, [1, 64, 24, 20]), (s, [1, 64, 12, 10]), (t, [1, 16, 24, 20]),
          (u, [1, 16, 24, 20])], inits, sys.argv[1])


if __name__ == "__main__":
    main()
