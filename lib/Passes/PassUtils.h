//===- PassUtils.h - helpers shared by the yolo passes ----------*- C++ -*-===//
//
// Small helpers for rewriting convolutions; private to lib/Passes.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_PASSES_PASSUTILS_H
#define YOLO_LIB_PASSES_PASSUTILS_H

#include "yolo/Dialect/Yolo/YoloOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace yolo {

/// A copy of `conv` with new weight, bias (may be null) and activation,
/// reading `input`, located at `loc`.
inline Conv2DOp rebuildConv(RewriterBase &rewriter, Location loc, Conv2DOp conv,
                            Value input, Value weight, Value bias,
                            Activation activation) {
  return rewriter.create<Conv2DOp>(
      loc, input, weight, bias, conv.getStrides(), conv.getPads(),
      conv.getDilations(), conv.getGroups(), activation, conv.getAlpha());
}

/// A location naming every op a rewrite replaced, so diagnostics and
/// debug info still point at the original ONNX nodes.
inline Location fuseLocs(ArrayRef<Operation *> ops) {
  SmallVector<Location> locs;
  for (Operation *op : ops)
    locs.push_back(op->getLoc());
  return FusedLoc::get(ops.front()->getContext(), locs);
}

/// A name for a derived weight blob, from the op's location when it has one.
inline std::string weightName(Operation *op, StringRef suffix) {
  std::string base = "w";
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    base = name.getName().str();
  return base + suffix.str();
}

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_PASSES_PASSUTILS_H
