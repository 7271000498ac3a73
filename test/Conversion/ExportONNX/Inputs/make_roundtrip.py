"""Writes the ONNX model roundtrip.mlir imports and exports again: a small
YOLOv9-shaped network (SiLU convs, BatchNorm, grouped and dilated conv, a
chunk, SPPF max pools, upsampling, ADown-style average pooling, padding,
strided channel slices, and a detect head with the DFL decode written out
as PyTorch exports it), opset 17, random weights from a fixed seed.

    make_roundtrip.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(1)
inits = []
nodes = []


def const(name, array, dtype=np.float32):
    inits.append(numpy_helper.from_array(np.asarray(array, dtype=dtype), name))
    return name


def weight(name, *shape, scale=0.3):
    return const(name, scale * rng.standard_normal(shape))


def node(op, inputs, name, **attrs):
    out = name + ":0"
    nodes.append(helper.make_node(op, inputs, [out], name, **attrs))
    return out


def conv_silu(x, name, cin, cout, k=3, s=1, p=1, **attrs):
    group = attrs.get("group", 1)
    c = node("Conv", [x, weight(name + ".w", cout, cin // group, k, k),
                      weight(name + ".b", cout)], name + "/conv",
             kernel_shape=[k, k], strides=[s, s], pads=[p] * 4, **attrs)
    return node("Mul", [c, node("Sigmoid", [c], name + "/sigmoid")],
                name + "/mul")


x = "images"
stem = conv_silu(x, "stem", 3, 8)
bn = node("BatchNormalization",
          [stem, const("bn.s", rng.uniform(0.5, 1.5, 8)),
           const("bn.b", rng.standard_normal(8) * 0.1),
           const("bn.m", rng.standard_normal(8) * 0.1),
           const("bn.v", rng.uniform(0.5, 1.5, 8))], "stem/bn", epsilon=1e-3)
down = node("Conv", [bn, weight("down.w", 16, 8, 3, 3)], "down/conv",
            kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
down = node("LeakyRelu", [down], "down/act", alpha=0.1)
grouped = node("Conv", [down, weight("g.w", 16, 4, 3, 3), weight("g.b", 16)],
               "grouped/conv", kernel_shape=[3, 3], group=4,
               dilations=[2, 2], pads=[2, 2, 2, 2])
nodes.append(helper.make_node("Split", [grouped, const("chunk", [8, 8],
                                                       np.int64)],
                              ["a", "b"], "chunk", axis=1))
m1 = node("MaxPool", ["a"], "sppf/m1", kernel_shape=[5, 5], pads=[2] * 4)
m2 = node("MaxPool", [m1], "sppf/m2", kernel_shape=[5, 5], pads=[2] * 4)
cat = node("Concat", ["a", "b", m1, m2], "sppf/cat", axis=1)
cv = node("Conv", [cat, weight("cv.w", 16, 32, 1, 1)], "sppf/cv",
          kernel_shape=[1, 1])
cv = node("Relu", [cv], "sppf/relu")
up = node("Resize", [cv, "", const("up.scales", [1, 1, 2, 2])], "up",
          mode="nearest", coordinate_transformation_mode="asymmetric",
          nearest_mode="floor")
cat2 = node("Concat", [up, bn], "neck/cat", axis=1)
avg = node("AveragePool", [cat2], "adown/avg", kernel_shape=[3, 3],
           strides=[2, 2], pads=[1] * 4, count_include_pad=1)
pad = node("Pad", [avg, const("pad.pads", [0, 0, 0, 0, 0, 0, 1, 1], np.int64),
                   const("pad.value", 0.5)], "adown/pad", mode="constant")
mp = node("MaxPool", [pad], "adown/max", kernel_shape=[2, 2])
odd = node("Slice", [mp, const("sl.starts", [1], np.int64),
                     const("sl.ends", [24], np.int64),
                     const("sl.axes", [1], np.int64),
                     const("sl.steps", [2], np.int64)], "odd")
norm = node("Div", [node("Sub", [odd, const("mean", [[[[0.1]]]])], "sub"),
                    const("std", [[[[2.0]]]])], "div")
feat = conv_silu(norm, "head.cv", 12, 12, group=2)

# Detect head: 4 * reg_max box bins + classes, flattened over the 8x8 grid,
# decoded as upstream YOLOv9 exports it (DFL conv, dist2bbox, strides).
reg_max, classes, stride, side = 4, 3, 4, 8
raw = node("Conv", [feat, weight("pred.w", 4 * reg_max + classes, 12, 1, 1),
                    weight("pred.b", 4 * reg_max + classes)], "pred",
           kernel_shape=[1, 1])
a = side * side
flat = node("Reshape", [raw, const("flat", [1, 4 * reg_max + classes, a],
                                   np.int64)], "flat")
nodes.append(helper.make_node("Split", [flat, const("box_cls", [16, 3],
                                                    np.int64)],
                              ["box", "cls"], "dfl/split", axis=1))
bins = node("Reshape", ["box", const("bins", [1, 4, reg_max, a], np.int64)],
            "dfl/reshape")
bins = node("Transpose", [bins], "dfl/transpose", perm=[0, 2, 1, 3])
prob = node("Softmax", [bins], "dfl/softmax", axis=1)
dist = node("Conv", [prob, const("dfl.w", np.arange(reg_max).reshape(
    1, reg_max, 1, 1))], "dfl/conv", kernel_shape=[1, 1])
dist = node("Reshape", [dist, const("dist", [1, 4, a], np.int64)],
            "dfl/reshape2")
lt = node("Slice", [dist, const("lt.s", [0], np.int64),
                    const("lt.e", [2], np.int64),
                    const("lt.a", [1], np.int64)], "lt")
rb = node("Slice", [dist, const("rb.s", [2], np.int64),
                    const("rb.e", [4], np.int64),
                    const("rb.a", [1], np.int64)], "rb")
gy, gx = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
anchors = const("anchors", np.stack([gx.ravel(), gy.ravel()])[None] + 0.5)
x1y1 = node("Sub", [anchors, lt], "x1y1")
x2y2 = node("Add", [anchors, rb], "x2y2")
cxy = node("Div", [node("Add", [x1y1, x2y2], "sum"), const("two", 2.0)],
           "cxy")
wh = node("Sub", [x2y2, x1y1], "wh")
box = node("Mul", [node("Concat", [cxy, wh], "xywh", axis=1),
                   const("strides", np.full((1, 1, a), stride))], "dbox")
out = node("Concat", [box, node("Sigmoid", ["cls"], "cls/sigmoid")], "det",
           axis=1)

# A second output: the chunk's mean over channels, transposed.
energy = node("ReduceSum", ["b", const("rs.axes", [1], np.int64)], "energy",
              keepdims=0)
energy = node("Transpose", [energy], "energy/t", perm=[0, 2, 1])

graph = helper.make_graph(
    nodes, "roundtrip",
    [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 3, 16, 16])],
    [helper.make_tensor_value_info(out, TensorProto.FLOAT,
                                   [1, 4 + classes, a]),
     helper.make_tensor_value_info(energy, TensorProto.FLOAT, [1, 8, 8])],
    inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                          producer_name="make_roundtrip")
model.ir_version = 8
onnx.checker.check_model(model, full_check=True)
onnx.save(model, sys.argv[1])
