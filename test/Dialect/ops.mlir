// RUN: yolo-opt %s | yolo-opt | FileCheck %s
// RUN: yolo-opt %s --mlir-print-op-generic | yolo-opt | FileCheck %s

// CHECK-LABEL: func @constants
// CHECK: yolo.constant dense_resource<blob0> : tensor<2x2xf32>
// CHECK: yolo.constant dense<0.000000e+00> : tensor<1xf32>
func.func @constants() -> (tensor<2x2xf32>, tensor<1xf32>) {
  %a = yolo.constant dense_resource<blob0> : tensor<2x2xf32>
  %b = yolo.constant dense<0.0> : tensor<1xf32>
  return %a, %b : tensor<2x2xf32>, tensor<1xf32>
}

// CHECK-LABEL: func @conv
// CHECK: yolo.conv2d %arg0, %arg1 : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: yolo.conv2d %arg0, %arg2, %arg3 {activation = #yolo.activation<silu>, dilations = array<i64: 2, 2>, groups = 2 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK: activation = #yolo.activation<sigmoid>
// CHECK: activation = #yolo.activation<relu>
// CHECK: {activation = #yolo.activation<leaky_relu>, alpha = 2.000000e-01 : f32}
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %wg: tensor<8x2x3x3xf32>, %b: tensor<8xf32>) -> (tensor<1x8x6x6xf32>, tensor<1x8x4x4xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) {
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  %1 = yolo.conv2d %x, %wg, %b {strides = array<i64: 2, 2>, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>, groups = 2 : i64, activation = #yolo.activation<silu>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %2 = yolo.conv2d %x, %w, %b {activation = #yolo.activation<sigmoid>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  %3 = yolo.conv2d %x, %w, %b {activation = #yolo.activation<relu>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  %4 = yolo.conv2d %x, %w, %b {activation = #yolo.activation<leaky_relu>, alpha = 0.2 : f32} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  return %0, %1, %2, %3, %4 : tensor<1x8x6x6xf32>, tensor<1x8x4x4xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>
}

// CHECK-LABEL: func @batch_norm
// CHECK: yolo.batch_norm %arg0, %arg1, %arg1, %arg1, %arg1 {epsilon = 1.000000e-03 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
func.func @batch_norm(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-3 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// CHECK-LABEL: func @pointwise
// CHECK: yolo.silu %arg0 : tensor<1x4x2x2xf32>
// CHECK: yolo.sigmoid %{{.*}} : tensor<1x4x2x2xf32>
// CHECK: yolo.relu %{{.*}} : tensor<1x4x2x2xf32>
// CHECK: yolo.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<1x4x2x2xf32>
// CHECK: yolo.add %{{.*}}, %arg1 : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
// CHECK: yolo.sub %arg1, %{{.*}} : (tensor<1x4x1x1xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: yolo.mul %{{.*}}, %arg2 : (tensor<1x4x2x2xf32>, tensor<2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: yolo.div %{{.*}}, %{{.*}} : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: yolo.softmax %{{.*}} {axis = 1 : i64} : tensor<1x4x2x2xf32>
func.func @pointwise(%x: tensor<1x4x2x2xf32>, %c: tensor<1x4x1x1xf32>, %r: tensor<2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.silu %x : tensor<1x4x2x2xf32>
  %1 = yolo.sigmoid %0 : tensor<1x4x2x2xf32>
  %2 = yolo.relu %1 : tensor<1x4x2x2xf32>
  %3 = yolo.leaky_relu %2 {alpha = 0.1 : f32} : tensor<1x4x2x2xf32>
  %4 = yolo.add %3, %c : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %5 = yolo.sub %c, %4 : (tensor<1x4x1x1xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %6 = yolo.mul %5, %r : (tensor<1x4x2x2xf32>, tensor<2xf32>) -> tensor<1x4x2x2xf32>
  %7 = yolo.div %6, %6 : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %8 = yolo.softmax %7 {axis = 1 : i64} : tensor<1x4x2x2xf32>
  return %8 : tensor<1x4x2x2xf32>
}

// CHECK-LABEL: func @reductions
// CHECK: yolo.reduce_sum %arg0 {axes = array<i64: 0>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: yolo.reduce_sum %arg0 {axes = array<i64: 2, 3>} : (tensor<3x1x4x2x2xf32>) -> tensor<3x1x1x1x2xf32>
func.func @reductions(%x: tensor<3x1x4x2x2xf32>) -> (tensor<1x4x2x2xf32>, tensor<3x1x1x1x2xf32>) {
  %0 = yolo.reduce_sum %x {axes = array<i64: 0>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.reduce_sum %x {axes = array<i64: 2, 3>} : (tensor<3x1x4x2x2xf32>) -> tensor<3x1x1x1x2xf32>
  return %0, %1 : tensor<1x4x2x2xf32>, tensor<3x1x1x1x2xf32>
}

// CHECK-LABEL: func @pooling
// CHECK: yolo.max_pool %arg0 {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x20xf32>
// CHECK: yolo.max_pool %arg0 {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x10x10xf32>
// CHECK: yolo.avg_pool %arg0 {count_include_pad = true, kernel = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x19x19xf32>
// CHECK: yolo.resize %arg0 {scales = array<i64: 2, 3>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x60xf32>
func.func @pooling(%x: tensor<1x8x20x20xf32>) -> (tensor<1x8x20x20xf32>, tensor<1x8x10x10xf32>, tensor<1x8x19x19xf32>, tensor<1x8x40x60xf32>) {
  %0 = yolo.max_pool %x {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x20xf32>
  %1 = yolo.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x10x10xf32>
  %2 = yolo.avg_pool %x {kernel = array<i64: 2, 2>, count_include_pad = true} : (tensor<1x8x20x20xf32>) -> tensor<1x8x19x19xf32>
  %3 = yolo.resize %x {scales = array<i64: 2, 3>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x60xf32>
  return %0, %1, %2, %3 : tensor<1x8x20x20xf32>, tensor<1x8x10x10xf32>, tensor<1x8x19x19xf32>, tensor<1x8x40x60xf32>
}

// CHECK-LABEL: func @data_movement
// CHECK: yolo.concat %arg0, %arg1 {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x24x4x4xf32>
// CHECK: yolo.slice %arg1 {offsets = array<i64: 0, 8, 0, 0>, sizes = array<i64: 1, 4, 2, 4>, strides = array<i64: 1, 2, 2, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x4x2x4xf32>
// CHECK: yolo.split %arg1 {axis = 1 : i64, sizes = array<i64: 6, 10>} : (tensor<1x16x4x4xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x10x4x4xf32>)
// CHECK: yolo.pad %arg0 {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>, value = -1.000000e+00 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x8x5x5xf32>
// CHECK: yolo.reshape %arg1 {shape = array<i64: 1, 16, 16>} : (tensor<1x16x4x4xf32>) -> tensor<1x16x16xf32>
// CHECK: yolo.transpose %arg1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x4x4xf32>) -> tensor<1x4x16x4xf32>
func.func @data_movement(%a: tensor<1x8x4x4xf32>, %b: tensor<1x16x4x4xf32>) -> (tensor<1x24x4x4xf32>, tensor<1x4x2x4xf32>, tensor<1x6x4x4xf32>, tensor<1x10x4x4xf32>, tensor<1x8x5x5xf32>, tensor<1x16x16xf32>, tensor<1x4x16x4xf32>) {
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x24x4x4xf32>
  %1 = yolo.slice %b {offsets = array<i64: 0, 8, 0, 0>, sizes = array<i64: 1, 4, 2, 4>, strides = array<i64: 1, 2, 2, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x4x2x4xf32>
  %2:2 = yolo.split %b {axis = 1 : i64, sizes = array<i64: 6, 10>} : (tensor<1x16x4x4xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x10x4x4xf32>)
  %3 = yolo.pad %a {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>, value = -1.0 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x8x5x5xf32>
  %4 = yolo.reshape %b {shape = array<i64: 1, 16, 16>} : (tensor<1x16x4x4xf32>) -> tensor<1x16x16xf32>
  %5 = yolo.transpose %b {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x4x4xf32>) -> tensor<1x4x16x4xf32>
  return %0, %1, %2#0, %2#1, %3, %4, %5 : tensor<1x24x4x4xf32>, tensor<1x4x2x4xf32>, tensor<1x6x4x4xf32>, tensor<1x10x4x4xf32>, tensor<1x8x5x5xf32>, tensor<1x16x16xf32>, tensor<1x4x16x4xf32>
}

// CHECK-LABEL: func @decode
// CHECK: yolo.decode_detections %arg0 {grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>, strides = array<i64: 8, 16, 32>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
func.func @decode(%x: tensor<1x144x84xf32>) -> tensor<1x84x84xf32> {
  %0 = yolo.decode_detections %x {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return %0 : tensor<1x84x84xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob0: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
