// RUN: yolo-opt %s -split-input-file -verify-diagnostics

// Structural errors are found by type inference, which reports the reason
// and then, as for every InferTypeOpInterface op, "failed to infer returned
// types".

func.func @conv_elem_type(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf16>) {
  // expected-error @+2 {{expected input and weight of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf16>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{expected positive strides, got [0, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_stride_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'strides' failed to satisfy constraint}}
  %0 = yolo.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{expected positive dilations, got [1, -1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {dilations = array<i64: 1, -1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{expected non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{expected groups (3) to divide input channels (4) and output channels (8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w {groups = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{expected weight input channels x groups (3 x 1) to equal input channels (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{expected bias of 8 values, got 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_bias_type(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf16>) {
  // expected-error @+2 {{expected bias of the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf16>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_too_small(%x: tensor<1x4x2x2xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{kernel [3, 3] does not fit padded input [2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x2x2xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+2 {{'yolo.conv2d' op inferred type(s) 'tensor<1x8x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x8x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{operand #0 must be 4-D static float tensor}}
  %0 = yolo.conv2d %x, %w : (tensor<4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @conv_dynamic(%x: tensor<?x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{operand #0 must be 4-D static float tensor}}
  %0 = yolo.conv2d %x, %w : (tensor<?x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @bn_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error @+2 {{expected input of rank >= 2, got rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %p, %p, %p : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @bn_channels(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %q: tensor<3xf32>) {
  // expected-error @+2 {{expected mean of 4 values (one per channel), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %p, %q, %p : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @bn_type(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %q: tensor<4xf16>) {
  // expected-error @+2 {{expected var of the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.batch_norm %x, %p, %p, %p, %q : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @binary_broadcast(%a: tensor<1x4x2x2xf32>, %b: tensor<1x3x1x1xf32>) {
  // expected-error @+2 {{operand shapes [1, 4, 2, 2] and [1, 3, 1, 1] are not broadcast compatible}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.add %a, %b : (tensor<1x4x2x2xf32>, tensor<1x3x1x1xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @binary_type(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+2 {{expected operands of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.mul %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{expected axis in [0, 2), got 2}}
  %0 = yolo.softmax %a {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axes(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{expected axes in [0, 2), got [0, 5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reduce_sum %a {axes = array<i64: 0, 5>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_distinct(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{expected distinct axes, got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reduce_sum %a {axes = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{expected positive kernel, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 0, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x7xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{expected pads [2, 2, 2, 2] smaller than kernel [2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.avg_pool %x {kernel = array<i64: 2, 2>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x11x11xf32>
  return
}

// -----

func.func @pool_too_small(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+2 {{kernel [5, 5] does not fit padded input [2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 5, 5>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @pool_strides(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{expected positive strides, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @resize_scales(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{'scales' failed to satisfy constraint}}
  %0 = yolo.resize %x {scales = array<i64: 0, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x16xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<1x4xf32>) {
  // expected-error @+2 {{expected axis in [0, 2), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %a {axis = 2 : i64} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{expected at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat {axis = 0 : i64} : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<1x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{expected inputs of rank 2, input 1 has rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_shape(%a: tensor<1x4xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{input 1 has shape [2, 4], incompatible with [1, 4] outside axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @concat_type(%a: tensor<1x4xf32>, %b: tensor<1x4xf16>) {
  // expected-error @+2 {{expected inputs of the same element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x4xf32>, tensor<1x4xf16>) -> tensor<1x8xf32>
  return
}

// -----

func.func @slice_count(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected 2 offsets, sizes and strides, got 1, 2 and 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_strides(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected positive strides, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_offsets(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected non-negative offsets, got [-1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: -1, 0>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_sizes(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected positive sizes, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 0, 2>, strides = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<0x2xf32>
  return
}

// -----

func.func @slice_bounds(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{slice of dimension 1 (offset 2, size 2, stride 2) runs past its extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.slice %a {offsets = array<i64: 0, 2>, sizes = array<i64: 2, 2>, strides = array<i64: 1, 2>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @split_axis(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected axis in [0, 2), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 3 : i64, sizes = array<i64: 2, 2>} : (tensor<4x4xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>)
  return
}

// -----

func.func @split_empty(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected at least one size}}
  // expected-error @+1 {{failed to infer returned types}}
  yolo.split %a {axis = 1 : i64, sizes = array<i64>} : (tensor<4x4xf32>) -> ()
  return
}

// -----

func.func @split_positive(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected positive sizes, got [4, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 1 : i64, sizes = array<i64: 4, 0>} : (tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x0xf32>)
  return
}

// -----

func.func @split_sum(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{sizes [2, 3] add up to 5, expected the extent of axis 1 (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = yolo.split %a {axis = 1 : i64, sizes = array<i64: 2, 3>} : (tensor<4x4xf32>) -> (tensor<4x2xf32>, tensor<4x3xf32>)
  return
}

// -----

func.func @pad_count(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected 4 pad values, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.pad %a {pads = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

func.func @pad_negative(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected non-negative pads, got [0, -1, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.pad %a {pads = array<i64: 0, -1, 0, 0>} : (tensor<4x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @reshape_shape(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected positive shape, got [-1, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reshape %a {shape = array<i64: -1, 4>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{cannot reshape [4, 4] (16 elements) to [3, 4] (12 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.reshape %a {shape = array<i64: 3, 4>} : (tensor<4x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @transpose_rank(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected a permutation of 2 dimensions, got [0, 1, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.transpose %a {perm = array<i64: 0, 1, 2>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @transpose_perm(%a: tensor<4x4xf32>) {
  // expected-error @+2 {{expected a permutation of [0, 2), got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.transpose %a {perm = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @decode_rank(%a: tensor<1x144x8x8xf32>) {
  // expected-error @+2 {{expected input [N, 4 * reg_max + classes, anchors], got [1, 144, 8, 8]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8>, grid_h = array<i64: 8>, grid_w = array<i64: 8>} : (tensor<1x144x8x8xf32>) -> tensor<1x84x64xf32>
  return
}

// -----

func.func @decode_levels(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{expected one stride, grid_h and grid_w per level, got 3, 2 and 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_positive(%a: tensor<1x144x84xf32>) {
  // expected-error @+2 {{expected positive strides, got [8, 0, 32]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 0, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  return
}

// -----

func.func @decode_anchors(%a: tensor<1x144x80xf32>) {
  // expected-error @+2 {{grids hold 84 anchors, input has 80}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x80xf32>) -> tensor<1x84x80xf32>
  return
}

// -----

func.func @decode_channels(%a: tensor<1x64x84xf32>) {
  // expected-error @+2 {{expected more than 4 * reg_max (64) channels, got 64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = yolo.decode_detections %a {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x64x84xf32>) -> tensor<1x4x84xf32>
  return
}
