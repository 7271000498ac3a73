//===- ModelPlan.h - a planned model as plain data --------------*- C++ -*-===//
//
// What the planner decides about a model, with no MLIR left in it: the
// distinct kernels, the steps that call them in order on views of the
// model's memory, the weights blob, the size of the scratch arena and the
// model's inputs and outputs. It is the only input of emission (Emit.h),
// which turns it into the per-model tables of the C driver
// (runtime/src/model_driver.c). Private to lib/Target/Halide.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_MODELPLAN_H
#define YOLO_LIB_TARGET_HALIDE_MODELPLAN_H

#include "yolo/Target/KernelDesc.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace yolo {

/// The memory a view lies in. The values are those of the driver's view
/// table (runtime/src/model_driver.h).
enum class StorageKind { Arena = 0, Weights = 1, Input = 2, Output = 3 };

/// A strided window of one storage, f32 elements.
struct PlanView {
  StorageKind kind = StorageKind::Arena;
  /// The input or output number (Input, Output); 0 otherwise.
  int index = 0;
  /// In elements from the start of the storage (for the arena, the
  /// storage's place in it already added).
  int64_t offset = 0;
  /// Outermost first (MLIR order).
  std::vector<int64_t> shape, strides;
};

/// One kernel call: `args` are its inputs, then its output.
struct PlanStep {
  int kernel = 0;
  std::vector<PlanView> args;
  /// The ONNX node name(s) the step computes, "+"-joined; may be empty.
  std::string name;
  /// The arena's free part at this step, bytes (ykernel.scratch): where
  /// the kernel's temporary buffers go at run time.
  int64_t scratchOffset = 0, scratchBytes = 0;
  /// Runs at once with the next step, on two threads (a pair of row bands,
  /// --yolo-split-bands).
  bool pairsWithNext = false;
};

/// A model input or output: a dense row-major f32 tensor.
struct PlanTensor {
  std::string name;
  std::vector<int64_t> shape;
  int64_t elements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

struct ModelPlan {
  /// The distinct kernels; PlanStep::kernel indexes this.
  std::vector<KernelDesc> kernels;
  std::vector<PlanStep> steps;
  /// The constants, one blob (64-byte aligned pieces).
  std::vector<float> weights;
  /// The scratch the steps share (elements).
  int64_t arenaElements = 0;
  std::vector<PlanTensor> inputs, outputs;
  /// The class names the exporter recorded (ONNX metadata `names`, kept by
  /// the importer as `yolo.class_names`); empty when none.
  std::vector<std::string> classNames;
};

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_MODELPLAN_H
