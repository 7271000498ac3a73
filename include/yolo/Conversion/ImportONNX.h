//===- ImportONNX.h - ONNX protobuf to the yolo dialect ---------*- C++ -*-===//
//
// Public entry point of the ONNX importer.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_CONVERSION_IMPORTONNX_H
#define YOLO_CONVERSION_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace mlir {
namespace yolo {

struct ImportOptions {
  /// Pins the shape of the (single) graph input, e.g. {1, 3, 640, 640}.
  /// Required when the model has dynamic dimensions; must agree with the
  /// model's static dimensions otherwise.
  llvm::SmallVector<int64_t> inputShape;
  /// Limits of import-time evaluation (shape arithmetic, anchor grids):
  /// the elements of any one tensor it computes, and of all of them
  /// together. A model past either is refused with an error naming the
  /// node. Every fixture model, the dynamic ones' anchor grids at 640
  /// included, stays within 2^18 in total; the defaults bound what a small
  /// hostile file can make the importer allocate to about 256 MB. The
  /// fuzzers lower them to keep every input fast.
  int64_t maxHostElements = int64_t(1) << 24;
  int64_t maxHostElementsTotal = int64_t(1) << 24;
};

/// Imports the ONNX model at `path` (binary protobuf, or protobuf text format
/// when the name ends in .onnxtxt/.pbtxt/.prototxt) into a module holding
/// `func.func @main`. On failure returns null and sets `error` to a message
/// naming the file, the node and the reason.
OwningOpRef<ModuleOp> importONNXFile(llvm::StringRef path, MLIRContext *context,
                                     const ImportOptions &options,
                                     std::string &error);

/// importONNXFile on bytes already in memory: `path` is only used for
/// messages, to choose the format (by its extension, as above) and as the
/// folder that external data must lie in. For fuzzing and embedding.
OwningOpRef<ModuleOp> importONNXBuffer(llvm::StringRef contents,
                                       llvm::StringRef path,
                                       MLIRContext *context,
                                       const ImportOptions &options,
                                       std::string &error);

/// Parses "1x3x640x640" into dimensions; fails on anything else.
bool parseShape(llvm::StringRef text, llvm::SmallVectorImpl<int64_t> &shape);

} // namespace yolo
} // namespace mlir

#endif // YOLO_CONVERSION_IMPORTONNX_H
