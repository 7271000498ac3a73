// RUN: yolo-opt %s -split-input-file -yolo-winograd="weight-growth=4" | FileCheck %s
// RUN: yolo-opt %s -split-input-file -yolo-winograd | FileCheck %s --check-prefix=BUDGET
// RUN: yolo-opt %s -split-input-file -yolo-winograd="tile=off" | FileCheck %s --check-prefix=OFF
// RUN: yolo-opt %s -split-input-file -yolo-winograd="tile=2" | FileCheck %s --check-prefix=F2
// RUN: not yolo-opt %s -split-input-file -yolo-winograd="tile=5" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: --yolo-winograd: tile must be auto, off, 2, 4 or 6, got '5'

// With the default weight-growth (0.3), no layer here fits: one layer's
// transformed weights add 27.6 KB to 13.9 KB of constants.
// BUDGET-NOT: conv_winograd

// auto: a 3x3 stride-1 layer of 16 channels becomes F(4x4, 3x3) with its
// weights transformed into a new global [36, Ci, Co] placed before the
// original (kept here: other layers still read it); a stride-2 layer, a grouped one, a dilated one
// and one whose weights are not a constant global stay direct.
// CHECK-LABEL: module
// CHECK-NOT: @w3 :
// CHECK: memref.global "private" constant @w3_winograd4 : memref<36x16x16xf32> = dense<
// CHECK-SAME: {alignment = 64 : i64}
// CHECK-LABEL: func @layers
// CHECK: %[[U:.*]] = memref.get_global @w3_winograd4 : memref<36x16x16xf32>
// CHECK: ykernel.conv_winograd ins(%arg0, %[[U]], %{{.*}} : memref<1x16x20x20xf32>, memref<36x16x16xf32>, memref<16xf32>) outs(%{{.*}} : memref<1x16x20x20xf32>) {activation = #yolo.activation<silu>, alpha = 0.000000e+00 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
// CHECK: ykernel.conv2d {{.*}}strides = array<i64: 2, 2>
// CHECK: ykernel.conv2d {{.*}}groups = 2 : i64
// CHECK: ykernel.conv2d {{.*}}dilations = array<i64: 2, 2>
// CHECK: ykernel.conv2d ins(%arg0, %[[A:.*]], {{.*}}pads = array<i64: 1, 1, 1, 1>
// OFF-NOT: conv_winograd
// F2-LABEL: module
// F2: memref.global "private" constant @w3_winograd2 : memref<16x16x16xf32>
// F2: ykernel.conv_winograd {{.*}}m = 2 : i64
module {
  memref.global "private" constant @w3 : memref<16x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @w3g : memref<16x8x3x3xf32> = dense<0.5>
  memref.global "private" constant @b : memref<16xf32> = dense<0.1>
  func.func @layers(%x: memref<1x16x20x20xf32>, %o1: memref<1x16x20x20xf32>, %o2: memref<1x16x10x10xf32>, %o3: memref<1x16x20x20xf32>, %o4: memref<1x16x18x18xf32>, %o5: memref<1x16x20x20xf32>) {
    %w = memref.get_global @w3 : memref<16x16x3x3xf32>
    %wg = memref.get_global @w3g : memref<16x8x3x3xf32>
    %b = memref.get_global @b : memref<16xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x16x20x20xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o1 : memref<1x16x20x20xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    %w2 = memref.get_global @w3 : memref<16x16x3x3xf32>
    ykernel.conv2d ins(%x, %w2, %b : memref<1x16x20x20xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o2 : memref<1x16x10x10xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %wg, %b : memref<1x16x20x20xf32>, memref<16x8x3x3xf32>, memref<16xf32>) outs(%o3 : memref<1x16x20x20xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    %w4 = memref.get_global @w3 : memref<16x16x3x3xf32>
    ykernel.conv2d ins(%x, %w4, %b : memref<1x16x20x20xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o4 : memref<1x16x18x18xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 2, 2>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    %a = memref.alloc() : memref<16x16x3x3xf32>
    ykernel.conv2d ins(%x, %a, %b : memref<1x16x20x20xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o5 : memref<1x16x20x20xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// The transform itself, F(2x2, 3x3), on one channel whose only nonzero
// weight is the top-right tap g[0][2] = 1: U = (G g G^T)[nu][xi] =
// G[nu][0] * G[xi][2] with G's columns [-1, .5, .5, 0] and [0, .5, .5, 1]
// (interpolation points 0, 1, -1: G's first row is 1 / ((0 - 1)(0 + 1))),
// stored xi (along W) fastest. Layers of fewer than 16 channels stay
// direct under auto.
// CHECK-LABEL: module
// CHECK-NOT: conv_winograd
// F2-LABEL: module
// F2: memref.global "private" constant @tr_winograd2 : memref<16x1x1xf32> = dense<{{\[}}{{\[}}[0.000000e+00]], {{\[}}[-5.000000e-01]], {{\[}}[-5.000000e-01]], {{\[}}[-1.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[2.500000e-01]], {{\[}}[2.500000e-01]], {{\[}}[5.000000e-01]], {{\[}}[0.000000e+00]], {{\[}}[2.500000e-01]], {{\[}}[2.500000e-01]], {{\[}}[5.000000e-01]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]], {{\[}}[0.000000e+00]]]>
// The 3x3 weights no layer reads any more leave no global behind.
// F2-NOT: constant @tr :
// F2: ykernel.conv_winograd {{.*}}m = 2 : i64, pads = array<i64: 1, 1, 1, 1>
module {
  memref.global "private" constant @tr : memref<1x1x3x3xf32> = dense<[[[[0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]>
  memref.global "private" constant @b1 : memref<1xf32> = dense<0.0>
  func.func @one(%x: memref<1x1x6x6xf32>, %o: memref<1x1x6x6xf32>) {
    %w = memref.get_global @tr : memref<1x1x3x3xf32>
    %b = memref.get_global @b1 : memref<1xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x1x6x6xf32>, memref<1x1x3x3xf32>, memref<1xf32>) outs(%o : memref<1x1x6x6xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// auto spends the budget on the layers with the most output pixels first:
// of two 16-channel layers (27.6 KB more each, 18.5 KB of constants,
// weight-growth 2: 37 KB), the 40x40 one, though it comes second.
// RUN: yolo-opt %s -split-input-file -yolo-winograd="weight-growth=2" | FileCheck %s --check-prefix=ORDER
// CHECK-LABEL: func @order
// ORDER-LABEL: func @order
// ORDER: ykernel.conv2d {{.*}}memref<1x16x20x20xf32>
// ORDER: ykernel.conv_winograd {{.*}}memref<1x16x40x40xf32>
module {
  memref.global "private" constant @wa : memref<16x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @wb : memref<16x16x3x3xf32> = dense<0.25>
  memref.global "private" constant @b16 : memref<16xf32> = dense<0.1>
  func.func @order(%x: memref<1x16x20x20xf32>, %y: memref<1x16x40x40xf32>, %o1: memref<1x16x20x20xf32>, %o2: memref<1x16x40x40xf32>) {
    %wa = memref.get_global @wa : memref<16x16x3x3xf32>
    %wb = memref.get_global @wb : memref<16x16x3x3xf32>
    %b = memref.get_global @b16 : memref<16xf32>
    ykernel.conv2d ins(%x, %wa, %b : memref<1x16x20x20xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o1 : memref<1x16x20x20xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%y, %wb, %b : memref<1x16x40x40xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o2 : memref<1x16x40x40xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}
