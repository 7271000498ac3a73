//===- Winograd.cpp - 3x3 stride-1 convolutions by Winograd ---------------===//
//
// Rewrites eligible ykernel.conv2d ops into ykernel.conv_winograd. Within
// the weight budget the weight transform is done here, on the IR's
// constants: the transformed weights are a new constant global, so the
// library embeds them already transformed. Beyond it, the layer's 3x3
// weights are permuted to [3, 3, C, Co] (a new global of the same size)
// and the kernel transforms them at run time, per block of output
// channels.
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/Winograd.h"
#include "PassTargets.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Dialect/YoloKernel/YoloKernel.h"
#include "yolo/Lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOWINOGRAD
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

/// The constant global `v` reads whole (a get_global of the global's own
/// type), or null.
memref::GlobalOp constantGlobal(ModuleOp module, Value v) {
  auto get = v.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return nullptr;
  auto global = module.lookupSymbol<memref::GlobalOp>(get.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue() ||
      global.getType() != v.getType())
    return nullptr;
  return global;
}

struct YoloWinogradPass
    : public yolo::impl::YoloWinogradBase<YoloWinogradPass> {
  using YoloWinogradBase::YoloWinogradBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int forced = 0;
    if (tile == "off")
      return;
    if (tile != "auto") {
      if (tile == "2" || tile == "4" || tile == "6") {
        forced = tile[0] - '0';
      } else {
        module.emitError() << "--yolo-winograd: tile must be auto, off, 2, 4 "
                              "or 6, got '"
                           << tile << "'";
        return signalPassFailure();
      }
    }
    // With targets: whether every one is x86-64 with full-rate 512-bit
    // FMAs and no AMD word (Halide marks AMD hosts with tune_znver* and
    // avx512_zen*), where layers of fewer than 32 channels stay direct
    // under auto (below); and whether every one is x86-64 whose FMAs do 8
    // lanes a cycle each (AVX2, or AVX-512 as two 256-bit halves), where
    // layers of 16 to 31 channels below 80x80 outputs and layers of at
    // most 32 channels over 160x160 take Winograd too (below).
    bool wideIntel = false, narrowFma = false;
    if (!targets.empty()) {
      std::optional<std::vector<TargetInfo>> infos = parsePassTargets(
          module, "yolo-winograd",
          std::vector<std::string>(targets.begin(), targets.end()), avx512Fma);
      if (!infos)
        return signalPassFailure();
      wideIntel = llvm::all_of(*infos, [](const TargetInfo &info) {
        return info.family == TargetFamily::X86 && info.vectorLanes == 16 &&
               info.wideFmaFullRate &&
               llvm::none_of(info.features, [](const std::string &f) {
                 llvm::StringRef word(f);
                 return word.starts_with("tune_znver") ||
                        word.starts_with("avx512_zen");
               });
      });
      narrowFma = llvm::all_of(*infos, [](const TargetInfo &info) {
        return info.family == TargetFamily::X86 &&
               (info.vectorLanes == 8 ||
                (info.vectorLanes == 16 && !info.wideFmaFullRate));
      });
    }
    SymbolTable symbols(module);
    OpBuilder b(module.getContext());
    // One new global per (weights global, m), however many layers share
    // the weights: the transformed weights, or (m = 0) the permuted ones.
    llvm::DenseMap<std::pair<Operation *, int>, memref::GlobalOp> derived;
    bool failedAny = false;
    // The eligible layers: 3x3, stride 1, undilated, ungrouped, constant
    // weights; under auto also 16+ input and output channels.
    struct Candidate {
      yk::Conv2DOp conv;
      memref::GlobalOp global;
      int m;
      int64_t pixels, extraBytes;
      bool compileTime = true;
    };
    SmallVector<Candidate> candidates;
    module.walk([&](yk::Conv2DOp conv) {
      Value w = conv.getInputs()[1];
      auto wType = cast<MemRefType>(w.getType());
      auto outType = cast<MemRefType>(conv.getOutput().getType());
      if (wType.getDimSize(2) != 3 || wType.getDimSize(3) != 3 ||
          conv.getGroups() != 1 ||
          llvm::any_of(conv.getStrides(), [](int64_t s) { return s != 1; }) ||
          llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
          llvm::any_of(conv.getPads(),
                       [](int64_t p) { return p < 0 || p > 2; }))
        return;
      int64_t cout = wType.getDimSize(0), cin = wType.getDimSize(1);
      // auto: F(4x4) from 32 input and output channels, or from 16 at
      // 80x80 output pixels and more. With fewer channels the transforms
      // cost more than the products save: gelan-t 640's 36 layers of 24
      // channels at 40x40 took 10.5 ms by Winograd against 9.5 direct on
      // one thread (6.7 against 5.2 on two); its 24 of 16 channels at
      // 80x80 11.7 against 17.1 (6.6 against 9.4), and its 32-channel
      // layers at 20x20 1.7 against 3.0 (bench/profile.py; AVX-512, where
      // the 24-channel layers' register tiles were then on the heap).
      // Where the FMAs do 8 lanes a cycle each (AVX2, AVX-512 at half
      // rate), from 16 channels at any size: gelan-t 640's 36 layers of 24
      // channels at 40x40 (once a partial vector of output channels no
      // longer put the register tile on the heap), Zen 4 VM, sums of
      // per-step minima of medians, four rounds of alternating runs
      // (session 38): 5.90 ms direct against 3.83 by Winograd (3.73) and
      // their residual adds (0.10) at one thread, 3.63 against 2.31 at
      // two; with AVX2 code 6.37 against 4.39 and 3.24 against 2.40. Its
      // eight 16-channel layers at 40x40 and 20x20: 0.44 -> 0.24 ms and
      // 0.27 -> 0.16, with AVX2 code 0.49 -> 0.35 and 0.25 -> 0.19.
      // On an AVX2-only CPU (Zen 2 VM, session 40), gelan-t 640 with every
      // layer of fewer than 32 channels direct, two rounds of alternating
      // runs, sums of per-step medians (bench/profile.py): 84.8 / 85.0 ->
      // 89.2 / 89.5 ms at one thread, 50.9 / 50.7 -> 53.4 / 53.0 at two,
      // though one 16 -> 16 layer at 80x80 compiled alone took 0.44 ms
      // direct against 0.53 by F(4x4) (bench/conv_tiles.py).
      int64_t pixels = outType.getDimSize(2) * outType.getDimSize(3);
      bool autoEligible =
          std::min(cin, cout) >= 32 ||
          (std::min(cin, cout) >= 16 && (pixels >= 6400 || narrowFma));
      // Not for layers of at most 32 channels over 160x160 outputs and
      // more, which the direct kernel computes faster. Whole models, two
      // rounds of alternating runs (bench/profile.py, AVX-512 Zen 5 VM):
      // gelan-c 640's four 32 -> 32 layers 13.2 / 12.1 -> 10.6 / 9.4 ms at
      // one thread, 5.8 / 5.8 -> 4.6 / 4.5 at two; gelan-t 640's two
      // 16 -> 16 layers 2.33 / 2.32 -> 1.14 / 1.13 and 1.27 / 1.20 ->
      // 0.58 / 0.59. Direct 16-channel layers at 80x80 (gelan-t's 28) made
      // gelan-t about 1 ms slower at one thread.
      // Where the FMAs do 8 lanes a cycle each (AVX2, AVX-512 at half
      // rate), the direct kernel runs at half the Zen 5 VM's FMA rate,
      // and Winograd (its kernel as of session 37) is faster. Zen 4 VM,
      // these layers direct against Winograd (plus their residual adds,
      // which the Winograd kernels do not fuse), sums of per-step minima
      // of medians, four rounds of alternating runs (session 38): gelan-c
      // 640 21.3 -> 11.5 ms at one thread, 11.5 -> 6.4 at two; with AVX2
      // code 23.9 -> 12.6 and 11.3 -> 7.8; gelan-t 640 2.67 -> 1.58 and
      // 1.27 -> 0.84, with AVX2 code 3.16 -> 1.83 and 1.46 -> 0.91.
      if (std::max(cin, cout) <= 32 && pixels >= 25600 && !narrowFma)
        autoEligible = false;
      // On full-rate AVX-512 Intel CPUs, layers of fewer than 32 channels
      // stay direct: a 16-channel row of 80 outputs is 5 whole vectors for
      // the direct kernel, and there the transforms' additions presumably
      // compete with the FMAs for the same two ports (Zen 5 adds on ports
      // of their own). gelan-t 640's 28 layers of 16 channels at 80x80,
      // Emerald Rapids VM, sums of per-step minima over 16 alternating
      // runs (session 29): 7.71 -> 6.24 ms at one thread, 4.06 -> 3.23 at
      // two; the whole model 61.4 -> 60.2 and 33.5 -> 32.5. With AVX2
      // tiles on the same CPU they stay Winograd (11.20 against 12.65 ms
      // direct at one thread, 5.71 against 6.37 at two), as on the Zen 5
      // VM with AVX-512 (direct made gelan-t about 1 ms slower there).
      if (wideIntel && std::min(cin, cout) < 32)
        autoEligible = false;
      int m = forced ? forced : (autoEligible ? 4 : 0);
      memref::GlobalOp global = constantGlobal(module, w);
      if (!m || !global)
        return;
      int64_t t = m + 2, block = kWinogradWeightBlock;
      int64_t paddedCout = (cout + block - 1) / block * block;
      candidates.push_back(
          {conv, global, m, pixels, (t * t * paddedCout - 9 * cout) * cin * 4});
    });
    if (!forced || runtimeWeights) {
      // The transformed weights are (m + 2)^2 / 9 times as large (4x for
      // F(4x4)), and they are the library's size and most of its memory.
      // At most `weight-growth` of the model's constant bytes is spent on
      // them, on the layers with the most output pixels first: the
      // multiplications saved per extra byte grow with H x W, and the
      // run-time transform costs the most, relative to the products, on
      // the fewest pixels. (gelan-c 640: every 3x3 layer at 80x80 and
      // 160x160, 28 MB more, peak RSS 157 -> ~190 MB; all 3x3 layers
      // would add 184 MB.)
      int64_t constantBytes = 0;
      for (auto g : module.getOps<memref::GlobalOp>())
        if (g.getConstant())
          constantBytes += g.getType().getNumElements() * 4;
      double budget = weightGrowth * static_cast<double>(constantBytes);
      std::stable_sort(candidates.begin(), candidates.end(),
                       [](const Candidate &a, const Candidate &b) {
                         return a.pixels > b.pixels;
                       });
      int64_t spent = 0;
      size_t keep = 0;
      while (keep < candidates.size() &&
             spent + candidates[keep].extraBytes <= budget)
        spent += candidates[keep++].extraBytes;
      if (runtimeWeights)
        for (size_t i = keep; i < candidates.size(); ++i)
          candidates[i].compileTime = false;
      else
        candidates.resize(keep);
    }
    // A new constant global before `global`, named after it.
    auto derivedGlobal = [&](memref::GlobalOp global, const Twine &suffix,
                             ArrayRef<int64_t> shape, ArrayRef<float> values) {
      b.setInsertionPoint(global);
      auto g = b.create<memref::GlobalOp>(
          global.getLoc(), (global.getSymName() + suffix).str(),
          b.getStringAttr("private"), MemRefType::get(shape, b.getF32Type()),
          DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                                 values),
          /*constant=*/true, /*alignment=*/b.getI64IntegerAttr(64));
      symbols.insert(g);
      return g;
    };
    for (Candidate &c : candidates) {
      yk::Conv2DOp conv = c.conv;
      memref::GlobalOp global = c.global;
      int m = c.m;
      Value w = conv.getInputs()[1];
      auto wType = cast<MemRefType>(w.getType());
      int64_t cout = wType.getDimSize(0), cin = wType.getDimSize(1);
      memref::GlobalOp &u =
          derived[{global.getOperation(), c.compileTime ? m : 0}];
      if (!u) {
        std::optional<std::vector<float>> values =
            getElementsFloats(*global.getInitialValue());
        if (!values || values->size() != static_cast<size_t>(cout * cin * 9)) {
          conv.emitOpError() << "weights global @" << global.getSymName()
                             << " has no f32 values to transform";
          failedAny = true;
          continue;
        }
        if (c.compileTime) {
          // In blocks of output channels (kWinogradWeightBlock).
          int64_t t = m + 2, block = kWinogradWeightBlock;
          u = derivedGlobal(global, "_winograd" + Twine(m),
                            {t * t, (cout + block - 1) / block, cin, block},
                            blockWinogradWeights(
                                transformWinogradWeights(*values, cout, cin, m),
                                t * t, cin, cout, block));
        } else {
          // Transformed at run time: the weights as [3, 3, C, Co], output
          // channels innermost, so a block of them is one vector.
          std::vector<float> hwio(values->size());
          for (int64_t co = 0; co < cout; ++co)
            for (int64_t ci = 0; ci < cin; ++ci)
              for (int64_t k = 0; k < 9; ++k)
                hwio[(k * cin + ci) * cout + co] =
                    (*values)[(co * cin + ci) * 9 + k];
          u = derivedGlobal(global, "_hwio", {3, 3, cin, cout}, hwio);
        }
      }
      b.setInsertionPoint(conv);
      Value uv = b.create<memref::GetGlobalOp>(conv.getLoc(), u.getType(),
                                               u.getSymName());
      b.create<yk::ConvWinogradOp>(
          conv.getLoc(),
          ValueRange{conv.getInputs()[0], uv, conv.getInputs()[2]},
          conv.getOutput(), b.getI64IntegerAttr(m), conv.getPadsAttr(),
          conv.getActivationAttr(), conv.getAlphaAttr(), ArrayAttr());
      Operation *getW = w.getDefiningOp();
      conv.erase();
      if (getW->use_empty())
        getW->erase();
    }
    if (failedAny)
      return signalPassFailure();
    // Weights only the rewritten layers read leave no global behind.
    for (auto g : llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
      if (SymbolTable::symbolKnownUseEmpty(g, module))
        g.erase();
  }
};

} // namespace
