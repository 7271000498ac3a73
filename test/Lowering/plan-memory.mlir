// RUN: yolo-opt %s -yolo-plan-memory | FileCheck %s

// Lifetimes (kernel steps): A [0, 1], B [1, 2], C [2, 3], D [3, 4].
// Largest first: B (4096 bytes) at 0; A (1024) overlaps B: after it, at
// 4096; C (2048) overlaps B only: at 4096 (A is dead by then); D (64 bytes,
// rounded up from 4) overlaps C only: at 0, where B was.
// CHECK-LABEL: func @chain
// CHECK-SAME: ykernel.arena_size = 6144 : i64
// CHECK: memref.alloc() {ykernel.arena_offset = 4096 : i64} : memref<256xf32>
// CHECK: memref.alloc() {ykernel.arena_offset = 0 : i64} : memref<1024xf32>
// CHECK: memref.alloc() {ykernel.arena_offset = 4096 : i64} : memref<512xf32>
// CHECK: memref.alloc() {ykernel.arena_offset = 0 : i64} : memref<1xf32>
// The never-used allocation gets an offset too (it takes no space).
// CHECK: memref.alloc() {ykernel.arena_offset = 0 : i64} : memref<8xf32>
// Each kernel's scratch: the widest gap between the allocations live at
// its step (the kernel's own operands included), [offset, bytes].
// Step 0, A at [4096, 5120): [0, 4096) beats [5120, 6144).
// CHECK: ykernel.unary {{.*}}ykernel.scratch = array<i64: 0, 4096>
// Step 1, B at [0, 4096) and A: [5120, 6144).
// CHECK: ykernel.copy {{.*}}ykernel.scratch = array<i64: 5120, 1024>
// Step 2, B and C fill the arena: none.
// CHECK: ykernel.copy {{.*}}ykernel.scratch = array<i64: 0, 0>
// Step 3, D at [0, 64) and C at [4096, 6144): [64, 4096).
// CHECK: ykernel.reduce_sum {{.*}}ykernel.scratch = array<i64: 64, 4032>
// Step 4, D only: the rest of the arena.
// CHECK: ykernel.copy {{.*}}ykernel.scratch = array<i64: 64, 6080>
func.func @chain(%x: memref<256xf32>, %y: memref<1xf32>) {
  %a = memref.alloc() : memref<256xf32>
  %b = memref.alloc() : memref<1024xf32>
  %c = memref.alloc() : memref<512xf32>
  %d = memref.alloc() : memref<1xf32>
  %unused = memref.alloc() : memref<8xf32>
  ykernel.unary ins(%x : memref<256xf32>) outs(%a : memref<256xf32>) {activation = #yolo.activation<relu>, alpha = 0.0 : f32}
  %bv = memref.subview %b[0] [256] [1] : memref<1024xf32> to memref<256xf32, strided<[1]>>
  ykernel.copy ins(%a : memref<256xf32>) outs(%bv : memref<256xf32, strided<[1]>>)
  %cv = memref.reinterpret_cast %c to offset: [0], sizes: [256], strides: [1] : memref<512xf32> to memref<256xf32, strided<[1]>>
  ykernel.copy ins(%bv : memref<256xf32, strided<[1]>>) outs(%cv : memref<256xf32, strided<[1]>>)
  ykernel.reduce_sum ins(%cv : memref<256xf32, strided<[1]>>) outs(%d : memref<1xf32>) {axes = array<i64: 0>, keep_dims = true}
  ykernel.copy ins(%d : memref<1xf32>) outs(%y : memref<1xf32>)
  return
}
