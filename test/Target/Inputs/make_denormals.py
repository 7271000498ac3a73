#!/usr/bin/env python3
"""The model and inputs of denormals.test, and its check.

    make_denormals.py make DIR   writes DIR/model.onnx, DIR/small.npy and
                                 DIR/denormal.npy
    make_denormals.py check Y.npy
                                 prints, per output channel, what its
                                 values are: zero, denormal or normal (all
                                 of them alike, else "mixed")

The model is one 1x1 convolution, 1 -> 2 channels over 1x1x512x512 (rows
enough for the pool's worker to take some at 2 threads), weights
1e-20 and 1e10, no bias: channel 0 = x * 1e-20, channel 1 = x * 1e10.
- small.npy, every pixel 1e-20 (a normal float): channel 0 is 1e-40, a
  denormal result (flushed: 0), channel 1 is 1e-10.
- denormal.npy, every pixel 1e-39 (a denormal input; read as zero when
  flushed): channel 1 is 1e-29, or 0 when flushed; channel 0 underflows
  to 0 either way.
"""
import sys

import numpy as np

SHAPE = (1, 1, 512, 512)
TINY = np.finfo(np.float32).tiny  # the smallest normal float32


def make(out):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = np.array([1e-20, 1e10], np.float32).reshape(2, 1, 1, 1)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                          kernel_shape=[1, 1])],
        "denormals",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(SHAPE))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [1, 2, SHAPE[2], SHAPE[3]])],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, f"{out}/model.onnx")
    np.save(f"{out}/small.npy", np.full(SHAPE, 1e-20, np.float32))
    denormal = np.full(SHAPE, 1e-39, np.float32)
    assert 0 < denormal.flat[0] < TINY
    np.save(f"{out}/denormal.npy", denormal)


def kind(v):
    a = np.abs(v)
    if np.all(a == 0):
        return "zero"
    if np.all((a > 0) & (a < TINY)):
        return "denormal"
    if np.all(a >= TINY):
        return "normal"
    return "mixed"


def check(path):
    y = np.load(path)
    for c in range(y.shape[1]):
        print(f"channel {c}: {kind(y[:, c])}")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(sys.argv[2])
