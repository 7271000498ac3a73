#!/usr/bin/env python3
"""Writes the ONNX model of winograd.test: 3x3 stride-1 convolutions of the
shapes the Winograd kernel must get right (seeded weights).

    make_winograd.py OUT.onnx [--tasks | --one-group | --two-groups [--wide]
                               | --few-blocks | --scratch]

- 3 -> 20 channels over 13 x 11 (tiles cut by the right and bottom edges
  for every m; output channels no multiple of the vector; SiLU);
- 20 -> 24 without padding (the output 11 x 9) and no activation;
- two 24 -> 16 layers, written into the halves of a concat (strided
  output views), one with asymmetric pads (top 0, left 2, bottom 2,
  right 0), LeakyReLU;
- 32 -> 6 (fewer output channels than a vector).

With --tasks, the model of winograd-tasks.test instead: 3 -> 64 and
64 -> 128 over 64 x 32, whose F(2x2) tiles (16 x 32) make 8 groups of 4
tile rows, run as parallel tasks; then 128 -> 128 without padding (62 x
30: 7 groups of 5 rows), whose blocks of output channels are the tasks
(128 channels: 4 or more blocks with AVX2's and AVX-512's vectors alike).
With --one-group, 128 -> 128 over 16 x 8 (F(2x2): one group of 8 tile
rows, 4 or more blocks of output channels). With --two-groups, 128 -> 128
over 20 x 16 (10 tile rows: two groups of 5); with --wide, 512 -> 512
(weights of more than 4 MB once transformed). With --few-blocks, 64 -> 40
over 18 x 14 (F(2x2): 9 x 7 tiles; 40 channels make fewer than 4 blocks
of output channels with AVX2's and AVX-512's vectors alike, the last one
partial). With --scratch, the model
of scratch.test: 8 -> 128 -> 32 -> 64 over 48 x 48, whose last layer runs
when the first's 1.2 MB output is dead: its temporary buffers fit there.
With --rows20, the model of winograd-transform-lanes.test: 8 -> 64 -> 80
over 16 x 80 (F(4x4): rows of 20 tiles, as at 80x80).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)
inits, nodes = [], []


def conv(x, cin, cout, pads, name, act=None):
    w = (rng.standard_normal((cout, cin, 3, 3)) * 0.2).astype(np.float32)
    b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
    inits.extend([numpy_helper.from_array(w, name + "_w"),
                  numpy_helper.from_array(b, name + "_b")])
    nodes.append(helper.make_node("Conv", [x, name + "_w", name + "_b"],
                                  [name], kernel_shape=[3, 3], pads=pads,
                                  name=name))
    if act == "silu":
        nodes.append(helper.make_node("Sigmoid", [name], [name + "_s"],
                                      name=name + "_sig"))
        nodes.append(helper.make_node("Mul", [name, name + "_s"],
                                      [name + "_a"], name=name + "_mul"))
        return name + "_a"
    if act == "leaky":
        nodes.append(helper.make_node("LeakyRelu", [name], [name + "_a"],
                                      alpha=0.1, name=name + "_leaky"))
        return name + "_a"
    return name


if "--tasks" in sys.argv[2:]:
    a = conv("x", 3, 64, [1, 1, 1, 1], "t1", "silu")     # 64 x 32
    b = conv(a, 64, 128, [1, 1, 1, 1], "t2", "silu")     # 64 x 32
    e = conv(b, 128, 128, [0, 0, 0, 0], "t3")            # 62 x 30
    shapes = ([1, 3, 64, 32], [1, 128, 62, 30])
elif "--scratch" in sys.argv[2:]:
    a = conv("x", 8, 128, [1, 1, 1, 1], "s1", "silu")
    b = conv(a, 128, 32, [1, 1, 1, 1], "s2", "silu")
    e = conv(b, 32, 64, [1, 1, 1, 1], "s3", "silu")
    shapes = ([1, 8, 48, 48], [1, 64, 48, 48])
elif "--rows20" in sys.argv[2:]:
    a = conv("x", 8, 64, [1, 1, 1, 1], "r1", "silu")     # 16 x 80
    e = conv(a, 64, 80, [1, 1, 1, 1], "r2", "silu")      # 16 x 80
    shapes = ([1, 8, 16, 80], [1, 80, 16, 80])
elif "--one-group" in sys.argv[2:]:
    e = conv("x", 128, 128, [1, 1, 1, 1], "g1", "silu")  # 16 x 8
    shapes = ([1, 128, 16, 8], [1, 128, 16, 8])
elif "--few-blocks" in sys.argv[2:]:
    e = conv("x", 64, 40, [1, 1, 1, 1], "f1", "silu")  # 18 x 14
    shapes = ([1, 64, 18, 14], [1, 40, 18, 14])
elif "--two-groups" in sys.argv[2:]:
    c = 512 if "--wide" in sys.argv[2:] else 128
    e = conv("x", c, c, [1, 1, 1, 1], "g2", "silu")  # 20 x 16
    shapes = ([1, c, 20, 16], [1, c, 20, 16])
else:
    a = conv("x", 3, 20, [1, 1, 1, 1], "c1", "silu")        # 13 x 11
    b = conv(a, 20, 24, [0, 0, 0, 0], "c2")                  # 11 x 9
    c = conv(b, 24, 16, [1, 1, 1, 1], "c3", "leaky")         # 11 x 9
    d = conv(b, 24, 16, [0, 2, 2, 0], "c4", "leaky")         # 11 x 9
    nodes.append(helper.make_node("Concat", [c, d], ["cat"], axis=1,
                                  name="cat"))
    e = conv("cat", 32, 6, [1, 1, 1, 1], "c5")
    shapes = ([1, 3, 13, 11], [1, 6, 11, 9])
graph = helper.make_graph(
    nodes, "winograd",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, shapes[0])],
    [helper.make_tensor_value_info(e, TensorProto.FLOAT, shapes[1])],
    inits)
onnx.save(helper.make_model(graph, ir_version=8,
                            opset_imports=[helper.make_opsetid("", 13)]),
          sys.argv[1])
