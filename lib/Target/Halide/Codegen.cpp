//===- Codegen.cpp - yolo graphs to standalone Halide libraries -----------===//
//
// Turns an optimized `func.func @main` into a static library:
//  1. lowering (lib/Lowering, yolo-opt --yolo-lower-to-kernels): every
//     back-end decision as IR - caller-buffer outputs and in-place concat
//     (memref views), each convolution's algorithm and register tile per
//     target, the scratch arena's layout;
//  2. translation (PlanFromKernels.cpp): the lowered IR as plain data, a
//     ModelPlan, with no decision of its own;
//  3. kernels: one Halide pipeline per distinct KernelDesc and variant,
//     compiled in parallel processes (Kernels.cpp, Algorithms/,
//     Schedules/);
//  4. emission (Emit.cpp): the plan becomes the tables of the C driver
//     (runtime/src/model_driver.c), the weights as one embedded blob, a
//     header, and the archive.
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/Halide/Codegen.h"
#include "yolo/Lowering/Passes.h"

#include "Emit.h"
#include "Kernels.h"
#include "ModelPlan.h"
#include "PlanFromKernels.h"
#include "Targets.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <fstream>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::yolo;
using llvm::SmallVector;
using llvm::StringRef;

namespace {

/// Collects the first error MLIR reports while the lowering runs, in the
/// form yolo-codegen's messages have: "'OP' ('NODE'): what".
class FirstError {
public:
  FirstError(MLIRContext *ctx, std::string &error)
      : error(error),
        handler(ctx, [this](Diagnostic &diag) { return record(diag); }) {}

private:
  LogicalResult record(Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Error)
      return success(); // notes and remarks: swallowed with their error
    if (!error.empty())
      return success();
    std::string message = diag.str();
    std::string where = locationName(diag.getLocation());
    // "'yolo.x' op what" -> "'yolo.x' ('node'): what".
    StringRef m(message);
    size_t quote = m.starts_with("'") ? m.find("' op ") : StringRef::npos;
    if (quote != StringRef::npos)
      error = m.take_front(quote + 1).str() +
              (where.empty() ? "" : " ('" + where + "')") + ": " +
              m.drop_front(quote + 5).str();
    else
      error = (where.empty() ? "" : "'" + where + "': ") + message;
    return success();
  }

  std::string &error;
  ScopedDiagnosticHandler handler;
};

class Generator {
public:
  /// Everything is written into `options.outputDir` (a staging folder);
  /// messages name the files by where they end up, in `finalDir`.
  Generator(const CodegenOptions &options, std::string finalDir)
      : opts(options), emitter(options, variants, std::move(finalDir), error) {}
  LogicalResult run(ModuleOp module);
  /// generateRuntime: the runtime libraries alone.
  LogicalResult runRuntimeOnly();
  std::string error;
  const std::vector<std::string> &outputs() const { return emitter.outputs(); }

private:
  /// The lowering pipeline (yolo-lower-to-kernels) for the variants'
  /// targets, then the translation of its result to `plan`.
  LogicalResult lower(ModuleOp module);
  std::string avx512FmaRate() const;
  void alignX86Loops() const;
  LogicalResult compileKernels();
  std::string path(StringRef file) const;

  const CodegenOptions &opts;
  /// What the lowered IR says: kernels, steps on views, weights, arena.
  ModelPlan plan;
  /// The resolved --target entries: one, or a multi-target list whose
  /// last entry is the baseline.
  std::vector<ResolvedTarget> variants;
  /// Writes and builds everything but the kernels.
  Emitter emitter;
  bool multi() const { return variants.size() > 1; }
  /// The C symbol of kernel `k` of variant `v`.
  std::string kernelSymbol(size_t v, size_t k) const {
    return emitter.kernelSymbol(v, k);
  }
  /// Its object file (in the staging folder).
  std::string kernelObject(size_t v, size_t k) const {
    return emitter.kernelObject(v, k);
  }
};

std::string Generator::path(StringRef file) const {
  SmallVector<char> p(opts.outputDir.begin(), opts.outputDir.end());
  llvm::sys::path::append(p, file);
  return std::string(p.begin(), p.end());
}

/// --avx512-fma as the lowering takes it. Under auto, measured on this CPU
/// (a ratio of 1.5 or more, halfway between the 1.0 of half-rate CPUs and
/// the 2.0 measured on a full-rate Zen 5: full) when every AVX-512 variant
/// comes from a "host" entry of --target; otherwise auto, which the lowering
/// reads off each target's feature words. (One value serves every
/// variant, so a list that also names an AVX-512 target is not measured.)
std::string Generator::avx512FmaRate() const {
  if (opts.avx512Fma != "auto")
    return opts.avx512Fma;
  bool anyHost = false;
  for (const ResolvedTarget &v : variants) {
    if (v.info.family != TargetFamily::X86 || v.info.vectorRegisters < 32)
      continue;
    if (!v.host)
      return "auto";
    anyHost = true;
  }
  if (!anyHost)
    return "auto";
  std::optional<double> ratio = measureAvx512FmaRatio();
  if (!ratio)
    return "auto";
  bool full = *ratio >= 1.5;
  if (opts.verbose)
    llvm::errs() << "yolo-codegen: this CPU's 512-bit FMAs issue at "
                 << (full ? "full" : "half") << " rate ("
                 << llvm::format("%.2f", *ratio)
                 << "x the FLOPs of 256-bit ones; --avx512-fma=full|half "
                    "overrides)\n";
  return full ? "full" : "half";
}

/// x86 kernels get their functions and loop heads (blocks not entered by
/// fall-through) aligned to 64 bytes: LLVM's default, 16, leaves a hot
/// loop's place within the 64-byte fetch blocks and the op cache to where
/// the linker happens to put the kernel, and that moved with unrelated
/// changes. gelan-t 640's 24 -> 24 3x3 layers at 40x40 (one kernel, the
/// same object file) took 0.140 or 0.088 ms per call depending on the
/// other kernels around it; aligned, 0.088 (AMD EPYC Zen 5 VM, one thread,
/// bench/profile.py; the whole model 42.1 -> 38.3 ms; the library 1.4 %
/// larger). Through Halide's HL_LLVM_ARGS, which Halide reads once per
/// process when it first sets up LLVM: here in each forked kernel process,
/// since nothing in this process has compiled with Halide before
/// compileKernels (a Halide compile moved before this call would make the
/// children inherit an LLVM set up without it). A value the user set is
/// left alone (appending could repeat an option, which LLVM refuses).
void Generator::alignX86Loops() const {
  bool x86 = llvm::any_of(variants, [](const ResolvedTarget &v) {
    return v.info.family == TargetFamily::X86;
  });
  if (x86 && !getenv("HL_LLVM_ARGS"))
    setenv("HL_LLVM_ARGS",
           "-align-all-functions=6 -align-all-nofallthru-blocks=6", 1);
}

LogicalResult Generator::lower(ModuleOp module) {
  std::vector<std::string> targets;
  for (const ResolvedTarget &v : variants)
    targets.push_back(v.target);
  FirstError capture(module.getContext(), error);
  auto func = module.lookupSymbol<func::FuncOp>("main");
  // Already lowered (yolo-opt --yolo-lower-to-kernels): only for the
  // targets it was lowered for, whose tiles it holds.
  if (func && func->hasAttr(ykernel::kArenaSizeAttr)) {
    if (opts.verbose && opts.avx512Fma != "auto")
      llvm::errs() << "yolo-codegen: note: --avx512-fma=" << opts.avx512Fma
                   << " has no effect on a module already lowered (its "
                      "tiles are in it)\n";
    if (opts.verbose && opts.bands)
      llvm::errs() << "yolo-codegen: note: --bands has no effect on a module "
                      "already lowered (lower it with "
                      "--yolo-lower-to-kernels=\"... bands=true\")\n";
    if (opts.verbose && !opts.channelBlocks)
      llvm::errs() << "yolo-codegen: note: --channel-blocks=false has no "
                      "effect on a module already lowered (lower it with "
                      "--yolo-lower-to-kernels=\"... channel-blocks=false\")\n";
    if (opts.verbose && opts.fuseResidual != "auto")
      llvm::errs() << "yolo-codegen: note: --fuse-residual="
                   << opts.fuseResidual
                   << " has no effect on a module already lowered (lower it "
                      "with --yolo-lower-to-kernels=\"... fuse-residual="
                   << opts.fuseResidual << "\")\n";
    auto recorded = func->getAttrOfType<ArrayAttr>(ykernel::kTargetsAttr);
    std::vector<std::string> lowered;
    if (recorded)
      for (Attribute a : recorded)
        lowered.push_back(cast<StringAttr>(a).getValue().str());
    if (lowered != targets) {
      auto join = [](const std::vector<std::string> &l) {
        std::string s;
        for (const std::string &t : l)
          s += (s.empty() ? "" : ",") + t;
        return s.empty() ? std::string("(none)") : s;
      };
      error =
          "the module was lowered for targets " + join(lowered) +
          ", but --target resolves to " + join(targets) +
          ": lower it again with yolo-opt --yolo-lower-to-kernels=\"targets=" +
          join(targets) + "\", or give the unlowered model";
      return failure();
    }
  } else {
    if (opts.verbose && opts.bands &&
        llvm::any_of(variants, [](const ResolvedTarget &v) { return v.gpu; }))
      llvm::errs() << "yolo-codegen: note: --bands applies to CPU-only "
                      "libraries; this one has a CUDA variant, so its "
                      "kernels stay whole\n";
    PassManager pm(module.getContext());
    buildLowerToKernelsPipeline(
        pm, targets, opts.winograd, opts.winogradWeightGrowth,
        opts.winogradRuntimeWeights, avx512FmaRate(), opts.bands,
        opts.channelBlocks, opts.fuseResidual);
    if (failed(pm.run(module))) {
      if (error.empty())
        error = "lowering to kernels failed";
      return failure();
    }
  }
  if (failed(planFromKernels(module, plan))) {
    if (error.empty())
      error = "the lowered module cannot be compiled";
    return failure();
  }
  return success();
}

/// Compiles every distinct kernel for every variant, `jobs` processes at a
/// time, printing a line per kernel.
LogicalResult Generator::compileKernels() {
  using Clock = std::chrono::steady_clock;
  size_t total = plan.kernels.size() * variants.size();
  std::map<pid_t, std::pair<size_t, Clock::time_point>> running;
  size_t next = 0, finished = 0;
  bool failedAny = false;
  // Task t is kernel t % plan.kernels.size() of variant t /
  // plan.kernels.size().
  auto label = [&](size_t t) {
    size_t v = t / plan.kernels.size(), k = t % plan.kernels.size();
    return (multi() ? "v" + std::to_string(v) + " " : std::string()) + "k" +
           std::to_string(k);
  };
  auto errFile = [&](size_t t) {
    return path("task" + std::to_string(t) + ".err");
  };
  auto reap = [&]() {
    int status = 0;
    pid_t pid = wait(&status);
    if (pid <= 0)
      return;
    auto [t, start] = running[pid];
    running.erase(pid);
    ++finished;
    size_t v = t / plan.kernels.size(), k = t % plan.kernels.size();
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
      failedAny = true;
      std::ifstream err(errFile(t));
      std::string msg((std::istreambuf_iterator<char>(err)),
                      std::istreambuf_iterator<char>());
      if (error.empty())
        error = "kernel " + describe(plan.kernels[k]) +
                (multi() ? " for target '" + variants[v].target + "'" : "") +
                ": " + (msg.empty() ? "compilation crashed" : msg);
    }
    if (opts.verbose)
      llvm::errs() << llvm::format("[%3zu/%zu] ", finished, total) << label(t)
                   << " " << describe(plan.kernels[k])
                   << llvm::format(" (%.1f s)%s\n", secs, ok ? "" : " FAILED");
  };
  while (next < total || !running.empty()) {
    if (next < total && !failedAny &&
        running.size() < static_cast<size_t>(std::max(1, opts.jobs))) {
      size_t t = next++;
      size_t v = t / plan.kernels.size(), k = t % plan.kernels.size();
      llvm::errs().flush();
      pid_t pid = fork();
      if (pid == 0) {
        std::string err;
        bool ok = compileKernel(plan.kernels[k], v, variants[v].info,
                                kernelObject(v, k), kernelSymbol(v, k), err);
        if (!ok) {
          std::ofstream(errFile(t)) << err;
          _exit(1);
        }
        _exit(0);
      }
      if (pid < 0)
        return error = "fork failed", failure();
      running[pid] = {t, Clock::now()};
      continue;
    }
    if (running.empty())
      break;
    reap();
  }
  return failure(failedAny);
}

LogicalResult Generator::run(ModuleOp module) {
  std::vector<std::string> notes;
  if (!resolveTargets(opts.target, variants, notes, error))
    return failure();
  if (opts.verbose)
    for (const std::string &note : notes)
      llvm::errs() << "yolo-codegen: note: " << note << "\n";
  if (failed(emitter.selectToolchain()) || failed(lower(module)))
    return failure();
  if (opts.verbose && multi()) {
    llvm::errs() << "yolo-codegen: " << variants.size()
                 << " variants, chosen at run time in this order:";
    for (const ResolvedTarget &v : variants)
      llvm::errs() << " " << v.target;
    llvm::errs() << "\n";
  } else if (opts.verbose && opts.target != variants[0].target) {
    llvm::errs() << "yolo-codegen: target " << opts.target << " is "
                 << variants[0].target << "\n";
  }
  if (opts.verbose)
    llvm::errs() << "yolo-codegen: " << plan.steps.size() << " steps, "
                 << plan.kernels.size() << " distinct kernels, "
                 << llvm::format("%.1f", plan.weights.size() * 4.0 / 1e6)
                 << " MB of weights, "
                 << llvm::format("%.1f", plan.arenaElements * 4.0 / 1e6)
                 << " MB of scratch\n";
  alignX86Loops();
  if (failed(compileKernels()))
    return failure();
  return emitter.emitModel(plan);
}

LogicalResult Generator::runRuntimeOnly() {
  std::vector<std::string> notes;
  if (!resolveTargets(opts.target, variants, notes, error) ||
      failed(emitter.selectToolchain()))
    return failure();
  return emitter.emitRuntime();
}

} // namespace

/// Runs `build` on a Generator writing into a staging folder inside
/// OUTDIR, then moves what the user asked for into place (rename, atomic
/// per file), libraries last: an interrupted or failed run leaves the
/// previous outputs intact and never a truncated library. The
/// intermediates (kernel objects, C sources, the weights blob) are removed
/// with the staging folder, or kept in OUTDIR/NAME.tmp with --keep-temps.
static LogicalResult
staged(const CodegenOptions &options, std::string &error,
       llvm::function_ref<LogicalResult(Generator &)> build) {
  if (std::error_code ec =
          llvm::sys::fs::create_directories(options.outputDir)) {
    error = "cannot create '" + options.outputDir + "': " + ec.message();
    return failure();
  }
  SmallVector<char> stage(options.outputDir.begin(), options.outputDir.end());
  llvm::sys::path::append(stage, "." + options.name + ".partial-" +
                                     std::to_string(::getpid()));
  CodegenOptions stagedOptions = options;
  stagedOptions.outputDir.assign(stage.begin(), stage.end());
  llvm::sys::fs::remove_directories(stagedOptions.outputDir);
  if (std::error_code ec =
          llvm::sys::fs::create_directories(stagedOptions.outputDir)) {
    error = "cannot create '" + stagedOptions.outputDir + "': " + ec.message();
    return failure();
  }
  Generator gen(stagedOptions, options.outputDir);
  if (failed(build(gen))) {
    error = gen.error;
    llvm::sys::fs::remove_directories(stagedOptions.outputDir);
    return failure();
  }
  std::vector<std::string> files, last;
  for (const std::string &file : gen.outputs()) {
    StringRef f(file);
    (f.ends_with(".a") || f.ends_with(".so") || f.ends_with(".o") ? last
                                                                  : files)
        .push_back(file);
  }
  files.insert(files.end(), last.begin(), last.end());
  for (const std::string &file : files) {
    SmallVector<char> from(stage),
        to(options.outputDir.begin(), options.outputDir.end());
    llvm::sys::path::append(from, file);
    llvm::sys::path::append(to, file);
    if (std::error_code rc = llvm::sys::fs::rename(from, to)) {
      error = "cannot move '" + std::string(from.begin(), from.end()) +
              "' into place: " + rc.message();
      llvm::sys::fs::remove_directories(stagedOptions.outputDir);
      return failure();
    }
  }
  if (options.keepTemps) {
    SmallVector<char> temps(options.outputDir.begin(), options.outputDir.end());
    llvm::sys::path::append(temps, options.name + ".tmp");
    std::string tempDir(temps.begin(), temps.end());
    llvm::sys::fs::remove_directories(tempDir);
    if (std::error_code rc =
            llvm::sys::fs::rename(stagedOptions.outputDir, tempDir)) {
      error =
          "cannot keep the intermediates in '" + tempDir + "': " + rc.message();
      llvm::sys::fs::remove_directories(stagedOptions.outputDir);
      return failure();
    }
    if (options.verbose)
      llvm::errs() << "yolo-codegen: intermediates kept in " << tempDir << "\n";
    return success();
  }
  llvm::sys::fs::remove_directories(stagedOptions.outputDir);
  return success();
}

LogicalResult mlir::yolo::generateLibrary(ModuleOp module,
                                          const CodegenOptions &options,
                                          std::string &error) {
  func::FuncOp func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal() || !llvm::hasSingleElement(func.getBody())) {
    error = "expected a module with func.func @main of one block";
    return failure();
  }
  // The lowering rewrites the module: the caller's stays as it was.
  OwningOpRef<ModuleOp> copy = module.clone();
  return staged(options, error, [&](Generator &gen) { return gen.run(*copy); });
}

LogicalResult mlir::yolo::generateRuntime(const CodegenOptions &options,
                                          std::string &error) {
  return staged(options, error,
                [&](Generator &gen) { return gen.runRuntimeOnly(); });
}

std::string mlir::yolo::versionString() {
  return std::string("yolo-compiler ") + YOLO_VERSION_STRING + " (LLVM/MLIR " +
         LLVM_VERSION_STRING + ", Halide " + halideVersion() +
         ")\n  runtime sources: " + installedRuntimeDir() +
         "\n  Halide runtime headers: " + halideRuntimeIncludeDir();
}
