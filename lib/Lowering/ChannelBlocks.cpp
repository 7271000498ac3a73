//===- ChannelBlocks.cpp - stride-2 weights in blocks of output channels --===//
//
// Rewrites the weights of eligible stride-2 ykernel.conv2d ops into blocks
// of B output channels, innermost ([ceil(Co / B), C, Kh, Kw, B]), a new
// constant global, so that the kernel loads a vector of output channels'
// weights per tap and input channel (Algorithms/Conv.cpp). B is two vectors:
// 32 with AVX-512, 16 with AVX2. The layout is the same for every target of
// a library: the pass acts only where every target is x86-64 with the same
// vectors (all AVX-512 or all AVX2), on narrower rows where one of them
// issues its 512-bit FMAs as two halves.
//
//===----------------------------------------------------------------------===//

#include "PassTargets.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Dialect/YoloKernel/YoloKernel.h"
#include "yolo/Lowering/Passes.h"
#include "yolo/Target/TargetInfo.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

#include <algorithm>

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOCHANNELBLOCKS
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

struct YoloChannelBlocksPass
    : public yolo::impl::YoloChannelBlocksBase<YoloChannelBlocksPass> {
  using YoloChannelBlocksBase::YoloChannelBlocksBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<std::vector<TargetInfo>> infos = parsePassTargets(
        module, "yolo-channel-blocks",
        std::vector<std::string>(targets.begin(), targets.end()), avx512Fma);
    if (!infos)
      return signalPassFailure();
    // The kernel's two vectors of output channels (channelBlockFor: 32
    // on AVX-512, 16 on AVX2), the same on every target. Where a target's
    // 512-bit FMAs issue as two halves (Zen 4), rows of 80 gained nothing
    // (session 33), so the widest row there is half-rate-max-output-width.
    int64_t widest = maxOutputWidth;
    const int64_t kBlock = channelBlockFor(infos->front());
    for (const TargetInfo &info : *infos) {
      if (!kBlock || channelBlockFor(info) != kBlock)
        return;
      if (kBlock == 32 && !info.wideFmaFullRate)
        widest = std::min<int64_t>(widest, halfRateMaxOutputWidth);
    }
    SymbolTable symbols(module);
    OpBuilder b(module.getContext());
    // One new global per weights global, however many layers share it.
    llvm::DenseMap<Operation *, memref::GlobalOp> blocked;
    bool failedAny = false;
    module.walk([&](yk::Conv2DOp conv) {
      Value w = conv.getInputs()[1];
      auto wType = cast<MemRefType>(w.getType());
      if (wType.getRank() != 4 || wType.getDimSize(2) != 3 ||
          wType.getDimSize(3) != 3 || conv.getGroups() != 1 ||
          llvm::any_of(conv.getStrides(), [](int64_t s) { return s != 2; }) ||
          llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }))
        return;
      int64_t cout = wType.getDimSize(0), cin = wType.getDimSize(1);
      // (The verifier makes the output a static [N, Co, H, W].)
      int64_t width =
          cast<MemRefType>(conv.getOutput().getType()).getDimSize(3);
      int64_t blocks = (cout + kBlock - 1) / kBlock;
      if (cin < minInputChannels || cout < kBlock ||
          cout * 4 < blocks * kBlock * 3 || width > widest)
        return;
      auto get = w.getDefiningOp<memref::GetGlobalOp>();
      auto global =
          get ? module.lookupSymbol<memref::GlobalOp>(get.getNameAttr())
              : memref::GlobalOp();
      if (!global || !global.getConstant() || !global.getInitialValue() ||
          global.getType() != wType)
        return;
      memref::GlobalOp &g = blocked[global.getOperation()];
      if (!g) {
        std::optional<std::vector<float>> values =
            getElementsFloats(*global.getInitialValue());
        if (!values || values->size() != static_cast<size_t>(cout * cin * 9)) {
          conv.emitOpError() << "weights global @" << global.getSymName()
                             << " has no f32 values to lay out";
          failedAny = true;
          return;
        }
        // [co][ci][k] -> [co / B][ci][k][co % B], k = 3 * ky + kx; the
        // lanes of a last, partial block past Co are zeros.
        std::vector<float> out(blocks * kBlock * cin * 9, 0.0f);
        for (int64_t co = 0; co < cout; ++co)
          for (int64_t ci = 0; ci < cin; ++ci)
            for (int64_t k = 0; k < 9; ++k)
              out[(((co / kBlock) * cin + ci) * 9 + k) * kBlock + co % kBlock] =
                  (*values)[(co * cin + ci) * 9 + k];
        SmallVector<int64_t> shape = {blocks, cin, 3, 3, kBlock};
        b.setInsertionPoint(global);
        auto type = RankedTensorType::get(shape, b.getF32Type());
        g = b.create<memref::GlobalOp>(
            global.getLoc(),
            (global.getSymName() + "_co" + Twine(kBlock)).str(),
            b.getStringAttr("private"), MemRefType::get(shape, b.getF32Type()),
            DenseElementsAttr::get(type, ArrayRef<float>(out)),
            /*constant=*/true, /*alignment=*/b.getI64IntegerAttr(64));
        symbols.insert(g);
      }
      b.setInsertionPoint(conv);
      Value bw = b.create<memref::GetGlobalOp>(conv.getLoc(), g.getType(),
                                               g.getSymName());
      conv->setOperand(1, bw);
      if (get->use_empty())
        get->erase();
    });
    if (failedAny)
      return signalPassFailure();
    // Weights only the rewritten layers read leave no global behind (and
    // no other global goes).
    for (auto &entry : blocked) {
      auto g = cast<memref::GlobalOp>(entry.first);
      if (SymbolTable::symbolKnownUseEmpty(g, module))
        g.erase();
    }
  }
};

} // namespace
