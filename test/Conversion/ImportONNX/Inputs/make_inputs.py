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
