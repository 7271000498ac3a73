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
      intervals.push_back({a, (bytes + 63) / 64 * 64});
    });
    int step = 0;
    SmallVector<Operation *> kernels;
    func.walk([&](Operation *op) {
      if (!yk::isKernel(op))
        return;
      kernels.push_back(op);
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
    int64_t size = 0;
    SmallVector<unsigned> done;
    // The byte ranges of the placed allocations live at some step of
    // [first, last], by offset.
    auto busyDuring = [&](int first, int last) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (unsigned j : done) {
        const Interval &o = intervals[j];
        if (o.first <= last && first <= o.last)
          busy.push_back({o.offset, o.offset + o.bytes});
      }
      llvm::sort(busy);
      return busy;
    };
    for (unsigned i : order) {
      Interval &s = intervals[i];
      int64_t offset = 0;
      for (auto [begin, end] : busyDuring(s.first, s.last)) {
        if (offset + s.bytes <= begin)
          break;
        offset = std::max(offset, end);
      }
      s.offset = offset;
      size = std::max(size, offset + s.bytes);
      done.push_back(i);
    }
    Builder b(func.getContext());
    for (const Interval &i : intervals)
      i.alloc->setAttr(yk::kArenaOffsetAttr, b.getI64IntegerAttr(i.offset));
    func->setAttr(yk::kArenaSizeAttr, b.getI64IntegerAttr(size));
    // The free space of each step: the widest gap between the allocations
    // live there (the offsets and sizes are multiples of 64 bytes).
    for (auto [s, op] : llvm::enumerate(kernels)) {
      auto busy = busyDuring(static_cast<int>(s), static_cast<int>(s));
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
