// RUN: yolo-opt %s | yolo-opt | FileCheck %s
// RUN: yolo-opt %s --mlir-print-op-generic | yolo-opt | FileCheck %s

// Round trip of every yolo op, through the custom and the generic form.
// Attributes equal to their default are not printed.

// CHECK-LABEL: func @constant
// CHECK-NEXT: %[[R32:.*]] = yolo.constant dense_resource<weight_f32> : tensor<2x2xf32>
// CHECK-NEXT: %[[R16:.*]] = yolo.constant dense_resource<weight_f16> : tensor<2xf16>
// CHECK-NEXT: %[[SPLAT:.*]] = yolo.constant dense<0.000000e+00> : tensor<1x4x1x1xf32>
// CHECK-NEXT: %[[INLINE:.*]] = yolo.constant dense<[1.000000e+00, -2.500000e-01]> : tensor<2xf32>
// CHECK-NEXT: %[[BF16:.*]] = yolo.constant dense<5.000000e-01> : tensor<3xbf16>
// CHECK-NEXT: return %[[R32]], %[[R16]], %[[SPLAT]], %[[INLINE]], %[[BF16]]
func.func @constant() -> (tensor<2x2xf32>, tensor<2xf16>, tensor<1x4x1x1xf32>, tensor<2xf32>, tensor<3xbf16>) {
  %0 = yolo.constant dense_resource<weight_f32> : tensor<2x2xf32>
  %1 = yolo.constant dense_resource<weight_f16> : tensor<2xf16>
  %2 = yolo.constant dense<0.0> : tensor<1x4x1x1xf32>
  %3 = yolo.constant dense<[1.0, -0.25]> : tensor<2xf32>
  %4 = yolo.constant dense<0.5> : tensor<3xbf16>
  return %0, %1, %2, %3, %4 : tensor<2x2xf32>, tensor<2xf16>, tensor<1x4x1x1xf32>, tensor<2xf32>, tensor<3xbf16>
}

// CHECK-LABEL: func @conv2d
// CHECK-NEXT: %[[PLAIN:.*]] = yolo.conv2d %arg0, %arg1 : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[BIAS:.*]] = yolo.conv2d %arg0, %arg1, %arg3 : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[DEFAULTS:.*]] = yolo.conv2d %arg0, %arg1, %arg3 : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[GROUPED:.*]] = yolo.conv2d %arg0, %arg2, %arg3 {activation = #yolo.activation<silu>, dilations = array<i64: 1, 2>, groups = 2 : i64, pads = array<i64: 1, 0, 2, 1>, strides = array<i64: 2, 1>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
// CHECK-NEXT: %[[SIGMOID:.*]] = yolo.conv2d %arg0, %arg1, %arg3 {activation = #yolo.activation<sigmoid>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[RELU:.*]] = yolo.conv2d %arg0, %arg1 {activation = #yolo.activation<relu>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[LEAKY:.*]] = yolo.conv2d %arg0, %arg1, %arg3 {activation = #yolo.activation<leaky_relu>, alpha = 2.000000e-01 : f32} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[DEPTHWISE:.*]] = yolo.conv2d %arg0, %arg4 {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[F16:.*]] = yolo.conv2d %arg5, %arg6 {strides = array<i64: 2, 2>} : (tensor<2x3x9x9xf16>, tensor<16x3x1x1xf16>) -> tensor<2x16x5x5xf16>
// CHECK-NEXT: return %[[PLAIN]], %[[BIAS]], %[[DEFAULTS]], %[[GROUPED]], %[[SIGMOID]], %[[RELU]], %[[LEAKY]], %[[DEPTHWISE]], %[[F16]]
func.func @conv2d(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %wg: tensor<8x2x3x3xf32>, %b: tensor<8xf32>, %wd: tensor<4x1x3x3xf32>, %xh: tensor<2x3x9x9xf16>, %wh: tensor<16x3x1x1xf16>)
    -> (tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x5x5xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x4x8x8xf32>, tensor<2x16x5x5xf16>) {
  %0 = yolo.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  %1 = yolo.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  // Every attribute spelled out with its default value.
  %2 = yolo.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64, activation = #yolo.activation<none>, alpha = 0.01 : f32} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  // H: (8 + 1 + 2 - 3) / 2 + 1 = 5; W: (8 + 0 + 1 - (2 * 2 + 1)) / 1 + 1 = 5.
  %3 = yolo.conv2d %x, %wg, %b {strides = array<i64: 2, 1>, pads = array<i64: 1, 0, 2, 1>, dilations = array<i64: 1, 2>, groups = 2 : i64, activation = #yolo.activation<silu>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  %4 = yolo.conv2d %x, %w, %b {activation = #yolo.activation<sigmoid>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  %5 = yolo.conv2d %x, %w {activation = #yolo.activation<relu>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  %6 = yolo.conv2d %x, %w, %b {activation = #yolo.activation<leaky_relu>, alpha = 0.2 : f32} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  %7 = yolo.conv2d %x, %wd {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
  %8 = yolo.conv2d %xh, %wh {strides = array<i64: 2, 2>} : (tensor<2x3x9x9xf16>, tensor<16x3x1x1xf16>) -> tensor<2x16x5x5xf16>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x5x5xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>, tensor<1x4x8x8xf32>, tensor<2x16x5x5xf16>
}

// CHECK-LABEL: func @conv_transpose
// CHECK-NEXT: %[[UP:.*]] = yolo.conv_transpose %arg0, %arg1, %arg3 {strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x6x2x2xf32>, tensor<6xf32>) -> tensor<1x6x16x16xf32>
// CHECK-NEXT: %[[PLAIN:.*]] = yolo.conv_transpose %arg0, %arg1 : (tensor<1x4x8x8xf32>, tensor<4x6x2x2xf32>) -> tensor<1x6x9x9xf32>
// CHECK-NEXT: %[[DEFAULTS:.*]] = yolo.conv_transpose %arg0, %arg1 : (tensor<1x4x8x8xf32>, tensor<4x6x2x2xf32>) -> tensor<1x6x9x9xf32>
// CHECK-NEXT: %[[GROUPED:.*]] = yolo.conv_transpose %arg0, %arg2, %arg3 {dilations = array<i64: 2, 1>, groups = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 0, 2, 1>, strides = array<i64: 1, 3>} : (tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x10x23xf32>
// CHECK-NEXT: %[[F16:.*]] = yolo.conv_transpose %arg4, %arg5 {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<2x3x5x5xf16>, tensor<3x8x3x3xf16>) -> tensor<2x8x10x10xf16>
// CHECK-NEXT: return %[[UP]], %[[PLAIN]], %[[DEFAULTS]], %[[GROUPED]], %[[F16]]
func.func @conv_transpose(%x: tensor<1x4x8x8xf32>, %w: tensor<4x6x2x2xf32>, %wg: tensor<4x3x3x3xf32>, %b: tensor<6xf32>, %xh: tensor<2x3x5x5xf16>, %wh: tensor<3x8x3x3xf16>)
    -> (tensor<1x6x16x16xf32>, tensor<1x6x9x9xf32>, tensor<1x6x9x9xf32>, tensor<1x6x10x23xf32>, tensor<2x8x10x10xf16>) {
  // Ultralytics' upsampling: kernel 2, stride 2 doubles H and W.
  %0 = yolo.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x6x2x2xf32>, tensor<6xf32>) -> tensor<1x6x16x16xf32>
  // Stride 1: (8 - 1) + (2 - 1) + 1 = 9.
  %1 = yolo.conv_transpose %x, %w : (tensor<1x4x8x8xf32>, tensor<4x6x2x2xf32>) -> tensor<1x6x9x9xf32>
  // Every attribute spelled out with its default value.
  %2 = yolo.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x6x2x2xf32>) -> tensor<1x6x9x9xf32>
  // Output channels 3 x 2 groups; H: 7 * 1 + 2 * 2 + 1 + 1 - 3 = 10;
  // W: 7 * 3 + 1 * 2 + 1 + 0 - 1 = 23 (output padding below the dilation).
  %3 = yolo.conv_transpose %x, %wg, %b {strides = array<i64: 1, 3>, pads = array<i64: 1, 0, 2, 1>, dilations = array<i64: 2, 1>, output_padding = array<i64: 1, 0>, groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x10x23xf32>
  // 4 * 2 + 2 + 1 + 1 - 2 = 10.
  %4 = yolo.conv_transpose %xh, %wh {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<2x3x5x5xf16>, tensor<3x8x3x3xf16>) -> tensor<2x8x10x10xf16>
  return %0, %1, %2, %3, %4 : tensor<1x6x16x16xf32>, tensor<1x6x9x9xf32>, tensor<1x6x9x9xf32>, tensor<1x6x10x23xf32>, tensor<2x8x10x10xf16>
}

// CHECK-LABEL: func @batch_norm
// CHECK-NEXT: %[[NCHW:.*]] = yolo.batch_norm %arg0, %arg1, %arg2, %arg3, %arg4 {epsilon = 1.000000e-03 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[NC:.*]] = yolo.batch_norm %arg5, %arg1, %arg2, %arg3, %arg4 : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
// CHECK-NEXT: return %[[NCHW]], %[[NC]]
func.func @batch_norm(%x: tensor<1x4x2x2xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>, %y: tensor<3x4xf32>) -> (tensor<1x4x2x2xf32>, tensor<3x4xf32>) {
  %0 = yolo.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.batch_norm %y, %s, %b, %m, %v {epsilon = 1.0e-5 : f32} : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0, %1 : tensor<1x4x2x2xf32>, tensor<3x4xf32>
}

// CHECK-LABEL: func @unary
// CHECK-NEXT: %[[SILU:.*]] = yolo.silu %arg0 : tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[SIGMOID:.*]] = yolo.sigmoid %[[SILU]] : tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[RELU:.*]] = yolo.relu %[[SIGMOID]] : tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[LEAKY:.*]] = yolo.leaky_relu %[[RELU]] {alpha = 1.000000e-01 : f32} : tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[SILU16:.*]] = yolo.silu %arg1 : tensor<8xf16>
// CHECK-NEXT: %[[SIGMOIDBF16:.*]] = yolo.sigmoid %arg2 : tensor<bf16>
// CHECK-NEXT: return %[[LEAKY]], %[[SILU16]], %[[SIGMOIDBF16]]
func.func @unary(%x: tensor<1x4x2x2xf32>, %h: tensor<8xf16>, %s: tensor<bf16>) -> (tensor<1x4x2x2xf32>, tensor<8xf16>, tensor<bf16>) {
  %0 = yolo.silu %x : tensor<1x4x2x2xf32>
  %1 = yolo.sigmoid %0 : tensor<1x4x2x2xf32>
  %2 = yolo.relu %1 : tensor<1x4x2x2xf32>
  %3 = yolo.leaky_relu %2 {alpha = 0.1 : f32} : tensor<1x4x2x2xf32>
  %4 = yolo.silu %h : tensor<8xf16>
  %5 = yolo.sigmoid %s : tensor<bf16>
  return %3, %4, %5 : tensor<1x4x2x2xf32>, tensor<8xf16>, tensor<bf16>
}

// Numpy broadcasting: unit dimensions stretch, missing leading dimensions
// are added, a rank-0 operand broadcasts to anything.
// CHECK-LABEL: func @binary
// CHECK-NEXT: %[[ADD:.*]] = yolo.add %arg0, %arg1 : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[SUB:.*]] = yolo.sub %arg1, %[[ADD]] : (tensor<1x4x1x1xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[MUL:.*]] = yolo.mul %[[SUB]], %arg2 : (tensor<1x4x2x2xf32>, tensor<2xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[DIV:.*]] = yolo.div %[[MUL]], %arg3 : (tensor<1x4x2x2xf32>, tensor<f32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[OUTER:.*]] = yolo.mul %arg4, %arg5 : (tensor<3x1xf32>, tensor<1x5xf32>) -> tensor<3x5xf32>
// CHECK-NEXT: %[[RANKUP:.*]] = yolo.add %arg5, %arg6 : (tensor<1x5xf32>, tensor<2x1x1xf32>) -> tensor<2x1x5xf32>
// CHECK-NEXT: %[[F16:.*]] = yolo.sub %arg7, %arg7 : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
// CHECK-NEXT: return %[[DIV]], %[[OUTER]], %[[RANKUP]], %[[F16]]
func.func @binary(%x: tensor<1x4x2x2xf32>, %c: tensor<1x4x1x1xf32>, %r: tensor<2xf32>, %s: tensor<f32>, %col: tensor<3x1xf32>, %row: tensor<1x5xf32>, %u: tensor<2x1x1xf32>, %h: tensor<4xf16>)
    -> (tensor<1x4x2x2xf32>, tensor<3x5xf32>, tensor<2x1x5xf32>, tensor<4xf16>) {
  %0 = yolo.add %x, %c : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.sub %c, %0 : (tensor<1x4x1x1xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %2 = yolo.mul %1, %r : (tensor<1x4x2x2xf32>, tensor<2xf32>) -> tensor<1x4x2x2xf32>
  %3 = yolo.div %2, %s : (tensor<1x4x2x2xf32>, tensor<f32>) -> tensor<1x4x2x2xf32>
  %4 = yolo.mul %col, %row : (tensor<3x1xf32>, tensor<1x5xf32>) -> tensor<3x5xf32>
  %5 = yolo.add %row, %u : (tensor<1x5xf32>, tensor<2x1x1xf32>) -> tensor<2x1x5xf32>
  %6 = yolo.sub %h, %h : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  return %3, %4, %5, %6 : tensor<1x4x2x2xf32>, tensor<3x5xf32>, tensor<2x1x5xf32>, tensor<4xf16>
}

// CHECK-LABEL: func @softmax
// CHECK-NEXT: %[[CHANNELS:.*]] = yolo.softmax %arg0 {axis = 1 : i64} : tensor<1x16x4x8xf32>
// CHECK-NEXT: %[[LAST:.*]] = yolo.softmax %[[CHANNELS]] {axis = 3 : i64} : tensor<1x16x4x8xf32>
// CHECK-NEXT: return %[[LAST]]
func.func @softmax(%x: tensor<1x16x4x8xf32>) -> tensor<1x16x4x8xf32> {
  %0 = yolo.softmax %x {axis = 1 : i64} : tensor<1x16x4x8xf32>
  %1 = yolo.softmax %0 {axis = 3 : i64} : tensor<1x16x4x8xf32>
  return %1 : tensor<1x16x4x8xf32>
}

// CHECK-LABEL: func @reduce_sum
// CHECK-NEXT: %[[DROP:.*]] = yolo.reduce_sum %arg0 {axes = array<i64: 0>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %[[KEEP:.*]] = yolo.reduce_sum %arg0 {axes = array<i64: 2, 4>} : (tensor<3x1x4x2x2xf32>) -> tensor<3x1x1x2x1xf32>
// CHECK-NEXT: %[[KEEP2:.*]] = yolo.reduce_sum %arg0 {axes = array<i64: 3>} : (tensor<3x1x4x2x2xf32>) -> tensor<3x1x4x1x2xf32>
// CHECK-NEXT: %[[ALL:.*]] = yolo.reduce_sum %arg0 {axes = array<i64: 4, 0, 2>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: return %[[DROP]], %[[KEEP]], %[[KEEP2]], %[[ALL]]
func.func @reduce_sum(%x: tensor<3x1x4x2x2xf32>) -> (tensor<1x4x2x2xf32>, tensor<3x1x1x2x1xf32>, tensor<3x1x4x1x2xf32>, tensor<1x2xf32>) {
  %0 = yolo.reduce_sum %x {axes = array<i64: 0>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %1 = yolo.reduce_sum %x {axes = array<i64: 2, 4>} : (tensor<3x1x4x2x2xf32>) -> tensor<3x1x1x2x1xf32>
  %2 = yolo.reduce_sum %x {axes = array<i64: 3>, keep_dims = true} : (tensor<3x1x4x2x2xf32>) -> tensor<3x1x4x1x2xf32>
  %3 = yolo.reduce_sum %x {axes = array<i64: 4, 0, 2>, keep_dims = false} : (tensor<3x1x4x2x2xf32>) -> tensor<1x2xf32>
  return %0, %1, %2, %3 : tensor<1x4x2x2xf32>, tensor<3x1x1x2x1xf32>, tensor<3x1x4x1x2xf32>, tensor<1x2xf32>
}

// CHECK-LABEL: func @max_pool
// CHECK-NEXT: %[[SPPF:.*]] = yolo.max_pool %arg0 {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x20xf32>
// CHECK-NEXT: %[[STRIDED:.*]] = yolo.max_pool %arg0 {kernel = array<i64: 3, 2>, pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 3>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x10x7xf32>
// CHECK-NEXT: %[[DEFAULTS:.*]] = yolo.max_pool %arg0 {kernel = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x19x19xf32>
// CHECK-NEXT: return %[[SPPF]], %[[STRIDED]], %[[DEFAULTS]]
func.func @max_pool(%x: tensor<1x8x20x20xf32>) -> (tensor<1x8x20x20xf32>, tensor<1x8x10x7xf32>, tensor<1x8x19x19xf32>) {
  %0 = yolo.max_pool %x {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x20xf32>
  // H: (20 + 1 + 0 - 3) / 2 + 1 = 10; W: (20 + 0 + 1 - 2) / 3 + 1 = 7.
  %1 = yolo.max_pool %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 1>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x10x7xf32>
  %2 = yolo.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x19x19xf32>
  return %0, %1, %2 : tensor<1x8x20x20xf32>, tensor<1x8x10x7xf32>, tensor<1x8x19x19xf32>
}

// CHECK-LABEL: func @avg_pool
// CHECK-NEXT: %[[ADOWN:.*]] = yolo.avg_pool %arg0 {count_include_pad = true, kernel = array<i64: 2, 2>} : (tensor<1x8x21x21xf32>) -> tensor<1x8x20x20xf32>
// CHECK-NEXT: %[[PADDED:.*]] = yolo.avg_pool %arg0 {count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x21x21xf32>) -> tensor<1x8x11x11xf32>
// CHECK-NEXT: %[[EXCLUDE:.*]] = yolo.avg_pool %arg0 {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x21x21xf32>) -> tensor<1x8x11x11xf32>
// CHECK-NEXT: return %[[ADOWN]], %[[PADDED]], %[[EXCLUDE]]
func.func @avg_pool(%x: tensor<1x8x21x21xf32>) -> (tensor<1x8x20x20xf32>, tensor<1x8x11x11xf32>, tensor<1x8x11x11xf32>) {
  %0 = yolo.avg_pool %x {kernel = array<i64: 2, 2>, count_include_pad = true} : (tensor<1x8x21x21xf32>) -> tensor<1x8x20x20xf32>
  %1 = yolo.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<1x8x21x21xf32>) -> tensor<1x8x11x11xf32>
  %2 = yolo.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = false} : (tensor<1x8x21x21xf32>) -> tensor<1x8x11x11xf32>
  return %0, %1, %2 : tensor<1x8x20x20xf32>, tensor<1x8x11x11xf32>, tensor<1x8x11x11xf32>
}

// CHECK-LABEL: func @resize
// CHECK-NEXT: %[[UP:.*]] = yolo.resize %arg0 {scales = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x40xf32>
// CHECK-NEXT: %[[WIDE:.*]] = yolo.resize %arg0 {scales = array<i64: 1, 3>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x60xf32>
// CHECK-NEXT: return %[[UP]], %[[WIDE]]
func.func @resize(%x: tensor<1x8x20x20xf32>) -> (tensor<1x8x40x40xf32>, tensor<1x8x20x60xf32>) {
  %0 = yolo.resize %x {scales = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x40xf32>
  %1 = yolo.resize %x {scales = array<i64: 1, 3>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x60xf32>
  return %0, %1 : tensor<1x8x40x40xf32>, tensor<1x8x20x60xf32>
}

// The defaults (mode nearest, asymmetric coordinates) are not printed.
// CHECK-LABEL: func @resize_linear
// CHECK-NEXT: %[[HALF:.*]] = yolo.resize %arg0 {coordinate_mode = #yolo.coordinate_mode<half_pixel>, coordinate_scales = array<f32: 1.500000e+00, 1.500000e+00>, mode = #yolo.resize_mode<linear>, size = array<i64: 30, 30>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x30x30xf32>
// CHECK-NEXT: %[[CORNERS:.*]] = yolo.resize %arg0 {coordinate_mode = #yolo.coordinate_mode<align_corners>, coordinate_scales = array<f32: 2.000000e+00, 5.000000e-01>, mode = #yolo.resize_mode<linear>, size = array<i64: 40, 10>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x10xf32>
// CHECK-NEXT: %[[PYTORCH:.*]] = yolo.resize %arg0 {coordinate_mode = #yolo.coordinate_mode<pytorch_half_pixel>, coordinate_scales = array<f32: 5.000000e-02, 1.000000e+00>, mode = #yolo.resize_mode<linear>, size = array<i64: 1, 20>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x1x20xf32>
// CHECK-NEXT: %[[ASYM:.*]] = yolo.resize %arg0 {coordinate_scales = array<f32: 3.000000e+00, 3.000000e+00>, mode = #yolo.resize_mode<linear>, size = array<i64: 60, 60>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x60x60xf32>
// CHECK-NEXT: %[[NEAREST:.*]] = yolo.resize %arg0 {scales = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x40xf32>
// CHECK-NEXT: return %[[HALF]], %[[CORNERS]], %[[PYTORCH]], %[[ASYM]], %[[NEAREST]]
func.func @resize_linear(%x: tensor<1x8x20x20xf32>) -> (tensor<1x8x30x30xf32>, tensor<1x8x40x10xf32>, tensor<1x8x1x20xf32>, tensor<1x8x60x60xf32>, tensor<1x8x40x40xf32>) {
  %0 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<half_pixel>, size = array<i64: 30, 30>, coordinate_scales = array<f32: 1.5, 1.5>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x30x30xf32>
  %1 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<align_corners>, size = array<i64: 40, 10>, coordinate_scales = array<f32: 2.0, 0.5>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x10xf32>
  %2 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<pytorch_half_pixel>, size = array<i64: 1, 20>, coordinate_scales = array<f32: 0.05, 1.0>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x1x20xf32>
  %3 = yolo.resize %x {mode = #yolo.resize_mode<linear>, coordinate_mode = #yolo.coordinate_mode<asymmetric>, size = array<i64: 60, 60>, coordinate_scales = array<f32: 3.0, 3.0>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x60x60xf32>
  // Every attribute of a nearest resize spelled out.
  %4 = yolo.resize %x {mode = #yolo.resize_mode<nearest>, coordinate_mode = #yolo.coordinate_mode<asymmetric>, scales = array<i64: 2, 2>} : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x40xf32>
  return %0, %1, %2, %3, %4 : tensor<1x8x30x30xf32>, tensor<1x8x40x10xf32>, tensor<1x8x1x20xf32>, tensor<1x8x60x60xf32>, tensor<1x8x40x40xf32>
}

// CHECK-LABEL: func @concat
// CHECK-NEXT: %[[CHANNELS:.*]] = yolo.concat %arg0, %arg1 {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x24x4x4xf32>
// CHECK-NEXT: %[[THREE:.*]] = yolo.concat %arg2, %arg3, %arg2 {axis = 2 : i64} : (tensor<1x144x64xf32>, tensor<1x144x16xf32>, tensor<1x144x64xf32>) -> tensor<1x144x144xf32>
// CHECK-NEXT: %[[ONE:.*]] = yolo.concat %arg0 {axis = 0 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[CHANNELS]], %[[THREE]], %[[ONE]]
func.func @concat(%a: tensor<1x8x4x4xf32>, %b: tensor<1x16x4x4xf32>, %p: tensor<1x144x64xf32>, %q: tensor<1x144x16xf32>) -> (tensor<1x24x4x4xf32>, tensor<1x144x144xf32>, tensor<1x8x4x4xf32>) {
  %0 = yolo.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x24x4x4xf32>
  %1 = yolo.concat %p, %q, %p {axis = 2 : i64} : (tensor<1x144x64xf32>, tensor<1x144x16xf32>, tensor<1x144x64xf32>) -> tensor<1x144x144xf32>
  %2 = yolo.concat %a {axis = 0 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1, %2 : tensor<1x24x4x4xf32>, tensor<1x144x144xf32>, tensor<1x8x4x4xf32>
}

// CHECK-LABEL: func @slice
// CHECK-NEXT: %[[CHUNK:.*]] = yolo.slice %arg0 {offsets = array<i64: 0, 8, 0, 0>, sizes = array<i64: 1, 8, 4, 4>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[STRIDED:.*]] = yolo.slice %arg0 {offsets = array<i64: 0, 1, 0, 3>, sizes = array<i64: 1, 5, 2, 1>, strides = array<i64: 1, 3, 3, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x5x2x1xf32>
// CHECK-NEXT: return %[[CHUNK]], %[[STRIDED]]
func.func @slice(%x: tensor<1x16x4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x5x2x1xf32>) {
  %0 = yolo.slice %x {offsets = array<i64: 0, 8, 0, 0>, sizes = array<i64: 1, 8, 4, 4>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x8x4x4xf32>
  // The last elements read are 1 + 4 * 3 = 13 < 16 and 0 + 1 * 3 = 3 < 4.
  %1 = yolo.slice %x {offsets = array<i64: 0, 1, 0, 3>, sizes = array<i64: 1, 5, 2, 1>, strides = array<i64: 1, 3, 3, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x5x2x1xf32>
  return %0, %1 : tensor<1x8x4x4xf32>, tensor<1x5x2x1xf32>
}

// CHECK-LABEL: func @split
// CHECK-NEXT: %[[HEAD:.*]]:2 = yolo.split %arg0 {axis = 1 : i64, sizes = array<i64: 64, 80>} : (tensor<1x144x84xf32>) -> (tensor<1x64x84xf32>, tensor<1x80x84xf32>)
// CHECK-NEXT: %[[LEVELS:.*]]:3 = yolo.split %arg0 {axis = 2 : i64, sizes = array<i64: 64, 16, 4>} : (tensor<1x144x84xf32>) -> (tensor<1x144x64xf32>, tensor<1x144x16xf32>, tensor<1x144x4xf32>)
// CHECK-NEXT: %[[ONE:.*]] = yolo.split %arg0 {axis = 0 : i64, sizes = array<i64: 1>} : (tensor<1x144x84xf32>) -> tensor<1x144x84xf32>
// CHECK-NEXT: return %[[HEAD]]#0, %[[HEAD]]#1, %[[LEVELS]]#0, %[[LEVELS]]#1, %[[LEVELS]]#2, %[[ONE]]
func.func @split(%x: tensor<1x144x84xf32>) -> (tensor<1x64x84xf32>, tensor<1x80x84xf32>, tensor<1x144x64xf32>, tensor<1x144x16xf32>, tensor<1x144x4xf32>, tensor<1x144x84xf32>) {
  %0:2 = yolo.split %x {axis = 1 : i64, sizes = array<i64: 64, 80>} : (tensor<1x144x84xf32>) -> (tensor<1x64x84xf32>, tensor<1x80x84xf32>)
  %1:3 = yolo.split %x {axis = 2 : i64, sizes = array<i64: 64, 16, 4>} : (tensor<1x144x84xf32>) -> (tensor<1x144x64xf32>, tensor<1x144x16xf32>, tensor<1x144x4xf32>)
  %2 = yolo.split %x {axis = 0 : i64, sizes = array<i64: 1>} : (tensor<1x144x84xf32>) -> tensor<1x144x84xf32>
  return %0#0, %0#1, %1#0, %1#1, %1#2, %2 : tensor<1x64x84xf32>, tensor<1x80x84xf32>, tensor<1x144x64xf32>, tensor<1x144x16xf32>, tensor<1x144x4xf32>, tensor<1x144x84xf32>
}

// CHECK-LABEL: func @pad
// CHECK-NEXT: %[[ZERO:.*]] = yolo.pad %arg0 {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x5x5xf32>
// CHECK-NEXT: %[[VALUE:.*]] = yolo.pad %arg0 {pads = array<i64: 0, 1, 2, 0, 0, 3, 0, 4>, value = -1.000000e+00 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x12x6x8xf32>
// CHECK-NEXT: %[[RANK1:.*]] = yolo.pad %arg1 {pads = array<i64: 2, 0>} : (tensor<3xf32>) -> tensor<5xf32>
// CHECK-NEXT: return %[[ZERO]], %[[VALUE]], %[[RANK1]]
func.func @pad(%x: tensor<1x8x4x4xf32>, %v: tensor<3xf32>) -> (tensor<1x8x5x5xf32>, tensor<1x12x6x8xf32>, tensor<5xf32>) {
  %0 = yolo.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>, value = 0.0 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x8x5x5xf32>
  %1 = yolo.pad %x {pads = array<i64: 0, 1, 2, 0, 0, 3, 0, 4>, value = -1.0 : f32} : (tensor<1x8x4x4xf32>) -> tensor<1x12x6x8xf32>
  %2 = yolo.pad %v {pads = array<i64: 2, 0>} : (tensor<3xf32>) -> tensor<5xf32>
  return %0, %1, %2 : tensor<1x8x5x5xf32>, tensor<1x12x6x8xf32>, tensor<5xf32>
}

// CHECK-LABEL: func @reshape
// CHECK-NEXT: %[[FLAT:.*]] = yolo.reshape %arg0 {shape = array<i64: 1, 16, 16>} : (tensor<1x16x4x4xf32>) -> tensor<1x16x16xf32>
// CHECK-NEXT: %[[BINS:.*]] = yolo.reshape %[[FLAT]] {shape = array<i64: 1, 4, 4, 16>} : (tensor<1x16x16xf32>) -> tensor<1x4x4x16xf32>
// CHECK-NEXT: %[[VECTOR:.*]] = yolo.reshape %arg0 {shape = array<i64: 256>} : (tensor<1x16x4x4xf32>) -> tensor<256xf32>
// CHECK-NEXT: return %[[BINS]], %[[VECTOR]]
func.func @reshape(%x: tensor<1x16x4x4xf32>) -> (tensor<1x4x4x16xf32>, tensor<256xf32>) {
  %0 = yolo.reshape %x {shape = array<i64: 1, 16, 16>} : (tensor<1x16x4x4xf32>) -> tensor<1x16x16xf32>
  %1 = yolo.reshape %0 {shape = array<i64: 1, 4, 4, 16>} : (tensor<1x16x16xf32>) -> tensor<1x4x4x16xf32>
  %2 = yolo.reshape %x {shape = array<i64: 256>} : (tensor<1x16x4x4xf32>) -> tensor<256xf32>
  return %1, %2 : tensor<1x4x4x16xf32>, tensor<256xf32>
}

// CHECK-LABEL: func @transpose
// CHECK-NEXT: %[[SWAP:.*]] = yolo.transpose %arg0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x16x84xf32>) -> tensor<1x16x4x84xf32>
// CHECK-NEXT: %[[ROTATE:.*]] = yolo.transpose %arg0 {perm = array<i64: 3, 0, 1, 2>} : (tensor<1x4x16x84xf32>) -> tensor<84x1x4x16xf32>
// CHECK-NEXT: return %[[SWAP]], %[[ROTATE]]
func.func @transpose(%x: tensor<1x4x16x84xf32>) -> (tensor<1x16x4x84xf32>, tensor<84x1x4x16xf32>) {
  %0 = yolo.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x16x84xf32>) -> tensor<1x16x4x84xf32>
  %1 = yolo.transpose %x {perm = array<i64: 3, 0, 1, 2>} : (tensor<1x4x16x84xf32>) -> tensor<84x1x4x16xf32>
  return %0, %1 : tensor<1x16x4x84xf32>, tensor<84x1x4x16xf32>
}

// Anchors: 8 * 8 + 4 * 4 + 2 * 2 = 84; classes: 144 - 4 * 16 = 80 and
// 40 - 4 * 8 = 8.
// CHECK-LABEL: func @decode_detections
// CHECK-NEXT: %[[COCO:.*]] = yolo.decode_detections %arg0 {grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>, strides = array<i64: 8, 16, 32>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
// CHECK-NEXT: %[[SMALL:.*]] = yolo.decode_detections %arg1 {grid_h = array<i64: 2>, grid_w = array<i64: 3>, reg_max = 8 : i64, strides = array<i64: 32>} : (tensor<2x40x6xf32>) -> tensor<2x12x6xf32>
// CHECK-NEXT: return %[[COCO]], %[[SMALL]]
func.func @decode_detections(%x: tensor<1x144x84xf32>, %y: tensor<2x40x6xf32>) -> (tensor<1x84x84xf32>, tensor<2x12x6xf32>) {
  %0 = yolo.decode_detections %x {reg_max = 16 : i64, strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32>
  %1 = yolo.decode_detections %y {reg_max = 8 : i64, strides = array<i64: 32>, grid_h = array<i64: 2>, grid_w = array<i64: 3>} : (tensor<2x40x6xf32>) -> tensor<2x12x6xf32>
  return %0, %1 : tensor<1x84x84xf32>, tensor<2x12x6xf32>
}

// The blobs survive both round trips unchanged (alignment, then the
// little-endian data: f32 1, 2, 3, 4 and f16 1, -2).
// CHECK: dialect_resources: {
// CHECK-NEXT: builtin: {
// CHECK-DAG: weight_f32: "0x040000000000803F000000400000404000008040"
// CHECK-DAG: weight_f16: "0x02000000003C00C0"

{-#
  dialect_resources: {
    builtin: {
      weight_f32: "0x040000000000803F000000400000404000008040",
      weight_f16: "0x02000000003C00C0"
    }
  }
#-}
