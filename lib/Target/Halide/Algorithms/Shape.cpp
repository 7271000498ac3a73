//===- Shape.cpp - data-movement algorithms -------------------------------===//
//
// Copy, pad, transpose and nearest-neighbour resize: each output element
// is one input element (or the pad value).
//
//===----------------------------------------------------------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

/// A copy between views of any rank.
Func buildCopy(const CopyDesc &d, Schedule &schedule, Args &args) {
  const Shape &outS = d.output;
  ImageParam a = input(args, d.input, "a");
  std::vector<Var> v = makeVars(outS.size());
  Func out("copy");
  out(v) = a(std::vector<Expr>(v.begin(), v.end()));
  return pointwiseKernel(out, v, outS, schedule);
}

/// out = in shifted by the begin pads, `value` outside.
Func buildPad(const PadDesc &d, Schedule &schedule, Args &args) {
  const Shape &outS = d.output;
  ImageParam a = input(args, d.input, "a");
  std::vector<Var> v = makeVars(outS.size());
  int rank = static_cast<int>(outS.size());
  Func out("pad");
  Func ab = BoundaryConditions::constant_exterior(a, d.value);
  std::vector<Expr> idx;
  for (int k = 0; k < rank; ++k)
    idx.push_back(v[k] - static_cast<int>(d.begin[rank - 1 - k]));
  out(v) = ab(idx);
  return pointwiseKernel(out, v, outS, schedule);
}

Func buildTranspose(const TransposeDesc &d, Schedule &schedule, Args &args) {
  const Shape &outS = d.output;
  ImageParam a = input(args, d.input, "a");
  int rank = static_cast<int>(outS.size());
  std::vector<Var> v = makeVars(rank);
  // Output MLIR dim i is input MLIR dim perm[i].
  std::vector<Expr> idx(rank);
  for (int i = 0; i < rank; ++i) {
    int inMlir = static_cast<int>(d.perm[i]);
    idx[rank - 1 - inMlir] = v[rank - 1 - i];
  }
  Func out("transpose");
  out(v) = a(idx);
  return pointwiseKernel(out, v, outS, schedule);
}

Func buildResize(const ResizeDesc &d, Schedule &schedule, Args &args) {
  ImageParam in = input(args, d.input, "in");
  Var x("x"), y("y"), c("c"), n("n");
  Func out("resize");
  out(x, y, c, n) =
      in(x / static_cast<int>(d.scaleW), y / static_cast<int>(d.scaleH), c, n);
  return pointwiseKernel(out, {x, y, c, n}, d.output, schedule);
}

} // namespace yolo
} // namespace mlir
