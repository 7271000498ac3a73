//===- Elementwise.cpp - binary and unary algorithms ----------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

namespace {

/// Index expressions of a broadcast operand of `shape` (padded to the
/// output's rank) for output variables `v`.
std::vector<Expr> broadcastIndex(const Shape &shape, const Shape &outShape,
                                 const std::vector<Var> &v) {
  int rank = static_cast<int>(outShape.size());
  int inRank = static_cast<int>(shape.size());
  std::vector<Expr> idx;
  for (int d = 0; d < inRank; ++d) {
    int mlirDim = inRank - 1 - d;
    int outDim = rank - inRank + mlirDim;
    idx.push_back(shape[mlirDim] == 1 && outShape[outDim] != 1 ? Expr(0)
                                                               : Expr(v[d]));
  }
  return idx;
}

Expr apply(ykernel::BinaryKind kind, Expr l, Expr r) {
  switch (kind) {
  case ykernel::BinaryKind::add:
    return l + r;
  case ykernel::BinaryKind::sub:
    return l - r;
  case ykernel::BinaryKind::mul:
    return l * r;
  case ykernel::BinaryKind::div:
    return l / r;
  }
  return l / r;
}

} // namespace

Func buildBinary(const BinaryDesc &d, Schedule &schedule, Args &args) {
  const Shape &outS = d.output;
  ImageParam a = input(args, d.lhs, "a"), b = input(args, d.rhs, "b");
  std::vector<Var> v = makeVars(outS.size());
  Expr l = a(broadcastIndex(d.lhs, outS, v));
  Expr r = b(broadcastIndex(d.rhs, outS, v));
  Expr e = apply(d.kind, l, r);
  Func out("binary");
  out(v) = e;
  // (A broadcast operand is read at the output element's own indices, in
  // the dimensions it has.)
  return pointwiseKernel(out, v, outS, schedule, /*sameElement=*/true);
}

Func buildUnary(const UnaryDesc &d, Schedule &schedule, Args &args) {
  const Shape &outS = d.shape;
  ImageParam a = input(args, d.shape, "a");
  std::vector<Var> v = makeVars(outS.size());
  Func out("unary");
  out(v) = activate(a(std::vector<Expr>(v.begin(), v.end())), d.activation,
                    d.alpha, schedule);
  return pointwiseKernel(out, v, outS, schedule, /*sameElement=*/true);
}

} // namespace yolo
} // namespace mlir
