//===- PassTargets.cpp - a lowering pass's targets option -----------------===//

#include "PassTargets.h"

using namespace mlir;
using namespace mlir::yolo;

std::optional<std::vector<TargetInfo>>
mlir::yolo::parsePassTargets(Operation *op, llvm::StringRef pass,
                             const std::vector<std::string> &targets,
                             llvm::StringRef avx512Fma) {
  if (targets.empty()) {
    op->emitError() << pass
                    << " needs targets=T1[,T2...] (resolved Halide target "
                       "strings)";
    return std::nullopt;
  }
  std::vector<TargetInfo> infos;
  for (const std::string &t : targets) {
    std::string error;
    std::optional<TargetInfo> info = TargetInfo::parse(t, error);
    if (!info) {
      op->emitError(error);
      return std::nullopt;
    }
    if (!setAvx512FmaRate(*info, avx512Fma)) {
      op->emitError() << pass
                      << ": avx512-fma must be auto, full or half, got '"
                      << avx512Fma << "'";
      return std::nullopt;
    }
    infos.push_back(*info);
  }
  return infos;
}
