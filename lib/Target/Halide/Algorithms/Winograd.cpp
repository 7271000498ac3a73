//===- Winograd.cpp - 3x3 stride-1 convolution by Winograd ----------------===//
//
// F(m x m, 3 x 3) on tiles of m x m outputs (include/yolo/Target/
// Winograd.h): the input transform B^T d B of each (m + 2)^2 input tile,
// done along W then H; t * t matrix products over the input channels with
// the weights transformed at compile time (--yolo-winograd) or, given the
// 3x3 ones, here per block of output channels; the output
// transform A^T M A along H then W, plus the bias and the activation. The
// transforms are sums with the matrices' constant coefficients (zeros
// skipped, +-1 as additions), one expression per row selected by the
// row's variable, which the schedule unrolls.
//
//===----------------------------------------------------------------------===//

#include "Algorithms.h"

#include "yolo/Target/Winograd.h"

#include <cmath>
#include <functional>

using namespace Halide;

namespace mlir {
namespace yolo {

namespace {

/// sum_a row[a] * value(a), with the zero coefficients left out.
Expr combine(const double *row, int n, const std::function<Expr(int)> &value) {
  Expr e;
  for (int a = 0; a < n; ++a) {
    double c = row[a];
    if (c == 0.0)
      continue;
    Expr v = value(a);
    if (!e.defined())
      e = c == 1.0 ? v : c == -1.0 ? -v : Expr(static_cast<float>(c)) * v;
    else if (c == 1.0)
      e = e + v;
    else if (c == -1.0)
      e = e - v;
    else
      e = e + Expr(static_cast<float>(c)) * v;
  }
  return e.defined() ? e : Expr(0.0f);
}

/// Row `rowVar` of `matrix` [rows x cols] applied to value(0..cols-1): one
/// expression per row, chosen by the row's value (constant once unrolled).
Expr applyRows(const std::vector<double> &matrix, int rows, int cols,
               Var rowVar, const std::function<Expr(int)> &value) {
  std::vector<Expr> perRow;
  for (int r = 0; r < rows; ++r)
    perRow.push_back(combine(&matrix[r * cols], cols, value));
  return mux(rowVar, perRow);
}

} // namespace

Func buildConvWinograd(const WinogradDesc &d, const ConvTile &tile,
                       Schedule &schedule, Args &args) {
  const WinogradMatrices &wm = winogradMatrices(static_cast<int>(d.m));
  int m = wm.m, t = wm.t;
  int cin = static_cast<int>(d.input[1]), cout = static_cast<int>(d.output[1]);
  int pt = static_cast<int>(d.padTop), pl = static_cast<int>(d.padLeft);
  int block = static_cast<int>(d.weightBlock);
  ImageParam in = input(args, d.input, "in"),
             u = input(args, winogradWeightShape(d),
                       d.runtimeWeights ? "w" : "u"),
             bias = input(args, {cout}, "b");
  auto plus = residualAdder(args, d.residual, d.output);
  Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
  WinogradFuncs f{Func("conv_winograd"),
                  Func("otile"),
                  Func("mx"),
                  Func("prod"),
                  Func("macc"),
                  Func("v"),
                  Func("vx"),
                  Func(),
                  Func(),
                  Var("x"),
                  Var("y"),
                  Var("co"),
                  Var("n"),
                  Var("tx"),
                  Var("ty"),
                  Var("ci"),
                  Var("xi"),
                  Var("nu"),
                  Var("b"),
                  Var("i"),
                  Var("j"),
                  RDom(0, cin, "r")};
  Var x = f.x, y = f.y, co = f.co, n = f.n, tx = f.tx, ty = f.ty, ci = f.ci,
      xi = f.xi, nu = f.nu, b = f.b, i = f.i, j = f.j;
  f.vx(tx, xi, b, ty, ci, n) = applyRows(wm.BT, t, t, xi, [&](int a) {
    return inb(tx * m + a - pl, ty * m + b - pt, ci, n);
  });
  f.v(tx, ci, xi, nu, ty, n) = applyRows(
      wm.BT, t, t, nu, [&](int a) { return f.vx(tx, xi, a, ty, ci, n); });
  Expr weight;
  if (!d.runtimeWeights && block) {
    // In blocks of output channels: a vector of them is one block's (the
    // schedule's blocks are whole multiples of it, or divide it).
    weight = u(co % block, f.r, co / block, xi + t * nu);
  } else if (!d.runtimeWeights) {
    weight = u(co, f.r, xi + t * nu);
  } else {
    // U = G g G^T from the 3x3 weights w(co, ci, kx, ky): G along the
    // kernel's columns (kx, with xi along W), then along its rows.
    f.gw = Func("gw");
    f.uw = Func("uw");
    // Where the output channels end inside a vector, the schedule may
    // compute the products of the whole last vector (x86): the channels
    // past the end then read zero weights.
    Func w3 = u;
    if (tile.lanes > 0 && cout % tile.lanes != 0)
      w3 = BoundaryConditions::constant_exterior(
          u, 0.0f, {Range(0, cout), Range(), Range(), Range()});
    f.gw(co, ci, xi, b) =
        applyRows(wm.G, t, 3, xi, [&](int a) { return w3(co, ci, a, b); });
    f.uw(co, ci, xi, nu) =
        applyRows(wm.G, t, 3, nu, [&](int a) { return f.gw(co, ci, xi, a); });
    weight = f.uw(co, f.r, xi, nu);
  }
  f.macc(co, tx, ty, xi, nu, n) = 0.0f;
  f.macc(co, tx, ty, xi, nu, n) += weight * f.v(tx, f.r, xi, nu, ty, n);
  f.prod(co, tx, ty, xi, nu, n) = f.macc(co, tx, ty, xi, nu, n);
  f.mx(co, xi, j, tx, ty, n) = applyRows(
      wm.AT, m, t, j, [&](int a) { return f.prod(co, tx, ty, xi, a, n); });
  f.otile(co, i, j, tx, ty, n) = activate(
      bias(co) + applyRows(wm.AT, m, t, i,
                           [&](int a) { return f.mx(co, a, j, tx, ty, n); }),
      d.activation, d.alpha, schedule);
  f.out(x, y, co, n) =
      plus(f.otile(co, x % m, y % m, x / m, y / m, n), {x, y, co, n});
  constrainOutput(f.out, d.output);
  schedule.convWinograd(f, d, tile);
  return f.out;
}

} // namespace yolo
} // namespace mlir
