//===- OpsConv.cpp - Conv and BatchNormalization --------------------------===//
//
// 2-D convolution (explicit, SAME and VALID padding, groups, dilation), 2-D
// transposed convolution (the same, plus output_padding and output_shape)
// and inference-mode batch normalization, which the optimizer folds into
// the convolution before it.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

/// What Conv and ConvTranspose read alike: the input, the weights and the
/// optional bias, 2-D only, kernel_shape agreeing with the weights, and the
/// strides and dilations (1 by default).
struct ConvOperands {
  Value x, w, bias;
  RankedTensorType xTy, wTy;
  SmallVector<int64_t> kernel;
  std::vector<int64_t> strides, dil;
};

static FailureOr<ConvOperands> convOperands(Importer &imp, StringRef what) {
  ConvOperands c;
  for (unsigned k = 0; k < 3; ++k) {
    if (k == 2 && !imp.hasInput(2))
      break;
    auto v = imp.runtimeInput(k);
    if (failed(v))
      return failure();
    (k == 0 ? c.x : k == 1 ? c.w : c.bias) = *v;
  }
  c.xTy = cast<RankedTensorType>(c.x.getType());
  c.wTy = cast<RankedTensorType>(c.w.getType());
  if (c.xTy.getRank() != 4 || c.wTy.getRank() != 4)
    return imp.failNode("only 2-D " + what + " are supported (input rank " +
                        Twine(c.xTy.getRank()) + ", weight rank " +
                        Twine(c.wTy.getRank()) + ")");
  if (c.bias && cast<RankedTensorType>(c.bias.getType()).getRank() != 1)
    return imp.failNode("bias must be 1-D");
  c.kernel.assign(c.wTy.getShape().begin() + 2, c.wTy.getShape().end());
  if (auto ks = imp.intsAttr("kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != ArrayRef<int64_t>(c.kernel))
      return imp.failNode("kernel_shape " + shapeStr(*ks) +
                          " disagrees with the weight shape " +
                          shapeStr(c.wTy.getShape()));
  c.strides = imp.intsAttr("strides").value_or(std::vector<int64_t>{1, 1});
  c.dil = imp.intsAttr("dilations").value_or(std::vector<int64_t>{1, 1});
  return c;
}

static LogicalResult buildConv(Importer &imp) {
  FailureOr<ConvOperands> ops = convOperands(imp, "convolutions");
  if (failed(ops))
    return failure();
  auto [x, w, bias, xTy, wTy, kernel, strides, dil] = *ops;
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
      x, w, bias, ArrayRef<int64_t>(strides), ArrayRef<int64_t>(onnxPads),
      ArrayRef<int64_t>(dil), static_cast<uint64_t>(imp.intAttr("group", 1)),
      Activation::none, APFloat(0.01f));
}

/// ConvTranspose (the same from opset 1 to 22 for 2-D). The pads that
/// output_shape or SAME_UPPER / SAME_LOWER imply are computed as the ONNX
/// specification gives them (and onnxruntime computes them): the full
/// result, (in - 1) * stride + dilation * (K - 1) + 1 + output_padding, is
/// cropped to output_shape (SAME: in * stride), the odd row or column off
/// the end for SAME_UPPER and off the beginning otherwise.
static LogicalResult buildConvTranspose(Importer &imp) {
  if (imp.numInputs() < 2 || imp.numInputs() > 3)
    return imp.failNode("expected 2 or 3 inputs, got " +
                        Twine(imp.numInputs()));
  // The weights and the bias are parameters of the kernel: the back end
  // keeps them with the model's weights.
  static const char *const names[] = {"", "weight (input 1)", "bias (input 2)"};
  for (unsigned k = 1; k < 3; ++k)
    if (imp.hasInput(k) && !imp.constantInput(k)) {
      if (imp.hasError())
        return failure();
      return imp.failNode("the " + Twine(names[k]) + " '" +
                          imp.node().input(k) +
                          "' must be a constant (an initializer or computed "
                          "from constants), not a runtime tensor");
    }
  FailureOr<ConvOperands> ops = convOperands(imp, "transposed convolutions");
  if (failed(ops))
    return failure();
  auto [x, w, bias, xTy, wTy, kernel, strides, dil] = *ops;
  std::optional<std::vector<int64_t>> padsAttr = imp.intsAttr("pads");
  std::vector<int64_t> pads =
      padsAttr.value_or(std::vector<int64_t>{0, 0, 0, 0});
  std::vector<int64_t> outPad =
      imp.intsAttr("output_padding").value_or(std::vector<int64_t>{0, 0});
  if (strides.size() != 2 || dil.size() != 2 || pads.size() != 4 ||
      outPad.size() != 2)
    return imp.failNode("expected 2 strides, 2 dilations, 4 pads and 2 "
                        "output_padding values");
  // Checked here, not only by the op: output_shape and SAME padding
  // compute with them.
  for (int d = 0; d < 2; ++d)
    if (strides[d] <= 0 || dil[d] <= 0 || outPad[d] < 0)
      return imp.failNode("expected positive strides and dilations and "
                          "non-negative output_padding, got strides " +
                          shapeStr(strides) + ", dilations " + shapeStr(dil) +
                          " and output_padding " + shapeStr(outPad));
  std::string autoPad = imp.stringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return imp.failNode("unsupported auto_pad '" + autoPad + "'");
  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  std::optional<std::vector<int64_t>> outShape = imp.intsAttr("output_shape");
  if (autoPad == "VALID" && !outShape)
    pads = {0, 0, 0, 0};
  if (outShape || same) {
    // The spatial extents asked for: output_shape ([H, W], or [N, C, H, W]
    // as onnxruntime also accepts), else in * stride for SAME.
    int64_t target[2];
    if (outShape) {
      int64_t cout;
      if (llvm::MulOverflow(wTy.getDimSize(1), imp.intAttr("group", 1), cout))
        cout = -1; // No output_shape matches: reported below.
      if (outShape->size() != 2 && outShape->size() != 4)
        return imp.failNode("expected output_shape of 2 spatial extents, got " +
                            shapeStr(*outShape));
      if (outShape->size() == 4 &&
          ((*outShape)[0] != xTy.getDimSize(0) || (*outShape)[1] != cout))
        return imp.failNode("output_shape " + shapeStr(*outShape) +
                            " disagrees with the batch and output channels [" +
                            Twine(xTy.getDimSize(0)) + ", " + Twine(cout) +
                            "]");
      target[0] = (*outShape)[outShape->size() - 2];
      target[1] = (*outShape)[outShape->size() - 1];
    }
    std::string what =
        outShape ? "output_shape " + shapeStr(*outShape) : autoPad;
    std::vector<int64_t> implied(4);
    for (int d = 0; d < 2; ++d) {
      int64_t in = xTy.getDimSize(2 + d), full, a, b;
      bool overflow = llvm::MulOverflow(in - 1, strides[d], a) ||
                      llvm::MulOverflow(dil[d], kernel[d] - 1, b) ||
                      llvm::AddOverflow(a, b, full) ||
                      llvm::AddOverflow(full, int64_t(1), full) ||
                      llvm::AddOverflow(full, outPad[d], full);
      if (!outShape)
        overflow |= llvm::MulOverflow(in, strides[d], target[d]);
      if (overflow)
        return imp.failNode("strides " + shapeStr(strides) + " and dilations " +
                            shapeStr(dil) + " overflow the output extents");
      int64_t total = full - target[d];
      if (target[d] <= 0 || total < 0)
        return imp.failNode(what + ": output " +
                            (d == 0 ? "height " : "width ") + Twine(target[d]) +
                            " is not within the full result's " + Twine(full) +
                            " (only output_padding extends it, at the end)");
      implied[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      implied[d + 2] = total - implied[d];
    }
    if (padsAttr && *padsAttr != std::vector<int64_t>{0, 0, 0, 0} &&
        *padsAttr != implied)
      return imp.failNode("pads " + shapeStr(*padsAttr) +
                          " disagree with the pads " + shapeStr(implied) +
                          " that " + what + " implies");
    pads = implied;
  }
  // ONNX pads are [top, left, bottom, right] for 2-D: the yolo order.
  return imp.createOutput<ConvTransposeOp>(
      x, w, bias, ArrayRef<int64_t>(strides), ArrayRef<int64_t>(pads),
      ArrayRef<int64_t>(dil), ArrayRef<int64_t>(outPad),
      static_cast<uint64_t>(imp.intAttr("group", 1)));
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
  registry.onOp("ConvTranspose", 1, OpHandler::graphOnly(buildConvTranspose));
  registry.onOp("BatchNormalization", 1, OpHandler::graphOnly(buildBatchNorm));
}
