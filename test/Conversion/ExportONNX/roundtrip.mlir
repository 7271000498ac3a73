// ONNX -> yolo -> ONNX: a small YOLOv9-shaped model (Inputs/make_roundtrip.py)
// imported and exported again passes onnx.checker's full check, keeps the
// ONNX node names (through the locations) and the graph I/O names, and
// computes the original model's outputs in onnxruntime on a random input.
// After yolo-optimize (fused conv activations exported as Conv + activation
// nodes, FusedLoc names joined with '+') it still does, within rounding.
// REQUIRES: onnxruntime
// RUN: %venv_python %S/Inputs/make_roundtrip.py %t.orig.onnx
// RUN: yolo-translate --import-onnx %t.orig.onnx --mlir-print-debuginfo -o %t.mlir
// RUN: yolo-translate --export-onnx %t.mlir -o %t.onnx
// RUN: %venv_python %scripts/check_onnx.py %t.onnx --nodes --compare %t.orig.onnx --atol 1e-5 --rtol 1e-5 | FileCheck %s

// CHECK: checker: ok
// CHECK: inputs: images[1, 3, 16, 16]
// CHECK: outputs: det:0[1, 7, 64] energy/t:0[1, 8, 8]
// CHECK: op Conv 7
// CHECK: node Conv stem/conv
// CHECK-NEXT: node Sigmoid stem/sigmoid
// CHECK-NEXT: node Mul stem/mul
// CHECK-NEXT: node BatchNormalization stem/bn
// CHECK: node Resize up
// CHECK: node AveragePool adown/avg
// CHECK-NEXT: node Pad adown/pad
// CHECK: node Concat det
// CHECK: compare det:0: ok
// CHECK: compare energy/t:0: ok
// CHECK: compare: ok

// RUN: yolo-opt --yolo-optimize --mlir-print-debuginfo %t.mlir -o %t.opt.mlir
// RUN: yolo-translate --export-onnx %t.opt.mlir -o %t.opt.onnx
// RUN: %venv_python %scripts/check_onnx.py %t.opt.onnx --nodes --compare %t.orig.onnx --atol 1e-4 --rtol 1e-4 | FileCheck %s --check-prefix=OPT

// OPT: checker: ok
// OPT: node Conv stem/conv+stem/sigmoid+stem/mul
// OPT-NEXT: node Sigmoid stem/conv+stem/sigmoid+stem/mul/sigmoid
// OPT-NEXT: node Mul stem/conv+stem/sigmoid+stem/mul/mul
// OPT: node Conv down/conv+down/act
// OPT-NEXT: node LeakyRelu down/conv+down/act/leaky_relu
// OPT: node Conv sppf/cv+sppf/relu
// OPT-NEXT: node Relu sppf/cv+sppf/relu/relu
// OPT: compare: ok
