//===- Algorithms.h - the Halide algorithm of each kernel -------*- C++ -*-===//
//
// Each kernel is written as a Halide algorithm, then scheduled for the
// target family. Tensors are NCHW (Halide dim 0 = W); every buffer has
// static extents and unit stride in its innermost dimension, while the
// other strides are free, so kernels read and write strided views (channel
// slices of a concat buffer) without copies.
//
// One file per op family: Conv.cpp, Pool.cpp, Elementwise.cpp (binary,
// unary), Shape.cpp (copy, pad, transpose, resize), Reduce.cpp
// (softmax, reduce_sum). Each builder defines the kernel's Funcs, appends
// its inputs to `args` (the output is the returned Func) and hands the
// Funcs to `schedule`. Private to lib/Target/Halide; needs Halide.h.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_TARGET_HALIDE_ALGORITHMS_ALGORITHMS_H
#define YOLO_LIB_TARGET_HALIDE_ALGORITHMS_ALGORITHMS_H

#include "../Schedules/Schedule.h"

#include "yolo/Target/KernelDesc.h"

#include "Halide.h"

#include <functional>
#include <string>
#include <vector>

namespace mlir {
namespace yolo {

using Args = std::vector<Halide::Argument>;

// Conv.cpp. `tile` is the descriptor's register tile for the target.
Halide::Func buildConv(const ConvDesc &d, const ConvTile &tile,
                       Schedule &schedule, Args &args);
Halide::Func buildConv1x1(const Conv1x1Desc &d, const ConvTile &tile,
                          Schedule &schedule, Args &args);
// Winograd.cpp.
Halide::Func buildConvWinograd(const WinogradDesc &d, const ConvTile &tile,
                               Schedule &schedule, Args &args);
/// Scheduled as a pointwise kernel (Schedule::pointwise): no register tile.
Halide::Func buildConvTranspose(const ConvTransposeDesc &d, Schedule &schedule,
                                Args &args);
// Pool.cpp.
Halide::Func buildPool(const PoolDesc &d, Schedule &schedule, Args &args);
// Elementwise.cpp.
Halide::Func buildBinary(const BinaryDesc &d, Schedule &schedule, Args &args);
Halide::Func buildUnary(const UnaryDesc &d, Schedule &schedule, Args &args);
// Shape.cpp.
Halide::Func buildCopy(const CopyDesc &d, Schedule &schedule, Args &args);
Halide::Func buildPad(const PadDesc &d, Schedule &schedule, Args &args);
Halide::Func buildTranspose(const TransposeDesc &d, Schedule &schedule,
                            Args &args);
Halide::Func buildResize(const ResizeDesc &d, Schedule &schedule, Args &args);
// Reduce.cpp.
Halide::Func buildSoftmax(const SoftmaxDesc &d, Schedule &schedule, Args &args);
Halide::Func buildReduceSum(const ReduceSumDesc &d, Schedule &schedule,
                            Args &args);
// MatMul.cpp.
Halide::Func buildMatMul(const MatMulDesc &d, Schedule &schedule, Args &args);

// Helpers shared by the algorithms (Common.cpp).

/// `act` applied to `v` (alpha: leaky_relu's slope); SiLU and sigmoid take
/// e^-v from Schedule::activationExp.
Halide::Expr activate(Halide::Expr v, Activation act, float alpha,
                      const Schedule &schedule);

/// e^x in fewer vector instructions than Halide's exp, whose floor takes
/// four on AVX-512 (two 256-bit roundings, an extract and an insert), and
/// with no test for overflow: x is clamped to [-87, 88], where e^x is a
/// normal float. `fusedMultiplyAdd`: the target has FMAs, which LLVM forms
/// from Halide's products and sums; the range reduction then takes one
/// constant instead of two. Within 1.25 ulp of e^x without FMAs, 4.4 ulp
/// with them (Halide's exp: 68 / 5.1); checked in
/// unittests/ActivationExpTest.cpp.
Halide::Expr polynomialExp(Halide::Expr x, bool fusedMultiplyAdd);

/// An input of the kernel, appended to `args`: static extents (MLIR
/// order) and unit innermost stride.
Halide::ImageParam input(Args &args, const Shape &shape,
                         const std::string &name);

/// A kernel input that is always a dense tensor of its own (convolution
/// weights): as `input`, with every stride fixed at compile time, so that
/// the loads of a register tile's channels are one base address plus
/// constant offsets. Halide checks the strides when the kernel is called.
Halide::ImageParam denseInput(Args &args, const Shape &shape,
                              const std::string &name);

/// Declares the output buffer's extents (MLIR order) and unit innermost
/// stride.
void constrainOutput(Halide::Func out, const Shape &shape);

/// Declares the output of a kernel whose elements are computed
/// independently (`out` over `v`, shape `shape`) and schedules it.
/// `sameElement`: Schedule::pointwise's.
Halide::Func pointwiseKernel(Halide::Func out,
                             const std::vector<Halide::Var> &v,
                             const Shape &shape, Schedule &schedule,
                             bool sameElement = false);

/// A convolution's residual (ConvDesc::residual): when `residual`, an
/// input "r" of shape `shape`, appended to `args`, and a function that adds
/// its element at `at` (Halide order) to a value; otherwise a function that
/// returns the value as it is.
std::function<Halide::Expr(Halide::Expr, const std::vector<Halide::Var> &)>
residualAdder(Args &args, bool residual, const Shape &shape);

/// Variables d0 (innermost), d1, ... for a tensor of `rank` dimensions.
std::vector<Halide::Var> makeVars(size_t rank);

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_TARGET_HALIDE_ALGORITHMS_ALGORITHMS_H
