//===- Kernels.cpp - Halide algorithms and schedules per op ---------------===//
//
// Each kernel is written as a Halide algorithm, then scheduled for the
// target family. Tensors are NCHW (Halide dim 0 = W); every buffer has
// static extents and unit stride in its innermost dimension, while the
// other strides are free, so kernels read and write strided views (channel
// slices of a concat buffer) without copies.
//
// Convolutions, where nearly all the time goes, use a register tile of a
// few vectors along W (or along H*W for 1x1 convolutions) by several output
// channels, chosen per layer by chooseConvTile from measured rules
// (bench/conv_tiles.py): per reduction step the tile's input vectors and
// broadcast weights feed vectors x channels FMAs. Output-channel blocks run
// innermost so that the input rows of a tile stay in cache while the weights
// stream through it.
//
// Measured (gelan-c fused, 640x640, AMD EPYC Zen 5 VM whose 512-bit FMA
// issues once per cycle: 117 GFLOP/s per core by bench/fma_peak.c), CPU time
// of one thread per layer: 3x3 stride-1 layers 90-117 GFLOP/s, 1x1 layers
// 85-110 except over 160x160 (50-70, memory-bound), stride-2 layers 85-117,
// the 3-channel stem 28. Whole model: .venv/bin/python bench/run_bench.py
// --runner OUT/NAME-run.
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

std::string halideVersion() {
  return std::to_string(HALIDE_VERSION_MAJOR) + "." +
         std::to_string(HALIDE_VERSION_MINOR) + "." +
         std::to_string(HALIDE_VERSION_PATCH);
}

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
    // Tasks of at least ~64 KB of output: Halide's thread pool hands out
    // parallel iterations one by one, and a row of 159 floats per task made
    // the pooling and copy kernels 5-10x slower on 2 threads than on 1.
    int64_t rowsPerTask = std::max<int64_t>(1, 16384 / std::max(e0, 1));
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; ++d)
      rows *= shape[d];
    if (rowsPerTask > 1 && rows >= 2 * rowsPerTask)
      out.parallel(fused, static_cast<int>(rowsPerTask),
                   TailStrategy::GuardWithIf);
    else
      out.parallel(fused);
  }
}

int largestDivisorAtMost(int n, int cap) {
  for (int d = std::min(n, cap); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

/// Chooses the register tile. The rules come from sweeping every tile
/// shape over the layer shapes of the YOLOv9 family (bench/conv_tiles.py;
/// CPU time of one thread, AMD EPYC Zen 5 VM with AVX-512):
/// - a 512-bit FMA issues once per cycle here, two 256-bit ones do the same
///   work, so 8-lane vectors cost no peak and halve the waste of rows that
///   16 lanes do not divide: 40-wide rows go from 91 to 112 GFLOP/s with
///   5 x 8-lane vectors by 4 channels, 20-wide rows from 70 to 91 with a
///   24-wide tile (3 vectors, the last 4 lanes masked) by 8 channels. Wide
///   3x3 stride-1 layers gain as well (256 channels at 80x80: 108 -> 117).
/// - strided layers load two vectors and deinterleave for every input
///   vector, so they keep one 16-lane vector by 16 channels (95 against 81).
/// - the flattened 1x1 kernel keeps one x tile of its input (cin rows of
///   the tile's width) in L1 while all output channels pass over it; past
///   512 input channels that no longer fits and the tile turns into 3
///   vectors by 8 channels (1024 -> 256 at 80x80: 46 -> 93 GFLOP/s,
///   1024 -> 512 at 40x40: 50 -> 101); below, one vector by 16 channels.
/// Sixteen registers (AVX2) hold the accumulators, the input vectors and a
/// broadcast register: 2-D layers take 2 vectors by 6 channels (5 by 2 for
/// 40-wide rows), 1x1 layers 3 by 4; the former 2 x 8 tile spilled
/// (256 channels at 40x40: 47 -> 96-108 GFLOP/s with the AVX2 target).
ConvTile chooseConvTile(const ConvShape &c, int natural, int registers) {
  auto clampC = [&](ConvTile t) {
    t.channels = std::min(t.channels, c.channels);
    return t;
  };
  if (const char *e = getenv("YOLO_CONV_TILE")) {
    ConvTile t{};
    if (sscanf(e, "%dx%dx%d", &t.lanes, &t.vectors, &t.channels) == 3)
      return clampC(t);
  }
  int x = c.extentX;
  if (registers < 32) {
    if (!c.flat && x % (2 * natural) == 0)
      return clampC({natural, 2, 6});
    if (!c.flat && x % (5 * natural) == 0)
      return clampC({natural, 5, 2});
    int v = x >= 3 * natural ? 3 : std::max(1, (x + natural - 1) / natural);
    return clampC({natural, v, v == 3 ? 4 : 8});
  }
  int half = natural / 2;
  bool divides = x % natural == 0;
  if (half >= 4 && c.stride == 1 && !c.flat && x % half == 0)
    return clampC({half, largestDivisorAtMost(x / half, 5), 4});
  if (half >= 4 && !divides && x < 2 * natural)
    return clampC({half, (x + half - 1) / half, 8});
  // One x tile of the flattened kernel reads `cin` input rows: past 512
  // channels (32 KB for 16 floats) it no longer fits L1 next to the weights.
  if (c.flat && c.inputChannels > 512)
    return clampC({natural, 3, 8});
  return clampC({natural, 1, 16});
}

/// The register-blocked convolution schedule shared by the 2-D and the
/// flattened 1x1 kernels: `x` is the vectorized spatial dimension, `co` the
/// output channel; `y` the row (null for the flattened kernel).
/// `reduction` lists the reduction variables innermost first.
Var scheduleConv(Func out, Func acc, Var x, Var co, Var n, Var *y,
                 const std::vector<RVar> &reduction, const ConvShape &shape,
                 int natural, int registers, Family fam) {
  ConvTile tile = fam == Family::Arm
                      ? chooseConvTileArm(shape, natural)
                      : chooseConvTile(shape, natural, registers);
  int extentX = shape.extentX, vec = tile.lanes, cot = tile.channels;
  int vx = extentX >= vec ? tile.vectors * vec : extentX;
  int lanes = std::min(vec, vx);
  if (getenv("YOLO_TILE_DEBUG"))
    fprintf(stderr, "tile: x=%d co=%d lanes=%d vectors=%d channels=%d\n",
            extentX, shape.channels, vec, tile.vectors, cot);
  Var xo("xo"), xi("xi"), coo("coo"), coi("coi"), xv("xv"), xu("xu"), t("t");
  // A tile wider than the row (x = 20 with 24-wide tiles) computes only the
  // lanes that exist; otherwise the last tile shifts inwards.
  out.split(x, xo, xi, vx,
            vx > extentX ? TailStrategy::GuardWithIf : TailStrategy::Auto)
      .split(co, coo, coi, cot);
  if (vx > lanes)
    out.split(xi, xu, xv, lanes).reorder(xv, xu, coi, coo, xo).unroll(xu);
  else
    out.reorder(xi, coi, coo, xo);
  out.vectorize(vx > lanes ? xv : xi).unroll(coi);
  // Parallel tasks: output rows (x tiles when flat), grouped so that a task
  // holds at least ~1M FMAs; Halide's pool hands out one iteration at a
  // time, and 16-pixel tiles of a small 1x1 layer were too fine for that.
  int64_t perIteration = int64_t(y ? extentX : vx) * shape.channels *
                         shape.inputChannels * shape.taps;
  int64_t iterations =
      y ? shape.rows : int64_t((extentX + vx - 1) / vx) * shape.rows;
  int64_t group = std::max<int64_t>(1, (int64_t(1) << 20) / perIteration);
  if (y)
    out.reorder(coo, xo, *y, n).fuse(*y, n, t);
  else
    out.fuse(xo, n, t);
  if (group > 1 && iterations >= 4 * group)
    out.parallel(t, static_cast<int>(group), TailStrategy::GuardWithIf);
  else
    out.parallel(t);
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
               int registers, Family fam) {
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
  ConvShape shape{static_cast<int>(outS[3]),
                  static_cast<int>(outS[1]),
                  static_cast<int>(sw),
                  false,
                  cinG,
                  static_cast<int>(kh * kw),
                  outS[2] * outS[0]};
  Var rows = scheduleConv(out, acc, x, co, n, &y, {r.x, r.y, r.z}, shape, vec,
                          registers, fam);
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
                  int registers, Family fam) {
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
  ConvShape shape{static_cast<int>(outS[2]),
                  static_cast<int>(outS[1]),
                  1,
                  true,
                  static_cast<int>(inS[1]),
                  1,
                  outS[0]};
  scheduleConv(out, acc, p, co, n, nullptr, {r.x}, shape, vec, registers, fam);
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
    t = t.with_feature(Target::NoRuntime).with_feature(Target::UserContext);
    int vec = t.natural_vector_size<float>();
    int registers = t.has_feature(Target::AVX512) ? 32 : 16;
    Family fam = familyOf(t);
    std::vector<Argument> args;
    Func out;
    const std::string &k = spec.kind;
    if (k == "conv")
      out = buildConv(spec, args, vec, registers, fam);
    else if (k == "conv1x1")
      out = buildConv1x1(spec, args, vec, registers, fam);
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
