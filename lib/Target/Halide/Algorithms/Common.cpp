//===- Common.cpp - helpers shared by the algorithms ----------------------===//

#include "Algorithms.h"

#include <cstdint>

using namespace Halide;

namespace mlir {
namespace yolo {

Expr polynomialExp(Expr x, bool fusedMultiplyAdd) {
  // x = n ln 2 + r with n = round(x / ln 2) and |r| <= ln 2 / 2: the
  // conversion truncates, and the offset keeps its argument positive on
  // the clamped range, so it rounds.
  x = clamp(x, -87.0f, 88.0f);
  Expr k = cast<int>(x * 1.44269504088896341f + 125.5f) - 125;
  Expr n = cast<float>(k);
  Expr r;
  if (fusedMultiplyAdd) {
    // One FMA with ln 2 rounded to a float: r carries n times its
    // rounding error, 1.9e-9, which adds up to 3.5 ulp at |n| = 127.
    r = x - n * 0.693147182f;
  } else {
    // Without FMAs, n ln 2 rounded would cost up to 68 ulp: ln 2 in two
    // parts, the first of 9 bits, so that n times it is exact. Halide's
    // simplifier folds x - n a - n b into x - n (a + b), so the second
    // product takes 2k, the same value by another expression, and half
    // the constant.
    r = x - n * 0.693359375f;
    r = r - cast<float>(k * 2) * -1.06097220e-4f;
  }
  // e^r for |r| <= 0.347, degree 6: relative error 2e-9 in exact
  // arithmetic, 1.25 ulp at most in float (coefficients fitted to the
  // relative error on Chebyshev nodes).
  static const float c[] = {1.384363160e-03f,
                            8.374155499e-03f,
                            4.166800156e-02f,
                            1.666643173e-01f,
                            4.999999404e-01f,
                            1.0f,
                            1.0f};
  Expr p = c[0];
  for (int i = 1; i < 7; ++i)
    p = p * r + c[i];
  // Times 2^n, n added to the exponent field: p is in [0.70, 1.42], so
  // the result stays a normal float for n in [-125, 127].
  return reinterpret<float>(reinterpret<int32_t>(p) + k * (1 << 23));
}

Expr activate(Expr v, Activation act, float alpha, const Schedule &schedule) {
  switch (act) {
  case Activation::none:
    return v;
  case Activation::silu:
    return v / (1.0f + schedule.activationExp(-v));
  case Activation::sigmoid:
    return 1.0f / (1.0f + schedule.activationExp(-v));
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
