//===- X86.cpp - the CPU schedules, written and measured on x86 -----------===//
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
// The x86 tile rules are in lib/Target/TileRulesX86.cpp. ARM64 reuses this
// loop structure whole (Arm.cpp).
//
//===----------------------------------------------------------------------===//

#include "Schedule.h"

#include <cstdio>
#include <cstdlib>

using namespace Halide;

namespace mlir {
namespace yolo {

namespace {

/// The register-blocked convolution schedule shared by the 2-D and the
/// flattened 1x1 kernels: `x` is the vectorized spatial dimension, `co` the
/// output channel; `y` the row (null for the flattened kernel).
/// `reduction` lists the reduction variables innermost first.
Var scheduleConv(Func out, Func acc, Var x, Var co, Var n, Var *y,
                 const std::vector<RVar> &reduction, const ConvShape &shape,
                 const ConvTile &tile) {
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

} // namespace

void CpuSchedule::conv(const ConvFuncs &f, const ConvDesc &desc,
                       const ConvTile &tile) {
  Var y = f.y;
  Var rows = scheduleConv(f.out, f.acc, f.x, f.co, f.n, &y,
                          {f.r.x, f.r.y, f.r.z}, convShape(desc), tile);
  // The zero-padded input rows one output row needs, made next to their
  // use: boundary tests stay out of the reduction loops, and the copy
  // stays in cache instead of a whole padded tensor going through memory.
  if (desc.padTop || desc.padLeft) {
    Func inb = f.inb;
    std::vector<Var> iv = {inb.args()[0], inb.args()[1], inb.args()[2],
                           inb.args()[3]};
    inb.compute_at(f.out, rows)
        .vectorize(iv[0], vec, TailStrategy::GuardWithIf);
  }
}

void CpuSchedule::conv1x1(const Conv1x1Funcs &f, const Conv1x1Desc &desc,
                          const ConvTile &tile) {
  scheduleConv(f.out, f.acc, f.p, f.co, f.n, nullptr, {f.r.x}, convShape(desc),
               tile);
}

/// Vectorizes dimension 0 and runs the outer dimensions in parallel.
void CpuSchedule::pointwise(Func out, const std::vector<Var> &v,
                            const Shape &shape) {
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

void CpuSchedule::softmax(const SoftmaxFuncs &f, const SoftmaxDesc &desc) {
  pointwise(f.out, f.v, desc.shape);
  // One max and one sum per row, shared by the row's outputs.
  Func mx = f.mx, den = f.den;
  mx.compute_root();
  den.compute_root();
}

std::unique_ptr<Schedule> makeX86Schedule(const TargetInfo &target) {
  return std::make_unique<CpuSchedule>(target);
}

} // namespace yolo
} // namespace mlir
