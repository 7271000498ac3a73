//===- YoloOps.h - yolo dialect operations ----------------------*- C++ -*-===//
//
// Declares the ops of the yolo dialect (generated from YoloOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_YOLO_YOLOOPS_H
#define YOLO_DIALECT_YOLO_YOLOOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "yolo/Dialect/Yolo/YoloDialect.h"

#define GET_OP_CLASSES
#include "yolo/Dialect/Yolo/YoloOps.h.inc"

#endif // YOLO_DIALECT_YOLO_YOLOOPS_H
