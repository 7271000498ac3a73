//===- Passes.h - yolo passes -----------------------------------*- C++ -*-===//
//
// Declarations of every yolo pass and of the yolo-optimize pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_PASSES_PASSES_H
#define YOLO_PASSES_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include <memory>

namespace mlir {
namespace yolo {

#define GEN_PASS_DECL
#include "yolo/Passes/Passes.h.inc"

/// Adds the yolo-optimize pipeline to `pm` (anchored on builtin.module).
/// `keep` names the outputs to keep (see yolo-prune-aux); empty means
/// "find the main output from the graph's structure".
void buildYoloOptimizePipeline(OpPassManager &pm,
                               ArrayRef<std::string> keep = {});

#define GEN_PASS_REGISTRATION
#include "yolo/Passes/Passes.h.inc"

} // namespace yolo
} // namespace mlir

#endif // YOLO_PASSES_PASSES_H
