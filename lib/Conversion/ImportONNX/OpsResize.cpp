//===- OpsResize.cpp - Resize, Upsample and Pad ---------------------------===//
//
// The ops that resize or pad the spatial dimensions: nearest-neighbour
// upsampling by integer factors and bilinear resizing by any factors
// (Upsample, Resize) and constant padding. Their scales, sizes and pads
// must be known at import time.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

namespace {
/// The scale factors of a resize, as one of its opset forms gives them.
struct ResizeArgs {
  /// Scales given as an attribute.
  SmallVector<double> scales;
  /// Scales or sizes given as inputs; null when absent.
  std::shared_ptr<HostTensor> scaleInput, sizes;
};
} // namespace

/// Upsample-9 and Resize-10: the scales are input 1, or Upsample-7's
/// `scales` attribute when there is no input 1 (Upsample-7 itself is older
/// than kMinOpset). The index map is floor(y / scale) whatever the
/// coordinate_transformation_mode says.
static LogicalResult readScales(Importer &imp, ResizeArgs &args) {
  args.scaleInput = imp.constantInput(1);
  if (!args.scaleInput) {
    if (const onnx::AttributeProto *a = imp.attr("scales")) {
      for (float f : a->floats())
        args.scales.push_back(f);
    }
  }
  return success();
}

/// Resize-11: inputs roi, scales and sizes, and a coordinate mapping that
/// must be one that equals floor(y / scale) for integer scales.
static LogicalResult readScalesOrSizes(Importer &imp, ResizeArgs &args) {
  std::string ctm =
      imp.stringAttr("coordinate_transformation_mode", "half_pixel");
  std::string nearest = imp.stringAttr("nearest_mode", "round_prefer_floor");
  bool exact =
      (ctm == "asymmetric" && nearest == "floor") ||
      ((ctm == "half_pixel" || ctm == "pytorch_half_pixel") &&
       (nearest == "round_prefer_floor" || nearest == "round_prefer_ceil"));
  if (!exact)
    return imp.failNode("coordinate_transformation_mode '" + ctm +
                        "' with nearest_mode '" + nearest +
                        "' is not supported (use asymmetric/floor)");
  args.scaleInput = imp.constantInput(2);
  args.sizes = imp.constantInput(3);
  if (imp.hasError())
    return failure();
  if ((imp.hasInput(2) && !args.scaleInput) || (imp.hasInput(3) && !args.sizes))
    return imp.failNode("scales and sizes must be known at compile time; pin "
                        "dynamic input dimensions with --input-shape");
  if (args.scaleInput && args.scaleInput->numel() == 0)
    args.scaleInput = nullptr;
  return success();
}

//===----------------------------------------------------------------------===//
// Linear (bilinear) resizing
//===----------------------------------------------------------------------===//

namespace {
/// What a linear resize takes from the node: its coordinate mapping and
/// its scales or sizes (null when absent).
struct LinearArgs {
  CoordinateMode coord = CoordinateMode::asymmetric;
  std::shared_ptr<HostTensor> scales, sizes;
};
} // namespace

/// Upsample-9 and Resize-10: the scales are input 1 and the coordinates
/// asymmetric (x / scale).
static LogicalResult readLinearScales(Importer &imp, LinearArgs &args) {
  args.coord = CoordinateMode::asymmetric;
  args.scales = imp.constantInput(1);
  if (imp.hasError())
    return failure();
  if (!args.scales)
    return imp.failNode("scales must be known at compile time; pin dynamic "
                        "input dimensions with --input-shape");
  return success();
}

/// Resize-11 on: coordinate_transformation_mode, scales (input 2) or sizes
/// (input 3), and from Resize-18 antialias, axes and
/// keep_aspect_ratio_policy.
static LogicalResult readLinearScalesOrSizes(Importer &imp, LinearArgs &args) {
  std::string ctm =
      imp.stringAttr("coordinate_transformation_mode", "half_pixel");
  if (ctm == "half_pixel")
    args.coord = CoordinateMode::half_pixel;
  else if (ctm == "pytorch_half_pixel")
    args.coord = CoordinateMode::pytorch_half_pixel;
  else if (ctm == "align_corners")
    args.coord = CoordinateMode::align_corners;
  else if (ctm == "asymmetric")
    args.coord = CoordinateMode::asymmetric;
  else
    return imp.failNode("coordinate_transformation_mode '" + ctm +
                        "' is not supported with mode 'linear' (use "
                        "half_pixel, pytorch_half_pixel, align_corners or "
                        "asymmetric)");
  if (imp.intAttr("antialias", 0) != 0)
    return imp.failNode("antialias is not supported with mode 'linear'");
  if (imp.attr("axes"))
    return imp.failNode("the 'axes' attribute is not supported");
  args.scales = imp.constantInput(2);
  args.sizes = imp.constantInput(3);
  if (imp.hasError())
    return failure();
  if ((imp.hasInput(2) && !args.scales) || (imp.hasInput(3) && !args.sizes))
    return imp.failNode("scales and sizes must be known at compile time; pin "
                        "dynamic input dimensions with --input-shape");
  if (args.scales && args.scales->numel() == 0)
    args.scales = nullptr;
  if (args.sizes && args.sizes->numel() == 0)
    args.sizes = nullptr;
  if (args.scales && args.sizes)
    return imp.failNode("scales and sizes are both given; ONNX allows one");
  std::string policy = imp.stringAttr("keep_aspect_ratio_policy", "stretch");
  if (args.sizes && policy != "stretch")
    return imp.failNode("keep_aspect_ratio_policy '" + policy +
                        "' is not supported (only 'stretch')");
  return success();
}

/// yolo.resize in mode linear. With scales, the output length is
/// floor(in * scale), computed in f32 as onnxruntime does, and the
/// coordinate mapping uses the scale as given; with sizes it uses
/// output / input.
template <LogicalResult (*ReadArgs)(Importer &, LinearArgs &)>
static LogicalResult buildLinearResize(Importer &imp, Value x) {
  LinearArgs args;
  if (failed(ReadArgs(imp, args)) || imp.hasError())
    return failure();
  ArrayRef<int64_t> in = cast<RankedTensorType>(x.getType()).getShape();
  SmallVector<int64_t> size;
  SmallVector<float> coordScales;
  if (args.sizes) {
    std::vector<int64_t> sizes = args.sizes->toInts();
    if (sizes.size() != 4)
      return imp.failNode("expected 4 sizes, got " + Twine(sizes.size()));
    if (sizes[0] != in[0] || sizes[1] != in[1] || sizes[2] <= 0 ||
        sizes[3] <= 0)
      return imp.failNode("sizes " + shapeStr(sizes) +
                          " must keep N and C of the input " + shapeStr(in) +
                          " and be positive");
    for (int d = 2; d < 4; ++d) {
      size.push_back(sizes[d]);
      coordScales.push_back(static_cast<float>(sizes[d]) /
                            static_cast<float>(in[d]));
    }
  } else {
    SmallVector<double> scales;
    if (args.scales)
      for (int64_t k = 0; k < args.scales->numel(); ++k)
        scales.push_back(args.scales->get(k));
    if (scales.size() != 4)
      return imp.failNode("expected 4 scales, got " + Twine(scales.size()));
    for (int d = 0; d < 4; ++d) {
      float s = static_cast<float>(scales[d]);
      float extent = static_cast<float>(in[d]) * s;
      // The NaN-safe test: also refuses NaN scales.
      bool ok = s > 0.0f && extent >= 1.0f &&
                extent < static_cast<float>(kMaxElements);
      if (!ok || (d < 2 && s != 1.0f))
        return imp.failNode("linear resizing needs scales of 1 for N and C "
                            "and positive scales for H and W giving an "
                            "output of at least 1, got scales " +
                            floatsStr(scales));
      if (d >= 2) {
        size.push_back(static_cast<int64_t>(extent));
        coordScales.push_back(s);
      }
    }
  }
  MLIRContext *ctx = x.getContext();
  return imp.createOutput<ResizeOp>(
      x, DenseI64ArrayAttr(), ResizeModeAttr::get(ctx, ResizeMode::linear),
      CoordinateModeAttr::get(ctx, args.coord),
      DenseI64ArrayAttr::get(ctx, size),
      DenseF32ArrayAttr::get(ctx, coordScales));
}

//===----------------------------------------------------------------------===//
// Nearest resizing, and the mode dispatch
//===----------------------------------------------------------------------===//

template <LogicalResult (*ReadArgs)(Importer &, ResizeArgs &),
          LogicalResult (*ReadLinearArgs)(Importer &, LinearArgs &)>
static LogicalResult buildResize(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  auto xTy = cast<RankedTensorType>(x->getType());
  if (xTy.getRank() != 4)
    return imp.failNode("only 4-D (NCHW) resizing is supported");
  std::string mode = imp.stringAttr("mode", "nearest");
  if (mode == "linear")
    return buildLinearResize<ReadLinearArgs>(imp, *x);
  if (mode != "nearest")
    return imp.failNode("mode '" + mode +
                        "' is not supported (only 'nearest' and 'linear')");
  ResizeArgs args;
  if (failed(ReadArgs(imp, args)) || imp.hasError())
    return failure();
  SmallVector<double> scales = args.scales;
  if (std::shared_ptr<HostTensor> sc = args.scaleInput)
    for (int64_t k = 0; k < sc->numel(); ++k)
      scales.push_back(sc->get(k));
  std::shared_ptr<HostTensor> sizes = args.sizes;
  SmallVector<int64_t> factors;
  if (sizes && sizes->numel() > 0) {
    if (imp.attr("axes"))
      return imp.failNode("the 'axes' attribute is not supported");
    if (sizes->numel() != 4)
      return imp.failNode("expected 4 sizes, got " + Twine(sizes->numel()));
    for (int d = 0; d < 4; ++d) {
      int64_t out = sizes->getInt(d), in = xTy.getDimSize(d);
      if (out <= 0 || out % in != 0 || (d < 2 && out != in))
        return imp.failNode("sizes " + shapeStr(sizes->toInts()) +
                            " are not integer multiples of the spatial input "
                            "dimensions " +
                            shapeStr(xTy.getShape()));
      if (d >= 2)
        factors.push_back(out / in);
    }
  } else {
    if (scales.size() != 4)
      return imp.failNode("expected 4 scales, got " + Twine(scales.size()));
    for (int d = 0; d < 4; ++d) {
      double s = scales[d];
      if (s != std::floor(s) || s < 1 || s > kMaxElements || (d < 2 && s != 1))
        return imp.failNode("only integer upsampling of H and W is supported, "
                            "got scales " +
                            floatsStr(scales));
      if (d >= 2)
        factors.push_back(static_cast<int64_t>(s));
    }
  }
  MLIRContext *ctx = x->getContext();
  return imp.createOutput<ResizeOp>(
      *x, DenseI64ArrayAttr::get(ctx, factors),
      ResizeModeAttr::get(ctx, ResizeMode::nearest),
      CoordinateModeAttr::get(ctx, CoordinateMode::asymmetric),
      DenseI64ArrayAttr(), DenseF32ArrayAttr());
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// Pad-2: `pads` and `value` are attributes.
static LogicalResult padAttributes(Importer &imp, int64_t rank,
                                   std::vector<int64_t> &pads, float &value) {
  auto p = imp.intsAttr("pads");
  if (!p)
    return imp.failNode("missing attribute 'pads'");
  pads = *p;
  value = imp.floatAttr("value", 0.0f);
  return success();
}

/// Pad-11: pads and constant_value are inputs; Pad-18's axes input selects
/// the padded axes.
static LogicalResult padInputs(Importer &imp, int64_t rank,
                               std::vector<int64_t> &pads, float &value) {
  auto p = imp.intsInput(1, "pads");
  if (failed(p))
    return failure();
  pads = *p;
  if (imp.hasInput(2)) {
    std::shared_ptr<HostTensor> v = imp.constantInput(2);
    if (!v || v->numel() != 1)
      return imp.failNode("constant_value must be a compile-time scalar");
    value = static_cast<float>(v->get(0));
  }
  if (imp.hasInput(3)) {
    auto axes = imp.intsInput(3, "axes");
    if (failed(axes))
      return failure();
    std::vector<int64_t> full(2 * rank, 0);
    if (pads.size() != 2 * axes->size())
      return imp.failNode("expected 2 pads per axis");
    for (size_t k = 0; k < axes->size(); ++k) {
      bool ok;
      int64_t a = imp.normAxis((*axes)[k], rank, ok);
      if (!ok)
        return imp.failNode("pad axis out of range");
      full[a] = pads[k];
      full[a + rank] = pads[k + axes->size()];
    }
    pads = full;
  }
  return success();
}

template <LogicalResult (*ReadPads)(Importer &, int64_t, std::vector<int64_t> &,
                                    float &)>
static LogicalResult buildPad(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  std::string mode = imp.stringAttr("mode", "constant");
  if (mode != "constant")
    return imp.failNode("only constant padding is supported, got '" + mode +
                        "'");
  std::vector<int64_t> pads;
  float value = 0.0f;
  if (failed(ReadPads(imp, rank, pads, value)))
    return failure();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return imp.failNode("expected " + Twine(2 * rank) + " pads, got " +
                        Twine(pads.size()));
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return imp.failNode("negative pads (cropping) are not supported");
  return imp.createOutput<PadOp>(*x, ArrayRef<int64_t>(pads), APFloat(value));
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::yolo::onnx_import::registerResizeOps(OpRegistry &registry) {
  registry.onOp(
      "Upsample", 1,
      OpHandler::graphOnly(buildResize<readScales, readLinearScales>));
  registry.onOp(
      "Resize", 1,
      OpHandler::graphOnly(buildResize<readScales, readLinearScales>));
  registry.onOp("Resize", 11,
                OpHandler::graphOnly(
                    buildResize<readScalesOrSizes, readLinearScalesOrSizes>));
  registry.onOp("Pad", 1, OpHandler::graphOnly(buildPad<padAttributes>));
  registry.onOp("Pad", 11, OpHandler::graphOnly(buildPad<padInputs>));
}
