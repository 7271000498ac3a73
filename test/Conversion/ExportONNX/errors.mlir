// What the exporter cannot write is reported as `error: FILE: ...` naming
// the op and its location, with exit status 1, and leaves no output file.
// RUN: rm -rf %t && split-file %s %t

// RUN: not yolo-translate --export-onnx %t/call.mlir -o %t/call.onnx 2>&1 | FileCheck %s --check-prefix=CALL
// RUN: test ! -e %t/call.onnx && test ! -e %t/call.onnx.tmp
// CALL: error: {{.*}}call.mlir: 'func.call' at loc("model.3/call"): not supported by the ONNX exporter

// RUN: not yolo-translate --export-onnx %t/f16-arg.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=F16ARG
// F16ARG: error: {{.*}}f16-arg.mlir: argument 0: expected a statically shaped f32 tensor, got tensor<1x4x8x8xf16>

// RUN: not yolo-translate --export-onnx %t/f16-result.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=F16RES
// F16RES: error: {{.*}}f16-result.mlir: result 0: expected a statically shaped f32 tensor, got tensor<4xf16>

// RUN: not yolo-translate --export-onnx %t/f16-op.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=F16OP
// F16OP: error: {{.*}}f16-op.mlir: 'yolo.constant' at loc({{.*}}f16-op.mlir":2:8): expected statically shaped f32 tensors, got tensor<4xf16>

// RUN: not yolo-translate --export-onnx %t/elided.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=ELIDED
// ELIDED: error: {{.*}}elided.mlir: 'yolo.constant' at loc("w"): constant data is unreadable (elided resource blob?)

// RUN: not yolo-translate --export-onnx %t/no-main.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=NOMAIN
// NOMAIN: error: {{.*}}no-main.mlir: expected a module with func.func @main

// RUN: not yolo-translate --export-onnx %t/call.mlir 2>&1 | FileCheck %s --check-prefix=STDOUT
// RUN: not yolo-translate --export-onnx %t/call.mlir -o - 2>&1 | FileCheck %s --check-prefix=STDOUT
// STDOUT: error: --export-onnx writes a binary file: pass -o FILE.onnx

// RUN: not yolo-translate --export-onnx %t/ok.mlir -o %t/missing/dir/o.onnx 2>&1 | FileCheck %s --check-prefix=NODIR
// NODIR: error: {{.*}}ok.mlir: cannot write '{{.*}}missing/dir/o.onnx': No such file or directory

// RUN: not yolo-translate --export-onnx %t/bad-syntax.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: bad-syntax.mlir:1:55: error: custom op 'yolo.nonsense' is unknown

// RUN: not yolo-translate --export-onnx %t/absent.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=ABSENT
// ABSENT: error: cannot open input file '{{.*}}absent.mlir': No such file or directory

// RUN: not yolo-translate --import-onnx --export-onnx %t/ok.mlir -o %t/o.onnx 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: error: pass exactly one of --import-onnx, --export-onnx and --emit-halide-plan

//--- call.mlir
func.func private @helper(tensor<1x4xf32>) -> tensor<1x4xf32>
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = func.call @helper(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("model.3/call")
  return %y : tensor<1x4xf32>
}

//--- f16-arg.mlir
func.func @main(%x: tensor<1x4x8x8xf16>) -> tensor<1x4x8x8xf16> {
  %y = yolo.relu %x : tensor<1x4x8x8xf16>
  return %y : tensor<1x4x8x8xf16>
}

//--- f16-op.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = yolo.constant dense<1.0> : tensor<4xf16>
  return %x : tensor<4xf32>
}

//--- f16-result.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf16> {
  %c = yolo.constant dense<1.0> : tensor<4xf16>
  return %c : tensor<4xf16>
}

//--- elided.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = yolo.constant dense_resource<__elided__> : tensor<4xf32> loc("w")
  %y = yolo.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- no-main.mlir
func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @b(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

//--- ok.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = yolo.relu %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- bad-syntax.mlir
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> { yolo.nonsense }
