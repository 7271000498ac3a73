// Input of codegen.test (not a test itself: lit runs .mlir files, so it is
// excluded by name in lit.cfg.py).
func.func @main(%x: tensor<1x144x84xf32>) -> tensor<1x84x84xf32> {
  %0 = yolo.decode_detections %x {strides = array<i64: 8, 16, 32>, grid_h = array<i64: 8, 4, 2>, grid_w = array<i64: 8, 4, 2>} : (tensor<1x144x84xf32>) -> tensor<1x84x84xf32> loc("decode_0")
  return %0 : tensor<1x84x84xf32>
}
