//===- TargetInfo.h - what the back end knows of a target -------*- C++ -*-===//
//
// A resolved Halide target string ("x86-64-linux-avx2-fma"), parsed once
// into what the lowering passes and the schedules decide with: the family
// that has schedules, the natural f32 vector, the vector registers. Also
// the register-tile rules of the convolutions (TileRulesX86.cpp,
// TileRulesArm.cpp), so that the tile of a layer can be chosen, printed
// and tested without Halide. Depends on LLVMSupport only.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_TARGET_TARGETINFO_H
#define YOLO_TARGET_TARGETINFO_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace yolo {

/// The target families that have schedules. Code that dispatches on a
/// family switches over all of them with no default, so that a new family
/// is a compile error everywhere it needs a schedule.
enum class TargetFamily { X86, Arm, Cuda };

/// The name of `family` in messages ("x86-64", "arm-64", "cuda").
llvm::StringRef familyName(TargetFamily family);

struct TargetInfo {
  /// As given: already resolved (never "host"), as Halide writes it.
  std::string target;
  /// x86-64 and 64-bit ARM CPUs; CUDA for a 64-bit x86 or ARM host with
  /// the cuda feature (the kernels run on the GPU, the driver on the host).
  TargetFamily family = TargetFamily::X86;
  /// f32 lanes of the natural vector, as Halide's
  /// Target::natural_vector_size<float>() gives them: 16 with any AVX-512
  /// feature, 8 with AVX or AVX2, 4 otherwise (SSE); on ARM 4 (NEON), or
  /// vector_bits / 32 with SVE/SVE2 and vector_bits. For CUDA those of the
  /// host part (the GPU schedules do not use them).
  int vectorLanes = 4;
  /// Vector registers the register tiles may fill: on x86 32 when the
  /// target has Halide's plain "avx512" feature word, 16 otherwise; 32 on
  /// ARM64 (NEON's v0-v31).
  int vectorRegisters = 16;
  /// AVX-512 targets: whether a 512-bit FMA issues as often as a 256-bit
  /// one (two per cycle on Zen 5 server parts and on Xeons with two FMA
  /// units), so that 16-lane vectors do twice the work of 8-lane ones, or
  /// runs as two 256-bit halves (Zen 4: "tune_znver4", or "avx512_zen4"
  /// without "avx512_zen5" or "tune_znver5"), so that both widths reach
  /// the same peak. The register tiles differ (TileRulesX86.cpp,
  /// Winograd.cpp). parse() sets it from the feature words;
  /// setAvx512FmaRate overrides it, and yolo-codegen measures it for
  /// "host" (measureAvx512FmaRatio).
  bool wideFmaFullRate = true;
  /// The feature words after ARCH-BITS-OS, in the order given
  /// ("avx2", "fma", "cuda", "cuda_capability_50", "vector_bits_256", ...).
  std::vector<std::string> features;

  bool hasFeature(llvm::StringRef feature) const;

  /// Parses a resolved Halide target string. Fails, with `error` naming
  /// the target and listing the families we schedule, for a target of a
  /// family we have no schedules for (riscv, wasm, powerpc, hexagon,
  /// 32-bit, GPU APIs other than CUDA, ...) and for a string that is not
  /// ARCH-BITS-OS[-FEATURE...].
  static std::optional<TargetInfo> parse(llvm::StringRef target,
                                         std::string &error);
};

/// What the choice of a convolution's register tile depends on.
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
/// `channels` output channels. All zero where a schedule has no register
/// tile (CUDA).
struct ConvTile {
  int lanes = 0, vectors = 0, channels = 0;
  bool operator==(const ConvTile &o) const {
    return lanes == o.lanes && vectors == o.vectors && channels == o.channels;
  }
  bool operator!=(const ConvTile &o) const { return !(*this == o); }
};

/// The register tile of a convolution layer for `target`: the x86 rules
/// (TileRulesX86.cpp; YOLO_CONV_TILE=LANESxVECTORSxCHANNELS overrides them,
/// for bench/conv_tiles.py) or the ARM64 NEON rules (TileRulesArm.cpp); for
/// CUDA {0, 0, 0}, its schedule has no register tile.
ConvTile chooseConvTile(const ConvShape &shape, const TargetInfo &target);

/// B of the weights in blocks of output channels (--yolo-channel-blocks)
/// that `target`'s blocked kernel takes: two vectors, 32 on x86-64 with
/// AVX-512 (16 lanes, 32 registers), 16 on x86-64 with AVX2 (8 lanes, 16
/// registers); 0 where it has no such kernel (TileRulesX86.cpp).
int channelBlockFor(const TargetInfo &target);

/// The register tile of a convolution whose weights are in blocks of
/// output channels (--yolo-channel-blocks): [lanes, vectors of output
/// channels, output pixels along W] (TileRulesX86.cpp; {0, 0, 0} where
/// channelBlockFor is 0).
ConvTile chooseBlockedConvTile(const ConvShape &shape,
                               const TargetInfo &target);

/// Sets `info.wideFmaFullRate` from `rate`: "auto" (what parse() derived
/// from the feature words), "full" or "half". False, with `info` unchanged,
/// for any other word.
bool setAvx512FmaRate(TargetInfo &info, llvm::StringRef rate);

/// On an x86 CPU with AVX-512F and FMA (this one, at run time): the fp32
/// FLOPs per second of 512-bit FMAs divided by those of 256-bit FMAs: 2.0
/// on a Zen 5 whose 512-bit FMAs issue as often as 256-bit ones, about 1
/// where they run as two halves. Takes about 5 ms. Nothing elsewhere.
std::optional<double> measureAvx512FmaRatio();

/// The x86 rules for a target with `lanes` f32 lanes and `registers`
/// vector registers; `wideFullRate`: TargetInfo::wideFmaFullRate.
ConvTile chooseConvTileX86(const ConvShape &shape, int lanes, int registers,
                           bool wideFullRate = true);

/// NEON's rules for vectors of `lanes` f32 lanes.
ConvTile chooseConvTileArm(const ConvShape &shape, int lanes);

} // namespace yolo
} // namespace mlir

#endif // YOLO_TARGET_TARGETINFO_H
