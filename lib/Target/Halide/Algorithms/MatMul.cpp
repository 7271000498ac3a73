//===- MatMul.cpp - the batched matrix product ----------------------------===//
//
// ONNX MatMul on operands of the output's rank (Bufferize pads the shorter
// one with leading 1s): out(n, m, b...) = sum over k of lhs(k, m, b...) *
// rhs(n, k, b...), where a batch dimension of extent 1 in an operand is
// broadcast. The sum is an update of `acc` over one RDom in increasing k,
// so every output element is computed in the same order whatever the
// schedule's tiling and thread count: results are bit-identical across
// runs and threads. The schedule (Schedules/) vectorizes along n, the
// output's contiguous dimension, reading rows of the rhs and broadcasting
// lhs elements.
//
//===----------------------------------------------------------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

Func buildMatMul(const MatMulDesc &d, Schedule &schedule, Args &args) {
  const Shape &lS = d.lhs, &rS = d.rhs, &outS = d.output;
  int rank = static_cast<int>(outS.size());
  ImageParam lhs = input(args, lS, "lhs"), rhs = input(args, rS, "rhs");
  Var n("n"), m("m");
  std::vector<Var> batch;
  RDom r(0, static_cast<int>(lS[rank - 1]), "r");
  std::vector<Expr> li = {r, m}, ri = {n, r};
  std::vector<Var> v = {n, m};
  // Halide dimension 2 + i is MLIR dimension rank - 3 - i.
  for (int i = 0; i + 2 < rank; ++i) {
    int mlir = rank - 3 - i;
    Var b("b" + std::to_string(i));
    batch.push_back(b);
    v.push_back(b);
    li.push_back(lS[mlir] == 1 ? Expr(0) : Expr(b));
    ri.push_back(rS[mlir] == 1 ? Expr(0) : Expr(b));
  }
  Func acc("acc"), out("matmul");
  acc(v) = 0.0f;
  acc(v) += lhs(li) * rhs(ri);
  out(v) = acc(v);
  constrainOutput(out, outS);
  schedule.matmul({out, acc, n, m, batch, r}, d);
  return out;
}

} // namespace yolo
} // namespace mlir
