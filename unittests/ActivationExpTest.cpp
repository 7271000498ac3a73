//===- ActivationExpTest.cpp - e^x of the CPU activations -----------------===//
//
// polynomialExp (lib/Target/Halide/Algorithms) replaces Halide's exp in
// SiLU and sigmoid on CPU targets. These tests compile it with Halide's JIT,
// vectorized as the kernels are, and compare it with e^x in double
// precision over a dense sweep of its range, in both of its forms (for
// targets with and without FMAs); then SiLU and sigmoid as activate()
// builds them for an x86 schedule, including inputs past the clamp. The
// JIT compiles for the host, or for HL_JIT_TARGET (x86-64-linux-sse41: no
// FMAs).
//
//===----------------------------------------------------------------------===//

#include "../lib/Target/Halide/Algorithms/Algorithms.h"

#include "yolo/Target/TargetInfo.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace mlir::yolo;

namespace {

/// The distance from `got` to `want` in units in the last place of the
/// float nearest `want` (a normal float here).
double ulps(float got, double want) {
  int e;
  std::frexp(want, &e);
  return std::fabs(got - want) / std::ldexp(1.0, e - 24);
}

/// f applied to `xs` by Halide's JIT, 16 lanes at a time.
std::vector<float>
evaluate(const std::vector<float> &xs,
         const std::function<Halide::Expr(Halide::Expr)> &f) {
  Halide::Buffer<float> in(static_cast<int>(xs.size()));
  std::memcpy(in.data(), xs.data(), xs.size() * sizeof(float));
  Halide::Var i("i");
  Halide::Func out("out");
  out(i) = f(in(i));
  out.vectorize(i, 16, Halide::TailStrategy::GuardWithIf);
  Halide::Buffer<float> result = out.realize(
      {static_cast<int>(xs.size())}, Halide::get_jit_target_from_environment());
  return std::vector<float>(result.data(), result.data() + xs.size());
}

/// Every 2^-10-th step of [-87, 88], and the floats at and next to the
/// multiples of ln 2 / 2 (the odd ones are where the rounding of x / ln 2
/// changes).
std::vector<float> sweep() {
  std::vector<float> xs;
  for (double x = -87.0; x <= 88.0; x += 1.0 / 1024)
    xs.push_back(static_cast<float>(x));
  for (int k = -251; k <= 253; ++k) {
    float b = static_cast<float>(k * std::log(2.0) / 2);
    for (float x : {std::nextafter(b, -1e9f), b, std::nextafter(b, 1e9f)})
      if (x >= -87.0f && x <= 88.0f)
        xs.push_back(x);
  }
  xs.push_back(0.0f);
  xs.push_back(-0.0f);
  xs.push_back(1e-30f);
  xs.push_back(-1e-30f);
  return xs;
}

/// Whether the JIT's target forms FMAs (Halide implies fma from avx2).
bool jitHasFma() {
  Halide::Target t = Halide::get_jit_target_from_environment();
  return t.arch == Halide::Target::ARM || t.has_feature(Halide::Target::FMA) ||
         t.has_feature(Halide::Target::AVX2) ||
         t.has_feature(Halide::Target::AVX512);
}

/// The worst distance from e^x over `xs`, in ulp, and where.
std::pair<double, float> worstUlps(const std::vector<float> &xs,
                                   const std::vector<float> &ys) {
  std::pair<double, float> worst{0.0, 0.0f};
  for (size_t k = 0; k < xs.size(); ++k) {
    double u = ulps(ys[k], std::exp(static_cast<double>(xs[k])));
    if (u > worst.first)
      worst = {u, xs[k]};
  }
  return worst;
}

// The form for targets without FMAs holds on any target. (Halide's exp, in
// the same sweep: 3.0 ulp at worst with FMAs, 68 without, where its
// reduction by one float ln 2 loses bits.)
TEST(ActivationExpTest, WithinOneAndAHalfUlpsOfExp) {
  std::vector<float> xs = sweep();
  auto [worst, at] = worstUlps(
      xs, evaluate(xs, [](Halide::Expr x) { return polynomialExp(x, false); }));
  // Measured: 0.99 ulp with FMAs (AVX-512, AVX2), 1.24 without (SSE4.1).
  EXPECT_LE(worst, 1.5) << "at x = " << at;
}

// The form for targets with FMAs, where the JIT's target has them.
TEST(ActivationExpTest, WithFmasWithinFourAndAHalfUlpsOfExp) {
  if (!jitHasFma())
    GTEST_SKIP() << "the JIT's target has no FMAs";
  std::vector<float> xs = sweep();
  auto [worst, at] = worstUlps(
      xs, evaluate(xs, [](Halide::Expr x) { return polynomialExp(x, true); }));
  // Measured: 2.3 ulp for |x| < 40, 4.4 at x = 85.9 (AVX-512, AVX2).
  EXPECT_LE(worst, 4.5) << "at x = " << at;
}

TEST(ActivationExpTest, ClampsOutsideItsRange) {
  std::vector<float> xs = {-1e30f,
                           -100.0f,
                           -87.5f,
                           88.5f,
                           100.0f,
                           1e30f,
                           -std::numeric_limits<float>::infinity(),
                           std::numeric_limits<float>::infinity()};
  for (bool fused : {false, true}) {
    if (fused && !jitHasFma())
      continue;
    std::vector<float> ys =
        evaluate(xs, [&](Halide::Expr x) { return polynomialExp(x, fused); });
    for (size_t k = 0; k < xs.size(); ++k) {
      double want = std::exp(xs[k] < 0 ? -87.0 : 88.0);
      EXPECT_LE(ulps(ys[k], want), 4.5)
          << "x = " << xs[k] << ": " << ys[k] << (fused ? " (FMA)" : "");
    }
  }
}

// SiLU and sigmoid as activate() builds them with the schedule of an x86
// target like the JIT's (with or without FMAs), against double precision,
// over [-100, 100] (past the clamp on both sides).
TEST(ActivationExpTest, SiluAndSigmoid) {
  std::string error;
  std::optional<TargetInfo> target = TargetInfo::parse(
      jitHasFma() ? "x86-64-linux-avx2-fma" : "x86-64-linux-sse41", error);
  ASSERT_TRUE(target) << error;
  std::unique_ptr<Schedule> schedule = makeX86Schedule(*target);
  std::vector<float> xs;
  for (double x = -100.0; x <= 100.0; x += 1.0 / 256)
    xs.push_back(static_cast<float>(x));
  std::vector<float> silu = evaluate(xs, [&](Halide::Expr v) {
    return activate(v, Activation::silu, 0.0f, *schedule);
  });
  std::vector<float> sigmoid = evaluate(xs, [&](Halide::Expr v) {
    return activate(v, Activation::sigmoid, 0.0f, *schedule);
  });
  double worstSilu = 0, worstSigmoid = 0;
  float atSilu = 0, atSigmoid = 0;
  for (size_t k = 0; k < xs.size(); ++k) {
    double x = xs[k], s = 1.0 / (1.0 + std::exp(-x));
    // Relative to the magnitude, with the absolute floor of a float
    // near 1 (past x = -87 the clamp leaves values below 1e-36).
    double eSilu = std::fabs(silu[k] - x * s) / std::max(std::fabs(x * s), 1.0);
    double eSigmoid = std::fabs(sigmoid[k] - s) / std::max(s, 1e-30);
    if (eSilu > worstSilu)
      worstSilu = eSilu, atSilu = xs[k];
    if (eSigmoid > worstSigmoid)
      worstSigmoid = eSigmoid, atSigmoid = xs[k];
  }
  // Measured: SiLU 1.1e-7 relative with and without FMAs; sigmoid 2.8e-7
  // with them (e^-x's 4.4 ulp near the clamp), 1.3e-7 without.
  EXPECT_LE(worstSilu, 2.5e-7) << "at x = " << atSilu;
  EXPECT_LE(worstSigmoid, 4e-7) << "at x = " << atSigmoid;
}

} // namespace
