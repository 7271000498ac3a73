// RUN: yolo-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of yolo.matmul (each inference failure followed by
// "failed to infer returned types") and of ykernel.matmul.

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+2 {{'yolo.matmul' op expected operands of rank 2 or more, got [4] and [4, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.matmul %a, %b : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @matmul_inner(%a: tensor<3x4xf32>, %b: tensor<5x2xf32>) {
  // expected-error @+2 {{'yolo.matmul' op expected the lhs columns (4) to equal the rhs rows (5), got [3, 4] and [5, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.matmul %a, %b : (tensor<3x4xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x2xf32>) {
  // expected-error @+2 {{'yolo.matmul' op batch dimensions [2] and [3] are not broadcast compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x2xf32>) -> tensor<2x3x2xf32>
  return
}

// -----

func.func @matmul_element_type(%a: tensor<3x4xf32>, %b: tensor<4x2xf16>) {
  // expected-error @+2 {{'yolo.matmul' op expected operands of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf16>) -> tensor<3x2xf32>
  return
}

// -----

func.func @matmul_result(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) {
  // expected-error @+2 {{'yolo.matmul' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @ykernel_matmul_rank(%a: memref<3x4xf32>, %b: memref<1x4x2xf32>, %c: memref<1x3x2xf32>) {
  // expected-error @+1 {{'ykernel.matmul' op expects lhs, rhs and output of one rank, 2 or more, got ranks 2, 3 and 3}}
  ykernel.matmul ins(%a, %b : memref<3x4xf32>, memref<1x4x2xf32>) outs(%c : memref<1x3x2xf32>)
  return
}

// -----

func.func @ykernel_matmul_shapes(%a: memref<3x4xf32>, %b: memref<5x2xf32>, %c: memref<3x2xf32>) {
  // expected-error @+1 {{'ykernel.matmul' op expects lhs [..., M, K], rhs [..., K, N] and output [..., M, N]}}
  ykernel.matmul ins(%a, %b : memref<3x4xf32>, memref<5x2xf32>) outs(%c : memref<3x2xf32>)
  return
}

// -----

func.func @ykernel_matmul_batch(%a: memref<2x3x4xf32>, %b: memref<1x4x2xf32>, %c: memref<3x3x2xf32>) {
  // expected-error @+1 {{'ykernel.matmul' op batch dimension 0 of the operands (2, 1) must be the output's (3) or 1}}
  ykernel.matmul ins(%a, %b : memref<2x3x4xf32>, memref<1x4x2xf32>) outs(%c : memref<3x3x2xf32>)
  return
}

// -----

func.func @ykernel_matmul_arity(%a: memref<3x4xf32>, %c: memref<3x4xf32>) {
  // expected-error @+1 {{'ykernel.matmul' op takes 2 input(s), got 1}}
  ykernel.matmul ins(%a : memref<3x4xf32>) outs(%c : memref<3x4xf32>)
  return
}
