//===- Cuda.cpp - CUDA schedules ------------------------------------------===//
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

#include "Schedule.h"

#include <stdexcept>

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

/// A 2-D convolution out(x, y, co, n) = act(acc) with
/// acc += w(r.x, r.y, r.z, co) * inb(...). Input and weight tiles are
/// staged in shared memory per slice of input channels.
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

/// The flattened 1x1 convolution out(p, co, n), acc += w(r, co) *
/// in(p, r, n).
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

/// One thread per output element, all dimensions fused.
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

/// The batched matrix product: one thread per output element, its
/// accumulator in a register and its sum over k one sequential loop (the
/// same order as on the CPU); a block is 32 columns by 4 rows of one
/// batch, so a warp reads one rhs row coalesced and broadcasts one lhs
/// element. Batches are fused into the second block dimension.
void scheduleMatMulCuda(const MatMulFuncs &f, const MatMulDesc &desc) {
  const Shape &o = desc.output;
  int rank = static_cast<int>(o.size());
  int tn = fitTile(static_cast<int>(o[rank - 1]), {32, 16, 8, 4, 2}),
      tm = fitTile(static_cast<int>(o[rank - 2]), {4, 2});
  Func out = f.out, acc = f.acc;
  Var no("no"), ni("ni"), mo("mo"), mi("mi");
  out.gpu_tile(f.n, f.m, no, mo, ni, mi, tn, tm, TailStrategy::GuardWithIf);
  Var blocks = mo;
  for (size_t i = 0; i < f.batch.size(); ++i) {
    Var next("t" + std::to_string(i));
    out.fuse(blocks, f.batch[i], next);
    blocks = next;
  }
  acc.compute_at(out, ni).store_in(MemoryType::Register);
}

class CudaSchedule final : public Schedule {
public:
  void matmul(const MatMulFuncs &f, const MatMulDesc &desc) override {
    scheduleMatMulCuda(f, desc);
  }

  void conv(const ConvFuncs &f, const ConvDesc &desc,
            const ConvTile &) override {
    const Shape &out = desc.output;
    ImageParam weights = f.weights;
    scheduleConvCuda(f.out, f.acc, f.inb, weights.in(), f.x, f.y, f.co, f.n,
                     f.r, static_cast<int>(out[3]), static_cast<int>(out[2]),
                     static_cast<int>(out[1]),
                     static_cast<int>(desc.weight[1]));
  }

  /// --yolo-winograd runs only when every target is a CPU, so a CUDA
  /// library never holds a Winograd layer; a hand-written module that does
  /// is refused with the way out.
  void convWinograd(const WinogradFuncs &, const WinogradDesc &desc,
                    const ConvTile &) override {
    throw std::runtime_error(
        "kernel " + describe(desc) +
        ": Winograd convolutions have no CUDA schedule; lower for CUDA "
        "without --yolo-winograd (yolo-codegen does)");
  }
  void conv1x1(const Conv1x1Funcs &f, const Conv1x1Desc &desc,
               const ConvTile &) override {
    ImageParam input = f.input, w = f.weights;
    Func in = input.in(), weights = w.in();
    scheduleConv1x1Cuda(f.out, f.acc, in, weights, f.p, f.co, f.n, f.r,
                        static_cast<int>(desc.output[2]),
                        static_cast<int>(desc.output[1]),
                        static_cast<int>(desc.input[1]));
  }

  void pointwise(Func out, const std::vector<Var> &v, const Shape &shape,
                 bool) override {
    scheduleFlatCuda(out, v, shape);
  }

  void softmax(const SoftmaxFuncs &f, const SoftmaxDesc &desc) override {
    const Shape &shape = desc.shape;
    int rank = static_cast<int>(shape.size());
    int axis = rank - 1 - static_cast<int>(desc.axis); // Halide dim
    scheduleFlatCuda(f.out, f.v, shape);
    Func mx = f.mx, den = f.den;
    mx.compute_root();
    den.compute_root();
    std::vector<int64_t> rowShape;
    for (int d = rank - 1; d >= 0; --d)
      if (d != axis)
        rowShape.push_back(shape[rank - 1 - d]);
    scheduleFlatCuda(mx, f.rows, rowShape);
    scheduleFlatCuda(den, f.rows, rowShape);
  }
};

} // namespace

std::unique_ptr<Schedule> makeCudaSchedule(const TargetInfo &) {
  return std::make_unique<CudaSchedule>();
}

} // namespace yolo
} // namespace mlir
