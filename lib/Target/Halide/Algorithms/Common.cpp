//===- Common.cpp - helpers shared by the algorithms ----------------------===//

#include "Algorithms.h"

using namespace Halide;

namespace mlir {
namespace yolo {

Expr activate(Expr v, Activation act, float alpha) {
  switch (act) {
  case Activation::none:
    return v;
  case Activation::silu:
    return v / (1.0f + exp(-v));
  case Activation::sigmoid:
    return 1.0f / (1.0f + exp(-v));
  case Activation::relu:
    return max(v, 0.0f);
  case Activation::leaky_relu:
    return select(v >= 0.0f, v, v * alpha);
  }
  return v;
}

ImageParam input(Args &args, const Shape &shape, const std::string &name) {
  int rank = static_cast<int>(shape.size());
  ImageParam p(Float(32), rank, name);
  for (int d = 0; d < rank; ++d)
    p.dim(d).set_bounds(0, static_cast<int>(shape[rank - 1 - d]));
  if (rank > 0)
    p.dim(0).set_stride(1);
  args.push_back(p);
  return p;
}

ImageParam denseInput(Args &args, const Shape &shape, const std::string &name) {
  ImageParam p = input(args, shape, name);
  int rank = static_cast<int>(shape.size());
  int stride = 1;
  for (int d = 0; d < rank; ++d) {
    p.dim(d).set_stride(stride);
    stride *= static_cast<int>(shape[rank - 1 - d]);
  }
  return p;
}

std::function<Expr(Expr, const std::vector<Var> &)>
residualAdder(Args &args, bool residual, const Shape &shape) {
  if (!residual)
    return [](Expr v, const std::vector<Var> &) { return v; };
  ImageParam r = input(args, shape, "r");
  return [r](Expr v, const std::vector<Var> &at) {
    std::vector<Expr> coords(at.begin(), at.end());
    return v + r(coords);
  };
}

void constrainOutput(Func out, const Shape &shape) {
  int rank = static_cast<int>(shape.size());
  OutputImageParam o = out.output_buffer();
  for (int d = 0; d < rank; ++d)
    o.dim(d).set_bounds(0, static_cast<int>(shape[rank - 1 - d]));
  if (rank > 0)
    o.dim(0).set_stride(1);
}

Func pointwiseKernel(Func out, const std::vector<Var> &v, const Shape &shape,
                     Schedule &schedule, bool sameElement) {
  constrainOutput(out, shape);
  schedule.pointwise(out, v, shape, sameElement);
  return out;
}

std::vector<Var> makeVars(size_t rank) {
  std::vector<Var> v;
  for (size_t d = 0; d < rank; ++d)
    v.push_back(Var("d" + std::to_string(d)));
  return v;
}

} // namespace yolo
} // namespace mlir
