// RUN: yolo-opt %s -split-input-file -yolo-fold-batchnorm | FileCheck %s
// RUN: yolo-opt %s -split-input-file -yolo-fold-batchnorm=decompose=true | FileCheck %s --check-prefix=DECOMP

// w = 2, s = 3 / sqrt(3 + 1) = 1.5: w' = 3, b' = (1 - 0.5) * 1.5 + 0.25 = 1.
// CHECK-LABEL: func @fold_with_bias
// CHECK-DAG: %[[W:.*]] = yolo.constant dense<3.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = yolo.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: %[[C:.*]] = yolo.conv2d %arg0, %[[W]], %[[B]] :
// CHECK-NOT: yolo.batch_norm
// CHECK: return %[[C]]
func.func @fold_with_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<2.0> : tensor<2x1x1x1xf32>
  %b = yolo.constant dense<1.0> : tensor<2xf32>
  %s = yolo.constant dense<3.0> : tensor<2xf32>
  %beta = yolo.constant dense<0.25> : tensor<2xf32>
  %m = yolo.constant dense<0.5> : tensor<2xf32>
  %v = yolo.constant dense<3.0> : tensor<2xf32>
  %c = yolo.conv2d %x, %w, %b : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.batch_norm %c, %s, %beta, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A bias is created when the convolution has none; per-channel values.
// s = [1, 2], w' = [1, 2], b' = (0 - [1, 2]) * [1, 2] + 0 = [-1, -4].
// CHECK-LABEL: func @fold_creates_bias
// CHECK-DAG: yolo.constant dense<[{{\[\[\[}}1.000000e+00]]], {{\[\[\[}}2.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: yolo.constant dense<[-1.000000e+00, -4.000000e+00]> : tensor<2xf32>
// CHECK-NOT: yolo.batch_norm
func.func @fold_creates_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %s = yolo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = yolo.constant dense<0.0> : tensor<2xf32>
  %m = yolo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %v = yolo.constant dense<1.0> : tensor<2xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.batch_norm %c, %s, %beta, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The convolution has a second user: folding would change it.
// CHECK-LABEL: func @nofold_multi_use
// CHECK: yolo.conv2d
// CHECK: yolo.batch_norm
func.func @nofold_multi_use(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = yolo.constant dense<1.0> : tensor<2xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.batch_norm %c, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Not produced by a convolution.
// CHECK-LABEL: func @nofold_not_conv
// CHECK: yolo.batch_norm %arg0
// With decompose: a multiply and an add (values: @decompose below).
// DECOMP-LABEL: func @nofold_not_conv
// DECOMP-NOT: yolo.batch_norm
// DECOMP: yolo.mul
// DECOMP: yolo.add
func.func @nofold_not_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %p = yolo.constant dense<1.0> : tensor<2xf32>
  %y = yolo.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The convolution already applies an activation: BN does not commute with it.
// CHECK-LABEL: func @nofold_activation
// CHECK: yolo.batch_norm
func.func @nofold_activation(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = yolo.constant dense<1.0> : tensor<2xf32>
  %c = yolo.conv2d %x, %w {activation = #yolo.activation<silu>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.batch_norm %c, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Statistics that are not constants.
// CHECK-LABEL: func @nofold_dynamic_stats
// CHECK: yolo.batch_norm
func.func @nofold_dynamic_stats(%x: tensor<1x1x4x4xf32>, %s: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %p = yolo.constant dense<1.0> : tensor<2xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.batch_norm %c, %s, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// decompose: x * s + t per channel, s = scale / sqrt(var + eps), t = beta -
// mean * s: s = [2 / sqrt(4), 6 / sqrt(9)] = [1, 2], t = [1 - 2 * 1,
// 0.5 - 3 * 2] = [-1, -5.5]; shaped [1, C, 1, 1] to broadcast over N, H
// and W.
// DECOMP-LABEL: func @decompose
// DECOMP-NOT: yolo.batch_norm
// DECOMP-DAG: %[[S:.*]] = yolo.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}2.000000e+00]]]]> : tensor<1x2x1x1xf32>
// DECOMP-DAG: %[[T:.*]] = yolo.constant dense<{{\[\[\[\[}}-1.000000e+00]], {{\[\[}}-5.500000e+00]]]]> : tensor<1x2x1x1xf32>
// DECOMP: %[[M:.*]] = yolo.mul %arg0, %[[S]]
// DECOMP: %[[A:.*]] = yolo.add %[[M]], %[[T]]
// DECOMP: return %[[A]]
// Without it the batch_norm stays.
// CHECK-LABEL: func @decompose
// CHECK: yolo.batch_norm
func.func @decompose(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = yolo.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %b = yolo.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %m = yolo.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %v = yolo.constant dense<[4.0, 9.0]> : tensor<2xf32>
  %y = yolo.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
