// RUN: yolo-opt %s -split-input-file -yolo-bufferize -verify-diagnostics | FileCheck %s

// An ELAN-like block: cv1's output is split in two halves, the second
// half feeds a convolution, and both halves and that convolution's output
// are concatenated into the function's result.
// - The concat buffer is the caller's output argument: nothing allocated.
// - cv1 writes into the first 8 channels of it, its halves are views.
// - m writes into the last 4 channels: no copy anywhere.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: memref<1x4x8x8xf32> {yolo.name = "images"},
// CHECK-SAME: %[[OUT:.*]]: memref<1x12x8x8xf32> {ykernel.output = 0 : i64, yolo.name = "output0"})
// CHECK-NOT: memref.alloc
// CHECK-DAG: %[[CV1:.*]] = memref.subview %[[OUT]][0, 0, 0, 0] [1, 8, 8, 8] [1, 1, 1, 1] : memref<1x12x8x8xf32> to memref<1x8x8x8xf32, strided<[768, 64, 8, 1]>>
// CHECK-DAG: %[[M:.*]] = memref.subview %[[OUT]][0, 8, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x12x8x8xf32> to memref<1x4x8x8xf32, strided<[768, 64, 8, 1], offset: 512>>
// CHECK: ykernel.conv2d ins(%[[X]], %{{.*}}, %{{.*}} : {{.*}}) outs(%[[CV1]] : {{.*}}) {{.*}}activation = #yolo.activation<silu>
// CHECK: %[[B:.*]] = memref.subview %[[CV1]][0, 4, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1]
// CHECK: ykernel.conv2d ins(%[[B]], %{{.*}}, %{{.*}} : {{.*}}) outs(%[[M]] :
// CHECK-NOT: ykernel.copy
// CHECK: return
// CHECK-NOT: ykernel
func.func @main(%x: tensor<1x4x8x8xf32> {yolo.name = "images"}) -> (tensor<1x12x8x8xf32> {yolo.name = "output0"}) {
  %w1 = yolo.constant dense<0.5> : tensor<8x4x1x1xf32>
  %b1 = yolo.constant dense<0.0> : tensor<8xf32>
  %c = yolo.conv2d %x, %w1, %b1 {activation = #yolo.activation<silu>} : (tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32> loc("cv1")
  %a, %b = yolo.split %c {axis = 1 : i64, sizes = array<i64: 4, 4>} : (tensor<1x8x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>)
  %w2 = yolo.constant dense<0.25> : tensor<4x4x3x3xf32>
  %m = yolo.conv2d %b, %w2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32> loc("m")
  %y = yolo.concat %a, %b, %m {axis = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x12x8x8xf32>
  return %y : tensor<1x12x8x8xf32>
}

// -----

// Constants are globals (a convolution without bias reads a shared zero
// global); a function argument inside a concat is copied into its slot; a
// concat that is not a result gets its own allocation.
// CHECK-DAG: memref.global "private" constant @cst : memref<2x2x1x1xf32> = dense<1.000000e+00> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @zeros_2 : memref<2xf32> = dense<0.000000e+00> {alignment = 64 : i64}
// CHECK-LABEL: func @main
// CHECK: %[[CAT:.*]] = memref.alloc() : memref<1x4x2x2xf32>
// CHECK: %[[SLOT1:.*]] = memref.subview %[[CAT]][0, 2, 0, 0] [1, 2, 2, 2]
// CHECK: %[[W:.*]] = memref.get_global @cst
// CHECK: %[[Z:.*]] = memref.get_global @zeros_2
// CHECK: ykernel.conv2d ins(%arg0, %[[W]], %[[Z]] : {{.*}}) outs(%[[SLOT1]]
// CHECK: %[[SLOT0:.*]] = memref.subview %[[CAT]][0, 0, 0, 0] [1, 2, 2, 2]
// CHECK: ykernel.copy ins(%arg0 : memref<1x2x2x2xf32>) outs(%[[SLOT0]]
// CHECK: ykernel.unary ins(%[[CAT]] : memref<1x4x2x2xf32>) outs(%arg1 : memref<1x4x2x2xf32>) {activation = #yolo.activation<sigmoid>, alpha = 0.000000e+00 : f32}
func.func @main(%x: tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = yolo.concat %x, %c {axis = 1 : i64} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  %s = yolo.sigmoid %y : tensor<1x4x2x2xf32>
  return %s : tensor<1x4x2x2xf32>
}

// -----

// A reshape of a contiguous tensor is a view; of a strided slice, a copy
// first. A result that is a view (not computed by a kernel) is copied into
// the output argument.
// CHECK-LABEL: func @main
// CHECK: ykernel.binary ins(%arg0, %arg0 : {{.*}}) outs(%[[SUM:.*]] : memref<1x4x2x2xf32>) {kind = #ykernel.binary<add>}
// CHECK: %[[HALF:.*]] = memref.subview %[[SUM]][0, 0, 0, 0] [1, 4, 1, 2] [1, 1, 1, 1]
// CHECK: %[[TMP:.*]] = memref.alloc() : memref<1x4x1x2xf32>
// CHECK: ykernel.copy ins(%[[HALF]] : {{.*}}) outs(%[[TMP]] : memref<1x4x1x2xf32>)
// CHECK: %[[R:.*]] = memref.reinterpret_cast %[[TMP]] to offset: [0], sizes: [1, 8], strides: [8, 1]
// CHECK: ykernel.copy ins(%[[R]] : memref<1x8xf32, strided<[8, 1]>>) outs(%arg1 : memref<1x8xf32>)
func.func @main(%x: tensor<1x4x2x2xf32>) -> tensor<1x8xf32> {
  %s = yolo.add %x, %x : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %h = yolo.slice %s {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 4, 1, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x2xf32>
  %r = yolo.reshape %h {shape = array<i64: 1, 8>} : (tensor<1x4x1x2xf32>) -> tensor<1x8xf32>
  return %r : tensor<1x8xf32>
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = yolo.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{'yolo.batch_norm' op reached the back end: run --yolo-optimize first}}
  %y = yolo.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x2xf32> {
  %h = yolo.slice %x {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 2>, strides = array<i64: 1, 1, 1, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x2xf32>
  // expected-error @+1 {{'yolo.relu' op strided access along the innermost dimension is not supported}}
  %y = yolo.relu %h : tensor<1x2x4x2xf32>
  return %y : tensor<1x2x4x2xf32>
}
