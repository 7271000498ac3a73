//===- Reduce.cpp - softmax and reduce_sum algorithms ---------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

Func buildSoftmax(const SoftmaxDesc &d, Schedule &schedule, Args &args) {
  const Shape &shape = d.shape;
  int rank = static_cast<int>(shape.size());
  int axis = rank - 1 - static_cast<int>(d.axis); // Halide dim
  ImageParam a = input(args, shape, "a");
  std::vector<Var> v = makeVars(rank), rows;
  for (int k = 0; k < rank; ++k)
    if (k != axis)
      rows.push_back(v[k]);
  RDom r(0, static_cast<int>(shape[d.axis]), "r");
  std::vector<Expr> idx(v.begin(), v.end());
  idx[axis] = r;
  Func mx("mx"), den("den"), out("softmax"), e;
  std::vector<Expr> at(v.begin(), v.end());
  // Along another axis than the innermost, where the schedule vectorizes
  // along the innermost (YOLO's DFL, 16 bins at a stride of A anchors), the
  // max and the sum are explicit updates, in the axis' order as the inline
  // reductions, so that the schedule can vectorize them.
  bool strided = axis != 0 && shape[rank - 1] > 1 && schedule.stridedSoftmax();
  if (strided) {
    mx(rows) = Float(32).min();
    mx(rows) = max(mx(rows), a(idx));
  } else {
    mx(rows) = maximum(a(idx));
  }
  if (axis == 0 || strided) {
    // Each exponential computed once, into a row (or a vector of rows)
    // the schedule keeps in cache, then summed in order and divided by
    // the sum.
    e = Func("e");
    e(v) = exp(a(at) - mx(rows));
    if (strided) {
      den(rows) = 0.0f;
      den(rows) += e(idx);
    } else {
      den(rows) = sum(e(idx));
    }
    out(v) = e(at) / den(rows);
  } else {
    den(rows) = sum(exp(a(idx) - mx(rows)));
    out(v) = exp(a(at) - mx(rows)) / den(rows);
  }
  constrainOutput(out, shape);
  schedule.softmax({out, mx, den, e, v, rows}, d);
  return out;
}

Func buildReduceSum(const ReduceSumDesc &d, Schedule &schedule, Args &args) {
  const Shape &inS = d.input, &outS = d.output;
  int inRank = static_cast<int>(inS.size());
  bool keep = d.keepDims;
  std::vector<bool> reduced(inRank, false);
  for (int64_t axis : d.axes)
    reduced[axis] = true;
  ImageParam a = input(args, inS, "a");
  std::vector<Var> v = makeVars(outS.size());
  Region ranges;
  for (int m = 0; m < inRank; ++m)
    if (reduced[m])
      ranges.push_back(Range(0, static_cast<int>(inS[m])));
  RDom r(ranges);
  std::vector<Expr> idx(inRank);
  int outRank = static_cast<int>(outS.size());
  int outMlir = 0, red = 0;
  for (int m = 0; m < inRank; ++m) {
    Expr e;
    if (reduced[m]) {
      e = r[red++];
      if (keep)
        ++outMlir;
    } else {
      e = v[outRank - 1 - outMlir];
      ++outMlir;
    }
    idx[inRank - 1 - m] = e;
  }
  Func out("reduce_sum");
  out(v) = sum(a(idx));
  return pointwiseKernel(out, v, outS, schedule);
}

} // namespace yolo
} // namespace mlir
