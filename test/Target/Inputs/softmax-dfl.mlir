// YOLO's DFL as exporters write it below opset 13 (input of
// softmax-axis.test): the box logits [1, 4 x 16, A] seen as [1, 4, 16, A],
// moved to [1, A, 4, 16] for a softmax over the 16 bins, moved back to
// [1, 16, 4, A] and weighted by the bin indices (a 1x1 convolution with
// the weights 0..15). A = 21 anchors: two vectors of 8 and a partial one.
func.func @main(%x: tensor<1x64x21xf32>) -> tensor<1x4x21xf32> {
  %w = yolo.constant dense<[[[[0.0]], [[1.0]], [[2.0]], [[3.0]], [[4.0]], [[5.0]], [[6.0]], [[7.0]], [[8.0]], [[9.0]], [[10.0]], [[11.0]], [[12.0]], [[13.0]], [[14.0]], [[15.0]]]]> : tensor<1x16x1x1xf32>
  %r = yolo.reshape %x {shape = array<i64: 1, 4, 16, 21>} : (tensor<1x64x21xf32>) -> tensor<1x4x16x21xf32> loc("dfl/Reshape")
  %t = yolo.transpose %r {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x16x21xf32>) -> tensor<1x21x4x16xf32> loc("dfl/Transpose")
  %s = yolo.softmax %t {axis = 3 : i64} : tensor<1x21x4x16xf32> loc("dfl/Softmax")
  %u = yolo.transpose %s {perm = array<i64: 0, 3, 2, 1>} : (tensor<1x21x4x16xf32>) -> tensor<1x16x4x21xf32> loc("dfl/Transpose_1")
  %c = yolo.conv2d %u, %w : (tensor<1x16x4x21xf32>, tensor<1x16x1x1xf32>) -> tensor<1x1x4x21xf32> loc("dfl/conv/Conv")
  %y = yolo.reshape %c {shape = array<i64: 1, 4, 21>} : (tensor<1x1x4x21xf32>) -> tensor<1x4x21xf32> loc("dfl/Reshape_1")
  return %y : tensor<1x4x21xf32>
}
