//===- OpsConv.cpp - Conv and BatchNormalization --------------------------===//
//
// 2-D convolution (explicit, SAME and VALID padding, groups, dilation) and
// inference-mode batch normalization, which the optimizer folds into the
// convolution before it.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

static LogicalResult buildConv(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  auto w = imp.runtimeInput(1);
  if (failed(w))
    return failure();
  Value bias;
  if (imp.hasInput(2)) {
    auto b = imp.runtimeInput(2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto xTy = cast<RankedTensorType>(x->getType());
  auto wTy = cast<RankedTensorType>(w->getType());
  if (xTy.getRank() != 4 || wTy.getRank() != 4)
    return imp.failNode("only 2-D convolutions are supported (input rank " +
                        Twine(xTy.getRank()) + ", weight rank " +
                        Twine(wTy.getRank()) + ")");
  if (bias && cast<RankedTensorType>(bias.getType()).getRank() != 1)
    return imp.failNode("bias must be 1-D");
  SmallVector<int64_t> kernel(wTy.getShape().drop_front(2));
  if (auto ks = imp.intsAttr("kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != ArrayRef<int64_t>(kernel))
      return imp.failNode("kernel_shape " + shapeStr(*ks) +
                          " disagrees with the weight shape " +
                          shapeStr(wTy.getShape()));
  std::vector<int64_t> strides =
      imp.intsAttr("strides").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> dil =
      imp.intsAttr("dilations").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> onnxPads =
      imp.intsAttr("pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (strides.size() != 2 || dil.size() != 2 || onnxPads.size() != 4)
    return imp.failNode("expected 2 strides, 2 dilations and 4 pads");
  // Checked here, not only by the op: SAME padding divides by the strides.
  for (int d = 0; d < 2; ++d)
    if (strides[d] <= 0 || dil[d] <= 0)
      return imp.failNode(
          "expected positive strides and dilations, got strides " +
          shapeStr(strides) + " and dilations " + shapeStr(dil));
  std::string autoPad = imp.stringAttr("auto_pad", "NOTSET");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = xTy.getDimSize(2 + d);
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * strides[d] + dil[d] * (kernel[d] - 1) + 1 - in);
      int64_t small = total / 2, big = total - small;
      onnxPads[d] = autoPad == "SAME_UPPER" ? small : big;
      onnxPads[d + 2] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad == "VALID") {
    onnxPads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return imp.failNode("unsupported auto_pad '" + autoPad + "'");
  }
  // ONNX pads are [top, left, bottom, right] for 2-D: the yolo order.
  return imp.createOutput<Conv2DOp>(
      *x, *w, bias, ArrayRef<int64_t>(strides), ArrayRef<int64_t>(onnxPads),
      ArrayRef<int64_t>(dil), static_cast<uint64_t>(imp.intAttr("group", 1)),
      Activation::none, APFloat(0.01f));
}

static LogicalResult buildBatchNorm(Importer &imp) {
  if (imp.numInputs() != 5)
    return imp.failNode("expected 5 inputs, got " + Twine(imp.numInputs()));
  for (int k = 1; k < imp.numOutputs(); ++k)
    if (!imp.node().output(k).empty())
      return imp.failNode("training-mode outputs (running mean/var) are not "
                          "supported");
  if (imp.intAttr("training_mode", 0) != 0)
    return imp.failNode("training_mode=1 is not supported");
  SmallVector<Value> ins;
  for (unsigned k = 0; k < 5; ++k) {
    auto v = imp.runtimeInput(k);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  for (unsigned k = 1; k < 5; ++k)
    if (cast<RankedTensorType>(ins[k].getType()).getRank() != 1)
      return imp.failNode("expected 1-D scale, bias, mean and var");
  return imp.createOutput<BatchNormOp>(
      ins[0], ins[1], ins[2], ins[3], ins[4],
      APFloat(imp.floatAttr("epsilon", 1e-5f)));
}
void mlir::yolo::onnx_import::registerConvOps(OpRegistry &registry) {
  registry.onOp("Conv", 1, OpHandler::graphOnly(buildConv));
  registry.onOp("BatchNormalization", 1, OpHandler::graphOnly(buildBatchNorm));
}
