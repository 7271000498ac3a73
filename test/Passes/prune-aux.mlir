// RUN: yolo-opt %s -split-input-file -yolo-prune-aux -verify-diagnostics | FileCheck %s

// Output 0 (named output0, as exporters name the auxiliary output) comes
// from a shallower branch than output 1: output 1 is the main one, whatever
// the names say.
// CHECK-LABEL: func @dual_head
// CHECK-SAME: -> (tensor<1x5x16xf32> {yolo.name = "main_out", yolo.role = "main"})
// CHECK: %[[B:.*]] = yolo.conv2d %arg0
// CHECK: %[[N:.*]] = yolo.conv2d %[[B]]
// CHECK: %[[H:.*]] = yolo.conv2d %[[N]]
// CHECK: %[[R:.*]] = yolo.reshape %[[H]]
// CHECK-NOT: yolo.conv2d
// CHECK: return %[[R]]
func.func @dual_head(%x: tensor<1x3x4x4xf32>) -> (tensor<1x5x16xf32> {yolo.name = "output0"}, tensor<1x5x16xf32> {yolo.name = "main_out"}) {
  %w0 = yolo.constant dense<1.0> : tensor<4x3x1x1xf32>
  %w1 = yolo.constant dense<1.0> : tensor<4x4x1x1xf32>
  %wh = yolo.constant dense<1.0> : tensor<5x4x1x1xf32>
  %backbone = yolo.conv2d %x, %w0 : (tensor<1x3x4x4xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x4x4xf32>
  // Main neck: one more convolution than the auxiliary branch.
  %neck = yolo.conv2d %backbone, %w1 : (tensor<1x4x4x4xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %head = yolo.conv2d %neck, %wh : (tensor<1x4x4x4xf32>, tensor<5x4x1x1xf32>) -> tensor<1x5x4x4xf32>
  %main = yolo.reshape %head {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  // Auxiliary head straight on the backbone.
  %auxh = yolo.conv2d %backbone, %wh : (tensor<1x4x4x4xf32>, tensor<5x4x1x1xf32>) -> tensor<1x5x4x4xf32>
  %aux = yolo.reshape %auxh {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  return %aux, %main : tensor<1x5x16xf32>, tensor<1x5x16xf32>
}

// -----

// One detection output: nothing to prune.
// CHECK-LABEL: func @single_head
// CHECK-SAME: yolo.role = "main"
// CHECK: yolo.conv2d
func.func @single_head(%x: tensor<1x3x4x4xf32>) -> (tensor<1x5x16xf32> {yolo.name = "output0"}) {
  %w = yolo.constant dense<1.0> : tensor<5x3x1x1xf32>
  %h = yolo.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %r = yolo.reshape %h {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  return %r : tensor<1x5x16xf32>
}

// -----

// Two equally deep heads: a diagnostic, not a guess.
// expected-error @+1 {{cannot tell the main detection output from the auxiliary one: outputs 'a' 'b' are equally deep (1 convolutions)}}
func.func @ambiguous(%x: tensor<1x3x4x4xf32>) -> (tensor<1x5x16xf32> {yolo.name = "a"}, tensor<1x5x16xf32> {yolo.name = "b"}) {
  %w = yolo.constant dense<1.0> : tensor<5x3x1x1xf32>
  %w2 = yolo.constant dense<2.0> : tensor<5x3x1x1xf32>
  %h1 = yolo.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %h2 = yolo.conv2d %x, %w2 : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %r1 = yolo.reshape %h1 {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  %r2 = yolo.reshape %h2 {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  return %r1, %r2 : tensor<1x5x16xf32>, tensor<1x5x16xf32>
}

// -----

// An output the main output is computed from (yolov9-cf's export returns the
// raw per-level maps next to it) goes too; the computation stays.
// CHECK-LABEL: func @raw_maps
// CHECK-SAME: -> (tensor<1x5x16xf32> {yolo.name = "output0", yolo.role = "main"})
// CHECK: %[[H:.*]] = yolo.conv2d
// CHECK: %[[R:.*]] = yolo.reshape %[[H]]
// CHECK: return %[[R]] : tensor<1x5x16xf32>
func.func @raw_maps(%x: tensor<1x3x4x4xf32>) -> (tensor<1x5x16xf32> {yolo.name = "output0"}, tensor<1x5x4x4xf32> {yolo.name = "raw"}) {
  %w = yolo.constant dense<1.0> : tensor<5x3x1x1xf32>
  %h = yolo.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %r = yolo.reshape %h {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  return %r, %h : tensor<1x5x16xf32>, tensor<1x5x4x4xf32>
}

// -----

// Outputs that are not detection outputs stay.
// CHECK-LABEL: func @unrelated_output
// CHECK-SAME: -> (tensor<1x5x16xf32> {yolo.name = "det", yolo.role = "main"}, tensor<1x3x4x4xf32> {yolo.name = "other"})
func.func @unrelated_output(%x: tensor<1x3x4x4xf32>) -> (tensor<1x5x16xf32> {yolo.name = "det"}, tensor<1x3x4x4xf32> {yolo.name = "other"}) {
  %w = yolo.constant dense<1.0> : tensor<5x3x1x1xf32>
  %h = yolo.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %r = yolo.reshape %h {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  %s = yolo.sigmoid %x : tensor<1x3x4x4xf32>
  return %r, %s : tensor<1x5x16xf32>, tensor<1x3x4x4xf32>
}
