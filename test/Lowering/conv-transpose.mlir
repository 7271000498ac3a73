// RUN: yolo-opt %s -split-input-file -yolo-bufferize | FileCheck %s

// How --yolo-bufferize lowers yolo.conv_transpose.

// A transposed convolution whose kernel is its stride (Ultralytics' 2x2
// upsampling), with constant weights: a 1x1 convolution to
// C_out * 2 * 2 = 8 channels, weights rearranged to [(co, ky, kx), ci]
// and the bias repeated per tap, then a transpose that interleaves the
// taps into the output. The original weights leave no global behind.
// w[ci, co, ky, kx] = ci * 8 + co * 4 + ky * 2 + kx + 1; row (co, ky, kx)
// of the product holds w[0..1, co, ky, kx].
// The rearranged weights and the repeated bias (globals come first).
// CHECK-NOT: memref<2x2x2x2xf32>
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<8x2x1x1xf32> = dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}9.000000e+00]]], {{\[\[\[}}2.000000e+00]], {{\[\[}}1.000000e+01]]], {{\[\[\[}}3.000000e+00]], {{\[\[}}1.100000e+01]]], {{\[\[\[}}4.000000e+00]], {{\[\[}}1.200000e+01]]], {{\[\[\[}}5.000000e+00]], {{\[\[}}1.300000e+01]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}1.400000e+01]]], {{\[\[\[}}7.000000e+00]], {{\[\[}}1.500000e+01]]], {{\[\[\[}}8.000000e+00]], {{\[\[}}1.600000e+01]]]]>
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<8xf32> = dense<[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01, -1.000000e+00, -1.000000e+00, -1.000000e+00, -1.000000e+00]>
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: memref<1x2x3x4xf32>, %[[OUT:.*]]: memref<1x2x6x8xf32> {ykernel.output = 0 : i64})
// CHECK-NOT: memref<2x2x2x2xf32>
// CHECK-DAG: %[[W:.*]] = memref.get_global @{{.*}} : memref<8x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = memref.get_global @{{.*}} : memref<8xf32>
// CHECK: %[[P:.*]] = memref.alloc() : memref<1x8x3x4xf32>
// CHECK: ykernel.conv2d ins(%[[X]], %[[W]], %[[B]] : memref<1x2x3x4xf32>, memref<8x2x1x1xf32>, memref<8xf32>) outs(%[[P]] : memref<1x8x3x4xf32>) {activation = #yolo.activation<none>, alpha = 0.000000e+00 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK: %[[FROM:.*]] = memref.reinterpret_cast %[[P]] to offset: [0], sizes: [1, 2, 2, 2, 3, 4], strides: [96, 48, 24, 12, 4, 1]
// CHECK: %[[TO:.*]] = memref.reinterpret_cast %[[OUT]] to offset: [0], sizes: [1, 2, 3, 2, 4, 2], strides: [96, 48, 16, 8, 2, 1]
// CHECK: ykernel.transpose ins(%[[FROM]] : {{.*}}) outs(%[[TO]] : {{.*}}) {perm = array<i64: 0, 1, 4, 2, 5, 3>}
// CHECK-NOT: ykernel
func.func @main(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x6x8xf32> {
  %w = yolo.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]], [[[9.0, 10.0], [11.0, 12.0]], [[13.0, 14.0], [15.0, 16.0]]]]> : tensor<2x2x2x2xf32>
  %b = yolo.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %y = yolo.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<1x2x3x4xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x6x8xf32>
  return %y : tensor<1x2x6x8xf32>
}

// -----

// Weights that are not constants, or any other transposed convolution,
// stay one ykernel.conv_transpose (the gather kernel); a missing bias reads
// the shared zero global.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: memref<1x2x3x4xf32>, %[[W:.*]]: memref<2x2x2x2xf32>, %[[OUT:.*]]: memref<1x2x6x8xf32> {ykernel.output = 0 : i64})
// CHECK: %[[Z:.*]] = memref.get_global @zeros_2 : memref<2xf32>
// CHECK: ykernel.conv_transpose ins(%[[X]], %[[W]], %[[Z]] : memref<1x2x3x4xf32>, memref<2x2x2x2xf32>, memref<2xf32>) outs(%[[OUT]] : memref<1x2x6x8xf32>) {dilations = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
func.func @main(%x: tensor<1x2x3x4xf32>, %w: tensor<2x2x2x2xf32>) -> tensor<1x2x6x8xf32> {
  %y = yolo.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x2x3x4xf32>, tensor<2x2x2x2xf32>) -> tensor<1x2x6x8xf32>
  return %y : tensor<1x2x6x8xf32>
}
