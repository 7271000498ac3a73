#!/usr/bin/env python3
"""Compares a GPU run's output with onnxruntime's (atol = rtol = 1e-3).

    compare.py GOT.npy REF.npy LABEL

Prints one line, `OK   LABEL: matches onnxruntime (...)` or `FAIL ...`,
and exits 1 on a failure. Runs in a bundle of scripts/gpu_check.sh, where
yolocheck.py lies next to it (numpy only).
"""
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
# yolocheck.py: next to this file in a bundle, one folder up in scripts/.
sys.path.insert(1, str(HERE.parent))
from yolocheck import Comparison, mark  # noqa: E402

ATOL = RTOL = 1e-3


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip())
    got, ref, label = np.load(sys.argv[1]), np.load(sys.argv[2]), sys.argv[3]
    if got.shape != ref.shape:
        print(f"FAIL {label}: shape {got.shape} != {ref.shape}")
        return 1
    c = Comparison(got, ref, ATOL, RTOL)
    print(f"{mark(c.ok)} {label}: matches onnxruntime ({c.summary()})")
    return 0 if c.ok else 1


if __name__ == "__main__":
    sys.exit(main())
