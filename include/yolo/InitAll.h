//===- InitAll.h - register all yolo dialects and passes --------*- C++ -*-===//
//
// One place for the tools to register everything they need.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_INITALL_H
#define YOLO_INITALL_H

#include "yolo/Dialect/Yolo/YoloDialect.h"
#include "yolo/Dialect/YoloKernel/YoloKernel.h"
#include "yolo/Lowering/Passes.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir {
namespace yolo {

inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<YoloDialect, ykernel::YKernelDialect, func::FuncDialect,
                  memref::MemRefDialect>();
}

inline void registerAllPasses() {
  registerYoloPasses();
  registerYoloLoweringPasses();
  registerCanonicalizerPass();
  registerCSEPass();
  registerSymbolDCEPass();
}

} // namespace yolo
} // namespace mlir

#endif // YOLO_INITALL_H
