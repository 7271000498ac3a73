//===- Pipeline.cpp - the yolo-lower-to-kernels pipeline ------------------===//
//
// The lowering pipeline as a library function (yolo-codegen runs it with
// the resolved --target variants) and as a pass for yolo-opt.
//
//===----------------------------------------------------------------------===//

#include "yolo/Lowering/Passes.h"

#include "mlir/Transforms/Passes.h"

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOLOWERTOKERNELS
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;

void mlir::yolo::buildLowerToKernelsPipeline(OpPassManager &pm,
                                             ArrayRef<std::string> targets) {
  pm.addPass(createYoloBufferize());
  YoloSelectKernelsOptions select;
  select.targets = targets;
  pm.addNestedPass<func::FuncOp>(createYoloSelectKernels(select));
  pm.addNestedPass<func::FuncOp>(createYoloPlanMemory());
}

namespace {
struct YoloLowerToKernelsPass
    : public yolo::impl::YoloLowerToKernelsBase<YoloLowerToKernelsPass> {
  using YoloLowerToKernelsBase::YoloLowerToKernelsBase;

  void runOnOperation() override {
    std::vector<std::string> list(targets.begin(), targets.end());
    if (list.empty())
      list.push_back("x86-64-linux-avx2-fma");
    OpPassManager pm(ModuleOp::getOperationName());
    buildLowerToKernelsPipeline(pm, list);
    if (failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};
} // namespace
