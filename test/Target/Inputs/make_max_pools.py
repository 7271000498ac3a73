#!/usr/bin/env python3
"""Writes the ONNX model of max-pool.test: MaxPool cases over one
1x4x23x23 input, each flattened into one output (a concat of all).

    make_max_pools.py OUT.onnx

The cases (kernel, strides, pads top/left/bottom/right, ceil_mode):
- 5x5, stride 1, pads 2 (SPPELAN's): the window clamped on every edge;
- 3x3, stride 2, pads 1 (ADown's), over an odd size;
- 2x2, stride 2, no pads: floor drops the last row and column;
- 3x3, stride 2, ceil_mode, no partial window (the importer rejects
  partial ones);
- 13x13 (the two-pass form's largest kind of kernel) and 17x17 (one pass:
  more than 16 taps), stride 1, pads 6 and 8;
- 3x1, pads 1 top and bottom only; 2x2 with pads bottom and right only;
- 3x3, stride 3, pads 1: 8 outputs a row, fewer than a vector;
- 1x1, stride 2: subsampling.
"""
import sys

import onnx
from onnx import TensorProto, helper

CASES = [
    ([5, 5], [1, 1], [2, 2, 2, 2], 0),
    ([3, 3], [2, 2], [1, 1, 1, 1], 0),
    ([2, 2], [2, 2], [0, 0, 0, 0], 0),
    ([3, 3], [2, 2], [0, 0, 0, 0], 1),
    ([13, 13], [1, 1], [6, 6, 6, 6], 0),
    ([17, 17], [1, 1], [8, 8, 8, 8], 0),
    ([3, 1], [1, 1], [1, 0, 1, 0], 0),
    ([2, 2], [1, 1], [0, 0, 1, 1], 0),
    ([3, 3], [3, 3], [1, 1, 1, 1], 0),
    ([1, 1], [2, 2], [0, 0, 0, 0], 0),
]

nodes, flat = [], []
for i, (k, s, p, ceil) in enumerate(CASES):
    # ONNX pads: [top, left, bottom, right].
    nodes.append(helper.make_node(
        "MaxPool", ["x"], [f"p{i}"], name=f"pool{i}", kernel_shape=k,
        strides=s, pads=p, ceil_mode=ceil))
    nodes.append(helper.make_node("Flatten", [f"p{i}"], [f"f{i}"],
                                  name=f"flat{i}", axis=1))
    flat.append(f"f{i}")
nodes.append(helper.make_node("Concat", flat, ["y"], name="cat", axis=1))
graph = helper.make_graph(
    nodes, "max_pools",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 23, 23])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
model = onnx.shape_inference.infer_shapes(model)
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
