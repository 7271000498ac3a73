//===- Kernels.cpp - kernels compiled with Halide -------------------------===//
//
// Builds a kernel's algorithm (Algorithms/) with the schedule of the
// target's family (Schedules/) and compiles it to an object file.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "Algorithms/Algorithms.h"
#include "Schedules/Schedule.h"

#include "Halide.h"

using namespace Halide;

namespace mlir {
namespace yolo {

const char *halideIncludeDir() { return YOLO_HALIDE_INCLUDE_DIR; }

std::string halideVersion() {
  return std::to_string(HALIDE_VERSION_MAJOR) + "." +
         std::to_string(HALIDE_VERSION_MINOR) + "." +
         std::to_string(HALIDE_VERSION_PATCH);
}

namespace {

/// The schedules of `target`'s family; null for a family without any.
std::unique_ptr<Schedule> scheduleFor(const TargetInfo &target) {
  switch (target.family) {
  case TargetFamily::X86:
    return makeX86Schedule(target);
  case TargetFamily::Arm:
    return makeArmSchedule(target);
  case TargetFamily::Cuda:
    return makeCudaSchedule(target);
  }
  return nullptr;
}

/// Builds the algorithm of each kind of kernel with schedule `s`.
struct Builder {
  Schedule &s;
  Args &args;
  /// The variant being compiled: the convolutions' tile.
  size_t variant;

  Func operator()(const ConvDesc &d) {
    return buildConv(d, d.tiles[variant], s, args);
  }
  Func operator()(const Conv1x1Desc &d) {
    return buildConv1x1(d, d.tiles[variant], s, args);
  }
  Func operator()(const WinogradDesc &d) {
    return buildConvWinograd(d, d.tiles[variant], s, args);
  }
  Func operator()(const ConvTransposeDesc &d) {
    return buildConvTranspose(d, s, args);
  }
  Func operator()(const PoolDesc &d) { return buildPool(d, s, args); }
  Func operator()(const ResizeDesc &d) { return buildResize(d, s, args); }
  Func operator()(const BinaryDesc &d) { return buildBinary(d, s, args); }
  Func operator()(const UnaryDesc &d) { return buildUnary(d, s, args); }
  Func operator()(const CopyDesc &d) { return buildCopy(d, s, args); }
  Func operator()(const PadDesc &d) { return buildPad(d, s, args); }
  Func operator()(const TransposeDesc &d) { return buildTranspose(d, s, args); }
  Func operator()(const SoftmaxDesc &d) { return buildSoftmax(d, s, args); }
  Func operator()(const ReduceSumDesc &d) { return buildReduceSum(d, s, args); }
  Func operator()(const MatMulDesc &d) { return buildMatMul(d, s, args); }
};

/// Runs `compile`, turning what Halide throws into `error`.
template <typename F> bool reportingErrors(std::string &error, F compile) {
  try {
    return compile();
  } catch (const Halide::Error &e) {
    error = std::string("Halide: ") + e.what();
  } catch (const std::exception &e) {
    error = e.what();
  }
  return false;
}

} // namespace

bool compileKernel(const KernelDesc &desc, size_t variant,
                   const TargetInfo &target, const std::string &objectPath,
                   const std::string &fnName, std::string &error) {
  return reportingErrors(error, [&] {
    Target t(target.target);
    t = t.with_feature(Target::NoRuntime).with_feature(Target::UserContext);
    std::unique_ptr<Schedule> schedule = scheduleFor(target);
    if (!schedule) {
      error = "no schedules for the family of target '" + target.target + "'";
      return false;
    }
    const std::vector<ConvTile> *tiles = convTiles(desc);
    if (tiles && variant >= tiles->size()) {
      error = "kernel " + describe(desc) + " has " +
              std::to_string(tiles->size()) +
              " register tiles, none for variant " + std::to_string(variant) +
              " ('" + target.target + "')";
      return false;
    }
    Args args;
    Func out = std::visit(Builder{*schedule, args, variant}, desc);
    Pipeline pipeline(out);
    pipeline.compile_to_object(objectPath, args, fnName, t);
    // Debugging aid: YOLO_KERNEL_STMT=1 writes each kernel's lowered
    // statement next to its object.
    if (getenv("YOLO_KERNEL_STMT"))
      pipeline.compile_to_lowered_stmt(objectPath + ".stmt", args, Text, t);
    return true;
  });
}

bool compileRuntime(const std::string &target, const std::string &objectPath,
                    std::string &error) {
  return reportingErrors(error, [&] {
    compile_standalone_runtime(objectPath, Target(target));
    return true;
  });
}

} // namespace yolo
} // namespace mlir
