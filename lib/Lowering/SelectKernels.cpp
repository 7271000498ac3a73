//===- SelectKernels.cpp - algorithm and register tile per convolution ----===//
//
// Pointwise convolutions whose views keep each channel's pixels contiguous
// become matrix products over H*W (ykernel.conv1x1 on flattened views);
// every convolution then records the register tile of each target, chosen
// by the measured rules of the target's family (TargetInfo.h).
//
//===----------------------------------------------------------------------===//

#include "PassTargets.h"
#include "yolo/Lowering/Passes.h"
#include "yolo/Target/KernelDesc.h"
#include "yolo/Target/TargetInfo.h"
#include "yolo/Target/Winograd.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOSELECTKERNELS
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

Shape shapeOf(Value v) {
  auto s = cast<MemRefType>(v.getType()).getShape();
  return Shape(s.begin(), s.end());
}

/// A 4-D NCHW view whose H x W pixels are contiguous, as a 3-D [N, C, H*W]
/// view; null when they are not.
Value flatten(OpBuilder &b, Location loc, Value view) {
  auto type = cast<MemRefType>(view.getType());
  auto shape = type.getShape();
  yk::ViewLayout l = yk::getViewLayout(view);
  if (l.strides[2] != shape[3] || l.strides[3] != 1)
    return Value();
  return yk::createReinterpretedView(b, loc, view,
                                     {shape[0], shape[1], shape[2] * shape[3]},
                                     {l.strides[0], l.strides[1], 1});
}

/// Weights [Co, Ci, 1, 1] (contiguous) as [Co, Ci].
Value flattenWeights(OpBuilder &b, Location loc, Value w) {
  auto type = cast<MemRefType>(w.getType());
  return yk::createReinterpretedView(b, loc, w,
                                     {type.getDimSize(0), type.getDimSize(1)},
                                     {type.getDimSize(1), 1});
}

struct YoloSelectKernelsPass
    : public yolo::impl::YoloSelectKernelsBase<YoloSelectKernelsPass> {
  using YoloSelectKernelsBase::YoloSelectKernelsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    std::optional<std::vector<TargetInfo>> parsed = parsePassTargets(
        func, "yolo-select-kernels",
        std::vector<std::string>(targets.begin(), targets.end()), avx512Fma);
    if (!parsed)
      return signalPassFailure();
    std::vector<TargetInfo> infos = std::move(*parsed);
    OpBuilder b(func.getContext());
    func->setAttr(yk::kTargetsAttr, b.getStrArrayAttr(SmallVector<StringRef>(
                                        targets.begin(), targets.end())));
    // Each target's tile by `choose` (chooseConvTile unless given).
    auto tilesFor = [&](const ConvShape &shape,
                        ConvTile (*choose)(const ConvShape &,
                                           const TargetInfo &) =
                            chooseConvTile) {
      SmallVector<Attribute> tiles;
      for (const TargetInfo &info : infos) {
        ConvTile t = choose(shape, info);
        tiles.push_back(
            b.getDenseI64ArrayAttr({t.lanes, t.vectors, t.channels}));
      }
      return b.getArrayAttr(tiles);
    };
    bool failed = false;
    func.walk([&](yk::ConvWinogradOp conv) {
      auto in = cast<MemRefType>(conv.getInputs()[0].getType());
      auto out = cast<MemRefType>(conv.getOutput().getType());
      WinogradShape shape{out.getDimSize(2),
                          out.getDimSize(3),
                          in.getDimSize(1),
                          out.getDimSize(1),
                          static_cast<int>(conv.getM()),
                          !conv.hasRuntimeWeights()};
      SmallVector<Attribute> tiles;
      for (const TargetInfo &info : infos) {
        ConvTile t = chooseWinogradTile(shape, info);
        tiles.push_back(
            b.getDenseI64ArrayAttr({t.lanes, t.vectors, t.channels}));
      }
      conv.setTilesAttr(b.getArrayAttr(tiles));
    });
    func.walk([&](yk::Conv2DOp conv) {
      auto w = cast<MemRefType>(conv.getInputs()[1].getType());
      auto st = conv.getStrides();
      bool pointwise =
          w.getDimSize(2) == 1 && w.getDimSize(3) == 1 && st[0] == 1 &&
          st[1] == 1 &&
          llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; }) &&
          conv.getGroups() == 1;
      b.setInsertionPoint(conv);
      Value fin, fout;
      if (pointwise) {
        fin = flatten(b, conv.getLoc(), conv.getInputs()[0]);
        fout = fin ? flatten(b, conv.getLoc(), conv.getOutput()) : Value();
        if (fin && !fout)
          fin.getDefiningOp()->erase();
      }
      if (fin && fout) {
        // The tile rules see the layer as its kernel descriptor does.
        ConvShape shape = convShape(Conv1x1Desc{shapeOf(fin), shapeOf(fout)});
        Value fw = flattenWeights(b, conv.getLoc(), conv.getInputs()[1]);
        b.create<yk::Conv1x1Op>(
            conv.getLoc(), ValueRange{fin, fw, conv.getInputs()[2]}, fout,
            conv.getActivationAttr(), conv.getAlphaAttr(), tilesFor(shape));
        conv.erase();
        return;
      }
      ConvDesc desc;
      desc.input = shapeOf(conv.getInputs()[0]);
      desc.weight = shapeOf(conv.getInputs()[1]);
      desc.output = shapeOf(conv.getOutput());
      desc.strideH = st[0];
      desc.strideW = st[1];
      ConvShape shape = convShape(desc);
      if (desc.channelBlock()) {
        // Weights in blocks of output channels (--yolo-channel-blocks).
        // The kernel's tile spans whole blocks: its acc, aligned to the
        // tile, must not reach past the last block.
        for (const TargetInfo &info : infos) {
          ConvTile t = chooseBlockedConvTile(shape, info);
          if (!t.lanes) {
            conv.emitOpError()
                << "has weights in blocks of output channels, which target "
                << info.target << " has no kernel for";
            failed = true;
            return;
          }
          if (desc.channelBlock() != channelBlockFor(info)) {
            conv.emitOpError()
                << "has weights in blocks of " << desc.channelBlock()
                << " output channels, but target " << info.target
                << "'s kernel takes blocks of " << channelBlockFor(info)
                << " (lay them out with --yolo-channel-blocks for the same "
                   "targets)";
            failed = true;
            return;
          }
        }
        conv.setTilesAttr(tilesFor(shape, chooseBlockedConvTile));
        return;
      }
      conv.setTilesAttr(tilesFor(shape));
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace
