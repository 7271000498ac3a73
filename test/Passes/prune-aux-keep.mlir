// RUN: yolo-opt %s -yolo-prune-aux="keep=b" | FileCheck %s
// RUN: yolo-opt %s -yolo-prune-aux="keep=1" | FileCheck %s
// RUN: not yolo-opt %s -yolo-prune-aux="keep=nope" 2>&1 | FileCheck %s --check-prefix=ERR

// keep= settles an ambiguous graph.
// CHECK-LABEL: func @ambiguous
// CHECK-SAME: -> (tensor<1x5x16xf32> {yolo.name = "b", yolo.role = "main"})
// CHECK: %[[W:.*]] = yolo.constant dense<2.000000e+00>
// CHECK-NOT: dense<1.000000e+00>
// ERR: error: yolo-prune-aux: no output named 'nope' (outputs: a, b)
func.func @ambiguous(%x: tensor<1x3x4x4xf32>) -> (tensor<1x5x16xf32> {yolo.name = "a"}, tensor<1x5x16xf32> {yolo.name = "b"}) {
  %w = yolo.constant dense<1.0> : tensor<5x3x1x1xf32>
  %w2 = yolo.constant dense<2.0> : tensor<5x3x1x1xf32>
  %h1 = yolo.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %h2 = yolo.conv2d %x, %w2 : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %r1 = yolo.reshape %h1 {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  %r2 = yolo.reshape %h2 {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  return %r1, %r2 : tensor<1x5x16xf32>, tensor<1x5x16xf32>
}
