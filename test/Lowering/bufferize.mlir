// RUN: yolo-opt %s -split-input-file -yolo-bufferize -verify-diagnostics | FileCheck %s

// An ELAN-like block: cv1's output is split in two halves, the second
// half feeds a convolution, and both halves and that convolution's output
// are concatenated into the function's result.
// - The concat buffer is the caller's output argument: nothing allocated.
// - cv1 writes into the first 8 channels of it, its halves are views.
// - m writes into the last 4 channels: no copy anywhere.
// CHECK-LABEL: func @main
// CHECK-SAME: (%[[X:.*]]: memref<1x4x8x8xf32> {yolo.name = "images"},
// CHECK-SAME: %[[OUT:.*]]: memref<1x12x8x8xf32> {ykernel.output = 0 : i64, yolo.name = "output0"})
// CHECK-NOT: memref.alloc
// CHECK-DAG: %[[CV1:.*]] = memref.subview %[[OUT]][0, 0, 0, 0] [1, 8, 8, 8] [1, 1, 1, 1] : memref<1x12x8x8xf32> to memref<1x8x8x8xf32, strided<[768, 64, 8, 1]>>
// CHECK-DAG: %[[M:.*]] = memref.subview %[[OUT]][0, 8, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x12x8x8xf32> to memref<1x4x8x8xf32, strided<[768, 64, 8, 1], offset: 512>>
// CHECK: ykernel.conv2d ins(%[[X]], %{{.*}}, %{{.*}} : {{.*}}) outs(%[[CV1]] : {{.*}}) {{.*}}activation = #yolo.activation<silu>
// CHECK: %[[B:.*]] = memref.subview %[[CV1]][0, 4, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1]
// CHECK: ykernel.conv2d ins(%[[B]], %{{.*}}, %{{.*}} : {{.*}}) outs(%[[M]] :
// CHECK-NOT: ykernel.copy
// CHECK: return
// CHECK-NOT: ykernel
func.func @main(%x: tensor<1x4x8x8xf32> {yolo.name = "images"}) -> (tensor<1x12x8x8xf32> {yolo.name = "output0"}) {
  %w1 = yolo.constant dense<0.5> : tensor<8x4x1x1xf32>
  %b1 = yolo.constant dense<0.0> : tensor<8xf32>
  %c = yolo.conv2d %x, %w1, %b1 {activation = #yolo.activation<silu>} : (tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32> loc("cv1")
  %a, %b = yolo.split %c {axis = 1 : i64, sizes = array<i64: 4, 4>} : (tensor<1x8x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>)
  %w2 = yolo.constant dense<0.25> : tensor<4x4x3x3xf32>
  %m = yolo.conv2d %b, %w2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32> loc("m")
  %y = yolo.concat %a, %b, %m {axis = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) -> tensor<1x12x8x8xf32>
  return %y : tensor<1x12x8x8xf32>
}

// -----

// Constants are globals (a convolution without bias reads a shared zero
// global); a function argument inside a concat is copied into its slot; a
// concat that is not a result gets its own allocation.
// CHECK-DAG: memref.global "private" constant @cst : memref<2x2x1x1xf32> = dense<1.000000e+00> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @zeros_2 : memref<2xf32> = dense<0.000000e+00> {alignment = 64 : i64}
// CHECK-LABEL: func @main
// CHECK: %[[CAT:.*]] = memref.alloc() : memref<1x4x2x2xf32>
// CHECK: %[[SLOT1:.*]] = memref.subview %[[CAT]][0, 2, 0, 0] [1, 2, 2, 2]
// CHECK: %[[W:.*]] = memref.get_global @cst
// CHECK: %[[Z:.*]] = memref.get_global @zeros_2
// CHECK: ykernel.conv2d ins(%arg0, %[[W]], %[[Z]] : {{.*}}) outs(%[[SLOT1]]
// CHECK: %[[SLOT0:.*]] = memref.subview %[[CAT]][0, 0, 0, 0] [1, 2, 2, 2]
// CHECK: ykernel.copy ins(%arg0 : memref<1x2x2x2xf32>) outs(%[[SLOT0]]
// CHECK: ykernel.unary ins(%[[CAT]] : memref<1x4x2x2xf32>) outs(%arg1 : memref<1x4x2x2xf32>) {activation = #yolo.activation<sigmoid>, alpha = 0.000000e+00 : f32}
func.func @main(%x: tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %w = yolo.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = yolo.conv2d %x, %w : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = yolo.concat %x, %c {axis = 1 : i64} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  %s = yolo.sigmoid %y : tensor<1x4x2x2xf32>
  return %s : tensor<1x4x2x2xf32>
}

// -----

// A reshape of a contiguous tensor is a view; of a strided slice, a copy
// first. A result that is a view (not computed by a kernel) is copied into
// the output argument.
// CHECK-LABEL: func @main
// CHECK: ykernel.binary ins(%arg0, %arg0 : {{.*}}) outs(%[[SUM:.*]] : memref<1x4x2x2xf32>) {kind = #ykernel.binary<add>}
// CHECK: %[[HALF:.*]] = memref.subview %[[SUM]][0, 0, 0, 0] [1, 4, 1, 2] [1, 1, 1, 1]
// CHECK: %[[TMP:.*]] = memref.alloc() : memref<1x4x1x2xf32>
// CHECK: ykernel.copy ins(%[[HALF]] : {{.*}}) outs(%[[TMP]] : memref<1x4x1x2xf32>)
// CHECK: %[[R:.*]] = memref.reinterpret_cast %[[TMP]] to offset: [0], sizes: [1, 8], strides: [8, 1]
// CHECK: ykernel.copy ins(%[[R]] : memref<1x8xf32, strided<[8, 1]>>) outs(%arg1 : memref<1x8xf32>)
func.func @main(%x: tensor<1x4x2x2xf32>) -> tensor<1x8xf32> {
  %s = yolo.add %x, %x : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %h = yolo.slice %s {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 4, 1, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x2xf32>
  %r = yolo.reshape %h {shape = array<i64: 1, 8>} : (tensor<1x4x1x2xf32>) -> tensor<1x8xf32>
  return %r : tensor<1x8xf32>
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = yolo.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{'yolo.batch_norm' op reached the back end: run --yolo-optimize first}}
  %y = yolo.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x2xf32> {
  %h = yolo.slice %x {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 2>, strides = array<i64: 1, 1, 1, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x2xf32>
  // expected-error @+1 {{'yolo.relu' op strided access along the innermost dimension is not supported}}
  %y = yolo.relu %h : tensor<1x2x4x2xf32>
  return %y : tensor<1x2x4x2xf32>
}

// -----

// A grouped convolution of 8 input and output channels per group: one
// ungrouped convolution per group, on channel slices of the input, the
// bias and the output, each with its slice of the constant weights as a
// global of its own (so that Winograd and the 1x1 kernel can take it).
// CHECK-DAG: memref.global "private" constant @[[W0:.*]] : memref<8x8x1x1xf32> = dense<{{\[}}[{{\[}}[-5.200000e-01]], 
// CHECK-DAG: memref.global "private" constant @[[W1:.*]] : memref<8x8x1x1xf32> = dense<{{\[}}[{{\[}}[-4.300000e-01]], 
// CHECK-LABEL: func.func @main
// CHECK: %[[G0:.*]] = memref.get_global @[[W0]]
// CHECK: %[[X0:.*]] = memref.subview %arg0[0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1]
// CHECK: %[[B0:.*]] = memref.subview %{{.*}}[0] [8] [1]
// CHECK: %[[Y0:.*]] = memref.subview %arg1[0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1]
// CHECK: ykernel.conv2d ins(%[[X0]], %[[G0]], %[[B0]] : {{.*}}) outs(%[[Y0]] : {{.*}}) {{.*}}groups = 1 : i64
// CHECK: %[[G1:.*]] = memref.get_global @[[W1]]
// CHECK: %[[X1:.*]] = memref.subview %arg0[0, 8, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1]
// CHECK: %[[B1:.*]] = memref.subview %{{.*}}[8] [8] [1]
// CHECK: %[[Y1:.*]] = memref.subview %arg1[0, 8, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1]
// CHECK: ykernel.conv2d ins(%[[X1]], %[[G1]], %[[B1]] : {{.*}}) outs(%[[Y1]] : {{.*}}) {{.*}}groups = 1 : i64
// CHECK-NOT: ykernel.conv2d
func.func @main(%x: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %w = yolo.constant dense<[[[[-0.52]], [[0.09]], [[-0.26]], [[0.21]], [[0.25]], [[-0.87]], [[-0.97]], [[0.67]]], [[[-0.48]], [[-0.53]], [[0.99]], [[-0.06]], [[0.67]], [[-0.05]], [[0.28]], [[-0.70]]], [[[0.27]], [[0.74]], [[0.05]], [[0.48]], [[0.34]], [[-0.87]], [[0.52]], [[0.18]]], [[[-0.40]], [[-0.94]], [[0.73]], [[-0.05]], [[0.44]], [[0.76]], [[0.43]], [[0.84]]], [[[-0.21]], [[0.60]], [[-0.11]], [[0.87]], [[0.76]], [[-0.81]], [[-0.73]], [[-0.57]]], [[[0.93]], [[-0.13]], [[0.25]], [[-0.40]], [[0.01]], [[-0.23]], [[-0.30]], [[0.17]]], [[[0.17]], [[0.81]], [[0.36]], [[0.86]], [[0.71]], [[0.98]], [[0.34]], [[-0.67]]], [[[0.72]], [[0.93]], [[0.81]], [[0.14]], [[0.43]], [[-0.58]], [[0.66]], [[0.15]]], [[[-0.43]], [[-0.87]], [[0.71]], [[0.98]], [[-0.82]], [[0.60]], [[-0.18]], [[-0.70]]], [[[-0.41]], [[0.54]], [[0.75]], [[-0.91]], [[0.23]], [[-0.91]], [[0.44]], [[-0.34]]], [[[0.76]], [[0.96]], [[0.01]], [[1.00]], [[-0.38]], [[-0.85]], [[0.20]], [[-0.94]]], [[[-0.61]], [[-0.18]], [[0.22]], [[-0.69]], [[-0.92]], [[0.74]], [[-0.37]], [[0.92]]], [[[0.79]], [[-0.24]], [[-0.08]], [[0.04]], [[0.29]], [[0.19]], [[0.12]], [[0.24]]], [[[0.88]], [[0.01]], [[-0.14]], [[0.44]], [[-0.52]], [[-0.40]], [[0.96]], [[0.04]]], [[[0.10]], [[-0.98]], [[-0.17]], [[0.16]], [[-0.96]], [[0.23]], [[0.26]], [[-0.88]]], [[[0.25]], [[-0.07]], [[0.36]], [[-0.29]], [[0.41]], [[0.48]], [[-0.96]], [[-0.88]]]]> : tensor<16x8x1x1xf32>
  %b = yolo.constant dense<0.5> : tensor<16xf32>
  %y = yolo.conv2d %x, %w, %b {groups = 2 : i64} : (tensor<1x16x4x4xf32>, tensor<16x8x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// Weights computed at run time: the groups read slices of them.
// CHECK-LABEL: func.func @main
// CHECK: ykernel.conv2d ins(%{{.*}}, %[[W0:.*]], %{{.*}} : memref<1x8x4x4xf32, {{.*}}>, memref<8x8x3x3xf32, strided<[72, 9, 3, 1]>>, {{.*}}) {{.*}}groups = 1 : i64
// CHECK: ykernel.conv2d ins(%{{.*}}, %[[W1:.*]], %{{.*}} : memref<1x8x4x4xf32, {{.*}}>, memref<8x8x3x3xf32, strided<[72, 9, 3, 1], offset: 576>>, {{.*}}) {{.*}}groups = 1 : i64
// CHECK-NOT: ykernel.conv2d
func.func @main(%x: tensor<1x16x4x4xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x4x4xf32> {
  %y = yolo.conv2d %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// Fewer than 8 channels per group (depthwise and the like): one kernel.
// CHECK-LABEL: func.func @main
// CHECK: ykernel.conv2d {{.*}}groups = 4 : i64
// CHECK-NOT: ykernel.conv2d
func.func @main(%x: tensor<1x16x4x4xf32>, %w: tensor<16x4x3x3xf32>) -> tensor<1x16x4x4xf32> {
  %y = yolo.conv2d %x, %w {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x4x4xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// YOLO's head: two levels, each a concat of box and class maps, reshaped
// to [1, C, H * W] and concatenated along the anchors. Each level is made
// in its slot of the anchors buffer, seen as [1, C, H, W] (rows 20 apart);
// the reshapes are views of the slots and nothing is copied. The box rows
// are then split off and reshaped to [1, 2, 2, 20] in place.
// CHECK-LABEL: func.func @main
// CHECK-NOT: ykernel.copy
// CHECK: ykernel.binary ins({{.*}}) outs(%{{.*}} : memref<1x2x4x4xf32, strided<[120, 20, 4, 1]>>)
// CHECK: ykernel.binary ins({{.*}}) outs(%{{.*}} : memref<1x4x4x4xf32, strided<[120, 20, 4, 1], offset: 40>>)
// CHECK: ykernel.binary ins(%arg1, %arg1 : {{.*}}) outs(%{{.*}} : memref<1x6x2x2xf32, strided<[120, 20, 2, 1], offset: 16>>)
// CHECK: ykernel.softmax ins(%{{.*}} : memref<1x2x2x20xf32, strided<[80, 40, 20, 1]>>)
// CHECK-NOT: ykernel.copy
func.func @main(%a: tensor<1x6x4x4xf32>, %b: tensor<1x6x2x2xf32>) -> tensor<1x2x2x20xf32> {
  %a0 = yolo.slice %a {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 4>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x6x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a1 = yolo.slice %a {offsets = array<i64: 0, 2, 0, 0>, sizes = array<i64: 1, 4, 4, 4>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x6x4x4xf32>) -> tensor<1x4x4x4xf32>
  %box = yolo.add %a0, %a0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %cls = yolo.add %a1, %a1 : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %l0 = yolo.concat %box, %cls {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x6x4x4xf32>
  %l1 = yolo.add %b, %b : (tensor<1x6x2x2xf32>, tensor<1x6x2x2xf32>) -> tensor<1x6x2x2xf32>
  %r0 = yolo.reshape %l0 {shape = array<i64: 1, 6, 16>} : (tensor<1x6x4x4xf32>) -> tensor<1x6x16xf32>
  %r1 = yolo.reshape %l1 {shape = array<i64: 1, 6, 4>} : (tensor<1x6x2x2xf32>) -> tensor<1x6x4xf32>
  %all = yolo.concat %r0, %r1 {axis = 2 : i64} : (tensor<1x6x16xf32>, tensor<1x6x4xf32>) -> tensor<1x6x20xf32>
  %s:2 = yolo.split %all {axis = 1 : i64, sizes = array<i64: 4, 2>} : (tensor<1x6x20xf32>) -> (tensor<1x4x20xf32>, tensor<1x2x20xf32>)
  %d = yolo.reshape %s#0 {shape = array<i64: 1, 2, 2, 20>} : (tensor<1x4x20xf32>) -> tensor<1x2x2x20xf32>
  %y = yolo.softmax %d {axis = 2 : i64} : tensor<1x2x2x20xf32>
  return %y : tensor<1x2x2x20xf32>
}

// -----

// A reshape that a view cannot express (merging the rows of a column
// slice, 2 of every 4 elements) is copied first.
// CHECK-LABEL: func.func @main
// CHECK: %[[SLICE:.*]] = memref.subview %arg0[0, 0, 0, 0] [1, 2, 4, 2] [1, 1, 1, 1]
// CHECK: %[[TMP:.*]] = memref.alloc() : memref<1x2x4x2xf32>
// CHECK: ykernel.copy ins(%[[SLICE]] : {{.*}}) outs(%[[TMP]] : memref<1x2x4x2xf32>)
// CHECK: memref.reinterpret_cast %[[TMP]] to offset: [0], sizes: [1, 2, 8], strides: [16, 8, 1]
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x8xf32> {
  %h = yolo.slice %x {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x2xf32>
  %r = yolo.reshape %h {shape = array<i64: 1, 2, 8>} : (tensor<1x2x4x2xf32>) -> tensor<1x2x8xf32>
  %y = yolo.relu %r : tensor<1x2x8xf32>
  return %y : tensor<1x2x8xf32>
}
