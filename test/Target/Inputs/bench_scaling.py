"""Prints run_bench's notes for synthetic rounds (bench-scaling.test): the
state of the CPUs from the round trips before and after a run, and the
speed-up over 1 thread by state.

Usage: bench_scaling.py BENCH_DIR
"""
import sys

sys.path.insert(0, sys.argv[1])
import run_bench  # noqa: E402

for before, after in [(60, 90), (380, 350), (60, 380), (380, 60), (200, 201), (None, 60),
                      (60, None)]:
    print(f"state {before} {after}: {run_bench.cache_state(before, after)}")

names = {"ours": "ours", "ort": "onnxruntime", "ov": "OpenVINO"}

# (engine, threads) -> [(state, timed runs ms)]
mixed = {
    ("ours", 1): [(None, [100.0, 100.0]), (None, [100.0])],
    ("ours", 2): [("near", [40.0, 40.0, 40.0]), ("far", [100.0]), ("near", [60.0]),
                  ("changed", [70.0, 70.0, 70.0])],
    ("ov", 1): [(None, [160.0])],
    ("ov", 2): [("near", [100.0]), ("near", [100.0])],
}
print("mixed:", run_bench.thread_scaling(mixed, ["ours", "ort", "ov"], [1, 2], names))

far = {
    ("ours", 1): [(None, [100.0])],
    ("ours", 2): [("far", [80.0]), ("far", [80.0]), ("changed", [20.0]), ("changed", [20.0]),
                  (None, [20.0])],
    ("ours", 3): [(None, [50.0])],
    ("ov", 1): [(None, [100.0])],
    ("ov", 2): [("changed", [50.0]), (None, [50.0])],
}
print("far:", run_bench.thread_scaling(far, ["ours", "ov"], [1, 2, 3], names))

print("failed:", run_bench.thread_scaling(mixed, ["ours", "ov"], [1, 2], names,
                                          {("ours", 2)}))
print("no-1T:", run_bench.thread_scaling(mixed, ["ours"], [2], names))
# A CPU whose round trips do not tell (an Intel one): the pooled figures.
print("intel:", run_bench.thread_scaling(mixed, ["ours", "ov"], [1, 2], names,
                                         vendor="GenuineIntel"))
print("split:", run_bench.splits_by_cache("AuthenticAMD"),
      run_bench.splits_by_cache("HygonGenuine"),
      run_bench.splits_by_cache("GenuineIntel"), run_bench.splits_by_cache(None))
