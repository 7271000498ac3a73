// A segmentation-like model whose 4-D second output has a batch of 2
// (input of detect-heads.test): not usable as mask prototypes.
func.func @main(%x: tensor<1x3x32x32xf32>) -> (tensor<1x9x16xf32>, tensor<2x3x4x8xf32>) {
  %p = yolo.avg_pool %x {kernel = array<i64: 8, 8>, strides = array<i64: 8, 8>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x4x4xf32>
  %w = yolo.constant dense<0.5> : tensor<9x3x1x1xf32>
  %b = yolo.constant dense<[4.0, 4.0, 8.0, 8.0, 2.0, -2.0, 0.0, 0.0, 0.0]> : tensor<9xf32>
  %c = yolo.conv2d %p, %w, %b : (tensor<1x3x4x4xf32>, tensor<9x3x1x1xf32>, tensor<9xf32>) -> tensor<1x9x4x4xf32>
  %h = yolo.reshape %c {shape = array<i64: 1, 9, 16>} : (tensor<1x9x4x4xf32>) -> tensor<1x9x16xf32>
  %m = yolo.avg_pool %x {kernel = array<i64: 4, 4>, strides = array<i64: 4, 4>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x8x8xf32>
  %r = yolo.reshape %m {shape = array<i64: 2, 3, 4, 8>} : (tensor<1x3x8x8xf32>) -> tensor<2x3x4x8xf32>
  return %h, %r : tensor<1x9x16xf32>, tensor<2x3x4x8xf32>
}
