// RUN: yolo-opt %s -split-input-file -canonicalize | FileCheck %s

// The folders of the yolo ops: each identity with a case that folds and a
// _nofold case that must stay.

//===----------------------------------------------------------------------===//
// yolo.constant
//===----------------------------------------------------------------------===//

// Constants fold to their value, so equal ones are merged.
// CHECK-LABEL: func @constant_dedup
// CHECK-NEXT: %[[C:.*]] = yolo.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK-NEXT: return %[[C]], %[[C]]
func.func @constant_dedup() -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = yolo.constant dense<2.0> : tensor<4xf32>
  %1 = yolo.constant dense<2.0> : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @constant_dedup_nofold
// CHECK-DAG: %[[A:.*]] = yolo.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[B:.*]] = yolo.constant dense<3.000000e+00> : tensor<4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @constant_dedup_nofold() -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = yolo.constant dense<2.0> : tensor<4xf32>
  %1 = yolo.constant dense<3.0> : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// yolo.add, yolo.sub, yolo.mul, yolo.div
//===----------------------------------------------------------------------===//

// The zero broadcasts to x's shape: the result type is x's type.
// CHECK-LABEL: func @add_zero
// CHECK-NOT: yolo.add
// CHECK: return %arg0
func.func @add_zero(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<1xf32>
  %0 = yolo.add %x, %z : (tensor<1x4xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// The constant on the left is moved right (add is commutative), then folds.
// CHECK-LABEL: func @zero_add
// CHECK-NOT: yolo.add
// CHECK: return %arg0
func.func @zero_add(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<1xf32>
  %0 = yolo.add %z, %x : (tensor<1xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// Either zero folds: x + -0 is exactly x; x + +0 is x up to the sign of a
// zero x, which inference does not care about (TOSA folds it the same way).
// CHECK-LABEL: func @add_zero_f16
// CHECK-NOT: yolo.add
// CHECK: return %arg0
func.func @add_zero_f16(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %z = yolo.constant dense<-0.0> : tensor<2x3xf16>
  %0 = yolo.add %x, %z : (tensor<2x3xf16>, tensor<2x3xf16>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

// CHECK-LABEL: func @add_nonzero_nofold
// CHECK: %[[C:.*]] = yolo.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK-NEXT: %[[R:.*]] = yolo.add %arg0, %[[C]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @add_nonzero_nofold(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = yolo.constant dense<0.5> : tensor<4xf32>
  %0 = yolo.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Only some elements are zero.
// CHECK-LABEL: func @add_not_splat_nofold
// CHECK: %[[C:.*]] = yolo.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[R:.*]] = yolo.add %arg0, %[[C]]
// CHECK-NEXT: return %[[R]]
func.func @add_not_splat_nofold(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = yolo.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = yolo.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Adding zero broadcasts x here: the result type differs, the add stays.
// CHECK-LABEL: func @add_zero_broadcasting_nofold
// CHECK: %[[Z:.*]] = yolo.constant dense<0.000000e+00> : tensor<2x4xf32>
// CHECK-NEXT: %[[R:.*]] = yolo.add %arg0, %[[Z]] : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @add_zero_broadcasting_nofold(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<2x4xf32>
  %0 = yolo.add %x, %z : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @add_not_constant_nofold
// CHECK-NEXT: %[[R:.*]] = yolo.add %arg0, %arg1
// CHECK-NEXT: return %[[R]]
func.func @add_not_constant_nofold(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = yolo.add %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @sub_zero
// CHECK-NOT: yolo.sub
// CHECK: return %arg0
func.func @sub_zero(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<4xf32>
  %0 = yolo.sub %x, %z : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// 0 - x is -x: sub is not commutative.
// CHECK-LABEL: func @zero_sub_nofold
// CHECK: %[[Z:.*]] = yolo.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[R:.*]] = yolo.sub %[[Z]], %arg0
// CHECK-NEXT: return %[[R]]
func.func @zero_sub_nofold(%x: tensor<4xf32>) -> tensor<4xf32> {
  %z = yolo.constant dense<0.0> : tensor<4xf32>
  %0 = yolo.sub %z, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @mul_one
// CHECK-NOT: yolo.mul
// CHECK: return %arg0, %arg0
func.func @mul_one(%x: tensor<1x4x2x2xf32>) -> (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) {
  %o = yolo.constant dense<1.0> : tensor<1x4x1x1xf32>
  %0 = yolo.mul %x, %o : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.mul %o, %x : (tensor<1x4x1x1xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0, %1 : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @mul_one_bf16
// CHECK-NOT: yolo.mul
// CHECK: return %arg0
func.func @mul_one_bf16(%x: tensor<3xbf16>) -> tensor<3xbf16> {
  %o = yolo.constant dense<1.0> : tensor<bf16>
  %0 = yolo.mul %x, %o : (tensor<3xbf16>, tensor<bf16>) -> tensor<3xbf16>
  return %0 : tensor<3xbf16>
}

// -----

// x * 0 is not 0 for infinities and NaNs; x * 2 is not x.
// CHECK-LABEL: func @mul_nofold
// CHECK-DAG: %[[Z:.*]] = yolo.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[T:.*]] = yolo.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK: %[[A:.*]] = yolo.mul %arg0, %[[Z]]
// CHECK-NEXT: %[[B:.*]] = yolo.mul %arg0, %[[T]]
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @mul_nofold(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %z = yolo.constant dense<0.0> : tensor<4xf32>
  %t = yolo.constant dense<2.0> : tensor<4xf32>
  %0 = yolo.mul %x, %z : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = yolo.mul %x, %t : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @div_one
// CHECK-NOT: yolo.div
// CHECK: return %arg0
func.func @div_one(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %o = yolo.constant dense<1.0> : tensor<2x1xf32>
  %0 = yolo.div %x, %o : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// 1 / x is a reciprocal: div is not commutative.
// CHECK-LABEL: func @one_div_nofold
// CHECK: %[[O:.*]] = yolo.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[R:.*]] = yolo.div %[[O]], %arg0
// CHECK-NEXT: return %[[R]]
func.func @one_div_nofold(%x: tensor<4xf32>) -> tensor<4xf32> {
  %o = yolo.constant dense<1.0> : tensor<4xf32>
  %0 = yolo.div %o, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @div_one_broadcasting_nofold
// CHECK: %[[O:.*]] = yolo.constant dense<1.000000e+00> : tensor<3x4xf32>
// CHECK-NEXT: %[[R:.*]] = yolo.div %arg0, %[[O]] : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @div_one_broadcasting_nofold(%x: tensor<4xf32>) -> tensor<3x4xf32> {
  %o = yolo.constant dense<1.0> : tensor<3x4xf32>
  %0 = yolo.div %x, %o : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// yolo.reduce_sum
//===----------------------------------------------------------------------===//

// Summing over unit dimensions, kept, or over no dimension is the identity.
// CHECK-LABEL: func @reduce_sum_unit_dims
// CHECK-NOT: yolo.reduce_sum
// CHECK: return %arg0, %arg0
func.func @reduce_sum_unit_dims(%x: tensor<1x4x1x2xf32>) -> (tensor<1x4x1x2xf32>, tensor<1x4x1x2xf32>) {
  %0 = yolo.reduce_sum %x {axes = array<i64: 0, 2>} : (tensor<1x4x1x2xf32>) -> tensor<1x4x1x2xf32>
  %1 = yolo.reduce_sum %x {axes = array<i64>, keep_dims = false} : (tensor<1x4x1x2xf32>) -> tensor<1x4x1x2xf32>
  return %0, %1 : tensor<1x4x1x2xf32>, tensor<1x4x1x2xf32>
}

// -----

// Dropping the unit dimension changes the type; summing over 4 values is
// not the identity.
// CHECK-LABEL: func @reduce_sum_nofold
// CHECK-NEXT: %[[DROP:.*]] = yolo.reduce_sum %arg0 {axes = array<i64: 0>, keep_dims = false} : (tensor<1x4x1x2xf32>) -> tensor<4x1x2xf32>
// CHECK-NEXT: %[[SUM:.*]] = yolo.reduce_sum %arg0 {axes = array<i64: 0, 1>} : (tensor<1x4x1x2xf32>) -> tensor<1x1x1x2xf32>
// CHECK-NEXT: return %[[DROP]], %[[SUM]]
func.func @reduce_sum_nofold(%x: tensor<1x4x1x2xf32>) -> (tensor<4x1x2xf32>, tensor<1x1x1x2xf32>) {
  %0 = yolo.reduce_sum %x {axes = array<i64: 0>, keep_dims = false} : (tensor<1x4x1x2xf32>) -> tensor<4x1x2xf32>
  %1 = yolo.reduce_sum %x {axes = array<i64: 0, 1>} : (tensor<1x4x1x2xf32>) -> tensor<1x1x1x2xf32>
  return %0, %1 : tensor<4x1x2xf32>, tensor<1x1x1x2xf32>
}

// -----

// YOLOv9-E's CBFuse, sum(stack(xs), 0): a chain of adds in the stack's
// order, on the pieces without their unit axis; the stack is gone.
// CHECK-LABEL: func @sum_of_stack
// CHECK-NEXT: %[[A:.*]] = yolo.add %arg0, %arg1 : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[B:.*]] = yolo.add %[[A]], %arg2
// CHECK-NEXT: return %[[B]]
func.func @sum_of_stack(%a: tensor<1x4x2x2xf32>, %b: tensor<1x4x2x2xf32>, %c: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.reshape %a {shape = array<i64: 1, 1, 4, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x1x4x2x2xf32>
  %1 = yolo.reshape %b {shape = array<i64: 1, 1, 4, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x1x4x2x2xf32>
  %2 = yolo.reshape %c {shape = array<i64: 1, 1, 4, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x1x4x2x2xf32>
  %3 = yolo.concat %0, %1, %2 {axis = 0 : i64} : (tensor<1x1x4x2x2xf32>, tensor<1x1x4x2x2xf32>, tensor<1x1x4x2x2xf32>) -> tensor<3x1x4x2x2xf32>
  %4 = yolo.reduce_sum %3 {axes = array<i64: 0>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %4 : tensor<1x4x2x2xf32>
}

// -----

// Kept dimensions: the pieces already have the result's shape.
// CHECK-LABEL: func @sum_of_stack_keep_dims
// CHECK-NEXT: %[[A:.*]] = yolo.add %arg0, %arg1 : (tensor<4x1x2xf32>, tensor<4x1x2xf32>) -> tensor<4x1x2xf32>
// CHECK-NEXT: return %[[A]]
func.func @sum_of_stack_keep_dims(%a: tensor<4x1x2xf32>, %b: tensor<4x1x2xf32>) -> tensor<4x1x2xf32> {
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<4x1x2xf32>, tensor<4x1x2xf32>) -> tensor<4x2x2xf32>
  %1 = yolo.reduce_sum %0 {axes = array<i64: 1>} : (tensor<4x2x2xf32>) -> tensor<4x1x2xf32>
  return %1 : tensor<4x1x2xf32>
}

// -----

// Pieces wider than one along the summed axis, a concat along another
// axis, and a sum over two axes stay as they are.
// CHECK-LABEL: func @sum_of_stack_nofold
// CHECK-NEXT: yolo.concat
// CHECK-NEXT: yolo.reduce_sum
// CHECK-NEXT: yolo.concat
// CHECK-NEXT: yolo.reduce_sum
// CHECK-NEXT: yolo.reduce_sum
// CHECK-NEXT: return
func.func @sum_of_stack_nofold(%a: tensor<2x4xf32>, %b: tensor<1x4xf32>) -> (tensor<4xf32>, tensor<3xf32>, tensor<1x1xf32>) {
  %0 = yolo.concat %a, %b {axis = 0 : i64} : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %1 = yolo.reduce_sum %0 {axes = array<i64: 0>, keep_dims = false} : (tensor<3x4xf32>) -> tensor<4xf32>
  %2 = yolo.concat %b, %b, %b {axis = 0 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %3 = yolo.reduce_sum %2 {axes = array<i64: 1>, keep_dims = false} : (tensor<3x4xf32>) -> tensor<3xf32>
  %4 = yolo.reduce_sum %2 {axes = array<i64: 0, 1>} : (tensor<3x4xf32>) -> tensor<1x1xf32>
  return %1, %3, %4 : tensor<4xf32>, tensor<3xf32>, tensor<1x1xf32>
}

// -----

//===----------------------------------------------------------------------===//
// yolo.concat, yolo.slice, yolo.pad, yolo.resize
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @concat_one_input
// CHECK-NOT: yolo.concat
// CHECK: return %arg0
func.func @concat_one_input(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.concat %x {axis = 1 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @concat_nofold
// CHECK-NEXT: %[[R:.*]] = yolo.concat %arg0, %arg0 {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32>
// CHECK-NEXT: return %[[R]]
func.func @concat_nofold(%x: tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32> {
  %0 = yolo.concat %x, %x {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32>
  return %0 : tensor<1x8x2x2xf32>
}

// -----

// A slice whose result has the input's type reads every element in order;
// a stride on a unit dimension reads nothing more.
// CHECK-LABEL: func @slice_whole
// CHECK-NOT: yolo.slice
// CHECK: return %arg0
func.func @slice_whole(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.slice %x {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 4, 2, 2>, strides = array<i64: 5, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @slice_nofold
// CHECK-NEXT: %[[A:.*]] = yolo.slice %arg0 {offsets = array<i64: 0, 2, 0, 0>, sizes = array<i64: 1, 2, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %[[B:.*]] = yolo.slice %arg0 {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 2, 2>, strides = array<i64: 1, 2, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @slice_nofold(%x: tensor<1x4x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %0 = yolo.slice %x {offsets = array<i64: 0, 2, 0, 0>, sizes = array<i64: 1, 2, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x2xf32>
  %1 = yolo.slice %x {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 2, 2>, strides = array<i64: 1, 2, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// CHECK-LABEL: func @pad_zero
// CHECK-NOT: yolo.pad
// CHECK: return %arg0
func.func @pad_zero(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>, value = 1.0 : f32} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @pad_nofold
// CHECK-NEXT: %[[R:.*]] = yolo.pad %arg0 {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x3xf32>
// CHECK-NEXT: return %[[R]]
func.func @pad_nofold(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x3xf32> {
  %0 = yolo.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x3xf32>
  return %0 : tensor<1x4x2x3xf32>
}

// -----

// CHECK-LABEL: func @resize_unit_scales
// CHECK-NOT: yolo.resize
// CHECK: return %arg0
func.func @resize_unit_scales(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.resize %x {scales = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @resize_nofold
// CHECK-NEXT: %[[R:.*]] = yolo.resize %arg0 {scales = array<i64: 1, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @resize_nofold(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x4xf32> {
  %0 = yolo.resize %x {scales = array<i64: 1, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x4xf32>
  return %0 : tensor<1x4x2x4xf32>
}

// -----

// A linear resize to the input's size with unit scales samples every
// element at its own coordinate, whatever the coordinate mode.
// CHECK-LABEL: func @resize_linear_identity
// CHECK-NOT: yolo.resize
// CHECK: return %arg0
func.func @resize_linear_identity(%x: tensor<1x4x3x5xf32>) -> tensor<1x4x3x5xf32> {
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<align_corners>, size = array<i64: 3, 5>, coordinate_scales = array<f32: 1.0, 1.0>} : (tensor<1x4x3x5xf32>) -> tensor<1x4x3x5xf32>
  return %0 : tensor<1x4x3x5xf32>
}

// -----

// Same size, but a scale of 1.2 (floor(3 * 1.2) = 3) moves the samples.
// CHECK-LABEL: func @resize_linear_nofold
// CHECK-NEXT: %[[R:.*]] = yolo.resize %arg0 {coordinate_mode = #yolo.coordinate_mode<half_pixel>, coordinate_scales = array<f32: 1.200000e+00, 1.000000e+00>, mode = #yolo.resize_mode<linear>, size = array<i64: 3, 5>} : (tensor<1x4x3x5xf32>) -> tensor<1x4x3x5xf32>
// CHECK-NEXT: return %[[R]]
func.func @resize_linear_nofold(%x: tensor<1x4x3x5xf32>) -> tensor<1x4x3x5xf32> {
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<half_pixel>, size = array<i64: 3, 5>, coordinate_scales = array<f32: 1.2, 1.0>} : (tensor<1x4x3x5xf32>) -> tensor<1x4x3x5xf32>
  return %0 : tensor<1x4x3x5xf32>
}

// -----

//===----------------------------------------------------------------------===//
// yolo.reshape
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @reshape_identity
// CHECK-NOT: yolo.reshape
// CHECK: return %arg0
func.func @reshape_identity(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.reshape %x {shape = array<i64: 1, 4, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @reshape_of_reshape
// CHECK-NEXT: %[[R:.*]] = yolo.reshape %arg0 {shape = array<i64: 16>} : (tensor<1x4x2x2xf32>) -> tensor<16xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<1x4x2x2xf32>) -> tensor<16xf32> {
  %0 = yolo.reshape %x {shape = array<i64: 4, 4>} : (tensor<1x4x2x2xf32>) -> tensor<4x4xf32>
  %1 = yolo.reshape %0 {shape = array<i64: 16>} : (tensor<4x4xf32>) -> tensor<16xf32>
  return %1 : tensor<16xf32>
}

// -----

// Back to the input's shape: both reshapes go.
// CHECK-LABEL: func @reshape_round_trip
// CHECK-NOT: yolo.reshape
// CHECK: return %arg0
func.func @reshape_round_trip(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.reshape %x {shape = array<i64: 2, 8>} : (tensor<1x4x2x2xf32>) -> tensor<2x8xf32>
  %1 = yolo.reshape %0 {shape = array<i64: 16>} : (tensor<2x8xf32>) -> tensor<16xf32>
  %2 = yolo.reshape %1 {shape = array<i64: 1, 4, 2, 2>} : (tensor<16xf32>) -> tensor<1x4x2x2xf32>
  return %2 : tensor<1x4x2x2xf32>
}

// -----

// The inner reshape has another use: it stays, the outer one reads x.
// CHECK-LABEL: func @reshape_of_reshape_multi_use
// CHECK-DAG: %[[INNER:.*]] = yolo.reshape %arg0 {shape = array<i64: 4, 4>} : (tensor<1x4x2x2xf32>) -> tensor<4x4xf32>
// CHECK-DAG: %[[OUTER:.*]] = yolo.reshape %arg0 {shape = array<i64: 16>} : (tensor<1x4x2x2xf32>) -> tensor<16xf32>
// CHECK: return %[[INNER]], %[[OUTER]]
func.func @reshape_of_reshape_multi_use(%x: tensor<1x4x2x2xf32>) -> (tensor<4x4xf32>, tensor<16xf32>) {
  %0 = yolo.reshape %x {shape = array<i64: 4, 4>} : (tensor<1x4x2x2xf32>) -> tensor<4x4xf32>
  %1 = yolo.reshape %0 {shape = array<i64: 16>} : (tensor<4x4xf32>) -> tensor<16xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<16xf32>
}

// -----

// A reshape of something else than a reshape stays.
// CHECK-LABEL: func @reshape_nofold
// CHECK-NEXT: %[[S:.*]] = yolo.sigmoid %arg0
// CHECK-NEXT: %[[R:.*]] = yolo.reshape %[[S]] {shape = array<i64: 1, 16>} : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_nofold(%x: tensor<1x4x2x2xf32>) -> tensor<1x16xf32> {
  %0 = yolo.sigmoid %x : tensor<1x4x2x2xf32>
  %1 = yolo.reshape %0 {shape = array<i64: 1, 16>} : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
  return %1 : tensor<1x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// yolo.transpose
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func @transpose_identity
// CHECK-NOT: yolo.transpose
// CHECK: return %arg0
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = yolo.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Result dimension i of the pair is x's dimension inner[outer[i]]:
// [1, 2, 0] then [0, 2, 1] is [1, 0, 2] (the other order would give
// [2, 1, 0]); [2, 0, 1] then [1, 2, 0] is the identity.
// CHECK-LABEL: func @transpose_of_transpose
// CHECK-NEXT: %[[T:.*]] = yolo.transpose %arg0 {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
// CHECK-NEXT: return %[[T]], %arg0
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> (tensor<3x2x4xf32>, tensor<2x3x4xf32>) {
  %0 = yolo.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = yolo.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<3x4x2xf32>) -> tensor<3x2x4xf32>
  %2 = yolo.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %3 = yolo.transpose %2 {perm = array<i64: 1, 2, 0>} : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  return %1, %3 : tensor<3x2x4xf32>, tensor<2x3x4xf32>
}

// -----

// On a cube every permutation keeps the type: only the perm tells the
// right composition, [1, 3, 2, 0], from the other order, [2, 1, 3, 0].
// CHECK-LABEL: func @transpose_of_transpose_cube
// CHECK-NEXT: %[[T:.*]] = yolo.transpose %arg0 {perm = array<i64: 1, 3, 2, 0>} : (tensor<2x2x2x2xf32>) -> tensor<2x2x2x2xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_of_transpose_cube(%x: tensor<2x2x2x2xf32>) -> tensor<2x2x2x2xf32> {
  %0 = yolo.transpose %x {perm = array<i64: 1, 2, 3, 0>} : (tensor<2x2x2x2xf32>) -> tensor<2x2x2x2xf32>
  %1 = yolo.transpose %0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x2x2x2xf32>) -> tensor<2x2x2x2xf32>
  return %1 : tensor<2x2x2x2xf32>
}

// -----

// The inner transpose has another use: it stays, the outer one reads x.
// CHECK-LABEL: func @transpose_of_transpose_multi_use
// CHECK-DAG: %[[INNER:.*]] = yolo.transpose %arg0 {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-DAG: %[[OUTER:.*]] = yolo.transpose %arg0 {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
// CHECK: return %[[INNER]], %[[OUTER]]
func.func @transpose_of_transpose_multi_use(%x: tensor<2x3x4xf32>) -> (tensor<3x4x2xf32>, tensor<3x2x4xf32>) {
  %0 = yolo.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = yolo.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<3x4x2xf32>) -> tensor<3x2x4xf32>
  return %0, %1 : tensor<3x4x2xf32>, tensor<3x2x4xf32>
}

// -----

// CHECK-LABEL: func @transpose_nofold
// CHECK-NEXT: %[[S:.*]] = yolo.relu %arg0
// CHECK-NEXT: %[[T:.*]] = yolo.transpose %[[S]] {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_nofold(%x: tensor<2x3x4xf32>) -> tensor<2x4x3xf32> {
  %0 = yolo.relu %x : tensor<2x3x4xf32>
  %1 = yolo.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  return %1 : tensor<2x4x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Chains
//===----------------------------------------------------------------------===//

// Every identity in a row folds away.
// CHECK-LABEL: func @identity_chain
// CHECK-NEXT: return %arg0
func.func @identity_chain(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %z = yolo.constant dense<0.0> : tensor<1xf32>
  %o = yolo.constant dense<1.0> : tensor<4x1x1xf32>
  %0 = yolo.concat %x {axis = 1 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.slice %0 {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 4, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %2 = yolo.pad %1 {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %3 = yolo.add %2, %z : (tensor<1x4x2x2xf32>, tensor<1xf32>) -> tensor<1x4x2x2xf32>
  %4 = yolo.resize %3 {scales = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %5 = yolo.mul %o, %4 : (tensor<4x1x1xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %6 = yolo.reshape %5 {shape = array<i64: 1, 4, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %7 = yolo.transpose %6 {perm = array<i64: 0, 1, 2, 3>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %8 = yolo.reduce_sum %7 {axes = array<i64: 0>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %9 = yolo.sub %8, %z : (tensor<1x4x2x2xf32>, tensor<1xf32>) -> tensor<1x4x2x2xf32>
  %10 = yolo.div %9, %o : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %10 : tensor<1x4x2x2xf32>
}

//===----------------------------------------------------------------------===//
// yolo.softmax
//===----------------------------------------------------------------------===//

// -----

// YOLO's DFL below opset 13: the softmax over the innermost axis of
// [1, A, 4, 16] is the softmax over axis 2 of the [1, 4, 16, A] it was
// transposed from; the transposes on either side fold into one.
// CHECK-LABEL: func @softmax_through_transposes
// CHECK-NEXT: %[[S:.*]] = yolo.softmax %arg0 {axis = 2 : i64} : tensor<1x4x16x8xf32>
// CHECK-NEXT: %[[T:.*]] = yolo.transpose %[[S]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x16x8xf32>) -> tensor<1x16x4x8xf32>
// CHECK-NEXT: return %[[T]]
func.func @softmax_through_transposes(%x: tensor<1x4x16x8xf32>) -> tensor<1x16x4x8xf32> {
  %0 = yolo.transpose %x {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x16x8xf32>) -> tensor<1x8x4x16xf32>
  %1 = yolo.softmax %0 {axis = 3 : i64} : tensor<1x8x4x16xf32>
  %2 = yolo.transpose %1 {perm = array<i64: 0, 3, 2, 1>} : (tensor<1x8x4x16xf32>) -> tensor<1x16x4x8xf32>
  return %2 : tensor<1x16x4x8xf32>
}

// -----

// Transposes that cancel leave the softmax alone, along the axis it meant.
// CHECK-LABEL: func @softmax_transposes_cancel
// CHECK-NEXT: %[[S:.*]] = yolo.softmax %arg0 {axis = 1 : i64} : tensor<2x3x5xf32>
// CHECK-NEXT: return %[[S]]
func.func @softmax_transposes_cancel(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = yolo.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x5xf32>) -> tensor<2x5x3xf32>
  %1 = yolo.softmax %0 {axis = 2 : i64} : tensor<2x5x3xf32>
  %2 = yolo.transpose %1 {perm = array<i64: 0, 2, 1>} : (tensor<2x5x3xf32>) -> tensor<2x3x5xf32>
  return %2 : tensor<2x3x5xf32>
}

// -----

// Not moved: with no transpose after it (nothing would fold), or with the
// transposed tensor used elsewhere too (it would still be made).
// CHECK-LABEL: func @softmax_transpose_nofold
// CHECK-NEXT: %[[T:.*]] = yolo.transpose %arg0
// CHECK-NEXT: %[[S:.*]] = yolo.softmax %[[T]] {axis = 2 : i64}
// CHECK-NEXT: %[[U:.*]] = yolo.transpose %arg1
// CHECK-NEXT: %[[V:.*]] = yolo.softmax %[[U]] {axis = 2 : i64}
// CHECK-NEXT: %[[W:.*]] = yolo.transpose %[[V]]
// CHECK-NEXT: return %[[S]], %[[W]], %[[U]]
func.func @softmax_transpose_nofold(%x: tensor<2x3x5xf32>, %y: tensor<2x3x5xf32>) -> (tensor<2x5x3xf32>, tensor<2x3x5xf32>, tensor<2x5x3xf32>) {
  %0 = yolo.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x5xf32>) -> tensor<2x5x3xf32>
  %1 = yolo.softmax %0 {axis = 2 : i64} : tensor<2x5x3xf32>
  %2 = yolo.transpose %y {perm = array<i64: 0, 2, 1>} : (tensor<2x3x5xf32>) -> tensor<2x5x3xf32>
  %3 = yolo.softmax %2 {axis = 2 : i64} : tensor<2x5x3xf32>
  %4 = yolo.transpose %3 {perm = array<i64: 0, 2, 1>} : (tensor<2x5x3xf32>) -> tensor<2x3x5xf32>
  return %1, %4, %2 : tensor<2x5x3xf32>, tensor<2x3x5xf32>, tensor<2x5x3xf32>
}
