//===- Kernels.cpp - Halide algorithms and schedules per op ---------------===//
//
// Each kernel is written as a Halide algorithm, then scheduled for the
// target family. Tensors are NCHW (Halide dim 0 = W); every buffer has
// static extents and unit stride in its innermost dimension, while the
// other strides are free, so kernels read and write strided views (channel
// slices of a concat buffer) without copies.
//
// Convolutions, where nearly all the time goes, use a register tile of
// 2 vectors along W (or along H*W for 1x1 convolutions) by 8 output
// channels: per reduction step two vector loads of the input feed 16 FMAs
// with broadcast weights. Output-channel blocks run innermost so that the
// input rows of a tile stay in cache while the weights stream through it.
//
// Measured (gelan-c fused, 640x640, AMD EPYC Zen 5 VM whose 512-bit FMA
// issues once per cycle: 117 GFLOP/s per core by bench/fma_peak.c):
//   .venv/bin/python bench/run_bench.py --runner OUT/NAME-run
//   1 thread : 1147 ms (89 GFLOP/s, 76 % of peak), onnxruntime 1101 ms
//   2 threads:  635 ms (161 GFLOP/s, 69 %), onnxruntime 568 ms
// Per kernel (host-profile target, 1 thread) the 3x3 and 1x1 convolutions
// reach 85-103 GFLOP/s; the stride-2 stem (68), the 20x20 layers (66) and
// 1x1 layers over 20x20 (48) lag behind.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "Schedules.h"

#include "Halide.h"

#include <cstring>
#include <sstream>

using namespace Halide;

namespace mlir {
namespace yolo {

std::string KernelSpec::key() const {
  std::ostringstream os;
  os << kind << ":";
  for (const auto &s : shapes) {
    os << "[";
    for (int64_t d : s)
      os << d << ",";
    os << "]";
  }
  os << "p";
  for (int64_t p : params)
    os << p << ",";
  os << "f";
  for (float f : fparams) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    os << bits << ",";
  }
  return os.str();
}

std::string KernelSpec::describe() const {
  std::ostringstream os;
  os << kind << " ";
  for (size_t i = 0; i < shapes.size(); ++i) {
    os << (i ? (i + 1 == shapes.size() ? " -> " : ", ") : "");
    for (size_t d = 0; d < shapes[i].size(); ++d)
      os << (d ? "x" : "") << shapes[i][d];
  }
  return os.str();
}

const char *halideIncludeDir() { return YOLO_HALIDE_INCLUDE_DIR; }

namespace {

enum Act {
  ActNone = 0,
  ActSiLU = 1,
  ActSigmoid = 2,
  ActReLU = 3,
  ActLeaky = 4
};

Expr activate(Expr v, int64_t act, float alpha) {
  switch (act) {
  case ActSiLU:
    return v / (1.0f + exp(-v));
  case ActSigmoid:
    return 1.0f / (1.0f + exp(-v));
  case ActReLU:
    return max(v, 0.0f);
  case ActLeaky:
    return select(v >= 0.0f, v, v * alpha);
  default:
    return v;
  }
}

/// An input with static extents (MLIR order) and unit innermost stride.
ImageParam input(const std::vector<int64_t> &shape, const std::string &name) {
  int rank = static_cast<int>(shape.size());
  ImageParam p(Float(32), rank, name);
  for (int d = 0; d < rank; ++d)
    p.dim(d).set_bounds(0, static_cast<int>(shape[rank - 1 - d]));
  if (rank > 0)
    p.dim(0).set_stride(1);
  return p;
}

void constrainOutput(Func out, const std::vector<int64_t> &shape) {
  int rank = static_cast<int>(shape.size());
  OutputImageParam o = out.output_buffer();
  for (int d = 0; d < rank; ++d)
    o.dim(d).set_bounds(0, static_cast<int>(shape[rank - 1 - d]));
  if (rank > 0)
    o.dim(0).set_stride(1);
}

std::vector<Var> makeVars(size_t rank) {
  std::vector<Var> v;
  for (size_t d = 0; d < rank; ++d)
    v.push_back(Var("d" + std::to_string(d)));
  return v;
}

/// Vectorizes dimension 0 and runs the outer dimensions in parallel.
void scheduleElementwise(Func out, std::vector<Var> v,
                         const std::vector<int64_t> &shape, int vec,
                         Family fam) {
  if (fam == Family::Cuda)
    return scheduleFlatCuda(out, v, shape);
  int rank = static_cast<int>(v.size());
  int e0 = static_cast<int>(shape[rank - 1]);
  if (e0 >= vec)
    out.vectorize(v[0], vec);
  else if (e0 > 1)
    out.vectorize(v[0], e0);
  if (rank >= 2) {
    Var fused = v[1];
    for (int d = 2; d < rank; ++d) {
      Var next("f" + std::to_string(d));
      out.fuse(fused, v[d], next);
      fused = next;
    }
    out.parallel(fused);
  }
}

/// The register-blocked convolution schedule shared by the 2-D and the
/// flattened 1x1 kernels: `x` is the vectorized spatial dimension, `co` the
/// output channel, `outer` the remaining spatial dimension (or none).
/// The register tile: `vectors` vectors along x by `channels` output
/// channels. Fewer vectors when the row does not fill them (x = 20, 40 at
/// the deep levels waste less with 1 than with 2), more channels then to
/// keep about 16 accumulators in flight.
std::pair<int, int> registerTile(int extentX, int channels, int vec) {
  int best = 1;
  double bestWaste = 1e9;
  for (int v = 1; v <= 3; ++v) {
    int width = v * vec;
    if (width > std::max(extentX, vec))
      break;
    int tiles = (extentX + width - 1) / width;
    double waste = double(tiles * width) / extentX;
    if (waste < bestWaste - 1e-9 || (waste < bestWaste + 1e-9 && v == 2)) {
      best = v;
      bestWaste = waste;
    }
  }
  int cot = best == 1 ? 16 : 8;
  return {best, std::min(cot, channels)};
}

/// `reduction` lists the reduction variables innermost first; `y` is null
/// for the flattened 1x1 kernel.
Var scheduleConv(Func out, Func acc, Var x, Var co, Var n, Var *y,
                 const std::vector<RVar> &reduction, int extentX, int channels,
                 int vec) {
  auto [vectors, cot] = registerTile(extentX, channels, vec);
  int vx = extentX >= vec ? vectors * vec : extentX;
  int lanes = std::min(vec, vx);
  Var xo("xo"), xi("xi"), coo("coo"), coi("coi"), xv("xv"), xu("xu"), t("t");
  out.split(x, xo, xi, vx).split(co, coo, coi, cot);
  if (vx > lanes)
    out.split(xi, xu, xv, lanes).reorder(xv, xu, coi, coo, xo).unroll(xu);
  else
    out.reorder(xi, coi, coo, xo);
  out.vectorize(vx > lanes ? xv : xi).unroll(coi);
  if (y) {
    out.reorder(coo, xo, *y, n);
    out.fuse(*y, n, t).parallel(t);
  } else {
    out.fuse(xo, n, t).parallel(t);
  }
  acc.compute_at(out, coo);
  acc.vectorize(x, lanes).unroll(co);
  Var ax("ax"), av("av");
  std::vector<VarOrRVar> order = {av, ax, co};
  order.insert(order.end(), reduction.begin(), reduction.end());
  acc.update()
      .split(x, ax, av, lanes)
      .reorder(order)
      .vectorize(av)
      .unroll(ax)
      .unroll(co);
  return t;
}

Func buildConv(const KernelSpec &s, std::vector<Argument> &args, int vec,
               Family fam) {
  // params: kh, kw, sh, sw, pt, pl, dh, dw, groups, act
  const auto &inS = s.shapes[0], &wS = s.shapes[1], &outS = s.shapes[3];
  int64_t kh = s.params[0], kw = s.params[1], sh = s.params[2],
          sw = s.params[3], pt = s.params[4], pl = s.params[5],
          dh = s.params[6], dw = s.params[7], groups = s.params[8],
          act = s.params[9];
  ImageParam in = input(inS, "in"), w = input(wS, "w"),
             b = input(s.shapes[2], "b");
  args = {in, w, b};
  int cinG = static_cast<int>(wS[1]), coutG = static_cast<int>(wS[0] / groups);
  Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
  Var x("x"), y("y"), co("co"), n("n");
  RDom r(0, static_cast<int>(kw), 0, static_cast<int>(kh), 0, cinG, "r");
  Expr ci = groups == 1 ? Expr(r.z) : (co / coutG) * cinG + r.z;
  Func acc("acc"), out("conv");
  acc(x, y, co, n) = b(co);
  acc(x, y, co, n) += w(r.x, r.y, r.z, co) *
                      inb(x * static_cast<int>(sw) +
                              r.x * static_cast<int>(dw) - static_cast<int>(pl),
                          y * static_cast<int>(sh) +
                              r.y * static_cast<int>(dh) - static_cast<int>(pt),
                          ci, n);
  out(x, y, co, n) = activate(acc(x, y, co, n), act, s.fparams[0]);
  constrainOutput(out, outS);
  if (fam == Family::Cuda) {
    scheduleConvCuda(out, acc, inb, w.in(), x, y, co, n, r,
                     static_cast<int>(outS[3]), static_cast<int>(outS[2]),
                     static_cast<int>(outS[1]), cinG);
    return out;
  }
  Var rows = (fam == Family::Arm ? scheduleConvArm : scheduleConv)(
      out, acc, x, co, n, &y, {r.x, r.y, r.z}, static_cast<int>(outS[3]),
      static_cast<int>(outS[1]), vec);
  // The zero-padded input rows one output row needs, made next to their
  // use: boundary tests stay out of the reduction loops, and the copy
  // stays in cache instead of a whole padded tensor going through memory.
  if (pt || pl) {
    std::vector<Var> iv = {inb.args()[0], inb.args()[1], inb.args()[2],
                           inb.args()[3]};
    inb.compute_at(out, rows).vectorize(iv[0], vec, TailStrategy::GuardWithIf);
  }
  return out;
}

/// 1x1, stride 1, no padding, one group: a matrix product over the
/// flattened H*W ("p"); shapes are [N, C, P].
Func buildConv1x1(const KernelSpec &s, std::vector<Argument> &args, int vec,
                  Family fam) {
  const auto &inS = s.shapes[0], &outS = s.shapes[3];
  ImageParam in = input(inS, "in"), w = input(s.shapes[1], "w"),
             b = input(s.shapes[2], "b");
  args = {in, w, b};
  Var p("p"), co("co"), n("n");
  RDom r(0, static_cast<int>(inS[1]), "r");
  Func acc("acc"), out("conv1x1");
  acc(p, co, n) = b(co);
  acc(p, co, n) += w(r, co) * in(p, r, n);
  out(p, co, n) = activate(acc(p, co, n), s.params[0], s.fparams[0]);
  constrainOutput(out, outS);
  if (fam == Family::Cuda) {
    scheduleConv1x1Cuda(out, acc, in.in(), w.in(), p, co, n, r,
                        static_cast<int>(outS[2]), static_cast<int>(outS[1]),
                        static_cast<int>(inS[1]));
    return out;
  }
  (fam == Family::Arm ? scheduleConvArm : scheduleConv)(
      out, acc, p, co, n, nullptr, {r.x}, static_cast<int>(outS[2]),
      static_cast<int>(outS[1]), vec);
  return out;
}

Func buildPool(const KernelSpec &s, std::vector<Argument> &args, int vec,
               Family fam, bool isMax) {
  // params: kh, kw, sh, sw, pt, pl, count_include_pad
  const auto &inS = s.shapes[0], &outS = s.shapes[1];
  int kh = s.params[0], kw = s.params[1], sh = s.params[2], sw = s.params[3],
      pt = s.params[4], pl = s.params[5];
  bool includePad = s.params[6] != 0;
  ImageParam in = input(inS, "in");
  args = {in};
  Var x("x"), y("y"), c("c"), n("n");
  RDom r(0, kw, 0, kh, "r");
  Expr ix = x * sw + r.x - pl, iy = y * sh + r.y - pt;
  Func out(isMax ? "max_pool" : "avg_pool");
  if (isMax) {
    Func inb = BoundaryConditions::constant_exterior(in, Float(32).min());
    out(x, y, c, n) = maximum(inb(ix, iy, c, n));
  } else {
    Func inb = BoundaryConditions::constant_exterior(in, 0.0f);
    Expr sum = Halide::sum(inb(ix, iy, c, n));
    if (includePad) {
      out(x, y, c, n) = sum / float(kh * kw);
    } else {
      Expr x0 = max(x * sw - pl, 0),
           x1 = min(x * sw - pl + kw, static_cast<int>(inS[3]));
      Expr y0 = max(y * sh - pt, 0),
           y1 = min(y * sh - pt + kh, static_cast<int>(inS[2]));
      out(x, y, c, n) = sum / cast<float>((x1 - x0) * (y1 - y0));
    }
  }
  constrainOutput(out, outS);
  scheduleElementwise(out, {x, y, c, n}, outS, vec, fam);
  return out;
}

Func buildResize(const KernelSpec &s, std::vector<Argument> &args, int vec,
                 Family fam) {
  ImageParam in = input(s.shapes[0], "in");
  args = {in};
  Var x("x"), y("y"), c("c"), n("n");
  Func out("resize");
  out(x, y, c, n) = in(x / static_cast<int>(s.params[1]),
                       y / static_cast<int>(s.params[0]), c, n);
  constrainOutput(out, s.shapes[1]);
  scheduleElementwise(out, {x, y, c, n}, s.shapes[1], vec, fam);
  return out;
}

/// Index expressions of a broadcast operand of `shape` (padded to the
/// output's rank) for output variables `v`.
std::vector<Expr> broadcastIndex(const std::vector<int64_t> &shape,
                                 const std::vector<int64_t> &outShape,
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

Func buildBinary(const KernelSpec &s, std::vector<Argument> &args, int vec,
                 Family fam) {
  const auto &outS = s.shapes[2];
  ImageParam a = input(s.shapes[0], "a"), b = input(s.shapes[1], "b");
  args = {a, b};
  std::vector<Var> v = makeVars(outS.size());
  Expr l = a(broadcastIndex(s.shapes[0], outS, v));
  Expr r = b(broadcastIndex(s.shapes[1], outS, v));
  Expr e;
  switch (s.params[0]) {
  case 0:
    e = l + r;
    break;
  case 1:
    e = l - r;
    break;
  case 2:
    e = l * r;
    break;
  default:
    e = l / r;
  }
  Func out("binary");
  out(v) = e;
  constrainOutput(out, outS);
  scheduleElementwise(out, v, outS, vec, fam);
  return out;
}

Func buildUnary(const KernelSpec &s, std::vector<Argument> &args, int vec,
                Family fam) {
  const auto &outS = s.shapes[1];
  ImageParam a = input(s.shapes[0], "a");
  args = {a};
  std::vector<Var> v = makeVars(outS.size());
  Func out("unary");
  out(v) = activate(a(std::vector<Expr>(v.begin(), v.end())), s.params[0],
                    s.fparams[0]);
  constrainOutput(out, outS);
  scheduleElementwise(out, v, outS, vec, fam);
  return out;
}

/// Per-channel (MLIR axis 1) affine map: an unfoldable batch_norm.
Func buildAffine(const KernelSpec &s, std::vector<Argument> &args, int vec,
                 Family fam) {
  const auto &outS = s.shapes[3];
  ImageParam a = input(s.shapes[0], "a"), sc = input(s.shapes[1], "scale"),
             sh = input(s.shapes[2], "shift");
  args = {a, sc, sh};
  std::vector<Var> v = makeVars(outS.size());
  Var c = v[outS.size() - 2];
  Func out("affine");
  out(v) = a(std::vector<Expr>(v.begin(), v.end())) * sc(c) + sh(c);
  constrainOutput(out, outS);
  scheduleElementwise(out, v, outS, vec, fam);
  return out;
}

/// Copy (any rank), optionally padded: out = in shifted by the begin pads,
/// `value` outside.
Func buildCopy(const KernelSpec &s, std::vector<Argument> &args, int vec,
               Family fam, bool pad) {
  const auto &inS = s.shapes[0], &outS = s.shapes[1];
  ImageParam a = input(inS, "a");
  args = {a};
  std::vector<Var> v = makeVars(outS.size());
  int rank = static_cast<int>(outS.size());
  Func out(pad ? "pad" : "copy");
  if (pad) {
    Func ab = BoundaryConditions::constant_exterior(a, s.fparams[0]);
    std::vector<Expr> idx;
    for (int d = 0; d < rank; ++d)
      idx.push_back(v[d] - static_cast<int>(s.params[rank - 1 - d]));
    out(v) = ab(idx);
  } else {
    out(v) = a(std::vector<Expr>(v.begin(), v.end()));
  }
  constrainOutput(out, outS);
  scheduleElementwise(out, v, outS, vec, fam);
  return out;
}

Func buildTranspose(const KernelSpec &s, std::vector<Argument> &args, int vec,
                    Family fam) {
  const auto &inS = s.shapes[0], &outS = s.shapes[1];
  ImageParam a = input(inS, "a");
  args = {a};
  int rank = static_cast<int>(outS.size());
  std::vector<Var> v = makeVars(rank);
  // Output MLIR dim i is input MLIR dim perm[i].
  std::vector<Expr> idx(rank);
  for (int i = 0; i < rank; ++i) {
    int inMlir = static_cast<int>(s.params[i]);
    idx[rank - 1 - inMlir] = v[rank - 1 - i];
  }
  Func out("transpose");
  out(v) = a(idx);
  constrainOutput(out, outS);
  scheduleElementwise(out, v, outS, vec, fam);
  return out;
}

Func buildSoftmax(const KernelSpec &s, std::vector<Argument> &args, int vec,
                  Family fam) {
  const auto &shape = s.shapes[0];
  int rank = static_cast<int>(shape.size());
  int axis = rank - 1 - static_cast<int>(s.params[0]); // Halide dim
  ImageParam a = input(shape, "a");
  args = {a};
  std::vector<Var> v = makeVars(rank), rows;
  for (int d = 0; d < rank; ++d)
    if (d != axis)
      rows.push_back(v[d]);
  RDom r(0, static_cast<int>(shape[s.params[0]]), "r");
  std::vector<Expr> idx(v.begin(), v.end());
  idx[axis] = r;
  Func mx("mx"), den("den"), out("softmax");
  mx(rows) = maximum(a(idx));
  den(rows) = sum(exp(a(idx) - mx(rows)));
  out(v) = exp(a(std::vector<Expr>(v.begin(), v.end())) - mx(rows)) / den(rows);
  constrainOutput(out, shape);
  scheduleElementwise(out, v, shape, vec, fam);
  // One max and one sum per row, shared by the row's outputs.
  mx.compute_root();
  den.compute_root();
  if (fam == Family::Cuda) {
    std::vector<int64_t> rowShape;
    for (int d = rank - 1; d >= 0; --d)
      if (d != axis)
        rowShape.push_back(shape[rank - 1 - d]);
    scheduleFlatCuda(mx, rows, rowShape);
    scheduleFlatCuda(den, rows, rowShape);
  }
  return out;
}

Func buildReduceSum(const KernelSpec &s, std::vector<Argument> &args, int vec,
                    Family fam) {
  // params: keep_dims, then the reduced axes (MLIR order).
  const auto &inS = s.shapes[0], &outS = s.shapes[1];
  int inRank = static_cast<int>(inS.size());
  bool keep = s.params[0] != 0;
  std::vector<bool> reduced(inRank, false);
  for (size_t k = 1; k < s.params.size(); ++k)
    reduced[s.params[k]] = true;
  ImageParam a = input(inS, "a");
  args = {a};
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
  constrainOutput(out, outS);
  scheduleElementwise(out, v, outS, vec, fam);
  return out;
}

} // namespace

bool compileKernel(const KernelSpec &spec, const std::string &target,
                   const std::string &objectPath, const std::string &fnName,
                   std::string &error) {
  try {
    Target t(target);
    t = t.with_feature(Target::NoRuntime);
    int vec = t.natural_vector_size<float>();
    Family fam = familyOf(t);
    std::vector<Argument> args;
    Func out;
    const std::string &k = spec.kind;
    if (k == "conv")
      out = buildConv(spec, args, vec, fam);
    else if (k == "conv1x1")
      out = buildConv1x1(spec, args, vec, fam);
    else if (k == "max_pool" || k == "avg_pool")
      out = buildPool(spec, args, vec, fam, k == "max_pool");
    else if (k == "resize")
      out = buildResize(spec, args, vec, fam);
    else if (k == "binary")
      out = buildBinary(spec, args, vec, fam);
    else if (k == "unary")
      out = buildUnary(spec, args, vec, fam);
    else if (k == "affine")
      out = buildAffine(spec, args, vec, fam);
    else if (k == "copy" || k == "pad")
      out = buildCopy(spec, args, vec, fam, k == "pad");
    else if (k == "transpose")
      out = buildTranspose(spec, args, vec, fam);
    else if (k == "softmax")
      out = buildSoftmax(spec, args, vec, fam);
    else if (k == "reduce_sum")
      out = buildReduceSum(spec, args, vec, fam);
    else {
      error = "no kernel for '" + k + "'";
      return false;
    }
    Pipeline pipeline(out);
    pipeline.compile_to_object(objectPath, args, fnName, t);
    // Debugging aid: YOLO_KERNEL_STMT=1 writes each kernel's lowered
    // statement next to its object.
    if (getenv("YOLO_KERNEL_STMT"))
      pipeline.compile_to_lowered_stmt(objectPath + ".stmt", args, Text, t);
    return true;
  } catch (const Halide::Error &e) {
    error = std::string("Halide: ") + e.what();
  } catch (const std::exception &e) {
    error = e.what();
  }
  return false;
}

bool compileRuntime(const std::string &target, const std::string &objectPath,
                    std::string &error) {
  try {
    compile_standalone_runtime(objectPath, Target(target));
    return true;
  } catch (const Halide::Error &e) {
    error = std::string("Halide: ") + e.what();
  } catch (const std::exception &e) {
    error = e.what();
  }
  return false;
}

} // namespace yolo
} // namespace mlir
