// RUN: yolo-opt %s -split-input-file -yolo-fuse-activation | FileCheck %s

// CHECK-LABEL: func @silu_into_conv
// CHECK: %[[C:.*]] = yolo.conv2d %arg0, %{{.*}} {activation = #yolo.activation<silu>}
// CHECK-NOT: yolo.sigmoid
// CHECK-NOT: yolo.mul
// CHECK: return %[[C]]
func.func @silu_into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %s = yolo.sigmoid %c : tensor<1x2x4x4xf32>
  %y = yolo.mul %c, %s : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// sigmoid(x) * x in the other order, on a non-conv value: becomes silu only.
// CHECK-LABEL: func @silu_swapped
// CHECK: %[[S:.*]] = yolo.silu %arg0
// CHECK: return %[[S]]
func.func @silu_swapped(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = yolo.sigmoid %x : tensor<1x2x4x4xf32>
  %y = yolo.mul %s, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func @leaky_relu_keeps_alpha
// CHECK: yolo.conv2d %arg0, %{{.*}} {activation = #yolo.activation<leaky_relu>, alpha = 1.000000e-01 : f32}
func.func @leaky_relu_keeps_alpha(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.leaky_relu %c {alpha = 0.1 : f32} : tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// x * sigmoid(z) with z != x is not SiLU.
// CHECK-LABEL: func @nofuse_gate
// CHECK: yolo.sigmoid
// CHECK: yolo.mul
func.func @nofuse_gate(%x: tensor<1x2x4x4xf32>, %z: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = yolo.sigmoid %z : tensor<1x2x4x4xf32>
  %y = yolo.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The convolution output is also used raw: the activation stays separate.
// CHECK-LABEL: func @nofuse_multi_use
// CHECK: %[[C:.*]] = yolo.conv2d %arg0, %{{.*}} : (
// CHECK: yolo.relu %[[C]]
func.func @nofuse_multi_use(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.relu %c : tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A convolution that already has an activation takes no second one.
// CHECK-LABEL: func @nofuse_double_activation
// CHECK: yolo.conv2d {{.*}}activation = #yolo.activation<relu>
// CHECK: yolo.sigmoid
func.func @nofuse_double_activation(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = yolo.conv2d %x, %w {activation = #yolo.activation<relu>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = yolo.sigmoid %c : tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
