// RUN: yolo-opt %s -split-input-file -yolo-bufferize | FileCheck %s

// How --yolo-bufferize lowers yolo.matmul: one ykernel.matmul whose
// operands have the output's rank.

// Attention: q^T k, softmax along the last axis, v attn^T. The transposes
// are kernels of their own (the matrix product reads unit-stride rows);
// the last product writes the caller's buffer.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[Q:.*]]: memref<1x2x8x25xf32>, %[[K:.*]]: memref<1x2x8x25xf32>, %[[V:.*]]: memref<1x2x16x25xf32>, %[[OUT:.*]]: memref<1x2x16x25xf32> {ykernel.output = 0 : i64})
// CHECK: ykernel.transpose ins(%[[Q]] : memref<1x2x8x25xf32>) outs(%[[QT:.*]] : memref<1x2x25x8xf32>) {perm = array<i64: 0, 1, 3, 2>}
// CHECK: ykernel.matmul ins(%[[QT]], %[[K]] : memref<1x2x25x8xf32>, memref<1x2x8x25xf32>) outs(%[[S:.*]] : memref<1x2x25x25xf32>)
// CHECK: ykernel.softmax ins(%[[S]] : memref<1x2x25x25xf32>) outs(%[[A:.*]] : memref<1x2x25x25xf32>) {axis = 3 : i64}
// CHECK: ykernel.transpose ins(%[[A]] : memref<1x2x25x25xf32>) outs(%[[AT:.*]] : memref<1x2x25x25xf32>) {perm = array<i64: 0, 1, 3, 2>}
// CHECK: ykernel.matmul ins(%[[V]], %[[AT]] : memref<1x2x16x25xf32>, memref<1x2x25x25xf32>) outs(%[[OUT]] : memref<1x2x16x25xf32>)
// CHECK-NOT: ykernel.copy
func.func @main(%q: tensor<1x2x8x25xf32>, %k: tensor<1x2x8x25xf32>, %v: tensor<1x2x16x25xf32>) -> tensor<1x2x16x25xf32> {
  %qt = yolo.transpose %q {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x8x25xf32>) -> tensor<1x2x25x8xf32>
  %s = yolo.matmul %qt, %k : (tensor<1x2x25x8xf32>, tensor<1x2x8x25xf32>) -> tensor<1x2x25x25xf32>
  %a = yolo.softmax %s {axis = 3 : i64} : tensor<1x2x25x25xf32>
  %at = yolo.transpose %a {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x25x25xf32>) -> tensor<1x2x25x25xf32>
  %o = yolo.matmul %v, %at : (tensor<1x2x16x25xf32>, tensor<1x2x25x25xf32>) -> tensor<1x2x16x25xf32>
  return %o : tensor<1x2x16x25xf32>
}

// -----

// A lower-rank operand is viewed with leading 1s: constant weights [K, N]
// as [1, 1, K, N] (broadcast over the batch), a [2, K, N] rhs as
// [1, 2, K, N]. A slice of a concat-like buffer is read in place.
// CHECK-LABEL: func @main
// CHECK: %[[W:.*]] = memref.get_global @cst : memref<6x4xf32>
// CHECK: %[[W4:.*]] = memref.reinterpret_cast %[[W]] to offset: [0], sizes: [1, 1, 6, 4], strides: [24, 24, 4, 1]
// CHECK: ykernel.matmul ins(%{{.*}}, %[[W4]] : memref<3x2x5x6xf32, strided<[120, 30, 6, 1], offset: 60>>, memref<1x1x6x4xf32, strided<[24, 24, 4, 1]>>) outs(%{{.*}} : memref<3x2x5x4xf32>)
// CHECK: %[[B4:.*]] = memref.reinterpret_cast %arg1 to offset: [0], sizes: [1, 2, 4, 3], strides: [24, 12, 3, 1]
// CHECK: ykernel.matmul ins(%{{.*}}, %[[B4]] : memref<3x2x5x4xf32>, memref<1x2x4x3xf32, strided<[24, 12, 3, 1]>>) outs(%arg2 : memref<3x2x5x3xf32>)
func.func @main(%x: tensor<3x4x5x6xf32>, %b: tensor<2x4x3xf32>) -> tensor<3x2x5x3xf32> {
  %xs = yolo.slice %x {offsets = array<i64: 0, 2, 0, 0>, sizes = array<i64: 3, 2, 5, 6>, strides = array<i64: 1, 1, 1, 1>} : (tensor<3x4x5x6xf32>) -> tensor<3x2x5x6xf32>
  %w = yolo.constant dense<0.5> : tensor<6x4xf32>
  %0 = yolo.matmul %xs, %w : (tensor<3x2x5x6xf32>, tensor<6x4xf32>) -> tensor<3x2x5x4xf32>
  %1 = yolo.matmul %0, %b : (tensor<3x2x5x4xf32>, tensor<2x4x3xf32>) -> tensor<3x2x5x3xf32>
  return %1 : tensor<3x2x5x3xf32>
}
