//===- PlanFromKernels.h - lowered IR to a ModelPlan ------------*- C++ -*-===//
//
// The translation from @main in the ykernel dialect (what
// --yolo-lower-to-kernels produces) to the ModelPlan that emission turns
// into a library. Private to lib/Target/Halide.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_PLANFROMKERNELS_H
#define YOLO_LIB_TARGET_HALIDE_PLANFROMKERNELS_H

#include "ModelPlan.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"

#include <string>

namespace llvm {
class raw_ostream;
}

namespace mlir {
namespace yolo {

/// Fills `plan` from the lowered @main of `module`; reports what it cannot
/// map (an op that is no kernel, a view of something else than an
/// allocation, a global or an argument) as an error on that op.
LogicalResult planFromKernels(ModuleOp module, ModelPlan &plan);

/// `plan` as text (translateToHalidePlan prints it).
void printModelPlan(const ModelPlan &plan, ArrayRef<std::string> targets,
                    llvm::raw_ostream &os);

/// The ONNX node name(s) a location carries ("+"-joined for fused
/// locations); "" for none.
std::string locationName(Location loc);

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_PLANFROMKERNELS_H
