//===- Schedules.h - schedules per target family ----------------*- C++ -*-===//
//
// The algorithms live in Kernels.cpp; the x86-64 schedules next to them.
// The schedules of the other target families (ARM64 NEON, CUDA) are here,
// one file per family. Private to lib/Target/Halide; needs Halide.h.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_SCHEDULES_H
#define YOLO_LIB_TARGET_HALIDE_SCHEDULES_H

#include "Halide.h"

#include <vector>

namespace mlir {
namespace yolo {

/// The target families that have their own schedules.
enum class Family { X86, Arm, Cuda };

/// The family of a Halide target: CUDA when the target has the CUDA
/// feature, ARM for 64-bit ARM, x86 (the generic CPU schedules) otherwise.
Family familyOf(const Halide::Target &t);

/// What the convolution schedule needs to know about a layer and a target.
struct ConvShape {
  int extentX;       // the vectorized spatial extent (row width, or H*W)
  int channels;      // output channels
  int stride;        // along x (1 for the flattened 1x1 kernel)
  bool flat;         // the flattened 1x1 kernel
  int inputChannels; // per group
  int taps;          // kernel height x width
  int64_t rows;      // rows of x (output height x batch; 1 when flat)
};

/// The register tile: `vectors` vectors of `lanes` floats along x by
/// `channels` output channels.
struct ConvTile {
  int lanes, vectors, channels;
};

/// NEON's register tile for a layer (see SchedulesArm.cpp); the loop
/// structure around it is the one all CPU families share (scheduleConv in
/// Kernels.cpp).
ConvTile chooseConvTileArm(const ConvShape &shape, int vec);

/// CUDA: a 2-D convolution out(x, y, co, n) = act(acc) with
/// acc += w(r.x, r.y, r.z, co) * inb(...). Input and weight tiles are
/// staged in shared memory per slice of input channels.
void scheduleConvCuda(Halide::Func out, Halide::Func acc, Halide::Func inb,
                      Halide::Func weights, Halide::Var x, Halide::Var y,
                      Halide::Var co, Halide::Var n, Halide::RDom r, int outW,
                      int outH, int channels, int cin);

/// CUDA: the flattened 1x1 convolution out(p, co, n), acc += w(r, co) *
/// in(p, r, n).
void scheduleConv1x1Cuda(Halide::Func out, Halide::Func acc, Halide::Func in,
                         Halide::Func weights, Halide::Var p, Halide::Var co,
                         Halide::Var n, Halide::RDom r, int extentP,
                         int channels, int cin);

/// CUDA: one thread per output element, all dimensions fused.
void scheduleFlatCuda(Halide::Func f, const std::vector<Halide::Var> &v,
                      const std::vector<int64_t> &shape);

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_SCHEDULES_H
