// RUN: yolo-opt %s -yolo-bufferize | FileCheck %s
// RUN: yolo-opt %s --yolo-lower-to-kernels="targets=x86-64-linux-avx2" -o %t.lowered.mlir
// RUN: yolo-translate --emit-halide-plan %t.lowered.mlir | FileCheck %s --check-prefix=PLAN

// yolo.resize lowers to one ykernel.resize with its mode, coordinate mode
// and coordinate scales (the output size is the buffer's); a nearest
// resize keeps its integer scales and prints as before. A linear resize
// is its own kernel kind in the plan, specialized on the mode and scales.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: memref<1x4x7x5xf32>, %[[OUT0:.*]]: memref<1x4x10x7xf32> {ykernel.output = 0 : i64}, %[[OUT1:.*]]: memref<1x4x1x5xf32> {ykernel.output = 1 : i64}, %[[OUT2:.*]]: memref<1x4x14x10xf32> {ykernel.output = 2 : i64}, %[[OUT3:.*]]: memref<1x4x14x10xf32> {ykernel.output = 3 : i64})
// CHECK: ykernel.resize ins(%[[X]] : memref<1x4x7x5xf32>) outs(%[[OUT0]] : memref<1x4x10x7xf32>) {coordinate_mode = #yolo.coordinate_mode<half_pixel>, coordinate_scales = array<f32: 1.500000e+00, 1.500000e+00>, mode = #yolo.resize_mode<linear>}
// CHECK: ykernel.resize ins(%[[X]] : memref<1x4x7x5xf32>) outs(%[[OUT1]] : memref<1x4x1x5xf32>) {coordinate_mode = #yolo.coordinate_mode<pytorch_half_pixel>, coordinate_scales = array<f32: 0.142857149, 1.000000e+00>, mode = #yolo.resize_mode<linear>}
// CHECK: ykernel.resize ins(%[[X]] : memref<1x4x7x5xf32>) outs(%[[OUT2]] : memref<1x4x14x10xf32>) {coordinate_scales = array<f32: 2.000000e+00, 2.000000e+00>, mode = #yolo.resize_mode<linear>}
// CHECK: ykernel.resize ins(%[[X]] : memref<1x4x7x5xf32>) outs(%[[OUT3]] : memref<1x4x14x10xf32>) {scales = array<i64: 2, 2>}
// PLAN: kernel 0: resize_linear 1x4x7x5 -> 1x4x10x7
// PLAN-NEXT: kernel 1: resize_linear 1x4x7x5 -> 1x4x1x5
// PLAN-NEXT: kernel 2: resize_linear 1x4x7x5 -> 1x4x14x10
// PLAN-NEXT: kernel 3: resize 1x4x7x5 -> 1x4x14x10
func.func @main(%x: tensor<1x4x7x5xf32>) -> (tensor<1x4x10x7xf32>, tensor<1x4x1x5xf32>, tensor<1x4x14x10xf32>, tensor<1x4x14x10xf32>) {
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<half_pixel>, size = array<i64: 10, 7>, coordinate_scales = array<f32: 1.5, 1.5>} : (tensor<1x4x7x5xf32>) -> tensor<1x4x10x7xf32>
  %1 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<pytorch_half_pixel>, size = array<i64: 1, 5>, coordinate_scales = array<f32: 0.142857149, 1.0>} : (tensor<1x4x7x5xf32>) -> tensor<1x4x1x5xf32>
  %2 = yolo.resize %x {mode = #yolo.resize_mode<linear>, size = array<i64: 14, 10>, coordinate_scales = array<f32: 2.0, 2.0>} : (tensor<1x4x7x5xf32>) -> tensor<1x4x14x10xf32>
  %3 = yolo.resize %x {scales = array<i64: 2, 2>} : (tensor<1x4x7x5xf32>) -> tensor<1x4x14x10xf32>
  return %0, %1, %2, %3 : tensor<1x4x10x7xf32>, tensor<1x4x1x5xf32>, tensor<1x4x14x10xf32>, tensor<1x4x14x10xf32>
}
