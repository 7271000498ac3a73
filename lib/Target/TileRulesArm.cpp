//===- TileRulesArm.cpp - ARM64 NEON register tiles of the convolutions ---===//
//
// NEON has 32 registers of 128 bits (4 floats), and fmla by element
// multiplies a vector by one lane of another register, so a broadcast
// weight costs a scalar load and no shuffle. A convolution register tile
// of V vectors along x by C output channels holds V*C accumulators, V
// input vectors and C weights: V*C + V + C must stay below 32 with room
// for addresses. The tiles used, by vectors along x:
//   4 x 4 channels: 16 accumulators + 8 = 24 registers, 16 fmla / 8 loads
//   3 x 6:          18 + 9 = 27,                       18 / 9
//   5 x 4:          20 + 9 = 29 (rows of 20, 40, 100),  20 / 9
//   2 x 8:          16 + 10 = 26,                      16 / 10
//   1 x 12:         12 + 13 = 25 (rows of 4 * odd),     12 / 13
// The vector count is the one that wastes the fewest lanes on the row
// (x extent), ties going to the better fmla / load ratio. The loop
// structure around the tile is the one all CPU families share
// (lib/Target/Halide/Schedules/X86.cpp, reused by Schedules/Arm.cpp).
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/TargetInfo.h"

#include <algorithm>
#include <utility>

namespace mlir {
namespace yolo {

namespace {

std::pair<int, int> registerTileArm(int extentX, int channels, int vec) {
  static const int order[][2] = {{4, 4}, {3, 6}, {5, 4}, {2, 8}, {1, 12}};
  double bestWaste = 1e9;
  int best = 0;
  for (int i = 0; i < 5; ++i) {
    int width = order[i][0] * vec;
    if (width > std::max(extentX, vec))
      continue;
    int tiles = (extentX + width - 1) / width;
    double waste = double(tiles * width) / extentX;
    if (waste < bestWaste - 1e-9) {
      bestWaste = waste;
      best = i;
    }
  }
  if (bestWaste > 1e8) // narrower than one vector
    return {1, std::min(12, channels)};
  return {order[best][0], std::min(order[best][1], channels)};
}

} // namespace

ConvTile chooseConvTileArm(const ConvShape &shape, int vec) {
  auto [vectors, channels] =
      registerTileArm(shape.extentX, shape.channels, vec);
  return {vec, vectors, channels};
}

} // namespace yolo
} // namespace mlir
