// An ELAN block in miniature: both halves of cv1's output are concatenated
// with what is computed from the second half (input of concat-in-place.test).
func.func @main(%x: tensor<1x2x6x6xf32>) -> tensor<1x3x6x6xf32> {
  %w1 = yolo.constant dense<0.5> : tensor<4x2x1x1xf32>
  %b1 = yolo.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w2 = yolo.constant dense<0.1> : tensor<2x2x3x3xf32>
  %b2 = yolo.constant dense<[5.0, -5.0]> : tensor<2xf32>
  %w3 = yolo.constant dense<0.2> : tensor<3x6x1x1xf32>
  %b3 = yolo.constant dense<[0.0, 1.0, 2.0]> : tensor<3xf32>
  %c1 = yolo.conv2d %x, %w1, %b1 {activation = #yolo.activation<silu>} : (tensor<1x2x6x6xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32> loc("cv1")
  %s0 = yolo.slice %c1 {offsets = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 6, 6>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>) -> tensor<1x2x6x6xf32>
  %s1 = yolo.slice %c1 {offsets = array<i64: 0, 2, 0, 0>, sizes = array<i64: 1, 2, 6, 6>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>) -> tensor<1x2x6x6xf32>
  %c2 = yolo.conv2d %s1, %w2, %b2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("cv2")
  %cat = yolo.concat %s0, %s1, %c2 {axis = 1 : i64} : (tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>) -> tensor<1x6x6x6xf32>
  %y = yolo.conv2d %cat, %w3, %b3 : (tensor<1x6x6x6xf32>, tensor<3x6x1x1xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32> loc("cv4")
  return %y : tensor<1x3x6x6xf32>
}
