//===- Passes.h - lowering to the ykernel dialect ---------------*- C++ -*-===//
//
// The back end's passes (see Passes.td) and the pipeline as a library
// function, shared by yolo-opt and yolo-codegen.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LOWERING_PASSES_H
#define YOLO_LOWERING_PASSES_H

#include "yolo/Dialect/YoloKernel/YoloKernel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <memory>
#include <string>

namespace mlir {
namespace yolo {

#define GEN_PASS_DECL
#include "yolo/Lowering/Passes.h.inc"

/// The lowering pipeline after --yolo-optimize, for library variants
/// compiled for `targets` (resolved Halide target strings). `winograd` is
/// --yolo-winograd's tile option; that pass runs only when every target is
/// a CPU (x86-64 or ARM64), with `winogradWeightGrowth` as its
/// weight-growth and `winogradRuntimeWeights` as its runtime-weights.
/// `avx512Fma` is --yolo-select-kernels' avx512-fma. With `bands`,
/// --yolo-split-bands runs after kernel selection when every target is a
/// CPU; with `channelBlocks`, --yolo-channel-blocks before it (which
/// itself acts only where every target is an AVX-512 x86-64 one, or every
/// one an AVX2 one);
/// unless `fuseResidual` is "off", --yolo-fuse-residual after it when every
/// target is a CPU ("all": with its option all).
void buildLowerToKernelsPipeline(OpPassManager &pm,
                                 ArrayRef<std::string> targets,
                                 StringRef winograd = "auto",
                                 double winogradWeightGrowth = 0.3,
                                 bool winogradRuntimeWeights = true,
                                 StringRef avx512Fma = "auto",
                                 bool bands = false, bool channelBlocks = true,
                                 StringRef fuseResidual = "auto");

#define GEN_PASS_REGISTRATION
#include "yolo/Lowering/Passes.h.inc"

} // namespace yolo
} // namespace mlir

#endif // YOLO_LOWERING_PASSES_H
