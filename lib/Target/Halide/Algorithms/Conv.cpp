//===- Conv.cpp - convolution algorithms ----------------------------------===//
//
// The direct 2-D convolution (any kernel, stride, padding, dilation and
// groups) and the flattened 1x1 convolution, a matrix product over H*W.
// Both accumulate into `acc`, initialized with the bias, and apply the
// fused activation in `out`; the schedule blocks them (Schedules/).
// The transposed convolution is a gather over the input pixels and taps
// that reach each output pixel, scheduled as a pointwise kernel.
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
  ImageParam in = input(args, inS, "in"),
             w = d.denseWeights ? denseInput(args, wS, "w")
                                : input(args, wS, "w"),
             b = input(args, {outS[1]}, "b");
  // The residual, added after the activation (--yolo-fuse-residual).
  auto plus = residualAdder(args, d.residual, outS);
  int cinG = static_cast<int>(wS[1]), coutG = static_cast<int>(wS[0] / groups);
  Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
  Var x("x"), y("y"), co("co"), n("n");
  RDom r(0, static_cast<int>(kw), 0, static_cast<int>(kh), 0, cinG, "r");
  if (int64_t block = d.channelBlock()) {
    // Weights [ceil(Co / B), C, KH, KW, B] (Halide's order reversed): a vector
    // of output channels' weights per tap and input channel, each input value
    // broadcast. Same reduction order as below (taps along W innermost,
    // input channels outermost), so the sums are the same.
    int bl = static_cast<int>(block);
    Func acc("acc"), out("conv"), pad("pad");
    pad(x, y, co, n) =
        inb(x - static_cast<int>(pl), y - static_cast<int>(pt), co, n);
    // A last, partial block computes all its lanes (zero weights past Co,
    // the schedule aligns acc to whole blocks); the bias is read clamped.
    acc(co, x, y, n) = b(min(co, static_cast<int>(outS[1]) - 1));
    acc(co, x, y, n) +=
        w(co % bl, r.x, r.y, r.z, co / bl) *
        pad(x * static_cast<int>(sw) + r.x * static_cast<int>(dw),
            y * static_cast<int>(sh) + r.y * static_cast<int>(dh), r.z, n);
    out(x, y, co, n) =
        plus(activate(acc(co, x, y, n), d.activation, d.alpha, schedule),
             {x, y, co, n});
    constrainOutput(out, outS);
    schedule.convBlocked({out, acc, pad, x, y, co, n, r}, d, tile);
    return out;
  }
  Expr ci = groups == 1 ? Expr(r.z) : (co / coutG) * cinG + r.z;
  Func acc("acc"), out("conv"), phases;
  Expr row = y * static_cast<int>(sh) + r.y * static_cast<int>(dh) -
             static_cast<int>(pt);
  Expr tap;
  if (sw == 2 && dw == 1 && schedule.stridedInputPhases()) {
    // Column 2 x + r.x - pl is column x + r.x / 2 of phase r.x % 2.
    phases = Func("phases");
    Var xh("xh"), ph("ph"), yy("yy"), c("c");
    phases(xh, ph, yy, c, n) =
        inb(2 * xh + ph - static_cast<int>(pl), yy, c, n);
    tap = phases(x + r.x / 2, r.x % 2, row, ci, n);
  } else {
    tap = inb(x * static_cast<int>(sw) + r.x * static_cast<int>(dw) -
                  static_cast<int>(pl),
              row, ci, n);
  }
  acc(x, y, co, n) = b(co);
  acc(x, y, co, n) += w(r.x, r.y, r.z, co) * tap;
  out(x, y, co, n) =
      plus(activate(acc(x, y, co, n), d.activation, d.alpha, schedule),
           {x, y, co, n});
  constrainOutput(out, outS);
  ConvFuncs f{out, acc, inb, w, x, y, co, n, r};
  f.phases = phases;
  schedule.conv(f, d, tile);
  return out;
}

/// 1x1, stride 1, no padding, one group: a matrix product over the
/// flattened H*W ("p"); shapes are [N, C, P].
Func buildConv1x1(const Conv1x1Desc &d, const ConvTile &tile,
                  Schedule &schedule, Args &args) {
  const Shape &inS = d.input, &outS = d.output;
  ImageParam in = input(args, inS, "in"),
             w = d.denseWeights ? denseInput(args, {outS[1], inS[1]}, "w")
                                : input(args, {outS[1], inS[1]}, "w"),
             b = input(args, {outS[1]}, "b");
  auto plus = residualAdder(args, d.residual, outS);
  Var p("p"), co("co"), n("n");
  RDom r(0, static_cast<int>(inS[1]), "r");
  Func acc("acc"), out("conv1x1");
  acc(p, co, n) = b(co);
  acc(p, co, n) += w(r, co) * in(p, r, n);
  out(p, co, n) = plus(activate(acc(p, co, n), d.activation, d.alpha, schedule),
                       {p, co, n});
  constrainOutput(out, outS);
  schedule.conv1x1({out, acc, in, w, p, co, n, r}, d, tile);
  return out;
}

/// Transposed convolution as a gather, so that every output pixel is
/// computed on its own and the pointwise schedule vectorizes along x:
/// output column x (row y likewise) takes tap kx of input column
/// (x + padLeft - kx * dilationW) / strideW where that division is exact.
/// The tap condition along y depends only on the row, so it prunes the
/// reduction (RDom::where); along x it differs between the lanes of a
/// vector and selects zero instead. (A kernel equal to its stride without
/// padding, YOLO's 2x2 upsampling, does not come here: Bufferize lowers it
/// to a 1x1 convolution and a transpose, 10x faster.)
Func buildConvTranspose(const ConvTransposeDesc &d, Schedule &schedule,
                        Args &args) {
  const Shape &inS = d.input, &wS = d.weight, &outS = d.output;
  int kh = static_cast<int>(wS[2]), kw = static_cast<int>(wS[3]),
      sh = static_cast<int>(d.strideH), sw = static_cast<int>(d.strideW),
      pt = static_cast<int>(d.padTop), pl = static_cast<int>(d.padLeft),
      dh = static_cast<int>(d.dilationH), dw = static_cast<int>(d.dilationW);
  int groups = static_cast<int>(d.groups);
  int cinG = static_cast<int>(inS[1]) / groups, coutG = static_cast<int>(wS[1]);
  ImageParam in = input(args, inS, "in"), w = input(args, wS, "w"),
             b = input(args, {outS[1]}, "b");
  Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
  Var x("x"), y("y"), co("co"), n("n");
  RDom r(0, kw, 0, kh, 0, cinG, "r");
  Expr cog = groups == 1 ? Expr(co) : co % coutG;
  Expr ci = groups == 1 ? Expr(r.z) : (co / coutG) * cinG + r.z;
  // Halide's division and modulo round towards negative infinity, so taps
  // left of or above the input read its zero boundary.
  Expr px = x + pl - r.x * dw, py = y + pt - r.y * dh;
  if (sh > 1)
    r.where(py % sh == 0);
  Expr tap = w(r.x, r.y, cog, ci) * inb(px / sw, py / sh, ci, n);
  Func out("conv_transpose");
  out(x, y, co, n) =
      b(co) + sum(sw > 1 ? select(px % sw == 0, tap, 0.0f) : tap);
  return pointwiseKernel(out, {x, y, co, n}, outS, schedule);
}

} // namespace yolo
} // namespace mlir
