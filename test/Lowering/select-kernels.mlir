// RUN: yolo-opt %s -split-input-file -yolo-select-kernels="targets=x86-64-linux-avx2-fma,x86-64-linux-avx512-avx512_skylake,x86-64-linux-avx512_skylake,x86-64-linux" -verify-diagnostics | FileCheck %s
// RUN: yolo-opt %s -split-input-file -yolo-select-kernels="targets=x86-64-linux-avx512-avx512_skylake avx512-fma=half" | FileCheck %s --check-prefix=HALF
// RUN: yolo-opt %s -split-input-file -yolo-select-kernels="targets=x86-64-linux-avx512-avx512_zen4" | FileCheck %s --check-prefix=HALF
// RUN: not yolo-opt %s -split-input-file -yolo-select-kernels="targets=x86-64-linux-avx512-avx512_skylake avx512-fma=quarter" 2>&1 | FileCheck %s --check-prefix=BADFMA
// RUN: yolo-opt %s -split-input-file -yolo-select-kernels="targets=arm-64-linux" | FileCheck %s --check-prefix=ARM
// RUN: not yolo-opt %s -split-input-file -yolo-select-kernels="targets=riscv-64-linux" 2>&1 | FileCheck %s --check-prefix=RISCV

// RISCV: error: target 'riscv-64-linux' is of the riscv-64 family, which has no schedules; the families with schedules are x86-64, arm-64, and cuda

// A pointwise convolution over contiguous channels is a matrix product on
// flattened [N, C, H*W] views; a 3x3 stays direct. Each gets one register
// tile [lanes, vectors, channels] per target: AVX2 (8 lanes, 16
// registers), AVX-512 with Halide's "avx512" word (16 lanes, 32 registers),
// avx512_skylake alone (16 lanes; 16 registers, as Halide's
// has_feature(AVX512) says, the rule the schedules have always used), SSE
// (4 lanes).
// CHECK-LABEL: func @classes
// CHECK-SAME: ykernel.targets = ["x86-64-linux-avx2-fma", "x86-64-linux-avx512-avx512_skylake", "x86-64-linux-avx512_skylake", "x86-64-linux"]
// CHECK: %[[IN:.*]] = memref.reinterpret_cast %arg0 to offset: [0], sizes: [1, 32, 1600], strides: [51200, 1600, 1]
// CHECK: %[[OUT:.*]] = memref.reinterpret_cast %[[A:.*]] to offset: [0], sizes: [1, 64, 1600], strides: [102400, 1600, 1]
// CHECK: %[[W:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [64, 32], strides: [32, 1]
// CHECK: ykernel.conv1x1 ins(%[[IN]], %[[W]], %{{.*}} : {{.*}}) outs(%[[OUT]] : {{.*}}) {activation = #yolo.activation<silu>, alpha = 0.000000e+00 : f32, tiles = [array<i64: 8, 3, 4>, array<i64: 16, 5, 4>, array<i64: 16, 3, 4>, array<i64: 4, 3, 4>]}
// CHECK: ykernel.conv2d ins(%[[A]], {{.*}}) {{.*}}tiles = [array<i64: 8, 5, 2>, array<i64: 16, 3, 8>, array<i64: 16, 3, 4>, array<i64: 4, 2, 6>]
// HALF-LABEL: func @classes
// HALF: ykernel.conv1x1 {{.*}}tiles = [array<i64: 16, 1, 16>]
// HALF: ykernel.conv2d {{.*}}tiles = [array<i64: 8, 5, 4>]
// BADFMA: error: yolo-select-kernels: avx512-fma must be auto, full or half, got 'quarter'
// CHECK-NOT: ykernel.conv1x1
func.func @classes(%x: memref<1x32x40x40xf32>, %out: memref<1x64x40x40xf32>) {
  %w = memref.alloc() : memref<64x32x1x1xf32>
  %b = memref.alloc() : memref<64xf32>
  %a = memref.alloc() : memref<1x64x40x40xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x32x40x40xf32>, memref<64x32x1x1xf32>, memref<64xf32>) outs(%a : memref<1x64x40x40xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
  %w3 = memref.alloc() : memref<64x64x3x3xf32>
  ykernel.conv2d ins(%a, %w3, %b : memref<1x64x40x40xf32>, memref<64x64x3x3xf32>, memref<64xf32>) outs(%out : memref<1x64x40x40xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  return
}

// ARM-LABEL: func @classes
// ARM: ykernel.conv1x1 {{.*}}tiles = [array<i64: 4, {{[0-9]+}}, {{[0-9]+}}>]
// ARM: ykernel.conv2d {{.*}}tiles = [array<i64: 4, {{[0-9]+}}, {{[0-9]+}}>]

// -----

// A 1x1 convolution writing a slice along W (a concat on the last axis)
// has no contiguous channel plane: it stays a direct convolution.
// CHECK-LABEL: func @not_flat
// CHECK-NOT: ykernel.conv1x1
// CHECK: ykernel.conv2d
func.func @not_flat(%x: memref<1x8x4x4xf32>, %out: memref<1x8x4x8xf32>) {
  %w = memref.alloc() : memref<8x8x1x1xf32>
  %b = memref.alloc() : memref<8xf32>
  %v = memref.subview %out[0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x4x8xf32> to memref<1x8x4x4xf32, strided<[256, 32, 8, 1]>>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x4x4xf32>, memref<8x8x1x1xf32>, memref<8xf32>) outs(%v : memref<1x8x4x4xf32, strided<[256, 32, 8, 1]>>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
  return
}

// -----

// Winograd products: 2 vectors of output channels by 10 tiles along W
// with full-rate 512-bit FMAs; 4 by 5 for 256 or more output channels
// whose weights are transformed at compile time ([36, C, Co]), not for
// weights the kernel transforms ([3, 3, C, Co]).
// CHECK-LABEL: func @winograd_tiles
// CHECK: ykernel.conv_winograd {{.*}}memref<36x256x256xf32>{{.*}}tiles = [array<i64: 8, 2, 5>, array<i64: 16, 4, 5>, array<i64: 16, 2, 5>, array<i64: 4, 2, 5>]
// CHECK: ykernel.conv_winograd {{.*}}memref<3x3x256x256xf32>{{.*}}tiles = [array<i64: 8, 2, 5>, array<i64: 16, 2, 10>, array<i64: 16, 2, 5>, array<i64: 4, 2, 5>]
// Half-rate 512-bit FMAs: 2 by 10 over these rows of 20 tiles, whatever
// the weights.
// HALF-LABEL: func @winograd_tiles
// HALF: ykernel.conv_winograd {{.*}}tiles = [array<i64: 16, 2, 10>]
// HALF: ykernel.conv_winograd {{.*}}tiles = [array<i64: 16, 2, 10>]
func.func @winograd_tiles(%x: memref<1x256x80x80xf32>, %out: memref<1x256x80x80xf32>) {
  %u = memref.alloc() : memref<36x256x256xf32>
  %w = memref.alloc() : memref<3x3x256x256xf32>
  %b = memref.alloc() : memref<256xf32>
  %a = memref.alloc() : memref<1x256x80x80xf32>
  ykernel.conv_winograd ins(%x, %u, %b : memref<1x256x80x80xf32>, memref<36x256x256xf32>, memref<256xf32>) outs(%a : memref<1x256x80x80xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  ykernel.conv_winograd ins(%a, %w, %b : memref<1x256x80x80xf32>, memref<3x3x256x256xf32>, memref<256xf32>) outs(%out : memref<1x256x80x80xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  return
}

// ARM-LABEL: func @winograd_tiles
// ARM: ykernel.conv_winograd {{.*}}tiles = [array<i64: 4, 2, 5>]

// -----

// Rows of 40 tiles (160x160 outputs with F(4x4)): 4 vectors of 8 lanes by
// 5 tiles where 512-bit FMAs issue as halves; 2 by 10 of 16 lanes where
// they issue at full rate.
// CHECK-LABEL: func @winograd_wide_rows
// CHECK: ykernel.conv_winograd {{.*}}tiles = [array<i64: 8, 2, 5>, array<i64: 16, 2, 10>, array<i64: 16, 2, 5>, array<i64: 4, 2, 5>]
// HALF-LABEL: func @winograd_wide_rows
// HALF: ykernel.conv_winograd {{.*}}tiles = [array<i64: 8, 4, 5>]
func.func @winograd_wide_rows(%x: memref<1x64x160x160xf32>, %out: memref<1x64x160x160xf32>) {
  %u = memref.alloc() : memref<36x64x64xf32>
  %b = memref.alloc() : memref<64xf32>
  ykernel.conv_winograd ins(%x, %u, %b : memref<1x64x160x160xf32>, memref<36x64x64xf32>, memref<64xf32>) outs(%out : memref<1x64x160x160xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, m = 4 : i64, pads = array<i64: 1, 1, 1, 1>}
  return
}

// -----

// Stride-2 layers on AVX2: 3 vectors by 4 channels (rows of 160: 3.26 ->
// 3.04 ms for gelan-t 640's 16 -> 32, TileRulesX86.cpp), except a stem of
// 4 or fewer input channels, which keeps 2 by 6 as stride-1 rows do.
// CHECK-LABEL: func @strided
// CHECK: ykernel.conv2d ins(%arg0, {{.*}}) {{.*}}tiles = [array<i64: 8, 3, 4>, array<i64: 16, 5, 4>, array<i64: 16, 2, 6>, array<i64: 4, 2, 6>]
// CHECK: ykernel.conv2d ins(%arg2, {{.*}}) {{.*}}tiles = [array<i64: 8, 2, 6>, array<i64: 16, 2, 8>, array<i64: 16, 2, 6>, array<i64: 4, 2, 6>]
func.func @strided(%x: memref<1x16x320x320xf32>, %out: memref<1x32x160x160xf32>, %img: memref<1x3x640x640xf32>, %stem: memref<1x16x320x320xf32>) {
  %w = memref.alloc() : memref<32x16x3x3xf32>
  %b = memref.alloc() : memref<32xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x16x320x320xf32>, memref<32x16x3x3xf32>, memref<32xf32>) outs(%out : memref<1x32x160x160xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %ws = memref.alloc() : memref<16x3x3x3xf32>
  %bs = memref.alloc() : memref<16xf32>
  ykernel.conv2d ins(%img, %ws, %bs : memref<1x3x640x640xf32>, memref<16x3x3x3xf32>, memref<16xf32>) outs(%stem : memref<1x16x320x320xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  return
}
