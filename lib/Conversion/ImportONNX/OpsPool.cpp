//===- OpsPool.cpp - MaxPool and AveragePool ------------------------------===//
//
// 2-D max and average pooling, without dilation or the Indices output;
// ceil_mode only where it does not change the result.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

template <bool IsMax> static LogicalResult buildPool(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  auto xTy = cast<RankedTensorType>(x->getType());
  if (xTy.getRank() != 4)
    return imp.failNode("only 2-D pooling is supported");
  if (imp.numOutputs() > 1 && !imp.node().output(1).empty())
    return imp.failNode("the Indices output is not supported");
  auto kernel = imp.intsAttr("kernel_shape");
  if (!kernel)
    return imp.failNode("missing attribute 'kernel_shape'");
  if (kernel->size() != 2)
    return imp.failNode("expected 2 kernel dimensions, got " +
                        Twine(kernel->size()));
  std::vector<int64_t> strides =
      imp.intsAttr("strides").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> pads =
      imp.intsAttr("pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (strides.size() != 2 || pads.size() != 4)
    return imp.failNode("expected 2 strides and 4 pads");
  // Checked here, not only by the op: ceil_mode divides by the strides.
  if (strides[0] <= 0 || strides[1] <= 0)
    return imp.failNode("expected positive strides, got " + shapeStr(strides));
  if (auto d = imp.intsAttr("dilations"))
    if (llvm::any_of(*d, [](int64_t v) { return v != 1; }))
      return imp.failNode("dilated pooling is not supported");
  std::string autoPad = imp.stringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    return imp.failNode("unsupported auto_pad '" + autoPad + "'");
  if (autoPad == "VALID")
    pads = {0, 0, 0, 0};
  if (imp.intAttr("ceil_mode", 0) != 0) {
    // ceil_mode only matters when the last window is partial.
    for (int d = 0; d < 2; ++d) {
      int64_t span =
          xTy.getDimSize(2 + d) + pads[d] + pads[d + 2] - (*kernel)[d];
      if (span >= 0 && span % strides[d] != 0)
        return imp.failNode("ceil_mode=1 with a partial last window is not "
                            "supported");
    }
  }
  Value result;
  if constexpr (IsMax) {
    auto r = imp.create<MaxPoolOp>(*x, ArrayRef<int64_t>(*kernel),
                                   ArrayRef<int64_t>(strides),
                                   ArrayRef<int64_t>(pads));
    if (failed(r))
      return failure();
    result = r->getResult();
  } else {
    auto r = imp.create<AvgPoolOp>(
        *x, ArrayRef<int64_t>(*kernel), ArrayRef<int64_t>(strides),
        ArrayRef<int64_t>(pads), imp.intAttr("count_include_pad", 0) != 0);
    if (failed(r))
      return failure();
    result = r->getResult();
  }
  imp.setOutput(0, result);
  return success();
}

void mlir::yolo::onnx_import::registerPoolOps(OpRegistry &registry) {
  registry.onOp("MaxPool", 1, OpHandler::graphOnly(buildPool</*IsMax=*/true>));
  registry.onOp("AveragePool", 1,
                OpHandler::graphOnly(buildPool</*IsMax=*/false>));
}
