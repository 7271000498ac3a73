"""Prints run_bench.thread_scaling's note for synthetic rounds (bench-scaling.test).

Usage: bench_scaling.py BENCH_DIR
"""
import sys

sys.path.insert(0, sys.argv[1])
import run_bench  # noqa: E402

names = {"ours": "ours", "ort": "onnxruntime", "ov": "OpenVINO"}

# (engine, threads) -> [(round trip ns or None, timed runs ms)]
mixed = {
    ("ours", 1): [(None, [100.0, 100.0]), (None, [100.0])],
    ("ours", 2): [(60, [40.0]), (380, [100.0]), (70, [50.0])],
    ("ov", 1): [(None, [160.0])],
    ("ov", 2): [(60, [100.0]), (90, [100.0])],
}
print("mixed:", run_bench.thread_scaling(mixed, ["ours", "ort", "ov"], [1, 2], names))

far = {
    ("ours", 1): [(None, [100.0])],
    ("ours", 2): [(350, [80.0]), (400, [80.0])],
    ("ours", 3): [(None, [50.0])],
}
print("far:", run_bench.thread_scaling(far, ["ours"], [1, 2, 3], names))

print("no-1T:", run_bench.thread_scaling(mixed, ["ours"], [2], names))
