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

#define GEN_PASS_REGISTRATION
#include "yolo/Passes/Passes.h.inc"

} // namespace yolo
} // namespace mlir

#endif // YOLO_PASSES_PASSES_H
