//===- YoloKernelEnums.h - the ykernel dialect's enums alone ----*- C++ -*-===//
//
// The enums generated from YoloKernelEnums.td (BinaryKind), without the
// rest of the dialect: code that only needs their values (kernel
// descriptors, the Halide algorithms) includes this and no MLIR IR header.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_YOLOKERNEL_YOLOKERNELENUMS_H
#define YOLO_DIALECT_YOLOKERNEL_YOLOKERNELENUMS_H

#include "mlir/Support/LLVM.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>

#include "yolo/Dialect/YoloKernel/YoloKernelEnums.h.inc"

#endif // YOLO_DIALECT_YOLOKERNEL_YOLOKERNELENUMS_H
