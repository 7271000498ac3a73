//===- YoloUtils.cpp - constant tensor helpers ----------------------------===//
//
// Weights live in dense_resource blobs so that large models print and parse
// quickly; these helpers hide the two storage forms from the passes.
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Dialect/Yolo/YoloOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::yolo;

std::optional<std::vector<float>> mlir::yolo::getConstantFloats(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return std::nullopt;
  return getElementsFloats(c.getValue());
}

std::optional<std::vector<float>>
mlir::yolo::getElementsFloats(Attribute value) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return std::nullopt;
  auto type = cast<ShapedType>(elements.getType());
  if (!type.getElementType().isF32())
    return std::nullopt;
  int64_t n = type.getNumElements();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::vector<float>(n, dense.getSplatValue<float>());
    auto range = dense.getValues<float>();
    return std::vector<float>(range.begin(), range.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != n)
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

Value mlir::yolo::createFloatConstant(OpBuilder &builder, Location loc,
                                      RankedTensorType type,
                                      ArrayRef<float> data, StringRef name) {
  bool splat = llvm::all_of(data, [&](float x) { return x == data.front(); });
  ElementsAttr attr;
  if (static_cast<int64_t>(data.size()) <= kInlineConstantLimit || splat) {
    attr = splat ? DenseElementsAttr::get(type, data.front())
                 : DenseElementsAttr::get(type, data);
  } else {
    // Resource keys are printed as bare identifiers: keep them tame.
    std::string key;
    for (char c : name)
      key += (llvm::isAlnum(c) || c == '_' || c == '.') ? c : '_';
    if (key.empty() || !llvm::isAlpha(key[0]))
      key = "w_" + key;
    attr = DenseResourceElementsAttr::get(
        type, key, HeapAsmResourceBlob::allocateAndCopyInferAlign(data));
  }
  return builder.create<ConstantOp>(loc, cast<TypedAttr>(attr));
}
