//===- FuseActivation.cpp - pointwise tails into convolutions -------------===//
//
// Exporters spell SiLU as `x * sigmoid(x)`; this pass names it, then moves
// every activation that directly follows a convolution into the
// convolution, so code generation applies it while the output is in
// registers instead of in a separate pass over memory.
//
//===----------------------------------------------------------------------===//

#include "PassUtils.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace yolo {
#define GEN_PASS_DEF_FUSEACTIVATION
#include "yolo/Passes/Passes.h.inc"
} // namespace yolo
} // namespace mlir

using namespace mlir;
using namespace mlir::yolo;

namespace {

/// x * sigmoid(x)  ->  silu(x)
struct FormSiLU : public OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (auto [x, s] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      auto sigmoid = s.getDefiningOp<SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != x || x.getType() != mul.getType())
        continue;
      // The fused location first: replacing erases `mul`.
      Location loc = fuseLocs({sigmoid, mul});
      rewriter.replaceOpWithNewOp<SiLUOp>(mul, x)->setLoc(loc);
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
  }
};

/// act(conv(x))  ->  conv(x) {activation = act}
template <typename ActOp, Activation kind>
struct FuseIntoConv : public OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActOp act,
                                PatternRewriter &rewriter) const override {
    auto conv = act.getInput().template getDefiningOp<Conv2DOp>();
    if (!conv)
      return rewriter.notifyMatchFailure(act, "input is not a convolution");
    if (conv.getActivation() != Activation::none)
      return rewriter.notifyMatchFailure(act, "convolution has an activation");
    if (!conv->hasOneUse())
      return rewriter.notifyMatchFailure(act, "convolution has other users");
    Conv2DOp fused =
        rebuildConv(rewriter, fuseLocs({conv, act}), conv, conv.getInput(),
                    conv.getWeight(), conv.getBias(), kind);
    if constexpr (std::is_same_v<ActOp, LeakyReLUOp>)
      fused.setAlpha(act.getAlpha());
    rewriter.replaceOp(act, fused.getResult());
    return success();
  }
};

struct FuseActivationPass
    : public yolo::impl::FuseActivationBase<FuseActivationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FormSiLU, FuseIntoConv<SiLUOp, Activation::silu>,
                 FuseIntoConv<SigmoidOp, Activation::sigmoid>,
                 FuseIntoConv<ReLUOp, Activation::relu>,
                 FuseIntoConv<LeakyReLUOp, Activation::leaky_relu>>(
        &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
