//===- YoloOps.cpp - yolo dialect operations ------------------------------===//
//
// Result type inference (which is also the structural verification of most
// ops: every message names the op and shows the values found), custom
// verifiers and folders of the yolo ops.
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::yolo;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {
/// Reports a verification failure from inferReturnTypes in the same form as
/// an op verifier would ("'yolo.x' op ..."), when a location is available.
struct Reporter {
  std::optional<Location> loc;
  StringRef opName;
  LogicalResult operator()(const Twine &msg) const {
    return emitOptionalError(loc, "'", opName, "' op ", msg);
  }
};

std::string fmt(ArrayRef<int64_t> values) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(values, os, ", ");
  os << "]";
  return s;
}

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// An int64 that remembers whether computing it overflowed. Sizes derived
/// from attribute values (pads, scales, strides, ...) are computed with it,
/// so that absurd values are reported instead of wrapping around into a
/// plausible (or dynamic) result type.
struct Checked {
  int64_t value;
  bool overflow = false;
  Checked(int64_t value) : value(value) {}
  friend Checked operator+(Checked a, Checked b) {
    Checked r(0);
    r.overflow = a.overflow || b.overflow ||
                 llvm::AddOverflow(a.value, b.value, r.value);
    return r;
  }
  friend Checked operator*(Checked a, Checked b) {
    Checked r(0);
    r.overflow = a.overflow || b.overflow ||
                 llvm::MulOverflow(a.value, b.value, r.value);
    return r;
  }
};

bool isSplatOf(Value v, double value) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return false;
  if (!isa<FloatType>(attr.getElementType()))
    return false;
  return attr.getSplatValue<APFloat>().convertToDouble() == value;
}
} // namespace

/// The padded extents [H, W] of an NCHW input; pads are
/// [top, left, bottom, right].
static std::pair<Checked, Checked> paddedExtents(ArrayRef<int64_t> in,
                                                 ArrayRef<int64_t> pads) {
  return {Checked(in[2]) + pads[0] + pads[2],
          Checked(in[3]) + pads[1] + pads[3]};
}

/// Output size of a window of extent `window` sliding with `stride` over a
/// padded extent `padded` it fits in.
static int64_t windowOutput(int64_t padded, int64_t window, int64_t stride) {
  return (padded - window) / stride + 1;
}

static LogicalResult checkPositive(const Reporter &report, StringRef what,
                                   ArrayRef<int64_t> values) {
  for (int64_t v : values)
    if (v <= 0)
      return report("expected positive " + what + ", got " + fmt(values));
  return success();
}

static LogicalResult checkNonNegative(const Reporter &report, StringRef what,
                                      ArrayRef<int64_t> values) {
  for (int64_t v : values)
    if (v < 0)
      return report("expected non-negative " + what + ", got " + fmt(values));
  return success();
}

/// What conv2d and conv_transpose check alike: input and weight of one
/// element type, positive strides and dilations, non-negative pads.
template <typename Adaptor>
static LogicalResult checkConvAttributes(const Reporter &report,
                                         Adaptor adaptor) {
  if (tensorType(adaptor.getInput()).getElementType() !=
      tensorType(adaptor.getWeight()).getElementType())
    return report("expected input and weight of the same element type");
  if (failed(checkPositive(report, "strides", adaptor.getStrides())) ||
      failed(checkPositive(report, "dilations", adaptor.getDilations())) ||
      failed(checkNonNegative(report, "pads", adaptor.getPads())))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstantOp::verify() {
  // A blob is only checked once it is loaded: printing with elided
  // resources, or referencing a blob defined elsewhere, leaves none.
  auto resource = dyn_cast<DenseResourceElementsAttr>(getValue());
  if (!resource)
    return success();
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return success();
  auto type = cast<RankedTensorType>(getType());
  int64_t expected =
      type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  int64_t got = static_cast<int64_t>(blob->getData().size());
  if (got != expected)
    return emitOpError("expected dense_resource blob '")
           << resource.getRawHandle().getKey() << "' of " << expected
           << " bytes for " << type << ", got " << got << " bytes";
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  auto wTy = tensorType(adaptor.getWeight());
  ArrayRef<int64_t> in = inTy.getShape(), w = wTy.getShape();
  int64_t groups = static_cast<int64_t>(adaptor.getGroups());
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  if (failed(checkConvAttributes(report, adaptor)))
    return failure();
  if (groups <= 0 || in[1] % groups != 0 || w[0] % groups != 0)
    return report("expected groups (" + Twine(groups) +
                  ") to divide input channels (" + Twine(in[1]) +
                  ") and output channels (" + Twine(w[0]) + ")");
  if (w[1] * groups != in[1])
    return report("expected weight input channels x groups (" + Twine(w[1]) +
                  " x " + Twine(groups) + ") to equal input channels (" +
                  Twine(in[1]) + ")");
  if (w[2] <= 0 || w[3] <= 0)
    return report("expected a weight with positive kernel sizes, got " +
                  fmt(w));
  if (Value bias = adaptor.getBias()) {
    auto bTy = tensorType(bias);
    if (bTy.getDimSize(0) != w[0])
      return report("expected bias of " + Twine(w[0]) + " values, got " +
                    Twine(bTy.getDimSize(0)));
    if (bTy.getElementType() != inTy.getElementType())
      return report("expected bias of the input's element type");
  }
  // The extent of the dilated kernel.
  Checked effH = Checked(dilations[0]) * (w[2] - 1) + 1;
  Checked effW = Checked(dilations[1]) * (w[3] - 1) + 1;
  auto [padH, padW] = paddedExtents(in, pads);
  if (effH.overflow || effW.overflow || padH.overflow || padW.overflow)
    return report("dilations " + fmt(dilations) + " and pads " + fmt(pads) +
                  " overflow the window extents");
  if (effH.value > padH.value || effW.value > padW.value) {
    bool dilated = dilations[0] != 1 || dilations[1] != 1;
    return report((dilated ? "dilated kernel " : "kernel ") +
                  fmt({effH.value, effW.value}) +
                  " does not fit padded input " +
                  fmt({padH.value, padW.value}));
  }
  int64_t oh = windowOutput(padH.value, effH.value, strides[0]);
  int64_t ow = windowOutput(padW.value, effW.value, strides[1]);
  results.push_back(
      RankedTensorType::get({in[0], w[0], oh, ow}, inTy.getElementType()));
  return success();
}

int64_t Conv2DOp::getMACs() {
  auto out = getResult().getType().getShape();
  auto w = getWeight().getType().getShape();
  return out[0] * out[1] * out[2] * out[3] * w[1] * w[2] * w[3];
}

//===----------------------------------------------------------------------===//
// ConvTransposeOp
//===----------------------------------------------------------------------===//

LogicalResult
ConvTransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor adaptor,
                                  SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  auto wTy = tensorType(adaptor.getWeight());
  ArrayRef<int64_t> in = inTy.getShape(), w = wTy.getShape();
  int64_t groups = static_cast<int64_t>(adaptor.getGroups());
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> outPad = adaptor.getOutputPadding();
  if (failed(checkConvAttributes(report, adaptor)) ||
      failed(checkNonNegative(report, "output_padding", outPad)))
    return failure();
  for (int d = 0; d < 2; ++d)
    if (outPad[d] >= std::max(strides[d], dilations[d]))
      return report("expected output_padding " + fmt(outPad) +
                    " smaller than the strides " + fmt(strides) +
                    " or the dilations " + fmt(dilations));
  if (w[0] != in[1])
    return report("expected weight input channels (weight dimension 0, " +
                  Twine(w[0]) + ") to equal input channels (" + Twine(in[1]) +
                  ")");
  if (groups <= 0 || in[1] % groups != 0)
    return report("expected groups (" + Twine(groups) +
                  ") to divide input channels (" + Twine(in[1]) + ")");
  if (w[1] <= 0 || w[2] <= 0 || w[3] <= 0)
    return report("expected a weight with positive output channels and "
                  "kernel sizes, got " +
                  fmt(w));
  Checked outC = Checked(w[1]) * groups;
  if (outC.overflow)
    return report("weight output channels x groups (" + Twine(w[1]) + " x " +
                  Twine(groups) + ") overflow int64");
  if (Value bias = adaptor.getBias()) {
    auto bTy = tensorType(bias);
    if (bTy.getDimSize(0) != outC.value)
      return report("expected bias of " + Twine(outC.value) +
                    " values (weight output channels x groups), got " +
                    Twine(bTy.getDimSize(0)));
    if (bTy.getElementType() != inTy.getElementType())
      return report("expected bias of the input's element type");
  }
  // Full extent: (in - 1) * stride + dilation * (K - 1) + 1 + output
  // padding; the pads crop it.
  int64_t extent[2];
  for (int d = 0; d < 2; ++d) {
    Checked full = Checked(in[2 + d] - 1) * strides[d] +
                   Checked(dilations[d]) * (w[2 + d] - 1) + 1 + outPad[d];
    Checked cropped = Checked(pads[d]) + pads[d + 2];
    if (full.overflow || cropped.overflow)
      return report("strides " + fmt(strides) + ", dilations " +
                    fmt(dilations) + " and pads " + fmt(pads) +
                    " overflow the output extents");
    if (cropped.value >= full.value)
      return report("pads " + fmt(pads) + " crop the whole " +
                    (d == 0 ? "height" : "width") + " of the result (" +
                    Twine(full.value) + ")");
    extent[d] = full.value - cropped.value;
  }
  results.push_back(RankedTensorType::get(
      {in[0], outC.value, extent[0], extent[1]}, inTy.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  if (inTy.getRank() < 2)
    return report("expected input of rank >= 2, got rank " +
                  Twine(inTy.getRank()));
  int64_t channels = inTy.getDimSize(1);
  const char *names[] = {"scale", "bias", "mean", "var"};
  Value params[] = {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                    adaptor.getVar()};
  for (auto [name, param] : llvm::zip(names, params)) {
    auto ty = tensorType(param);
    if (ty.getDimSize(0) != channels)
      return report("expected " + Twine(name) + " of " + Twine(channels) +
                    " values (one per channel), got " +
                    Twine(ty.getDimSize(0)));
    if (ty.getElementType() != inTy.getElementType())
      return report("expected " + Twine(name) + " of the input's element type");
  }
  results.push_back(inTy);
  return success();
}

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

static LogicalResult inferBroadcast(const Reporter &report, Value lhs,
                                    Value rhs, SmallVectorImpl<Type> &results) {
  auto lTy = tensorType(lhs), rTy = tensorType(rhs);
  if (lTy.getElementType() != rTy.getElementType())
    return report("expected operands of the same element type");
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lTy.getShape(), rTy.getShape(),
                                          shape))
    return report("operand shapes " + fmt(lTy.getShape()) + " and " +
                  fmt(rTy.getShape()) + " are not broadcast compatible");
  results.push_back(RankedTensorType::get(shape, lTy.getElementType()));
  return success();
}

/// Folds `x op c` to `x` when c is the splat identity of the op and the
/// result type is x's type.
static OpFoldResult foldIdentity(Operation *op, double identity) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (lhs.getType() == op->getResult(0).getType() && isSplatOf(rhs, identity))
    return lhs;
  return {};
}

#define YOLO_BINARY_OP(OP, IDENTITY)                                           \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &results) {                                        \
    return inferBroadcast(Reporter{loc, getOperationName()}, adaptor.getLhs(), \
                          adaptor.getRhs(), results);                          \
  }                                                                            \
  OpFoldResult OP::fold(FoldAdaptor) {                                         \
    return foldIdentity(getOperation(), IDENTITY);                             \
  }
YOLO_BINARY_OP(AddOp, 0.0)
YOLO_BINARY_OP(SubOp, 0.0)
YOLO_BINARY_OP(MulOp, 1.0)
YOLO_BINARY_OP(DivOp, 1.0)
#undef YOLO_BINARY_OP

//===----------------------------------------------------------------------===//
// SoftmaxOp, ReduceSumOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getType().getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("expected axis in [0, ") << rank << "), got " << axis;
  return success();
}

namespace {
/// transpose(softmax(transpose(x, p1), a), p2) = transpose(softmax(x,
/// p1[a]), p1 o p2): the softmax runs on x, along the axis it meant there,
/// and the two transposes fold into one (none where they cancel). The
/// values are the same: each softmax sees the same elements in the same
/// order. Exporters write a softmax over a middle axis this way below
/// opset 13 (YOLO's DFL: 1x4x16xA -> 1xAx4x16, softmax, -> 1x16x4xA, two
/// copies of the box logits, 2 of gelan-t 640's 105 ms on one core; the
/// softmax along x's 16-wide axis is vectorized along A instead).
struct SoftmaxThroughTranspose : public OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    auto before = op.getInput().getDefiningOp<TransposeOp>();
    if (!before || !before->hasOneUse() || !op->hasOneUse() ||
        !isa<TransposeOp>(*op->user_begin()))
      return failure();
    int64_t axis = before.getPerm()[op.getAxis()];
    auto sm = rewriter.create<SoftmaxOp>(op.getLoc(), before.getInput(),
                                         static_cast<uint64_t>(axis));
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), sm.getResult(),
                                             before.getPermAttr());
    return success();
  }
};
} // namespace

void SoftmaxOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<SoftmaxThroughTranspose>(context);
}

LogicalResult ReduceSumOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  int64_t rank = inTy.getRank();
  llvm::SmallSet<int64_t, 4> axes;
  for (int64_t axis : adaptor.getAxes()) {
    if (axis < 0 || axis >= rank)
      return report("expected axes in [0, " + Twine(rank) + "), got " +
                    fmt(adaptor.getAxes()));
    if (!axes.insert(axis).second)
      return report("expected distinct axes, got " + fmt(adaptor.getAxes()));
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!axes.contains(d))
      shape.push_back(inTy.getDimSize(d));
    else if (adaptor.getKeepDims())
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, inTy.getElementType()));
  return success();
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getAxes(), [&](int64_t axis) {
        return getInput().getType().getDimSize(axis) == 1;
      }))
    return getInput();
  return {};
}

namespace {
/// reduce_sum over axis a of concat(x_0, ..., x_n) along a, every x_i one
/// wide along a: ((x_0 + x_1) + ...) + x_n, each x_i reshaped to the
/// result's shape. The kernel sums the stack from 0 up in the same order,
/// so the values are the same; the stacked tensor and the copies into it
/// are gone. Each add goes right after the later of its operands, so that
/// each piece is consumed (and its buffer freed) as soon as it exists
/// instead of all pieces living until the sum: gelan-e 640's CBFuse made
/// six 26 MB maps at 320x320 before its first add.
struct SumOfStack : public OpRewritePattern<ReduceSumOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReduceSumOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getAxes().size() != 1)
      return failure();
    int64_t axis = op.getAxes()[0];
    auto cat = op.getInput().getDefiningOp<ConcatOp>();
    if (!cat || static_cast<int64_t>(cat.getAxis()) != axis ||
        cat.getInputs().size() < 2)
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape() || llvm::any_of(cat.getInputs(), [&](Value v) {
          auto t = cast<RankedTensorType>(v.getType());
          return !t.hasStaticShape() || t.getDimSize(axis) != 1;
        }))
      return failure();
    Block *block = op->getBlock();
    // The op defining `v` in this block (null for a block argument or a
    // value from outside).
    auto defIn = [&](Value v) -> Operation * {
      Operation *d = v.getDefiningOp();
      return d && d->getBlock() == block ? d : nullptr;
    };
    OpBuilder::InsertionGuard guard(rewriter);
    Value sum;
    for (Value v : cat.getInputs()) {
      // Through the piece's unsqueeze: it may sit just before the concat,
      // after every piece (as torch.stack exports it).
      if (auto reshape = v.getDefiningOp<ReshapeOp>())
        v = reshape.getInput();
      Operation *last = defIn(v);
      if (sum) {
        Operation *s = defIn(sum);
        if (!last || (s && last->isBeforeInBlock(s)))
          last = s;
      }
      if (last)
        rewriter.setInsertionPointAfter(last);
      else
        rewriter.setInsertionPoint(op);
      if (v.getType() != type)
        v = rewriter.create<ReshapeOp>(
            op.getLoc(), v, rewriter.getDenseI64ArrayAttr(type.getShape()));
      sum = sum ? rewriter.create<AddOp>(op.getLoc(), sum, v).getResult() : v;
    }
    rewriter.replaceOp(op, sum);
    return success();
  }
};
} // namespace

void ReduceSumOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<SumOfStack>(context);
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto lTy = tensorType(adaptor.getLhs()), rTy = tensorType(adaptor.getRhs());
  if (lTy.getElementType() != rTy.getElementType())
    return report("expected operands of the same element type");
  if (lTy.getRank() < 2 || rTy.getRank() < 2)
    return report("expected operands of rank 2 or more, got " +
                  fmt(lTy.getShape()) + " and " + fmt(rTy.getShape()));
  ArrayRef<int64_t> l = lTy.getShape(), r = rTy.getShape();
  int64_t m = l[l.size() - 2], k = l.back(), k2 = r[r.size() - 2], n = r.back();
  if (k != k2)
    return report("expected the lhs columns (" + Twine(k) +
                  ") to equal the rhs rows (" + Twine(k2) + "), got " + fmt(l) +
                  " and " + fmt(r));
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(l.drop_back(2), r.drop_back(2),
                                          shape))
    return report("batch dimensions " + fmt(l.drop_back(2)) + " and " +
                  fmt(r.drop_back(2)) + " are not broadcast compatible");
  shape.push_back(m);
  shape.push_back(n);
  results.push_back(RankedTensorType::get(shape, lTy.getElementType()));
  return success();
}

int64_t MatMulOp::getMACs() {
  return getType().getNumElements() * getLhs().getType().getShape().back();
}

/// The batched product of row-major f32 operands `a` [..., M, K] and `b`
/// [..., K, N] into `shape` [..., M, N], batch dimensions broadcast; the
/// sum over k in increasing order, as the kernels compute it.
static std::vector<float> evalMatMul(ArrayRef<float> a, ArrayRef<int64_t> aS,
                                     ArrayRef<float> b, ArrayRef<int64_t> bS,
                                     ArrayRef<int64_t> shape) {
  int64_t rank = shape.size(), m = shape[rank - 2], n = shape[rank - 1],
          k = aS.back();
  int64_t batches = 1;
  for (int64_t d = 0; d < rank - 2; ++d)
    batches *= shape[d];
  std::vector<float> out(batches * m * n);
  // The matrix of batch `t` in an operand whose batch dimensions are
  // aligned right with the result's and broadcast where they are 1.
  auto matrixOf = [&](ArrayRef<int64_t> s, int64_t t) {
    int64_t index = 0, stride = 1, offset = rank - s.size();
    for (int64_t d = rank - 3; d >= 0; --d) {
      int64_t coord = t % shape[d];
      t /= shape[d];
      if (d >= offset) {
        int64_t extent = s[d - offset];
        index += (extent == 1 ? 0 : coord) * stride;
        stride *= extent;
      }
    }
    return index;
  };
  for (int64_t t = 0; t < batches; ++t) {
    const float *x = a.data() + matrixOf(aS, t) * m * k;
    const float *y = b.data() + matrixOf(bS, t) * k * n;
    float *z = out.data() + t * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int64_t p = 0; p < k; ++p)
          acc += x[i * k + p] * y[p * n + j];
        z[i * n + j] = acc;
      }
  }
  return out;
}

OpFoldResult MatMulOp::fold(FoldAdaptor adaptor) {
  if (!adaptor.getLhs() || !adaptor.getRhs() ||
      !getType().getElementType().isF32())
    return {};
  // A product of constants larger than this stays a kernel: folding it
  // would make the compiler do the model's work.
  constexpr int64_t kMaxFoldMACs = int64_t(1) << 24;
  if (getMACs() > kMaxFoldMACs)
    return {};
  std::optional<std::vector<float>> a = getElementsFloats(adaptor.getLhs()),
                                    b = getElementsFloats(adaptor.getRhs());
  if (!a || !b)
    return {};
  std::vector<float> data =
      evalMatMul(*a, getLhs().getType().getShape(), *b,
                 getRhs().getType().getShape(), getType().getShape());
  auto type = cast<RankedTensorType>(getType());
  // Stored as the importer stores constants (createFloatConstant).
  if (llvm::all_of(data, [&](float x) { return x == data.front(); }))
    return DenseElementsAttr::get(type, data.front());
  if (static_cast<int64_t>(data.size()) <= kInlineConstantLimit)
    return DenseElementsAttr::get(type, ArrayRef<float>(data));
  return DenseResourceElementsAttr::get(
      type, "matmul",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(data)));
}

//===----------------------------------------------------------------------===//
// Pooling and resampling
//===----------------------------------------------------------------------===//

static LogicalResult inferPool(const Reporter &report, Value input,
                               ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> pads,
                               SmallVectorImpl<Type> &results) {
  auto inTy = tensorType(input);
  if (failed(checkPositive(report, "kernel", kernel)) ||
      failed(checkPositive(report, "strides", strides)) ||
      failed(checkNonNegative(report, "pads", pads)))
    return failure();
  if (pads[0] >= kernel[0] || pads[2] >= kernel[0] || pads[1] >= kernel[1] ||
      pads[3] >= kernel[1])
    return report("expected pads " + fmt(pads) + " smaller than kernel " +
                  fmt(kernel));
  ArrayRef<int64_t> in = inTy.getShape();
  auto [padH, padW] = paddedExtents(in, pads);
  if (padH.overflow || padW.overflow)
    return report("pads " + fmt(pads) + " overflow the window extents");
  if (kernel[0] > padH.value || kernel[1] > padW.value)
    return report("kernel " + fmt(kernel) + " does not fit padded input " +
                  fmt({padH.value, padW.value}));
  int64_t oh = windowOutput(padH.value, kernel[0], strides[0]);
  int64_t ow = windowOutput(padW.value, kernel[1], strides[1]);
  results.push_back(
      RankedTensorType::get({in[0], in[1], oh, ow}, inTy.getElementType()));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferPool(Reporter{loc, getOperationName()}, adaptor.getInput(),
                   adaptor.getKernel(), adaptor.getStrides(), adaptor.getPads(),
                   results);
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferPool(Reporter{loc, getOperationName()}, adaptor.getInput(),
                   adaptor.getKernel(), adaptor.getStrides(), adaptor.getPads(),
                   results);
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  ArrayRef<int64_t> in = inTy.getShape();
  std::optional<ArrayRef<int64_t>> size = adaptor.getSize();
  std::optional<ArrayRef<float>> coordScales = adaptor.getCoordinateScales();
  if (adaptor.getMode() == ResizeMode::linear) {
    if (adaptor.getScales())
      return report("linear resizing takes 'size' and 'coordinate_scales', "
                    "not integer 'scales'");
    if (!size || !coordScales)
      return report("linear resizing needs 'size' and 'coordinate_scales'");
    // ODS rejects such values too, but builders infer before verifying.
    if (size->size() != 2 || coordScales->size() != 2)
      return report("expected 2 size and 2 coordinate_scales values, got " +
                    Twine(size->size()) + " and " + Twine(coordScales->size()));
    if (failed(checkPositive(report, "size", *size)))
      return failure();
    for (float s : *coordScales)
      if (!(s > 0.0f) || !std::isfinite(s)) {
        std::string found;
        llvm::raw_string_ostream os(found);
        os << "[" << (*coordScales)[0] << ", " << (*coordScales)[1] << "]";
        return report("expected positive finite coordinate_scales, got " +
                      found);
      }
    results.push_back(RankedTensorType::get(
        {in[0], in[1], (*size)[0], (*size)[1]}, inTy.getElementType()));
    return success();
  }
  if (size || coordScales)
    return report("'size' and 'coordinate_scales' are for linear resizing; "
                  "nearest takes integer 'scales'");
  if (adaptor.getCoordinateMode() != CoordinateMode::asymmetric)
    return report("nearest resizing takes asymmetric coordinates, got " +
                  stringifyCoordinateMode(adaptor.getCoordinateMode()));
  if (!adaptor.getScales())
    return report("nearest resizing needs integer 'scales'");
  ArrayRef<int64_t> scales = *adaptor.getScales();
  // ODS rejects such scales too, but builders infer before verifying.
  if (failed(checkPositive(report, "scales", scales)))
    return failure();
  Checked oh = Checked(in[2]) * scales[0], ow = Checked(in[3]) * scales[1];
  if (oh.overflow || ow.overflow)
    return report("scales " + fmt(scales) + " overflow the extents of input " +
                  fmt(in));
  results.push_back(RankedTensorType::get({in[0], in[1], oh.value, ow.value},
                                          inTy.getElementType()));
  return success();
}

OpFoldResult ResizeOp::fold(FoldAdaptor) {
  // A linear resize to the input's size with unit scales samples every
  // element at its own coordinate, whatever the coordinate mode.
  if (getMode() == ResizeMode::linear) {
    std::optional<ArrayRef<float>> coordScales = getCoordinateScales();
    if (getType() == getInput().getType() && coordScales &&
        llvm::all_of(*coordScales, [](float s) { return s == 1.0f; }))
      return getInput();
    return {};
  }
  std::optional<ArrayRef<int64_t>> scales = getScales();
  if (scales && llvm::all_of(*scales, [](int64_t s) { return s == 1; }))
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return report("expected at least one input");
  auto firstTy = tensorType(inputs.front());
  int64_t rank = firstTy.getRank();
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < 0 || axis >= rank)
    return report("expected axis in [0, " + Twine(rank) + "), got " +
                  Twine(axis));
  SmallVector<int64_t> shape(firstTy.getShape());
  Checked extent = 0;
  for (auto [i, v] : llvm::enumerate(inputs)) {
    auto ty = tensorType(v);
    if (ty.getElementType() != firstTy.getElementType())
      return report("expected inputs of the same element type");
    if (ty.getRank() != rank)
      return report("expected inputs of rank " + Twine(rank) + ", input " +
                    Twine(i) + " has rank " + Twine(ty.getRank()));
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && ty.getDimSize(d) != firstTy.getDimSize(d))
        return report("input " + Twine(i) + " has shape " + fmt(ty.getShape()) +
                      ", incompatible with " + fmt(firstTy.getShape()) +
                      " outside axis " + Twine(axis));
    extent = extent + ty.getDimSize(axis);
  }
  if (extent.overflow)
    return report("input extents along axis " + Twine(axis) +
                  " overflow int64");
  shape[axis] = extent.value;
  results.push_back(RankedTensorType::get(shape, firstTy.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

//===----------------------------------------------------------------------===//
// SliceOp, SplitOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  int64_t rank = inTy.getRank();
  ArrayRef<int64_t> offsets = adaptor.getOffsets(), sizes = adaptor.getSizes(),
                    strides = adaptor.getStrides();
  if (static_cast<int64_t>(offsets.size()) != rank ||
      static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(strides.size()) != rank)
    return report("expected " + Twine(rank) +
                  " offsets, sizes and strides, got " + Twine(offsets.size()) +
                  ", " + Twine(sizes.size()) + " and " + Twine(strides.size()));
  if (failed(checkPositive(report, "strides", strides)) ||
      failed(checkNonNegative(report, "offsets", offsets)) ||
      failed(checkPositive(report, "sizes", sizes)))
    return failure();
  for (int64_t d = 0; d < rank; ++d) {
    Checked last = Checked(offsets[d]) + Checked(sizes[d] - 1) * strides[d];
    if (last.overflow || last.value >= inTy.getDimSize(d))
      return report("slice of dimension " + Twine(d) + " (offset " +
                    Twine(offsets[d]) + ", size " + Twine(sizes[d]) +
                    ", stride " + Twine(strides[d]) +
                    ") runs past its extent " + Twine(inTy.getDimSize(d)));
  }
  results.push_back(RankedTensorType::get(sizes, inTy.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (axis < 0 || axis >= inTy.getRank())
    return report("expected axis in [0, " + Twine(inTy.getRank()) + "), got " +
                  Twine(axis));
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return report("expected at least one size");
  if (failed(checkPositive(report, "sizes", sizes)))
    return failure();
  Checked total = 0;
  for (int64_t s : sizes)
    total = total + s;
  if (total.overflow)
    return report("sizes " + fmt(sizes) +
                  " overflow int64, expected them to add up to the extent of "
                  "axis " +
                  Twine(axis) + " (" + Twine(inTy.getDimSize(axis)) + ")");
  if (total.value != inTy.getDimSize(axis))
    return report("sizes " + fmt(sizes) + " add up to " + Twine(total.value) +
                  ", expected the extent of axis " + Twine(axis) + " (" +
                  Twine(inTy.getDimSize(axis)) + ")");
  for (int64_t s : sizes) {
    SmallVector<int64_t> shape(inTy.getShape());
    shape[axis] = s;
    results.push_back(RankedTensorType::get(shape, inTy.getElementType()));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// PadOp, ReshapeOp, TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  int64_t rank = inTy.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return report("expected " + Twine(2 * rank) + " pad values, got " +
                  Twine(pads.size()));
  if (failed(checkNonNegative(report, "pads", pads)))
    return failure();
  SmallVector<int64_t> shape(inTy.getShape());
  for (int64_t d = 0; d < rank; ++d) {
    Checked extent = Checked(shape[d]) + pads[d] + pads[d + rank];
    if (extent.overflow)
      return report("pads " + fmt(pads) + " overflow the extents of input " +
                    fmt(inTy.getShape()));
    shape[d] = extent.value;
  }
  results.push_back(RankedTensorType::get(shape, inTy.getElementType()));
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return getInput();
  return {};
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  ArrayRef<int64_t> shape = adaptor.getShape();
  if (failed(checkPositive(report, "shape", shape)))
    return failure();
  Checked count = 1;
  for (int64_t d : shape)
    count = count * d;
  if (count.overflow || count.value != inTy.getNumElements())
    return report("cannot reshape " + fmt(inTy.getShape()) + " (" +
                  Twine(inTy.getNumElements()) + " elements) to " + fmt(shape) +
                  " (" +
                  (count.overflow ? Twine("too many") : Twine(count.value)) +
                  " elements)");
  results.push_back(RankedTensorType::get(shape, inTy.getElementType()));
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  return {};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = inTy.getRank();
  if (static_cast<int64_t>(perm.size()) != rank)
    return report("expected a permutation of " + Twine(rank) +
                  " dimensions, got " + fmt(perm));
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return report("expected a permutation of [0, " + Twine(rank) + "), got " +
                    fmt(perm));
    seen[p] = true;
    shape.push_back(inTy.getDimSize(p));
  }
  results.push_back(RankedTensorType::get(shape, inTy.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = true;
  for (auto [i, p] : llvm::enumerate(perm))
    identity &= static_cast<int64_t>(i) == p;
  if (identity)
    return getInput();
  // transpose(transpose(x, p1), p2) = transpose(x, p1 o p2).
  if (auto producer = getInput().getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> inner = producer.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner[p]);
    getInputMutable().assign(producer.getInput());
    setPerm(composed);
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// DecodeDetectionsOp
//===----------------------------------------------------------------------===//

LogicalResult
DecodeDetectionsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                     Adaptor adaptor,
                                     SmallVectorImpl<Type> &results) {
  Reporter report{loc, getOperationName()};
  auto inTy = tensorType(adaptor.getInput());
  if (inTy.getRank() != 3)
    return report("expected input [N, 4 * reg_max + classes, anchors], got " +
                  fmt(inTy.getShape()));
  ArrayRef<int64_t> strides = adaptor.getStrides(), gh = adaptor.getGridH(),
                    gw = adaptor.getGridW();
  if (strides.empty() || strides.size() != gh.size() ||
      strides.size() != gw.size())
    return report("expected one stride, grid_h and grid_w per level, got " +
                  Twine(strides.size()) + ", " + Twine(gh.size()) + " and " +
                  Twine(gw.size()));
  if (failed(checkPositive(report, "strides", strides)) ||
      failed(checkPositive(report, "grid_h", gh)) ||
      failed(checkPositive(report, "grid_w", gw)))
    return failure();
  Checked anchors = 0;
  for (auto [h, w] : llvm::zip(gh, gw))
    anchors = anchors + Checked(h) * w;
  if (anchors.overflow)
    return report("grid_h " + fmt(gh) + " and grid_w " + fmt(gw) +
                  " overflow the anchor count");
  if (anchors.value != inTy.getDimSize(2))
    return report("grids hold " + Twine(anchors.value) +
                  " anchors, input has " + Twine(inTy.getDimSize(2)));
  int64_t regMax = static_cast<int64_t>(adaptor.getRegMax());
  Checked boxChannels = Checked(4) * regMax;
  if (boxChannels.overflow || boxChannels.value >= inTy.getDimSize(1))
    return report("expected more than 4 * reg_max channels (reg_max " +
                  Twine(regMax) + "), got " + Twine(inTy.getDimSize(1)));
  int64_t classes = inTy.getDimSize(1) - boxChannels.value;
  results.push_back(RankedTensorType::get(
      {inTy.getDimSize(0), 4 + classes, anchors.value}, inTy.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "yolo/Dialect/Yolo/YoloOps.cpp.inc"
