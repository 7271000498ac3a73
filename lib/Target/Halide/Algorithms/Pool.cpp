//===- Pool.cpp - pooling algorithms --------------------------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

Func buildPool(const PoolDesc &d, Schedule &schedule, Args &args) {
  const Shape &inS = d.input, &outS = d.output;
  bool isMax = d.kind == PoolKind::Max;
  int kh = d.kernelH, kw = d.kernelW, sh = d.strideH, sw = d.strideW,
      pt = d.padTop, pl = d.padLeft;
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
