//===- OpRegistry.h - ONNX op type and opset to handlers --------*- C++ -*-===//
//
// Each ONNX op the importer knows is registered once per opset in which its
// import changes, as torch-mlir registers its patterns:
//
//   registry.onOp("Slice", 1, hostAndGraph<importSlice<sliceAttributes>>());
//   registry.onOp("Slice", 10, hostAndGraph<importSlice<sliceInputs>>());
//
// A model of opset N gets the registration with the highest first opset that
// is at most N. One registration carries both ways a node can be imported:
// evaluated at import time, when every input is known then (shape arithmetic,
// anchor grids), and built as yolo ops otherwise. Ops whose import has not
// changed across the opsets the importer accepts are registered from opset
// 1; the importer does not check in which opset an op first appeared (the
// ONNX checker does).
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_CONVERSION_IMPORTONNX_OPREGISTRY_H
#define YOLO_LIB_CONVERSION_IMPORTONNX_OPREGISTRY_H

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <utility>

namespace mlir {
namespace yolo {
namespace onnx_import {

class Importer;

/// Imports the importer's current node. Fails with an error recorded in the
/// importer, except where OpHandler::host says otherwise.
using NodeImportFn = LogicalResult (*)(Importer &);

/// How one ONNX op is imported from one opset on.
struct OpHandler {
  /// Evaluates the node on the host when all its inputs are known at import
  /// time, setting its outputs to host tensors. Failure without an error
  /// recorded leaves the node to `graph` (an evaluator that does not apply
  /// to these operands).
  NodeImportFn host = nullptr;
  /// Builds yolo ops for the node. Without it, a node that is not evaluated
  /// on the host is an "unsupported operator".
  NodeImportFn graph = nullptr;
  /// `host` runs whatever the inputs are, before they are looked at: the
  /// node's outputs are known at import time by construction (Constant,
  /// Shape, Identity), and it never becomes an op.
  bool hostAlways = false;

  static OpHandler graphOnly(NodeImportFn graph) {
    return {nullptr, graph, false};
  }
  static OpHandler hostOnly(NodeImportFn host) {
    return {host, nullptr, false};
  }
  static OpHandler hostOrGraph(NodeImportFn host, NodeImportFn graph) {
    return {host, graph, false};
  }
  static OpHandler importTime(NodeImportFn fn) { return {fn, nullptr, true}; }
};

/// A handler written once for both paths, `Fn(importer, /*host=*/...)`: the
/// checks of the node's attributes are the same; only the last step differs
/// (a HostTensor or a yolo op).
template <LogicalResult (*Fn)(Importer &, bool)>
LogicalResult hostPath(Importer &imp) {
  return Fn(imp, /*host=*/true);
}
template <LogicalResult (*Fn)(Importer &, bool)>
LogicalResult graphPath(Importer &imp) {
  return Fn(imp, /*host=*/false);
}
template <LogicalResult (*Fn)(Importer &, bool)> OpHandler hostAndGraph() {
  return OpHandler::hostOrGraph(hostPath<Fn>, graphPath<Fn>);
}

class OpRegistry {
public:
  /// Registers `handler` for `opType` from opset `sinceVersion` on, up to
  /// the next registration of the same op.
  void onOp(llvm::StringRef opType, int64_t sinceVersion, OpHandler handler);

  /// The handler for `opType` in a model of `opset`, or null.
  const OpHandler *lookup(llvm::StringRef opType, int64_t opset) const;

  /// The registry of every op family, built on first use.
  static const OpRegistry &get();

private:
  /// Per op type, (first opset, handler) in increasing first opset.
  llvm::StringMap<llvm::SmallVector<std::pair<int64_t, OpHandler>, 1>> ops;
};

// The op families, one file each (Ops<Family>.cpp).
void registerConstantOps(OpRegistry &registry);
void registerConvOps(OpRegistry &registry);
void registerElementwiseOps(OpRegistry &registry);
void registerMatMulOps(OpRegistry &registry);
void registerPoolOps(OpRegistry &registry);
void registerReduceOps(OpRegistry &registry);
void registerResizeOps(OpRegistry &registry);
void registerShapeOps(OpRegistry &registry);
void registerSliceOps(OpRegistry &registry);

} // namespace onnx_import
} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_CONVERSION_IMPORTONNX_OPREGISTRY_H
