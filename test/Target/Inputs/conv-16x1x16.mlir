// A 3x3 stride-2 convolution and a 1x1 convolution of 32 output channels
// (test/Target/conv-weight-addressing.test).
func.func @main(%x: tensor<1x16x64x64xf32>) -> tensor<1x32x32x32xf32> {
  %w0 = yolo.constant dense<0.1> : tensor<32x16x3x3xf32>
  %b0 = yolo.constant dense<0.5> : tensor<32xf32>
  %w1 = yolo.constant dense<0.02> : tensor<32x32x1x1xf32>
  %b1 = yolo.constant dense<0.25> : tensor<32xf32>
  %c0 = yolo.conv2d %x, %w0, %b0 {activation = #yolo.activation<silu>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x64x64xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x32x32xf32> loc("down")
  %c1 = yolo.conv2d %c0, %w1, %b1 {activation = #yolo.activation<silu>} : (tensor<1x32x32x32xf32>, tensor<32x32x1x1xf32>, tensor<32xf32>) -> tensor<1x32x32x32xf32> loc("cv1x1")
  return %c1 : tensor<1x32x32x32xf32>
}
