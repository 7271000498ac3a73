#!/usr/bin/env python3
"""Writes the importer's small test graphs as ONNX text format (*.onnxtxt).

The .onnxtxt files are committed; this script documents how they were made
and remakes them: `.venv/bin/python make_inputs.py` in this folder.
Graphs that are meant to be invalid are built without the checker.
"""
import numpy as np
from google.protobuf import text_format
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def vi(name, shape, t=F):
    return helper.make_tensor_value_info(name, t, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def write(name, nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="make_inputs")
    model.ir_version = 8
    with open(f"{name}.onnxtxt", "w") as f:
        f.write(text_format.MessageToString(model))


rng = np.random.default_rng(0)
w = lambda *s: rng.standard_normal(s).astype(np.float32)

# Conv variants + SiLU as exported (Sigmoid, Mul).
write("conv", [
    helper.make_node("Conv", ["x", "w0", "b0"], ["c0"], "conv_0",
                     kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]),
    helper.make_node("Sigmoid", ["c0"], ["s0"], "sigmoid_0"),
    helper.make_node("Mul", ["c0", "s0"], ["y0"], "mul_0"),
    helper.make_node("Conv", ["y0", "w1"], ["c1"], "conv_grouped", group=2),
    helper.make_node("Conv", ["c1", "w2"], ["y"], "conv_same",
                     auto_pad="SAME_UPPER", strides=[2, 2]),
], [vi("x", [1, 4, 8, 8])], [vi("y", [1, 2, 2, 2])],
    [init("w0", w(8, 4, 3, 3)), init("b0", w(8)), init("w1", w(8, 4, 1, 1)),
     init("w2", w(2, 8, 3, 3))])

write("batchnorm", [
    helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                     "bn_0", epsilon=1e-3),
], [vi("x", [1, 2, 4, 4])], [vi("y", [1, 2, 4, 4])],
    [init("s", w(2)), init("b", w(2)), init("m", w(2)),
     init("v", np.abs(w(2)) + 0.5)])

# YOLOv9 channel chunking: Shape -> Gather -> Add -> Div -> Mul -> Slice.
write("chunk", [
    helper.make_node("Shape", ["x"], ["shape"], "shape_0"),
    helper.make_node("Gather", ["shape", "one"], ["channels"], "gather_0",
                     axis=0),
    helper.make_node("Add", ["channels", "one"], ["plus"], "add_0"),
    helper.make_node("Div", ["plus", "two"], ["half"], "div_0"),
    helper.make_node("Mul", ["half", "one"], ["end0"], "mul_0"),
    helper.make_node("Unsqueeze", ["end0", "zero_axis"], ["ends"],
                     "unsqueeze_0"),
    helper.make_node("Slice", ["x", "starts", "ends", "axes"], ["a"],
                     "slice_a"),
    helper.make_node("Slice", ["x", "ends", "big", "axes"], ["b"], "slice_b"),
    helper.make_node("Concat", ["b", "a"], ["y"], "concat_0", axis=1),
], [vi("x", [1, 6, 2, 2])], [vi("y", [1, 6, 2, 2])],
    [init("one", np.array(1, np.int64)), init("two", np.array(2, np.int64)),
     init("zero_axis", np.array([0], np.int64)),
     init("starts", np.array([0], np.int64)),
     init("axes", np.array([1], np.int64)),
     init("big", np.array([9223372036854775807], np.int64))])

write("split12", [
    helper.make_node("Split", ["x"], ["a", "b"], "split_0", axis=1,
                     split=[2, 4]),
    helper.make_node("Sub", ["b", "c"], ["y"], "sub_0"),
], [vi("x", [1, 6, 2, 2])], [vi("a", [1, 2, 2, 2]), vi("y", [1, 4, 2, 2])],
    [init("c", w(1, 4, 1, 1))], opset=12)

write("split13", [
    helper.make_node("Split", ["x", "sizes"], ["a", "b"], "split_0", axis=-3),
], [vi("x", [1, 6, 2, 2])], [vi("a", [1, 2, 2, 2]), vi("b", [1, 4, 2, 2])],
    [init("sizes", np.array([2, 4], np.int64))])

write("resize", [
    helper.make_node("Resize", ["x", "", "scales"], ["up"], "resize_scales",
                     mode="nearest", coordinate_transformation_mode="asymmetric",
                     nearest_mode="floor"),
    helper.make_node("Resize", ["x", "", "", "sizes"], ["up2"],
                     "resize_sizes", mode="nearest",
                     coordinate_transformation_mode="asymmetric",
                     nearest_mode="floor"),
    helper.make_node("Add", ["up", "up2"], ["y"], "add_0"),
], [vi("x", [1, 2, 3, 3])], [vi("y", [1, 2, 6, 6])],
    [init("scales", np.array([1, 1, 2, 2], np.float32)),
     init("sizes", np.array([1, 2, 6, 6], np.int64))])

write("pool", [
    helper.make_node("MaxPool", ["x"], ["m"], "maxpool_0",
                     kernel_shape=[5, 5], pads=[2, 2, 2, 2]),
    helper.make_node("Pad", ["m", "pads", "zero"], ["p"], "pad_0",
                     mode="constant"),
    helper.make_node("AveragePool", ["p"], ["y"], "avgpool_0",
                     kernel_shape=[2, 2], count_include_pad=1),
], [vi("x", [1, 2, 6, 6])], [vi("y", [1, 2, 6, 6])],
    [init("pads", np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64)),
     init("zero", np.array(0.0, np.float32))])

write("head12", [
    helper.make_node("Reshape", ["x", "shape"], ["r"], "reshape_0"),
    helper.make_node("Transpose", ["r"], ["t"], "transpose_0",
                     perm=[0, 2, 1, 3]),
    helper.make_node("Softmax", ["t"], ["s"], "softmax_0", axis=3),
    helper.make_node("ReduceSum", ["s"], ["y"], "reducesum_0", axes=[1],
                     keepdims=0),
], [vi("x", [1, 8, 2, 3])], [vi("y", [1, 2, 6])],
    [init("shape", np.array([1, 4, 0, -1], np.int64))], opset=12)

write("head13", [
    helper.make_node("Softmax", ["x"], ["s"], "softmax_0", axis=1),
    helper.make_node("ReduceSum", ["s", "axes"], ["y"], "reducesum_0"),
], [vi("x", [1, 4, 3])], [vi("y", [1, 1, 3])],
    [init("axes", np.array([1], np.int64))])

write("constants", [
    helper.make_node("Constant", [], ["k"], "const_0",
                     value=numpy_helper.from_array(
                         np.array([0.5, 2.0], np.float32))),
    helper.make_node("Identity", ["k"], ["k2"], "identity_0"),
    helper.make_node("Mul", ["x", "k2"], ["m"], "mul_0"),
    helper.make_node("Add", ["m", "h"], ["y"], "add_half"),
], [vi("x", [1, 2])], [vi("y", [1, 2])],
    [numpy_helper.from_array(np.array([1.5, -2.0], np.float16), "h")])

write("dynamic", [
    helper.make_node("Conv", ["x", "w"], ["y"], "conv_0",
                     kernel_shape=[1, 1]),
], [vi("x", ["batch", 3, "height", "width"])], [vi("y", ["batch", 2, "h", "w"])],
    [init("w", w(2, 3, 1, 1))])

# Nodes listed consumers first: valid ONNX needs sorting, we sort.
write("unsorted", [
    helper.make_node("Relu", ["a"], ["y"], "relu_last"),
    helper.make_node("Sigmoid", ["x"], ["a"], "sigmoid_first"),
], [vi("x", [1, 2])], [vi("y", [1, 2])])

# ---- invalid graphs ------------------------------------------------------
write("unknown_op", [
    helper.make_node("Einsum", ["x"], ["y"], "einsum_0", equation="ij->ij"),
], [vi("x", [1, 2])], [vi("y", [1, 2])])
# Non-maximum suppression inside the graph (Ultralytics export(nms=True)):
# refused at the NMS node, although an unsupported ReduceMax comes first.
write("nms_in_graph", [
    helper.make_node("ReduceMax", ["scores"], ["best"], "reduce_0", axes=[1],
                     keepdims=0),
    helper.make_node("NonMaxSuppression", ["boxes", "scores", "k", "iou",
                                           "conf"], ["selected"], "nms_0"),
], [vi("boxes", [1, 8400, 4]), vi("scores", [1, 80, 8400])],
   [vi("best", [1, 8400]), vi("selected", [300, 3], TensorProto.INT64)],
   [init("k", np.array([300], np.int64)), init("iou", np.array([0.7], np.float32)),
    init("conf", np.array([0.25], np.float32))])
write("missing_attr", [
    helper.make_node("MaxPool", ["x"], ["y"], "pool_0"),
], [vi("x", [1, 2, 4, 4])], [vi("y", [1, 2, 4, 4])])
write("concat_no_axis", [
    helper.make_node("Concat", ["x", "x"], ["y"], "concat_0"),
], [vi("x", [1, 2])], [vi("y", [1, 4])])
write("conv_channels", [
    helper.make_node("Conv", ["x", "w"], ["y"], "conv_bad"),
], [vi("x", [1, 4, 4, 4])], [vi("y", [1, 2, 4, 4])], [init("w", w(2, 3, 1, 1))])
write("broadcast", [
    helper.make_node("Add", ["x", "c"], ["y"], "add_bad"),
], [vi("x", [1, 4, 2, 2])], [vi("y", [1, 4, 2, 2])], [init("c", w(3))])
short = numpy_helper.from_array(w(2, 3, 1, 1), "w")
short.raw_data = short.raw_data[:12]
write("short_initializer", [
    helper.make_node("Conv", ["x", "w"], ["y"], "conv_0"),
], [vi("x", [1, 3, 4, 4])], [vi("y", [1, 2, 4, 4])], [short])
negative = numpy_helper.from_array(w(2, 3, 1, 1), "w")
negative.dims[0] = -2
write("negative_dims", [
    helper.make_node("Conv", ["x", "w"], ["y"], "conv_0"),
], [vi("x", [1, 3, 4, 4])], [vi("y", [1, 2, 4, 4])], [negative])
for tag, location in [("external_parent", "../weights.bin"),
                      ("external_absolute", "/etc/passwd")]:
    ext = TensorProto(name="w", data_type=F, dims=[2, 3, 1, 1],
                      data_location=TensorProto.EXTERNAL)
    entry = ext.external_data.add()
    entry.key, entry.value = "location", location
    write(tag, [helper.make_node("Conv", ["x", "w"], ["y"], "conv_0")],
          [vi("x", [1, 3, 4, 4])], [vi("y", [1, 2, 4, 4])], [ext])
write("cycle", [
    helper.make_node("Add", ["x", "b"], ["a"], "add_a"),
    helper.make_node("Relu", ["a"], ["b"], "relu_b"),
], [vi("x", [1, 2])], [vi("a", [1, 2])])
write("duplicate", [
    helper.make_node("Relu", ["x"], ["y"], "relu_0"),
    helper.make_node("Sigmoid", ["x"], ["y"], "sigmoid_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])])
write("undefined_input", [
    helper.make_node("Add", ["x", "ghost"], ["y"], "add_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])])
write("opset_low", [helper.make_node("Relu", ["x"], ["y"], "relu_0")],
      [vi("x", [1, 2])], [vi("y", [1, 2])], opset=3)
write("opset_high", [helper.make_node("Relu", ["x"], ["y"], "relu_0")],
      [vi("x", [1, 2])], [vi("y", [1, 2])], opset=30)
no_default = helper.make_model(
    helper.make_graph([helper.make_node("Relu", ["x"], ["y"], "relu_0")],
                      "no_default_opset", [vi("x", [1, 2])], [vi("y", [1, 2])]),
    opset_imports=[helper.make_opsetid("com.example", 1)],
    producer_name="make_inputs")
no_default.ir_version = 8
with open("no_default_opset.onnxtxt", "w") as f:
    f.write(text_format.MessageToString(no_default))
write("custom_domain", [
    helper.make_node("Gelu", ["x"], ["y"], "gelu_0", domain="com.microsoft"),
], [vi("x", [1, 2])], [vi("y", [1, 2])])
write("huge_input", [helper.make_node("Relu", ["x"], ["y"], "relu_0")],
      [vi("x", [1 << 20, 1 << 20, 1 << 20])], [vi("y", [1, 2])])

# ---- more valid graphs ---------------------------------------------------
# Elementwise ops with constants on either side: the operand order is kept.
write("arith", [
    helper.make_node("Add", ["x", "c_add"], ["a"], "add_0"),
    helper.make_node("Sub", ["c_sub", "a"], ["s"], "sub_0"),
    helper.make_node("Mul", ["s", "c_mul"], ["m"], "mul_0"),
    helper.make_node("Div", ["m", "c_div"], ["y"], "div_0"),
], [vi("x", [1, 2, 2, 2])], [vi("y", [1, 2, 2, 2])],
    [init("c_add", np.array([1.0, 2.0], np.float32).reshape(1, 2, 1, 1)),
     init("c_sub", np.array(3.0, np.float32)),
     init("c_mul", np.array([0.5, 0.25], np.float32)),
     init("c_div", np.array(4.0, np.float32))])

# Before opset 13, Softmax normalizes over all dimensions from `axis` on.
write("softmax12", [
    helper.make_node("Softmax", ["x"], ["last"], "softmax_last", axis=3),
    helper.make_node("Softmax", ["x"], ["flat"], "softmax_flat", axis=1),
], [vi("x", [1, 2, 3, 4])], [vi("last", [1, 2, 3, 4]),
                             vi("flat", [1, 2, 3, 4])], opset=12)

# Half-precision initializers in both encodings (raw_data and int32_data
# bit patterns) and bfloat16, with values that stress the conversion:
# subnormal, largest, negative zero, infinity, an inexact decimal.
halves = np.array([1.5, -2.0, 65504.0, 2.0 ** -24, -0.0, 1365 / 4096,
                   np.inf, 2.0 ** -14], np.float16)
half_ints = TensorProto(name="h_ints", data_type=TensorProto.FLOAT16,
                        dims=[3])
half_ints.int32_data.extend(int(b) for b in
                            np.array([0.5, -65504.0, 2.0 ** -20],
                                     np.float16).view(np.uint16))
bf16 = TensorProto(name="bf", data_type=TensorProto.BFLOAT16, dims=[2],
                   raw_data=(np.array([1.0, -3.140625], np.float32)
                             .view(np.uint32) >> 16).astype("<u2").tobytes())
write("fp16", [
    helper.make_node("Add", ["x", "h_raw"], ["a"], "add_raw"),
    helper.make_node("Mul", ["x3", "h_ints"], ["b"], "mul_ints"),
    helper.make_node("Sub", ["x2", "bf"], ["c"], "sub_bf16"),
], [vi("x", [8]), vi("x3", [3]), vi("x2", [2])],
    [vi("a", [8]), vi("b", [3]), vi("c", [2])],
    [numpy_helper.from_array(halves, "h_raw"), half_ints, bf16])

# Unnamed nodes listed out of order: they are called OpType#<place in file>.
write("unnamed", [
    helper.make_node("Sigmoid", ["a"], ["y"]),
    helper.make_node("Relu", ["x"], ["a"]),
], [vi("x", [1, 2])], [vi("y", [1, 2])])

# Slice with a step larger than the axis: one element.
write("slice_step", [
    helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"],
                     "slice_0"),
], [vi("x", [1, 6])], [vi("y", [1, 1])],
    [init("starts", np.array([1], np.int64)),
     init("ends", np.array([9223372036854775807], np.int64)),
     init("axes", np.array([-1], np.int64)),
     init("steps", np.array([9223372036854775807], np.int64))])

# Weights stored next to the model (external.test copies this file and
# writes the weight files beside it).
for tag, location, offset, length in [("external", "w.bin", 4, 8),
                                      ("external_past_end", "w.bin", 4, 100),
                                      ("external_missing", "nowhere.bin", 0,
                                       8)]:
    ext = TensorProto(name="w", data_type=F, dims=[2, 1, 1, 1],
                      data_location=TensorProto.EXTERNAL)
    for key, value in [("location", location), ("offset", str(offset)),
                       ("length", str(length))]:
        entry = ext.external_data.add()
        entry.key, entry.value = key, value
    write(tag, [helper.make_node("Conv", ["x", "w"], ["y"], "conv_0")],
          [vi("x", [1, 1, 2, 2])], [vi("y", [1, 2, 2, 2])], [ext])

# ---- more invalid graphs -------------------------------------------------
write("conv_stride0", [
    helper.make_node("Conv", ["x", "w"], ["y"], "conv_0",
                     auto_pad="SAME_UPPER", strides=[0, 0]),
], [vi("x", [1, 2, 4, 4])], [vi("y", [1, 2, 4, 4])],
    [init("w", np.ones((2, 2, 3, 3), np.float32))])
write("pool_stride0", [
    helper.make_node("MaxPool", ["x"], ["y"], "pool_0", kernel_shape=[2, 2],
                     strides=[0, 0], ceil_mode=1),
], [vi("x", [1, 2, 4, 4])], [vi("y", [1, 2, 4, 4])])
# A few bytes of file declaring 16 GiB of weights.
write("huge_initializer", [
    helper.make_node("Add", ["x", "w"], ["y"], "add_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])],
    [TensorProto(name="w", data_type=F, dims=[65536, 65536],
                 raw_data=b"abcd")])
write("huge_constant", [
    helper.make_node("Constant", [], ["c"], "const_0",
                     value=TensorProto(name="v", data_type=F,
                                       dims=[65536, 65536])),
    helper.make_node("Add", ["x", "c"], ["y"], "add_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])])
# Small constant operands whose host-evaluated result would be huge.
write("huge_broadcast", [
    helper.make_node("Range", ["zero", "n", "one"], ["r"], "range_0"),
    helper.make_node("Unsqueeze", ["r", "axes"], ["u"], "unsqueeze_0"),
    helper.make_node("Add", ["u", "r"], ["s"], "add_big"),
    helper.make_node("Shape", ["s"], ["shape"], "shape_0"),
    helper.make_node("Cast", ["shape"], ["f"], "cast_0", to=F),
    helper.make_node("Add", ["x", "f"], ["y"], "add_0"),
], [vi("x", [2])], [vi("y", [2])],
    [init("zero", np.array(0, np.int64)), init("n", np.array(65536, np.int64)),
     init("one", np.array(1, np.int64)), init("axes", np.array([1], np.int64))])
write("huge_expand", [
    helper.make_node("Expand", ["one", "shape"], ["e"], "expand_0"),
    helper.make_node("Add", ["x", "e"], ["y"], "add_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])],
    [init("one", np.array(1.0, np.float32)),
     init("shape", np.array([16000000, 16000000], np.int64))])
write("int_overflow", [
    helper.make_node("Div", ["a", "b"], ["q"], "div_0"),
    helper.make_node("Cast", ["q"], ["f"], "cast_0", to=F),
    helper.make_node("Add", ["x", "f"], ["y"], "add_0"),
], [vi("x", [1])], [vi("y", [1])],
    [init("a", np.array(-2 ** 63, np.int64)), init("b", np.array(-1, np.int64))])
write("transpose_repeat", [
    helper.make_node("Transpose", ["c"], ["t"], "transpose_0", perm=[0, 0]),
    helper.make_node("Add", ["x", "t"], ["y"], "add_0"),
], [vi("x", [2, 2])], [vi("y", [2, 2])],
    [init("c", np.arange(6, dtype=np.float32).reshape(2, 3))])
write("flatten_axis", [
    helper.make_node("Flatten", ["x"], ["y"], "flatten_0", axis=7),
], [vi("x", [1, 2, 3, 4])], [vi("y", [24, 1])])
write("pad_huge", [
    helper.make_node("Pad", ["x", "pads"], ["y"], "pad_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])],
    [init("pads", np.array([0, 2 ** 62, 0, 2 ** 62], np.int64))])
write("resize_huge", [
    helper.make_node("Resize", ["x", "", "scales"], ["y"], "resize_0",
                     coordinate_transformation_mode="asymmetric",
                     nearest_mode="floor"),
], [vi("x", [1, 2, 3, 3])], [vi("y", [1, 2, 6, 6])],
    [init("scales", np.array([1, 1, 1e9, 1e9], np.float32))])
write("resize_overflow", [
    helper.make_node("Resize", ["x", "", "scales"], ["y"], "resize_0",
                     coordinate_transformation_mode="asymmetric",
                     nearest_mode="floor"),
], [vi("x", [1, 2, 3, 3])], [vi("y", [1, 2, 6, 6])],
    [init("scales", np.array([1, 1, 1e30, 1e30], np.float32))])
write("range_inf", [
    helper.make_node("Range", ["start", "limit", "delta"], ["r"], "range_0"),
    helper.make_node("Add", ["x", "r"], ["y"], "add_0"),
], [vi("x", [2])], [vi("y", [2])],
    [init("start", np.array(np.inf, np.float32)),
     init("limit", np.array(np.inf, np.float32)),
     init("delta", np.array(1.0, np.float32))])
write("split_sum", [
    helper.make_node("Split", ["c"], ["a", "b"], "split_0", axis=0,
                     split=[1, 1]),
    helper.make_node("Add", ["x", "a"], ["y"], "add_0"),
], [vi("x", [1, 2])], [vi("y", [1, 2])],
    [init("c", np.ones((3, 2), np.float32))], opset=12)
write("no_output", [helper.make_node("Relu", ["x"], ["r"], "relu_0")],
      [vi("x", [1, 2])], [])
write("duplicate_input", [helper.make_node("Relu", ["x"], ["y"], "relu_0")],
      [vi("x", [1, 2]), vi("x", [1, 3])], [vi("y", [1, 2])])
write("zero_dim", [helper.make_node("Relu", ["x"], ["y"], "relu_0")],
      [vi("x", [1, 0])], [vi("y", [1, 2])])

# ---- ConvTranspose (own generator: the graphs above keep their weights) --
ct_rng = np.random.default_rng(17)
ctw = lambda *s: ct_rng.standard_normal(s).astype(np.float32)
# Every form of padding, at opset 11: Ultralytics' 2x2 stride-2 upsampling,
# the general case (groups, pads, output_padding, bias), SAME_UPPER and
# SAME_LOWER with an odd total padding, output_shape, VALID with dilations.
write("conv_transpose", [
    helper.make_node("ConvTranspose", ["x", "w_up", "b_up"], ["up"], "ct_up",
                     kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("ConvTranspose", ["up", "w_g", "b_g"], ["g"], "ct_group",
                     strides=[2, 2], pads=[1, 1, 1, 1],
                     output_padding=[1, 1], group=2),
    helper.make_node("ConvTranspose", ["g", "w_su"], ["su"], "ct_same_upper",
                     strides=[2, 2], auto_pad="SAME_UPPER"),
    helper.make_node("ConvTranspose", ["su", "w_sl"], ["sl"], "ct_same_lower",
                     auto_pad="SAME_LOWER"),
    helper.make_node("ConvTranspose", ["sl", "w_os"], ["os"], "ct_shape",
                     strides=[2, 2], output_shape=[63, 64]),
    helper.make_node("ConvTranspose", ["os", "w_v"], ["y"], "ct_valid",
                     dilations=[2, 2], auto_pad="VALID"),
], [vi("x", [1, 4, 4, 4])], [vi("y", [1, 1, 65, 66])],
    [init("w_up", ctw(4, 2, 2, 2)), init("b_up", ctw(2)),
     init("w_g", ctw(2, 2, 3, 3)), init("b_g", ctw(4)),
     init("w_su", ctw(4, 1, 3, 3)), init("w_sl", ctw(1, 1, 4, 4)),
     init("w_os", ctw(1, 1, 2, 2)), init("w_v", ctw(1, 1, 2, 2))], opset=11)
# Refused, each naming the node.
ct_x = [vi("x", [1, 1, 4, 4])]
write("conv_transpose_runtime_weight", [
    helper.make_node("ConvTranspose", ["x", "w"], ["y"], "ct_0",
                     strides=[2, 2]),
], ct_x + [vi("w", [1, 1, 2, 2])], [vi("y", [1, 1, 8, 8])])
write("conv_transpose_output_shape", [
    helper.make_node("ConvTranspose", ["x", "w"], ["y"], "ct_0",
                     strides=[2, 2], output_shape=[9, 8]),
], ct_x, [vi("y", [1, 1, 9, 8])], [init("w", ctw(1, 1, 2, 2))])
write("conv_transpose_pads_conflict", [
    helper.make_node("ConvTranspose", ["x", "w"], ["y"], "ct_0",
                     strides=[2, 2], pads=[1, 1, 1, 1], output_shape=[8, 8]),
], ct_x, [vi("y", [1, 1, 8, 8])], [init("w", ctw(1, 1, 3, 3))])
write("conv_transpose_same", [
    helper.make_node("ConvTranspose", ["x", "w"], ["y"], "ct_0",
                     strides=[2, 2], auto_pad="SAME_UPPER"),
], ct_x, [vi("y", [1, 1, 8, 8])], [init("w", ctw(1, 1, 1, 1))])
write("conv_transpose_output_padding", [
    helper.make_node("ConvTranspose", ["x", "w"], ["y"], "ct_0",
                     strides=[2, 2], output_padding=[2, 0]),
], ct_x, [vi("y", [1, 1, 10, 8])], [init("w", ctw(1, 1, 2, 2))])

# ---- MatMul, Gemm and attention (own generator, like ConvTranspose) ------
mm_rng = np.random.default_rng(11)
mmw = lambda *s: (mm_rng.standard_normal(s) * 0.5).astype(np.float32)


def attention_nodes(x, dim, heads, key_dim, h, w, p):
    """Ultralytics' Attention (yolo11's C2PSA) as torch.onnx exports it, BN
    fused into the convolutions: qkv 1x1 conv, view [B, heads, 2 * key_dim +
    head_dim, N], split q/k/v, softmax(q^T k * scale), v attn^T, view back,
    plus the depthwise positional conv of v, then the 1x1 projection."""
    head_dim = dim // heads
    n = h * w
    qkv_c = dim + 2 * key_dim * heads
    nodes = [
        helper.make_node("Conv", [x, p + "qkv_w", p + "qkv_b"], [p + "qkv"],
                         p + "qkv", kernel_shape=[1, 1]),
        helper.make_node("Reshape", [p + "qkv", p + "heads_shape"],
                         [p + "qkv_h"], p + "view"),
        helper.make_node("Split", [p + "qkv_h", p + "split"],
                         [p + "q", p + "k", p + "v"], p + "split", axis=2),
        helper.make_node("Transpose", [p + "q"], [p + "qt"], p + "q_t",
                         perm=[0, 1, 3, 2]),
        helper.make_node("MatMul", [p + "qt", p + "k"], [p + "s"],
                         p + "scores"),
        helper.make_node("Mul", [p + "s", p + "scale"], [p + "ss"],
                         p + "scale"),
        helper.make_node("Softmax", [p + "ss"], [p + "attn"], p + "softmax",
                         axis=-1),
        helper.make_node("Transpose", [p + "attn"], [p + "attn_t"],
                         p + "attn_t", perm=[0, 1, 3, 2]),
        helper.make_node("MatMul", [p + "v", p + "attn_t"], [p + "o"],
                         p + "weighted"),
        helper.make_node("Reshape", [p + "o", p + "image_shape"],
                         [p + "o_img"], p + "view_out"),
        helper.make_node("Reshape", [p + "v", p + "image_shape"],
                         [p + "v_img"], p + "view_v"),
        helper.make_node("Conv", [p + "v_img", p + "pe_w", p + "pe_b"],
                         [p + "pe"], p + "pe", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], group=dim),
        helper.make_node("Add", [p + "o_img", p + "pe"], [p + "sum"],
                         p + "add_pe"),
        helper.make_node("Conv", [p + "sum", p + "proj_w", p + "proj_b"],
                         [p + "out"], p + "proj", kernel_shape=[1, 1]),
    ]
    inits = [
        init(p + "qkv_w", mmw(qkv_c, dim, 1, 1)), init(p + "qkv_b", mmw(qkv_c)),
        init(p + "heads_shape",
             np.array([1, heads, 2 * key_dim + head_dim, n], np.int64)),
        init(p + "split", np.array([key_dim, key_dim, head_dim], np.int64)),
        init(p + "scale", np.array(key_dim ** -0.5, np.float32)),
        init(p + "image_shape", np.array([1, dim, h, w], np.int64)),
        init(p + "pe_w", mmw(dim, 1, 3, 3)), init(p + "pe_b", mmw(dim)),
        init(p + "proj_w", mmw(dim, dim, 1, 1) * 0.3),
        init(p + "proj_b", mmw(dim)),
    ]
    return nodes, inits, p + "out"


# yolo11's PSABlock: x + attn(x), then x + ffn(x) (1x1 conv, SiLU, 1x1).
att_nodes, att_inits, att_out = attention_nodes("x", 32, 2, 8, 5, 5, "attn_")
write("attention", att_nodes + [
    helper.make_node("Add", ["x", att_out], ["r1"], "residual_attn"),
    helper.make_node("Conv", ["r1", "ffn1_w", "ffn1_b"], ["f1"], "ffn1",
                     kernel_shape=[1, 1]),
    helper.make_node("Sigmoid", ["f1"], ["f1s"], "ffn1_sigmoid"),
    helper.make_node("Mul", ["f1", "f1s"], ["f1a"], "ffn1_silu"),
    helper.make_node("Conv", ["f1a", "ffn2_w", "ffn2_b"], ["f2"], "ffn2",
                     kernel_shape=[1, 1]),
    helper.make_node("Add", ["r1", "f2"], ["y"], "residual_ffn"),
], [vi("x", [1, 32, 5, 5])], [vi("y", [1, 32, 5, 5])],
    att_inits + [init("ffn1_w", mmw(64, 32, 1, 1) * 0.3),
                 init("ffn1_b", mmw(64)),
                 init("ffn2_w", mmw(32, 64, 1, 1) * 0.3),
                 init("ffn2_b", mmw(32))])

# Every form of MatMul and Gemm, at opset 11 (Gemm's C optional from 11),
# all computed from the one input (scripts/check_codegen.py feeds one).
write("matmul", [
    # A runtime rhs [1, 5, 4, 6]: constants times sigmoid(sum(x)).
    helper.make_node("ReduceSum", ["x"], ["sx"], "sum_x", keepdims=1),
    helper.make_node("Sigmoid", ["sx"], ["gate"], "gate"),
    helper.make_node("Mul", ["cb", "gate"], ["b"], "rhs"),
    # Batch broadcasting both ways: [2, 1, 3, 4] x [1, 5, 4, 6].
    helper.make_node("MatMul", ["x", "b"], ["ab"], "mm_broadcast"),
    # A linear layer as MatMul: rank-2 constant weights over a batch.
    helper.make_node("MatMul", ["ab", "w_lin"], ["lin"], "mm_linear"),
    # 1-D operands: a vector on the left, then on the right.
    helper.make_node("MatMul", ["vec", "lin"], ["vl"], "mm_vector_lhs"),
    helper.make_node("MatMul", ["vl", "vec2"], ["vr"], "mm_vector_rhs"),
    # Both operands known at import time: evaluated there.
    helper.make_node("MatMul", ["c1", "c2"], ["cc"], "mm_constants"),
    helper.make_node("Add", ["vr", "cc"], ["y"], "add_constant"),
    # Gemm as torch exports nn.Linear (transB = 1), with alpha and beta.
    helper.make_node("Reshape", ["x", "g_shape"], ["g"], "to_matrix"),
    helper.make_node("Gemm", ["g", "gw", "gb"], ["gy"], "gemm_linear",
                     transB=1, alpha=0.5, beta=2.0),
    # transA, no C.
    helper.make_node("Gemm", ["gy", "gw2"], ["gy2"], "gemm_trans_a",
                     transA=1),
], [vi("x", [2, 1, 3, 4])], [vi("y", [2, 5]), vi("gy2", [5, 2])],
    [init("cb", mmw(5, 4, 6)), init("w_lin", mmw(6, 7)), init("vec", mmw(3)),
     init("vec2", mmw(7)), init("c1", mmw(2, 5, 3)), init("c2", mmw(3)),
     init("g_shape", np.array([3, 8], np.int64)), init("gw", mmw(5, 8)),
     init("gb", mmw(5)), init("gw2", mmw(3, 2))], opset=11)
# Refused, naming the node.
write("matmul_mismatch", [
    helper.make_node("MatMul", ["a", "b"], ["y"], "mm_0"),
], [vi("a", [2, 3, 4]), vi("b", [2, 5, 6])], [vi("y", [2, 3, 6])])
write("matmul_batch_mismatch", [
    helper.make_node("MatMul", ["a", "b"], ["y"], "mm_0"),
], [vi("a", [2, 3, 4]), vi("b", [3, 4, 6])], [vi("y", [2, 3, 6])])
write("gemm_rank", [
    helper.make_node("Gemm", ["a", "b"], ["y"], "gemm_0"),
], [vi("a", [2, 3, 4]), vi("b", [4, 6])], [vi("y", [2, 3, 6])])

# Resize in mode linear (bilinear on H and W), one node per coordinate mode
# and scale form, each flattened into one output so that one onnxruntime
# comparison checks them all (test/Target/resize-linear.test). H 7 and W 5
# make floor(in * scale) differ from in * scale for 1.5 and 0.5, so that
# a mapping by output / input instead of the given scale shows.
rs_inits = []
rs_nodes = []


def rs_case(name, ctm, scales=None, sizes=None, **attrs):
    inputs = ["x", ""]
    if scales is not None:
        t = init(f"{name}_scales", np.array([1, 1, *scales], np.float32))
        inputs.append(t.name)
    else:
        inputs.append("")
        t = init(f"{name}_sizes", np.array([1, 3, *sizes], np.int64))
        inputs.append(t.name)
    rs_inits.append(t)
    rs_nodes.append(helper.make_node(
        "Resize", inputs, [name], name, mode="linear",
        coordinate_transformation_mode=ctm, **attrs))
    rs_nodes.append(helper.make_node("Flatten", [name], [name + "_flat"],
                                     name + "_flat", axis=1))


rs_case("rs_half_pixel_2x", "half_pixel", scales=[2, 2])
rs_case("rs_align_corners_2x", "align_corners", scales=[2, 2])
rs_case("rs_asymmetric", "asymmetric", scales=[2, 3])
rs_case("rs_pytorch_half_pixel", "pytorch_half_pixel", scales=[2, 1.5])
# pytorch_half_pixel maps an output of length 1 to 0 (half_pixel would not).
rs_case("rs_pytorch_length1", "pytorch_half_pixel", sizes=[1, 4])
rs_case("rs_scale_1_5", "half_pixel", scales=[1.5, 1.5])
rs_case("rs_downscale", "half_pixel", scales=[0.5, 0.5])
# 7 * float(31 / 7) < 31 in f32: the exporter writes these sizes back as
# sizes, not as scales.
rs_case("rs_sizes", "half_pixel", sizes=[31, 4])
rs_case("rs_align_corners_sizes", "align_corners", sizes=[4, 11])
rs_case("rs_asymmetric_1_5", "asymmetric", scales=[1.5, 0.7])
rs_nodes.append(helper.make_node(
    "Concat", [n.output[0] for n in rs_nodes if n.op_type == "Flatten"],
    ["y"], "concat_all", axis=1))
write("resize_linear", rs_nodes, [vi("x", [1, 3, 7, 5])],
      [vi("y", [1, None])], rs_inits)
# Resize-10 and Upsample-9: asymmetric coordinates, scales as input 1.
write("resize_linear10", [
    helper.make_node("Resize", ["x", "s10"], ["y"], "resize10",
                     mode="linear"),
], [vi("x", [1, 3, 7, 5])], [vi("y", [1, 3, 10, 10])],
    [init("s10", np.array([1, 1, 1.5, 2], np.float32))], opset=10)
write("upsample_linear9", [
    helper.make_node("Upsample", ["x", "s9"], ["y"], "upsample9",
                     mode="linear"),
], [vi("x", [1, 3, 7, 5])], [vi("y", [1, 3, 14, 15])],
    [init("s9", np.array([1, 1, 2, 3], np.float32))], opset=9)
# Resize-18/19 attributes: the defaults import, the others are refused.
write("resize_linear18", [
    helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], "resize18",
                     mode="linear", antialias=0,
                     keep_aspect_ratio_policy="stretch",
                     coordinate_transformation_mode="half_pixel"),
], [vi("x", [1, 3, 7, 5])], [vi("y", [1, 3, 14, 3])],
    [init("sizes", np.array([1, 3, 14, 3], np.int64))], opset=19)
write("resize_antialias", [
    helper.make_node("Resize", ["x", "", "scales"], ["y"], "resize_aa",
                     mode="linear", antialias=1),
], [vi("x", [1, 3, 8, 8])], [vi("y", [1, 3, 4, 4])],
    [init("scales", np.array([1, 1, 0.5, 0.5], np.float32))], opset=18)
write("resize_cubic", [
    helper.make_node("Resize", ["x", "", "scales"], ["y"], "resize_cubic",
                     mode="cubic"),
], [vi("x", [1, 3, 8, 8])], [vi("y", [1, 3, 16, 16])],
    [init("scales", np.array([1, 1, 2, 2], np.float32))])
write("resize_aspect", [
    helper.make_node("Resize", ["x", "", "", "sizes"], ["y"], "resize_keep",
                     mode="linear", keep_aspect_ratio_policy="not_larger"),
], [vi("x", [1, 3, 8, 8])], [vi("y", [1, 3, 4, 4])],
    [init("sizes", np.array([1, 3, 4, 6], np.int64))], opset=18)
write("resize_crop", [
    helper.make_node("Resize", ["x", "roi", "scales"], ["y"], "resize_crop",
                     mode="linear",
                     coordinate_transformation_mode="tf_crop_and_resize"),
], [vi("x", [1, 3, 8, 8])], [vi("y", [1, 3, 16, 16])],
    [init("roi", np.array([0, 0, 0, 0, 1, 1, 1, 1], np.float32)),
     init("scales", np.array([1, 1, 2, 2], np.float32))])
write("resize_linear_channels", [
    helper.make_node("Resize", ["x", "", "scales"], ["y"], "resize_nc",
                     mode="linear"),
], [vi("x", [1, 3, 8, 8])], [vi("y", [1, 6, 16, 16])],
    [init("scales", np.array([1, 2, 2, 2], np.float32))])
