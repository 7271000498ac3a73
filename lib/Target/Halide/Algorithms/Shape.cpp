//===- Shape.cpp - data-movement algorithms -------------------------------===//
//
// Copy, pad, transpose and resize: each output element is one input
// element (or the pad value), or for bilinear resizing a weighted sum of
// four.
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

namespace {
/// Where output index `o` of one axis of a linear resize reads the input:
/// its two neighbouring input indices and their weights.
struct LinearTaps {
  Expr lo, hi, wLo, wHi;
};

/// ONNX Resize's linear sampling along one axis of input length `inLen`
/// and output length `outLen`, in f32 as onnxruntime computes it: the
/// coordinate `mode` maps `o` to (with `scale`, the model's scale or
/// outLen / inLen), clamped to [0, inLen - 1] (ONNX samples outside the
/// input at its edge), between rows lo and hi = lo + 1 with weights
/// hi - src and src - lo; at the last row lo == hi, each weighted 0.5.
LinearTaps linearTaps(Expr o, int64_t inLen, int64_t outLen, float scale,
                      CoordinateMode mode) {
  Expr x = cast<float>(o);
  Expr src;
  switch (mode) {
  case CoordinateMode::half_pixel:
    src = (x + 0.5f) / scale - 0.5f;
    break;
  case CoordinateMode::pytorch_half_pixel:
    src = outLen > 1 ? (x + 0.5f) / scale - 0.5f : Expr(0.0f);
    break;
  case CoordinateMode::align_corners:
    src = outLen > 1 ? x * static_cast<float>(inLen - 1) /
                           static_cast<float>(outLen - 1)
                     : Expr(0.0f);
    break;
  case CoordinateMode::asymmetric:
    src = x / scale;
    break;
  }
  int last = static_cast<int>(inLen - 1);
  src = clamp(src, 0.0f, static_cast<float>(last));
  // src >= 0, so truncation is floor; the int clamp bounds the reads.
  Expr lo = clamp(cast<int>(src), 0, last);
  Expr hi = min(lo + 1, last);
  Expr edge = lo == hi;
  return {lo, hi, select(edge, 0.5f, cast<float>(hi) - src),
          select(edge, 0.5f, src - cast<float>(lo))};
}
} // namespace

Func buildResize(const ResizeDesc &d, Schedule &schedule, Args &args) {
  ImageParam in = input(args, d.input, "in");
  Var x("x"), y("y"), c("c"), n("n");
  Func out("resize");
  if (d.mode == ResizeMode::nearest) {
    out(x, y, c, n) = in(x / static_cast<int>(d.scaleW),
                         y / static_cast<int>(d.scaleH), c, n);
    return pointwiseKernel(out, {x, y, c, n}, d.output, schedule);
  }
  // Bilinear, summed in onnxruntime's order.
  LinearTaps tx =
      linearTaps(x, d.input[3], d.output[3], d.coordScaleW, d.coordinateMode);
  LinearTaps ty =
      linearTaps(y, d.input[2], d.output[2], d.coordScaleH, d.coordinateMode);
  out(x, y, c, n) = tx.wLo * ty.wLo * in(tx.lo, ty.lo, c, n) +
                    tx.wHi * ty.wLo * in(tx.hi, ty.lo, c, n) +
                    tx.wLo * ty.wHi * in(tx.lo, ty.hi, c, n) +
                    tx.wHi * ty.wHi * in(tx.hi, ty.hi, c, n);
  return pointwiseKernel(out, {x, y, c, n}, d.output, schedule);
}

} // namespace yolo
} // namespace mlir
