//===- Passes.td - lowering passes to the ykernel dialect --*- tablegen -*-===//
//
// The back end's decisions as passes on the IR, after --yolo-optimize:
// bufferization (in-place concat, caller-buffer outputs), kernel selection
// (algorithm and register tile per layer), memory planning (arena offsets).
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LOWERING_PASSES_TD
#define YOLO_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def YoloBufferize : Pass<"yolo-bufferize", "::mlir::ModuleOp"> {
  let summary = "lower @main from yolo tensor ops to ykernel ops on memrefs";
  let description = [{
    Every tensor becomes a memref view; every computing op one ykernel op
    that writes its output operand. What the pass decides, visible in its
    output:
    - **Caller-buffer outputs** (as MLIR's BufferResultsToOutParams): the
      results become trailing function arguments marked `ykernel.output =
      k`, and the op computing a result writes straight into that argument.
    - **In-place concat** (as MLIR's EmptyTensorElimination): a concat's
      buffer is allocated first and the ops producing its inputs write into
      `memref.subview`s of it; so do all the pieces of one tensor that
      appear in order (an ELAN block concatenates both halves of its first
      convolution: that convolution writes into the concat buffer, and its
      halves become views). Inputs that cannot be placed (function
      arguments, constants, values used by two concats) are copied with
      `ykernel.copy`.
    - Slices and splits are subviews, contiguous reshapes are
      `memref.reinterpret_cast`s (a non-contiguous one copies first),
      constants are `memref.global`s (a convolution without bias reads a
      shared zero global).
    The function must be one block of ops the back end has kernels for;
    `yolo.batch_norm` is an error (`--yolo-optimize` folds it).
  }];
  let dependentDialects = ["::mlir::ykernel::YKernelDialect",
                           "::mlir::memref::MemRefDialect"];
}

def YoloWinograd : Pass<"yolo-winograd", "::mlir::ModuleOp"> {
  let summary = "compute 3x3 stride-1 convolutions by Winograd F(m x m, 3 x 3)";
  let description = [{
    A `ykernel.conv2d` with a 3x3 kernel, stride 1, dilation 1, one group
    and weights from a constant global becomes a `ykernel.conv_winograd`.
    `tile`: `auto`, `off`, or 2, 4, 6 (every eligible layer with that
    tile); `auto` takes F(4x4, 3x3) for layers of at least 32 input and
    output channels, or at least 16 with 80x80 output pixels or more, but
    not for layers of at most 32 channels with 160x160 output pixels or
    more (direct convolutions were faster there on a Zen 5 VM).
    The weights of a layer are transformed here, in double precision from
    the IR's constants (include/yolo/Target/Winograd.h), into a new global
    U = G g G^T ([t * t, ceil(Co / 16), C, 16], t = m + 2: blocks of 16
    output channels, zeros past Co), for the layers with the most
    output pixels first, as long as the transformed weights (4x the 3x3
    ones for F(4x4)) add at most `weight-growth` times the module's
    constant bytes. The other layers keep their 3x3 weights, permuted to
    [3, 3, C, Co], and the kernel transforms them at run time, one block
    of output channels at a time (`runtime-weights`; without it they stay
    direct convolutions under `auto`, and are transformed here regardless
    of the budget under a forced tile).
    With `targets` (the resolved Halide target strings, as
    --yolo-select-kernels reads them, with `avx512-fma`), `auto` keeps
    layers of fewer than 32 input or output channels direct where every
    target is an x86-64 one with full-rate 512-bit FMAs and no AMD word
    (`tune_znver*`, `avx512_zen*`): measured on an Intel Emerald Rapids
    VM, where gelan-t 640's 28 layers of 16 channels at 80x80 ran faster
    direct (bench/README.md, session 29), while on a Zen 5 VM they ran
    faster by Winograd. Where every target is x86-64 with FMAs of 8 lanes
    a cycle each (AVX2, or AVX-512 at half rate as on Zen 4), `auto` takes
    F(4x4) from 16 input and output channels at any size, and for the
    layers of at most 32 channels over 160x160 outputs too: on a Zen 4 VM
    at one thread, gelan-c 640's four 32 -> 32 layers at 160x160 took
    11.5 ms against 21.3 direct, gelan-t 640's 36 layers of 24 channels at
    40x40 3.8 against 5.9 (bench/README.md, session 38). Without
    `targets`, no rule depends on the target.
    CPU schedules only: the pipeline runs this pass when every target is a
    CPU.
  }];
  let options = [
    Option<"tile", "tile", "std::string", "\"auto\"",
           "auto, off, 2, 4 or 6">,
    ListOption<"targets", "targets", "std::string",
               "resolved Halide target strings (one per library variant); "
               "optional">,
    Option<"avx512Fma", "avx512-fma", "std::string", "\"auto\"",
           "auto, full or half, as --yolo-select-kernels">,
    Option<"weightGrowth", "weight-growth", "double", "0.3",
           "the most the weights transformed at compile time may add, as a "
           "fraction of the module's constant bytes">,
    Option<"runtimeWeights", "runtime-weights", "bool", "true",
           "layers beyond the budget transform their weights at run time">
  ];
  let dependentDialects = ["::mlir::ykernel::YKernelDialect",
                           "::mlir::memref::MemRefDialect"];
}

def YoloChannelBlocks : Pass<"yolo-channel-blocks", "::mlir::ModuleOp"> {
  let summary = "lay out stride-2 convolution weights in blocks of output channels";
  let description = [{
    A `ykernel.conv2d` with a 3x3 kernel, stride 2, dilation 1, one
    group, at least `min-input-channels` input channels, B or more
    output channels of which at most a quarter of the blocks' lanes would
    be idle (B = 32: 48 -> 2 blocks, 240 -> 8; not 40 -> 2), output
    rows at most `max-output-width` wide and weights from a constant
    global gets its weights as a new global [ceil(Co / B), C, 3, 3, B]:
    blocks of B output channels, innermost, the lanes of a last, partial
    block past Co zeros (computed, not stored). B is two vectors: 32 where every
    target (`targets`) is x86-64 with AVX-512, 16 where every one is
    x86-64 with AVX2 (8 lanes, 16 registers); a library mixing the two,
    an SSE-only or a non-x86 target gets no blocks. The kernel then
    vectorizes along output channels (two vectors of weights by a few
    output pixels, each input value broadcast), instead of along the
    output row, whose vectors its stride-2 input must first split into
    even and odd columns and whose narrow rows (20 or 40 pixels) leave
    lanes idle. Where an AVX-512 target issues its 512-bit FMAs as two
    halves (`avx512-fma` as --yolo-select-kernels reads it: Zen 4),
    output rows at most `half-rate-max-output-width` wide. With the AVX2
    target on the Zen 4 VM (session 34, one thread, sums of per-step
    medians, the better of three rounds for gelan-t 640, two for gelan-c
    640): gelan-t's five laid-out layers 7.52 -> 6.61 ms (3.75 -> 3.32 at
    2 threads), gelan-c's five 57.6 -> 52.4 (29.0 -> 26.7); gelan-c's
    64 -> 128 layer at 160x160, laid out too, took 44.0 against 42.9
    ms, hence the same widest row. On the Zen 4 VM (session 33,
    per-step medians of 20 runs of gelan-t at 1 and 2 threads, 6 of
    gelan-c at 1) the layers of rows of 40 or fewer gained 12-25 %
    (gelan-c 640's 256 -> 256 at 40x40 20.7 -> 17.5 ms, gelan-t 640's
    96 -> 128 at 20x20 1.05 -> 0.85), those of rows of 80 nothing
    (gelan-c's 128 -> 128 18.53 -> 18.52, gelan-t's 32 -> 64 2.51 -> 2.49
    at 1 thread, 1.36 -> 1.42 at 2). Full rate was measured first:
    gelan-c 640 on an Intel Emerald
    Rapids VM, per-layer minimum of three rounds of alternating runs
    (bench/README.md, session 26), ms at 1 / 2 threads: 128 -> 128 at
    80x80 17.4 / 9.2 -> 13.4 / 7.0, 256 -> 256 at 40x40 15.6 / 9.5 ->
    13.6 / 7.0, 128 -> 128 at 40x40 4.4 / 2.2 -> 3.3 / 1.8, 256 -> 256 at
    20x20 6.0 / 3.1 -> 3.9 / 2.0. Its 64 -> 128 layer at 160x160 (35.5 ->
    35.5 and 35.3 -> 36.1 at 1 thread) and its 3-channel stem (6.8 -> 29),
    measured with the kernel's prototype, did not gain; nor did gelan-t
    640's 16 -> 32 layer at 160x160 (2.49 -> 4.63 ms), hence the widest
    output row. Narrower rows gain from 32 input channels up (session 27,
    1 thread, per-layer minima): gelan-t 640's 32 -> 64 at 80x80 2.42 ->
    1.83 ms, 64 -> 96 at 40x40 1.51 -> 1.26, 96 -> 128 and 96 -> 64 at
    20x20 1.18 -> 0.64 and 0.70 -> 0.34; gelan-c 320's 64 -> 128 at 80x80
    10.88 -> 6.72. gelan-t 320's 16 -> 32 layer at 80x80 measured even
    (0.64 / 0.68 ms), hence the minimum of input channels. Partial blocks
    (session 27, per-layer minima): gelan-t 640's 64 -> 48 at 40x40 0.83
    -> 0.70 ms at 1 thread, 0.45 -> 0.37 at 2; gelan-m 640's 128 -> 240 at
    80x80 27.06 -> 22.87, 240 -> 360 and 240 -> 184 at 40x40 18.51 ->
    15.92 and 9.90 -> 8.18, 360 -> 240 at 20x20 7.13 -> 4.56 (1 thread).
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "resolved Halide target strings (one per library variant)">,
    Option<"avx512Fma", "avx512-fma", "std::string", "\"auto\"",
           "auto, full or half, as --yolo-select-kernels">,
    Option<"minInputChannels", "min-input-channels", "int64_t", "32",
           "the fewest input channels of a layer laid out so">,
    Option<"maxOutputWidth", "max-output-width", "int64_t", "80",
           "the widest output row of a layer laid out so">,
    Option<"halfRateMaxOutputWidth", "half-rate-max-output-width", "int64_t",
           "40",
           "the widest output row where a target's 512-bit FMAs issue as "
           "two halves (at most max-output-width)">
  ];
  let dependentDialects = ["::mlir::ykernel::YKernelDialect",
                           "::mlir::memref::MemRefDialect"];
}

def YoloSelectKernels : Pass<"yolo-select-kernels", "::mlir::func::FuncOp"> {
  let summary = "choose each convolution's algorithm and register tile";
  let description = [{
    A 1x1, stride-1, unpadded, ungrouped `ykernel.conv2d` whose input and
    output views keep each channel's pixels contiguous becomes a
    `ykernel.conv1x1` (a matrix product over H*W) on flattened views;
    other convolutions stay direct (with weights in blocks of output
    channels, from --yolo-channel-blocks, their tile is that kernel's:
    [lanes, vectors of output channels, pixels along W]). Each convolution
    then gets `tiles`: the
    register tile [lanes, vectors, channels] per target of `targets` (the
    resolved Halide target strings, in the order of a multi-target
    library), from the measured rules of the target's family
    (include/yolo/Target/TargetInfo.h). The targets are recorded on the
    function as `ykernel.targets`. A target of a family without schedules
    is an error.
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "resolved Halide target strings (one per library variant)">,
    Option<"avx512Fma", "avx512-fma", "std::string", "\"auto\"",
           "how 512-bit FMAs issue on the AVX-512 targets: auto (from the "
           "feature words: half for Zen 4), full or half "
           "(TargetInfo::wideFmaFullRate)">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def YoloFuseResidual : Pass<"yolo-fuse-residual", "::mlir::func::FuncOp"> {
  let summary = "fuse residual additions into the convolution before them";
  let description = [{
    A `ykernel.binary<add>` of two same-shaped views, one of them a buffer
    (`memref.alloc`) that only a `conv2d`, `conv1x1` or `conv_winograd`
    writes, whole, and only this addition reads: the convolution takes the
    other view as its residual (a fourth input, added after the
    activation) and writes the addition's output; the addition and the
    buffer go. Only where the move is sound: no kernel between the two
    writes memory the residual's view reaches or touches memory the
    output's view reaches, and the two views do not overlap. (A conv1x1
    needs both as [N, C, H * W] views: rows contiguous.) The convolution's
    location becomes the fusion of both ops'. The sum is the same float
    addition: results are bit-identical.
    By default only into kernels whose output vectors run along the row
    (`conv2d` with [Co, C, Kh, Kw] weights, `conv1x1`), which read the
    residual in vectors too. `all`: also into those whose vectors run
    along output channels (`conv_winograd`, `conv2d` with weights in
    blocks), which read it lane by lane: gelan-t 640's twelve 32 -> 32
    Winograd layers at 20x20 took 0.732 ms fused against 0.687 with their
    adds at 1 thread (sums of per-step minima, 10 alternating runs, Intel
    Emerald Rapids VM; bench/README.md, session 30). x86's F(4x4) Winograd
    kernels now store their outputs, and so read the residual, in vectors
    of a tile row's 4 pixels (session 37); `all` has not been measured with
    them.
  }];
  let options = [
    Option<"all", "all", "bool", "false",
           "also fuse into Winograd and channel-blocked convolutions">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def YoloSplitBands : Pass<"yolo-split-bands", "::mlir::func::FuncOp"> {
  let summary = "split image kernels into two row bands, one per thread";
  let description = [{
    Each kernel that computes rows of a [1, C, H, W] image from rows of its
    inputs (`conv2d`, `conv1x1`, `conv_winograd`, `max_pool`, `avg_pool`,
    nearest `resize`, `binary`, `unary`, `copy`), with at least `min-rows`
    rows in each band, becomes two: band 0 computes output rows
    [0, ceil(H / 2)), band 1 the others, each reading the input rows its
    outputs need, with the layer's padding at the image's edges only. The
    two carry `ykernel.band = 0` and `1` and are adjacent: the runtime runs
    them as one job of two tasks on two threads.
    A `memref.alloc` that only band operands use (channel slices of all its
    rows) becomes two allocations (`ykernel.band`), each with its band's
    rows and the halo rows its band's readers need across the boundary;
    after each pair that writes it, a pair of `ykernel.copy` ops fills the
    halos from the other band. `--yolo-plan-memory` then packs each band's
    allocations in a region of the arena of its own, so that on two
    threads each thread writes and reads its own memory, but for the
    halos. Other buffers (function arguments, the head's) stay whole and
    the bands read and write row views of them.
  }];
  let options = [
    Option<"minRows", "min-rows", "int64_t", "8",
           "the fewest output rows a band may have">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}
def YoloPlanMemory : Pass<"yolo-plan-memory", "::mlir::func::FuncOp"> {
  let summary = "pack the scratch allocations into one arena by liveness";
  let description = [{
    Each `memref.alloc` is live from the first to the last kernel that
    reads or writes a view of it. Allocations are placed largest first at
    the lowest 64-byte-aligned offset that no overlapping-lifetime
    allocation occupies. The offset (bytes) goes on the alloc as
    `ykernel.arena_offset`, the arena's size on the function as
    `ykernel.arena_size`. Each kernel gets `ykernel.scratch = array<i64:
    offset, bytes>`, the widest part of the arena that no allocation live
    at its step occupies (bytes 0 when none): the runtime serves the
    kernel's temporary buffers from there.
    Row bands (`--yolo-split-bands`): a kernel of `ykernel.band = 1` right
    after one of band 0 is the second of a pair, which runs at the same
    time: the two are one step. Allocations of `ykernel.band = 0` are
    packed from offset 0, those of band 1 after them, so that the bands'
    memory never overlaps; the other allocations then go wherever they fit
    by lifetime.
  }];
}

def YoloLowerToKernels : Pass<"yolo-lower-to-kernels", "::mlir::ModuleOp"> {
  let summary = "the lowering pipeline: bufferize, Winograd, select kernels, plan memory";
  let description = [{
    `--yolo-bufferize`, `--yolo-winograd` and `--yolo-channel-blocks`
    (when every target is a CPU), then on @main `--yolo-select-kernels` with
    `targets`, `--yolo-fuse-residual` (CPU targets), `--yolo-split-bands`
    (with `bands`) and `--yolo-plan-memory`, then canonicalization of the view
    ops. Its output is what the Halide emitter compiles: one command shows
    the plan of any model.
  }];
  let options = [
    ListOption<"targets", "targets", "std::string",
               "resolved Halide target strings (default: x86-64-linux-avx2-fma)">,
    Option<"winograd", "winograd", "std::string", "\"auto\"",
           "--yolo-winograd's tile (auto, off, 2, 4, 6); CPU targets only">,
    Option<"winogradWeightGrowth", "winograd-weight-growth", "double", "0.3",
           "--yolo-winograd's weight-growth">,
    Option<"winogradRuntimeWeights", "winograd-runtime-weights", "bool",
           "true", "--yolo-winograd's runtime-weights">,
    Option<"avx512Fma", "avx512-fma", "std::string", "\"auto\"",
           "--yolo-select-kernels' avx512-fma">,
    Option<"bands", "bands", "bool", "false",
           "--yolo-split-bands after kernel selection (CPU targets only)">,
    Option<"channelBlocks", "channel-blocks", "bool", "true",
           "--yolo-channel-blocks before kernel selection (CPU targets only)">,
    Option<"fuseResidual", "fuse-residual", "std::string", "\"auto\"",
           "--yolo-fuse-residual after kernel selection (CPU targets only): "
           "auto (into row-vectorized kernels), all, or off">
  ];
  let dependentDialects = ["::mlir::ykernel::YKernelDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // YOLO_LOWERING_PASSES_TD
