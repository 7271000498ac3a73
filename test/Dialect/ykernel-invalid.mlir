// RUN: yolo-opt %s -split-input-file -verify-diagnostics

func.func @arity(%a: memref<4xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{'ykernel.binary' op takes 2 input(s), got 1}}
  ykernel.binary ins(%a : memref<4xf32>) outs(%b : memref<4xf32>) {kind = #ykernel.binary<add>}
  return
}

// -----

func.func @innermost(%a: memref<4x8xf32>, %b: memref<4x4xf32>) {
  %v = memref.subview %a[0, 0] [4, 4] [1, 2] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 2]>>
  // expected-error @+1 {{'ykernel.unary' op operand 0: strided access along the innermost dimension is not supported (stride 2)}}
  ykernel.unary ins(%v : memref<4x4xf32, strided<[8, 2]>>) outs(%b : memref<4x4xf32>) {activation = #yolo.activation<relu>, alpha = 0.0 : f32}
  return
}

// -----

func.func @copy_shapes(%a: memref<4xf32>, %b: memref<8xf32>) {
  // expected-error @+1 {{'ykernel.copy' op copies between views of one shape}}
  ykernel.copy ins(%a : memref<4xf32>) outs(%b : memref<8xf32>)
  return
}

// -----

func.func @gemm_shapes(%x: memref<1x8x16xf32>, %w: memref<4x6xf32>, %b: memref<4xf32>, %y: memref<1x4x16xf32>) {
  // expected-error @+1 {{'ykernel.conv1x1' op expects input [N, C, P], weights [Co, C] and output [N, Co, P]}}
  ykernel.conv1x1 ins(%x, %w, %b : memref<1x8x16xf32>, memref<4x6xf32>, memref<4xf32>) outs(%y : memref<1x4x16xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32}
  return
}

// -----

func.func @tiles(%x: memref<1x8x16xf32>, %w: memref<4x8xf32>, %b: memref<4xf32>, %y: memref<1x4x16xf32>) {
  // expected-error @+1 {{'ykernel.conv1x1' op tiles must be [lanes, vectors, channels] arrays}}
  ykernel.conv1x1 ins(%x, %w, %b : memref<1x8x16xf32>, memref<4x8xf32>, memref<4xf32>) outs(%y : memref<1x4x16xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, tiles = [array<i64: 8, 3>]}
  return
}

// -----

func.func @dynamic(%a: memref<?xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{'ykernel.copy' op operand 0 must be a static f32 memref}}
  ykernel.copy ins(%a : memref<?xf32>) outs(%b : memref<4xf32>)
  return
}

// -----

// The weights are [C, Co/groups, Kh, Kw]: [4, 3] with 2 groups gives 6
// output channels, not 3.
func.func @conv_transpose_shapes(%x: memref<1x4x8x8xf32>, %w: memref<4x3x2x2xf32>, %b: memref<3xf32>, %y: memref<1x3x16x16xf32>) {
  // expected-error @+1 {{'ykernel.conv_transpose' op expects input [N, C, H, W], weights [C, Co/groups, Kh, Kw], bias [Co] and output [N, Co, Ho, Wo] with C and Co divisible by groups (2)}}
  ykernel.conv_transpose ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<4x3x2x2xf32>, memref<3xf32>) outs(%y : memref<1x3x16x16xf32>) {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 2 : i64}
  return
}

// -----

func.func @conv_transpose_extent(%x: memref<1x4x8x8xf32>, %w: memref<4x2x3x3xf32>, %b: memref<2xf32>, %y: memref<1x2x16x15xf32>) {
  // expected-error @+1 {{'ykernel.conv_transpose' op output width 15 disagrees with the strides, pads, dilations and output_padding, which give 16}}
  ykernel.conv_transpose ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<4x2x3x3xf32>, memref<2xf32>) outs(%y : memref<1x2x16x15xf32>) {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, groups = 1 : i64}
  return
}

// -----

func.func @conv_transpose_attrs(%x: memref<1x4x8x8xf32>, %w: memref<4x2x2x2xf32>, %b: memref<2xf32>, %y: memref<1x2x16x16xf32>) {
  // expected-error @+1 {{'ykernel.conv_transpose' op expects 2 strides, 4 pads, 2 dilations and 2 output_padding values}}
  ykernel.conv_transpose ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<4x2x2x2xf32>, memref<2xf32>) outs(%y : memref<1x2x16x16xf32>) {strides = array<i64: 2, 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 1 : i64}
  return
}

// -----

func.func @conv_transpose_values(%x: memref<1x4x8x8xf32>, %w: memref<4x2x2x2xf32>, %b: memref<2xf32>, %y: memref<1x2x16x16xf32>) {
  // expected-error @+1 {{'ykernel.conv_transpose' op expects positive strides, dilations and groups and non-negative pads and output_padding}}
  ykernel.conv_transpose ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<4x2x2x2xf32>, memref<2xf32>) outs(%y : memref<1x2x16x16xf32>) {strides = array<i64: 2, 0>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 1 : i64}
  return
}

// -----

func.func @resize_nearest_extent(%a: memref<1x4x8x8xf32>, %b: memref<1x4x16x12xf32>) {
  // expected-error @+1 {{'ykernel.resize' op output width 12 is not the input's 8 times scale 2}}
  ykernel.resize ins(%a : memref<1x4x8x8xf32>) outs(%b : memref<1x4x16x12xf32>) {scales = array<i64: 2, 2>}
  return
}

// -----

func.func @resize_nearest_coordinates(%a: memref<1x4x8x8xf32>, %b: memref<1x4x16x16xf32>) {
  // expected-error @+1 {{'ykernel.resize' op nearest resizing takes 2 integer scales and asymmetric coordinates}}
  ykernel.resize ins(%a : memref<1x4x8x8xf32>) outs(%b : memref<1x4x16x16xf32>) {scales = array<i64: 2, 2>, coordinate_mode = #yolo.coordinate_mode<half_pixel>}
  return
}

// -----

func.func @resize_linear_scales(%a: memref<1x4x8x8xf32>, %b: memref<1x4x12x12xf32>) {
  // expected-error @+1 {{'ykernel.resize' op linear resizing takes 2 coordinate_scales and no integer scales}}
  ykernel.resize ins(%a : memref<1x4x8x8xf32>) outs(%b : memref<1x4x12x12xf32>) {mode = #yolo.resize_mode<linear>, scales = array<i64: 2, 2>}
  return
}

// -----

func.func @resize_linear_scale_positive(%a: memref<1x4x8x8xf32>, %b: memref<1x4x12x12xf32>) {
  // expected-error @+1 {{'ykernel.resize' op expected positive finite coordinate_scales, got -1.500000e+00, 1.500000e+00}}
  ykernel.resize ins(%a : memref<1x4x8x8xf32>) outs(%b : memref<1x4x12x12xf32>) {mode = #yolo.resize_mode<linear>, coordinate_scales = array<f32: -1.5, 1.5>}
  return
}

// -----

func.func @resize_channels(%a: memref<1x4x8x8xf32>, %b: memref<1x8x12x12xf32>) {
  // expected-error @+1 {{'ykernel.resize' op resizes H and W of a 4-D input only}}
  ykernel.resize ins(%a : memref<1x4x8x8xf32>) outs(%b : memref<1x8x12x12xf32>) {mode = #yolo.resize_mode<linear>, coordinate_scales = array<f32: 1.5, 1.5>}
  return
}

// -----

// Winograd weights are either transformed, [(m + 2)^2, C, Co] or in blocks
// of B output channels [(m + 2)^2, ceil(Co / B), C, B], or the 3x3 ones as
// [3, 3, C, Co]; all are valid, a [3, 3, Co, C] one is not, nor blocks
// that do not cover Co.
func.func @winograd_weights(%x: memref<1x4x8x8xf32>, %u: memref<36x4x8xf32>, %ub: memref<36x1x4x16xf32>, %ub3: memref<36x3x4x3xf32>, %w: memref<3x3x4x8xf32>, %b: memref<8xf32>, %o: memref<1x8x8x8xf32>) {
  ykernel.conv_winograd ins(%x, %u, %b : memref<1x4x8x8xf32>, memref<36x4x8xf32>, memref<8xf32>) outs(%o : memref<1x8x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  ykernel.conv_winograd ins(%x, %ub, %b : memref<1x4x8x8xf32>, memref<36x1x4x16xf32>, memref<8xf32>) outs(%o : memref<1x8x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  ykernel.conv_winograd ins(%x, %ub3, %b : memref<1x4x8x8xf32>, memref<36x3x4x3xf32>, memref<8xf32>) outs(%o : memref<1x8x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  ykernel.conv_winograd ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<3x3x4x8xf32>, memref<8xf32>) outs(%o : memref<1x8x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  return
}

// -----

func.func @winograd_weights_layout(%x: memref<1x4x8x8xf32>, %w: memref<3x3x8x4xf32>, %b: memref<8xf32>, %o: memref<1x8x8x8xf32>) {
  // expected-error @+1 {{'ykernel.conv_winograd' op expects input [N, C, H, W], weights transformed [(m + 2)^2, C, Co] = [36, 4, 8] or [(m + 2)^2, ceil(Co / B), C, B] = [36, ceil(8 / B), 4, B] or 3x3 [3, 3, C, Co] = [3, 3, 4, 8], bias [Co] and output [N, Co, Ho, Wo]}}
  ykernel.conv_winograd ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<3x3x8x4xf32>, memref<8xf32>) outs(%o : memref<1x8x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  return
}

// -----

func.func @winograd_blocks_short(%x: memref<1x4x8x8xf32>, %u: memref<36x1x4x4xf32>, %b: memref<8xf32>, %o: memref<1x8x8x8xf32>) {
  // expected-error @+1 {{weights transformed [(m + 2)^2, C, Co] = [36, 4, 8] or [(m + 2)^2, ceil(Co / B), C, B] = [36, ceil(8 / B), 4, B]}}
  ykernel.conv_winograd ins(%x, %u, %b : memref<1x4x8x8xf32>, memref<36x1x4x4xf32>, memref<8xf32>) outs(%o : memref<1x8x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  return
}

// -----

// Weights in blocks of output channels ([ceil(Co / B), C, Kh, Kw, B]): one
// group only, and the blocks must cover the output's channels, the last
// one partly.
func.func @blocked_groups(%x: memref<1x4x8x8xf32>, %w: memref<1x2x3x3x32xf32>, %b: memref<32xf32>, %y: memref<1x32x4x4xf32>) {
  // expected-error @+1 {{'ykernel.conv2d' op weights in blocks of output channels ([ceil(Co / B), C, Kh, Kw, B]) need one group and Co = 32, got 'memref<1x2x3x3x32xf32>'}}
  ykernel.conv2d ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<1x2x3x3x32xf32>, memref<32xf32>) outs(%y : memref<1x32x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  return
}

// -----

func.func @blocked_channels(%x: memref<1x4x8x8xf32>, %w: memref<2x4x3x3x32xf32>, %b: memref<32xf32>, %y: memref<1x32x4x4xf32>) {
  // expected-error @+1 {{need one group and Co = 32, got 'memref<2x4x3x3x32xf32>'}}
  ykernel.conv2d ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<2x4x3x3x32xf32>, memref<32xf32>) outs(%y : memref<1x32x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  return
}

// -----

func.func @blocked_too_few(%x: memref<1x4x8x8xf32>, %w: memref<1x4x3x3x32xf32>, %b: memref<40xf32>, %y: memref<1x40x4x4xf32>) {
  // expected-error @+1 {{need one group and Co = 40, got 'memref<1x4x3x3x32xf32>'}}
  ykernel.conv2d ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<1x4x3x3x32xf32>, memref<40xf32>) outs(%y : memref<1x40x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  return
}

// -----

func.func @conv_weights_rank(%x: memref<1x4x8x8xf32>, %w: memref<32x36xf32>, %b: memref<32xf32>, %y: memref<1x32x4x4xf32>) {
  // expected-error @+1 {{'ykernel.conv2d' op expects weights [Co, C/groups, Kh, Kw] or [ceil(Co / B), C, Kh, Kw, B], got 'memref<32x36xf32>'}}
  ykernel.conv2d ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<32x36xf32>, memref<32xf32>) outs(%y : memref<1x32x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  return
}

// -----

// A convolution's fourth input, the residual, has the output's shape.
func.func @residual_shape(%x: memref<1x8x16xf32>, %w: memref<4x8xf32>, %b: memref<4xf32>, %r: memref<1x8x16xf32>, %y: memref<1x4x16xf32>) {
  // expected-error @+1 {{'ykernel.conv1x1' op residual (input 3) must have the output's shape 'memref<1x4x16xf32>', got 'memref<1x8x16xf32>'}}
  ykernel.conv1x1 ins(%x, %w, %b, %r : memref<1x8x16xf32>, memref<4x8xf32>, memref<4xf32>, memref<1x8x16xf32>) outs(%y : memref<1x4x16xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32}
  return
}

// -----

func.func @residual_arity(%x: memref<1x8x4x4xf32>, %w: memref<8x8x3x3xf32>, %b: memref<8xf32>, %y: memref<1x8x4x4xf32>) {
  // expected-error @+1 {{'ykernel.conv2d' op takes 3 inputs and optionally a residual, got 5}}
  ykernel.conv2d ins(%x, %w, %b, %y, %y : memref<1x8x4x4xf32>, memref<8x8x3x3xf32>, memref<8xf32>, memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%y : memref<1x8x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  return
}
