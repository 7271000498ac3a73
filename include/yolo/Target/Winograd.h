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

/// What the choice of a Winograd layer's tiles depends on.
struct WinogradShape {
  int64_t outH, outW;
  int64_t inputChannels, outputChannels;
  int m;
  /// The weights are transformed at compile time ([t * t, C, Co]), not by
  /// the kernel at run time ([3, 3, C, Co]).
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
