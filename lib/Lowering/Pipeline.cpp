//===- Pipeline.cpp - the yolo-lower-to-kernels pipeline ------------------===//
//
// The lowering pipeline as a library function (yolo-codegen runs it with
// the resolved --target variants) and as a pass for yolo-opt.
//
//===----------------------------------------------------------------------===//

#include "yolo/Lowering/Passes.h"

#include "yolo/Target/TargetInfo.h"

#include "mlir/Transforms/Passes.h"

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOLOWERTOKERNELS
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;

void mlir::yolo::buildLowerToKernelsPipeline(
    OpPassManager &pm, ArrayRef<std::string> targets, StringRef winograd,
    double winogradWeightGrowth, bool winogradRuntimeWeights,
    StringRef avx512Fma, bool bands, bool channelBlocks,
    StringRef fuseResidual) {
  pm.addPass(createYoloBufferize());
  // Winograd kernels have CPU schedules only; a target that does not parse
  // is left to --yolo-select-kernels to report.
  bool cpu = !targets.empty() && llvm::all_of(targets, [](const auto &t) {
    std::string error;
    std::optional<TargetInfo> info = TargetInfo::parse(t, error);
    return info && info->family != TargetFamily::Cuda;
  });
  if (cpu && winograd != "off") {
    YoloWinogradOptions options;
    options.tile = winograd.str();
    options.weightGrowth = winogradWeightGrowth;
    options.runtimeWeights = winogradRuntimeWeights;
    options.targets = targets;
    options.avx512Fma = avx512Fma.str();
    pm.addPass(createYoloWinograd(options));
  }
  if (cpu && channelBlocks) {
    YoloChannelBlocksOptions blocks;
    blocks.targets = targets;
    blocks.avx512Fma = avx512Fma.str();
    pm.addPass(createYoloChannelBlocks(blocks));
  }
  YoloSelectKernelsOptions select;
  select.targets = targets;
  select.avx512Fma = avx512Fma.str();
  pm.addNestedPass<func::FuncOp>(createYoloSelectKernels(select));
  if (cpu && fuseResidual != "off") {
    YoloFuseResidualOptions residual;
    residual.all = fuseResidual == "all";
    pm.addNestedPass<func::FuncOp>(createYoloFuseResidual(residual));
  }
  if (cpu && bands)
    pm.addNestedPass<func::FuncOp>(createYoloSplitBands());
  pm.addNestedPass<func::FuncOp>(createYoloPlanMemory());
}

namespace {
struct YoloLowerToKernelsPass
    : public yolo::impl::YoloLowerToKernelsBase<YoloLowerToKernelsPass> {
  using YoloLowerToKernelsBase::YoloLowerToKernelsBase;

  void runOnOperation() override {
    if (fuseResidual != "auto" && fuseResidual != "all" &&
        fuseResidual != "off") {
      getOperation().emitError()
          << "yolo-lower-to-kernels: fuse-residual must be auto, all or off, "
             "got '"
          << fuseResidual << "'";
      return signalPassFailure();
    }
    std::vector<std::string> list(targets.begin(), targets.end());
    if (list.empty())
      list.push_back("x86-64-linux-avx2-fma");
    OpPassManager pm(ModuleOp::getOperationName());
    buildLowerToKernelsPipeline(pm, list, winograd, winogradWeightGrowth,
                                winogradRuntimeWeights, avx512Fma, bands,
                                channelBlocks, fuseResidual);
    if (failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};
} // namespace
