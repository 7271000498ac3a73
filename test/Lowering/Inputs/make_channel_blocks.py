#!/usr/bin/env python3
"""Writes the module of channel-blocks.mlir's checks on the weights' layout:
a stride-2 3x3 convolution of 2 -> 64 channels whose weights w[co][ci][k]
(k = 3 ky + kx) are 10000 co + 100 ci + k, each value telling where it came
from; a second layer shares the weights global.

    make_channel_blocks.py [CO]    (output channels, 64 unless given)"""

import sys

co, ci = int(sys.argv[1]) if len(sys.argv) > 1 else 64, 2
values = ", ".join(
    "[" + ", ".join(
        "[" + ", ".join(
            "[" + ", ".join(f"{10000 * o + 100 * i + 3 * y + x}.0" for x in range(3)) + "]"
            for y in range(3)) + "]"
        for i in range(ci)) + "]"
    for o in range(co))
print(f"""module {{
  memref.global "private" constant @w : memref<{co}x{ci}x3x3xf32> = dense<[{values}]>
  memref.global "private" constant @b : memref<{co}xf32> = dense<0.5>
  func.func @main(%x: memref<1x{ci}x8x8xf32>, %o1: memref<1x{co}x4x4xf32>, %o2: memref<1x{co}x4x4xf32>) {{
    %w = memref.get_global @w : memref<{co}x{ci}x3x3xf32>
    %b = memref.get_global @b : memref<{co}xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x{ci}x8x8xf32>, memref<{co}x{ci}x3x3xf32>, memref<{co}xf32>) outs(%o1 : memref<1x{co}x4x4xf32>) {{activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}}
    ykernel.conv2d ins(%x, %w, %b : memref<1x{ci}x8x8xf32>, memref<{co}x{ci}x3x3xf32>, memref<{co}xf32>) outs(%o2 : memref<1x{co}x4x4xf32>) {{activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>}}
    return
  }}
}}""")
