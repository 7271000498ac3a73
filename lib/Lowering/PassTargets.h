//===- PassTargets.h - a lowering pass's targets option ---------*- C++ -*-===//
//
// The passes that choose per target (--yolo-select-kernels,
// --yolo-channel-blocks) take the resolved Halide target strings and the
// avx512-fma setting as options; this parses them the same way for both.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LOWERING_PASSTARGETS_H
#define YOLO_LOWERING_PASSTARGETS_H

#include "yolo/Target/TargetInfo.h"

#include "mlir/IR/Operation.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::yolo {

/// Each of `targets` parsed, with `avx512Fma` ("auto", "full" or "half")
/// applied. None, after an error on `op` naming `pass`, when `targets` is
/// empty, a target does not parse or `avx512Fma` is another word.
std::optional<std::vector<TargetInfo>>
parsePassTargets(Operation *op, llvm::StringRef pass,
                 const std::vector<std::string> &targets,
                 llvm::StringRef avx512Fma);

} // namespace mlir::yolo

#endif // YOLO_LOWERING_PASSTARGETS_H
