// RUN: yolo-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the yolo ops: ODS constraints (operand types,
// attribute counts and ranges), then every message of result type
// inference and the custom verifiers. Inference failures are followed, as
// for every InferTypeOpInterface op, by "failed to infer returned types".
// Sizes derived from attributes are checked for int64 overflow: absurd
// values are reported instead of wrapping into a plausible result type.

//===----------------------------------------------------------------------===//
// yolo.constant
//===----------------------------------------------------------------------===//

func.func @constant_not_float() {
  // expected-error @+1 {{'yolo.constant' op result #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2xi32>'}}
  %0 = yolo.constant dense<1> : tensor<2xi32>
  return
}

// -----

func.func @constant_type_mismatch() {
  // expected-error @+1 {{'yolo.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "yolo.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

// Three floats for four elements.
func.func @constant_blob_size() {
  // expected-error @+1 {{'yolo.constant' op expected dense_resource blob 'short' of 16 bytes for 'tensor<2x2xf32>', got 12 bytes}}
  %0 = yolo.constant dense_resource<short> : tensor<2x2xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000803F0000004000004040"
    }
  }
#-}

// -----

// Four halves for two elements.
func.func @constant_blob_size_f16() {
  // expected-error @+1 {{'yolo.constant' op expected dense_resource blob 'long' of 4 bytes for 'tensor<2xf16>', got 8 bytes}}
  %0 = yolo.constant dense_resource<long> : tensor<2xf16>
  return
}

{-#
  dialect_resources: {
    builtin: {
      long: "0x02000000003C003C003C003C"
    }
  }
#-}

// -----

//===----------------------------------------------------------------------===//
// yolo.conv2d
//===----------------------------------------------------------------------===//

func.func @conv2d_input_rank(%x: tensor<4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'yolo.conv2d' op operand #0 must be 4-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x8x8xf32>'}}
  %0 = yolo.conv2d %x, %w : (tensor<4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_input_dynamic(%x: tensor<?x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{operand #0 must be 4-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<?x4x8x8xf32>'}}
  %0 = yolo.conv2d %x, %w : (tensor<?x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_input_f64(%x: tensor<1x4x8x8xf64>, %w: tensor<8x4x3x3xf64>) {
  // expected-error @+1 {{operand #0 must be 4-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<1x4x8x8xf64>'}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf64>, tensor<8x4x3x3xf64>) -> tensor<1x8x6x6xf64>
  return
}

// -----

func.func @conv2d_bias_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8x1xf32>) {
  // expected-error @+1 {{operand #2 must be 1-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<8x1xf32>'}}
  %0 = yolo.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8x1xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_stride_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'yolo.conv2d' op attribute 'strides' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %0 = yolo.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_pad_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'yolo.conv2d' op attribute 'pads' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements}}
  %0 = yolo.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_dilation_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'yolo.conv2d' op attribute 'dilations' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %0 = yolo.conv2d %x, %w {dilations = array<i64: 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_groups_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'yolo.conv2d' op attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = yolo.conv2d %x, %w {groups = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_activation_unknown(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{expected ::mlir::yolo::Activation to be one of: none, silu, sigmoid, relu, leaky_relu}}
  // expected-error @+1 {{failed to parse Yolo_ActivationAttr parameter 'value'}}
  %0 = yolo.conv2d %x, %w {activation = #yolo.activation<gelu>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_element_types(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf16>) {
  // expected-error @+2 {{'yolo.conv2d' op expected input and weight of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf16>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_strides(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected positive strides, got [0, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_dilations(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected positive dilations, got [1, -1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {dilations = array<i64: 1, -1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_pads(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_groups_input(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected groups (3) to divide input channels (4) and output channels (6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {groups = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv2d_groups_output(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected groups (4) to divide input channels (4) and output channels (6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv2d_weight_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected weight input channels x groups (4 x 2) to equal input channels (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// An empty kernel would make the output larger than the input.
func.func @conv2d_empty_kernel(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x0x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected a weight with positive kernel sizes, got [8, 4, 0, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x0x3xf32>) -> tensor<1x8x9x6xf32>
  return
}

// -----

func.func @conv2d_bias_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op expected bias of 8 values, got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_bias_type(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf16>) {
  // expected-error @+2 {{'yolo.conv2d' op expected bias of the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf16>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_overflow(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op dilations [4611686018427387904, 1] and pads [0, 0, 0, 0] overflow the window extents}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {dilations = array<i64: 4611686018427387904, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_pads_overflow(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op dilations [1, 1] and pads [0, 9223372036854775807, 0, 1] overflow the window extents}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {pads = array<i64: 0, 9223372036854775807, 0, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_kernel_too_large(%x: tensor<1x4x2x2xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op kernel [3, 3] does not fit padded input [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {pads = array<i64: 0, 0, 0, 1>} : (tensor<1x4x2x2xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

// The extent of a 3x3 kernel with dilations [4, 1] is [4 * 2 + 1, 3].
func.func @conv2d_dilated_kernel_too_large(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op dilated kernel [9, 3] does not fit padded input [8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {dilations = array<i64: 4, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv2d_result_type(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op inferred type(s) 'tensor<1x8x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x8x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.conv_transpose
//===----------------------------------------------------------------------===//

func.func @conv_transpose_weight_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2xf32>) {
  // expected-error @+1 {{'yolo.conv_transpose' op operand #1 must be 4-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x2x2xf32>'}}
  %0 = yolo.conv_transpose %x, %w : (tensor<1x4x8x8xf32>, tensor<4x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+1 {{'yolo.conv_transpose' op attribute 'output_padding' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %0 = yolo.conv_transpose %x, %w {output_padding = array<i64: 1>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_groups_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+1 {{'yolo.conv_transpose' op attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = yolo.conv_transpose %x, %w {groups = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_element_types(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf16>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected input and weight of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf16>) -> tensor<1x2x16x16xf32>
  return
}

// -----

func.func @conv_transpose_strides(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected positive strides, got [2, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {strides = array<i64: 2, 0>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x16x16xf32>
  return
}

// -----

func.func @conv_transpose_dilations(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected positive dilations, got [-1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {dilations = array<i64: -1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_pads(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected non-negative pads, got [0, 0, -1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {pads = array<i64: 0, 0, -1, 0>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_negative(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected non-negative output_padding, got [0, -1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {output_padding = array<i64: 0, -1>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_large(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected output_padding [2, 1] smaller than the strides [2, 2] or the dilations [1, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 2>, output_padding = array<i64: 2, 1>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x18x17xf32>
  return
}

// -----

func.func @conv_transpose_weight_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<2x4x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected weight input channels (weight dimension 0, 2) to equal input channels (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w : (tensor<1x4x8x8xf32>, tensor<2x4x2x2xf32>) -> tensor<1x4x9x9xf32>
  return
}

// -----

func.func @conv_transpose_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected groups (3) to divide input channels (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {groups = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x6x9x9xf32>
  return
}

// -----

func.func @conv_transpose_empty_kernel(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x0x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected a weight with positive output channels and kernel sizes, got [4, 2, 0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w : (tensor<1x4x8x8xf32>, tensor<4x2x0x2xf32>) -> tensor<1x2x7x9xf32>
  return
}

// -----

func.func @conv_transpose_bias_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected bias of 4 values (weight output channels x groups), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w, %b {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>, tensor<2xf32>) -> tensor<1x4x9x9xf32>
  return
}

// -----

func.func @conv_transpose_bias_type(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>, %b: tensor<2xf16>) {
  // expected-error @+2 {{'yolo.conv_transpose' op expected bias of the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>, tensor<2xf16>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_overflow(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op strides [2305843009213693952, 1], dilations [1, 1] and pads [0, 0, 0, 0] overflow the output extents}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {strides = array<i64: 2305843009213693952, 1>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_cropped(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op pads [0, 5, 0, 4] crop the whole width of the result (9)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {pads = array<i64: 0, 5, 0, 4>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

// The inferred type is the one checked: 2 * 7 + 2 = 16, not 15.
func.func @conv_transpose_result_type(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x2x2xf32>) {
  // expected-error @+2 {{'yolo.conv_transpose' op inferred type(s) 'tensor<1x2x16x16xf32>' are incompatible with return type(s) of operation 'tensor<1x2x15x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x2x2x2xf32>) -> tensor<1x2x15x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.batch_norm
//===----------------------------------------------------------------------===//

func.func @batch_norm_param_rank(%x: tensor<1x4x8x8xf32>, %q: tensor<4x1xf32>) {
  // expected-error @+1 {{'yolo.batch_norm' op operand #1 must be 1-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x1xf32>'}}
  %0 = yolo.batch_norm %x, %q, %q, %q, %q : (tensor<1x4x8x8xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error @+2 {{'yolo.batch_norm' op expected input of rank >= 2, got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %p, %p, %p : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @batch_norm_scale_count(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<3xf32>) {
  // expected-error @+2 {{'yolo.batch_norm' op expected scale of 4 values (one per channel), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %q, %p, %p, %p : (tensor<1x4x8x8xf32>, tensor<3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_mean_count(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<8xf32>) {
  // expected-error @+2 {{'yolo.batch_norm' op expected mean of 4 values (one per channel), got 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %p, %q, %p : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_bias_type(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<4xbf16>) {
  // expected-error @+2 {{'yolo.batch_norm' op expected bias of the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %q, %p, %p : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xbf16>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_var_type(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<4xf16>) {
  // expected-error @+2 {{'yolo.batch_norm' op expected var of the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %p, %p, %q : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>) -> tensor<1x4x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

func.func @silu_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'yolo.silu' op requires the same type for all operands and results}}
  %0 = "yolo.silu"(%x) : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @relu_dynamic(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'yolo.relu' op operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<?x4xf32>'}}
  %0 = yolo.relu %x : tensor<?x4xf32>
  return
}

// -----

func.func @sigmoid_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'yolo.sigmoid' op operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xi32>'}}
  %0 = yolo.sigmoid %x : tensor<4xi32>
  return
}

// -----

func.func @leaky_relu_alpha(%x: tensor<4xf32>) {
  // expected-error @+1 {{'yolo.leaky_relu' op requires attribute 'alpha'}}
  %0 = yolo.leaky_relu %x : tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

func.func @add_broadcast(%a: tensor<1x4x2x2xf32>, %b: tensor<1x3x1x1xf32>) {
  // expected-error @+2 {{'yolo.add' op operand shapes [1, 4, 2, 2] and [1, 3, 1, 1] are not broadcast compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.add %a, %b : (tensor<1x4x2x2xf32>, tensor<1x3x1x1xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @sub_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{'yolo.sub' op operand shapes [2, 3] and [2] are not broadcast compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.sub %a, %b : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @mul_element_types(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+2 {{'yolo.mul' op expected operands of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.mul %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return
}

// -----

func.func @div_result_type(%a: tensor<2x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'yolo.div' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.div %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.softmax
//===----------------------------------------------------------------------===//

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'yolo.softmax' op expected axis in [0, 2), got 2}}
  %0 = yolo.softmax %a {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_negative_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'yolo.softmax' op expected axis in [0, 2), got -1}}
  %0 = yolo.softmax %a {axis = -1 : i64} : tensor<2x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.reduce_sum
//===----------------------------------------------------------------------===//

func.func @reduce_sum_axes(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'yolo.reduce_sum' op expected axes in [0, 2), got [0, 5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reduce_sum %a {axes = array<i64: 0, 5>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_sum_negative_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'yolo.reduce_sum' op expected axes in [0, 2), got [-1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reduce_sum %a {axes = array<i64: -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_sum_distinct(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'yolo.reduce_sum' op expected distinct axes, got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reduce_sum %a {axes = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_sum_keep_dims(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'yolo.reduce_sum' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reduce_sum %a {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.max_pool, yolo.avg_pool
//===----------------------------------------------------------------------===//

func.func @max_pool_kernel_missing(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yolo.max_pool' op requires attribute 'kernel'}}
  %0 = yolo.max_pool %x : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @max_pool_kernel_count(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yolo.max_pool' op attribute 'kernel' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %0 = yolo.max_pool %x {kernel = array<i64: 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @avg_pool_input_rank(%x: tensor<4x8x8xf32>) {
  // expected-error @+1 {{'yolo.avg_pool' op operand #0 must be 4-D static float tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x8x8xf32>'}}
  %0 = yolo.avg_pool %x {kernel = array<i64: 2, 2>} : (tensor<4x8x8xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @max_pool_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.max_pool' op expected positive kernel, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 0, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x9x7xf32>
  return
}

// -----

func.func @max_pool_strides(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.max_pool' op expected positive strides, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @avg_pool_pads(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.avg_pool' op expected non-negative pads, got [-1, 0, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.avg_pool %x {kernel = array<i64: 2, 2>, pads = array<i64: -1, 0, 0, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x7xf32>
  return
}

// -----

func.func @avg_pool_pads_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.avg_pool' op expected pads [0, 0, 0, 2] smaller than kernel [2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.avg_pool %x {kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 2>, count_include_pad = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x9xf32>
  return
}

// -----

func.func @max_pool_pads_overflow(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.max_pool' op pads [4611686018427387904, 0, 4611686018427387904, 0] overflow the window extents}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 9223372036854775807, 1>, pads = array<i64: 4611686018427387904, 0, 4611686018427387904, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x8xf32>
  return
}

// -----

func.func @max_pool_kernel_too_large(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+2 {{'yolo.max_pool' op kernel [5, 5] does not fit padded input [4, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 5, 5>, pads = array<i64: 1, 0, 1, 0>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.resize
//===----------------------------------------------------------------------===//

func.func @resize_scales_positive(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yolo.resize' op attribute 'scales' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %0 = yolo.resize %x {scales = array<i64: 0, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x0x16xf32>
  return
}

// -----

func.func @resize_scales_count(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yolo.resize' op attribute 'scales' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %0 = yolo.resize %x {scales = array<i64: 1, 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_overflow(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op scales [2, 4611686018427387904] overflow the extents of input [1, 4, 8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {scales = array<i64: 2, 4611686018427387904>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_result_type(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op inferred type(s) 'tensor<1x4x16x24xf32>' are incompatible with return type(s) of operation 'tensor<1x4x24x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {scales = array<i64: 2, 3>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x24x16xf32>
  return
}

// -----

func.func @resize_nearest_needs_scales(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op nearest resizing needs integer 'scales'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @resize_nearest_coordinates(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op nearest resizing takes asymmetric coordinates, got half_pixel}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {scales = array<i64: 2, 2>, coordinate_mode = #yolo.coordinate_mode<half_pixel>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_nearest_size(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op 'size' and 'coordinate_scales' are for linear resizing; nearest takes integer 'scales'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {scales = array<i64: 2, 2>, size = array<i64: 16, 16>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_linear_integer_scales(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op linear resizing takes 'size' and 'coordinate_scales', not integer 'scales'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, scales = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_linear_needs_size(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op linear resizing needs 'size' and 'coordinate_scales'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_scales = array<f32: 2.0, 2.0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_linear_scale_positive(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op expected positive finite coordinate_scales, got [2.000000e+00, 0.000000e+00]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, size = array<i64: 16, 16>, coordinate_scales = array<f32: 2.0, 0.0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_linear_scale_count(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yolo.resize' op attribute 'coordinate_scales' failed to satisfy constraint: f32 dense array attribute with exactly 2 elements}}
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, size = array<i64: 16, 16>, coordinate_scales = array<f32: 2.0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x16x16xf32>
  return
}

// -----

func.func @resize_linear_size_positive(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'yolo.resize' op attribute 'size' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements whose value is positive}}
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, size = array<i64: 0, 16>, coordinate_scales = array<f32: 2.0, 2.0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x0x16xf32>
  return
}

// -----

func.func @resize_linear_result_type(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'yolo.resize' op inferred type(s) 'tensor<1x4x12x4xf32>' are incompatible with return type(s) of operation 'tensor<1x4x12x12xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, size = array<i64: 12, 4>, coordinate_scales = array<f32: 1.5, 0.5>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x12x12xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.concat
//===----------------------------------------------------------------------===//

func.func @concat_no_inputs() {
  // expected-error @+2 {{'yolo.concat' op expected at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat {axis = 0 : i64} : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x4xf32>) {
  // expected-error @+2 {{'yolo.concat' op expected axis in [0, 2), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %a {axis = 2 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_negative_axis(%a: tensor<1x4xf32>) {
  // expected-error @+2 {{'yolo.concat' op expected axis in [0, 2), got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %a {axis = -1 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_element_types(%a: tensor<1x4xf32>, %b: tensor<1x4xf16>) {
  // expected-error @+2 {{'yolo.concat' op expected inputs of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<1x4xf16>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<1x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'yolo.concat' op expected inputs of rank 2, input 1 has rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_shape(%a: tensor<1x4xf32>, %b: tensor<1x2xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+2 {{'yolo.concat' op input 2 has shape [2, 4], incompatible with [1, 4] outside axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %b, %c {axis = 1 : i64} : (tensor<1x4xf32>, tensor<1x2xf32>, tensor<2x4xf32>) -> tensor<1x10xf32>
  return
}

// -----

func.func @concat_overflow(%a: tensor<4611686018427387904xf32>) {
  // expected-error @+2 {{'yolo.concat' op input extents along axis 0 overflow int64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %a {axis = 0 : i64} : (tensor<4611686018427387904xf32>, tensor<4611686018427387904xf32>) -> tensor<1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.slice
//===----------------------------------------------------------------------===//

func.func @slice_counts(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op expected 2 offsets, sizes and strides, got 1, 2 and 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 1, 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_strides(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op expected positive strides, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_offsets(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op expected non-negative offsets, got [-1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: -1, 0>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_sizes(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op expected positive sizes, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 0, 2>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<0x2xf32>
  return
}

// -----

func.func @slice_bounds(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op slice of dimension 1 (offset 2, size 2, stride 2) runs past its extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 2>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 2>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_offset_bounds(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op slice of dimension 0 (offset 4, size 1, stride 1) runs past its extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 4, 0>, sizes = array<i64: 1, 4>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

// The last index read, 2 + 1 * (2^63 - 1), wraps around to a negative one.
func.func @slice_bounds_overflow(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.slice' op slice of dimension 1 (offset 2, size 2, stride 9223372036854775807) runs past its extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 2>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 9223372036854775807>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.split
//===----------------------------------------------------------------------===//

func.func @split_axis(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.split' op expected axis in [0, 2), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 3 : i64, sizes = array<i64: 2, 2>} : (tensor<4x4xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>)
  return
}

// -----

func.func @split_no_sizes(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.split' op expected at least one size}}
  // expected-error @+1 {{failed to infer returned types}}
  yolo.split %a {axis = 1 : i64, sizes = array<i64>} : (tensor<4x4xf32>) -> ()
  return
}

// -----

func.func @split_sizes(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.split' op expected positive sizes, got [4, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 1 : i64, sizes = array<i64: 4, 0>} : (tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x0xf32>)
  return
}

// -----

func.func @split_overflow(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.split' op sizes [9223372036854775807, 9223372036854775807] overflow int64, expected them to add up to the extent of axis 1 (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 1 : i64, sizes = array<i64: 9223372036854775807, 9223372036854775807>} : (tensor<4x4xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>)
  return
}

// -----

func.func @split_sum(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.split' op sizes [2, 3] add up to 5, expected the extent of axis 1 (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 1 : i64, sizes = array<i64: 2, 3>} : (tensor<4x4xf32>) -> (tensor<4x2xf32>, tensor<4x3xf32>)
  return
}

// -----

func.func @split_result_count(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.split' op inferred type(s) 'tensor<4x2xf32>', 'tensor<4x2xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.split %a {axis = 1 : i64, sizes = array<i64: 2, 2>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.pad
//===----------------------------------------------------------------------===//

func.func @pad_count(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.pad' op expected 4 pad values, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.pad %a {pads = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

func.func @pad_negative(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.pad' op expected non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.pad %a {pads = array<i64: 0, -1, 0, 0>} : (tensor<4x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_overflow(%a: tensor<4xf32>) {
  // expected-error @+2 {{'yolo.pad' op pads [9223372036854775807, 1] overflow the extents of input [4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.pad %a {pads = array<i64: 9223372036854775807, 1>} : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.reshape
//===----------------------------------------------------------------------===//

func.func @reshape_shape(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.reshape' op expected positive shape, got [-1, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reshape %a {shape = array<i64: -1, 4>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.reshape' op cannot reshape [4, 4] (16 elements) to [3, 4] (12 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reshape %a {shape = array<i64: 3, 4>} : (tensor<4x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// 16777232 * 1099510579201 = 2^64 + 16 wraps around to the input's 16 elements.
func.func @reshape_overflow(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.reshape' op cannot reshape [4, 4] (16 elements) to [16777232, 1099510579201] (too many elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reshape %a {shape = array<i64: 16777232, 1099510579201>} : (tensor<4x4xf32>) -> tensor<16777232x1099510579201xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.transpose
//===----------------------------------------------------------------------===//

func.func @transpose_rank(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.transpose' op expected a permutation of 2 dimensions, got [0, 1, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.transpose %a {perm = array<i64: 0, 1, 2>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @transpose_repeated(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.transpose' op expected a permutation of [0, 2), got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.transpose %a {perm = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @transpose_out_of_range(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{'yolo.transpose' op expected a permutation of [0, 2), got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.transpose %a {perm = array<i64: 0, 2>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// yolo.decode_detections
//===----------------------------------------------------------------------===//

func.func @decode_reg_max(%a: tensor<1x144x84xf32>) {
  // expected-error @+1 {{'yolo.decode_detections' op attribute 'reg_max' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = yolo.decode_detections %a {reg_max = 0 : i64, strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x148x84xf32>
  return
}

// -----

func.func @decode_rank(%a: tensor<1x144x8x8xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected input [N, 4 * reg_max + classes, anchors], got [1, 144, 8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8>, grid_h = array<i64: 8>, grid_w = array<i64: 8>} : (tensor<1x144x8x8xf32>) -> tensor<1x84x64xf32>
  return
}

// -----

func.func @decode_levels(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected one stride, grid_h and grid_w per level, got 3, 2 and 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_no_levels(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected one stride, grid_h and grid_w per level, got 0, 0 and 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64>, grid_h = array<i64>, grid_w = array<i64>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_strides(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected positive strides, got [8, 0, 32]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 0, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_grid_h(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected positive grid_h, got [8, 4, -2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, -2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_grid_w(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected positive grid_w, got [0, 4, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 0, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_anchor_overflow(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op grid_h [4294967296] and grid_w [4294967296] overflow the anchor count}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8>, grid_h = array<i64: 4294967296>, grid_w = array<i64: 4294967296>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_anchors(%a: tensor<1x144x80xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op grids hold 84 anchors, input has 80}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x80xf32>) -> tensor<1x84x80xf32>
  return
}

// -----

func.func @decode_channels(%a: tensor<1x64x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected more than 4 * reg_max channels (reg_max 16), got 64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x64x84xf32>) -> tensor<1x4x84xf32>
  return
}

// -----

func.func @decode_channels_overflow(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op expected more than 4 * reg_max channels (reg_max 4611686018427387904), got 144}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {reg_max = 4611686018427387904 : i64, strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_result_type(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{'yolo.decode_detections' op inferred type(s) 'tensor<1x84x84xf32>' are incompatible with return type(s) of operation 'tensor<1x80x84xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x80x84xf32>
  return
}
