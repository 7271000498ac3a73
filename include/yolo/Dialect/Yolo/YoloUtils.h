//===- YoloUtils.h - constant tensor helpers --------------------*- C++ -*-===//
//
// Reading and creating the float constants (inline dense or dense_resource
// blobs) that weights are stored in. Shared by the importer and the passes
// that rewrite weights.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_YOLO_YOLOUTILS_H
#define YOLO_DIALECT_YOLO_YOLOUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include <optional>
#include <vector>

namespace mlir {
namespace yolo {

/// Float constants of at most this many elements (or splats) are stored
/// inline; larger ones become dense_resource blobs.
constexpr int64_t kInlineConstantLimit = 16;

/// The f32 values of `v` (row-major) when it is produced by a yolo.constant
/// holding f32 data, inline or as a resource blob; std::nullopt otherwise.
std::optional<std::vector<float>> getConstantFloats(Value v);

/// The f32 values (row-major) of an elements attribute, inline or a
/// resource blob with its data; std::nullopt otherwise (another element
/// type, an elided blob).
std::optional<std::vector<float>> getElementsFloats(Attribute value);

/// Builds a yolo.constant of `type` holding `data`, as a dense_resource blob
/// named after `name` when it is large.
Value createFloatConstant(OpBuilder &builder, Location loc,
                          RankedTensorType type, ArrayRef<float> data,
                          StringRef name);

} // namespace yolo
} // namespace mlir

#endif // YOLO_DIALECT_YOLO_YOLOUTILS_H
