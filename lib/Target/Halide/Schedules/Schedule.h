//===- Schedule.h - the schedule of each kernel, per family -----*- C++ -*-===//
//
// The algorithms (Algorithms/) define a kernel's Funcs and hand them to a
// Schedule, which only schedules them. One implementation per target
// family, one file each: X86.cpp (the CPU loop structure, written and
// measured on x86), Arm.cpp (NEON: the same loop structure around NEON's
// register tile), Cuda.cpp. Register tiles are not chosen here: the
// convolution descriptors carry them (TileRules*.cpp in lib/Target).
// Private to lib/Target/Halide; needs Halide.h.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_SCHEDULES_SCHEDULE_H
#define YOLO_LIB_TARGET_HALIDE_SCHEDULES_SCHEDULE_H

#include "yolo/Target/KernelDesc.h"
#include "yolo/Target/TargetInfo.h"

#include "Halide.h"

#include <memory>
#include <stdexcept>
#include <vector>

namespace mlir {
namespace yolo {

/// A direct 2-D convolution: out(x, y, co, n) = act(acc(x, y, co, n)),
/// acc = bias, then acc += weights(r.x, r.y, r.z, co) * inb(...) over the
/// reduction domain r (kernel x, kernel y, input channels of the group).
struct ConvFuncs {
  Halide::Func out, acc;
  /// The input with its zero boundary.
  Halide::Func inb;
  Halide::ImageParam weights;
  Halide::Var x, y, co, n;
  Halide::RDom r;
  /// Stride 2 along W where the schedule asks for it
  /// (Schedule::stridedInputPhases): phases(xh, p, y, c, n) = inb(2 xh + p -
  /// padLeft, y, c, n), the input's even (p = 0) and odd columns, which acc
  /// reads instead of inb, so a vector of outputs loads contiguous inputs.
  /// Undefined otherwise.
  Halide::Func phases;
};

/// A direct convolution with weights in blocks of output channels
/// (ConvDesc::channelBlock()), vectorized along output channels:
/// acc(co, x, y, n) = bias, then acc += w(co % B, r.x, r.y, r.z, co / B) *
/// pad(sw x + r.x, sh y + r.y, r.z, n), where pad(x, y, c, n) is the input
/// shifted by the padding, zero outside it; out(x, y, co, n) =
/// act(acc(co, x, y, n)).
struct ConvBlockedFuncs {
  Halide::Func out, acc, pad;
  Halide::Var x, y, co, n;
  Halide::RDom r;
};

/// The flattened 1x1 convolution: out(p, co, n) = act(acc(p, co, n)),
/// acc = bias, then acc += weights(r, co) * input(p, r, n).
struct Conv1x1Funcs {
  Halide::Func out, acc;
  Halide::ImageParam input, weights;
  Halide::Var p, co, n;
  Halide::RDom r;
};

/// Winograd F(m x m, 3 x 3) (Algorithms/Winograd.cpp), tile (tx, ty) of
/// m x m outputs, t = m + 2, transformed-domain point (xi, nu):
///   vx(tx, xi, b, ty, ci, n)  = B^T along W of the input tile's row b;
///   v(tx, ci, xi, nu, ty, n)  = B^T along H: the transformed input;
///   macc(co, tx, ty, xi, nu, n) = 0, += u(co, r, xi + t nu) * v(tx, r, ...)
///     over the input channels r in increasing order; with weights
///     transformed at run time uw(co, r, xi, nu) instead of u, where
///     gw(co, ci, xi, b) = G along the kernel's columns of row b, and
///     uw(co, ci, xi, nu) = G along its rows (both undefined otherwise);
///   prod(co, tx, ty, xi, nu, n) = macc(...): the products, materialized;
///   mx(co, xi, j, tx, ty, n)  = A^T along H;
///   otile(co, i, j, tx, ty, n) = A^T along W, plus the bias, activated;
///   out(x, y, co, n) = otile(co, x % m, y % m, x / m, y / m, n).
struct WinogradFuncs {
  Halide::Func out, otile, mx, prod, macc, v, vx, uw, gw;
  Halide::Var x, y, co, n, tx, ty, ci, xi, nu, b, i, j;
  Halide::RDom r;
};

/// Softmax: out(v) = exp(a(v) - mx(rows)) / den(rows), with mx and den
/// one value per row (`rows`: the variables of `v` but the axis). Along
/// the innermost axis, and along another one where the schedule asks for
/// it (Schedule::stridedSoftmax), `e` (otherwise undefined) holds the
/// exponentials: den sums e and out = e / den.
struct SoftmaxFuncs {
  Halide::Func out, mx, den, e;
  std::vector<Halide::Var> v, rows;
};

/// Max pooling in two passes (Schedule::separablePool): rows(x, iy, c, n) is
/// the maximum over the kernel's columns of input row iy for output column
/// x, out(x, y, c, n) the maximum of rows over the kernel's rows for output
/// row y.
struct PoolFuncs {
  Halide::Func out, rows;
  Halide::Var x, y, c, n;
};

/// The batched matrix product out(n, m, b...) = acc(n, m, b...), acc = 0,
/// then acc += lhs(r, m, b...) * rhs(n, r, b...) over r in increasing order
/// (`batch`: the batch variables, innermost first; `n` is the output's
/// innermost, contiguous dimension).
struct MatMulFuncs {
  Halide::Func out, acc;
  Halide::Var n, m;
  std::vector<Halide::Var> batch;
  Halide::RDom r;
};

class Schedule {
public:
  virtual ~Schedule() = default;
  /// `tile`: the descriptor's register tile for the target being compiled.
  virtual void conv(const ConvFuncs &f, const ConvDesc &desc,
                    const ConvTile &tile) = 0;
  virtual void conv1x1(const Conv1x1Funcs &f, const Conv1x1Desc &desc,
                       const ConvTile &tile) = 0;
  /// `tile`: [lanes, vectors of output channels, output pixels along W].
  /// Only the x86 schedule has one (--yolo-channel-blocks makes such
  /// layers for full-rate AVX-512 targets only).
  virtual void convBlocked(const ConvBlockedFuncs &f, const ConvDesc &desc,
                           const ConvTile &tile) {
    (void)f, (void)desc, (void)tile;
    throw std::runtime_error("no schedule for a convolution with weights in "
                             "blocks of output channels on this target");
  }
  /// `tile`: vectors of output channels by tiles along W.
  virtual void convWinograd(const WinogradFuncs &f, const WinogradDesc &desc,
                            const ConvTile &tile) = 0;
  /// Any kernel whose output elements are computed independently (pooling,
  /// resize, binary, unary, affine, copy, pad, transpose, reduce_sum):
  /// `out` over variables `v` (innermost first), output `shape`.
  /// `sameElement`: each output element reads only the same element of
  /// each input (binary, unary), no window or other index.
  virtual void pointwise(Halide::Func out, const std::vector<Halide::Var> &v,
                         const Shape &shape, bool sameElement) = 0;
  virtual void softmax(const SoftmaxFuncs &f, const SoftmaxDesc &desc) = 0;
  /// Max pooling in two passes (PoolFuncs), where separablePool() is true.
  virtual void pool(const PoolFuncs &f, const PoolDesc &desc) {
    pointwise(f.out, {f.x, f.y, f.c, f.n}, desc.output, false);
  }
  virtual void matmul(const MatMulFuncs &f, const MatMulDesc &desc) = 0;
  /// Whether convolutions of stride 2 along W read their input split into
  /// even and odd columns (ConvFuncs::phases).
  virtual bool stridedInputPhases() const { return false; }
  /// Whether a softmax along an axis other than the innermost computes its
  /// exponentials once (SoftmaxFuncs::e) with mx and den as explicit
  /// updates, for a schedule that vectorizes them along the innermost axis.
  virtual bool stridedSoftmax() const { return false; }
  /// e^x in SiLU and sigmoid (activate, Algorithms.h).
  virtual Halide::Expr activationExp(Halide::Expr x) const {
    return Halide::exp(x);
  }
  /// Whether max pooling is built in two passes, along W and then along H
  /// (PoolFuncs), rather than as one reduction over the window per output
  /// element.
  virtual bool separablePool() const { return false; }
};

/// The schedules of each family (X86.cpp, Arm.cpp, Cuda.cpp).
std::unique_ptr<Schedule> makeX86Schedule(const TargetInfo &target);
std::unique_ptr<Schedule> makeArmSchedule(const TargetInfo &target);
std::unique_ptr<Schedule> makeCudaSchedule(const TargetInfo &target);

/// The CPU loop structure, written and measured on x86 (X86.cpp); ARM
/// reuses it whole (Arm.cpp). Vectors of the target's natural size.
class CpuSchedule : public Schedule {
public:
  explicit CpuSchedule(const TargetInfo &target)
      : vec(target.vectorLanes), registers(target.vectorRegisters),
        x86(target.family == TargetFamily::X86),
        fma(!x86 || target.hasFeature("fma") || target.hasFeature("avx2") ||
            target.vectorLanes == 16) {}
  void conv(const ConvFuncs &f, const ConvDesc &desc,
            const ConvTile &tile) override;
  void conv1x1(const Conv1x1Funcs &f, const Conv1x1Desc &desc,
               const ConvTile &tile) override;
  void convWinograd(const WinogradFuncs &f, const WinogradDesc &desc,
                    const ConvTile &tile) override;
  void convBlocked(const ConvBlockedFuncs &f, const ConvDesc &desc,
                   const ConvTile &tile) override;
  void pointwise(Halide::Func out, const std::vector<Halide::Var> &v,
                 const Shape &shape, bool sameElement) override;
  void softmax(const SoftmaxFuncs &f, const SoftmaxDesc &desc) override;
  bool stridedInputPhases() const override { return true; }
  bool stridedSoftmax() const override { return true; }
  bool separablePool() const override { return true; }
  /// polynomialExp (Algorithms.h): SiLU takes 10 % of gelan-t 640 at one
  /// thread (61.1 ms against 54.9 without it, a wrong-output bound); with
  /// polynomialExp it takes 17 AVX-512 instructions a vector besides the
  /// division, with Halide's exp 21 (bench/README.md, session 31).
  Halide::Expr activationExp(Halide::Expr x) const override;
  void pool(const PoolFuncs &f, const PoolDesc &desc) override;
  void matmul(const MatMulFuncs &f, const MatMulDesc &desc) override;

private:
  /// Softmax along the innermost axis (SoftmaxFuncs::e defined).
  void softmaxRows(const SoftmaxFuncs &f, const SoftmaxDesc &desc);
  /// Softmax along another axis (SoftmaxFuncs::e and the updates of mx
  /// and den defined: Schedule::stridedSoftmax).
  void softmaxStrided(const SoftmaxFuncs &f, const SoftmaxDesc &desc);
  /// f32 lanes of the target's natural vector.
  int vec;
  /// Vector registers of the target (16 on AVX2, 32 on AVX-512).
  int registers;
  /// An x86-64 target (ARM64 NEON shares these schedules otherwise).
  bool x86;
  /// The target has FMAs: every ARM64 one; on x86 the fma feature, which
  /// Halide implies from avx2 and AVX-512 (complete_x86_target).
  bool fma;
};

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_SCHEDULES_SCHEDULE_H
