//===- OpRegistry.cpp - ONNX op type and opset to handlers ----------------===//
//
// The registry of ONNX op handlers: each family file adds its ops, and the
// importer looks up the handler of a node by op type and the model's opset.
//
//===----------------------------------------------------------------------===//

#include "OpRegistry.h"

#include "llvm/ADT/STLExtras.h"

#include <cassert>

using namespace mlir;
using namespace mlir::yolo::onnx_import;

void OpRegistry::onOp(llvm::StringRef opType, int64_t sinceVersion,
                      OpHandler handler) {
  assert((handler.host || handler.graph) && "an op handler without a path");
  auto &versions = ops[opType];
  auto it = llvm::lower_bound(versions, sinceVersion,
                              [](const std::pair<int64_t, OpHandler> &v,
                                 int64_t since) { return v.first < since; });
  assert((it == versions.end() || it->first != sinceVersion) &&
         "op registered twice for the same opset");
  versions.insert(it, {sinceVersion, handler});
}

const OpHandler *OpRegistry::lookup(llvm::StringRef opType,
                                    int64_t opset) const {
  auto it = ops.find(opType);
  if (it == ops.end())
    return nullptr;
  const OpHandler *found = nullptr;
  for (const auto &[since, handler] : it->second) {
    if (since > opset)
      break;
    found = &handler;
  }
  return found;
}

const OpRegistry &OpRegistry::get() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    registerConstantOps(r);
    registerConvOps(r);
    registerElementwiseOps(r);
    registerMatMulOps(r);
    registerPoolOps(r);
    registerReduceOps(r);
    registerResizeOps(r);
    registerShapeOps(r);
    registerSliceOps(r);
    return r;
  }();
  return registry;
}
