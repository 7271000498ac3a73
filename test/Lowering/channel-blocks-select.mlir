// RUN: yolo-opt %s -yolo-select-kernels="targets=x86-64-linux-avx2-fma" | FileCheck %s --check-prefix=AVX2
// RUN: yolo-opt %s -yolo-select-kernels="targets=x86-64-linux-avx2-fma,x86-64-linux-avx2" | FileCheck %s --check-prefix=AVX2TWO
// RUN: not yolo-opt %s -yolo-select-kernels="targets=x86-64-linux-avx512" 2>&1 | FileCheck %s --check-prefix=WIDER
// RUN: not yolo-opt %s -yolo-select-kernels="targets=x86-64-linux" 2>&1 | FileCheck %s --check-prefix=SSE
// RUN: not yolo-opt %s -yolo-select-kernels="targets=x86-64-linux-avx" 2>&1 | FileCheck %s --check-prefix=AVX
// RUN: not yolo-opt %s -yolo-select-kernels="targets=arm-64-linux" 2>&1 | FileCheck %s --check-prefix=ARM

// Weights already in blocks of 16 output channels (what --yolo-channel-blocks
// makes for AVX2 targets): AVX2 targets get the blocked kernel's tile, 2
// vectors of 8 output channels by the whole 4-pixel row. A target whose
// kernel takes other blocks (AVX-512: 32; its tile, aligned to whole tiles,
// would read a block past the last one of 48 channels) or has no blocked
// kernel (SSE, AVX without AVX2, ARM64) is an error naming the layer.
// AVX2: ykernel.conv2d {{.*}}memref<3x8x3x3x16xf32>{{.*}}tiles = [array<i64: 8, 2, 4>]
// AVX2TWO: ykernel.conv2d {{.*}}tiles = [array<i64: 8, 2, 4>, array<i64: 8, 2, 4>]
// WIDER: error: loc("/model.3/conv/Conv"): 'ykernel.conv2d' op has weights in blocks of 16 output channels, but target x86-64-linux-avx512's kernel takes blocks of 32 (lay them out with --yolo-channel-blocks for the same targets)
// SSE: error: loc("/model.3/conv/Conv"): 'ykernel.conv2d' op has weights in blocks of output channels, which target x86-64-linux has no kernel for
// AVX: error: loc("/model.3/conv/Conv"): 'ykernel.conv2d' op has weights in blocks of output channels, which target x86-64-linux-avx has no kernel for
// ARM: error: loc("/model.3/conv/Conv"): 'ykernel.conv2d' op has weights in blocks of output channels, which target arm-64-linux has no kernel for
module {
  memref.global "private" constant @w_co16 : memref<3x8x3x3x16xf32> = dense<0.5>
  memref.global "private" constant @b : memref<48xf32> = dense<0.1>
  func.func @blocked(%x: memref<1x8x8x8xf32>, %o: memref<1x48x4x4xf32>) {
    %w = memref.get_global @w_co16 : memref<3x8x3x3x16xf32>
    %b = memref.get_global @b : memref<48xf32>
    ykernel.conv2d ins(%x, %w, %b : memref<1x8x8x8xf32>, memref<3x8x3x3x16xf32>, memref<48xf32>) outs(%o : memref<1x48x4x4xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} loc("/model.3/conv/Conv")
    return
  }
}
