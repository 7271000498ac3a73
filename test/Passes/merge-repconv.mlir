// RUN: yolo-opt %s -split-input-file -yolo-merge-repconv | FileCheck %s

// 3x3 kernel of ones + 1x1 kernel of 2: centre tap 3, bias 0.5 + 0.25.
// CHECK-LABEL: func @merge_3x3_1x1
// CHECK-DAG: %[[W:.*]] = yolo.constant dense<{{\[\[\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00], [1.000000e+00, 3.000000e+00, 1.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00]]]]> : tensor<1x1x3x3xf32>
// CHECK-DAG: %[[B:.*]] = yolo.constant dense<7.500000e-01> : tensor<1xf32>
// CHECK: %[[C:.*]] = yolo.conv2d %arg0, %[[W]], %[[B]] {pads = array<i64: 1, 1, 1, 1>}
// CHECK-NOT: yolo.add
// CHECK: return %[[C]]
func.func @merge_3x3_1x1(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32> {
  %w3 = yolo.constant dense<1.0> : tensor<1x1x3x3xf32>
  %b3 = yolo.constant dense<0.5> : tensor<1xf32>
  %w1 = yolo.constant dense<2.0> : tensor<1x1x1x1xf32>
  %b1 = yolo.constant dense<0.25> : tensor<1xf32>
  %a = yolo.conv2d %x, %w3, %b3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x6x6xf32>
  %b = yolo.conv2d %x, %w1, %b1 : (tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x6x6xf32>
  %y = yolo.add %b, %a : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// -----

// Stride 2 on both branches merges too (same sampling grid).
// CHECK-LABEL: func @merge_strided
// CHECK: yolo.conv2d %arg0, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT: yolo.add
func.func @merge_strided(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x3x3xf32> {
  %w3 = yolo.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w1 = yolo.constant dense<2.0> : tensor<1x1x1x1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %b = yolo.conv2d %x, %w1 {strides = array<i64: 2, 2>} : (tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x3x3xf32>
  %y = yolo.add %a, %b : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// Identity branch: + x adds 1 at the centre tap of channel o -> o.
// CHECK-LABEL: func @merge_identity
// CHECK: %[[W:.*]] = yolo.constant dense<{{\[\[\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00]]]]> : tensor<1x1x3x3xf32>
// CHECK: yolo.conv2d %arg0, %[[W]]
// CHECK-NOT: yolo.add
func.func @merge_identity(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32> {
  %w3 = yolo.constant dense<0.0> : tensor<1x1x3x3xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %y = yolo.add %a, %x : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// -----

// Identity through BatchNorm: tap s = 2 / sqrt(4) = 1, bias 3 - 1 * 1 = 2.
// CHECK-LABEL: func @merge_bn_identity
// CHECK-DAG: yolo.constant dense<2.000000e+00> : tensor<1xf32>
// CHECK-NOT: yolo.batch_norm
// CHECK-NOT: yolo.add
func.func @merge_bn_identity(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32> {
  %w3 = yolo.constant dense<0.0> : tensor<1x1x3x3xf32>
  %s = yolo.constant dense<2.0> : tensor<1xf32>
  %beta = yolo.constant dense<3.0> : tensor<1xf32>
  %m = yolo.constant dense<1.0> : tensor<1xf32>
  %v = yolo.constant dense<4.0> : tensor<1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %n = yolo.batch_norm %x, %s, %beta, %m, %v {epsilon = 0.0 : f32} : (tensor<1x1x6x6xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6x6xf32>
  %y = yolo.add %n, %a : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// -----

// Different inputs: not a RepConv.
// CHECK-LABEL: func @nomerge_different_inputs
// CHECK: yolo.add
func.func @nomerge_different_inputs(%x: tensor<1x1x6x6xf32>, %z: tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32> {
  %w3 = yolo.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w1 = yolo.constant dense<2.0> : tensor<1x1x1x1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %b = yolo.conv2d %z, %w1 : (tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x6x6xf32>
  %y = yolo.add %a, %b : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}

// -----

// The 1x1 branch has another user.
// CHECK-LABEL: func @nomerge_multi_use
// CHECK: yolo.add
func.func @nomerge_multi_use(%x: tensor<1x1x6x6xf32>) -> (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) {
  %w3 = yolo.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w1 = yolo.constant dense<2.0> : tensor<1x1x1x1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %b = yolo.conv2d %x, %w1 : (tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x6x6xf32>
  %y = yolo.add %a, %b : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  return %y, %b : tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>
}

// -----

// Strides differ: the branches sample different grids.
// CHECK-LABEL: func @nomerge_stride_mismatch
// CHECK: yolo.add
func.func @nomerge_stride_mismatch(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x3x3xf32> {
  %w3 = yolo.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w1 = yolo.constant dense<2.0> : tensor<1x1x1x1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %b = yolo.conv2d %x, %w1 {pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 3, 3>} : (tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x3x3xf32>
  %y = yolo.add %a, %b : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// A branch with a fused activation is not linear.
// CHECK-LABEL: func @nomerge_activation
// CHECK: yolo.add
func.func @nomerge_activation(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32> {
  %w3 = yolo.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w1 = yolo.constant dense<2.0> : tensor<1x1x1x1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>, activation = #yolo.activation<relu>} : (tensor<1x1x6x6xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x6xf32>
  %b = yolo.conv2d %x, %w1 : (tensor<1x1x6x6xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x6x6xf32>
  %y = yolo.add %a, %b : (tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  return %y : tensor<1x1x6x6xf32>
}
