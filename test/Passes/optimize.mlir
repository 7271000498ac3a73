// RUN: yolo-opt %s --yolo-optimize | FileCheck %s
// RUN: yolo-opt %s --yolo-optimize="keep=aux" | FileCheck %s --check-prefix=KEEP

// A miniature training export: a RepConv (3x3 + 1x1 + the exporter's
// "+ 0.0") followed by BatchNorm and SiLU as Sigmoid * x on the main path,
// and a shallower auxiliary head. The pipeline leaves one 3x3 convolution
// with a fused SiLU, then the main head.
// CHECK-LABEL: func.func @main
// CHECK-SAME: -> (tensor<1x5x16xf32> {yolo.name = "main", yolo.role = "main"})
// CHECK-NOT: yolo.batch_norm
// CHECK-NOT: yolo.add
// CHECK-NOT: yolo.sigmoid
// CHECK: %[[C:.*]] = yolo.conv2d %arg0, %{{.*}}, %{{.*}} {activation = #yolo.activation<silu>, pads = array<i64: 1, 1, 1, 1>}
// CHECK-NEXT: %[[H:.*]] = yolo.conv2d %[[C]]
// CHECK-NEXT: %[[R:.*]] = yolo.reshape %[[H]]
// CHECK-NEXT: return %[[R]]
// KEEP: -> (tensor<1x5x16xf32> {yolo.name = "aux", yolo.role = "main"})
func.func @main(%x: tensor<1x2x4x4xf32> {yolo.name = "images"}) -> (tensor<1x5x16xf32> {yolo.name = "aux"}, tensor<1x5x16xf32> {yolo.name = "main"}) {
  %w3 = yolo.constant dense<0.5> : tensor<2x2x3x3xf32>
  %w1 = yolo.constant dense<0.25> : tensor<2x2x1x1xf32>
  %zero = yolo.constant dense<0.0> : tensor<1xf32>
  %s = yolo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %v = yolo.constant dense<[0.5, 1.5]> : tensor<2xf32>
  %wh = yolo.constant dense<1.0> : tensor<5x2x1x1xf32>
  %a = yolo.conv2d %x, %w3 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %b = yolo.conv2d %x, %w1 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %sum = yolo.add %a, %b : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %sum0 = yolo.add %sum, %zero : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  %bn = yolo.batch_norm %sum0, %s, %v, %v, %s : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %sig = yolo.sigmoid %bn : tensor<1x2x4x4xf32>
  %act = yolo.mul %bn, %sig : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h = yolo.conv2d %act, %wh : (tensor<1x2x4x4xf32>, tensor<5x2x1x1xf32>) -> tensor<1x5x4x4xf32>
  %main = yolo.reshape %h {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  %ha = yolo.conv2d %x, %wh : (tensor<1x2x4x4xf32>, tensor<5x2x1x1xf32>) -> tensor<1x5x4x4xf32>
  %aux = yolo.reshape %ha {shape = array<i64: 1, 5, 16>} : (tensor<1x5x4x4xf32>) -> tensor<1x5x16xf32>
  return %aux, %main : tensor<1x5x16xf32>, tensor<1x5x16xf32>
}
