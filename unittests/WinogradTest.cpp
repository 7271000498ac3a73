//===- WinogradTest.cpp - the Winograd transforms and tile rule -----------===//

#include "yolo/Target/Winograd.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::yolo;

namespace {

// sum_j AT[i][j] G[j][k] BT[j][l] = (l == i + k): the 1-D F(m, 3) is exact.
TEST(WinogradTest, MatricesSatisfyTheIdentity) {
  for (int m : {2, 4, 6}) {
    const WinogradMatrices &w = winogradMatrices(m);
    ASSERT_EQ(w.t, m + 2);
    int t = w.t;
    double worst = 0;
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < 3; ++k)
        for (int l = 0; l < t; ++l) {
          double s = 0;
          for (int j = 0; j < t; ++j)
            s += w.AT[i * t + j] * w.G[j * 3 + k] * w.BT[j * t + l];
          worst = std::max(worst, std::fabs(s - (l == i + k ? 1.0 : 0.0)));
        }
    EXPECT_LT(worst, 1e-12) << "F(" << m << ", 3)";
  }
}

// F(4x4, 3x3)'s input transform is Lavin & Gray's.
TEST(WinogradTest, F4InputTransformIsLavins) {
  const double expected[36] = {4, 0, -5, 0,  1, 0, 0, -4, -4, 1,  1, 0,
                               0, 4, -4, -1, 1, 0, 0, -2, -1, 2,  1, 0,
                               0, 2, -1, -2, 1, 0, 0, 4,  0,  -5, 0, 1};
  const WinogradMatrices &w = winogradMatrices(4);
  for (int i = 0; i < 36; ++i)
    EXPECT_EQ(w.BT[i], expected[i]) << "BT[" << i / 6 << "][" << i % 6 << "]";
}

// The transformed weights, used the way the kernel uses them (the input
// transform along W then H, products over the channels at k = xi + t * nu,
// the output transform), give the direct convolution: checks the weight
// transform and the index convention the Halide kernel shares.
TEST(WinogradTest, TransformedWeightsComputeTheConvolution) {
  const int cin = 3, cout = 2, h = 13, wd = 11, pad = 1;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(cin * h * wd), g(cout * cin * 9);
  for (float &v : x)
    v = dist(rng);
  for (float &v : g)
    v = dist(rng);
  auto in = [&](int c, int yy, int xx) -> double {
    return yy < 0 || yy >= h || xx < 0 || xx >= wd ? 0.0
                                                   : x[(c * h + yy) * wd + xx];
  };
  for (int m : {2, 4, 6}) {
    const WinogradMatrices &w = winogradMatrices(m);
    int t = w.t;
    std::vector<float> u = transformWinogradWeights(g, cout, cin, m);
    ASSERT_EQ(u.size(), static_cast<size_t>(t * t * cin * cout));
    double worst = 0;
    for (int ty = 0; ty * m < h; ++ty)
      for (int tx = 0; tx * m < wd; ++tx)
        for (int co = 0; co < cout; ++co) {
          std::vector<double> prod(t * t, 0.0);
          for (int ci = 0; ci < cin; ++ci)
            for (int nu = 0; nu < t; ++nu)
              for (int xi = 0; xi < t; ++xi) {
                double v = 0;
                for (int b = 0; b < t; ++b)
                  for (int a = 0; a < t; ++a)
                    v += w.BT[nu * t + b] * w.BT[xi * t + a] *
                         in(ci, ty * m + b - pad, tx * m + a - pad);
                prod[xi + t * nu] +=
                    u[((xi + t * nu) * cin + ci) * cout + co] * v;
              }
          for (int j = 0; j < m && ty * m + j < h; ++j)
            for (int i = 0; i < m && tx * m + i < wd; ++i) {
              double y = 0;
              for (int nu = 0; nu < t; ++nu)
                for (int xi = 0; xi < t; ++xi)
                  y += w.AT[j * t + nu] * w.AT[i * t + xi] * prod[xi + t * nu];
              int oy = ty * m + j, ox = tx * m + i;
              double direct = 0;
              for (int ci = 0; ci < cin; ++ci)
                for (int ky = 0; ky < 3; ++ky)
                  for (int kx = 0; kx < 3; ++kx)
                    direct += g[((co * cin + ci) * 3 + ky) * 3 + kx] *
                              in(ci, oy + ky - pad, ox + kx - pad);
              worst = std::max(worst, std::fabs(y - direct));
            }
        }
    EXPECT_LT(worst, 1e-4) << "F(" << m << "x" << m << ", 3x3)";
  }
}

// The blocked layout the lowering embeds: [t * t][ceil(Co / B)][C][B],
// element (k, ci, co) at ((k * blocks + co / B) * C + ci) * B + co % B,
// the lanes of a last, partial block past Co zero.
TEST(WinogradTest, BlockedWeightsLayout) {
  const int64_t tt = 4, cin = 3, cout = 5, block = 2, blocks = 3;
  std::vector<float> u(tt * cin * cout);
  for (size_t i = 0; i < u.size(); ++i)
    u[i] = static_cast<float>(i + 1);
  std::vector<float> b = blockWinogradWeights(u, tt, cin, cout, block);
  ASSERT_EQ(b.size(), static_cast<size_t>(tt * blocks * cin * block));
  for (int64_t k = 0; k < tt; ++k)
    for (int64_t ci = 0; ci < cin; ++ci)
      for (int64_t co = 0; co < blocks * block; ++co) {
        float got =
            b[((k * blocks + co / block) * cin + ci) * block + co % block];
        float want = co < cout ? u[(k * cin + ci) * cout + co] : 0.0f;
        EXPECT_EQ(got, want) << "k " << k << " ci " << ci << " co " << co;
      }
}

TEST(WinogradTest, RegisterTiles) {
  std::string error;
  auto avx2 = TargetInfo::parse("x86-64-linux-avx-avx2-fma", error);
  auto avx512 = TargetInfo::parse("x86-64-linux-avx512-avx512_skylake", error);
  auto arm = TargetInfo::parse("arm-64-linux", error);
  ASSERT_TRUE(avx2 && avx512 && arm) << error;
  // 2 vectors of channels by 5 tiles along W.
  EXPECT_EQ(chooseWinogradTile({80, 80, 128, 128, 4}, *avx2),
            (ConvTile{8, 2, 5}));
  // Full-rate 512-bit FMAs: 2 x 10 (at most the tiles of a row).
  EXPECT_EQ(chooseWinogradTile({80, 80, 128, 128, 4}, *avx512),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({20, 20, 128, 128, 4}, *avx512),
            (ConvTile{16, 2, 5}));
  // 256 or more output channels with compile-time weights, rows of at
  // most 20 tiles: 4 x 5.
  EXPECT_EQ(chooseWinogradTile({80, 80, 256, 256, 4}, *avx512),
            (ConvTile{16, 4, 5}));
  EXPECT_EQ(chooseWinogradTile({20, 20, 512, 512, 4}, *avx512),
            (ConvTile{16, 4, 5}));
  // Not with weights transformed at run time, wider rows, fewer channels,
  // or AVX2.
  EXPECT_EQ(chooseWinogradTile({80, 80, 256, 256, 4, false}, *avx512),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({160, 160, 256, 256, 4}, *avx512),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({80, 80, 256, 128, 4}, *avx512),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({80, 80, 256, 256, 4}, *avx2),
            (ConvTile{8, 2, 5}));
  // Rows of 11-19 tiles split evenly: 13 tiles (52 wide) as 7 + 7.
  EXPECT_EQ(chooseWinogradTile({52, 52, 128, 128, 4}, *avx512),
            (ConvTile{16, 2, 7}));
  TargetInfo half = *avx512;
  ASSERT_TRUE(setAvx512FmaRate(half, "half"));
  // Half-rate 512-bit FMAs: 8-lane 4 x 5 over rows of 40 or more tiles,
  // 2 x 10 over rows of 20 or more, 2 x 5 over narrower rows; never
  // 16-lane 4 x 5.
  EXPECT_EQ(chooseWinogradTile({80, 80, 128, 128, 4}, half),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({160, 160, 64, 64, 4}, half),
            (ConvTile{8, 4, 5}));
  EXPECT_EQ(chooseWinogradTile({160, 160, 64, 64, 4}, *avx512),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({160, 160, 64, 16, 4}, half),
            (ConvTile{16, 1, 10}));
  EXPECT_EQ(chooseWinogradTile({80, 80, 256, 256, 4}, half),
            (ConvTile{16, 2, 10}));
  EXPECT_EQ(chooseWinogradTile({40, 40, 256, 256, 4}, half),
            (ConvTile{16, 2, 5}));
  EXPECT_EQ(chooseWinogradTile({76, 76, 128, 128, 4}, half),
            (ConvTile{16, 2, 5}));
  EXPECT_EQ(chooseWinogradTile({80, 80, 128, 128, 4}, *arm),
            (ConvTile{4, 2, 5}));
  // Fewer channels than two vectors: one; than a vector: narrower ones.
  EXPECT_EQ(chooseWinogradTile({40, 40, 64, 16, 4}, *avx512),
            (ConvTile{16, 1, 10}));
  EXPECT_EQ(chooseWinogradTile({40, 40, 64, 6, 4}, *avx2), (ConvTile{4, 1, 5}));
  // Rows of fewer tiles than the tile: all of them.
  EXPECT_EQ(chooseWinogradTile({11, 9, 24, 24, 4}, *avx2), (ConvTile{8, 2, 3}));
}

} // namespace
