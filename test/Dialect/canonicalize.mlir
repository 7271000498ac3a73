// RUN: yolo-opt %s -split-input-file -canonicalize | FileCheck %s

// CHECK-LABEL: func @add_zero
// CHECK-NEXT: return %arg0
func.func @add_zero(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<1xf32>
  %0 = yolo.add %x, %z : (tensor<1x4xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// The constant on the left is moved right (commutative), then folds.
// CHECK-LABEL: func @zero_add
// CHECK-NEXT: return %arg0
func.func @zero_add(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<1xf32>
  %0 = yolo.add %z, %x : (tensor<1xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// CHECK-LABEL: func @sub_mul_div_identities
// CHECK-NEXT: return %arg0
func.func @sub_mul_div_identities(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<1xf32>
  %o = yolo.constant dense<1.0> : tensor<4xf32>
  %0 = yolo.sub %x, %z : (tensor<1x4xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  %1 = yolo.mul %0, %o : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %2 = yolo.div %1, %o : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return %2 : tensor<1x4xf32>
}

// -----

// Adding zero broadcasts here: the result type differs, the add stays.
// CHECK-LABEL: func @add_zero_broadcasting
// CHECK: yolo.add
func.func @add_zero_broadcasting(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %z = yolo.constant dense<0.0> : tensor<2x4xf32>
  %0 = yolo.add %x, %z : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @add_nonzero
// CHECK: yolo.add
// CHECK: yolo.mul
// CHECK: yolo.sub %{{.*}}, %arg0
func.func @add_nonzero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = yolo.constant dense<0.5> : tensor<4xf32>
  %z = yolo.constant dense<0.0> : tensor<4xf32>
  %0 = yolo.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = yolo.mul %0, %z : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = yolo.sub %1, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @data_movement_identities
// CHECK-NEXT: return %arg0
func.func @data_movement_identities(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = yolo.concat %x {axis = 1 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.slice %0 {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 4, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %2 = yolo.pad %1 {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %3 = yolo.resize %2 {scales = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %4 = yolo.reshape %3 {shape = array<i64: 1, 4, 2, 2>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %5 = yolo.transpose %4 {perm = array<i64: 0, 1, 2, 3>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %6 = yolo.reduce_sum %5 {axes = array<i64: 0>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %6 : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func @real_data_movement
// CHECK: yolo.slice
// CHECK: yolo.pad
// CHECK: yolo.resize
// CHECK: yolo.reduce_sum
func.func @real_data_movement(%x: tensor<1x4x2x2xf32>) -> tensor<1x5x4xf32> {
  %1 = yolo.slice %x {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x2xf32>
  %2 = yolo.pad %1 {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 1>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x3xf32>
  %3 = yolo.resize %2 {scales = array<i64: 2, 2>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x4x6xf32>
  %4 = yolo.reduce_sum %3 {axes = array<i64: 1>, keep_dims = false} : (tensor<1x2x4x6xf32>) -> tensor<1x4x6xf32>
  %5 = yolo.slice %4 {offsets = array<i64: 0, 0, 1>, sizes = array<i64: 1, 4, 5>, strides = array<i64: 1, 1, 1>} : (tensor<1x4x6xf32>) -> tensor<1x4x5xf32>
  %6 = yolo.transpose %5 {perm = array<i64: 0, 2, 1>} : (tensor<1x4x5xf32>) -> tensor<1x5x4xf32>
  return %6 : tensor<1x5x4xf32>
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

// [2, 0, 1] then [1, 2, 0] is the identity; [1, 0, 2] twice too.
// CHECK-LABEL: func @transpose_of_transpose
// CHECK-NEXT: %[[T:.*]] = yolo.transpose %arg0 {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
// CHECK-NEXT: return %arg0, %[[T]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x2x4xf32>) {
  %0 = yolo.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = yolo.transpose %0 {perm = array<i64: 1, 2, 0>} : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  %2 = yolo.transpose %0 {perm = array<i64: 2, 1, 0>} : (tensor<4x2x3xf32>) -> tensor<3x2x4xf32>
  return %1, %2 : tensor<2x3x4xf32>, tensor<3x2x4xf32>
}
