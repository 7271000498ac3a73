//===- SchedulesCuda.cpp - CUDA schedules ---------------------------------===//
//
// Convolutions: one warp per thread block. Each lane owns one output
// channel (gpu_lanes over co) and a small tile of output pixels whose
// accumulators live in registers (MemoryType::Register); the block covers
// 32 output channels by the pixel tile. The reduction over input channels
// runs in slices: per slice the block stages the input tile (zero padding
// included) and the weights of its 32 channels in shared memory
// (MemoryType::GPUShared), all lanes loading cooperatively, then every
// lane accumulates from shared memory. Input reads are shared by the 32
// lanes (a broadcast), so global memory traffic per FMA stays low.
//
// Everything else: one thread per output element over all dimensions
// fused, 128 threads per block.
//
//===----------------------------------------------------------------------===//

#include "Schedules.h"

using namespace Halide;

namespace mlir {
namespace yolo {

namespace {

constexpr int kWarp = 32;

/// The largest of `candidates` not above `extent` (1 if none).
int fitTile(int extent, std::initializer_list<int> candidates) {
  for (int c : candidates)
    if (c <= extent)
      return c;
  return 1;
}

/// Input channels per shared-memory slice: a divisor of `cin` up to `max`
/// (the whole reduction when it is shorter).
int channelSlice(int cin, int max) {
  if (cin <= max)
    return cin;
  for (int s = max; s > 1; --s)
    if (cin % s == 0)
      return s;
  return max;
}

/// Stages `f` (computed at `level`) cooperatively: all its dimensions
/// fused, split over `lanes` threads.
void stageShared(Func f, LoopLevel level, int lanes) {
  std::vector<Var> args = f.args();
  Var fused = args[0];
  for (size_t d = 1; d < args.size(); ++d) {
    Var next("s" + std::to_string(d));
    f.fuse(fused, args[d], next);
    fused = next;
  }
  Var o("so"), i("si");
  f.compute_at(level)
      .store_in(MemoryType::GPUShared)
      .split(fused, o, i, lanes, TailStrategy::GuardWithIf)
      .gpu_threads(i);
}

/// Layers with fewer output channels than this (the DFL's 1-channel 1x1,
/// say) put one thread on each output pixel instead of one lane on each
/// channel: a warp of 1..7 busy lanes would waste most of it, and Halide
/// lowers such narrow lane loops to warp shuffles that older capabilities
/// lack.
constexpr int kMinLaneChannels = 8;

} // namespace

void scheduleConvCuda(Func out, Func acc, Func inb, Func weights, Var x, Var y,
                      Var co, Var n, RDom r, int outW, int outH, int channels,
                      int cin) {
  if (channels < kMinLaneChannels) {
    // One thread per output pixel, all channels in registers.
    Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), t("t");
    int bx = fitTile(outW, {32, 16, 8, 4, 2}), by = fitTile(outH, {4, 2});
    out.reorder(co, x, y, n)
        .gpu_tile(x, y, xo, yo, xi, yi, bx, by, TailStrategy::GuardWithIf)
        .fuse(yo, n, t)
        .unroll(co);
    acc.compute_at(out, xi).store_in(MemoryType::Register).unroll(co);
    acc.update().reorder(co, r.x, r.y, r.z).unroll(co);
    return;
  }
  int lanes = std::min(kWarp, channels);
  int tx = fitTile(outW, {4, 2}), ty = fitTile(outH, {4, 2});
  int slice = channelSlice(cin, 8);
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), coo("coo"), coi("coi"), t("t");
  out.split(x, xo, xi, tx)
      .split(y, yo, yi, ty)
      .split(co, coo, coi, lanes)
      .reorder(xi, yi, coi, xo, yo, coo, n)
      .fuse(coo, n, t)
      .gpu_blocks(xo, yo, t)
      .gpu_lanes(coi)
      .unroll(xi)
      .unroll(yi);
  acc.compute_at(out, xo)
      .store_in(MemoryType::Register)
      .reorder(x, y, co, n)
      .gpu_lanes(co)
      .unroll(x)
      .unroll(y);
  RVar rzo("rzo"), rzi("rzi");
  acc.update()
      .split(r.z, rzo, rzi, slice)
      .reorder(co, x, y, r.x, r.y, rzi, rzo)
      .gpu_lanes(co)
      .unroll(x)
      .unroll(y)
      .unroll(r.x)
      .unroll(r.y);
  LoopLevel at(acc, rzo);
  stageShared(inb, at, lanes);
  stageShared(weights, at, lanes);
}

void scheduleConv1x1Cuda(Func out, Func acc, Func in, Func weights, Var p,
                         Var co, Var n, RDom r, int extentP, int channels,
                         int cin) {
  if (channels < kMinLaneChannels) {
    Var po("po"), pi("pi"), t("t");
    out.reorder(co, p, n)
        .split(p, po, pi, std::min(128, extentP), TailStrategy::GuardWithIf)
        .fuse(po, n, t)
        .gpu_blocks(t)
        .gpu_threads(pi)
        .unroll(co);
    acc.compute_at(out, pi).store_in(MemoryType::Register).unroll(co);
    acc.update().reorder(co, r.x).unroll(co);
    return;
  }
  int lanes = std::min(kWarp, channels);
  int tp = fitTile(extentP, {16, 8, 4, 2});
  int slice = channelSlice(cin, 16);
  Var po("po"), pi("pi"), coo("coo"), coi("coi"), t("t");
  out.split(p, po, pi, tp)
      .split(co, coo, coi, lanes)
      .reorder(pi, coi, po, coo, n)
      .fuse(coo, n, t)
      .gpu_blocks(po, t)
      .gpu_lanes(coi)
      .unroll(pi);
  acc.compute_at(out, po)
      .store_in(MemoryType::Register)
      .reorder(p, co, n)
      .gpu_lanes(co)
      .unroll(p);
  RVar ro("ro"), ri("ri");
  acc.update()
      .split(r.x, ro, ri, slice)
      .reorder(co, p, ri, ro)
      .gpu_lanes(co)
      .unroll(p);
  LoopLevel at(acc, ro);
  stageShared(in, at, lanes);
  stageShared(weights, at, lanes);
}

void scheduleFlatCuda(Func f, const std::vector<Var> &v,
                      const std::vector<int64_t> &shape) {
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  Var fused = v[0];
  for (size_t d = 1; d < v.size(); ++d) {
    Var next("g" + std::to_string(d));
    f.fuse(fused, v[d], next);
    fused = next;
  }
  int threads = static_cast<int>(std::min<int64_t>(128, total));
  Var b("b"), th("th");
  f.gpu_tile(fused, b, th, threads, TailStrategy::GuardWithIf);
}

} // namespace yolo
} // namespace mlir
