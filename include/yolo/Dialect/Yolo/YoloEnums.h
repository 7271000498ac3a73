//===- YoloEnums.h - the yolo dialect's enums alone -------------*- C++ -*-===//
//
// The enums generated from YoloDialect.td (Activation), without the rest
// of the dialect: code that only needs their values (kernel descriptors,
// the Halide algorithms) includes this and no MLIR IR header.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_YOLO_YOLOENUMS_H
#define YOLO_DIALECT_YOLO_YOLOENUMS_H

#include "mlir/Support/LLVM.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>

#include "yolo/Dialect/Yolo/YoloEnums.h.inc"

#endif // YOLO_DIALECT_YOLO_YOLOENUMS_H
