//===- YoloKernelEnums.td - ykernel enums ------------------*- tablegen -*-===//
//
// Apart from YoloKernel.td so that enum generation does not also emit the
// yolo dialect's enums that YoloKernel.td includes.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_KERNEL_ENUMS_TD
#define YOLO_KERNEL_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def YKernel_BinaryKind : I32EnumAttr<"BinaryKind", "elementwise binary operation", [
    I32EnumAttrCase<"add", 0>,
    I32EnumAttrCase<"sub", 1>,
    I32EnumAttrCase<"mul", 2>,
    I32EnumAttrCase<"div", 3>
  ]> {
  let cppNamespace = "::mlir::ykernel";
  let genSpecializedAttr = 0;
}

#endif // YOLO_KERNEL_ENUMS_TD
