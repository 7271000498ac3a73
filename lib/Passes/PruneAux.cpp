//===- PruneAux.cpp - drop the auxiliary (PGI) detection branch -----------===//
//
// YOLOv9 training exports return the auxiliary head's output next to the
// main one. Which output is which is decided from the graph's structure:
// the main head reads the main neck, which is strictly deeper (counted in
// convolutions on the longest path from the input) than the auxiliary
// branch in every variant; see the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir {
namespace yolo {
#define GEN_PASS_DEF_PRUNEAUX
#include "yolo/Passes/Passes.h.inc"
} // namespace yolo
} // namespace mlir

using namespace mlir;
using namespace mlir::yolo;

namespace {

std::string resultName(func::FuncOp func, unsigned index) {
  if (auto name = func.getResultAttrOfType<StringAttr>(index, "yolo.name"))
    return name.getValue().str();
  return "#" + std::to_string(index);
}

/// Longest path, in convolutions, from the function's inputs to each value.
llvm::DenseMap<Value, int64_t> convDepths(func::FuncOp func) {
  llvm::DenseMap<Value, int64_t> depth;
  for (Operation &op : func.getBody().front()) {
    int64_t d = 0;
    for (Value operand : op.getOperands())
      d = std::max(d, depth.lookup(operand));
    if (isa<Conv2DOp>(op))
      ++d;
    for (Value result : op.getResults())
      depth[result] = d;
  }
  return depth;
}

/// Every value `v` is computed from, `v` included.
llvm::DenseSet<Value> ancestors(Value v) {
  llvm::DenseSet<Value> seen;
  SmallVector<Value> work = {v};
  while (!work.empty()) {
    Value cur = work.pop_back_val();
    if (!seen.insert(cur).second)
      continue;
    if (Operation *def = cur.getDefiningOp())
      for (Value operand : def->getOperands())
        work.push_back(operand);
  }
  return seen;
}

/// Detection outputs: rank-3 results [N, 4 + classes, anchors], all alike.
SmallVector<unsigned> detectionOutputs(func::FuncOp func) {
  SmallVector<unsigned> out;
  Type common;
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked || ranked.getRank() != 3 || ranked.getDimSize(1) <= 4)
      continue;
    if (common && common != type)
      return {};
    common = type;
    out.push_back(i);
  }
  return out;
}

struct PruneAuxPass : public yolo::impl::PruneAuxBase<PruneAuxPass> {
  using PruneAuxBase::PruneAuxBase;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && failed(prune(func)))
        return signalPassFailure();
  }

  LogicalResult prune(func::FuncOp func) {
    unsigned numResults = func.getNumResults();
    llvm::BitVector keepMask(numResults, true);
    SmallVector<unsigned> mainResults;
    if (!keep.empty()) {
      keepMask.reset();
      for (const std::string &wanted : keep) {
        std::optional<unsigned> found;
        for (unsigned i = 0; i < numResults; ++i)
          if (resultName(func, i) == wanted || std::to_string(i) == wanted)
            found = i;
        if (!found)
          return func.emitError("yolo-prune-aux: no output named '")
                 << wanted << "' (outputs: " << listOutputs(func) << ")";
        keepMask.set(*found);
        mainResults.push_back(*found);
      }
    } else {
      SmallVector<unsigned> detections = detectionOutputs(func);
      if (detections.empty())
        return success();
      auto depth = convDepths(func);
      auto returnOp = cast<func::ReturnOp>(func.getBody().front().back());
      int64_t best = -1;
      for (unsigned i : detections)
        best = std::max(best, depth.lookup(returnOp.getOperand(i)));
      for (unsigned i : detections)
        if (depth.lookup(returnOp.getOperand(i)) == best)
          mainResults.push_back(i);
      if (mainResults.size() != 1) {
        InFlightDiagnostic diag = func.emitError(
            "yolo-prune-aux: cannot tell the main detection output from the "
            "auxiliary one: outputs");
        for (unsigned i : mainResults)
          diag << " '" << resultName(func, i) << "'";
        return diag << " are equally deep (" << best
                    << " convolutions); name the output to keep with "
                       "--yolo-prune-aux=\"keep=NAME\"";
      }
      for (unsigned i : detections)
        if (i != mainResults.front())
          keepMask.reset(i);
      // Outputs that the main output is computed from (the raw per-level
      // maps that yolov9-cf's export returns next to it) are training-time
      // outputs too: dropping them removes no computation of the main one.
      llvm::DenseSet<Value> feeds =
          ancestors(returnOp.getOperand(mainResults.front()));
      for (unsigned i = 0; i < numResults; ++i)
        if (i != mainResults.front() && feeds.contains(returnOp.getOperand(i)))
          keepMask.reset(i);
    }

    auto returnOp = cast<func::ReturnOp>(func.getBody().front().back());
    llvm::BitVector eraseMask = keepMask;
    eraseMask.flip();
    SmallVector<Value> kept;
    SmallVector<unsigned> newIndex(numResults, 0);
    for (unsigned i = 0; i < numResults; ++i) {
      newIndex[i] = kept.size();
      if (keepMask.test(i))
        kept.push_back(returnOp.getOperand(i));
    }
    returnOp->setOperands(kept);
    func.eraseResults(eraseMask);
    for (unsigned i : mainResults)
      func.setResultAttr(newIndex[i], "yolo.role",
                         StringAttr::get(func.getContext(), "main"));

    // Erase everything that only the dropped outputs needed.
    Block &body = func.getBody().front();
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (isOpTriviallyDead(&op))
        op.erase();
    return success();
  }

  static std::string listOutputs(func::FuncOp func) {
    std::string s;
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      s += (i ? ", " : "") + resultName(func, i);
    return s;
  }
};

} // namespace
