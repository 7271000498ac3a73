//===- Arm.cpp - ARM64 NEON schedules -------------------------------------===//
//
// NEON takes the CPU loop structure written and measured on x86 (X86.cpp)
// as it is: the register-blocked convolution with output-channel blocks
// innermost, rows (x tiles when flat) in parallel tasks of ~1M FMAs, and
// the vectorized, parallel rows of the other kernels. What differs is the
// register tile, for NEON's 32 registers of 4 floats and its fmla by
// element: lib/Target/TileRulesArm.cpp chooses it, with the arithmetic
// behind each tile, and the convolution descriptors carry it here.
//
//===----------------------------------------------------------------------===//

#include "Schedule.h"

namespace mlir {
namespace yolo {

std::unique_ptr<Schedule> makeArmSchedule(const TargetInfo &target) {
  return std::make_unique<CpuSchedule>(target);
}

} // namespace yolo
} // namespace mlir
