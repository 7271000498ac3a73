//===- Winograd.cpp - Winograd F(m x m, 3 x 3) transforms -----------------===//

#include "yolo/Target/Winograd.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace mlir {
namespace yolo {

namespace {

/// Rounds values within 1e-12 of a multiple of 2^-20 to it, so that the
/// solved matrices hold the exact small fractions (4, -5, 21/4, ...).
double clean(double v) {
  double r = std::round(v * 1048576.0) / 1048576.0;
  return std::fabs(r - v) < 1e-12 ? r : v;
}

WinogradMatrices build(int m) {
  static const double points[] = {0, 1, -1, 2, -2, 0.5, -0.5};
  int t = m + 2, finite = t - 1;
  WinogradMatrices w;
  w.m = m;
  w.t = t;
  w.AT.assign(m * t, 0.0);
  w.G.assign(t * 3, 0.0);
  w.BT.assign(t * t, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < finite; ++j)
      w.AT[i * t + j] = std::pow(points[j], i);
    w.AT[i * t + finite] = i == m - 1 ? 1.0 : 0.0;
  }
  for (int j = 0; j < finite; ++j) {
    double denominator = 1.0;
    for (int l = 0; l < finite; ++l)
      if (l != j)
        denominator *= points[j] - points[l];
    for (int k = 0; k < 3; ++k)
      w.G[j * 3 + k] = clean(std::pow(points[j], k) / denominator);
  }
  w.G[finite * 3 + 2] = 1.0;
  // Column l of BT solves sum_j AT[i][j] G[j][k] BT[j][l] = (l == i + k)
  // for all i, k: m * 3 >= t equations of full rank, solved through the
  // normal equations by Gauss-Jordan elimination with partial pivoting.
  for (int l = 0; l < t; ++l) {
    std::vector<double> a(t * t, 0.0), y(t, 0.0);
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < 3; ++k) {
        double rhs = l == i + k ? 1.0 : 0.0;
        for (int p = 0; p < t; ++p) {
          double ap = w.AT[i * t + p] * w.G[p * 3 + k];
          y[p] += ap * rhs;
          for (int q = 0; q < t; ++q)
            a[p * t + q] += ap * w.AT[i * t + q] * w.G[q * 3 + k];
        }
      }
    for (int c = 0; c < t; ++c) {
      int pivot = c;
      for (int r = c + 1; r < t; ++r)
        if (std::fabs(a[r * t + c]) > std::fabs(a[pivot * t + c]))
          pivot = r;
      for (int q = 0; q < t; ++q)
        std::swap(a[c * t + q], a[pivot * t + q]);
      std::swap(y[c], y[pivot]);
      for (int r = 0; r < t; ++r) {
        if (r == c)
          continue;
        double f = a[r * t + c] / a[c * t + c];
        for (int q = 0; q < t; ++q)
          a[r * t + q] -= f * a[c * t + q];
        y[r] -= f * y[c];
      }
    }
    for (int j = 0; j < t; ++j)
      w.BT[j * t + l] = clean(y[j] / a[j * t + j]);
  }
  return w;
}

} // namespace

bool isWinogradTile(int64_t m) { return m == 2 || m == 4 || m == 6; }

const WinogradMatrices &winogradMatrices(int m) {
  assert(isWinogradTile(m) && "F(m x m, 3 x 3) needs m = 2, 4 or 6");
  static const WinogradMatrices f2 = build(2), f4 = build(4), f6 = build(6);
  return m == 2 ? f2 : m == 4 ? f4 : f6;
}

std::vector<float> transformWinogradWeights(const std::vector<float> &w,
                                            int64_t cout, int64_t cin, int m) {
  const WinogradMatrices &wm = winogradMatrices(m);
  int t = wm.t;
  std::vector<float> u(static_cast<size_t>(t * t * cin * cout));
  for (int64_t co = 0; co < cout; ++co)
    for (int64_t ci = 0; ci < cin; ++ci) {
      const float *g = &w[(co * cin + ci) * 9];
      // G g: [t x 3], then (G g) G^T: [t x t].
      double gg[8][3];
      for (int a = 0; a < t; ++a)
        for (int kx = 0; kx < 3; ++kx) {
          double s = 0;
          for (int ky = 0; ky < 3; ++ky)
            s += wm.G[a * 3 + ky] * g[ky * 3 + kx];
          gg[a][kx] = s;
        }
      for (int nu = 0; nu < t; ++nu)
        for (int xi = 0; xi < t; ++xi) {
          double s = 0;
          for (int kx = 0; kx < 3; ++kx)
            s += gg[nu][kx] * wm.G[xi * 3 + kx];
          u[((xi + t * nu) * cin + ci) * cout + co] = static_cast<float>(s);
        }
    }
  return u;
}

std::vector<float> blockWinogradWeights(const std::vector<float> &u, int64_t tt,
                                        int64_t cin, int64_t cout,
                                        int64_t block) {
  int64_t blocks = (cout + block - 1) / block;
  std::vector<float> out(static_cast<size_t>(tt * blocks * cin * block), 0.0f);
  for (int64_t k = 0; k < tt; ++k)
    for (int64_t ci = 0; ci < cin; ++ci)
      for (int64_t co = 0; co < cout; ++co)
        out[((k * blocks + co / block) * cin + ci) * block + co % block] =
            u[(k * cin + ci) * cout + co];
  return out;
}

/// Measured with the prototype of the kernel (80x80, 256 -> 256, F(4x4);
/// CPU time of one thread, AMD EPYC Zen 2 VM, AVX2, a busy machine):
/// 2 vectors of output channels by 5 tiles along W fill 10 of AVX2's 16
/// registers with accumulators and keep the loop at 2 loads and 5
/// broadcasts per 10 FMAs; 1 vector by 10 tiles was 0.6x as fast. With
/// 32 registers (AVX-512) the same 2 x 5 tile of wider vectors, since the
/// co block then spans 32 channels; where 512-bit FMAs issue twice per
/// cycle (TargetInfo::wideFmaFullRate), 10 accumulators barely cover the
/// FMA latency and the tile grows to 2 x 10 (where they issue as halves,
/// over rows of 20 or more tiles only: below). gelan-c 640, one thread,
/// AMD EPYC Zen 5 VM, its Winograd layers summed (per-layer medians of 6
/// runs in the whole model, YOLO_WINOGRAD_TILE, two rounds): 2 x 5 169.2 /
/// 158.8 ms, 2 x 10 163.4 / 153.4, 2 x 12 161.8 / 156.3, 2 x 14 160.7,
/// 4 x 5 159.9, 4 x 6 167.8, 3 x 8 211.0, 2 x 8 181.0.
/// AVX2's 2 x 5 checked again on the Zen 4 VM with the AVX2 target (every
/// Winograd layer at one tile, one thread, alternating runs, sums of per-
/// step medians with weights transformed at compile time / at run time;
/// bench/README.md, session 23): gelan-t 640 (4 rounds) 2 x 5 17.7 / 17.8
/// ms, 2 x 4 18.0 / 19.4, 2 x 6 19.0 / 18.7, 3 x 4 17.9 / 22.6, 4 x 3
/// 22.7 / 29.5; gelan-c 640 (3 rounds) 2 x 5 145-149 / 107-110 (the
/// runs with the same Winograd tiles), 2 x 6 155.2 / 105.5, 3 x 4 145.0 /
/// 131.2, 2 x 4 146.8 / 124.0.
ConvTile chooseWinogradTile(const WinogradShape &shape,
                            const TargetInfo &target) {
  if (const char *e = getenv("YOLO_WINOGRAD_TILE")) {
    ConvTile t{};
    if (sscanf(e, "%dx%dx%d", &t.lanes, &t.vectors, &t.channels) == 3)
      return t;
  }
  int lanes = target.vectorLanes;
  // Vectors never wider than the output channels.
  while (lanes > 4 && lanes > shape.outputChannels)
    lanes /= 2;
  int vectors = shape.outputChannels >= 2 * lanes ? 2 : 1;
  int64_t tilesW = (shape.outW + shape.m - 1) / shape.m;
  bool avx512 = target.vectorRegisters >= 32 &&
                target.family == TargetFamily::X86 && lanes == 16;
  bool wide = avx512 && target.wideFmaFullRate;
  // Layers of 256 or more output channels (a multiple of 64) whose weights
  // are transformed at compile time, over rows of at most 20 tiles: 4
  // vectors by 5 tiles (4 loads and 5 broadcasts per 20 FMAs), whose
  // blocks of 64 channels read the group's transformed input half as
  // often. gelan-c 640's two 256 -> 256 layers at 80x80, per-step medians
  // summed, two rounds of alternating runs (bench/profile.py): one thread
  // 29.2 / 31.1 -> 28.5 / 28.9 ms, two threads 15.0 / 15.0 -> 14.0 /
  // 14.3. Measured with 4 x 5 on every layer, and not taken: rows of 40
  // tiles (64 -> 64 at 160x160, +6 %), weights transformed at run time
  // per block of 64 channels (512 -> 256 at 40x40 +12 %, 256 -> 256 at
  // 20x20 +8 %: the block's transformed weights outgrow L2), and 128
  // output channels (two blocks: the layer then runs its groups as tasks,
  // and 128 -> 128 at 20x20 took 30 % longer on two threads).
  if (wide && shape.weightsTransformed &&
      shape.outputChannels % (4 * lanes) == 0 &&
      shape.outputChannels >= 16 * lanes && tilesW <= 20)
    return {lanes, 4, static_cast<int>(std::min<int64_t>(5, tilesW))};
  // Where 512-bit FMAs issue as halves, 2 x 10 over rows of 20 or more
  // tiles (80x80 outputs and wider with F(4x4)): 20 accumulators, 2
  // loads and 10 broadcasts per 20 FMAs against 2 and 5 per 10. gelan-c
  // 640 on the AMD EPYC Zen 4 VM (117 GFLOP/s a core), 2 x 5 against
  // 2 x 10 on every layer (YOLO_WINOGRAD_TILE), per-step medians averaged
  // over six rounds of alternating runs (bench/profile.py): its 80x80
  // layers one thread 112.1 -> 105.9 ms, two 58.7 -> 56.1 (256 -> 256:
  // 53.8 -> 50.8 and 30.4 -> 27.9); 160x160 24.4 -> 23.7 and 11.9 ->
  // 11.9. Rows of 10 tiles (40x40) were no faster (87.9 -> 86.0 ms and
  // 49.6 -> 49.7; the 256 -> 256 ones slower at one thread in three
  // further rounds) and keep 2 x 5. On the 80x80 layers 4 x 5 and 8-lane
  // 4 x 5 were slower than 2 x 10 (two rounds).
  //
  // Where 512-bit FMAs issue as halves, rows of 40 or more tiles (160x160
  // outputs with F(4x4)) take 4 vectors of 8 lanes by 5 tiles: 256-bit
  // FMAs cost no peak there, and 20 accumulators take 4 loads and 5
  // broadcasts per 20 FMAs. gelan-c 640's eight 64 -> 64 layers at
  // 160x160, every Winograd layer at 8 x 4 x 5 against the rules above,
  // four rounds of alternating runs (bench/profile.py, Zen 4 VM), sums of
  // per-step medians: one thread 22.0 -> 17.9 ms, two 11.2 -> 8.7, each
  // layer faster; every other Winograd layer of gelan-c was 5-20 % slower
  // with it. Only 64-channel layers have such rows in the YOLOv9 models
  // measured.
  if (avx512 && !wide && tilesW >= 40 && shape.outputChannels >= 32)
    return {8, 4, 5};
  int along = wide || (avx512 && tilesW >= 20) ? 10 : 5;
  // With 10, rows of 11-19 tiles are split evenly (13 tiles: 7 + 7, the
  // last shifted inwards, not 10 + 10); no width of a 640 or 320 input
  // has such rows. The 5-tile rule is kept as measured.
  int64_t pieces = along == 10 ? (tilesW + along - 1) / along : 1;
  int tiles = static_cast<int>(
      std::min<int64_t>(along, (tilesW + pieces - 1) / pieces));
  return {lanes, vectors, tiles};
}

} // namespace yolo
} // namespace mlir
