// Self-attention without weights over 2 heads of 400 positions (input of
// matmul.test): softmax(x x^T / 8) x, 2 x 10.2M multiply-adds, large
// enough for the CPU schedule's parallel row tasks; then a linear layer
// with rank-2 constant weights broadcast over the batch, whose 3 output
// columns are fewer than a vector.
func.func @main(%x: tensor<1x2x400x64xf32>) -> tensor<1x2x400x3xf32> {
  %xt = yolo.transpose %x {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x400x64xf32>) -> tensor<1x2x64x400xf32> loc("x_t")
  %s = yolo.matmul %x, %xt : (tensor<1x2x400x64xf32>, tensor<1x2x64x400xf32>) -> tensor<1x2x400x400xf32> loc("scores")
  %scale = yolo.constant dense<0.125> : tensor<1xf32>
  %ss = yolo.mul %s, %scale : (tensor<1x2x400x400xf32>, tensor<1xf32>) -> tensor<1x2x400x400xf32> loc("scale")
  %a = yolo.softmax %ss {axis = 3 : i64} : tensor<1x2x400x400xf32> loc("softmax")
  %o = yolo.matmul %a, %x : (tensor<1x2x400x400xf32>, tensor<1x2x400x64xf32>) -> tensor<1x2x400x64xf32> loc("weighted")
  %w = yolo.constant dense<[[0.5, -0.25, 1.0], [-1.0, 0.75, 0.125], [0.25, 0.5, -0.5], [1.0, -1.0, 0.25]]> : tensor<4x3xf32>
  %o4 = yolo.reshape %o {shape = array<i64: 1, 2, 6400, 4>} : (tensor<1x2x400x64xf32>) -> tensor<1x2x6400x4xf32> loc("rows")
  %y0 = yolo.matmul %o4, %w : (tensor<1x2x6400x4xf32>, tensor<4x3xf32>) -> tensor<1x2x6400x3xf32> loc("linear")
  %y = yolo.slice %y0 {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 400, 3>, strides = array<i64: 1, 1, 16, 1>} : (tensor<1x2x6400x3xf32>) -> tensor<1x2x400x3xf32> loc("pick")
  return %y : tensor<1x2x400x3xf32>
}
