//===- TargetInfo.cpp - what the back end knows of a target ---------------===//
//
// Parses the target strings Halide's Target::to_string() writes:
// ARCH-BITS-OS followed by feature words (processor tuning "tune_znver4"
// and "vector_bits_N" among them). The vector sizes follow Halide 21's
// Target::natural_vector_size for f32; unittests/TargetInfoTest.cpp checks
// them against Halide for every target the tests compile for.
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/TargetInfo.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/ErrorHandling.h"

using llvm::StringRef;

namespace mlir {
namespace yolo {

namespace {

/// What the error for a target we cannot schedule ends with.
constexpr const char *kScheduled =
    "the families with schedules are x86-64, arm-64, and cuda (an x86-64 "
    "or arm-64 target with the cuda feature)";

/// Halide's GPU APIs other than CUDA: no schedules for them.
constexpr const char *kOtherGpuApis[] = {"opencl", "metal", "d3d12compute",
                                         "webgpu", "vulkan"};

/// The N of a "vector_bits_N" feature, 0 without one.
int vectorBits(const TargetInfo &info) {
  for (StringRef f : info.features) {
    int bits = 0;
    if (f.consume_front("vector_bits_") && !f.getAsInteger(10, bits))
      return bits;
  }
  return 0;
}

/// Halide's Target::natural_vector_size<float>() for x86.
int x86Lanes(const TargetInfo &info) {
  for (const char *f :
       {"avx512", "avx512_knl", "avx512_skylake", "avx512_cannonlake",
        "avx512_zen4", "avx512_zen5", "avx512_sapphirerapids"})
    if (info.hasFeature(f))
      return 16;
  if (info.hasFeature("avx2") || info.hasFeature("avx"))
    return 8;
  return 4; // SSE
}

/// Halide's Target::natural_vector_size<float>() for ARM.
int armLanes(const TargetInfo &info) {
  int bits = vectorBits(info);
  if (bits && (info.hasFeature("sve2") || info.hasFeature("sve")))
    return bits / 32;
  return 4; // NEON
}

/// Zen 4 runs a 512-bit FMA as two 256-bit halves: tuned for it, or with
/// its AVX-512 feature set and not Zen 5's.
bool zen4Fma(const TargetInfo &info) {
  return info.hasFeature("tune_znver4") ||
         (info.hasFeature("avx512_zen4") && !info.hasFeature("avx512_zen5") &&
          !info.hasFeature("tune_znver5"));
}

} // namespace

StringRef familyName(TargetFamily family) {
  switch (family) {
  case TargetFamily::X86:
    return "x86-64";
  case TargetFamily::Arm:
    return "arm-64";
  case TargetFamily::Cuda:
    return "cuda";
  }
  llvm_unreachable("unknown target family");
}

bool TargetInfo::hasFeature(StringRef feature) const {
  return llvm::is_contained(features, feature);
}

std::optional<TargetInfo> TargetInfo::parse(StringRef target,
                                            std::string &error) {
  llvm::SmallVector<StringRef> parts;
  target.split(parts, '-');
  if (parts.front() == "host") {
    error = "target '" + target.str() +
            "' is not resolved: 'host' stands for the CPU the compiler runs "
            "on, resolve it first";
    return std::nullopt;
  }
  int bits = 0;
  if (parts.size() < 3 || parts[1].getAsInteger(10, bits) ||
      llvm::any_of(parts, [](StringRef p) { return p.empty(); })) {
    error = "'" + target.str() +
            "' is not a resolved Halide target string "
            "(ARCH-BITS-OS[-FEATURE...])";
    return std::nullopt;
  }
  TargetInfo info;
  info.target = target.str();
  for (StringRef f : llvm::ArrayRef<StringRef>(parts).drop_front(3))
    info.features.push_back(f.str());
  StringRef arch = parts[0];
  if ((arch != "x86" && arch != "arm") || bits != 64) {
    error = "target '" + info.target + "' is of the " + arch.str() + "-" +
            parts[1].str() + " family, which has no schedules; " + kScheduled;
    return std::nullopt;
  }
  for (const char *api : kOtherGpuApis)
    if (info.hasFeature(api)) {
      error = "target '" + info.target + "' asks for " + api +
              ", a GPU API with no schedules; " + kScheduled;
      return std::nullopt;
    }
  bool x86 = arch == "x86";
  info.family = info.hasFeature("cuda") ? TargetFamily::Cuda
                : x86                   ? TargetFamily::X86
                                        : TargetFamily::Arm;
  info.vectorLanes = x86 ? x86Lanes(info) : armLanes(info);
  info.vectorRegisters = !x86 || info.hasFeature("avx512") ? 32 : 16;
  info.wideFmaFullRate = !zen4Fma(info);
  return info;
}

bool setAvx512FmaRate(TargetInfo &info, StringRef rate) {
  if (rate == "auto")
    info.wideFmaFullRate = !zen4Fma(info);
  else if (rate == "full" || rate == "half")
    info.wideFmaFullRate = rate == "full";
  else
    return false;
  return true;
}

ConvTile chooseConvTile(const ConvShape &shape, const TargetInfo &target) {
  switch (target.family) {
  case TargetFamily::X86:
    return chooseConvTileX86(shape, target.vectorLanes, target.vectorRegisters,
                             target.wideFmaFullRate);
  case TargetFamily::Arm:
    return chooseConvTileArm(shape, target.vectorLanes);
  case TargetFamily::Cuda:
    return ConvTile{};
  }
  llvm_unreachable("unknown target family");
}

} // namespace yolo
} // namespace mlir
