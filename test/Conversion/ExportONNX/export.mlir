// Every op exports to a valid ONNX model (onnx.checker, full check with shape
// inference), which onnxruntime runs to the same numbers as the reference
// computed here by numpy for a few ops.
// REQUIRES: onnxruntime
// RUN: yolo-translate --export-onnx %s -o %t.onnx
// RUN: %venv_python %S/Inputs/run_exported.py %t.onnx | FileCheck %s
// CHECK: checker: ok
// CHECK: inputs: x[1, 4, 8, 8]
// CHECK: outputs: conv[1, 8, 8, 8] pooled[1, 8, 8, 8] up[1, 8, 16, 16] head[1, 2, 4, 8] sums[1, 4, 8] cat[1, 16, 8, 8] parts_a[1, 3, 8, 8] padded[1, 4, 9, 9] bn[1, 4, 8, 8] acts[1, 4, 8, 8]
// CHECK: conv+silu matches numpy: True
// CHECK: ops: Add AveragePool BatchNormalization Concat Conv Div Identity LeakyRelu MaxPool Mul Pad ReduceSum Relu Reshape Resize Sigmoid Slice Softmax Split Sub Transpose

// RUN: not yolo-translate --export-onnx %s 2>&1 | FileCheck %s --check-prefix=STDOUT
// STDOUT: error: --export-onnx writes a binary file: pass -o FILE.onnx

func.func @main(%x: tensor<1x4x8x8xf32> {yolo.name = "x"}) -> (
    tensor<1x8x8x8xf32> {yolo.name = "conv"}, tensor<1x8x8x8xf32> {yolo.name = "pooled"},
    tensor<1x8x16x16xf32> {yolo.name = "up"}, tensor<1x2x4x8xf32> {yolo.name = "head"},
    tensor<1x4x8xf32> {yolo.name = "sums"}, tensor<1x16x8x8xf32> {yolo.name = "cat"},
    tensor<1x3x8x8xf32> {yolo.name = "parts_a"}, tensor<1x4x9x9xf32> {yolo.name = "padded"},
    tensor<1x4x8x8xf32> {yolo.name = "bn"}, tensor<1x4x8x8xf32> {yolo.name = "acts"}) {
  %w = yolo.constant dense<0.125> : tensor<8x4x3x3xf32>
  %b = yolo.constant dense<[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]> : tensor<8xf32>
  %conv = yolo.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, activation = #yolo.activation<silu>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %mp = yolo.max_pool %conv {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %pp = yolo.pad %mp {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x9x9xf32>
  %ap = yolo.avg_pool %pp {kernel = array<i64: 2, 2>, count_include_pad = true} : (tensor<1x8x9x9xf32>) -> tensor<1x8x8x8xf32>
  %up = yolo.resize %ap {scales = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x16x16xf32>
  %r = yolo.reshape %conv {shape = array<i64: 1, 4, 2, 64>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x2x64xf32>
  %t = yolo.transpose %r {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x2x64xf32>) -> tensor<1x2x4x64xf32>
  %sm = yolo.softmax %t {axis = 3 : i64} : tensor<1x2x4x64xf32>
  %head = yolo.slice %sm {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 8>, strides = array<i64: 1, 1, 1, 8>} : (tensor<1x2x4x64xf32>) -> tensor<1x2x4x8xf32>
  %sums = yolo.reduce_sum %head {axes = array<i64: 1>, keep_dims = false} : (tensor<1x2x4x8xf32>) -> tensor<1x4x8xf32>
  %cat = yolo.concat %conv, %ap {axis = 1 : i64} : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x16x8x8xf32>
  %parts:2 = yolo.split %cat {axis = 1 : i64, sizes = array<i64: 3, 13>} : (tensor<1x16x8x8xf32>) -> (tensor<1x3x8x8xf32>, tensor<1x13x8x8xf32>)
  %padded = yolo.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 1>, value = -1.0 : f32} : (tensor<1x4x8x8xf32>) -> tensor<1x4x9x9xf32>
  %s = yolo.constant dense<[1.0, 2.0, 0.5, 1.5]> : tensor<4xf32>
  %bn = yolo.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0e-3 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %c = yolo.constant dense<2.0> : tensor<1x4x1x1xf32>
  %a0 = yolo.silu %bn : tensor<1x4x8x8xf32>
  %a1 = yolo.sigmoid %a0 : tensor<1x4x8x8xf32>
  %a2 = yolo.relu %a1 : tensor<1x4x8x8xf32>
  %a3 = yolo.leaky_relu %a2 {alpha = 0.1 : f32} : tensor<1x4x8x8xf32>
  %a4 = yolo.add %a3, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %a5 = yolo.sub %a4, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %a6 = yolo.mul %a5, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %acts = yolo.div %a6, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %conv, %ap, %up, %head, %sums, %cat, %parts#0, %padded, %bn, %acts : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x16x16xf32>, tensor<1x2x4x8xf32>, tensor<1x4x8xf32>, tensor<1x16x8x8xf32>, tensor<1x3x8x8xf32>, tensor<1x4x9x9xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}
