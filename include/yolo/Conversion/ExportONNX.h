//===- ExportONNX.h - the yolo dialect back to ONNX -------------*- C++ -*-===//
//
// Public entry points of the ONNX exporter: the way out to other runtimes,
// and the independent check of the passes (onnxruntime runs the result).
// The model is ONNX IR version 8, default-domain opset 17, f32 tensors with
// static shapes; graph inputs and outputs are named from the `yolo.name`
// argument and result attributes.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_CONVERSION_EXPORTONNX_H
#define YOLO_CONVERSION_EXPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace mlir {
namespace yolo {

/// Writes `func.func @main` of `module` (or its only function) to `os` as a
/// binary ONNX ModelProto. On failure writes nothing, returns failure and
/// sets `error` to a message naming the op, its location and the reason.
LogicalResult exportONNX(ModuleOp module, llvm::raw_ostream &os,
                         std::string &error);

/// As exportONNX, into the file at `path`. The file is replaced only when
/// the whole model has been written.
LogicalResult exportONNXFile(ModuleOp module, llvm::StringRef path,
                             std::string &error);

} // namespace yolo
} // namespace mlir

#endif // YOLO_CONVERSION_EXPORTONNX_H
