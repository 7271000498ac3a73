//===- Conv.cpp - convolution algorithms ----------------------------------===//
//
// The direct 2-D convolution (any kernel, stride, padding, dilation and
// groups) and the flattened 1x1 convolution, a matrix product over H*W.
// Both accumulate into `acc`, initialized with the bias, and apply the
// fused activation in `out`; the schedule blocks them (Schedules/).
//
//===----------------------------------------------------------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

Func buildConv(const ConvDesc &d, const ConvTile &tile, Schedule &schedule,
               Args &args) {
  const Shape &inS = d.input, &wS = d.weight, &outS = d.output;
  int64_t kh = wS[2], kw = wS[3], sh = d.strideH, sw = d.strideW, pt = d.padTop,
          pl = d.padLeft, dh = d.dilationH, dw = d.dilationW, groups = d.groups;
  ImageParam in = input(args, inS, "in"), w = input(args, wS, "w"),
             b = input(args, {wS[0]}, "b");
  int cinG = static_cast<int>(wS[1]), coutG = static_cast<int>(wS[0] / groups);
  Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
  Var x("x"), y("y"), co("co"), n("n");
  RDom r(0, static_cast<int>(kw), 0, static_cast<int>(kh), 0, cinG, "r");
  Expr ci = groups == 1 ? Expr(r.z) : (co / coutG) * cinG + r.z;
  Func acc("acc"), out("conv");
  acc(x, y, co, n) = b(co);
  acc(x, y, co, n) += w(r.x, r.y, r.z, co) *
                      inb(x * static_cast<int>(sw) +
                              r.x * static_cast<int>(dw) - static_cast<int>(pl),
                          y * static_cast<int>(sh) +
                              r.y * static_cast<int>(dh) - static_cast<int>(pt),
                          ci, n);
  out(x, y, co, n) = activate(acc(x, y, co, n), d.activation, d.alpha);
  constrainOutput(out, outS);
  schedule.conv({out, acc, inb, w, x, y, co, n, r}, d, tile);
  return out;
}

/// 1x1, stride 1, no padding, one group: a matrix product over the
/// flattened H*W ("p"); shapes are [N, C, P].
Func buildConv1x1(const Conv1x1Desc &d, const ConvTile &tile,
                  Schedule &schedule, Args &args) {
  const Shape &inS = d.input, &outS = d.output;
  ImageParam in = input(args, inS, "in"),
             w = input(args, {outS[1], inS[1]}, "w"),
             b = input(args, {outS[1]}, "b");
  Var p("p"), co("co"), n("n");
  RDom r(0, static_cast<int>(inS[1]), "r");
  Func acc("acc"), out("conv1x1");
  acc(p, co, n) = b(co);
  acc(p, co, n) += w(r, co) * in(p, r, n);
  out(p, co, n) = activate(acc(p, co, n), d.activation, d.alpha);
  constrainOutput(out, outS);
  schedule.conv1x1({out, acc, in, w, p, co, n, r}, d, tile);
  return out;
}

} // namespace yolo
} // namespace mlir
