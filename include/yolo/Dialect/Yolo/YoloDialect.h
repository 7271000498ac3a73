//===- YoloDialect.h - The yolo dialect -------------------------*- C++ -*-===//
//
// Declares the yolo dialect, its enums and attributes.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_YOLO_YOLODIALECT_H
#define YOLO_DIALECT_YOLO_YOLODIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include "yolo/Dialect/Yolo/YoloDialect.h.inc"
#include "yolo/Dialect/Yolo/YoloEnums.h"

#define GET_ATTRDEF_CLASSES
#include "yolo/Dialect/Yolo/YoloAttrs.h.inc"

#endif // YOLO_DIALECT_YOLO_YOLODIALECT_H
