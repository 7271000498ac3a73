// RUN: yolo-opt %s -split-input-file -yolo-winograd="weight-growth=4" | FileCheck %s
// RUN: yolo-opt %s -split-input-file -yolo-winograd | FileCheck %s --check-prefix=BUDGET
// RUN: yolo-opt %s -split-input-file -yolo-winograd="tile=off" | FileCheck %s --check-prefix=OFF
// RUN: yolo-opt %s -split-input-file -yolo-winograd="runtime-weights=false" | FileCheck %s --check-prefix=NORT
// RUN: yolo-opt %s -split-input-file -yolo-winograd="tile=2 weight-growth=100" -mlir-print-elementsattrs-with-hex-if-larger=1000 | FileCheck %s --check-prefix=F2
// RUN: yolo-opt %s -split-input-file -yolo-winograd="tile=2" | FileCheck %s --check-prefix=F2RT
// RUN: not yolo-opt %s -split-input-file -yolo-winograd="tile=5" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: --yolo-winograd: tile must be auto, off, 2, 4 or 6, got '5'

// With the default weight-growth (0.3), no layer here fits: one layer's
// transformed weights add 27.6 KB to 13.9 KB of constants. Such a layer
// keeps its 3x3 weights, permuted to [3, 3, C, Co] in a global of the same
// size, and its kernel transforms them at run time; without
// runtime-weights it stays direct.
// BUDGET-LABEL: module
// BUDGET-NOT: _winograd4
// BUDGET: memref.global "private" constant @w3_hwio : memref<3x3x16x16xf32> = dense<5.000000e-01> {alignment = 64 : i64}
// BUDGET-NOT: _winograd4
// BUDGET: ykernel.conv_winograd ins(%arg0, %{{.*}}, %{{.*}} : memref<1x16x80x80xf32>, memref<3x3x16x16xf32>, memref<16xf32>) {{.*}}m = 4 : i64
// BUDGET-NOT: conv_winograd
// NORT-NOT: conv_winograd

// auto: a 3x3 stride-1 layer of 16 channels at 80x80 becomes F(4x4, 3x3) with its
// weights transformed into a new global [36, ceil(Co / 16), Ci, 16] (blocks of
// 16 output channels) placed before the
// original (kept here: other layers still read it); a stride-2 layer, a grouped one, a dilated one
// and one whose weights are not a constant global stay direct.
// CHECK-LABEL: module
// CHECK-NOT: @w3 :
// CHECK: memref.global "private" constant @w3_winograd4 : memref<36x1x16x16xf32> = dense<
// CHECK-SAME: {alignment = 64 : i64}
// CHECK-LABEL: func @layers
// CHECK: %[[U:.*]] = memref.get_global @w3_winograd4 : memref<36x1x16x16xf32>
// CHECK: ykernel.conv_winograd ins(%arg0, %[[U]], %{{.*}} : memref<1x16x80x80xf32>, memref<36x1x16x16xf32>, memref<16xf32>) outs(%{{.*}} : memref<1x16x80x80xf32>) {activation = #yolo.activation<silu>, alpha = 0.000000e+00 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
// CHECK: ykernel.conv2d {{.*}}strides = array<i64: 2, 2>
// CHECK: ykernel.conv2d {{.*}}groups = 2 : i64
// CHECK: ykernel.conv2d {{.*}}dilations = array<i64: 2, 2>
// CHECK: ykernel.conv2d ins(%arg0, %[[A:.*]], {{.*}}pads = array<i64: 1, 1, 1, 1>
// OFF-NOT: conv_winograd
// F2-LABEL: module
// F2: memref.global "private" constant @w3_winograd2 : memref<16x1x16x16xf32>
// F2: ykernel.conv_winograd {{.*}}m = 2 : i64
module {
  memref.global "private" constant @w3 : memref<16x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @w3g : memref<16x8x3x3xf32> = dense<0.5>
  memref.global "private" constant @b : memref<16xf32> = dense<0.1>
  func.func @layers(%x: memref<1x16x80x80xf32>, %o1: memref<1x16x80x80xf32>, %o2: memref<1x16x40x40xf32>, %o3: memref<1x16x80x80xf32>, %o4: memref<1x16x78x78xf32>, %o5: memref<1x16x80x80xf32>) {
    %w = memref.get_global @w3 : memref<16x16x3x3xf32>
    %wg = memref.get_global @w3g : memref<16x8x3x3xf32>
    %b = memref.get_global @b : memref<16xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o1 : memref<1x16x80x80xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    %w2 = memref.get_global @w3 : memref<16x16x3x3xf32>
    ykernel.conv2d ins(%x, %w2, %b : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o2 : memref<1x16x40x40xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %wg, %b : memref<1x16x80x80xf32>, memref<16x8x3x3xf32>, memref<16xf32>) outs(%o3 : memref<1x16x80x80xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    %w4 = memref.get_global @w3 : memref<16x16x3x3xf32>
    ykernel.conv2d ins(%x, %w4, %b : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o4 : memref<1x16x78x78xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 2, 2>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    %a = memref.alloc() : memref<16x16x3x3xf32>
    ykernel.conv2d ins(%x, %a, %b : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o5 : memref<1x16x80x80xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// The transform itself, F(2x2, 3x3), on one channel whose only nonzero
// weight is the top-right tap g[0][2] = 1: U = (G g G^T)[nu][xi] =
// G[nu][0] * G[xi][2] with G's columns [-1, .5, .5, 0] and [0, .5, .5, 1]
// (interpolation points 0, 1, -1: G's first row is 1 / ((0 - 1)(0 + 1))),
// stored xi (along W) fastest, in a block of 16 output channels whose
// lanes past Co are zeros. Layers of fewer than 16 channels stay direct
// under auto.
// CHECK-LABEL: module
// BUDGET-LABEL: func @one
// CHECK-NOT: conv_winograd
// F2-LABEL: module
// F2: memref.global "private" constant @tr_winograd2 : memref<16x1x1x16xf32> = dense<{{\[}}{{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}-5.000000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}-5.000000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}-1.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}2.500000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}2.500000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}5.000000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}2.500000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}2.500000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}5.000000e-01{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}, {{\[\[\[}}0.000000e+00{{(, 0\.000000e\+00){15}\]\]\]}}]>
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
// weight-growth 2: 37 KB), the 120x120 one, though it comes second.
// RUN: yolo-opt %s -split-input-file -yolo-winograd="weight-growth=2" | FileCheck %s --check-prefix=ORDER
// CHECK-LABEL: func @order
// ORDER-LABEL: func @order
// ORDER: ykernel.conv_winograd ins({{.*}} : memref<1x16x80x80xf32>, memref<3x3x16x16xf32>,
// ORDER: ykernel.conv_winograd ins({{.*}} : memref<1x16x120x120xf32>, memref<36x1x16x16xf32>,
// Without runtime-weights the 80x80 one stays direct.
// RUN: yolo-opt %s -split-input-file -yolo-winograd="weight-growth=2 runtime-weights=false" | FileCheck %s --check-prefix=ORDER-NORT
// ORDER-NORT-LABEL: func @order
// ORDER-NORT: ykernel.conv2d {{.*}}memref<1x16x80x80xf32>
// ORDER-NORT: ykernel.conv_winograd {{.*}}memref<1x16x120x120xf32>
module {
  memref.global "private" constant @wa : memref<16x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @wb : memref<16x16x3x3xf32> = dense<0.25>
  memref.global "private" constant @b16 : memref<16xf32> = dense<0.1>
  func.func @order(%x: memref<1x16x80x80xf32>, %y: memref<1x16x120x120xf32>, %o1: memref<1x16x80x80xf32>, %o2: memref<1x16x120x120xf32>) {
    %wa = memref.get_global @wa : memref<16x16x3x3xf32>
    %wb = memref.get_global @wb : memref<16x16x3x3xf32>
    %b = memref.get_global @b16 : memref<16xf32>
    ykernel.conv2d ins(%x, %wa, %b : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o1 : memref<1x16x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%y, %wb, %b : memref<1x16x120x120xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o2 : memref<1x16x120x120xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// auto leaves layers of at most 32 channels over 160x160 outputs direct
// (faster so with full-rate 512-bit FMAs, and without targets); 48
// channels there take F(4x4). Where every target's FMAs do 8 lanes a
// cycle (AVX2, AVX-512 at half rate) they take F(4x4) too.
// RUN: yolo-opt %s -split-input-file -yolo-winograd | FileCheck %s --check-prefix=WIDE
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_zen5" | FileCheck %s --check-prefix=WIDE
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake" | FileCheck %s --check-prefix=WIDE
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx2-fma,x86-64-linux-avx512-avx512_skylake" | FileCheck %s --check-prefix=WIDE
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=arm-64-linux" | FileCheck %s --check-prefix=WIDE
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx2-fma" | FileCheck %s --check-prefix=NARROW
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-tune_znver4-avx512-avx512_skylake-avx512_zen4" | FileCheck %s --check-prefix=NARROW
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake avx512-fma=half" | FileCheck %s --check-prefix=NARROW
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx2-fma,x86-64-linux-tune_znver4-avx512-avx512_skylake-avx512_zen4" | FileCheck %s --check-prefix=NARROW
// CHECK-LABEL: func @wide
// WIDE-LABEL: func @wide
// WIDE: ykernel.conv2d ins({{.*}} : memref<1x32x160x160xf32>, memref<32x32x3x3xf32>,
// WIDE: ykernel.conv_winograd ins({{.*}} : memref<1x48x160x160xf32>,
// NARROW-LABEL: func @wide
// NARROW: ykernel.conv_winograd ins({{.*}} : memref<1x32x160x160xf32>,
// NARROW: ykernel.conv_winograd ins({{.*}} : memref<1x48x160x160xf32>,
module {
  memref.global "private" constant @w32 : memref<32x32x3x3xf32> = dense<0.5>
  memref.global "private" constant @w48 : memref<48x48x3x3xf32> = dense<0.25>
  memref.global "private" constant @b32 : memref<32xf32> = dense<0.1>
  memref.global "private" constant @b48 : memref<48xf32> = dense<0.1>
  func.func @wide(%x: memref<1x32x160x160xf32>, %y: memref<1x48x160x160xf32>, %o1: memref<1x32x160x160xf32>, %o2: memref<1x48x160x160xf32>) {
    %wa = memref.get_global @w32 : memref<32x32x3x3xf32>
    %wb = memref.get_global @w48 : memref<48x48x3x3xf32>
    %ba = memref.get_global @b32 : memref<32xf32>
    %bb = memref.get_global @b48 : memref<48xf32>
    ykernel.conv2d ins(%x, %wa, %ba : memref<1x32x160x160xf32>, memref<32x32x3x3xf32>, memref<32xf32>) outs(%o1 : memref<1x32x160x160xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%y, %wb, %bb : memref<1x48x160x160xf32>, memref<48x48x3x3xf32>, memref<48xf32>) outs(%o2 : memref<1x48x160x160xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// The permutation for the run-time transform: w[co][ci][ky][kx] = 9 co + 3 ky
// + kx (2 output channels, 1 input channel) becomes [ky][kx][ci][co], output
// channels innermost. A forced tile takes every eligible layer; beyond the
// budget with run-time weights.
// CHECK-LABEL: func @perm
// F2RT-LABEL: module
// F2RT: memref.global "private" constant @wp_hwio : memref<3x3x1x2xf32> = dense<{{\[}}{{\[}}{{\[}}[0.000000e+00, 9.000000e+00]], {{\[}}[1.000000e+00, 1.000000e+01]], {{\[}}[2.000000e+00, 1.100000e+01]]], {{\[}}{{\[}}[3.000000e+00, 1.200000e+01]], {{\[}}[4.000000e+00, 1.300000e+01]], {{\[}}[5.000000e+00, 1.400000e+01]]], {{\[}}{{\[}}[6.000000e+00, 1.500000e+01]], {{\[}}[7.000000e+00, 1.600000e+01]], {{\[}}[8.000000e+00, 1.700000e+01]]]]>
// F2RT-NOT: constant @wp :
// F2RT: ykernel.conv_winograd ins(%arg0, %{{.*}}, %{{.*}} : memref<1x1x6x6xf32>, memref<3x3x1x2xf32>, memref<2xf32>) {{.*}}m = 2 : i64
module {
  memref.global "private" constant @wp : memref<2x1x3x3xf32> = dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]], [[[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]]]]>
  memref.global "private" constant @b2 : memref<2xf32> = dense<0.0>
  func.func @perm(%x: memref<1x1x6x6xf32>, %o: memref<1x2x6x6xf32>) {
    %w = memref.get_global @wp : memref<2x1x3x3xf32>
    %b = memref.get_global @b2 : memref<2xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x1x6x6xf32>, memref<2x1x3x3xf32>, memref<2xf32>) outs(%o : memref<1x2x6x6xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// auto's eligibility: 32+ input and output channels, or 16+ at 80x80
// output pixels or more (below that the transforms cost more than the
// products save, lib/Lowering/Winograd.cpp). 24 channels at 40x40 stays
// direct, 32 at 20x20 does not. Where every target's FMAs do 8 lanes a
// cycle (AVX2, AVX-512 at half rate), 16+ at any size.
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_zen5" | FileCheck %s --check-prefix=ELIG
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx2-fma" | FileCheck %s --check-prefix=ELIG8
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake avx512-fma=half" | FileCheck %s --check-prefix=ELIG8
// CHECK-LABEL: func @eligible
// CHECK: ykernel.conv2d ins({{.*}} : memref<1x24x40x40xf32>
// CHECK: ykernel.conv_winograd ins({{.*}} : memref<1x32x20x20xf32>
// ELIG-LABEL: func @eligible
// ELIG: ykernel.conv2d ins({{.*}} : memref<1x24x40x40xf32>
// ELIG: ykernel.conv_winograd ins({{.*}} : memref<1x32x20x20xf32>
// ELIG8-LABEL: func @eligible
// ELIG8: ykernel.conv_winograd ins({{.*}} : memref<1x24x40x40xf32>
// ELIG8: ykernel.conv_winograd ins({{.*}} : memref<1x32x20x20xf32>
module {
  memref.global "private" constant @w24 : memref<24x24x3x3xf32> = dense<0.5>
  memref.global "private" constant @w32 : memref<32x32x3x3xf32> = dense<0.5>
  memref.global "private" constant @b24 : memref<24xf32> = dense<0.1>
  memref.global "private" constant @b32 : memref<32xf32> = dense<0.1>
  func.func @eligible(%x: memref<1x24x40x40xf32>, %y: memref<1x32x20x20xf32>, %o1: memref<1x24x40x40xf32>, %o2: memref<1x32x20x20xf32>) {
    %w24 = memref.get_global @w24 : memref<24x24x3x3xf32>
    %w32 = memref.get_global @w32 : memref<32x32x3x3xf32>
    %b24 = memref.get_global @b24 : memref<24xf32>
    %b32 = memref.get_global @b32 : memref<32xf32>
    ykernel.conv2d ins(%x, %w24, %b24 : memref<1x24x40x40xf32>, memref<24x24x3x3xf32>, memref<24xf32>) outs(%o1 : memref<1x24x40x40xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%y, %w32, %b32 : memref<1x32x20x20xf32>, memref<32x32x3x3xf32>, memref<32xf32>) outs(%o2 : memref<1x32x20x20xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}

// -----

// With targets, auto keeps layers of fewer than 32 channels direct where
// every target is x86-64 with full-rate 512-bit FMAs and no AMD word
// (measured on an Intel Emerald Rapids VM; on a Zen 5 VM and with AVX2
// tiles they ran faster by Winograd). 32 channels take F(4x4) on any.
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake" | FileCheck %s --check-prefix=INTEL
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_sapphirerapids avx512-fma=full" | FileCheck %s --check-prefix=INTEL
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake,x86-64-linux-avx512-avx512_sapphirerapids" | FileCheck %s --check-prefix=INTEL
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake avx512-fma=half" | FileCheck %s --check-prefix=SMALLWINO
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-tune_znver5-avx512-avx512_skylake-avx512_zen4-avx512_zen5" | FileCheck %s --check-prefix=SMALLWINO
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_zen5" | FileCheck %s --check-prefix=SMALLWINO
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx2-fma" | FileCheck %s --check-prefix=SMALLWINO
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512-avx512_skylake,x86-64-linux-avx2-fma" | FileCheck %s --check-prefix=SMALLWINO
// RUN: yolo-opt %s -split-input-file -yolo-winograd="targets=arm-64-linux" | FileCheck %s --check-prefix=SMALLWINO
// CHECK-LABEL: func @small
// INTEL-LABEL: func @small
// INTEL: ykernel.conv2d ins({{.*}} : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>,
// INTEL: ykernel.conv2d ins({{.*}} : memref<1x16x80x80xf32>, memref<24x16x3x3xf32>,
// INTEL: ykernel.conv_winograd ins({{.*}} : memref<1x32x80x80xf32>,
// SMALLWINO-LABEL: func @small
// SMALLWINO: ykernel.conv_winograd ins({{.*}} : memref<1x16x80x80xf32>, {{.*}} : memref<1x16x80x80xf32>)
// SMALLWINO: ykernel.conv_winograd ins({{.*}} : memref<1x16x80x80xf32>, {{.*}} : memref<1x24x80x80xf32>)
// SMALLWINO: ykernel.conv_winograd ins({{.*}} : memref<1x32x80x80xf32>,
// RUN: not yolo-opt %s -split-input-file -yolo-winograd="targets=riscv-64-linux" 2>&1 | FileCheck %s --check-prefix=BADTARGET
// RUN: not yolo-opt %s -split-input-file -yolo-winograd="targets=x86-64-linux-avx512 avx512-fma=quarter" 2>&1 | FileCheck %s --check-prefix=BADFMA
// BADTARGET: error: {{.*}}riscv-64-linux
// BADFMA: error: yolo-winograd: avx512-fma must be auto, full or half, got 'quarter'
module {
  memref.global "private" constant @s16 : memref<16x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @s24 : memref<24x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @s32 : memref<32x32x3x3xf32> = dense<0.5>
  memref.global "private" constant @c16 : memref<16xf32> = dense<0.1>
  memref.global "private" constant @c24 : memref<24xf32> = dense<0.1>
  memref.global "private" constant @c32 : memref<32xf32> = dense<0.1>
  func.func @small(%x: memref<1x16x80x80xf32>, %y: memref<1x32x80x80xf32>, %o1: memref<1x16x80x80xf32>, %o2: memref<1x24x80x80xf32>, %o3: memref<1x32x80x80xf32>) {
    %w16 = memref.get_global @s16 : memref<16x16x3x3xf32>
    %w24 = memref.get_global @s24 : memref<24x16x3x3xf32>
    %w32 = memref.get_global @s32 : memref<32x32x3x3xf32>
    %b16 = memref.get_global @c16 : memref<16xf32>
    %b24 = memref.get_global @c24 : memref<24xf32>
    %b32 = memref.get_global @c32 : memref<32xf32>
    ykernel.conv2d ins(%x, %w16, %b16 : memref<1x16x80x80xf32>, memref<16x16x3x3xf32>, memref<16xf32>) outs(%o1 : memref<1x16x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%x, %w24, %b24 : memref<1x16x80x80xf32>, memref<24x16x3x3xf32>, memref<24xf32>) outs(%o2 : memref<1x24x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%y, %w32, %b32 : memref<1x32x80x80xf32>, memref<32x32x3x3xf32>, memref<32xf32>) outs(%o3 : memref<1x32x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    return
  }
}
