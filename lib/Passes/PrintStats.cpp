//===- PrintStats.cpp - op counts, parameters and GFLOPs ------------------===//
//
// Prints what a user checks first about a model: how many ops of each kind,
// how many parameters and how much work (GFLOPs = 2 x conv MACs, the
// convention of upstream YOLOv9, so numbers compare with its model table).
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

namespace mlir {
namespace yolo {
#define GEN_PASS_DEF_PRINTSTATS
#include "yolo/Passes/Passes.h.inc"
} // namespace yolo
} // namespace mlir

using namespace mlir;
using namespace mlir::yolo;

namespace {

struct FunctionStats {
  std::string name;
  std::map<std::string, int64_t> opCounts;
  int64_t parameters = 0;
  int64_t convMACs = 0;
  int64_t convs = 0;
  int64_t convsWithActivation = 0;
  std::vector<std::string> inputs, outputs;
};

std::string describe(Type type, DictionaryAttr attrs, unsigned index,
                     StringRef prefix) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("yolo.name"))
      os << name.getValue() << " ";
  if (s.empty())
    os << prefix << index << " ";
  if (auto ranked = dyn_cast<RankedTensorType>(type)) {
    llvm::interleave(ranked.getShape(), os, "x");
    os << "x" << ranked.getElementType();
  } else {
    os << type;
  }
  if (attrs)
    if (auto role = attrs.getAs<StringAttr>("yolo.role"))
      os << " (" << role.getValue() << ")";
  return s;
}

FunctionStats collect(func::FuncOp func) {
  FunctionStats stats;
  stats.name = func.getSymName().str();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
    stats.inputs.push_back(describe(type, func.getArgAttrDict(i), i, "arg"));
  for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
    stats.outputs.push_back(
        describe(type, func.getResultAttrDict(i), i, "result"));

  // Counted per consumer, as PyTorch counts each layer's parameters: the
  // exporter deduplicates identical initializers (e.g. the detect head's
  // constant-initialized biases), which must not lower the count.
  auto countParameter = [&](Value v) {
    if (v && v.getDefiningOp<ConstantOp>())
      stats.parameters += cast<RankedTensorType>(v.getType()).getNumElements();
  };
  func.walk([&](Operation *op) {
    if (op == func.getOperation())
      return;
    stats.opCounts[op->getName().getStringRef().str()]++;
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      stats.convs++;
      stats.convMACs += conv.getMACs();
      if (conv.getActivation() != Activation::none)
        stats.convsWithActivation++;
      countParameter(conv.getWeight());
      countParameter(conv.getBias());
    } else if (auto bn = dyn_cast<BatchNormOp>(op)) {
      countParameter(bn.getScale());
      countParameter(bn.getBias());
    }
  });
  return stats;
}

double gflops(const FunctionStats &s) { return 2.0 * s.convMACs / 1e9; }

void printText(const FunctionStats &s, raw_ostream &os) {
  os << "function @" << s.name << "\n";
  for (const std::string &in : s.inputs)
    os << "  input   " << in << "\n";
  for (const std::string &out : s.outputs)
    os << "  output  " << out << "\n";
  os << "  ops:\n";
  for (const auto &[name, count] : s.opCounts)
    os << llvm::format("    %-28s %8lld\n", name.c_str(), (long long)count);
  os << "  convolutions: " << s.convs << " (" << s.convsWithActivation
     << " with a fused activation)\n";
  os << "  parameters: " << s.parameters << "\n";
  os << "  conv MACs: " << s.convMACs << "\n";
  os << llvm::format("  GFLOPs: %.2f\n", gflops(s));
}

void printJSON(const FunctionStats &s, raw_ostream &os) {
  llvm::json::Object ops;
  for (const auto &[name, count] : s.opCounts)
    ops[name] = count;
  llvm::json::Array inputs, outputs;
  for (const std::string &in : s.inputs)
    inputs.push_back(in);
  for (const std::string &out : s.outputs)
    outputs.push_back(out);
  llvm::json::Object root{{"function", s.name},
                          {"inputs", std::move(inputs)},
                          {"outputs", std::move(outputs)},
                          {"ops", std::move(ops)},
                          {"convolutions", s.convs},
                          {"fused_activations", s.convsWithActivation},
                          {"parameters", s.parameters},
                          {"conv_macs", s.convMACs},
                          {"gflops", gflops(s)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

struct PrintStatsPass : public yolo::impl::PrintStatsBase<PrintStatsPass> {
  using PrintStatsBase::PrintStatsBase;

  /// Accepts the short forms `--yolo-print-stats=json|text` besides
  /// `format=...`.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    StringRef trimmed = options.trim();
    if (trimmed == "json" || trimmed == "text") {
      format = trimmed.str();
      return success();
    }
    return PrintStatsBase::initializeOptions(options, errorHandler);
  }

  void runOnOperation() override {
    if (format != "text" && format != "json") {
      getOperation().emitError("yolo-print-stats: unknown format '")
          << format << "', expected 'text' or 'json'";
      return signalPassFailure();
    }
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      FunctionStats stats = collect(func);
      if (format == "json")
        printJSON(stats, llvm::outs());
      else
        printText(stats, llvm::outs());
    }
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }
};

} // namespace
