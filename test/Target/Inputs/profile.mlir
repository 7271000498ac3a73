// One layer of each profile class (test/Target/profile.test): a 3x3
// stride-2 stem, a 3x3 stride-1 convolution, a 1x1 convolution, a
// residual add, a max pool and a depthwise 3x3 convolution.
func.func @main(%x: tensor<1x3x32x32xf32>) -> tensor<1x16x16x16xf32> {
  %w0 = yolo.constant dense<0.1> : tensor<16x3x3x3xf32>
  %b0 = yolo.constant dense<0.5> : tensor<16xf32>
  %w1 = yolo.constant dense<0.05> : tensor<16x16x3x3xf32>
  %b1 = yolo.constant dense<-0.5> : tensor<16xf32>
  %w2 = yolo.constant dense<0.02> : tensor<16x16x1x1xf32>
  %b2 = yolo.constant dense<0.25> : tensor<16xf32>
  %w3 = yolo.constant dense<0.3> : tensor<16x1x3x3xf32>
  %b3 = yolo.constant dense<0.0> : tensor<16xf32>
  %c0 = yolo.conv2d %x, %w0, %b0 {activation = #yolo.activation<silu>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32> loc("stem")
  %c1 = yolo.conv2d %c0, %w1, %b1 {activation = #yolo.activation<silu>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32> loc("cv3x3")
  %c2 = yolo.conv2d %c1, %w2, %b2 : (tensor<1x16x16x16xf32>, tensor<16x16x1x1xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32> loc("cv1x1")
  %r = yolo.add %c0, %c2 : (tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> loc("residual")
  %p = yolo.max_pool %r {kernel = array<i64: 5, 5>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> loc("pool")
  %y = yolo.conv2d %p, %w3, %b3 {groups = 16 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x16x16x16xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32> loc("dw")
  return %y : tensor<1x16x16x16xf32>
}
