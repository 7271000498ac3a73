// RUN: yolo-opt %s -yolo-split-bands | FileCheck %s
// RUN: yolo-opt %s -yolo-split-bands -yolo-plan-memory | FileCheck %s --check-prefix=PLAN
// RUN: yolo-opt %s -yolo-split-bands=min-rows=9 | FileCheck %s --check-prefix=MIN

// A 3x3 convolution (32 rows), a stride-2 one (16 rows), a 5x5 max pool,
// a nearest upsampling by 2 along H and an add into the caller's output:
// each becomes two kernels, one per band of output rows ([0, H/2) and the
// rest), band 0 then band 1. The allocations they alone use become two,
// each holding its band's rows and the rows across the boundary that its
// band's readers need; the caller's buffers stay whole (row views).

// %a (32 rows): band 0 rows [0, 16); band 1 rows [15, 32), since the
// stride-2 convolution's band 1 (output rows [8, 16)) reads input rows
// 15-31. The convolutions read rows [0, 17) and [15, 32) of the image,
// with the layer's padding at the image's top and bottom only.
// CHECK-LABEL: func.func @main
// CHECK: %[[A0:.*]] = memref.alloc() {ykernel.band = 0 : i64} : memref<1x8x16x16xf32>
// CHECK: %[[A1:.*]] = memref.alloc() {ykernel.band = 1 : i64} : memref<1x8x17x16xf32>
// CHECK: %[[X0:.*]] = memref.reinterpret_cast %arg0 to offset: [0], sizes: [1, 3, 17, 16], strides: [1536, 512, 16, 1]
// CHECK: %[[O0:.*]] = memref.reinterpret_cast %[[A0]] to offset: [0], sizes: [1, 8, 16, 16], strides: [2048, 256, 16, 1]
// CHECK: ykernel.conv2d ins(%[[X0]], {{.*}}) outs(%[[O0]] : {{.*}}) {{{.*}}pads = array<i64: 1, 1, 0, 1>, strides = array<i64: 1, 1>, ykernel.band = 0 : i64}
// CHECK: %[[X1:.*]] = memref.reinterpret_cast %arg0 to offset: [240], sizes: [1, 3, 17, 16]
// CHECK: %[[O1:.*]] = memref.reinterpret_cast %[[A1]] to offset: [16], sizes: [1, 8, 16, 16], strides: [2176, 272, 16, 1]
// CHECK: ykernel.conv2d ins(%[[X1]], {{.*}}) outs(%[[O1]] : {{.*}}) {{{.*}}pads = array<i64: 0, 1, 1, 1>, strides = array<i64: 1, 1>, ykernel.band = 1 : i64}
// Only band 1 has a halo here: row 15, copied from band 0 (row 15 of 16)
// into band 1's first row.
// CHECK: %[[H0:.*]] = memref.reinterpret_cast %[[A0]] to offset: [240], sizes: [1, 8, 1, 16]
// CHECK: %[[H1:.*]] = memref.reinterpret_cast %[[A1]] to offset: [0], sizes: [1, 8, 1, 16]
// CHECK: ykernel.copy ins(%[[H0]] : {{.*}}) outs(%[[H1]] : {{.*}}) {ykernel.band = 1 : i64}
// CHECK-NOT: ykernel.copy
// %b (16 rows): the max pool's bands read rows [0, 10) and [6, 16): both
// have a halo of two rows, copied by a pair after the convolution.
// CHECK: %[[B0:.*]] = memref.alloc() {ykernel.band = 0 : i64} : memref<1x8x10x16xf32>
// CHECK: %[[B1:.*]] = memref.alloc() {ykernel.band = 1 : i64} : memref<1x8x10x16xf32>
// CHECK: ykernel.conv2d ins(%{{.*}}) outs(%{{.*}}) {{{.*}}pads = array<i64: 1, 1, 0, 1>, strides = array<i64: 2, 1>, ykernel.band = 0 : i64}
// CHECK: memref.reinterpret_cast %[[A1]] to offset: [0], sizes: [1, 8, 17, 16]
// CHECK: ykernel.conv2d ins(%{{.*}}) outs(%{{.*}}) {{{.*}}pads = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 1>, ykernel.band = 1 : i64}
// CHECK: %[[F1:.*]] = memref.reinterpret_cast %[[B1]] to offset: [32], sizes: [1, 8, 2, 16]
// CHECK: %[[T0:.*]] = memref.reinterpret_cast %[[B0]] to offset: [128], sizes: [1, 8, 2, 16]
// CHECK: ykernel.copy ins(%[[F1]] : {{.*}}) outs(%[[T0]] : {{.*}}) {ykernel.band = 0 : i64}
// CHECK: %[[F0:.*]] = memref.reinterpret_cast %[[B0]] to offset: [96], sizes: [1, 8, 2, 16]
// CHECK: %[[T1:.*]] = memref.reinterpret_cast %[[B1]] to offset: [0], sizes: [1, 8, 2, 16]
// CHECK: ykernel.copy ins(%[[F0]] : {{.*}}) outs(%[[T1]] : {{.*}}) {ykernel.band = 1 : i64}
// CHECK: ykernel.max_pool {{.*}}pads = array<i64: 2, 2, 0, 2>, strides = array<i64: 1, 1>, ykernel.band = 0 : i64}
// CHECK: ykernel.max_pool {{.*}}pads = array<i64: 0, 2, 2, 2>, strides = array<i64: 1, 1>, ykernel.band = 1 : i64}
// Upsampling: output rows [0, 16) from input rows [0, 8), no halo.
// CHECK: ykernel.resize ins(%{{.*}} : memref<1x8x8x16xf32, {{.*}}>) outs(%{{.*}} : memref<1x8x16x16xf32, {{.*}}>) {scales = array<i64: 2, 1>, ykernel.band = 0 : i64}
// CHECK: ykernel.resize {{.*}}ykernel.band = 1 : i64}
// The add reads band 1 of %a from its allocation's row 1 (offset 16) and
// writes rows [16, 32) of the caller's buffer.
// CHECK: ykernel.binary {{.*}}ykernel.band = 0 : i64}
// CHECK: memref.reinterpret_cast %[[A1]] to offset: [16], sizes: [1, 8, 16, 16]
// CHECK: %[[Y1:.*]] = memref.reinterpret_cast %arg1 to offset: [256], sizes: [1, 8, 16, 16], strides: [4096, 512, 16, 1]
// CHECK: ykernel.binary {{.*}}outs(%[[Y1]] : {{.*}}) {kind = #ykernel.binary<add>, ykernel.band = 1 : i64}
// CHECK-NOT: memref.alloc() :

// The plan: band 0's allocations in [0, 20480), band 1's after them; a
// pair's two kernels are one step (the same scratch), a lone copy its own.
// PLAN: ykernel.arena_size = 41472
// PLAN: memref.alloc() {ykernel.arena_offset = 0 : i64, ykernel.band = 0 : i64} : memref<1x8x16x16xf32>
// PLAN: memref.alloc() {ykernel.arena_offset = 20480 : i64, ykernel.band = 1 : i64} : memref<1x8x17x16xf32>
// PLAN: ykernel.conv2d {{.*}}ykernel.band = 0 : i64, ykernel.scratch = array<i64: [[S:[0-9]+, [0-9]+]]>}
// PLAN: ykernel.conv2d {{.*}}ykernel.band = 1 : i64, ykernel.scratch = array<i64: [[S]]>}
// PLAN: ykernel.copy {{.*}}ykernel.band = 1 : i64, ykernel.scratch = array<i64: 8192, 12288>}
// PLAN: memref.alloc() {ykernel.arena_offset = 8192 : i64, ykernel.band = 0 : i64} : memref<1x8x10x16xf32>
// PLAN: memref.alloc() {ykernel.arena_offset = 29184 : i64, ykernel.band = 1 : i64} : memref<1x8x10x16xf32>

// With bands of at least 9 rows, the 16-row layers stay whole; their
// input %a is then read by the stride-2 convolution as a whole, so it is
// not split either, and the first convolution's bands write row views of
// it.
// MIN: %[[A:.*]] = memref.alloc() : memref<1x8x32x16xf32>
// MIN: memref.reinterpret_cast %[[A]] to offset: [0], sizes: [1, 8, 16, 16]
// MIN: ykernel.conv2d {{.*}}ykernel.band = 0 : i64}
// MIN: memref.reinterpret_cast %[[A]] to offset: [256], sizes: [1, 8, 16, 16]
// MIN: ykernel.conv2d {{.*}}ykernel.band = 1 : i64}
// MIN-NOT: ykernel.copy
// MIN: ykernel.conv2d ins(%[[A]], {{.*}}strides = array<i64: 2, 1>}
// MIN: ykernel.max_pool ins({{.*}}) {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>}

memref.global "private" constant @w1 : memref<8x8xf32> = dense<1.0>
memref.global "private" constant @b1 : memref<8xf32> = dense<0.0>
memref.global "private" constant @w3 : memref<8x3x3x3xf32> = dense<1.0>
memref.global "private" constant @w8 : memref<8x8x3x3xf32> = dense<1.0>
memref.global "private" constant @b8 : memref<8xf32> = dense<0.0>
func.func @main(%x: memref<1x3x32x16xf32>, %y: memref<1x8x32x16xf32> {ykernel.output = 0 : i64}) {
  %w3 = memref.get_global @w3 : memref<8x3x3x3xf32>
  %w8 = memref.get_global @w8 : memref<8x8x3x3xf32>
  %b8 = memref.get_global @b8 : memref<8xf32>
  %a = memref.alloc() : memref<1x8x32x16xf32>
  ykernel.conv2d ins(%x, %w3, %b8 : memref<1x3x32x16xf32>, memref<8x3x3x3xf32>, memref<8xf32>) outs(%a : memref<1x8x32x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  %b = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%a, %w8, %b8 : memref<1x8x32x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%b : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 1>}
  %c = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.max_pool ins(%b : memref<1x8x16x16xf32>) outs(%c : memref<1x8x16x16xf32>) {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>}
  %d = memref.alloc() : memref<1x8x32x16xf32>
  ykernel.resize ins(%c : memref<1x8x16x16xf32>) outs(%d : memref<1x8x32x16xf32>) {scales = array<i64: 2, 1>}
  ykernel.binary ins(%d, %a : memref<1x8x32x16xf32>, memref<1x8x32x16xf32>) outs(%y : memref<1x8x32x16xf32>) {kind = #ykernel.binary<add>}
  return
}

// A channel slice (channels 8-15) of a split allocation read flattened by
// a 1x1 convolution, whose bands take runs of 64 pixels (8 rows of 8) of
// each band's allocation at channel 8 (offset 8 x 64) and write them into
// the caller's [1, 8, 128] buffer; an upsampling whose band 1 would start
// at an odd row (9 of 18, scale 2) stays whole; a broadcast operand
// (one row) goes whole to both bands.
// CHECK-LABEL: func.func @more
// CHECK: %[[M0:.*]] = memref.alloc() {ykernel.band = 0 : i64} : memref<1x16x8x8xf32>
// CHECK: %[[M1:.*]] = memref.alloc() {ykernel.band = 1 : i64} : memref<1x16x8x8xf32>
// CHECK: ykernel.unary {{.*}}ykernel.band = 0
// CHECK: ykernel.unary {{.*}}ykernel.band = 1
// CHECK: %[[F0:.*]] = memref.reinterpret_cast %[[M0]] to offset: [512], sizes: [1, 8, 64], strides: [1024, 64, 1]
// CHECK: %[[Y0:.*]] = memref.reinterpret_cast %arg1 to offset: [0], sizes: [1, 8, 64], strides: [1024, 128, 1]
// CHECK: ykernel.conv1x1 ins(%[[F0]], {{.*}}) outs(%[[Y0]] : {{.*}}ykernel.band = 0
// CHECK: %[[F1:.*]] = memref.reinterpret_cast %[[M1]] to offset: [512], sizes: [1, 8, 64], strides: [1024, 64, 1]
// CHECK: %[[Y1:.*]] = memref.reinterpret_cast %arg1 to offset: [64], sizes: [1, 8, 64], strides: [1024, 128, 1]
// CHECK: ykernel.conv1x1 ins(%[[F1]], {{.*}}) outs(%[[Y1]] : {{.*}}ykernel.band = 1
// CHECK: ykernel.resize ins(%arg2 : memref<1x1x9x4xf32>) outs(%arg3 : memref<1x1x18x4xf32>) {scales = array<i64: 2, 1>}
// CHECK: ykernel.binary ins(%{{.*}}, %arg5 : memref<1x4x8x8xf32, strided<[512, 128, 8, 1]>>, memref<1x4x1x8xf32>) {{.*}}ykernel.band = 0
// CHECK: ykernel.binary ins(%{{.*}}, %arg5 : memref<1x4x8x8xf32, strided<[512, 128, 8, 1], offset: 64>>, memref<1x4x1x8xf32>) {{.*}}ykernel.band = 1
func.func @more(%x: memref<1x16x16x8xf32>, %y: memref<1x8x128xf32>, %r: memref<1x1x9x4xf32>, %ro: memref<1x1x18x4xf32>, %p: memref<1x4x16x8xf32>, %q: memref<1x4x1x8xf32>, %pq: memref<1x4x16x8xf32>) {
  %w = memref.get_global @w1 : memref<8x8xf32>
  %b = memref.get_global @b1 : memref<8xf32>
  %a = memref.alloc() : memref<1x16x16x8xf32>
  ykernel.unary ins(%x : memref<1x16x16x8xf32>) outs(%a : memref<1x16x16x8xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32}
  %v = memref.subview %a[0, 8, 0, 0] [1, 8, 16, 8] [1, 1, 1, 1] : memref<1x16x16x8xf32> to memref<1x8x16x8xf32, strided<[2048, 128, 8, 1], offset: 1024>>
  %f = memref.reinterpret_cast %v to offset: [1024], sizes: [1, 8, 128], strides: [2048, 128, 1] : memref<1x8x16x8xf32, strided<[2048, 128, 8, 1], offset: 1024>> to memref<1x8x128xf32, strided<[2048, 128, 1], offset: 1024>>
  ykernel.conv1x1 ins(%f, %w, %b : memref<1x8x128xf32, strided<[2048, 128, 1], offset: 1024>>, memref<8x8xf32>, memref<8xf32>) outs(%y : memref<1x8x128xf32>) {activation = #yolo.activation<none>, alpha = 0.0 : f32}
  ykernel.resize ins(%r : memref<1x1x9x4xf32>) outs(%ro : memref<1x1x18x4xf32>) {scales = array<i64: 2, 1>}
  ykernel.binary ins(%p, %q : memref<1x4x16x8xf32>, memref<1x4x1x8xf32>) outs(%pq : memref<1x4x16x8xf32>) {kind = #ykernel.binary<mul>}
  return
}

// min-rows below 1 is refused.
// RUN: not yolo-opt %s -yolo-split-bands=min-rows=0 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: yolo-split-bands: min-rows must be at least 1, got 0
