//===- FoldBatchNorm.cpp - batch_norm into the producing conv -------------===//
//
// Inference BatchNorm after a convolution is an affine map per output
// channel, so it folds into the convolution's weights and bias exactly (up
// to f32 rounding). With `decompose`, a batch_norm that cannot fold becomes
// a per-channel multiply and add, so the back end never sees one.
//
//===----------------------------------------------------------------------===//

#include "PassUtils.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include <cmath>

namespace mlir {
namespace yolo {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "yolo/Passes/Passes.h.inc"
} // namespace yolo
} // namespace mlir

using namespace mlir;
using namespace mlir::yolo;

namespace {

struct FoldIntoConv : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<Conv2DOp>();
    if (!conv)
      return rewriter.notifyMatchFailure(bn, "input is not a convolution");
    if (conv.getActivation() != Activation::none)
      return rewriter.notifyMatchFailure(bn, "convolution has an activation");
    if (!conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "convolution has other users");
    auto weight = getConstantFloats(conv.getWeight());
    auto scale = getConstantFloats(bn.getScale());
    auto shift = getConstantFloats(bn.getBias());
    auto mean = getConstantFloats(bn.getMean());
    auto var = getConstantFloats(bn.getVar());
    if (!weight || !scale || !shift || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "non-constant weights or stats");
    std::optional<std::vector<float>> bias;
    if (conv.getBias()) {
      bias = getConstantFloats(conv.getBias());
      if (!bias)
        return rewriter.notifyMatchFailure(bn, "non-constant conv bias");
    }
    auto wType = conv.getWeight().getType();
    int64_t outChannels = wType.getDimSize(0);
    int64_t perChannel = wType.getNumElements() / outChannels;
    double eps = bn.getEpsilon().convertToDouble();
    std::vector<float> newBias(outChannels);
    for (int64_t o = 0; o < outChannels; ++o) {
      double s = (*scale)[o] / std::sqrt(static_cast<double>((*var)[o]) + eps);
      for (int64_t k = 0; k < perChannel; ++k)
        (*weight)[o * perChannel + k] =
            static_cast<float>((*weight)[o * perChannel + k] * s);
      double b = bias ? (*bias)[o] : 0.0;
      newBias[o] = static_cast<float>((b - (*mean)[o]) * s + (*shift)[o]);
    }
    Location loc = fuseLocs({conv, bn});
    Value w = createFloatConstant(rewriter, loc, wType, *weight,
                                  weightName(conv, ".bnfold.weight"));
    Value b = createFloatConstant(
        rewriter, loc,
        RankedTensorType::get({outChannels}, wType.getElementType()), newBias,
        weightName(conv, ".bnfold.bias"));
    Conv2DOp folded = rebuildConv(rewriter, loc, conv, conv.getInput(), w, b,
                                  Activation::none);
    rewriter.replaceOp(bn, folded.getResult());
    return success();
  }
};

/// batch_norm(x) = x * s + t per channel (axis 1), s = scale / sqrt(var +
/// eps), t = beta - mean * s: the same arithmetic as the fold, in double.
/// Lower benefit than FoldIntoConv: only what cannot fold.
struct DecomposeToMulAdd : public OpRewritePattern<BatchNormOp> {
  DecomposeToMulAdd(MLIRContext *ctx)
      : OpRewritePattern<BatchNormOp>(ctx, /*benefit=*/0) {}

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto scale = getConstantFloats(bn.getScale());
    auto shift = getConstantFloats(bn.getBias());
    auto mean = getConstantFloats(bn.getMean());
    auto var = getConstantFloats(bn.getVar());
    if (!scale || !shift || !mean || !var)
      return rewriter.notifyMatchFailure(bn, "non-constant statistics");
    auto type = cast<RankedTensorType>(bn.getType());
    if (type.getRank() < 2)
      return rewriter.notifyMatchFailure(bn, "no channel axis");
    int64_t channels = scale->size();
    double eps = bn.getEpsilon().convertToDouble();
    std::vector<float> s(channels), t(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double k = (*scale)[c] / std::sqrt(static_cast<double>((*var)[c]) + eps);
      s[c] = static_cast<float>(k);
      t[c] = static_cast<float>((*shift)[c] - (*mean)[c] * k);
    }
    // [1, C, 1, ...]: broadcast over everything but the channel axis.
    SmallVector<int64_t> shape(type.getRank(), 1);
    shape[1] = channels;
    auto constType = RankedTensorType::get(shape, type.getElementType());
    Location loc = bn.getLoc();
    Value sv = createFloatConstant(rewriter, loc, constType, s,
                                   weightName(bn, ".bn.scale"));
    Value tv = createFloatConstant(rewriter, loc, constType, t,
                                   weightName(bn, ".bn.shift"));
    Value mul = rewriter.create<MulOp>(loc, type, bn.getInput(), sv);
    rewriter.replaceOpWithNewOp<AddOp>(bn, type, mul, tv);
    return success();
  }
};

struct FoldBatchNormPass
    : public yolo::impl::FoldBatchNormBase<FoldBatchNormPass> {
  using FoldBatchNormBase::FoldBatchNormBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoConv>(&getContext());
    if (decompose)
      patterns.add<DecomposeToMulAdd>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
