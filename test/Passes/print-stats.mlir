// RUN: yolo-opt %s --yolo-print-stats -o /dev/null | FileCheck %s --check-prefix=TEXT
// RUN: yolo-opt %s --yolo-print-stats=json -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: yolo-opt %s --yolo-print-stats="format=json" -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: not yolo-opt %s --yolo-print-stats="format=xml" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
// The IR passes through unchanged.
// RUN: yolo-opt %s --yolo-print-stats 2>/dev/null | FileCheck %s --check-prefix=IR

// conv0: 8 x 16 x 16 outputs x 3*3*3 taps = 55296 MACs; conv1 (groups 2):
// 8 x 16 x 16 x 4*1*1 = 8192 MACs; GFLOPs = 2 * 63488 / 1e9.
// Parameters: 216 + 8 (conv0) + 32 (conv1) + 8 + 8 (BN scale, shift) = 272;
// the shared BN constant counts once per use, BN mean/var are not
// parameters.
// TEXT: function @main
// TEXT-NEXT: input   images 1x3x16x16xf32
// TEXT-NEXT: output  out 1x8x16x16xf32 (main)
// TEXT: yolo.batch_norm{{ +}}1
// TEXT: yolo.constant{{ +}}4
// TEXT: yolo.conv2d{{ +}}2
// TEXT: convolutions: 2 (1 with a fused activation)
// TEXT: parameters: 272
// TEXT: conv MACs: 63488
// TEXT: GFLOPs: 0.00
// JSON: "conv_macs": 63488,
// JSON: "convolutions": 2,
// JSON: "function": "main",
// JSON: "fused_activations": 1,
// JSON: "gflops": 0.000126976,
// JSON: "inputs": [
// JSON-NEXT: "images 1x3x16x16xf32"
// JSON: "yolo.conv2d": 2
// JSON: "parameters": 272
// BAD: error: yolo-print-stats: unknown format 'xml', expected 'text' or 'json'
// IR: yolo.batch_norm
func.func @main(%x: tensor<1x3x16x16xf32> {yolo.name = "images"}) -> (tensor<1x8x16x16xf32> {yolo.name = "out", yolo.role = "main"}) {
  %w0 = yolo.constant dense<1.0> : tensor<8x3x3x3xf32>
  %w1 = yolo.constant dense<1.0> : tensor<8x4x1x1xf32>
  %p = yolo.constant dense<1.0> : tensor<8xf32>
  %q = yolo.constant dense<2.0> : tensor<8xf32>
  %0 = yolo.conv2d %x, %w0, %p {pads = array<i64: 1, 1, 1, 1>, activation = #yolo.activation<silu>} : (tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %1 = yolo.conv2d %0, %w1 {groups = 2 : i64} : (tensor<1x8x16x16xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x16x16xf32>
  %2 = yolo.batch_norm %1, %p, %q, %q, %q : (tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  return %2 : tensor<1x8x16x16xf32>
}
