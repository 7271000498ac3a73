//===- Pool.cpp - pooling algorithms --------------------------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

namespace {

/// Max pooling in two passes (Schedule::separablePool): along W into
/// `rows`, then along H, each a chain of max over the kernel's taps written
/// out (at most 16 each, checked by the caller). Where no window reaches
/// outside the input, the input is read as it is; where every window holds
/// at least one input element, it is read clamped to its edge (the clamped
/// elements are in the window already, so the maximum is the same);
/// otherwise the padding is -inf, as in the one-pass form. gelan-c 640's
/// max pools, one thread, one-op models (bench/README.md, session 15):
/// SPPELAN's 5x5 over 1x256x20x20 0.587 -> 0.096 ms, ADown's 3x3 stride 2
/// over 1x128x159x159 1.63 -> 0.51, over 1x256x79x79 0.89 -> 0.30.
/// Average pooling stays one pass: ADown's 2x2 over 1x256x160x160, memory
/// bound, took 1.42 ms so and 1.68-1.89 in two passes.
Func buildSeparableMaxPool(const PoolDesc &d, Schedule &schedule, Args &args) {
  const Shape &inS = d.input, &outS = d.output;
  int kh = d.kernelH, kw = d.kernelW, sh = d.strideH, sw = d.strideW,
      pt = d.padTop, pl = d.padLeft;
  int inH = static_cast<int>(inS[2]), inW = static_cast<int>(inS[3]);
  int outH = static_cast<int>(outS[2]), outW = static_cast<int>(outS[3]);
  ImageParam in = input(args, inS, "in");
  Var x("x"), y("y"), c("c"), n("n");
  bool inside = pt == 0 && pl == 0 && (outW - 1) * sw + kw <= inW &&
                (outH - 1) * sh + kh <= inH;
  bool windowsMeetInput = pl < kw && pt < kh && (outW - 1) * sw - pl < inW &&
                          (outH - 1) * sh - pt < inH;
  Func src;
  Region spatial = {Range(0, inW), Range(0, inH)};
  if (inside)
    src = in;
  else if (windowsMeetInput)
    src = BoundaryConditions::repeat_edge(in, spatial);
  else
    src = BoundaryConditions::constant_exterior(in, Float(32).min(), spatial);

  Func rows("max_pool_rows");
  Expr e = src(x * sw - pl, y, c, n);
  for (int i = 1; i < kw; ++i)
    e = max(e, src(x * sw - pl + i, y, c, n));
  rows(x, y, c, n) = e;

  Func out("max_pool");
  Expr v = rows(x, y * sh - pt, c, n);
  for (int j = 1; j < kh; ++j)
    v = max(v, rows(x, y * sh - pt + j, c, n));
  out(x, y, c, n) = v;
  constrainOutput(out, outS);
  schedule.pool(PoolFuncs{out, rows, x, y, c, n}, d);
  return out;
}

} // namespace

Func buildPool(const PoolDesc &d, Schedule &schedule, Args &args) {
  const Shape &inS = d.input, &outS = d.output;
  bool isMax = d.kind == PoolKind::Max;
  int kh = d.kernelH, kw = d.kernelW, sh = d.strideH, sw = d.strideW,
      pt = d.padTop, pl = d.padLeft;
  if (isMax && schedule.separablePool() && kh <= 16 && kw <= 16)
    return buildSeparableMaxPool(d, schedule, args);
  ImageParam in = input(args, inS, "in");
  Var x("x"), y("y"), c("c"), n("n");
  RDom r(0, kw, 0, kh, "r");
  Expr ix = x * sw + r.x - pl, iy = y * sh + r.y - pt;
  Func out(isMax ? "max_pool" : "avg_pool");
  if (isMax) {
    Func inb = BoundaryConditions::constant_exterior(in, Float(32).min());
    out(x, y, c, n) = maximum(inb(ix, iy, c, n));
  } else {
    Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
    Expr sum = Halide::sum(inb(ix, iy, c, n));
    if (d.countIncludePad) {
      out(x, y, c, n) = sum / float(kh * kw);
    } else {
      Expr x0 = max(x * sw - pl, 0),
           x1 = min(x * sw - pl + kw, static_cast<int>(inS[3]));
      Expr y0 = max(y * sh - pt, 0),
           y1 = min(y * sh - pt + kh, static_cast<int>(inS[2]));
      out(x, y, c, n) = sum / cast<float>((x1 - x0) * (y1 - y0));
    }
  }
  return pointwiseKernel(out, {x, y, c, n}, outS, schedule);
}

} // namespace yolo
} // namespace mlir
