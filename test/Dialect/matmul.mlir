// RUN: yolo-opt %s -split-input-file | yolo-opt -split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: yolo-opt %s -split-input-file --mlir-print-op-generic | yolo-opt -split-input-file | FileCheck %s --check-prefix=ROUND
// RUN: yolo-opt %s -split-input-file -canonicalize | FileCheck %s --check-prefix=FOLD

// yolo.matmul: round trip (custom and generic form) and the folding of a
// product of constants (folded values computed by hand below).

// ROUND-LABEL: func @attention
// ROUND-NEXT: %[[S:.*]] = yolo.matmul %arg0, %arg1 : (tensor<1x2x100x32xf32>, tensor<1x2x32x100xf32>) -> tensor<1x2x100x100xf32>
// ROUND-NEXT: %[[O:.*]] = yolo.matmul %arg2, %[[S]] : (tensor<1x2x64x100xf32>, tensor<1x2x100x100xf32>) -> tensor<1x2x64x100xf32>
// ROUND-NEXT: return %[[S]], %[[O]]
// FOLD-LABEL: func @attention
// FOLD-COUNT-2: yolo.matmul
func.func @attention(%qt: tensor<1x2x100x32xf32>, %k: tensor<1x2x32x100xf32>, %v: tensor<1x2x64x100xf32>) -> (tensor<1x2x100x100xf32>, tensor<1x2x64x100xf32>) {
  %s = yolo.matmul %qt, %k : (tensor<1x2x100x32xf32>, tensor<1x2x32x100xf32>) -> tensor<1x2x100x100xf32>
  %o = yolo.matmul %v, %s : (tensor<1x2x64x100xf32>, tensor<1x2x100x100xf32>) -> tensor<1x2x64x100xf32>
  return %s, %o : tensor<1x2x100x100xf32>, tensor<1x2x64x100xf32>
}

// -----

// Batch dimensions broadcast as numpy's do: a missing or unit dimension
// takes the other operand's extent; a rank-2 constant (a linear layer's
// weights) broadcasts over every batch.
// ROUND-LABEL: func @broadcast
// ROUND-NEXT: yolo.matmul %arg0, %arg1 : (tensor<3x1x4x5xf32>, tensor<2x5x6xf32>) -> tensor<3x2x4x6xf32>
// ROUND-NEXT: %[[W:.*]] = yolo.constant
// ROUND-NEXT: yolo.matmul %arg2, %[[W]] : (tensor<4x8x16xf32>, tensor<16x10xf32>) -> tensor<4x8x10xf32>
// FOLD-LABEL: func @broadcast
// FOLD-COUNT-2: yolo.matmul
func.func @broadcast(%a: tensor<3x1x4x5xf32>, %b: tensor<2x5x6xf32>, %x: tensor<4x8x16xf32>) -> (tensor<3x2x4x6xf32>, tensor<4x8x10xf32>) {
  %0 = yolo.matmul %a, %b : (tensor<3x1x4x5xf32>, tensor<2x5x6xf32>) -> tensor<3x2x4x6xf32>
  %w = yolo.constant dense<0.5> : tensor<16x10xf32>
  %1 = yolo.matmul %x, %w : (tensor<4x8x16xf32>, tensor<16x10xf32>) -> tensor<4x8x10xf32>
  return %0, %1 : tensor<3x2x4x6xf32>, tensor<4x8x10xf32>
}

// -----

// [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]]; the lhs
// broadcasts over the rhs's batch of 2 (the second matrix is the identity
// times 2).
// FOLD-LABEL: func @fold
// FOLD-NEXT: %[[C:.*]] = yolo.constant dense<{{\[\[\[}}1.900000e+01, 2.200000e+01], [4.300000e+01, 5.000000e+01]], {{\[\[}}2.000000e+00, 4.000000e+00], [6.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
// FOLD-NEXT: return %[[C]]
func.func @fold() -> tensor<2x2x2xf32> {
  %a = yolo.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = yolo.constant dense<[[[5.0, 6.0], [7.0, 8.0]], [[2.0, 0.0], [0.0, 2.0]]]> : tensor<2x2x2xf32>
  %0 = yolo.matmul %a, %b : (tensor<2x2xf32>, tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// -----

// A folded product of more than 16 elements is a resource blob (here the
// outer product i * j of [1..5]), a splat one a splat; a product with a
// runtime operand stays.
// FOLD-LABEL: func @fold_large
// FOLD-DAG: %[[OUTER:.*]] = yolo.constant dense_resource<matmul> : tensor<5x5xf32>
// FOLD-DAG: %[[SPLAT:.*]] = yolo.constant dense<3.000000e+00> : tensor<8x8xf32>
// FOLD-DAG: %[[M:.*]] = yolo.matmul %arg0, %{{.*}} : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
// FOLD: return %[[OUTER]], %[[SPLAT]], %[[M]]
// The blob: 1, 2, 3, 4, 5, then 2, 4, 6, 8, 10, ... 25.
// FOLD: matmul: "0x040000000000803F000000400000404000008040
// FOLD-SAME: 0000C841"
func.func @fold_large(%x: tensor<8x8xf32>) -> (tensor<5x5xf32>, tensor<8x8xf32>, tensor<8x8xf32>) {
  %c = yolo.constant dense<[[1.0], [2.0], [3.0], [4.0], [5.0]]> : tensor<5x1xf32>
  %r = yolo.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0]]> : tensor<1x5xf32>
  %outer = yolo.matmul %c, %r : (tensor<5x1xf32>, tensor<1x5xf32>) -> tensor<5x5xf32>
  %a = yolo.constant dense<1.5> : tensor<8x8xf32>
  %b = yolo.constant dense<0.25> : tensor<8x8xf32>
  %0 = yolo.matmul %a, %b : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %1 = yolo.matmul %x, %b : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %outer, %0, %1 : tensor<5x5xf32>, tensor<8x8xf32>, tensor<8x8xf32>
}
