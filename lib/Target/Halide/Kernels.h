//===- Kernels.h - Halide algorithms and schedules per op -------*- C++ -*-===//
//
// A kernel is one Halide pipeline specialized to static shapes; identical
// layers share one kernel (their KernelSpec keys are equal). Private to
// lib/Target/Halide.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_KERNELS_H
#define YOLO_LIB_TARGET_HALIDE_KERNELS_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace yolo {

/// Everything a kernel is specialized on. Shapes are in MLIR order
/// (outermost first); the output is the last shape.
struct KernelSpec {
  std::string kind;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<int64_t> params;
  std::vector<float> fparams;

  std::string key() const;
  /// A short human-readable description for progress lines.
  std::string describe() const;
};

/// Compiles `spec` for the Halide target string `target` (NoRuntime is
/// added) to `objectPath`, as the C function `fnName`. Throws nothing;
/// returns false with `error` set on failure.
bool compileKernel(const KernelSpec &spec, const std::string &target,
                   const std::string &objectPath, const std::string &fnName,
                   std::string &error);

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
