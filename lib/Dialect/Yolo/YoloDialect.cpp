//===- YoloDialect.cpp - The yolo dialect ---------------------------------===//
//
// Registers the ops and attributes of the yolo dialect and materializes
// folded constants as yolo.constant.
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloDialect.h"
#include "yolo/Dialect/Yolo/YoloOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::yolo;

#include "yolo/Dialect/Yolo/YoloDialect.cpp.inc"
#include "yolo/Dialect/Yolo/YoloEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "yolo/Dialect/Yolo/YoloAttrs.cpp.inc"

void YoloDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "yolo/Dialect/Yolo/YoloOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "yolo/Dialect/Yolo/YoloAttrs.cpp.inc"
      >();
}

Operation *YoloDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type || !isa<RankedTensorType>(type))
    return nullptr;
  return builder.create<ConstantOp>(loc, typed);
}
