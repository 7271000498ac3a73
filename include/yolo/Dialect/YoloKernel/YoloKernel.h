//===- YoloKernel.h - the ykernel dialect -----------------------*- C++ -*-===//
//
// Kernel calls on memref views; see YoloKernel.td.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_YOLOKERNEL_YOLOKERNEL_H
#define YOLO_DIALECT_YOLOKERNEL_YOLOKERNEL_H

#include "yolo/Dialect/Yolo/YoloDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "yolo/Dialect/YoloKernel/YoloKernelDialect.h.inc"
#include "yolo/Dialect/YoloKernel/YoloKernelEnums.h"

#define GET_ATTRDEF_CLASSES
#include "yolo/Dialect/YoloKernel/YoloKernelAttrs.h.inc"

#define GET_OP_CLASSES
#include "yolo/Dialect/YoloKernel/YoloKernelOps.h.inc"

namespace mlir {
namespace ykernel {

/// Attribute names the lowering passes use.
constexpr llvm::StringLiteral kArenaOffsetAttr = "ykernel.arena_offset";
constexpr llvm::StringLiteral kArenaSizeAttr = "ykernel.arena_size";
/// On a kernel: [offset, bytes] of the arena free at its step.
constexpr llvm::StringLiteral kScratchAttr = "ykernel.scratch";
/// On a kernel or an allocation: the row band (0 or 1) it belongs to
/// (--yolo-split-bands). A band-0 kernel followed by a band-1 kernel is a
/// pair that runs as one two-task job on two threads.
constexpr llvm::StringLiteral kBandAttr = "ykernel.band";
constexpr llvm::StringLiteral kOutputAttr = "ykernel.output";
constexpr llvm::StringLiteral kTargetsAttr = "ykernel.targets";

/// The strides and offset (elements, from the allocation's base) of a
/// static strided memref view.
struct ViewLayout {
  SmallVector<int64_t> strides;
  int64_t offset = 0;
};
ViewLayout getViewLayout(Value view);

/// The memref a memref.subview or memref.reinterpret_cast `view` is made
/// from; null for any other value.
Value getViewSource(Value view);

/// What a view is a view of: the memref.alloc, memref.get_global or block
/// argument at the end of its chain of memref.subview and
/// memref.reinterpret_cast ops.
Value getViewRoot(Value view);

/// A memref.reinterpret_cast of `view` to `shape` with `strides`, at the
/// same offset from the same base (a reshape or flattening of a view).
Value createReinterpretedView(OpBuilder &b, Location loc, Value view,
                              ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> strides);

/// The row band (0 or 1) of a kernel, or -1.
inline int64_t bandOf(Operation *op) {
  auto band = op->getAttrOfType<IntegerAttr>(kBandAttr);
  return band ? band.getInt() : -1;
}

/// Whether kernel `op`, right after kernel `previous` (or null), is the
/// second of a pair: band 1 after band 0. yolo-plan-memory gives the two
/// one step; the plan marks them for the driver, which runs them at once.
inline bool pairsWithPrevious(Operation *op, Operation *previous) {
  return previous && bandOf(op) == 1 && bandOf(previous) == 0;
}

/// Whether `op` is one of the kernel ops.
inline bool isKernel(Operation *op) {
  return isa<YKernelDialect>(op->getDialect());
}

} // namespace ykernel
} // namespace mlir

#endif // YOLO_DIALECT_YOLOKERNEL_YOLOKERNEL_H
