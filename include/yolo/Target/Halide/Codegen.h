//===- Codegen.h - yolo graphs to standalone Halide libraries ---*- C++ -*-===//
//
// Public entry point of the code generator: an optimized `func.func @main`
// becomes a static library (Halide kernels, the Halide runtime once, a C
// driver with a compile-time memory plan, embedded weights) and a C header.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_TARGET_HALIDE_CODEGEN_H
#define YOLO_TARGET_HALIDE_CODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include <string>

namespace mlir {
namespace yolo {

struct CodegenOptions {
  /// Halide target string ("host", "x86-64-linux-avx512", ...), or a
  /// multi-target list "T1,T2,...,BASE": one library holding a variant per
  /// entry, the first the CPU runs picked at run time by NAME_create.
  std::string target = "host";
  /// Library name: libNAME.a, NAME.h, NAME_create/NAME_run/...
  std::string name = "yolo_model";
  std::string outputDir = ".";
  /// "lib" (libNAME.a + NAME.h + NAME.pc), "obj" (one relocatable NAME.o +
  /// NAME.h), "shared" (libNAME.so exporting the NAME_* API alone) or
  /// "python" (a CPython extension module NAME).
  std::string emit = "lib";
  /// Also build OUTDIR/NAME-run, a runner reading and writing .npy files.
  bool emitRunner = false;
  /// Also build OUTDIR/NAME-detect: images in, detections out
  /// (runtime/tools/yolo_detect.c).
  bool emitDetector = false;
  /// C compiler and archiver for the target (defaults: cc/ar, or the
  /// aarch64-linux-gnu- ones for arm-64 targets).
  std::string cc, ar;
  /// --yolo-winograd's tile for CPU targets: auto, off, 2, 4 or 6.
  std::string winograd = "auto";
  /// With winograd auto: the most the transformed weights may add, as a
  /// fraction of the model's weight bytes.
  double winogradWeightGrowth = 0.3;
  /// Layers beyond that budget transform their weights at run time
  /// (otherwise: direct under auto).
  bool winogradRuntimeWeights = true;
  /// How 512-bit FMAs issue on the AVX-512 variants (the register tiles
  /// differ): "auto" (measured on this CPU for a "host" target,
  /// measureAvx512FmaRatio; from the feature words otherwise), "full" or
  /// "half".
  std::string avx512Fma = "auto";
  /// Split the image kernels into two row bands, one per thread, with
  /// memory of their own (--yolo-split-bands; CPU targets).
  bool bands = false;
  /// Stride-2 convolutions with weights in blocks of output channels
  /// (--yolo-channel-blocks; full-rate AVX-512 targets).
  bool channelBlocks = true;
  /// Residual additions fused into the convolution before them
  /// (--yolo-fuse-residual; CPU targets): auto, all or off.
  std::string fuseResidual = "auto";
  /// Kernels compiled at once (processes).
  int jobs = 2;
  bool verbose = true;
  /// Leave the Halide runtime and the core C runtime out of the library
  /// (--emit=lib and obj): link one libyolo_runtime.a (generateRuntime)
  /// with every model of a program instead.
  bool noRuntime = false;
  /// The Python interpreter --emit=python builds for.
  std::string python = "python3";
  /// Keep the intermediates (kernel objects, C sources, weights) in
  /// OUTDIR/NAME.tmp instead of removing them.
  bool keepTemps = false;
};

/// Generates the library for `module`'s @main. Returns failure with `error`
/// naming the op or step that failed.
LogicalResult generateLibrary(ModuleOp module, const CodegenOptions &options,
                              std::string &error);

/// Writes OUTDIR/libyolo_runtime.a (the Halide runtime for the family of
/// `options.target`, compiled for its baseline, and the core C runtime)
/// and yolo_runtime.h: what every --no-runtime model library of a program
/// links once.
LogicalResult generateRuntime(const CodegenOptions &options,
                              std::string &error);

/// "yolo-compiler X.Y.Z (LLVM/MLIR ..., Halide ...)", and where the
/// runtime sources and Halide's runtime headers are taken from.
std::string versionString();

/// The translation `yolo-translate --emit-halide-plan`: the plan the Halide
/// back end compiles from a lowered module (yolo-opt --yolo-optimize
/// --yolo-lower-to-kernels), as text: the distinct kernels (with their
/// register tiles per target) and each step's views of the arena, the
/// weights and the caller's buffers. yolo-codegen compiles the same plan.
LogicalResult translateToHalidePlan(ModuleOp module, llvm::raw_ostream &os);

} // namespace yolo
} // namespace mlir

#endif // YOLO_TARGET_HALIDE_CODEGEN_H
