#!/usr/bin/env python3
"""onnxruntime's CUDA provider latency, for comparison with ours.

    ort_cuda.py MODEL.onnx X.npy

The median and minimum of 50 runs after 5 warm-up runs, host arrays in and
out. Prints a note and exits 0 where that provider is not installed.
"""
import sys
import time

import numpy as np


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip())
    import onnxruntime as ort
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        print("onnxruntime CUDA provider: not installed here "
              f"(providers: {ort.get_available_providers()})")
        return 0
    sess = ort.InferenceSession(sys.argv[1],
                                providers=["CUDAExecutionProvider"])
    x = np.load(sys.argv[2])
    feed = {sess.get_inputs()[0].name: x}
    for _ in range(5):
        sess.run(None, feed)
    ms = []
    for _ in range(50):
        t = time.perf_counter()
        sess.run(None, feed)
        ms.append((time.perf_counter() - t) * 1e3)
    print(f"onnxruntime CUDA provider: median_ms={np.median(ms):.3f} "
          f"min_ms={min(ms):.3f} (host arrays in and out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
