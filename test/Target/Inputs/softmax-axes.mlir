// Softmaxes along each axis but the innermost (input of
// softmax-axis.test), chained into one output: along axis 1 of
// [2, 5, 3, 13], then axis 0, then axis 2. 13 innermost elements: one
// vector of 8 and one shifted inwards.
func.func @main(%z: tensor<2x5x3x13xf32>) -> tensor<2x5x3x13xf32> {
  %a = yolo.softmax %z {axis = 1 : i64} : tensor<2x5x3x13xf32> loc("axis1")
  %b = yolo.softmax %a {axis = 0 : i64} : tensor<2x5x3x13xf32> loc("axis0")
  %c = yolo.softmax %b {axis = 2 : i64} : tensor<2x5x3x13xf32> loc("axis2")
  return %c : tensor<2x5x3x13xf32>
}
