// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512 min-input-channels=2" | FileCheck %s
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512" | FileCheck %s --check-prefix=MIN
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512 max-output-width=81" | FileCheck %s --check-prefix=WIDE
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx2-fma min-input-channels=2" | FileCheck %s --check-prefix=AVX2
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx2-fma,x86-64-linux-avx2 min-input-channels=2" | FileCheck %s --check-prefix=AVX2
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux min-input-channels=2" | FileCheck %s --check-prefix=NONE
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512 avx512-fma=half min-input-channels=2" | FileCheck %s --check-prefix=HALF
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512 avx512-fma=half min-input-channels=2 half-rate-max-output-width=80" | FileCheck %s --check-prefix=HALFW
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512,x86-64-linux-avx512-avx512_zen4 min-input-channels=2" | FileCheck %s --check-prefix=HALF
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512,x86-64-linux-avx2-fma min-input-channels=2" | FileCheck %s --check-prefix=NONE
// RUN: yolo-opt %s -split-input-file -yolo-channel-blocks="targets=arm-64-linux min-input-channels=2" | FileCheck %s --check-prefix=NONE
// RUN: not yolo-opt %s -split-input-file -yolo-channel-blocks 2>&1 | FileCheck %s --check-prefix=NOTARGET
// RUN: not yolo-opt %s -split-input-file -yolo-channel-blocks="targets=x86-64-linux-avx512 avx512-fma=fast" 2>&1 | FileCheck %s --check-prefix=BADFMA

// A 3x3 stride-2 layer of one group whose weights are a constant global and
// whose output channels are a multiple of 32 gets its weights as a new
// global [Co / 32, C, 3, 3, 32]; the old global, read by nothing else, goes.
// Only where every target is an x86-64 one with the same vectors: all
// AVX-512 (blocks of 32) or all AVX2 (blocks of 16, @w_co16); not for a
// library with both, for SSE only, for ARM64. On half-rate AVX-512
// (avx512-fma=half, or a Zen 4 variant in the library) for rows of at most
// 40 (@limits below).
// The values' order is checked in channel-blocks-layout.test.
// CHECK-LABEL: module
// CHECK-NOT: @w :
// CHECK: memref.global "private" constant @w_co32 : memref<2x2x3x3x32xf32> = dense<{{.*}}> {alignment = 64 : i64}
// CHECK-NOT: @w :
// CHECK-LABEL: func @eligible
// CHECK: %[[W:.*]] = memref.get_global @w_co32 : memref<2x2x3x3x32xf32>
// HALF-LABEL: func @eligible
// HALF: memref.get_global @w_co32 : memref<2x2x3x3x32xf32>
// CHECK: ykernel.conv2d ins(%arg0, %[[W]], %{{.*}} : memref<1x2x8x8xf32>, memref<2x2x3x3x32xf32>, memref<64xf32>) outs(%arg1 : memref<1x64x4x4xf32>)
// Fewer input channels than the default minimum (32) keep their layout.
// MIN-NOT: _co32
// AVX2-LABEL: module
// AVX2-NOT: @w :
// AVX2: memref.global "private" constant @w_co16 : memref<4x2x3x3x16xf32> = dense<{{.*}}> {alignment = 64 : i64}
// AVX2-LABEL: func @eligible
// AVX2: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x2x8x8xf32>, memref<4x2x3x3x16xf32>, memref<64xf32>)
// NONE-NOT: _co
// NOTARGET: error: yolo-channel-blocks needs targets=T1[,T2...]
// BADFMA: error: yolo-channel-blocks: avx512-fma must be auto, full or half, got 'fast'
module {
  memref.global "private" constant @w : memref<64x2x3x3xf32> = dense<0.5>
  memref.global "private" constant @b : memref<64xf32> = dense<0.1>
  func.func @eligible(%x: memref<1x2x8x8xf32>, %o: memref<1x64x4x4xf32>) {
    %w = memref.get_global @w : memref<64x2x3x3xf32>
    %b = memref.get_global @b : memref<64xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x2x8x8xf32>, memref<64x2x3x3xf32>, memref<64xf32>) outs(%o : memref<1x64x4x4xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    return
  }
}

// -----

// Not rewritten: stride 1, two groups, 40 output channels (two blocks of
// 32, a quarter of their lanes or more idle), a dilated layer, a 1x1 one,
// and weights that are an argument.
// With AVX2's blocks of 16, 40 output channels make three blocks (a sixth
// of their lanes idle), and that layer alone is laid out.
// AVX2-LABEL: module
// AVX2: memref.global "private" constant @w40_co16 : memref<3x4x3x3x16xf32>
// AVX2-NOT: _co16
// AVX2-LABEL: func @ineligible
// AVX2-COUNT-2: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x4x8x8xf32>, memref<{{[0-9]+x[0-9]+x[0-9]x[0-9]}}xf32>
// AVX2: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x4x8x8xf32>, memref<3x4x3x3x16xf32>, memref<40xf32>)
// AVX2-COUNT-3: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x4x8x8xf32>, memref<{{[0-9]+x[0-9]+x[0-9]x[0-9]}}xf32>
// CHECK-LABEL: module
// CHECK-NOT: _co32
// CHECK-COUNT-6: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x4x8x8xf32>, memref<{{[0-9]+x[0-9]+x[0-9]x[0-9]}}xf32>
// CHECK-NOT: _co32
module {
  memref.global "private" constant @w : memref<64x4x3x3xf32> = dense<0.5>
  memref.global "private" constant @wg : memref<64x2x3x3xf32> = dense<0.5>
  memref.global "private" constant @w40 : memref<40x4x3x3xf32> = dense<0.5>
  memref.global "private" constant @w1 : memref<64x4x1x1xf32> = dense<0.5>
  memref.global "private" constant @b : memref<64xf32> = dense<0.1>
  memref.global "private" constant @b40 : memref<40xf32> = dense<0.1>
  func.func @ineligible(%x: memref<1x4x8x8xf32>, %wa: memref<64x4x3x3xf32>, %o1: memref<1x64x8x8xf32>, %o2: memref<1x64x4x4xf32>, %o3: memref<1x40x4x4xf32>, %o4: memref<1x64x4x4xf32>, %o5: memref<1x64x4x4xf32>, %o6: memref<1x64x4x4xf32>) {
    %w = memref.get_global @w : memref<64x4x3x3xf32>
    %wg = memref.get_global @wg : memref<64x2x3x3xf32>
    %w40 = memref.get_global @w40 : memref<40x4x3x3xf32>
    %w1 = memref.get_global @w1 : memref<64x4x1x1xf32>
    %b = memref.get_global @b : memref<64xf32>
    %b40 = memref.get_global @b40 : memref<40xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<64x4x3x3xf32>, memref<64xf32>) outs(%o1 : memref<1x64x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%x, %wg, %b : memref<1x4x8x8xf32>, memref<64x2x3x3xf32>, memref<64xf32>) outs(%o2 : memref<1x64x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %w40, %b40 : memref<1x4x8x8xf32>, memref<40x4x3x3xf32>, memref<40xf32>) outs(%o3 : memref<1x40x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %w, %b : memref<1x4x8x8xf32>, memref<64x4x3x3xf32>, memref<64xf32>) outs(%o4 : memref<1x64x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 2, 2>, groups = 1 : i64, pads = array<i64: 2, 2, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %w1, %b : memref<1x4x8x8xf32>, memref<64x4x1x1xf32>, memref<64xf32>) outs(%o5 : memref<1x64x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %wa, %b : memref<1x4x8x8xf32>, memref<64x4x3x3xf32>, memref<64xf32>) outs(%o6 : memref<1x64x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    return
  }
}

// -----

// A global read by a laid-out layer and by one that is not (stride 1)
// stays for the latter, next to the new one; a global that is not
// constant is not laid out.
// CHECK-LABEL: module
// CHECK: memref.global "private" constant @w_co32 : memref<1x2x3x3x32xf32>
// CHECK: memref.global "private" constant @w : memref<32x2x3x3xf32>
// CHECK: memref.global "private" @wv : memref<32x2x3x3xf32>
// CHECK-LABEL: func @shared
// CHECK: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x2x8x8xf32>, memref<1x2x3x3x32xf32>, memref<32xf32>) outs(%arg1
// CHECK: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x2x8x8xf32>, memref<32x2x3x3xf32>, memref<32xf32>) outs(%arg2
// CHECK: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x2x8x8xf32>, memref<32x2x3x3xf32>, memref<32xf32>) outs(%arg3
module {
  memref.global "private" constant @w : memref<32x2x3x3xf32> = dense<0.5>
  memref.global "private" @wv : memref<32x2x3x3xf32> = dense<0.25>
  memref.global "private" constant @b : memref<32xf32> = dense<0.1>
  func.func @shared(%x: memref<1x2x8x8xf32>, %o1: memref<1x32x4x4xf32>, %o2: memref<1x32x8x8xf32>, %o3: memref<1x32x4x4xf32>) {
    %w = memref.get_global @w : memref<32x2x3x3xf32>
    %wv = memref.get_global @wv : memref<32x2x3x3xf32>
    %b = memref.get_global @b : memref<32xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x2x8x8xf32>, memref<32x2x3x3xf32>, memref<32xf32>) outs(%o1 : memref<1x32x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x, %w, %b : memref<1x2x8x8xf32>, memref<32x2x3x3xf32>, memref<32xf32>) outs(%o2 : memref<1x32x8x8xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
    ykernel.conv2d ins(%x, %wv, %b : memref<1x2x8x8xf32>, memref<32x2x3x3xf32>, memref<32xf32>) outs(%o3 : memref<1x32x4x4xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    return
  }
}

// -----

// The default limits: at least 32 input channels, output rows at most 80
// wide (the blocked kernel measured no faster on rows of 160:
// bench/README.md, session 27). With min-input-channels=2 the 16-channel
// layer is laid out too; with max-output-width=81 the 81-wide one. 48
// output channels make two blocks, the second half used.
// MIN: memref.global "private" constant @w32_co32 : memref<1x32x3x3x32xf32>
// MIN: memref.global "private" constant @w48_co32 : memref<2x32x3x3x32xf32>
// MIN-NOT: _co32
// MIN-LABEL: func @limits
// MIN: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<1x32x3x3x32xf32>
// MIN: ykernel.conv2d ins(%arg1, %{{.*}}, %{{.*}} : memref<1x16x160x160xf32>, memref<32x16x3x3xf32>
// MIN: ykernel.conv2d ins(%arg2, %{{.*}}, %{{.*}} : memref<1x32x162x162xf32>, memref<32x32x3x3xf32>
// MIN: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<2x32x3x3x32xf32>, memref<48xf32>) outs(%arg6 : memref<1x48x80x80xf32>)
// CHECK-LABEL: func @limits
// CHECK: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<1x32x3x3x32xf32>
// CHECK: ykernel.conv2d ins(%arg1, %{{.*}}, %{{.*}} : memref<1x16x160x160xf32>, memref<1x16x3x3x32xf32>
// CHECK: ykernel.conv2d ins(%arg2, %{{.*}}, %{{.*}} : memref<1x32x162x162xf32>, memref<32x32x3x3xf32>
// Half-rate AVX-512 lays out no row of 80 unless told to.
// HALF-LABEL: func @limits
// HALF-NOT: _co32
// HALF: return
// HALFW-LABEL: func @limits
// HALFW: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<1x32x3x3x32xf32>
// HALFW: ykernel.conv2d ins(%arg1, %{{.*}}, %{{.*}} : memref<1x16x160x160xf32>, memref<1x16x3x3x32xf32>
// HALFW: ykernel.conv2d ins(%arg2, %{{.*}}, %{{.*}} : memref<1x32x162x162xf32>, memref<32x32x3x3xf32>
// AVX2-LABEL: func @limits
// AVX2: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<2x32x3x3x16xf32>
// AVX2: ykernel.conv2d ins(%arg1, %{{.*}}, %{{.*}} : memref<1x16x160x160xf32>, memref<2x16x3x3x16xf32>
// AVX2: ykernel.conv2d ins(%arg2, %{{.*}}, %{{.*}} : memref<1x32x162x162xf32>, memref<32x32x3x3xf32>
// AVX2: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<3x32x3x3x16xf32>, memref<48xf32>)
// WIDE-LABEL: func @limits
// WIDE: ykernel.conv2d ins(%arg0, %{{.*}}, %{{.*}} : memref<1x32x160x160xf32>, memref<1x32x3x3x32xf32>
// WIDE: ykernel.conv2d ins(%arg1, %{{.*}}, %{{.*}} : memref<1x16x160x160xf32>, memref<32x16x3x3xf32>
// WIDE: ykernel.conv2d ins(%arg2, %{{.*}}, %{{.*}} : memref<1x32x162x162xf32>, memref<1x32x3x3x32xf32>
module {
  memref.global "private" constant @w32 : memref<32x32x3x3xf32> = dense<0.5>
  memref.global "private" constant @w16 : memref<32x16x3x3xf32> = dense<0.5>
  memref.global "private" constant @wn : memref<32x32x3x3xf32> = dense<0.25>
  memref.global "private" constant @w48 : memref<48x32x3x3xf32> = dense<0.5>
  memref.global "private" constant @b : memref<32xf32> = dense<0.1>
  memref.global "private" constant @b48 : memref<48xf32> = dense<0.1>
  func.func @limits(%x: memref<1x32x160x160xf32>, %x16: memref<1x16x160x160xf32>, %x81: memref<1x32x162x162xf32>, %o1: memref<1x32x80x80xf32>, %o2: memref<1x32x80x80xf32>, %o3: memref<1x32x81x81xf32>, %o4: memref<1x48x80x80xf32>) {
    %w32 = memref.get_global @w32 : memref<32x32x3x3xf32>
    %w16 = memref.get_global @w16 : memref<32x16x3x3xf32>
    %wn = memref.get_global @wn : memref<32x32x3x3xf32>
    %b = memref.get_global @b : memref<32xf32>
    ykernel.conv2d ins(%x, %w32, %b : memref<1x32x160x160xf32>, memref<32x32x3x3xf32>, memref<32xf32>) outs(%o1 : memref<1x32x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x16, %w16, %b : memref<1x16x160x160xf32>, memref<32x16x3x3xf32>, memref<32xf32>) outs(%o2 : memref<1x32x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    ykernel.conv2d ins(%x81, %wn, %b : memref<1x32x162x162xf32>, memref<32x32x3x3xf32>, memref<32xf32>) outs(%o3 : memref<1x32x81x81xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    %w48 = memref.get_global @w48 : memref<48x32x3x3xf32>
    %b48 = memref.get_global @b48 : memref<48xf32>
    ykernel.conv2d ins(%x, %w48, %b48 : memref<1x32x160x160xf32>, memref<48x32x3x3xf32>, memref<48xf32>) outs(%o4 : memref<1x48x80x80xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
    return
  }
}
