// Every yolo op exports to a model that passes onnx.checker's full check
// (strict shape inference against the value_info the exporter declares),
// with the expected ONNX op histogram and node names taken from the
// locations; onnxruntime runs it to numpy's numbers for the conv with fused
// SiLU and for the DFL decode.
// REQUIRES: onnxruntime
// RUN: yolo-translate --export-onnx %s -o %t.onnx
// RUN: %venv_python %scripts/check_onnx.py %t.onnx --nodes | FileCheck %s
// RUN: %venv_python %S/Inputs/run_exported.py %t.onnx | FileCheck %s --check-prefix=NUM

// CHECK: checker: ok
// CHECK: model: ir_version 8, opset ai.onnx:17, producer yolo-compiler
// CHECK: inputs: x[1, 4, 8, 8] raw[1, 18, 14]
// CHECK: outputs: conv[1, 8, 8, 8] pooled[1, 8, 8, 8] up[1, 8, 16, 16] head[1, 2, 4, 8] sums[1, 4, 8] same[1, 4, 8, 8] cat[1, 16, 8, 8] parts_a[1, 3, 8, 8] padded[1, 4, 9, 9] bn[1, 4, 8, 8] acts[1, 4, 8, 8] det[1, 6, 14] x_copy[1, 4, 8, 8] bn_again[1, 4, 8, 8] const[1, 4, 1, 1]

// The histogram: yolo ops one to one, except conv2d+silu and silu (Sigmoid,
// Mul), decode_detections (2 Split, 2 Reshape, Softmax, MatMul, Sub, Add,
// Add, Div, Sub, Concat, Mul, Sigmoid, Concat) and the three outputs that
// are not op results of their own (Identity).
// CHECK-NEXT: initializers:
// CHECK-NEXT: op Add 3
// CHECK-NEXT: op AveragePool 1
// CHECK-NEXT: op BatchNormalization 1
// CHECK-NEXT: op Concat 3
// CHECK-NEXT: op Conv 1
// CHECK-NEXT: op Div 2
// CHECK-NEXT: op Identity 3
// CHECK-NEXT: op LeakyRelu 1
// CHECK-NEXT: op MatMul 1
// CHECK-NEXT: op MaxPool 1
// CHECK-NEXT: op Mul 4
// CHECK-NEXT: op Pad 2
// CHECK-NEXT: op ReduceSum 2
// CHECK-NEXT: op Relu 1
// CHECK-NEXT: op Reshape 3
// CHECK-NEXT: op Resize 1
// CHECK-NEXT: op Sigmoid 4
// CHECK-NEXT: op Slice 1
// CHECK-NEXT: op Softmax 2
// CHECK-NEXT: op Split 3
// CHECK-NEXT: op Sub 3
// CHECK-NEXT: op Transpose 1

// Node names: NameLoc names, FusedLoc names joined with '+', "/role" for
// the helper nodes of an expansion, "_N" for repeats, the op name without
// a location name.
// CHECK-NEXT: node Conv model.0/conv
// CHECK-NEXT: node Sigmoid model.0/conv/sigmoid
// CHECK-NEXT: node Mul model.0/conv/mul
// CHECK-NEXT: node MaxPool pool
// CHECK-NEXT: node Pad pad
// CHECK-NEXT: node AveragePool pool_1
// CHECK-NEXT: node Resize resize
// CHECK: node Pad pad_1
// CHECK-NEXT: node BatchNormalization bn+scale
// CHECK-NEXT: node Sigmoid sig+mul/sigmoid
// CHECK-NEXT: node Mul sig+mul/mul
// CHECK: node Split detect/split
// CHECK-NEXT: node Reshape detect/reshape_bins
// CHECK-NEXT: node Softmax detect/softmax
// CHECK-NEXT: node MatMul detect/dfl
// CHECK-NEXT: node Reshape detect/reshape_dist
// CHECK-NEXT: node Split detect/split_dist
// CHECK-NEXT: node Sub detect/x1y1
// CHECK-NEXT: node Add detect/x2y2
// CHECK-NEXT: node Add detect/sum
// CHECK-NEXT: node Div detect/cxy
// CHECK-NEXT: node Sub detect/wh
// CHECK-NEXT: node Concat detect/concat_box
// CHECK-NEXT: node Mul detect/stride
// CHECK-NEXT: node Sigmoid detect/sigmoid
// CHECK-NEXT: node Concat detect
// CHECK-NEXT: node Identity x_copy
// CHECK-NEXT: node Identity bn_again
// CHECK-NEXT: node Identity const

// NUM: conv+silu matches numpy: True
// NUM: reduce_sum without axes is the identity: True
// NUM: decode_detections matches numpy: True

func.func @main(%x: tensor<1x4x8x8xf32> {yolo.name = "x"},
                %raw: tensor<1x18x14xf32> {yolo.name = "raw"}) -> (
    tensor<1x8x8x8xf32> {yolo.name = "conv"}, tensor<1x8x8x8xf32> {yolo.name = "pooled"},
    tensor<1x8x16x16xf32> {yolo.name = "up"}, tensor<1x2x4x8xf32> {yolo.name = "head"},
    tensor<1x4x8xf32> {yolo.name = "sums"}, tensor<1x4x8x8xf32> {yolo.name = "same"},
    tensor<1x16x8x8xf32> {yolo.name = "cat"},
    tensor<1x3x8x8xf32> {yolo.name = "parts_a"}, tensor<1x4x9x9xf32> {yolo.name = "padded"},
    tensor<1x4x8x8xf32> {yolo.name = "bn"}, tensor<1x4x8x8xf32> {yolo.name = "acts"},
    tensor<1x6x14xf32> {yolo.name = "det"}, tensor<1x4x8x8xf32> {yolo.name = "x_copy"},
    tensor<1x4x8x8xf32> {yolo.name = "bn_again"}, tensor<1x4x1x1xf32> {yolo.name = "const"}) {
  %w = yolo.constant dense<0.125> : tensor<8x4x3x3xf32>
  %b = yolo.constant dense<[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]> : tensor<8xf32>
  %conv = yolo.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, activation = #yolo.activation<silu>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32> loc("model.0/conv")
  %mp = yolo.max_pool %conv {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> loc("pool")
  %pp = yolo.pad %mp {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x9x9xf32>
  %ap = yolo.avg_pool %pp {kernel = array<i64: 2, 2>, count_include_pad = true} : (tensor<1x8x9x9xf32>) -> tensor<1x8x8x8xf32> loc("pool")
  %up = yolo.resize %ap {scales = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x16x16xf32>
  %r = yolo.reshape %conv {shape = array<i64: 1, 4, 2, 64>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x2x64xf32>
  %t = yolo.transpose %r {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x4x2x64xf32>) -> tensor<1x2x4x64xf32>
  %sm = yolo.softmax %t {axis = 3 : i64} : tensor<1x2x4x64xf32>
  %head = yolo.slice %sm {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 8>, strides = array<i64: 1, 1, 1, 8>} : (tensor<1x2x4x64xf32>) -> tensor<1x2x4x8xf32>
  %sums = yolo.reduce_sum %head {axes = array<i64: 1>, keep_dims = false} : (tensor<1x2x4x8xf32>) -> tensor<1x4x8xf32>
  %same = yolo.reduce_sum %x {axes = array<i64>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %cat = yolo.concat %conv, %ap {axis = 1 : i64} : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x16x8x8xf32>
  %parts:2 = yolo.split %cat {axis = 1 : i64, sizes = array<i64: 3, 13>} : (tensor<1x16x8x8xf32>) -> (tensor<1x3x8x8xf32>, tensor<1x13x8x8xf32>)
  %padded = yolo.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 0, 0, 1>, value = -1.0 : f32} : (tensor<1x4x8x8xf32>) -> tensor<1x4x9x9xf32>
  %s = yolo.constant dense<[1.0, 2.0, 0.5, 1.5]> : tensor<4xf32>
  %bn = yolo.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0e-3 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32> loc(fused["bn", "scale"])
  %c = yolo.constant dense<2.0> : tensor<1x4x1x1xf32>
  %a0 = yolo.silu %bn : tensor<1x4x8x8xf32> loc(fused<"ignored">["sig", "mul"])
  %a1 = yolo.sigmoid %a0 : tensor<1x4x8x8xf32>
  %a2 = yolo.relu %a1 : tensor<1x4x8x8xf32>
  %a3 = yolo.leaky_relu %a2 {alpha = 0.1 : f32} : tensor<1x4x8x8xf32>
  %a4 = yolo.add %a3, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %a5 = yolo.sub %a4, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %a6 = yolo.mul %a5, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %acts = yolo.div %a6, %c : (tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  // reg_max 4, 2 classes, two levels of 4x3 and 2x1 cells: 14 anchors.
  %det = yolo.decode_detections %raw {reg_max = 4 : i64, strides = array<i64: 8, 16>, grid_h = array<i64: 4, 2>, grid_w = array<i64: 3, 1>} : (tensor<1x18x14xf32>) -> tensor<1x6x14xf32> loc("detect")
  return %conv, %ap, %up, %head, %sums, %same, %cat, %parts#0, %padded, %bn, %acts, %det, %x, %bn, %c : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<1x8x16x16xf32>, tensor<1x2x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8x8xf32>, tensor<1x16x8x8xf32>, tensor<1x3x8x8xf32>, tensor<1x4x9x9xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x6x14xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x1x1xf32>
}
