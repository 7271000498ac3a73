//===- Winograd.h - Winograd F(m x m, 3 x 3) convolutions -------*- C++ -*-===//
//
// A 3x3 stride-1 convolution computed on tiles of m x m outputs from
// (m + 2) x (m + 2) inputs: Y = A^T [ (G g G^T) . (B^T d B) ] A, summed
// over the input channels (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", 2016). The weight transform G g G^T is
// done at compile time on the IR's constants (--yolo-winograd); the
// Halide kernel does the input transform, the t*t matrix products over the
// channels (t = m + 2) and the output transform. Halide-free.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_TARGET_WINOGRAD_H
#define YOLO_TARGET_WINOGRAD_H

#include "yolo/Target/TargetInfo.h"

#include <cstdint>
#include <vector>

namespace mlir {
namespace yolo {

/// The transforms of F(m x m, 3 x 3), row-major, in double precision:
/// AT [m x t], G [t x 3], BT [t x t]. Interpolation points 0, 1, -1, 2, -2,
/// 1/2, -1/2 (the first t - 1) and infinity, as in Lavin & Gray; G's rows
/// are scaled by the Lagrange denominators and BT is solved from the
/// identity sum_j AT[i][j] G[j][k] BT[j][l] = (l == i + k).
struct WinogradMatrices {
  int m = 0, t = 0;
  std::vector<double> AT, G, BT;
};

/// Whether F(m x m, 3 x 3) is supported (m = 2, 4 or 6).
bool isWinogradTile(int64_t m);

/// The matrices of F(m x m, 3 x 3); m must satisfy isWinogradTile.
const WinogradMatrices &winogradMatrices(int m);

/// The transformed weights U [t * t][cin][cout] (k = xi + t * nu, xi along
/// W, nu along H) of weights w [cout][cin][3][3]: U_k = (G g G^T)[nu][xi],
/// computed in double and rounded once.
std::vector<float> transformWinogradWeights(const std::vector<float> &w,
                                            int64_t cout, int64_t cin, int m);

/// Output channels per block of the transformed weights as the lowering
/// lays them out: [t * t][ceil(cout / B)][cin][B], zeros past cout. The
/// products read, per input channel, a vector of a block's output channels;
/// with output channels innermost over all of cout ([t * t][cin][cout]),
/// consecutive input channels lie cout * 4 bytes apart, and at 512 bytes
/// (128 channels) or more the rows a block reads fall into a few of the L1
/// cache's sets and evict each other: a stand-alone loop of the products'
/// register tile (2 x 16 output channels by 10 tiles, 128 input channels,
/// Emerald Rapids) ran at 90 GFLOP/s on [cin][128] rows, 150 on blocks of
/// 16 or 32. gelan-c 640's layers with weights transformed at compile
/// time, same CPU, one thread, per-step minima of 6 alternating runs: 128
/// -> 128 at 80x80 (4 layers) 25.9 -> 23.0 ms, 256 -> 64 at 80x80 7.9 ->
/// 6.6, 256 -> 256 at 80x80 (2) 40.6 -> 39.1, 64 -> 64 at 160x160 (2) 25.3
/// -> 24.1; the whole model 533.9 -> 524.6 (bench/README.md, session 29).
/// 16 is a whole vector with AVX-512 and divides every tile's block
/// (vectors x lanes), so a vector of the products never spans two blocks.
constexpr int64_t kWinogradWeightBlock = 16;

/// `u` [t * t][cin][cout] (transformWinogradWeights) in blocks of `block`
/// output channels: [t * t][ceil(cout / block)][cin][block], zero-padded.
std::vector<float> blockWinogradWeights(const std::vector<float> &u, int64_t tt,
                                        int64_t cin, int64_t cout,
                                        int64_t block);

/// What the choice of a Winograd layer's tiles depends on.
struct WinogradShape {
  int64_t outH, outW;
  int64_t inputChannels, outputChannels;
  int m;
  /// The weights are transformed at compile time ([t * t, C, Co], or in
  /// blocks of output channels), not by the kernel at run time ([3, 3, C,
  /// Co]).
  bool weightsTransformed = true;
};

/// The register tile of the transformed-domain matrix products on
/// `target`: `vectors` vectors of `lanes` output channels by `channels`
/// tiles along W (the field names are ConvTile's).
ConvTile chooseWinogradTile(const WinogradShape &shape,
                            const TargetInfo &target);

} // namespace yolo
} // namespace mlir

#endif // YOLO_TARGET_WINOGRAD_H
