//===- Kernels.h - kernels compiled with Halide ----------------*- C++ -*-===//
//
// A kernel is one Halide pipeline specialized to a KernelDesc (static
// shapes and parameters); identical layers share one kernel (their
// kernelKey()s are equal). Its algorithm is in Algorithms/, its schedule in
// Schedules/ (one file per target family). Private to lib/Target/Halide.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_KERNELS_H
#define YOLO_LIB_TARGET_HALIDE_KERNELS_H

#include "yolo/Target/KernelDesc.h"
#include "yolo/Target/TargetInfo.h"

#include <cstddef>
#include <string>

namespace mlir {
namespace yolo {

/// Compiles `desc` for `target` (NoRuntime and UserContext are added) to
/// `objectPath`, as the C function `fnName`. `variant` is the index of
/// `target` among the --target variants: a convolution uses its
/// `tiles[variant]`. Throws nothing; returns false with `error` set on
/// failure.
bool compileKernel(const KernelDesc &desc, size_t variant,
                   const TargetInfo &target, const std::string &objectPath,
                   const std::string &fnName, std::string &error);

/// Compiles the Halide runtime for `target` once, to `objectPath`.
bool compileRuntime(const std::string &target, const std::string &objectPath,
                    std::string &error);

/// The Halide include directory (for HalideRuntime.h), known at build time.
const char *halideIncludeDir();

/// The version of the Halide this compiler is built with ("21.0.0").
std::string halideVersion();

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_KERNELS_H
