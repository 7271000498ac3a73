//===- Optimize.cpp - the yolo-optimize pipeline --------------------------===//
//
// The pipeline as a library function (tools and the code generator share
// it) and as a pass, `--yolo-optimize`.
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloDialect.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/Passes.h"

namespace mlir {
namespace yolo {
#define GEN_PASS_DEF_YOLOOPTIMIZE
#include "yolo/Passes/Passes.h.inc"
} // namespace yolo
} // namespace mlir

using namespace mlir;
using namespace mlir::yolo;

void mlir::yolo::buildYoloOptimizePipeline(OpPassManager &pm,
                                           ArrayRef<std::string> keep) {
  PruneAuxOptions pruneOptions;
  // The options hold an ArrayRef: it must point at storage that outlives
  // createPruneAux (which copies it), not at a temporary.
  pruneOptions.keep = keep;
  pm.addPass(createPruneAux(pruneOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addNestedPass<func::FuncOp>(createMergeRepConv());
  // A BatchNorm after a RepConv's sum becomes foldable once the branches
  // are merged into one convolution; what still cannot fold becomes a
  // multiply and an add (the back end has no batch_norm).
  FoldBatchNormOptions lastFold;
  lastFold.decompose = true;
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm(lastFold));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createFuseActivation());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createSymbolDCEPass());
}

namespace {
struct YoloOptimizePass
    : public yolo::impl::YoloOptimizeBase<YoloOptimizePass> {
  using YoloOptimizeBase::YoloOptimizeBase;

  void runOnOperation() override {
    OpPassManager pm(ModuleOp::getOperationName());
    buildYoloOptimizePipeline(pm, keep);
    if (failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};
} // namespace
