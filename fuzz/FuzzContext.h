//===- FuzzContext.h - the MLIRContext the fuzz targets share ---*- C++ -*-===//
//
// One context serves many inputs: making a context and loading the dialects
// cost more than importing a small model. It is made afresh every
// kInputsPerContext inputs, so that what inputs unique in it (types,
// attributes, weight constants) cannot pile up past libFuzzer's memory
// limit. A finding is replayed in a fresh process, hence a fresh context.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_FUZZ_FUZZCONTEXT_H
#define YOLO_FUZZ_FUZZCONTEXT_H

#include "yolo/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <cstdlib>
#include <memory>

namespace yolo_fuzz {

constexpr unsigned kInputsPerContext = 128;

inline const mlir::DialectRegistry &registry() {
  static mlir::DialectRegistry *r = [] {
    auto *reg = new mlir::DialectRegistry;
    mlir::yolo::registerAllDialects(*reg);
    return reg;
  }();
  return *r;
}

/// The context for the next input.
inline mlir::MLIRContext &context() {
  static std::unique_ptr<mlir::MLIRContext> ctx;
  static unsigned uses = 0;
  // YOLO_FUZZ_FRESH_CONTEXT=1: a fresh context per input, as the tools do.
  static unsigned every =
      getenv("YOLO_FUZZ_FRESH_CONTEXT") ? 1 : kInputsPerContext;
  if (!ctx || ++uses % every == 0) {
    ctx.reset();
    ctx = std::make_unique<mlir::MLIRContext>(
        registry(), mlir::MLIRContext::Threading::DISABLED);
    ctx->loadAllAvailableDialects();
    // The tools accept unregistered dialects only on request; so do we.
    ctx->allowUnregisteredDialects(false);
  }
  return *ctx;
}

} // namespace yolo_fuzz

#endif // YOLO_FUZZ_FUZZCONTEXT_H
