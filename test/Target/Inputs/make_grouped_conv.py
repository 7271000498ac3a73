#!/usr/bin/env python3
"""Writes the input of grouped-conv.test to stdout: YOLOv9's box-head
pattern at 80x80 (a 3x3 convolution of 32 channels in 2 groups of 16,
which Winograd takes per group, then a 1x1 one in 4 groups of 8) and a 3x3
one in 8 groups of 4 (below 8 channels per group: one grouped kernel).
Weights: seeded uniform [-1, 1) values rounded to 0.01, so that each group
has weights of its own."""
import random

random.seed(7)


def dense(shape):
    n = 1
    for s in shape:
        n *= s

    def nest(vals, dims):
        if len(dims) == 1:
            return "[" + ", ".join("%.2f" % v for v in vals) + "]"
        step = len(vals) // dims[0]
        return "[" + ", ".join(nest(vals[i * step:(i + 1) * step], dims[1:])
                               for i in range(dims[0])) + "]"

    vals = [round(random.uniform(-1, 1), 2) for _ in range(n)]
    return "dense<%s> : tensor<%s>" % (nest(vals, shape),
                                       "x".join(map(str, shape)) + "xf32")


t = "tensor<1x32x80x80xf32>"
print(f"""func.func @main(%x: {t}) -> {t} {{
  %w0 = yolo.constant {dense([32, 16, 3, 3])}
  %b0 = yolo.constant {dense([32])}
  %w1 = yolo.constant {dense([32, 8, 1, 1])}
  %w2 = yolo.constant {dense([32, 4, 3, 3])}
  %a = yolo.conv2d %x, %w0, %b0 {{groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, activation = #yolo.activation<silu>}} : ({t}, tensor<32x16x3x3xf32>, tensor<32xf32>) -> {t} loc("groups2")
  %b = yolo.conv2d %a, %w1 {{groups = 4 : i64}} : ({t}, tensor<32x8x1x1xf32>) -> {t} loc("groups4_1x1")
  %c = yolo.conv2d %b, %w2 {{groups = 8 : i64, pads = array<i64: 1, 1, 1, 1>}} : ({t}, tensor<32x4x3x3xf32>) -> {t} loc("groups8")
  return %c : {t}
}}""")
