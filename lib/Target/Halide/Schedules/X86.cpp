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
// the 3-channel stem 28. On an AMD EPYC Zen 5 VM whose 512-bit FMAs issue
// twice per cycle (238-266 GFLOP/s per core), with the full-rate tiles of
// TileRulesX86.cpp and 64-byte-aligned loops (Codegen.cpp): 1x1 layers
// 190-230 GFLOP/s, stride-2 layers 150-190, Winograd layers 230-490
// effective. Whole model: .venv/bin/python bench/run_bench.py --runner
// OUT/NAME-run.
//
// The x86 tile rules are in lib/Target/TileRulesX86.cpp. ARM64 reuses this
// loop structure whole (Arm.cpp).
//
//===----------------------------------------------------------------------===//

#include "Schedule.h"

#include "../Algorithms/Algorithms.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace Halide;

namespace mlir {
namespace yolo {

namespace {

/// The number of threads of the run that calls the kernel
/// (yolo_pool_threads, runtime/src/pool.h), for schedules that depend on it.
Expr poolThreads() {
  return Internal::Call::make(Int(32), "yolo_pool_threads", {},
                              Internal::Call::Extern);
}

/// Runs `v` of `out` in parallel, in tasks of at least ~64 KB of output
/// (16384 elements; `perIteration` per iteration of `v`, `iterations` of
/// them): Halide's thread pool hands out parallel iterations one by one,
/// and a row of 159 floats per task made the pooling and copy kernels
/// 5-10x slower on 2 threads than on 1. Returns the loop of one iteration
/// within a task, where per-iteration stages can be computed.
Var parallelTasks(Func out, Var v, int64_t perIteration, int64_t iterations) {
  int64_t group =
      std::max<int64_t>(1, 16384 / std::max<int64_t>(perIteration, 1));
  if (group > 1 && iterations >= 2 * group) {
    Var to("to"), ti("ti");
    out.split(v, to, ti, static_cast<int>(group), TailStrategy::GuardWithIf)
        .parallel(to);
    return ti;
  }
  out.parallel(v);
  return v;
}

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
  bool grouped = group > 1 && iterations >= 4 * group;
  // Rows (x tiles when flat) are grouped before they are fused with the
  // batch: a task's rows are then go * group + [0, group), which bounds
  // inference gets exactly for what is computed per task (the padded input
  // rows, the packed 1x1 input). Grouping the fused variable made them
  // (t % H), which it bounds by the whole image: the stem's padded input,
  // 3 x 641 x 642, was built in every one of its 46 tasks (gelan-t 640's
  // stem: 13.2 ms on one thread before, 2.7 after).
  Var outer = y ? *y : xo;
  // Flattened kernels of fewer than 8 tasks (x tiles: 400 pixels make 5 of
  // 80) run on several threads in a second version of their loops, chosen
  // at the start of each call (yolo_pool_threads), that also splits the
  // output channels into `parts`, tasks of their own, part by part (on 2
  // threads in 2 parts, each thread reads half of the weights); each task
  // packs its input columns itself. 5 tasks ran 3 : 2 on 2 threads. Only
  // where the tasks keep ~1M FMAs or more. The outputs are the same (each
  // output's reduction is unchanged). gelan-c 640's twenty-five 1x1 layers
  // at 20x20, 2 threads, 16 alternating rounds (Intel Emerald Rapids VM,
  // bench/README.md, session 28): sums of per-step minima 11.31 -> 9.83
  // ms, of medians 12.15 -> 11.23. One thread keeps the loops it had: with
  // the parts there, those layers took 18.71 -> 19.14 ms.
  int64_t blocks = (shape.channels + cot - 1) / cot;
  int64_t parts = 1;
  if (!y && !grouped && iterations < 8 && blocks >= 2)
    parts = std::min<int64_t>(
        {blocks, (8 + iterations - 1) / iterations, perIteration >> 20});
  if (parts > 1) {
    Var po("po"), xp("xp");
    out.specialize(poolThreads() > 1)
        .split(coo, po, coo, static_cast<int>((blocks + parts - 1) / parts),
               TailStrategy::GuardWithIf)
        .reorder(coo, xo, po)
        .fuse(xo, po, xp)
        .fuse(xp, n, t)
        .parallel(t);
    if (getenv("YOLO_TILE_DEBUG"))
      fprintf(stderr,
              "tile: x=%d co=%d in %lld parts of output channels with "
              "threads\n",
              extentX, shape.channels, static_cast<long long>(parts));
  }
  if (grouped) {
    Var go("go"), gi("gi");
    out.split(outer, go, gi, static_cast<int>(group),
              TailStrategy::GuardWithIf);
    if (y)
      out.reorder(coo, xo, gi, go, n);
    else
      out.reorder(coo, gi, go, n);
    outer = go;
  } else if (y) {
    out.reorder(coo, xo, *y, n);
  }
  out.fuse(outer, n, t).parallel(t);
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
  if (f.phases.defined()) {
    // Stride 2: the even and odd columns of those rows, made there too,
    // so that the reduction loads contiguous vectors instead of strided
    // ones (two loads and a shuffle per vector, for each output channel
    // and tap).
    Func phases = f.phases;
    phases.compute_at(f.out, rows)
        .vectorize(phases.args()[0], vec, TailStrategy::GuardWithIf);
  } else if (desc.padTop || desc.padLeft) {
    Func inb = f.inb;
    std::vector<Var> iv = {inb.args()[0], inb.args()[1], inb.args()[2],
                           inb.args()[3]};
    inb.compute_at(f.out, rows)
        .vectorize(iv[0], vec, TailStrategy::GuardWithIf);
  }
}

/// Weights in blocks of output channels (--yolo-channel-blocks): a register
/// tile of `vectors` vectors of output channels by `channels` output pixels
/// along W (2 x 10 with 16 lanes: 20 accumulators; per input channel and
/// tap 2 vector loads of weights and 10 broadcasts of input values feed 20
/// FMAs; 2 x 5 with AVX2's 8 lanes). The tasks are groups of 2 output rows,
/// each with the zero-padded input rows it reads (made in the task); within a
/// task the blocks of output channels are outermost, so that a block's weights
/// serve both rows and every tile of them while they are in cache. The outputs
/// are written from the tile, vectors of output channels to their planes. A
/// last, partial block (Co not a multiple of the tile's 2 vectors, which
/// are the weights' block: --yolo-select-kernels checks it) computes all
/// its lanes (acc aligned to whole blocks; the weights past Co are zeros)
/// and stores those below Co.
/// Measured with 2 x 10, groups of 2 rows and this loop order, in the
/// whole model (gelan-c 640, Intel Emerald Rapids VM, one thread; the
/// numbers are in the pass's description, include/yolo/Lowering/
/// Passes.td). Tasks of one row with the blocks innermost read every
/// block's weights once per row and tile, from L3 for 256 -> 256 (2.4 MB):
/// 256 -> 256 at 40x40, the Halide profiler's time of the products (acc),
/// 28.4 ms against 16.6 with this order (bench/README.md, session 26).
void CpuSchedule::convBlocked(const ConvBlockedFuncs &f, const ConvDesc &desc,
                              const ConvTile &tile) {
  int lanes = tile.lanes, coTile = tile.vectors * tile.lanes,
      px = tile.channels;
  int outW = static_cast<int>(desc.output[3]);
  const int rowsPerTask = 2;
  Func out = f.out, acc = f.acc, pad = f.pad;
  Var xo("xo"), xi("xi"), coo("coo"), coi("coi"), cu("cu"), cl("cl"), yo("yo"),
      yi("yi"), t("t");
  out.split(f.co, coo, coi, coTile, TailStrategy::GuardWithIf)
      .split(f.x, xo, xi, px,
             px > outW ? TailStrategy::GuardWithIf : TailStrategy::ShiftInwards)
      .split(f.y, yo, yi, rowsPerTask, TailStrategy::GuardWithIf)
      .split(coi, cu, cl, lanes, TailStrategy::GuardWithIf)
      .reorder(cl, cu, xi, xo, yi, coo, yo, f.n)
      .vectorize(cl)
      .unroll(cu)
      .unroll(xi);
  out.fuse(yo, f.n, t).parallel(t);
  acc.compute_at(out, xo)
      .align_bounds(f.co, coTile)
      .vectorize(f.co, lanes)
      .unroll(f.co)
      .unroll(f.x);
  Var au("au"), al("al");
  acc.update()
      .split(f.co, au, al, lanes)
      .reorder(al, au, f.x, f.r.x, f.r.y, f.r.z)
      .vectorize(al)
      .unroll(au)
      .unroll(f.x);
  // With 32 registers the three taps along W are unrolled too (the tile's
  // input values then serve the taps that share them). With AVX2's 16,
  // LLVM keeps those values in registers next to the accumulators and
  // spills: gelan-t 640's five blocked layers took 8.87 ms at 2 x 5
  // unrolled (6.75 at 2 x 4), 6.65 not, 7.49-7.62 direct (one thread, Zen 4 VM;
  // bench/README.md, session 34).
  if (registers >= 32)
    acc.update().unroll(f.r.x);
  pad.compute_at(out, t).vectorize(f.x, vec, TailStrategy::GuardWithIf);
  if (getenv("YOLO_TILE_DEBUG"))
    fprintf(stderr,
            "tile: blocked x=%d lanes=%d vectors=%d pixels=%d rows=%d "
            "taps-unrolled=%d\n",
            outW, lanes, tile.vectors, px, rowsPerTask, registers >= 32);
}

void CpuSchedule::conv1x1(const Conv1x1Funcs &f, const Conv1x1Desc &desc,
                          const ConvTile &tile) {
  Var t = scheduleConv(f.out, f.acc, f.p, f.co, f.n, nullptr, {f.r.x},
                       convShape(desc), tile);
  // The input columns of a task's tiles, copied next to their use: the
  // reduction then streams one contiguous panel (a tile's pixels for each
  // input channel in turn) instead of 1.5 cache lines from each of Cin
  // rows of the whole tensor, and the copy is shared by every block of
  // output channels. One thread, AVX2, median of 20 runs of the layer
  // alone: 1024 -> 512 at 40x40 22.8 -> 18.6 ms, 512 -> 512 at 80x80 47.3
  // -> 37.7 ms, 256 -> 256 at 160x160 66.4 -> 42.2 ms.
  Halide::ImageParam input = f.input;
  Func packed = input.in();
  packed.compute_at(f.out, t).vectorize(packed.args()[0], vec,
                                        TailStrategy::GuardWithIf);
}

/// Winograd F(m x m, 3 x 3). Output channels are the vector dimension
/// throughout the products and the output transform (the tile: `vectors`
/// vectors of `lanes` channels by `channels` tiles along W, 2 x 5 with 10
/// accumulators, the inner loop 2 loads, 5 broadcasts, 10 FMAs). Tiles
/// are taken in groups of whole tile rows, at least 64 tiles: the group's
/// transformed input stays in cache while its blocks of output channels
/// run, each streaming its transformed weights once per group. Layers of
/// fewer than 8 groups compute that input in parallel over channel chunks
/// and run the blocks in parallel; the others run the groups as tasks. Groups
/// of 64-100 tiles measured best (the prototype of this kernel, 80x80 256 ->
/// 256, one thread, AVX2: 2 tile rows 65 ms, 4 rows 52 ms, 1 row 94 ms; direct
/// 108 ms).
void CpuSchedule::convWinograd(const WinogradFuncs &f, const WinogradDesc &d,
                               const ConvTile &tile) {
  int m = static_cast<int>(d.m);
  int lanes = tile.lanes, block = tile.vectors * tile.lanes;
  int cin = static_cast<int>(d.input[1]);
  int outH = static_cast<int>(d.output[2]),
      outW = static_cast<int>(d.output[3]);
  int cout = static_cast<int>(d.output[1]);
  int tilesW = (outW + m - 1) / m, tilesH = (outH + m - 1) / m;
  // Fewer than 4 blocks of output channels (48 or fewer channels with 2
  // vectors of 8) leave a second thread idle in the products: such layers
  // run whole groups as tasks instead, groups of tilesH / 8 tile rows (at
  // least 8 tasks where there are 8 rows). gelan-t 640, 24 layers of 16
  // channels at 80x80: 10.6 ms on 2 threads as blocks (no faster than on
  // 1), 6.6 ms as groups (bench/profile.py).
  bool fewBlocks = (cout + block - 1) / block < 4;
  int rows = fewBlocks ? std::max(1, tilesH / 8)
                       : std::min(tilesH, (64 + tilesW - 1) / tilesW);
  // Groups of equal size (the count that size makes, the rows shared out
  // evenly): 40x40 outputs (10 tile rows with F(4x4)) make two groups of 5
  // instead of 7 and 3, so that the two can be one thread's task each
  // (evenGroups below). gelan-c 640's 21 Winograd layers at 40x40, one
  // thread, sums of per-step medians: 46.19 -> 46.80 and 44.98 -> 44.66 ms.
  if (!fewBlocks) {
    int count = (tilesH + rows - 1) / rows;
    rows = (tilesH + count - 1) / count;
  }
  // Layers of 8 or more groups (with F(4x4), 160x160 outputs and larger;
  // the rule was measured on 2 threads) also run their groups as tasks:
  // one parallel loop per layer instead of two per group (the transform
  // over channel chunks, then the blocks), each task transforming its
  // group's input itself. gelan-c 640, 64 -> 64 at
  // 160x160 (20 groups), 2 threads, fastest of 5 runs on a busy VM:
  // 10.25 / 10.71 ms as blocks, 8.69 / 8.95 ms as groups; 80x80 layers (5
  // groups) and 40x40 ones (2) were not faster as groups.
  int groupCount = (tilesH + rows - 1) / rows;
  bool groupTasks = fewBlocks || groupCount >= 8;
  // Layers of fewer groups of rows run the blocks of output channels in
  // parallel, which share the group's transformed input: with the threads
  // on cores that share no cache (two CCDs), each reads half of it from
  // the other's. Where groups of ~40 tiles would make 8 or more, they run
  // as tasks instead, each group's input transformed by the thread that
  // reads it, when the run has several threads (yolo_pool_threads, read at
  // run time); on one thread, where smaller groups only stream the
  // weights more often, they keep their size. Only for weights
  // transformed at compile time or once per call (below): a run-time
  // transform per group and block costs twice as much on groups half the
  // size.
  // gelan-t 640, 2 threads on two CCDs (Zen 5 VM, alternating runs): 29.9
  // -> 28.4 ms; gelan-c on one CCD 195 / 191 -> 194 / 191 ms; one thread
  // unchanged (bench/README.md).
  // Weights transformed at run time are transformed once per call, before
  // the products, where the layer has two or more groups (each block's
  // transform is otherwise redone in every group) and they take at most 4
  // MB; otherwise per block inside each group, where they stay in cache.
  // Once per call, the layer reads them as it reads weights transformed at
  // compile time, and can run smaller groups as tasks (threadRows below).
  // gelan-t 640's three such layers (128 x 128 at 80x80, 96 and 128 x 128
  // at 40x40; 1.8-2.4 MB), sums of per-step medians (Zen 5 VM): one
  // thread 5.44 -> 5.08 ms; two threads on one CCD 2.79 -> 2.62 and 2.75
  // -> 2.72, on two CCDs 4.09 -> 3.38. gelan-c's layers at 40x40 (9.4-18.9
  // MB, two groups) were no faster so (alternating whole runs: one thread
  // 347 / 347, 341 / 342, 339 / 337 ms; two 174 / 177, 176 / 182, 175 /
  // 176) and the buffer added 16 MB to the peak RSS.
  int64_t uwBytes = int64_t(m + 2) * (m + 2) * cin * cout * 4;
  bool uwPerCall = f.uw.defined() && !fewBlocks && groupCount >= 2 &&
                   uwBytes <= (int64_t(4) << 20);
  // Weights transformed per block are transformed again in every group:
  // layers of at most 100 tiles (40x40 outputs with F(4x4)) make them one
  // group, their weights transformed once per block, the blocks the
  // parallel tasks. gelan-c 640's eight such layers (256 -> 256 and 512 ->
  // 256 at 40x40, 9.4 and 18.9 MB of transformed weights), sums of
  // per-step medians, Zen 4 VM, alternating runs: one thread 56.2 -> 51.5
  // ms; two threads, as two groups of 5 rows each a thread's task, 28.6-
  // 30.6 -> 26.1-26.5 ms with the vCPUs sharing a cache, 37.3-37.6 ->
  // 34.5-37.8 without (bench/README.md, session 19).
  if (f.uw.defined() && !fewBlocks && !uwPerCall && !groupTasks &&
      tilesW * tilesH <= 100) {
    rows = tilesH;
    groupCount = 1;
  }
  int smallRows = std::max(1, (40 + tilesW - 1) / tilesW);
  // A row band (--yolo-split-bands) has one version of its loops: it runs
  // on one thread in a pair (on two threads) and, as the loops differ in
  // the last bits of some outputs, it must compute the same on any thread
  // count (gelan-c 640 with bands, on 3 threads: 46,175 values up to
  // 1.2e-4 apart from 1 thread before this).
  bool threadRows = !d.band && !groupTasks && (!f.uw.defined() || uwPerCall) &&
                    smallRows < rows &&
                    (tilesH + smallRows - 1) / smallRows >= 8;
  // The other layers of two or more groups (40x40 with F(4x4)) run their
  // groups as tasks when the thread count divides the group count (a
  // second version of the loops): each thread then transforms the input
  // it reads and streams all the weights once, as the blocks' version
  // also does in total. Other thread counts (one thread, or more threads
  // than groups) keep the blocks as tasks. gelan-c 640's 21 such layers,
  // 2 threads, sums of per-step medians: on two CCDs 34.2 -> 27.8 and 33.6
  // -> 27.9 ms, on one CCD 25.1 -> 25.4 (its 512 -> 256 layer, whose
  // weights are transformed per block, 4.0 -> 4.5; 5.4 -> 4.5 on two
  // CCDs); gelan-t 640 on two CCDs, whole runs alternating: 24.6 -> 24.1
  // ms, on one CCD 20.2 / 20.2. The versions' groups are the same, and
  // on x86 the outputs are bit-identical across thread counts (the test
  // models of winograd-tasks.test, the 12 models of codegen_matrix.sh).
  // Not on ARM64: under qemu the two versions' outputs differ in the last
  // bit (the two-group test model at F(2x2): 4509 of 40960 values, all in
  // odd columns, up to 1.9e-6), so NEON keeps one version. (The threadRows
  // versions differ only in their groups' size, and are bit-identical
  // there too.)
  bool evenGroups =
      x86 && !d.band && !groupTasks && !threadRows && groupCount >= 2;
  // Such layers of at most 100 tiles with weights transformed at run time
  // transform them per block instead of once per call: as two groups on
  // two threads, each thread transforms all the weights itself and reads
  // no transformed weight the other wrote; in the other version, the tiles
  // are one group (as above) and each block's weights are transformed
  // once. gelan-c 640's eleven 128 -> 128 layers at 40x40 (2.4 MB of
  // transformed weights), sums of per-step medians, Zen 4 VM, alternating
  // runs: one thread 19.2-19.6 -> 17.9-18.3 ms; two threads 10.2-10.6 ->
  // 9.8-10.1 with the vCPUs sharing a cache, 16.9-17.8 -> 13.2-13.6
  // without (bench/README.md, session 20).
  int otherRows = rows;
  bool threadWeights = false;
  if (evenGroups && uwPerCall && tilesW * tilesH <= 100) {
    uwPerCall = false;
    otherRows = tilesH;
  }
  // Layers of fewer than 4 blocks and at most 100 tiles whose weights,
  // transformed at run time, take at most 2 MB: two groups of tile rows as
  // the tasks, each transforming the weights per block itself, instead of
  // groups of tilesH / 8 rows after one transform per call in parallel over
  // chunks of input channels, whose products read half of the weights from
  // the other thread (from memory when the two vCPUs share no cache). Two
  // groups on any thread count (with more than two threads the others
  // wait; such a layer takes 0.1-0.3 ms): with two versions (one group on
  // one thread) the outputs differed in the last bits. x86 only, where it
  // was measured. gelan-t 640 has 36 such layers (24 of 32 -> 32 at 20x20;
  // 48 -> 48, 64 -> 64, 96 and 128 -> 64; 147 KB-1.2 MB). Sums of per-step
  // medians over its 42 layers with run-time weights, Zen 4 VM,
  // alternating runs: two threads without a shared cache 14.8 -> 12.8 ms
  // (4 / 5 runs), with one 9.4 -> 8.9 (8 / 8); one thread 17.1 -> 17.2 (3
  // / 3). gelan-c's two 512 -> 64 layers (4.7 MB) lost: one thread 5.1 ->
  // 5.5 ms, two 2.7 -> 3.0 (bench/README.md, session 21).
  // Not for a row band (--yolo-split-bands), which runs on one thread:
  // its weights are transformed once per call (fewBlocksPerCall below).
  if (x86 && fewBlocks && f.uw.defined() && tilesW * tilesH <= 100 &&
      tilesH >= 2 && uwBytes <= (int64_t(2) << 20) && !d.band) {
    rows = otherRows = (tilesH + 1) / 2;
    threadWeights = true;
  }
  // The other layers of few blocks with run-time weights transform them
  // once per call, before the products (uw below).
  bool fewBlocksPerCall = fewBlocks && f.uw.defined() && !threadWeights;
  int alongW = std::min(tile.channels, tilesW);
  // The input transform's vectors of tiles along a row (shifted inwards at
  // the row's end). With 16 lanes, rows of 20 tiles (80x80 outputs with
  // F(4x4)) compute 32 lanes, with 8 lanes 24: layers of at most 64 output
  // channels, where the transforms weigh most against the products, take
  // 8. Zen 4 VM, the libraries before and after, two rounds of
  // bench/profile.py, sums of per-step medians: gelan-t 640's Winograd
  // layers 37.6 -> 36.0 ms at one thread, 19.2 -> 18.5 at two (its 28
  // layers of 16 channels at 80x80 6.1 -> 4.9 ms at one thread); gelan-c
  // 640's eight 64-channel layers at 80x80 15.6 -> 14.3. With 8 lanes on
  // every layer, gelan-c's 128- and 256-channel layers at 80x80 took 2-3 %
  // longer, rows of 10 tiles (16 lanes: one vector of 10) 6-11 % longer
  // and rows of 40 tiles (48 lanes against 40) 2 % longer.
  int vw = x86 && vec == 16 && tilesW == 20 && cout <= 64
               ? 8
               : std::min(vec, tilesW);
  // Outputs stored as rows of a tile (x86, F(4x4)): the output transform
  // makes vectors of output channels, one per output of the tile, and
  // storing them into the channels' planes took an extract and a scalar
  // store per value. The outputs are now stored as vectors of a tile row's
  // m columns, each gathered from m of those vectors (inserts from the
  // tile's buffer instead of extracts; one vector store instead of m
  // scalar ones). Zen 4 VM, sums of the Winograd layers' per-step medians,
  // minima over four alternating runs of bench/profile.py: gelan-c 640 at
  // one / two threads 210.2 -> 204.5 / 108.7 -> 104.4 ms, its AVX2
  // library 234.7 -> 225.4 / 118.7 -> 115.9; gelan-t 640 34.9 -> 34.3 /
  // 18.2 -> 17.6, AVX2 39.8 -> 38.6 / 20.8 -> 20.1 (the 1x1 layers, which
  // did not change, -1.4 to +1.2 %; bench/README.md, session 37). The
  // expressions are the same, but LLVM contracted some sums differently:
  // gelan-c's outputs moved by one ulp in 240 of 705,600 values (not
  // traced to a layer); they stay bit-identical across thread counts.
  // ARM64 keeps stores of channel vectors (not measured there).
  bool rowStores = x86 && m == 4;
  if (getenv("YOLO_TILE_DEBUG"))
    fprintf(stderr,
            "tile: winograd F(%dx%d) tiles=%dx%d group=%d rows%s%s%s lanes=%d "
            "vectors=%d channels=%d transform-lanes=%d stores=%s\n",
            m, m, tilesW, tilesH, rows,
            threadRows ? (" (" + std::to_string(smallRows) +
                          " as tasks with more threads)")
                             .c_str()
            : evenGroups ? (" (as tasks with threads dividing the groups" +
                            (otherRows != rows ? ", else one group of " +
                                                     std::to_string(otherRows)
                                               : std::string()) +
                            ")")
                               .c_str()
                         : "",
            groupTasks ? " (tasks)" : "",
            !f.uw.defined()                 ? ""
            : uwPerCall || fewBlocksPerCall ? " (weights per call)"
                                            : " (weights per block)",
            lanes, tile.vectors, alongW, vw, rowStores ? "rows" : "channels");
  // A last, partial block of output channels computes only the channels
  // that exist: a block shifted inwards would write its overlap with the
  // previous block from another task, and the two computed those channels
  // in different vector lanes (1 ulp apart under qemu's NEON).
  Var yt("yt"), xt("xt"), tyo("tyo"), tyi("tyi"), coo("coo"), coi("coi"),
      cu("cu"), cl("cl"), group("group");
  Func out = f.out;
  out.split(f.y, yt, f.j, m, TailStrategy::GuardWithIf)
      .split(f.x, xt, f.i, m, TailStrategy::GuardWithIf)
      .split(f.co, coo, coi, block, TailStrategy::GuardWithIf)
      .split(coi, cu, cl, lanes, TailStrategy::GuardWithIf);
  // The group loop of `stage`: groups of `r` tile rows, as tasks or not.
  auto groups = [&](Stage stage, int r, bool tasks) {
    stage.split(yt, tyo, tyi, r, TailStrategy::GuardWithIf);
    if (rowStores)
      stage.reorder(f.i, cl, f.j, cu, xt, tyi, coo, tyo, f.n)
          .vectorize(f.i)
          .unroll(cl);
    else
      stage.reorder(cl, f.i, f.j, cu, xt, tyi, coo, tyo, f.n)
          .vectorize(cl)
          .unroll(f.i);
    stage.unroll(f.j).unroll(cu).fuse(tyo, f.n, group);
    if (tasks)
      stage.parallel(group);
    else
      stage.parallel(coo);
  };
  if (threadRows) {
    // Two versions of the loops, chosen at the start of each call. The
    // one-thread version's groups are tasks too (on one thread nothing runs
    // in parallel), so that the transformed input, whose schedule the
    // versions share, is made per group by whoever runs the group.
    groups(out.specialize(poolThreads() > 1), smallRows, true);
    groupTasks = true;
  } else if (evenGroups) {
    groups(out.specialize(poolThreads() > 1 && groupCount % poolThreads() == 0),
           rows, true);
  }
  groups(out, otherRows, groupTasks);
  Func otile = f.otile, mx = f.mx, prod = f.prod, macc = f.macc, v = f.v,
       vx = f.vx;
  otile.compute_at(out, xt)
      .vectorize(f.co, lanes, TailStrategy::GuardWithIf)
      .unroll(f.i)
      .unroll(f.j);
  mx.compute_at(out, xt)
      .vectorize(f.co, lanes, TailStrategy::GuardWithIf)
      .unroll(f.xi)
      .unroll(f.j);
  // The products of a block of output channels for the whole group,
  // computed register tile by register tile.
  Var pu("pu"), pl("pl"), ptxo("ptxo"), ptxi("ptxi");
  prod.compute_at(out, coo)
      .split(f.co, pu, pl, lanes, TailStrategy::GuardWithIf)
      .split(f.tx, ptxo, ptxi, alongW, TailStrategy::ShiftInwards)
      .reorder(pl, pu, ptxi, ptxo, f.ty, f.xi, f.nu, f.n)
      .vectorize(pl)
      .unroll(pu)
      .unroll(ptxi);
  // Where the output channels end inside a vector (24 channels in vectors
  // of 16), the last block's products are computed for the whole vector.
  // Over the 8 channels alone, the register tile (macc) had no constant
  // size: Halide allocated it on the heap, once per tile (Halide's
  // profiler, a one-layer 24 -> 24 model at 40x40, compile-time weights:
  // 288 mallocs a run, macc 0.35 of 0.66 ms; 0.11 ms in all after). The
  // extra channels read zero weights (the compile-time ones are padded to
  // blocks of 16, the algorithm pads the run-time ones) and are not
  // stored.
  if (x86 && cout % lanes != 0 &&
      (f.uw.defined() || (d.weightBlock > 0 && d.weightBlock % lanes == 0)))
    prod.align_bounds(f.co, lanes);
  Var mu("mu"), ml("ml");
  macc.compute_at(prod, ptxo)
      .vectorize(f.co, lanes, TailStrategy::GuardWithIf)
      .unroll(f.co)
      .unroll(f.tx);
  macc.update()
      .split(f.co, mu, ml, lanes, TailStrategy::GuardWithIf)
      .reorder(ml, mu, f.tx, f.r.x, f.xi, f.nu)
      .vectorize(ml)
      .unroll(mu)
      .unroll(f.tx);
  // The group's transformed input, vectorized along the tiles of a row
  // (strided loads of the input rows), in parallel over channel chunks
  // unless the groups are the tasks.
  int chunk = std::min(16, cin);
  Var vo("vo"), vi("vi"), cio("cio"), cii("cii");
  v.compute_at(out, group)
      .split(f.tx, vo, vi, vw, TailStrategy::ShiftInwards)
      .reorder(vi, f.xi, f.nu, vo, f.ci, f.ty, f.n)
      .vectorize(vi)
      .unroll(f.xi)
      .unroll(f.nu)
      .split(f.ci, cio, cii, chunk, TailStrategy::GuardWithIf);
  if (!groupTasks)
    v.parallel(cio);
  // On x86 the transformed input's planes (one per xi, nu: t * t of them,
  // C x tiles-along-W floats apart) get one channel more than they need:
  // with 20 tiles along W and 256 channels (80x80 outputs) they lay a
  // multiple of 4 KB apart, and the 36 vectors each input channel writes
  // fell in one L1 set. The Halide profiler on gelan-c 640 (one thread,
  // two runs each, the Zen 4 VM): v, this stage, 19.4-20.7 -> 8.0-10.4 ms
  // (compile-time-weight layers 13.5 / 11.1 -> 6.8 / 4.6, run-time 7.2 /
  // 5.8 -> 3.6 / 3.4); a one-layer 256 -> 256 model at 80x80, medians of
  // six alternating rounds, 27.0 -> 25.5 ms a run. Only the layout
  // changes: outputs are bit-identical (bench/README.md, session 36).
  if (x86)
    v.bound_storage(f.ci, cin + 1);
  // The row transform of one input channel: on x86 the vectors of tiles
  // outermost, the transform's rows and the input rows unrolled inside, so
  // that the six rows of one input row (all of B^T's rows) share its
  // strided loads, one loop instead of one per row. On AVX2 (vectors of 8
  // tiles: 3 per row of 20) gelan-c 640's Winograd layers took 257.2 ->
  // 247.3 ms at one thread (every layer 2-8 % faster; sums of per-step
  // medians, the better of two rounds of bench/profile.py), gelan-t's 44.1
  // -> 41.5; two threads on CPUs without a shared cache, gelan-c whole
  // runs alternating: 382-390 -> 376-383 ms. AVX-512 (16 tiles): 38.2 ->
  // 37.6 (gelan-t), 225.5 -> 224.7 (gelan-c). The sums are the same up to
  // rounding (LLVM contracts them differently: a one-layer 256 -> 256
  // model's outputs moved by up to 1.4e-5). ARM64 keeps a loop per row (not
  // measured there).
  Var vxo("vxo"), vxi("vxi");
  vx.compute_at(v, cii)
      .split(f.tx, vxo, vxi, vw, TailStrategy::ShiftInwards)
      .vectorize(vxi)
      .unroll(f.xi)
      .unroll(f.b);
  if (x86)
    vx.reorder(vxi, f.xi, f.b, vxo);
  if (!f.uw.defined())
    return;
  // Weights transformed at run time, laid out as the compile-time ones
  // (output channels innermost), input channel by input channel: once per
  // call where uwPerCall (above) or with few output channels (so the
  // transformed weights are small), before the products; otherwise the
  // block's [t * t][C][block] once per block and group, next to the
  // products that read it.
  // On x86 the loop over the t columns (xi) is outermost, each input
  // channel's row transform (gw) made for that column: an input channel
  // then writes t vectors, to t planes of the [t * t][C][block] layout,
  // instead of all t * t. Those planes lie C x block floats apart, a
  // multiple of 4 KB for C a multiple of 32 (AVX-512 blocks of 32) or 64
  // (AVX2's 16), so the t * t = 36 streams (F(4x4)) all fell in one L1
  // set; t = 6 fit its ways. The 3x3 weights are read t times, from cache.
  // gelan-c 640, Zen 4 VM, sums of per-step medians of its run-time-weight
  // layers over two alternating rounds (bench/profile.py): one thread 95.7
  // -> 88.8 ms (256 -> 256 at 20x20 9.8 -> 8.6), two 56.7 -> 53.5; gelan-t
  // 640 16.3 -> 15.5 and 9.4 -> 8.3 ms, its AVX2 library 18.9 -> 18.1 and
  // 11.1 -> 10.6 (bench/README.md, session 36). Bit-identical across
  // thread counts; LLVM contracts the sums differently, so the outputs
  // moved in the last bits (gelan-c up to 1.2e-4 against before).
  Func uw = f.uw, gw = f.gw;
  if (uwPerCall) {
    // Once per call, in parallel over the blocks of output channels (the
    // products' own blocks, so that with blocks as tasks each thread reads
    // the weights it transformed).
    Var wco("wco"), wcb("wcb");
    uw.compute_root().split(f.co, wco, wcb, block, TailStrategy::GuardWithIf);
    if (x86)
      uw.reorder(wcb, f.nu, f.ci, f.xi, wco);
    else
      uw.reorder(wcb, f.xi, f.nu, f.ci, wco);
    uw.vectorize(wcb, lanes, TailStrategy::GuardWithIf)
        .unroll(wcb)
        .unroll(f.xi)
        .unroll(f.nu)
        .parallel(wco);
  } else {
    if (fewBlocksPerCall)
      uw.compute_root();
    else
      uw.compute_at(out, coo);
    if (x86)
      uw.reorder(f.co, f.nu, f.ci, f.xi);
    else
      uw.reorder(f.co, f.xi, f.nu, f.ci);
    uw.vectorize(f.co, lanes, TailStrategy::GuardWithIf)
        .unroll(f.co)
        .unroll(f.xi)
        .unroll(f.nu);
  }
  Var wci = f.ci;
  if (fewBlocksPerCall && cin >= 32) {
    // Once per call, before the products: in parallel over chunks of
    // input channels (it ran on one thread while the other waited).
    // gelan-t 640, 2 threads, AVX-512: its 24 layers of 32 channels at
    // 20x20 0.58 -> 0.50 ms, the run-time-weight layers 6.3 -> 5.9 ms
    // (bench/profile.py, medians of 10); the output is byte-identical.
    // (Those small layers now transform their weights per group instead,
    // threadWeights above; this stays for the larger ones.)
    Var cwo("cwo"), cwi("cwi");
    uw.split(f.ci, cwo, cwi, std::max(8, cin / 8), TailStrategy::GuardWithIf)
        .parallel(cwo);
    if (x86)
      uw.reorder(f.co, f.nu, cwi, f.xi, cwo);
    wci = cwi;
  }
  gw.compute_at(uw, wci)
      .vectorize(f.co, lanes, TailStrategy::GuardWithIf)
      .unroll(f.co)
      .unroll(f.xi)
      .unroll(f.b);
}

Expr CpuSchedule::activationExp(Expr x) const { return polynomialExp(x, fma); }

/// Vectorizes dimension 0 and runs the outer dimensions in parallel.
void CpuSchedule::pointwise(Func out, const std::vector<Var> &v,
                            const Shape &shape, bool sameElement) {
  int rank = static_cast<int>(v.size());
  int e0 = static_cast<int>(shape[rank - 1]);
  if (e0 >= vec)
    out.vectorize(v[0], vec);
  else if (e0 > 1)
    out.vectorize(v[0], e0);
  if (rank == 4 && sameElement) {
    // Element-by-element images (N, C, H, W): the tasks are bands of rows
    // across all channels, as the convolutions' are, so that with the
    // pool's fixed split of each loop (pool.h) a thread reads the rows it
    // wrote in the layer before instead of the other thread's half of
    // every channel. Eight bands (of H / 8 rows, rounded up), each
    // channel's rows of a band in turn. gelan-t 640's element-wise kernels
    // (bench/profile.py): 0.46 -> 0.37 ms at one thread, 0.42 -> 0.21 at
    // two (its 1x32x20x20 adds had been 640 tasks of one row each). Not for
    // pooling and resizing: gelan-c's pools took 8.5 -> 14.3 ms so at one
    // thread.
    int64_t band = std::max<int64_t>(1, (shape[2] + 7) / 8);
    Var yo("yo"), yi("yi"), t("t");
    out.split(v[1], yo, yi, static_cast<int>(band), TailStrategy::GuardWithIf)
        .reorder(v[0], yi, v[2], yo, v[3])
        .fuse(yo, v[3], t)
        .parallel(t);
    return;
  }
  if (rank >= 2) {
    Var fused = v[1];
    for (int d = 2; d < rank; ++d) {
      Var next("f" + std::to_string(d));
      out.fuse(fused, v[d], next);
      fused = next;
    }
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; ++d)
      rows *= shape[d];
    parallelTasks(out, fused, e0, rows);
  }
}

/// Max pooling in two passes: the tasks are groups of whole channels (of at
/// least 16K outputs, parallelTasks), each channel's rows in order; `rows`
/// is computed one input row at a time as the output rows need it and kept
/// in a window of the kernel's height (Halide's sliding window), so each
/// input row is combined along W once.
void CpuSchedule::pool(const PoolFuncs &f, const PoolDesc &desc) {
  const Shape &s = desc.output;
  int outW = static_cast<int>(s[3]);
  Var cn("cn");
  Func out = f.out, rows = f.rows;
  int lanes = std::min(vec, outW);
  if (lanes > 1) {
    out.vectorize(f.x, lanes);
    rows.vectorize(f.x, lanes);
  }
  out.reorder(f.x, f.y, f.c, f.n).fuse(f.c, f.n, cn);
  Var channel = parallelTasks(out, cn, s[2] * s[3], s[0] * s[1]);
  rows.store_at(out, channel).compute_at(out, f.y);
  if (getenv("YOLO_TILE_DEBUG"))
    fprintf(stderr, "tile: max_pool two passes kernel=%lldx%lld lanes=%d\n",
            static_cast<long long>(desc.kernelH),
            static_cast<long long>(desc.kernelW), lanes);
}

void CpuSchedule::softmax(const SoftmaxFuncs &f, const SoftmaxDesc &desc) {
  if (f.e.defined()) {
    if (static_cast<size_t>(desc.axis) + 1 == desc.shape.size())
      softmaxRows(f, desc);
    else
      softmaxStrided(f, desc);
    return;
  }
  pointwise(f.out, f.v, desc.shape, false);
  // One max and one sum per row, shared by the row's outputs.
  Func mx = f.mx, den = f.den;
  mx.compute_root();
  den.compute_root();
}

/// Softmax along the contiguous axis, row by row: the row's max, its
/// exponentials (vectorized; once each, not once for the sum and again for
/// the output) and their sum are computed where the row is written, so the
/// row stays in cache; rows are the parallel tasks, grouped by
/// parallelTasks. 2 x 400 rows of 400 (yolo11's attention at 640): 1.8 ms on
/// one core before (every exponential twice, max and sum over the whole
/// tensor first), 0.9 ms after (0.7 ms on 2 threads); onnxruntime 0.2 ms
/// (its exponential is a vectorized approximation; Halide's exp calls expf
/// per lane). Measured on a one-op model, on a busy 2-core VM:
/// bench/run_bench.py --model M.onnx --runner OUT/M-run --engines ours,ort.
void CpuSchedule::softmaxRows(const SoftmaxFuncs &f, const SoftmaxDesc &desc) {
  const Shape &shape = desc.shape;
  int rank = static_cast<int>(f.v.size());
  int e0 = static_cast<int>(shape[rank - 1]);
  Func out = f.out, mx = f.mx, den = f.den, e = f.e;
  if (e0 >= vec)
    out.vectorize(f.v[0], vec);
  Var row = f.v[0];
  if (rank >= 2) {
    row = f.v[1];
    for (int d = 2; d < rank; ++d) {
      Var next("f" + std::to_string(d));
      out.fuse(row, f.v[d], next);
      row = next;
    }
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; ++d)
      rows *= shape[d];
    row = parallelTasks(out, row, e0, rows);
  }
  if (rank >= 2) {
    mx.compute_at(out, row);
    den.compute_at(out, row);
    e.compute_at(out, row);
  } else {
    mx.compute_root();
    den.compute_root();
    e.compute_root();
  }
  if (e0 >= vec)
    e.vectorize(e.args()[0], vec, TailStrategy::GuardWithIf);
}

/// Softmax along an axis other than the innermost, vectorized along the
/// innermost: per vector of rows, the max over the axis, the exponentials
/// (once each), their sum and the quotients, all in registers or L1; the
/// vectors of rows, grouped by parallelTasks, are the parallel tasks.
/// YOLO's DFL, gelan-t 640 (softmax over 16 bins of 4 x 8400 anchors;
/// bench/profile.py, medians of 20 runs on a busy VM): the softmax over
/// rows of 16 between its two transposes (which SoftmaxOp's
/// canonicalization removes) took 0.35 + 1.33 + 1.30 ms on one core, 0.19
/// + 0.57 + 0.66 on two; this softmax and the transpose left 0.75 + 0.13
/// and 0.32 + 0.09. Without it the max and the sum were computed for the
/// whole tensor first, unvectorized, and every exponential twice.
void CpuSchedule::softmaxStrided(const SoftmaxFuncs &f,
                                 const SoftmaxDesc &desc) {
  const Shape &shape = desc.shape;
  int rank = static_cast<int>(f.v.size());
  int axis = rank - 1 - static_cast<int>(desc.axis); // Halide dim
  int e0 = static_cast<int>(shape[rank - 1]);
  int lanes = std::min(vec, e0);
  Func out = f.out, mx = f.mx, den = f.den, e = f.e;
  Var xo("xo"), xi("xi");
  out.split(f.v[0], xo, xi, lanes);
  std::vector<VarOrRVar> order = {xi, f.v[axis], xo};
  for (int k = 1; k < rank; ++k)
    if (k != axis)
      order.push_back(f.v[k]);
  out.reorder(order).vectorize(xi);
  Var tasks = xo;
  for (int k = 1; k < rank; ++k) {
    if (k == axis)
      continue;
    Var next("t" + std::to_string(k));
    out.fuse(tasks, f.v[k], next);
    tasks = next;
  }
  int64_t iterations = (e0 + lanes - 1) / lanes;
  for (int d = 0; d < rank - 1; ++d)
    if (d != static_cast<int>(desc.axis))
      iterations *= shape[d];
  Var at =
      parallelTasks(out, tasks, int64_t(lanes) * shape[desc.axis], iterations);
  mx.compute_at(out, at).vectorize(f.rows[0], lanes);
  mx.update().vectorize(f.rows[0], lanes);
  e.compute_at(out, at).vectorize(f.v[0], lanes);
  den.compute_at(out, at).vectorize(f.rows[0], lanes);
  den.update().vectorize(f.rows[0], lanes);
}

/// The register tile of a matrix-product microkernel: per step k, `vectors`
/// rhs vectors along n times `rows` broadcast lhs elements feed vectors x
/// rows FMAs into accumulators held in registers (2 x 4 = 8 of the 16 AVX2
/// or 32 AVX-512 / NEON registers, leaving room for the loads). The sum
/// over k stays one sequential loop per output element: no rfactor, so
/// every element is computed in the same order on any thread count.
/// Tiles run over (column tile, row tile, batch); row tiles and batches
/// are the parallel tasks, grouped to at least ~1M FMAs each, and a
/// product below that runs on one thread (YOLO's attention products are
/// 0.3-1M FMAs per head).
void CpuSchedule::matmul(const MatMulFuncs &f, const MatMulDesc &desc) {
  const Shape &o = desc.output;
  int rank = static_cast<int>(o.size());
  int extentN = static_cast<int>(o[rank - 1]),
      extentM = static_cast<int>(o[rank - 2]);
  int64_t k = desc.lhs[rank - 1];
  int lanes = std::min(vec, extentN);
  int vectors = extentN >= 2 * vec ? 2 : 1;
  int tileN = lanes * vectors, tileM = std::min(extentM, 4);
  Func out = f.out, acc = f.acc;
  Var n = f.n, m = f.m;
  Var no("no"), ni("ni"), nu("nu"), nv("nv"), mo("mo"), mi("mi");
  // The tiles fit the extents (tileN <= N, tileM <= M): the last tile of a
  // row or column shifts inwards and recomputes a few elements.
  out.split(n, no, ni, tileN).split(m, mo, mi, tileM);
  if (vectors > 1)
    out.split(ni, nu, nv, lanes).reorder(nv, nu, mi, no, mo).unroll(nu);
  else
    out.reorder(ni, mi, no, mo);
  if (lanes > 1)
    out.vectorize(vectors > 1 ? nv : ni);
  out.unroll(mi);
  Var tasks = mo;
  for (size_t i = 0; i < f.batch.size(); ++i) {
    Var next("t" + std::to_string(i));
    out.fuse(tasks, f.batch[i], next);
    tasks = next;
  }
  int64_t perIteration = int64_t(extentN) * tileM * k;
  int64_t iterations = (extentM + tileM - 1) / tileM;
  for (size_t d = 0; d + 2 < o.size(); ++d)
    iterations *= o[d];
  int64_t group = std::max<int64_t>(1, (int64_t(1) << 20) / perIteration);
  if (iterations >= 2 * group)
    out.parallel(tasks, static_cast<int>(group), TailStrategy::GuardWithIf);
  acc.compute_at(out, no);
  if (lanes > 1)
    acc.vectorize(n, lanes);
  acc.unroll(m);
  Var an("an"), av("av");
  acc.update()
      .split(n, an, av, lanes)
      .reorder(av, an, m, f.r.x)
      .unroll(an)
      .unroll(m);
  if (lanes > 1)
    acc.update().vectorize(av);
}

std::unique_ptr<Schedule> makeX86Schedule(const TargetInfo &target) {
  return std::make_unique<CpuSchedule>(target);
}

} // namespace yolo
} // namespace mlir
