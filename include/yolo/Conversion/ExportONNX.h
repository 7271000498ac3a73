//===- ExportONNX.h - the yolo dialect back to ONNX -------------*- C++ -*-===//
//
// Public entry point of the ONNX exporter: the way out to other runtimes,
// and the independent check of the passes (onnxruntime runs the result).
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_CONVERSION_EXPORTONNX_H
#define YOLO_CONVERSION_EXPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace mlir {
namespace yolo {

/// Writes `func.func @main` of `module` as an ONNX model (opset 17) to
/// `path`. On failure returns failure and sets `error` to a message naming
/// the op and the reason.
LogicalResult exportONNXFile(ModuleOp module, llvm::StringRef path,
                             std::string &error);

} // namespace yolo
} // namespace mlir

#endif // YOLO_CONVERSION_EXPORTONNX_H
