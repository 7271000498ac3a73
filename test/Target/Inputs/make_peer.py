#!/usr/bin/env python3
"""Writes the ONNX model of peer-profile.test (seeded weights), every node
named as in an exported YOLOv9 graph: a 3 -> 16 stride-2 stem with SiLU
over 32 x 32, a grouped 3x3 convolution (16 -> 16, 4 groups, SiLU), a
1x1 convolution, a max pool and a concat of the pool and the 1x1 output.

    make_peer.py OUT.onnx
"""

import sys

import numpy as np
from onnx import helper, numpy_helper
from onnx_model import save


def main():
    rng = np.random.default_rng(5)
    inits, nodes = [], []

    def conv(name, x, cin, cout, k, stride, group, silu):
        w = (rng.standard_normal((cout, cin // group, k, k)) * 0.2).astype(np.float32)
        b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
        inits.extend([numpy_helper.from_array(w, name + ".w"),
                      numpy_helper.from_array(b, name + ".b")])
        y = name + "/conv/Conv"
        nodes.append(helper.make_node("Conv", [x, name + ".w", name + ".b"], [y],
                                      name=name + "/conv/Conv", kernel_shape=[k, k],
                                      strides=[stride] * 2, pads=[k // 2] * 4,
                                      group=group))
        if not silu:
            return y
        nodes.append(helper.make_node("Sigmoid", [y], [name + "/s"],
                                      name=name + "/act/Sigmoid"))
        nodes.append(helper.make_node("Mul", [y, name + "/s"], [name + "/act"],
                                      name=name + "/act/Mul"))
        return name + "/act"

    a = conv("/model.0", "images", 3, 16, 3, 2, 1, True)
    g = conv("/model.1", a, 16, 16, 3, 1, 4, True)
    c = conv("/model.2", g, 16, 16, 1, 1, 1, True)
    nodes.append(helper.make_node("MaxPool", [c], ["pool"], name="/model.3/MaxPool",
                                  kernel_shape=[3, 3], strides=[1, 1], pads=[1] * 4))
    nodes.append(helper.make_node("Concat", [c, "pool"], ["out"], name="/model.4/Concat",
                                  axis=1))
    save(nodes, "peer", [("images", [1, 3, 32, 32])], [("out", [1, 32, 16, 16])],
         inits, sys.argv[1])


if __name__ == "__main__":
    main()
