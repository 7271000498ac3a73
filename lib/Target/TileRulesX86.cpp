//===- TileRulesX86.cpp - x86 register tiles of the convolutions ----------===//
//
// Convolutions, where nearly all the time goes, use a register tile of a
// few vectors along W (or along H*W for 1x1 convolutions) by several output
// channels, chosen per layer from measured rules (bench/conv_tiles.py): per
// reduction step the tile's input vectors and broadcast weights feed
// vectors x channels FMAs. The loop structure around the tile is in
// lib/Target/Halide/Schedules/X86.cpp.
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/TargetInfo.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace mlir {
namespace yolo {

namespace {

int largestDivisorAtMost(int n, int cap) {
  for (int d = std::min(n, cap); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

} // namespace

/// Chooses the register tile. The rules come from sweeping tile shapes
/// over the layer shapes of the YOLOv9 family, on the machine of each kind.
///
/// AVX-512 with full-rate 512-bit FMAs (AMD EPYC Zen 5 VM, 2 x 512-bit FMA
/// per cycle: 238 GFLOP/s per core by bench/fma_peak.c, 124 with 256-bit
/// vectors). gelan-c 640 compiled once per tile (YOLO_CONV_TILE, every
/// layer), per-layer medians of 6 runs on one thread in the whole model
/// (bench/profile.py --save-profiles), 17 tiles of 16 lanes:
/// - 8-lane vectors would halve the peak, so every tile is of 16 lanes.
/// - 5 vectors by 4 channels (20 accumulators; 5 loads and 4 broadcasts per
///   20 FMAs) was the fastest or within 3 % of it on every 1x1 layer and on
///   the 2-D layers whose rows 80 divides: the 1x1 layers summed 199 ms
///   (16x5x4) against 212-226 for 16x3x8, 16x2x8, 16x4x6 and 271 for the
///   former 16 x 1 x 16 (1024 -> 512 at 40x40: 29.8 ms against 53.8);
///   stride 2, 128 -> 128 at 80x80: 10.1 ms against 12.3 (16x1x16).
/// - a stem of 16 output channels (3 input channels) takes 2 vectors by 8
///   channels (below).
/// - rows 80 does not divide (40, 20 wide) take as many vectors as cover
///   the row, the lanes past it masked, by 8 channels: 256 -> 256 stride 2
///   at 40x40 10.4 ms (16x3x8) against 11.2 (16x5x4) and 13.4 (16x1x16);
///   at 20x20 7.0 (16x3x8; 16x2x8 7.2) against 8.3 and 9.7. Other widths
///   (other input sizes; not measured) take the vector count that computes
///   the fewest lanes.
///
/// AVX-512 whose 512-bit FMAs run as two halves (the earlier AMD EPYC VM,
/// 117 GFLOP/s per core with 512- or 256-bit vectors; bench/conv_tiles.py,
/// CPU time of each layer alone on one thread):
/// - a 512-bit FMA issues once per cycle there, two 256-bit ones do the same
///   work, so 8-lane vectors cost no peak and halve the waste of rows that
///   16 lanes do not divide: 40-wide rows go from 91 to 112 GFLOP/s with
///   5 x 8-lane vectors by 4 channels, 20-wide rows from 70 to 91 with a
///   24-wide tile (3 vectors, the last 4 lanes masked) by 8 channels. Wide
///   3x3 stride-1 layers gain as well (256 channels at 80x80: 108 -> 117).
/// - strided layers load two vectors and deinterleave for every input
///   vector, so they keep one 16-lane vector by 16 channels (95 against 81).
/// - the flattened 1x1 kernel keeps one x tile of its input (cin rows of
///   the tile's width) in L1 while all output channels pass over it; past
///   512 input channels that no longer fits and the tile turns into 3
///   vectors by 8 channels (1024 -> 256 at 80x80: 46 -> 93 GFLOP/s,
///   1024 -> 512 at 40x40: 50 -> 101); below, one vector by 16 channels.
/// Checked again in the whole model on an AMD EPYC Zen 4 VM (family 25
/// model 17, 117 GFLOP/s a core), gelan-c 640 compiled once per tile for
/// every layer (YOLO_CONV_TILE), two rounds of alternating runs
/// (bench/profile.py), sums of per-step medians: the 1x1 layers took
/// 315.4 / 315.4 ms at 1 thread with these rules, 312.9 / 341.2 with
/// 16 x 5 x 4, 317.3 / 325.3 with 8 x 5 x 4, 327.5 / 337.1 with 16 x 2 x 8
/// and 331.1 / 366.6 with 16 x 3 x 8 (2 threads: 159.2 / 166.0 against
/// 161.6-173.7 / 166.8-174.1); the stride-2 layers 102.0 / 102.5 against
/// 103.6-131.3.
///
/// AVX2: sixteen registers hold the accumulators, the input vectors and a
/// broadcast register: 2-D layers take 2 vectors by 6 channels (5 by 2 for
/// 40-wide rows), 1x1 layers 3 by 4; the former 2 x 8 tile spilled
/// (256 channels at 40x40: 47 -> 96-108 GFLOP/s with the AVX2 target).
/// Checked again with the AVX2 target (x86-64-linux-avx2-fma) on the Zen 4
/// VM, whose 256-bit FMAs have the full peak: every direct convolution at
/// one tile (YOLO_CONV_TILE), one thread, rounds of alternating runs, sums
/// of per-step medians (bench/profile.py; bench/README.md, session 23):
/// - gelan-t 640, 4 rounds, 1x1 / 3x3 stride 1 / stride 2: these rules
///   19.3 / 9.9 / 13.5 ms; 8 x 5 x 2 20.0 / 9.8 / 14.3; 8 x 2 x 6 20.6 /
///   11.1 / 14.5; 8 x 6 x 2 35.4 / 14.9 / 25.4; 8 x 4 x 3 35.2 / 44.3 /
///   30.0 (spills).
/// - gelan-c 640, 3 rounds: these rules 1x1 321-325, stride 2 109-110;
///   8 x 2 x 6 327 and 116; 8 x 5 x 2 330 and 123.
/// Checked on an AVX2-only CPU (AMD EPYC Zen 2 VM, family 23 model 49;
/// bench/README.md, session 40), gelan-c 640 the same way, one thread, 1x1
/// / stride-2 sums: these rules 374.3 / 121.7 ms; 8 x 2 x 6 368.4 / 117.8;
/// 8 x 5 x 2 382.7 / 141.2; 8 x 3 x 3 423.8 / 130.7; 8 x 2 x 4 441.3 /
/// 125.0; 8 x 1 x 8 458.9 / 136.0; 8 x 4 x 2 459.4 / 148.5. Two more
/// rounds of these rules against 8 x 2 x 6: 374.1 / 120.8 against 363.8 /
/// 118.7, 368.9 / 119.5 against 368.4 / 116.6; at two threads no
/// difference (1x1 192.0 / 189.9 against 190.6 / 192.3). Not changed:
/// 8 x 2 x 6 gains 1-2 % at one thread only, in layers over 160x160 whose
/// times also move with the model around them (gelan-t 640's 1x1 layers
/// over 160x160 lost with it: 2.92 -> 3.43 ms).
ConvTile chooseConvTileX86(const ConvShape &c, int natural, int registers,
                           bool wideFullRate) {
  auto clampC = [&](ConvTile t) {
    t.channels = std::min(t.channels, c.channels);
    return t;
  };
  if (const char *e = getenv("YOLO_CONV_TILE")) {
    ConvTile t{};
    if (sscanf(e, "%dx%dx%d", &t.lanes, &t.vectors, &t.channels) == 3)
      return clampC(t);
  }
  int x = c.extentX;
  if (registers < 32) {
    // AVX2 stride-2 layers (not a stem of 4 or fewer input channels): 3
    // vectors by 4 channels. On rows of 160 (the ones --yolo-channel-blocks
    // leaves row-vectorized at a 640 input), one thread, per-step medians
    // of 20 / 6 runs, the better of two rounds (Zen 4 VM, AVX2 target;
    // bench/README.md, session 34): gelan-t 640's 16 -> 32 3.05 ms against
    // 3.38 with 2 x 6 (3.18 with 2 x 4, 3.23 with 5 x 2, 3.48 with 1 x 8),
    // gelan-c 640's 64 -> 128 41.8 against 43.8. The stems stay: gelan-t's
    // 2.13 against 2.19, gelan-c's 7.57 against 7.32. Then this rule
    // against 2 x 6 (3 / 2 rounds), 1 / 2 threads: gelan-t's 16 -> 32
    // 3.26 / 1.56 -> 3.04 / 1.48 ms, gelan-c's 64 -> 128 43.0 / 21.7 ->
    // 41.5 / 20.9, outputs bit-identical.
    if (natural == 8 && !c.flat && c.stride == 2 && c.inputChannels > 4 &&
        x >= 3 * natural)
      return clampC({natural, 3, 4});
    if (!c.flat && x % (2 * natural) == 0)
      return clampC({natural, 2, 6});
    if (!c.flat && x % (5 * natural) == 0)
      return clampC({natural, 5, 2});
    int v = x >= 3 * natural ? 3 : std::max(1, (x + natural - 1) / natural);
    return clampC({natural, v, v == 3 ? 4 : 8});
  }
  if (wideFullRate) {
    // A stem of at most 16 output channels from an image (4 or fewer input
    // channels: 27 FMAs per output): 2 vectors by 8 channels. gelan-t
    // 640's 3 -> 16 stem, whole model, two rounds of alternating runs (one
    // thread): 1.25 / 1.21 ms with 5 x 4, 0.99 / 0.96 with 2 x 8, 1.00 /
    // 1.00 with 3 x 8, 1.05 / 1.03 with 1 x 8, 1.08 / 1.08 with 1 x 16,
    // 1.15 / 1.19 with 2 x 4. gelan-c's 3 -> 64 stem keeps 5 x 4 (4.03 /
    // 3.96 ms; 5.38 / 5.60 with 2 x 8). At a 320 input (rows of 160) the
    // rule is the same, not measured.
    if (!c.flat && c.inputChannels <= 4 && c.channels <= 16 && x >= 2 * natural)
      return clampC({natural, 2, 8});
    // 1 to 5 vectors, whichever computes the fewest lanes for the row (a
    // tile wider than the row computes the vectors that exist; otherwise
    // the last tile shifts inwards), then the most vectors doing work,
    // then the fewest: 5 for the widths 80 divides (every layer of a 640
    // input), 3 for 40, 2 for 20, 4 for 64 (a 512 input), 1 below 16.
    // Channels fill 16-24 accumulators.
    int best = 1;
    int64_t bestLanes = INT64_MAX;
    int bestWorking = 0;
    for (int v = 1; v <= 5; ++v) {
      int64_t tile = int64_t(v) * natural;
      int64_t lanes = x >= tile ? (x + tile - 1) / tile * tile
                                : (x + natural - 1) / natural * natural;
      int working =
          static_cast<int>(std::min<int64_t>(v, (x + natural - 1) / natural));
      if (lanes < bestLanes || (lanes == bestLanes && working > bestWorking)) {
        best = v;
        bestLanes = lanes;
        bestWorking = working;
      }
    }
    static const int channelsFor[] = {0, 16, 8, 8, 5, 4};
    return clampC({natural, best, channelsFor[best]});
  }
  int half = natural / 2;
  bool divides = x % natural == 0;
  if (half >= 4 && c.stride == 1 && !c.flat && x % half == 0)
    return clampC({half, largestDivisorAtMost(x / half, 5), 4});
  if (half >= 4 && !divides && x < 2 * natural)
    return clampC({half, (x + half - 1) / half, 8});
  // One x tile of the flattened kernel reads `cin` input rows: past 512
  // channels (32 KB for 16 floats) it no longer fits L1 next to the weights.
  if (c.flat && c.inputChannels > 512)
    return clampC({natural, 3, 8});
  return clampC({natural, 1, 16});
}

/// Weights in blocks of output channels: 2 vectors of output channels by
/// a few output pixels along W. Rows the pixel count does not divide take
/// the largest divisor of the row in a range around it, else that count
/// (the last tile shifts inwards), and narrower rows the whole row. None
/// (lanes 0) for other targets: --yolo-channel-blocks lays out none for
/// them.
/// - AVX-512 (32 registers): 2 vectors of 16 output channels by 10 pixels
///   (20 accumulators, 2 loads and 10 broadcasts per 20 FMAs), divisors
///   from 6 to 12, the tile measured (bench/README.md, session 26; the
///   pass's description in include/yolo/Lowering/Passes.td).
/// - AVX2 (16 registers): 2 vectors of 8 by 5 pixels (10 accumulators),
///   divisors from 4 to 6. The five blocked layers of gelan-t 640 and of
///   gelan-c 640 (sums of per-step medians, the better of two rounds, one
///   thread, Zen 4 VM with the AVX2 target; bench/README.md, session 34):
///   gelan-t 2 x 5 6.65 ms, 2 x 6 6.92, 2 x 4 6.90, direct 7.49-7.62; gelan-c
///   2 x 5 52.0, 2 x 6 53.0, direct 57.6.
int channelBlockFor(const TargetInfo &target) {
  if (target.family != TargetFamily::X86)
    return 0;
  if (target.vectorLanes == 16 && target.vectorRegisters >= 32)
    return 32;
  // Not AVX alone (8 lanes, no FMA): unmeasured.
  if (target.vectorLanes == 8 && target.vectorRegisters == 16 &&
      target.hasFeature("avx2"))
    return 16;
  return 0;
}

ConvTile chooseBlockedConvTile(const ConvShape &c, const TargetInfo &target) {
  int block = channelBlockFor(target);
  if (!block)
    return ConvTile{};
  bool avx512 = block == 32;
  int x = c.extentX, px = avx512 ? 10 : 5, lo = avx512 ? 6 : 4,
      hi = avx512 ? 12 : 6;
  if (x < px) {
    px = x;
  } else if (x % px != 0) {
    for (int p = hi; p >= lo; --p)
      if (x % p == 0) {
        px = p;
        break;
      }
  }
  return ConvTile{target.vectorLanes, 2, px};
}

} // namespace yolo
} // namespace mlir
