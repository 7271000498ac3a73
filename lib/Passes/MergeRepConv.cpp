//===- MergeRepConv.cpp - 3x3 + 1x1 (+ identity) into one 3x3 conv --------===//
//
// A training-form RepConvN adds a 3x3 and a 1x1 convolution of the same
// input (and, in some variants, the input itself through a BatchNorm). All
// branches are linear, so they sum into a single 3x3 kernel: the 1x1 kernel
// sits at the centre tap and an identity becomes a centre tap of one.
//
//===----------------------------------------------------------------------===//

#include "PassUtils.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include <cmath>

namespace mlir {
namespace yolo {
#define GEN_PASS_DEF_MERGEREPCONV
#include "yolo/Passes/Passes.h.inc"
} // namespace yolo
} // namespace mlir

using namespace mlir;
using namespace mlir::yolo;

namespace {

bool isAll(ArrayRef<int64_t> values, int64_t v) {
  return llvm::all_of(values, [&](int64_t x) { return x == v; });
}

/// A 3x3 convolution with "same" padding that may absorb other branches.
LogicalResult checkBase(PatternRewriter &rewriter, Operation *root,
                        Conv2DOp conv) {
  auto w = conv.getWeight().getType();
  if (w.getDimSize(2) != 3 || w.getDimSize(3) != 3)
    return rewriter.notifyMatchFailure(root, "no 3x3 convolution branch");
  if (!isAll(conv.getPads(), 1) || !isAll(conv.getDilations(), 1))
    return rewriter.notifyMatchFailure(root, "3x3 branch is not padded by 1");
  if (conv.getActivation() != Activation::none || !conv->hasOneUse())
    return rewriter.notifyMatchFailure(root,
                                       "3x3 branch has an activation or users");
  return success();
}

/// Adds a tap of `value[o]` at the centre of the kernel for the identity
/// map of channel o (which reads channel o of the input).
void addIdentity(std::vector<float> &weight, RankedTensorType wType,
                 int64_t groups, ArrayRef<float> value) {
  int64_t out = wType.getDimSize(0), inPerGroup = wType.getDimSize(1);
  int64_t outPerGroup = out / groups;
  for (int64_t o = 0; o < out; ++o) {
    int64_t c = o - (o / outPerGroup) * inPerGroup;
    weight[((o * inPerGroup + c) * 3 + 1) * 3 + 1] += value[o];
  }
}

/// conv3x3(x) + conv1x1(x)  ->  conv3x3'(x)
struct Merge1x1 : public OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    auto a = add.getLhs().getDefiningOp<Conv2DOp>();
    auto b = add.getRhs().getDefiningOp<Conv2DOp>();
    if (!a || !b)
      return rewriter.notifyMatchFailure(add, "operands are not convolutions");
    if (a.getWeight().getType().getDimSize(2) != 3)
      std::swap(a, b);
    if (failed(checkBase(rewriter, add, a)))
      return failure();
    auto w1Type = b.getWeight().getType();
    if (w1Type.getDimSize(2) != 1 || w1Type.getDimSize(3) != 1 ||
        !isAll(b.getPads(), 0))
      return rewriter.notifyMatchFailure(add, "no unpadded 1x1 branch");
    if (b.getActivation() != Activation::none || !b->hasOneUse())
      return rewriter.notifyMatchFailure(
          add, "1x1 branch has an activation or users");
    if (a.getInput() != b.getInput() || a.getStrides() != b.getStrides() ||
        a.getGroups() != b.getGroups() || a.getType() != b.getType() ||
        add.getType() != a.getType())
      return rewriter.notifyMatchFailure(add, "branches differ in input, "
                                              "stride, groups or shape");
    auto w3 = getConstantFloats(a.getWeight());
    auto w1 = getConstantFloats(b.getWeight());
    if (!w3 || !w1)
      return rewriter.notifyMatchFailure(add, "non-constant weights");
    std::optional<std::vector<float>> b3, b1;
    if (a.getBias() && !(b3 = getConstantFloats(a.getBias())))
      return rewriter.notifyMatchFailure(add, "non-constant bias");
    if (b.getBias() && !(b1 = getConstantFloats(b.getBias())))
      return rewriter.notifyMatchFailure(add, "non-constant bias");
    auto w3Type = a.getWeight().getType();
    int64_t out = w3Type.getDimSize(0), in = w3Type.getDimSize(1);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t c = 0; c < in; ++c)
        (*w3)[((o * in + c) * 3 + 1) * 3 + 1] += (*w1)[o * in + c];
    std::vector<float> bias(out, 0.0f);
    for (int64_t o = 0; o < out; ++o)
      bias[o] = (b3 ? (*b3)[o] : 0.0f) + (b1 ? (*b1)[o] : 0.0f);
    Location loc = fuseLocs({a, b, add});
    Value w = createFloatConstant(rewriter, loc, w3Type, *w3,
                                  weightName(a, ".rep.weight"));
    Value bv = createFloatConstant(
        rewriter, loc, RankedTensorType::get({out}, w3Type.getElementType()),
        bias, weightName(a, ".rep.bias"));
    rewriter.replaceOp(add, rebuildConv(rewriter, loc, a, a.getInput(), w, bv,
                                        Activation::none)
                                .getResult());
    return success();
  }
};

/// conv3x3(x) + x  or  conv3x3(x) + batch_norm(x)  ->  conv3x3'(x)
struct MergeIdentity : public OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    Value lhs = add.getLhs(), rhs = add.getRhs();
    auto conv = lhs.getDefiningOp<Conv2DOp>();
    Value other = rhs;
    if (!conv ||
        (conv.getInput() != rhs && !rhs.getDefiningOp<BatchNormOp>())) {
      conv = rhs.getDefiningOp<Conv2DOp>();
      other = lhs;
    }
    if (!conv)
      return rewriter.notifyMatchFailure(add, "no convolution operand");
    if (failed(checkBase(rewriter, add, conv)))
      return failure();
    Value x = conv.getInput();
    auto wType = conv.getWeight().getType();
    int64_t out = wType.getDimSize(0);
    if (!isAll(conv.getStrides(), 1) || conv.getType() != x.getType() ||
        add.getType() != conv.getType())
      return rewriter.notifyMatchFailure(add, "identity branch needs stride 1 "
                                              "and equal channels");
    std::vector<float> tap(out, 1.0f), shift(out, 0.0f);
    SmallVector<Operation *> replaced = {conv, add};
    if (other != x) {
      auto bn = other.getDefiningOp<BatchNormOp>();
      if (!bn || bn.getInput() != x || !bn->hasOneUse())
        return rewriter.notifyMatchFailure(add, "other operand is not the "
                                                "identity branch");
      auto scale = getConstantFloats(bn.getScale());
      auto beta = getConstantFloats(bn.getBias());
      auto mean = getConstantFloats(bn.getMean());
      auto var = getConstantFloats(bn.getVar());
      if (!scale || !beta || !mean || !var)
        return rewriter.notifyMatchFailure(add, "non-constant batch_norm");
      double eps = bn.getEpsilon().convertToDouble();
      for (int64_t o = 0; o < out; ++o) {
        double s = (*scale)[o] / std::sqrt((*var)[o] + eps);
        tap[o] = static_cast<float>(s);
        shift[o] = static_cast<float>((*beta)[o] - (*mean)[o] * s);
      }
      replaced.push_back(bn);
    }
    auto weight = getConstantFloats(conv.getWeight());
    std::optional<std::vector<float>> bias;
    if (!weight ||
        (conv.getBias() && !(bias = getConstantFloats(conv.getBias()))))
      return rewriter.notifyMatchFailure(add, "non-constant weights");
    addIdentity(*weight, wType, conv.getGroups(), tap);
    std::vector<float> newBias(out);
    for (int64_t o = 0; o < out; ++o)
      newBias[o] = (bias ? (*bias)[o] : 0.0f) + shift[o];
    Location loc = fuseLocs(replaced);
    Value w = createFloatConstant(rewriter, loc, wType, *weight,
                                  weightName(conv, ".id.weight"));
    Value b = createFloatConstant(
        rewriter, loc, RankedTensorType::get({out}, wType.getElementType()),
        newBias, weightName(conv, ".id.bias"));
    rewriter.replaceOp(
        add, rebuildConv(rewriter, loc, conv, x, w, b, Activation::none)
                 .getResult());
    return success();
  }
};

struct MergeRepConvPass
    : public yolo::impl::MergeRepConvBase<MergeRepConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<Merge1x1, MergeIdentity>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
