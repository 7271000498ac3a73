//===- PlanMemory.cpp - the scratch arena, packed by liveness -------------===//
//
// Every memref.alloc of @main lives in one arena that the generated
// library allocates once per context. An allocation is live from the first
// to the last kernel that touches a view of it; allocations are placed
// largest first, each at the lowest 64-byte-aligned offset free of every
// placed allocation whose lifetime overlaps (first fit).
//
// Each kernel also gets the largest part of the arena that no allocation
// live at its step occupies: the runtime serves the kernel's own temporary
// buffers (Halide's allocations in it) from there instead of the heap
// (runtime/src/scratch.h), so they add nothing to the peak memory.
//
// Row bands (--yolo-split-bands): the two kernels of a pair (`ykernel.band`
// 0 then 1) run at once, so they are one step. Each band's allocations are
// packed on their own, band 0's from offset 0 and band 1's after them, so
// that no byte one thread's band holds is written by the other's; the
// other allocations then go wherever they fit by lifetime, in a band's
// region too once its tensors are dead there.
//
//===----------------------------------------------------------------------===//

#include "yolo/Lowering/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOPLANMEMORY
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

/// The allocation a view is a view of, or null.
memref::AllocOp allocOf(Value view) {
  return yk::getViewRoot(view).getDefiningOp<memref::AllocOp>();
}

struct Interval {
  memref::AllocOp alloc;
  int64_t bytes;
  /// 0 for unbanded allocations, 1 + the band for banded ones.
  int region = 0;
  int first = INT32_MAX, last = -1;
  int64_t offset = 0;
};

struct YoloPlanMemoryPass
    : public yolo::impl::YoloPlanMemoryBase<YoloPlanMemoryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<Interval> intervals;
    llvm::DenseMap<Operation *, unsigned> index;
    func.walk([&](memref::AllocOp a) {
      auto type = a.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity()) {
        a.emitOpError("yolo-plan-memory needs static, identity-layout "
                      "allocations");
        return signalPassFailure();
      }
      int64_t bytes =
          type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
      index[a] = intervals.size();
      int region = 0;
      if (auto band = a->getAttrOfType<IntegerAttr>(yk::kBandAttr))
        region = 1 + static_cast<int>(band.getInt() != 0);
      intervals.push_back({a, (bytes + 63) / 64 * 64, region});
    });
    int step = 0;
    SmallVector<Operation *> kernels;
    SmallVector<int> stepOf;
    func.walk([&](Operation *op) {
      if (!yk::isKernel(op))
        return;
      // The second kernel of a pair shares the first's step.
      if (yk::pairsWithPrevious(op, kernels.empty() ? nullptr : kernels.back()))
        --step;
      kernels.push_back(op);
      stepOf.push_back(step);
      for (Value v : op->getOperands())
        if (memref::AllocOp a = allocOf(v)) {
          Interval &i = intervals[index[a]];
          i.first = std::min(i.first, step);
          i.last = std::max(i.last, step);
        }
      ++step;
    });
    SmallVector<unsigned> order;
    for (unsigned i = 0; i < intervals.size(); ++i)
      if (intervals[i].last >= 0)
        order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
      return intervals[a].bytes > intervals[b].bytes;
    });
    SmallVector<unsigned> done;
    // The byte ranges of the placed allocations (of `region`, or all with
    // -1) live at some step of [first, last], by offset.
    auto busyDuring = [&](int first, int last, int region = -1) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (unsigned j : done) {
        const Interval &o = intervals[j];
        if (o.first <= last && first <= o.last &&
            (region < 0 || o.region == region))
          busy.push_back({o.offset, o.offset + o.bytes});
      }
      llvm::sort(busy);
      return busy;
    };
    // Band 0's region from 0, band 1's after it; then the other
    // allocations wherever they fit by lifetime, band regions included
    // (the head's buffers, once the bands' tensors are dead).
    int64_t size = 0;
    for (int region : {1, 2, 0}) {
      int64_t base = region ? size : 0;
      for (unsigned i : order) {
        Interval &s = intervals[i];
        if (s.region != region)
          continue;
        int64_t offset = base;
        for (auto [begin, end] :
             busyDuring(s.first, s.last, region ? region : -1)) {
          if (offset + s.bytes <= begin)
            break;
          offset = std::max(offset, end);
        }
        s.offset = offset;
        size = std::max(size, offset + s.bytes);
        done.push_back(i);
      }
    }
    Builder b(func.getContext());
    for (const Interval &i : intervals)
      i.alloc->setAttr(yk::kArenaOffsetAttr, b.getI64IntegerAttr(i.offset));
    func->setAttr(yk::kArenaSizeAttr, b.getI64IntegerAttr(size));
    // The free space of each step: the widest gap between the allocations
    // live there (the offsets and sizes are multiples of 64 bytes).
    for (auto [k, op] : llvm::enumerate(kernels)) {
      auto busy = busyDuring(stepOf[k], stepOf[k]);
      busy.push_back({size, size});
      int64_t at = 0, best = 0, bestAt = 0;
      for (auto [begin, end] : busy) {
        if (begin - at > best)
          best = begin - at, bestAt = at;
        at = std::max(at, end);
      }
      op->setAttr(yk::kScratchAttr, b.getDenseI64ArrayAttr({bestAt, best}));
    }
  }
};

} // namespace
