//===- FuseResidual.cpp - residual additions into their convolution -------===//
//
// YOLOv9's bottlenecks end in `x + act(conv(...))`: bufferized, a
// convolution writes a buffer that only one `ykernel.binary<add>` reads,
// next to the residual x. This pass gives the convolution x as its fourth
// input and the addition's output as its own, and erases the addition and
// the buffer: the sum is made while the convolution's outputs are in
// registers, and the tensor is neither written nor read back. The sum is
// the same float addition, so the results are bit-identical.
//
// By default only into kernels that read the residual in vectors along
// the row (Passes.td has the measurement); `all`: into every convolution.
//
// The rewrite moves the residual's read and the output's write from the
// addition back to the convolution, so it applies only when no kernel in
// between writes memory the residual's view spans or touches memory the
// output's view spans (spans: the byte ranges the views can reach, so
// other channel slices of a concat buffer do not count).
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/YoloKernel/YoloKernel.h"
#include "yolo/Lowering/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOFUSERESIDUAL
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

/// The elements [first, last] a view can reach in its root.
std::pair<int64_t, int64_t> spanOf(Value view) {
  auto type = cast<MemRefType>(view.getType());
  yk::ViewLayout l = yk::getViewLayout(view);
  int64_t last = l.offset;
  for (auto [size, stride] : llvm::zip(type.getShape(), l.strides))
    last += (size - 1) * stride;
  return {l.offset, last};
}

/// Whether two views may share memory: the same root and overlapping spans.
bool mayOverlap(Value a, Value b) {
  if (yk::getViewRoot(a) != yk::getViewRoot(b))
    return false;
  auto [a0, a1] = spanOf(a);
  auto [b0, b1] = spanOf(b);
  return a0 <= b1 && b0 <= a1;
}

/// The ops uses of `value` and of the views of it reach, views excluded.
void collectUses(Value value, SmallVectorImpl<OpOperand *> &uses) {
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (isa<memref::SubViewOp, memref::ReinterpretCastOp>(user))
      collectUses(user->getResult(0), uses);
    else
      uses.push_back(&use);
  }
}

/// Moves the ops that define `view` (its chain of views up to the root)
/// before `point` where they come after it.
void hoistDefinition(Value view, Operation *point) {
  SmallVector<Operation *> chain;
  for (Value v = view; v; v = yk::getViewSource(v))
    if (Operation *def = v.getDefiningOp())
      chain.push_back(def);
  for (Operation *def : llvm::reverse(chain))
    if (def->getBlock() == point->getBlock() && point->isBeforeInBlock(def))
      def->moveBefore(point);
}

/// Whether a [N, C, H, W] view's pixels of a channel are contiguous.
bool hasContiguousRows(Value view) {
  auto type = cast<MemRefType>(view.getType());
  yk::ViewLayout l = yk::getViewLayout(view);
  return type.getRank() == 4 && l.strides[3] == 1 &&
         l.strides[2] == type.getDimSize(3);
}

/// The [N, C, H * W] view (the layout conv1x1 reads and writes) of a
/// [N, C, H, W] view with contiguous rows.
Value flatten(OpBuilder &b, Location loc, Value view) {
  auto type = cast<MemRefType>(view.getType());
  yk::ViewLayout l = yk::getViewLayout(view);
  return yk::createReinterpretedView(b, loc, view,
                                     {type.getDimSize(0), type.getDimSize(1),
                                      type.getDimSize(2) * type.getDimSize(3)},
                                     {l.strides[0], l.strides[1], 1});
}

/// Whether the kernel's output vectors run along output channels (Winograd,
/// weights in blocks of output channels), so that it would read a residual
/// lane by lane.
bool vectorizesChannels(Operation *conv) {
  if (isa<yk::ConvWinogradOp>(conv))
    return true;
  auto c = dyn_cast<yk::Conv2DOp>(conv);
  return c && cast<MemRefType>(c.getInputs()[1].getType()).getRank() == 5;
}

/// Erases `view`'s chain of views up to its root (exclusive) while unused.
void eraseUnusedViews(Value view) {
  while (Value source = yk::getViewSource(view)) {
    if (!view.use_empty())
      return;
    view.getDefiningOp()->erase();
    view = source;
  }
}

struct YoloFuseResidualPass
    : public yolo::impl::YoloFuseResidualBase<YoloFuseResidualPass> {
  using YoloFuseResidualBase::YoloFuseResidualBase;

  /// Fuses `add` into the convolution that writes its input `side`, if
  /// that is sound.
  bool tryFuse(yk::BinaryOp add, unsigned side) {
    Value sum = add.getInputs()[side], residual = add.getInputs()[1 - side];
    Value out = add.getOutput();
    auto shape = cast<MemRefType>(out.getType()).getShape();
    if (cast<MemRefType>(sum.getType()).getShape() != shape ||
        cast<MemRefType>(residual.getType()).getShape() != shape ||
        shape.size() != 4)
      return false;
    auto alloc = yk::getViewRoot(sum).getDefiningOp<memref::AllocOp>();
    if (!alloc)
      return false;
    // The buffer's only uses: one convolution writes it whole, the
    // addition reads it.
    SmallVector<OpOperand *> uses;
    collectUses(alloc.getResult(), uses);
    if (uses.size() != 2)
      return false;
    Operation *conv = nullptr;
    for (OpOperand *use : uses) {
      Operation *user = use->getOwner();
      if (user == add.getOperation()) {
        if (use->get() != sum)
          return false;
      } else if (isa<yk::Conv2DOp, yk::Conv1x1Op, yk::ConvWinogradOp>(user) &&
                 use->getOperandNumber() + 1 == user->getNumOperands() &&
                 user->getNumOperands() == 4 &&
                 (all || !vectorizesChannels(user))) {
        conv = user;
      }
    }
    // (Row bands are split pairs: the pass runs before --yolo-split-bands.)
    if (!conv || conv->getBlock() != add->getBlock() ||
        !conv->isBeforeInBlock(add) || conv->hasAttr(yk::kBandAttr) ||
        add->hasAttr(yk::kBandAttr))
      return false;
    Value written = conv->getOperands().back();
    bool flat = isa<yk::Conv1x1Op>(conv);
    if (flat ? spanOf(written) != spanOf(sum) || !hasContiguousRows(residual) ||
                   !hasContiguousRows(out)
             : written != sum)
      return false;
    if (mayOverlap(residual, out))
      return false;
    // Nothing between the two may change the residual or touch the output.
    for (Operation *op = conv->getNextNode(); op != add.getOperation();
         op = op->getNextNode()) {
      if (!yk::isKernel(op))
        continue;
      for (OpOperand &operand : op->getOpOperands()) {
        bool writes = operand.getOperandNumber() + 1 == op->getNumOperands();
        if ((writes && mayOverlap(operand.get(), residual)) ||
            mayOverlap(operand.get(), out))
          return false;
      }
    }
    OpBuilder b(conv);
    hoistDefinition(out, conv);
    hoistDefinition(residual, conv);
    Value r = residual, o = out;
    if (flat) {
      r = flatten(b, add.getLoc(), residual);
      o = flatten(b, add.getLoc(), out);
    }
    SmallVector<Value> operands(conv->getOperands().drop_back());
    operands.push_back(r);
    operands.push_back(o);
    conv->setOperands(operands);
    conv->setLoc(b.getFusedLoc({conv->getLoc(), add.getLoc()}));
    add.erase();
    // The buffer the convolution wrote, and its views, are now unused.
    eraseUnusedViews(written);
    eraseUnusedViews(sum);
    if (alloc->use_empty())
      alloc->erase();
    return true;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!llvm::hasSingleElement(func.getBody()))
      return;
    for (Operation &op :
         llvm::make_early_inc_range(func.getBody().front().getOperations())) {
      auto add = dyn_cast<yk::BinaryOp>(op);
      if (add && add.getKind() == yk::BinaryKind::add && !tryFuse(add, 1))
        tryFuse(add, 0);
    }
  }
};

} // namespace
