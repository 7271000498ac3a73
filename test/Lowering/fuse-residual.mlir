// RUN: yolo-opt %s -yolo-fuse-residual -mlir-print-debuginfo | FileCheck %s
// RUN: yolo-opt %s -yolo-fuse-residual=all=true | FileCheck %s --check-prefix=ALL

memref.global "private" constant @w8 : memref<8x8x3x3xf32> = dense<1.0>
memref.global "private" constant @u8 : memref<16x8x8xf32> = dense<1.0>
memref.global "private" constant @w1 : memref<8x8xf32> = dense<1.0>
memref.global "private" constant @b8 : memref<8xf32> = dense<0.0>

// A bottleneck, x + silu(conv(x)): the convolution takes x as its residual
// and writes the sum's buffer; the addition and the convolution's own
// buffer go, and the convolution's location names both ONNX nodes.
// CHECK-LABEL: func.func @bottleneck
// CHECK-SAME: (%[[X:arg[0-9]+]]: memref<1x8x16x16xf32>
// CHECK: %[[S:.*]] = memref.alloc() : memref<1x8x16x16xf32>
// CHECK-NEXT: ykernel.conv2d ins(%[[X]], %{{.*}}, %{{.*}}, %[[X]] : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>, memref<1x8x16x16xf32>) outs(%[[S]] : memref<1x8x16x16xf32>) {{.*}} loc(#[[LOC:.*]])
// CHECK-NOT: ykernel.binary
// CHECK-NOT: memref.alloc
// CHECK: ykernel.conv2d ins(%[[S]],
// (Its location: at the end of the module.)
func.func @bottleneck(%x: memref<1x8x16x16xf32>, %y: memref<1x8x16x16xf32> {ykernel.output = 0 : i64}) {
  %w = memref.get_global @w8 : memref<8x8x3x3xf32>
  %b = memref.get_global @b8 : memref<8xf32>
  %a = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} loc("cv2")
  %s = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.binary ins(%x, %a : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%s : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>} loc("add")
  ykernel.conv2d ins(%s, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%y : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  return
}

// The sum written into channels 8-15 of a concat buffer, the
// convolution's output the addition's first operand, a Winograd
// convolution: by default left alone (its output vectors run along the
// channels). With all=true, fused: the slice's view, made after the
// convolution, moves before it. Between the two, another kernel writes
// channels 0-7 of the same buffer: memory the sum's view does not reach,
// so the fusion stands.
// CHECK-LABEL: func.func @concat_slot
// CHECK: ykernel.conv_winograd ins(%{{[a-z0-9_]+}}, %{{[0-9]+}}, %{{[0-9]+}} :
// CHECK: ykernel.binary ins
// ALL-LABEL: func.func @concat_slot
// ALL-SAME: (%[[X:arg[0-9]+]]: memref<1x8x16x16xf32>
// ALL: %[[CAT:.*]] = memref.alloc() : memref<1x16x16x16xf32>
// ALL: %[[HI:.*]] = memref.subview %[[CAT]][0, 8, 0, 0]
// ALL-NEXT: ykernel.conv_winograd ins(%[[X]], %{{.*}}, %{{.*}}, %[[X]] : {{.*}}) outs(%[[HI]] : memref<1x8x16x16xf32, strided<[4096, 256, 16, 1], offset: 2048>>)
// ALL: ykernel.unary
// ALL-NOT: ykernel.binary ins
// A convolution with weights in blocks of output channels, likewise.
// CHECK-LABEL: func.func @blocked
// CHECK: ykernel.binary ins
// ALL-LABEL: func.func @blocked
// ALL: ykernel.conv2d ins(%{{.*}}, %{{.*}}, %{{.*}}, %arg0 : memref<1x8x16x16xf32>, memref<1x8x3x3x16xf32>, memref<8xf32>, memref<1x8x16x16xf32>) outs(%arg1
// ALL-NOT: ykernel.binary ins
func.func @concat_slot(%x: memref<1x8x16x16xf32>, %y: memref<1x16x16x16xf32> {ykernel.output = 0 : i64}) {
  %u = memref.get_global @u8 : memref<16x8x8xf32>
  %b = memref.get_global @b8 : memref<8xf32>
  %cat = memref.alloc() : memref<1x16x16x16xf32>
  %a = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv_winograd ins(%x, %u, %b : memref<1x8x16x16xf32>, memref<16x8x8xf32>, memref<8xf32>) outs(%a : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, m = 2 : i64, pads = array<i64: 1, 1, 1, 1>}
  %lo = memref.subview %cat[0, 0, 0, 0] [1, 8, 16, 16] [1, 1, 1, 1] : memref<1x16x16x16xf32> to memref<1x8x16x16xf32, strided<[4096, 256, 16, 1]>>
  ykernel.unary ins(%x : memref<1x8x16x16xf32>) outs(%lo : memref<1x8x16x16xf32, strided<[4096, 256, 16, 1]>>) {activation = #yolo.activation<relu>, alpha = 0.0 : f32}
  %hi = memref.subview %cat[0, 8, 0, 0] [1, 8, 16, 16] [1, 1, 1, 1] : memref<1x16x16x16xf32> to memref<1x8x16x16xf32, strided<[4096, 256, 16, 1], offset: 2048>>
  ykernel.binary ins(%a, %x : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%hi : memref<1x8x16x16xf32, strided<[4096, 256, 16, 1], offset: 2048>>) {kind = #ykernel.binary<add>}
  ykernel.copy ins(%cat : memref<1x16x16x16xf32>) outs(%y : memref<1x16x16x16xf32>)
  return
}

memref.global "private" constant @wb : memref<1x8x3x3x16xf32> = dense<1.0>
func.func @blocked(%x: memref<1x8x16x16xf32>, %y: memref<1x8x16x16xf32> {ykernel.output = 0 : i64}) {
  %w = memref.get_global @wb : memref<1x8x3x3x16xf32>
  %b = memref.get_global @b8 : memref<8xf32>
  %a = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<1x8x3x3x16xf32>, memref<8xf32>) outs(%a : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.binary ins(%a, %x : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%y : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>}
  return
}

// A 1x1 convolution writes its [N, C, H * W] view: the residual and the
// sum are passed as such views too.
// CHECK-LABEL: func.func @pointwise
// ALL-LABEL: func.func @pointwise
// CHECK-SAME: (%[[X:arg[0-9]+]]: memref<1x8x4x4xf32>{{.*}}, %[[Y:arg[0-9]+]]: memref<1x8x4x4xf32>
// CHECK: %[[RX:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 8, 16], strides: [128, 16, 1] : memref<1x8x4x4xf32> to memref<1x8x16xf32, strided<[128, 16, 1]>>
// CHECK: %[[RY:.*]] = memref.reinterpret_cast %[[Y]] to offset: [0], sizes: [1, 8, 16], strides: [128, 16, 1]
// CHECK: ykernel.conv1x1 ins(%{{.*}}, %{{.*}}, %{{.*}}, %[[RX]] : {{.*}}) outs(%[[RY]] : memref<1x8x16xf32, strided<[128, 16, 1]>>)
// CHECK-NOT: ykernel.binary
// CHECK-NOT: memref.alloc
func.func @pointwise(%x: memref<1x8x4x4xf32>, %y: memref<1x8x4x4xf32> {ykernel.output = 0 : i64}) {
  %w = memref.get_global @w1 : memref<8x8xf32>
  %b = memref.get_global @b8 : memref<8xf32>
  %fx = memref.reinterpret_cast %x to offset: [0], sizes: [1, 8, 16], strides: [128, 16, 1] : memref<1x8x4x4xf32> to memref<1x8x16xf32>
  %a = memref.alloc() : memref<1x8x4x4xf32>
  %fa = memref.reinterpret_cast %a to offset: [0], sizes: [1, 8, 16], strides: [128, 16, 1] : memref<1x8x4x4xf32> to memref<1x8x16xf32>
  ykernel.conv1x1 ins(%fx, %w, %b : memref<1x8x16xf32>, memref<8x8xf32>, memref<8xf32>) outs(%fa : memref<1x8x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32}
  ykernel.binary ins(%a, %x : memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%y : memref<1x8x4x4xf32>) {kind = #ykernel.binary<add>}
  return
}

// Left alone: the convolution's buffer is read by another kernel too; an
// operand broadcast; a kernel between the two writes the residual; a
// kernel between the two reads the sum's buffer; the sum written over
// the residual; a subtraction.
// CHECK-LABEL: func.func @not_fused
// CHECK: ykernel.conv2d ins(%[[ARG:[a-z0-9_]+]], %[[W:[0-9]+]], %[[B:[0-9]+]] : {{.*}}) outs(%[[A1:.*]] : memref
// CHECK-NEXT: ykernel.binary ins(%[[ARG]], %[[A1]] :
// CHECK-NEXT: ykernel.unary
// CHECK: ykernel.conv2d ins(%[[ARG]], %[[W]], %[[B]] : {{.*}}) outs(%[[A2:.*]] : memref
// CHECK-NEXT: ykernel.binary ins(%[[A2]], %{{.*}} : memref<1x8x16x16xf32>, memref<1x8x1x16xf32>)
// CHECK: ykernel.conv2d ins(%[[ARG]], %[[W]], %[[B]] : {{.*}}) outs(%[[A3:.*]] : memref
// CHECK-NEXT: ykernel.unary
// CHECK-NEXT: ykernel.binary ins(%{{.*}}, %[[A3]] :
// CHECK: ykernel.conv2d ins(%[[ARG]], %[[W]], %[[B]] : {{.*}}) outs(%[[A4:.*]] : memref
// CHECK-NEXT: ykernel.copy
// CHECK-NEXT: ykernel.binary ins(%[[ARG]], %[[A4]] :
// CHECK: ykernel.conv2d ins(%[[ARG]], %[[W]], %[[B]] : {{.*}}) outs(%[[A5:.*]] : memref
// CHECK-NEXT: ykernel.binary ins(%{{.*}}, %[[A5]] :
// CHECK: ykernel.conv2d ins(%[[ARG]], %[[W]], %[[B]] : {{.*}}) outs(%[[A6:.*]] : memref
// CHECK-NEXT: ykernel.binary ins(%[[ARG]], %[[A6]] : {{.*}}kind = #ykernel.binary<sub>
// The bottleneck's fused location:
// CHECK: #[[CV2:.*]] = loc("cv2")
// CHECK: #[[ADD:.*]] = loc("add")
// CHECK: #[[LOC]] = loc(fused[#[[CV2]], #[[ADD]]])
func.func @not_fused(%x: memref<1x8x16x16xf32>, %q: memref<1x8x1x16xf32>, %y: memref<1x8x16x16xf32>, %z: memref<1x8x16x16xf32>) {
  %w = memref.get_global @w8 : memref<8x8x3x3xf32>
  %b = memref.get_global @b8 : memref<8xf32>
  %a = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.binary ins(%x, %a : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%y : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>}
  ykernel.unary ins(%a : memref<1x8x16x16xf32>) outs(%z : memref<1x8x16x16xf32>) {activation = #yolo.activation<relu>, alpha = 0.0 : f32}

  %a2 = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a2 : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.binary ins(%a2, %q : memref<1x8x16x16xf32>, memref<1x8x1x16xf32>) outs(%y : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>}

  %r = memref.alloc() : memref<1x8x16x16xf32>
  %a3 = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a3 : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.unary ins(%x : memref<1x8x16x16xf32>) outs(%r : memref<1x8x16x16xf32>) {activation = #yolo.activation<relu>, alpha = 0.0 : f32}
  ykernel.binary ins(%r, %a3 : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%y : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>}

  %a4 = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a4 : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.copy ins(%y : memref<1x8x16x16xf32>) outs(%z : memref<1x8x16x16xf32>)
  ykernel.binary ins(%x, %a4 : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%y : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>}

  %a5 = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a5 : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.binary ins(%z, %a5 : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%z : memref<1x8x16x16xf32>) {kind = #ykernel.binary<add>}

  %a6 = memref.alloc() : memref<1x8x16x16xf32>
  ykernel.conv2d ins(%x, %w, %b : memref<1x8x16x16xf32>, memref<8x8x3x3xf32>, memref<8xf32>) outs(%a6 : memref<1x8x16x16xf32>) {activation = #yolo.activation<silu>, alpha = 0.0 : f32, dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  ykernel.binary ins(%x, %a6 : memref<1x8x16x16xf32>, memref<1x8x16x16xf32>) outs(%y : memref<1x8x16x16xf32>) {kind = #ykernel.binary<sub>}
  return
}
