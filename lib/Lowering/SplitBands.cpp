//===- SplitBands.cpp - each kernel as two row bands, one per thread ------===//
//
// On two threads, each parallel loop gives the first thread the top rows of
// its output and the second the bottom ones. When the two CPUs share no
// cache (bench/README.md, sessions 20-24: two vCPUs on two CCDs), what one
// thread wrote and the other reads or overwrites crosses between the
// caches at the speed of memory, and a tensor's rows of each thread are
// interleaved, plane by plane, with the other's and with those of the
// tensors that held the same arena bytes before. This pass gives each
// thread memory of its own:
//
//  - Each kernel that computes rows of a [1, C, H, W] image from rows of
//    its inputs (convolutions, Winograd, pools, nearest upsampling,
//    element-wise ops, copies) becomes two kernels, one per band of output
//    rows ([0, ceil(H / 2)) and the rest), marked `ykernel.band = 0 / 1`,
//    adjacent: the driver runs such a pair as a two-task job on two
//    threads, each task a whole kernel call, and in order otherwise. Each
//    band reads the input rows its outputs need; its padding is the
//    layer's at the image's edges and none at the band's inner edge, where
//    it reads real rows. (Weights, biases and broadcast operands are the
//    layer's; a convolution's residual is read by the output's rows.)
//  - An allocation whose every use is such a band operand becomes two
//    allocations `ykernel.band = 0 / 1`, each the band's rows plus the
//    rows across the boundary that the band's readers need (the halo).
//    After each pair that writes it, two `ykernel.copy` ops (also a pair)
//    copy the halo rows from the other band's allocation.
//    `--yolo-plan-memory` packs each band's allocations in its own region
//    of the arena. Other allocations, function arguments and the head's
//    buffers stay whole: the bands read and write row views of them.
//
// The split depends only on the shapes, so a library computes the same
// bands on any number of threads. On one thread and in a pair on two, each
// kernel sees one thread; on more, the pairs run in order, each kernel on
// all of them. The band kernels' loops do not depend on the thread count
// (CpuSchedule::convWinograd, the only schedule that reads it, keeps one
// version for bands), so the outputs are bit-identical across thread
// counts.
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/YoloKernel/YoloKernel.h"
#include "yolo/Lowering/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOSPLITBANDS
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

/// The rows [lo, hi) of an input that output rows [a, b) read, and the
/// padding the band then has at its top and bottom.
struct Rows {
  int64_t lo = 0, hi = 0, padTop = 0, padBottom = 0;
};

/// A sliding window of `extent` rows (the dilated kernel) at `stride`,
/// `padTop` rows of padding above an input of `height` rows.
Rows windowRows(int64_t a, int64_t b, int64_t extent, int64_t stride,
                int64_t padTop, int64_t height) {
  int64_t lo = a * stride - padTop, hi = (b - 1) * stride - padTop + extent;
  Rows r;
  r.lo = std::max<int64_t>(lo, 0);
  r.hi = std::min(hi, height);
  r.padTop = r.lo - lo;
  r.padBottom = hi - r.hi;
  return r;
}

/// How an op is split: its output's rows and row width, and per input
/// whether it is read by rows (else it is passed whole to both bands).
struct Split {
  int64_t height = 0, width = 0;
  /// Flattened [N, C, H * W] operands (conv1x1): rows are runs of `width`.
  bool flat = false;
  SmallVector<bool> byRows;
  /// The first row of band 1.
  int64_t mid() const { return (height + 1) / 2; }
  int64_t begin(int band) const { return band ? mid() : 0; }
  int64_t end(int band) const { return band ? height : mid(); }
};

/// The first 4-D [1, C, H, W] shape with H * W == `pixels` on the chain of
/// views from `view` to its root.
std::optional<std::pair<int64_t, int64_t>> rowsOf(Value view, int64_t pixels) {
  for (Value v = view; v; v = yk::getViewSource(v)) {
    auto type = cast<MemRefType>(v.getType());
    if (type.getRank() == 4 &&
        type.getDimSize(2) * type.getDimSize(3) == pixels)
      return std::make_pair(type.getDimSize(2), type.getDimSize(3));
  }
  return std::nullopt;
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<MemRefType>(v.getType()).getShape();
}

/// The rows of input `i` of `op` that its output rows [a, b) read.
Rows inputRows(Operation *op, const Split &s, unsigned i, int64_t a,
               int64_t b) {
  // A convolution's residual (input 3): the output's rows.
  if (i == 3 && isa<yk::Conv2DOp, yk::Conv1x1Op, yk::ConvWinogradOp>(op))
    return Rows{a, b, 0, 0};
  int64_t height = s.flat ? s.height : shapeOf(op->getOperand(i))[2];
  return TypeSwitch<Operation *, Rows>(op)
      .Case([&](yk::Conv2DOp c) {
        int64_t k = shapeOf(c.getInputs()[1])[2];
        return windowRows(a, b, c.getDilations()[0] * (k - 1) + 1,
                          c.getStrides()[0], c.getPads()[0], height);
      })
      .Case([&](yk::ConvWinogradOp c) {
        return windowRows(a, b, 3, 1, c.getPads()[0], height);
      })
      .Case<yk::MaxPoolOp, yk::AvgPoolOp>([&](auto p) {
        return windowRows(a, b, p.getKernel()[0], p.getStrides()[0],
                          p.getPads()[0], height);
      })
      .Case([&](yk::ResizeOp r) {
        int64_t scale = (*r.getScales())[0];
        return Rows{a / scale, (b - 1) / scale + 1, 0, 0};
      })
      .Default([&](Operation *) {
        return Rows{a, b, 0, 0};
      });
}

/// Whether and how `op` splits into two bands of at least `minRows` rows.
std::optional<Split> splitOf(Operation *op, int64_t minRows) {
  if (!isa<yk::Conv2DOp, yk::Conv1x1Op, yk::ConvWinogradOp, yk::MaxPoolOp,
           yk::AvgPoolOp, yk::ResizeOp, yk::BinaryOp, yk::UnaryOp, yk::CopyOp>(
          op))
    return std::nullopt;
  Value out = op->getOperands().back();
  ArrayRef<int64_t> shape = shapeOf(out);
  Split s;
  unsigned inputs = op->getNumOperands() - 1;
  s.byRows.assign(inputs, false);
  if (auto c = dyn_cast<yk::Conv1x1Op>(op)) {
    std::optional<std::pair<int64_t, int64_t>> hw = rowsOf(out, shape[2]);
    if (!hw)
      hw = rowsOf(c.getInputs()[0], shape[2]);
    if (!hw || shape[0] != 1)
      return std::nullopt;
    s.flat = true;
    std::tie(s.height, s.width) = *hw;
    s.byRows[0] = true;
    if (inputs > 3)
      s.byRows[3] = true; // the residual
  } else {
    if (shape.size() != 4 || shape[0] != 1)
      return std::nullopt;
    s.height = shape[2];
    s.width = shape[3];
    if (isa<yk::BinaryOp, yk::UnaryOp, yk::CopyOp>(op)) {
      // Same-shaped operands by rows; broadcast ones (one row) whole.
      for (unsigned i = 0; i < inputs; ++i) {
        ArrayRef<int64_t> in = shapeOf(op->getOperand(i));
        if (in == shape)
          s.byRows[i] = true;
        else if (in.size() != 4 || in[2] != 1)
          return std::nullopt;
      }
    } else {
      s.byRows[0] = true;
      if (inputs > 3)
        s.byRows[3] = true; // a convolution's residual
      if (auto r = dyn_cast<yk::ResizeOp>(op)) {
        std::optional<ArrayRef<int64_t>> scales = r.getScales();
        if (r.getMode() != yolo::ResizeMode::nearest || !scales ||
            s.mid() % (*scales)[0] != 0)
          return std::nullopt;
      }
      auto windowOk = [](auto p) {
        return p.getKernel().size() == 2 && p.getStrides().size() == 2 &&
               p.getPads().size() == 4;
      };
      if (auto p = dyn_cast<yk::MaxPoolOp>(op); p && !windowOk(p))
        return std::nullopt;
      if (auto p = dyn_cast<yk::AvgPoolOp>(op); p && !windowOk(p))
        return std::nullopt;
    }
  }
  if (s.height < 2 * minRows)
    return std::nullopt;
  return s;
}

/// An allocation split into two, band b holding rows [first[b], last[b]).
struct BandedAlloc {
  memref::AllocOp alloc;
  int64_t channels = 0, height = 0, width = 0;
  int64_t first[2] = {0, 0}, last[2] = {0, 0};
  memref::AllocOp bands[2];
  int64_t rows(int b) const { return last[b] - first[b]; }
};

/// Whether `view` is channels [c0, c0 + n) of all rows of `alloc`
/// ([1, C, H, W]), as a 4-D view or flattened [1, n, H * W]; c0 if so.
std::optional<int64_t> channelSlice(Value view, memref::AllocOp alloc) {
  ArrayRef<int64_t> a = alloc.getType().getShape();
  ArrayRef<int64_t> v = shapeOf(view);
  yk::ViewLayout l = yk::getViewLayout(view);
  int64_t plane = a[2] * a[3];
  if (l.offset % plane != 0 || v[0] != 1)
    return std::nullopt;
  if (v.size() == 4 && v[2] == a[2] && v[3] == a[3] &&
      ArrayRef<int64_t>(l.strides) ==
          ArrayRef<int64_t>({a[1] * plane, plane, a[3], 1}))
    return l.offset / plane;
  if (v.size() == 3 && v[2] == plane &&
      ArrayRef<int64_t>(l.strides) ==
          ArrayRef<int64_t>({a[1] * plane, plane, 1}))
    return l.offset / plane;
  return std::nullopt;
}

Value reinterpret(OpBuilder &b, Location loc, Value base, int64_t offset,
                  ArrayRef<int64_t> shape, ArrayRef<int64_t> strides) {
  auto type =
      MemRefType::get(shape, b.getF32Type(),
                      StridedLayoutAttr::get(b.getContext(), offset, strides));
  return b.create<memref::ReinterpretCastOp>(loc, type, base, offset, shape,
                                             strides);
}

struct YoloSplitBandsPass
    : public yolo::impl::YoloSplitBandsBase<YoloSplitBandsPass> {
  using YoloSplitBandsBase::YoloSplitBandsBase;

  /// The split of allocation `a` ([1, C, H, W]), each band with its own
  /// rows to begin with.
  BandedAlloc &bandedOf(memref::AllocOp a) {
    auto [it, fresh] = banded.insert({a, BandedAlloc()});
    BandedAlloc &ba = it->second;
    if (fresh) {
      ArrayRef<int64_t> shape = a.getType().getShape();
      ba.alloc = a;
      ba.channels = shape[1];
      ba.height = shape[2];
      ba.width = shape[3];
      int64_t mid = (ba.height + 1) / 2;
      ba.last[0] = ba.first[1] = mid;
      ba.last[1] = ba.height;
    }
    return ba;
  }

  /// Rows [r0, r1) of operand `view` (flattened: runs of `width`) of a band
  /// of `band`: a view of the band's allocation, or of the view's storage.
  Value bandView(OpBuilder &b, Location loc, Value view, int64_t r0, int64_t r1,
                 int64_t width, bool flat, int band) {
    Value root = yk::getViewRoot(view);
    SmallVector<int64_t> shape(shapeOf(view));
    if (auto alloc = root.getDefiningOp<memref::AllocOp>();
        alloc && banded.count(alloc)) {
      BandedAlloc &ba = banded[alloc];
      int64_t c0 = *channelSlice(view, alloc);
      int64_t rows = ba.rows(band), plane = rows * ba.width;
      int64_t offset = c0 * plane + (r0 - ba.first[band]) * ba.width;
      SmallVector<int64_t> strides = {ba.channels * plane, plane};
      if (flat) {
        shape[2] = (r1 - r0) * ba.width;
        strides.push_back(1);
      } else {
        shape[2] = r1 - r0;
        strides.append({ba.width, 1});
      }
      return reinterpret(b, loc, Value(ba.bands[band]), offset, shape, strides);
    }
    yk::ViewLayout l = yk::getViewLayout(view);
    int64_t step = flat ? width : l.strides[2];
    shape[2] = flat ? (r1 - r0) * width : r1 - r0;
    return reinterpret(b, loc, root, l.offset + r0 * step, shape, l.strides);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // A pass instance runs on several functions in turn.
    banded.clear();
    if (minRows < 1) {
      func.emitError() << "yolo-split-bands: min-rows must be at least 1, got "
                       << static_cast<int64_t>(minRows);
      return signalPassFailure();
    }
    // Which kernels split.
    llvm::MapVector<Operation *, Split> splits;
    for (Operation &op : func.getBody().front())
      if (yk::isKernel(&op))
        if (std::optional<Split> s = splitOf(&op, minRows))
          splits.insert({&op, *s});
    // Which allocations split: every kernel operand viewing them is a band
    // operand (an output, or an input read by rows) of a split kernel, and
    // a channel slice of all their rows, of the kernel's row count.
    llvm::DenseMap<Operation *, bool> eligible;
    func.walk([&](memref::AllocOp a) {
      ArrayRef<int64_t> shape = a.getType().getShape();
      bool ok = a.getType().getLayout().isIdentity() && shape.size() == 4 &&
                shape[0] == 1 && shape[2] >= 2 * minRows;
      // Only views and kernels may use it.
      SmallVector<Value> work = {a.getResult()};
      while (ok && !work.empty()) {
        Value v = work.pop_back_val();
        for (Operation *user : v.getUsers()) {
          if (isa<memref::SubViewOp, memref::ReinterpretCastOp>(user))
            work.push_back(user->getResult(0));
          else if (!yk::isKernel(user))
            ok = false;
        }
      }
      eligible[a] = ok;
    });
    for (Operation &op : func.getBody().front()) {
      if (!yk::isKernel(&op))
        continue;
      auto it = splits.find(&op);
      for (auto [i, v] : llvm::enumerate(op.getOperands())) {
        auto a = yk::getViewRoot(v).getDefiningOp<memref::AllocOp>();
        if (!a)
          continue;
        bool isOut = i + 1 == op.getNumOperands();
        // A flattened operand's rows are runs of the op's width: the
        // allocation's rows only if it has the op's height and width.
        ArrayRef<int64_t> shape = a.getType().getShape();
        bool ok = it != splits.end() && (isOut || it->second.byRows[i]) &&
                  channelSlice(v, a).has_value() &&
                  (!isOut || shape[2] == it->second.height) &&
                  (!it->second.flat || (shape[2] == it->second.height &&
                                        shape[3] == it->second.width));
        if (!ok)
          eligible[a] = false;
      }
    }
    // The rows each band of an allocation holds: its own, and those its
    // readers in that band read beyond them.
    for (auto &[op, s] : splits)
      for (unsigned i = 0; i + 1 < op->getNumOperands(); ++i) {
        auto a =
            yk::getViewRoot(op->getOperand(i)).getDefiningOp<memref::AllocOp>();
        if (!a || !eligible.lookup(a) || !s.byRows[i])
          continue;
        BandedAlloc &ba = bandedOf(a);
        for (int band = 0; band < 2; ++band) {
          Rows r = inputRows(op, s, i, s.begin(band), s.end(band));
          ba.first[band] = std::min(ba.first[band], r.lo);
          ba.last[band] = std::max(ba.last[band], r.hi);
        }
      }
    // Allocations only written (a result nothing reads) split as well.
    for (auto &[op, s] : splits) {
      auto a = yk::getViewRoot(op->getOperands().back())
                   .getDefiningOp<memref::AllocOp>();
      if (a && eligible.lookup(a))
        bandedOf(a);
    }
    OpBuilder b(func.getContext());
    for (auto &[op, ba] : banded) {
      b.setInsertionPoint(op);
      for (int band = 0; band < 2; ++band) {
        auto type = MemRefType::get({1, ba.channels, ba.rows(band), ba.width},
                                    ba.alloc.getType().getElementType());
        ba.bands[band] = b.create<memref::AllocOp>(op->getLoc(), type);
        ba.bands[band]->setAttr(yk::kBandAttr, b.getI64IntegerAttr(band));
      }
    }
    // Each split kernel becomes its two bands, then the halo copies of
    // what it wrote.
    for (auto &[op, s] : splits) {
      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      unsigned inputs = op->getNumOperands() - 1;
      for (int band = 0; band < 2; ++band) {
        int64_t a = s.begin(band), e = s.end(band);
        SmallVector<Value> operands;
        Rows padding;
        for (unsigned i = 0; i < inputs; ++i) {
          Value v = op->getOperand(i);
          if (!s.byRows[i]) {
            operands.push_back(v);
            continue;
          }
          Rows r = inputRows(op, s, i, a, e);
          if (i == 0)
            padding = r;
          operands.push_back(
              bandView(b, loc, v, r.lo, r.hi, s.width, s.flat, band));
        }
        operands.push_back(bandView(b, loc, op->getOperands().back(), a, e,
                                    s.width, s.flat, band));
        Operation *clone = b.clone(*op);
        clone->setOperands(operands);
        clone->setAttr(yk::kBandAttr, b.getI64IntegerAttr(band));
        if (auto pads = clone->getAttrOfType<DenseI64ArrayAttr>("pads");
            pads && pads.size() == 4 && !isa<yk::Conv1x1Op>(clone))
          clone->setAttr("pads",
                         b.getDenseI64ArrayAttr({padding.padTop, pads[1],
                                                 padding.padBottom, pads[3]}));
      }
      Value out = op->getOperands().back();
      auto alloc = yk::getViewRoot(out).getDefiningOp<memref::AllocOp>();
      if (alloc && banded.count(alloc)) {
        BandedAlloc &ba = banded[alloc];
        // Band 0's rows below its own come from band 1, band 1's above its
        // own from band 0.
        std::pair<int64_t, int64_t> halo[2] = {{s.mid(), ba.last[0]},
                                               {ba.first[1], s.mid()}};
        for (int band = 0; band < 2; ++band) {
          auto [r0, r1] = halo[band];
          if (r0 >= r1)
            continue;
          Value from = bandView(b, loc, out, r0, r1, s.width, s.flat, 1 - band);
          Value to = bandView(b, loc, out, r0, r1, s.width, s.flat, band);
          auto copy = b.create<yk::CopyOp>(loc, ValueRange{from}, to);
          copy->setAttr(yk::kBandAttr, b.getI64IntegerAttr(band));
        }
      }
      op->erase();
    }
    // The views the split kernels used, now unused: a view comes after its
    // source, so one pass from the end frees whole chains.
    for (Operation &op :
         llvm::make_early_inc_range(llvm::reverse(func.getBody().front())))
      if (isa<memref::SubViewOp, memref::ReinterpretCastOp>(op) &&
          op.use_empty())
        op.erase();
    for (auto &[op, ba] : banded) {
      if (!ba.alloc->use_empty()) {
        ba.alloc.emitOpError("split into bands, yet still used");
        return signalPassFailure();
      }
      ba.alloc->erase();
    }
  }

  llvm::MapVector<Operation *, BandedAlloc> banded;
};

} // namespace
