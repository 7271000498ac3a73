//===- Emit.h - a planned model to a library, a runner, a module -*- C++
//-*-===//
//
// The last step of code generation: from a ModelPlan (and the kernel
// objects the Halide step compiled), writes the per-model files (NAME.h,
// the driver's table NAME_model.h, the weights), compiles them with the
// fixed C of runtime/ (model_driver.c, yolo_run.c, yolo_detect.c,
// yolo_module.c), and archives or links what --emit asks for. Private to
// lib/Target/Halide.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_EMIT_H
#define YOLO_LIB_TARGET_HALIDE_EMIT_H

#include "ModelPlan.h"
#include "Targets.h"

#include "mlir/Support/LLVM.h"
#include "mlir/Support/LogicalResult.h"
#include "yolo/Target/Halide/Codegen.h"

#include <string>
#include <vector>

namespace mlir {
namespace yolo {

/// The runtime sources (runtime/: include/, src/, tools/, python/): the
/// installed copy next to an installed yolo-codegen, else this build's
/// source tree.
std::string installedRuntimeDir();

/// HalideRuntime*.h: installed, or the Halide this build used.
std::string halideRuntimeIncludeDir();

/// Builds what `opts` asks for, in `opts.outputDir` (a staging folder);
/// messages name the files by where they end up, in `finalDir`. Errors go
/// to `error`.
class Emitter {
public:
  /// `variants` are the resolved --target entries (the baseline last),
  /// filled in before selectToolchain.
  Emitter(const CodegenOptions &opts,
          const std::vector<ResolvedTarget> &variants, std::string finalDir,
          std::string &error);

  /// Chooses the target's C compiler and archiver; fails, before anything
  /// is compiled, when one is not on PATH.
  LogicalResult selectToolchain();

  /// The C symbol of kernel `k` of variant `v`, and its object file (in
  /// the staging folder), where the kernel compiler puts it.
  std::string kernelSymbol(size_t v, size_t k) const;
  std::string kernelObject(size_t v, size_t k) const;

  /// The model library, its header and whatever else the options ask for
  /// (runner, detector, python module, NAME.pc), from `plan` and the
  /// kernel objects.
  LogicalResult emitModel(const ModelPlan &plan);

  /// libyolo_runtime.a and libyolo_image.a with their headers
  /// (generateRuntime).
  LogicalResult emitRuntime();

  /// What the user asked for, in the staging folder.
  const std::vector<std::string> &outputs() const { return deliverables; }

private:
  bool multi() const { return variants.size() > 1; }
  bool cuda() const;
  std::string path(StringRef file) const;
  std::string shown(StringRef file) const;
  /// The resolved targets, comma-separated (NAME_TARGET).
  std::string targetList() const;
  LogicalResult write(StringRef file, StringRef text);
  /// Runs `argv`; with `out`, returns its standard output there.
  bool runTool(ArrayRef<std::string> argv, std::string *out = nullptr);
  bool compileC(const std::string &src, const std::string &obj,
                ArrayRef<std::string> flags = {});
  LogicalResult compileRuntimeSources(std::vector<std::string> &core,
                                      std::vector<std::string> &image,
                                      bool withImage);
  std::string header(const ModelPlan &plan) const;
  LogicalResult driverTable(const ModelPlan &plan, std::string &table);
  std::string modelGlue(const ModelPlan &plan, StringRef suffix) const;
  LogicalResult buildRunner(const ModelPlan &plan,
                            ArrayRef<std::string> linkWith);
  LogicalResult buildDetector(const ModelPlan &plan,
                              ArrayRef<std::string> image,
                              ArrayRef<std::string> linkWith);
  LogicalResult buildPythonModule(const ModelPlan &plan,
                                  ArrayRef<std::string> model,
                                  ArrayRef<std::string> core,
                                  ArrayRef<std::string> image);
  LogicalResult writePkgConfig();

  const CodegenOptions &opts;
  const std::vector<ResolvedTarget> &variants;
  std::string finalDir;
  std::string &error;
  std::string cc, ar; // the target's C compiler and archiver
  /// The runtime sources: YOLO_RUNTIME_DIR, else the installed copy, else
  /// this build's source tree (found once).
  std::string runtimeDir;
  std::vector<std::string> deliverables;
};

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_EMIT_H
