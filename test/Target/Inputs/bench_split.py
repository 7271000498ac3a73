"""Helpers of bench-split.test (bench/split_bound.py).

Usage: bench_split.py model OUT.onnx H W   (a 3 -> 8 3x3 convolution + ReLU
                                            over 1x3xHxW, seeded weights)
       bench_split.py summary BENCH_DIR    (the report of synthetic rounds)
"""
import sys

if sys.argv[1] == "model":
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    out, h, w = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = np.random.default_rng(3)
    wt = numpy_helper.from_array(rng.standard_normal((8, 3, 3, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal(8).astype(np.float32), "b")
    g = helper.make_graph(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["c"], ["y"], name="relu")],
        "split", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, h, w])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, h, w])], [wt, b])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), out)
    sys.exit(0)

sys.path.insert(0, sys.argv[2])
import split_bound  # noqa: E402


def rnd(state, full1, full2, halves, wholes, rt):
    return {"state": state, "full1": full1, "full2": full2, "halves": halves,
            "half": max(halves), "wholes": wholes, "pair": max(wholes), "rt": rt}


# Near: three rounds, medians full1 100, full2 52, slower half 50 (of 50, 54,
# 49: the slower of each pair), slower whole 104 (104, 110, 100).
# Far: full1 100, full2 75, half 52, whole 100. A changed and an unprobed
# round make their own rows.
rounds = [
    rnd("near", 100.0, 52.0, [50.0, 48.0], [104.0, 101.0], (60, 70)),
    rnd("far", 100.0, 75.0, [52.0, 51.0], [100.0, 99.0], (350, 380)),
    rnd("near", 90.0, 50.0, [54.0, 40.0], [110.0, 90.0], (65, 60)),
    rnd("near", 110.0, 60.0, [49.0, 49.0], [100.0, 100.0], (70, 80)),
    rnd("changed", 100.0, 60.0, [60.0, 50.0], [100.0, 100.0], (70, 390)),
    rnd(None, 100.0, 50.0, [50.0, 50.0], [100.0, 100.0], (None, 70)),
]


class Args:
    full, half, repeat, warmup = "F-run", "H-run", 3, 1


print(split_bound.report(split_bound.summarize(rounds), rounds, Args()), end="")
