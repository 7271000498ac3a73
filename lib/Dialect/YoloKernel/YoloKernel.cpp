//===- YoloKernel.cpp - the ykernel dialect -------------------------------===//
//
// Registers the kernel ops and checks what every kernel relies on: the
// operand count, static shapes, and unit stride along the innermost
// dimension (kernels vectorize along it; other strides are free, which is
// how they read and write channel slices of a concat buffer in place).
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/YoloKernel/YoloKernel.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ykernel;

#include "yolo/Dialect/YoloKernel/YoloKernelDialect.cpp.inc"
#include "yolo/Dialect/YoloKernel/YoloKernelEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "yolo/Dialect/YoloKernel/YoloKernelAttrs.cpp.inc"

void YKernelDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "yolo/Dialect/YoloKernel/YoloKernelAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "yolo/Dialect/YoloKernel/YoloKernelOps.cpp.inc"
      >();
}

ViewLayout mlir::ykernel::getViewLayout(Value view) {
  ViewLayout l;
  (void)getStridesAndOffset(cast<MemRefType>(view.getType()), l.strides,
                            l.offset);
  return l;
}

Value mlir::ykernel::getViewSource(Value view) {
  Operation *def = view.getDefiningOp();
  if (auto sv = dyn_cast_or_null<memref::SubViewOp>(def))
    return sv.getSource();
  if (auto rc = dyn_cast_or_null<memref::ReinterpretCastOp>(def))
    return rc.getSource();
  return Value();
}

Value mlir::ykernel::getViewRoot(Value view) {
  while (Value source = getViewSource(view))
    view = source;
  return view;
}

Value mlir::ykernel::createReinterpretedView(OpBuilder &b, Location loc,
                                             Value view,
                                             ArrayRef<int64_t> shape,
                                             ArrayRef<int64_t> strides) {
  auto type = cast<MemRefType>(view.getType());
  int64_t offset = getViewLayout(view).offset;
  return b.create<memref::ReinterpretCastOp>(
      loc,
      MemRefType::get(shape, type.getElementType(),
                      StridedLayoutAttr::get(b.getContext(), offset, strides)),
      view, offset, shape, strides);
}

/// The checks all kernels share; `rank` (if not -1) is the rank the
/// output must have. `residual`: a convolution, which may take one input
/// more, of the output's shape.
static LogicalResult verifyKernel(Operation *op, int numInputs, int rank = -1,
                                  bool residual = false) {
  unsigned inputs = op->getNumOperands() - 1;
  if (residual && inputs == static_cast<unsigned>(numInputs) + 1) {
    auto r = cast<MemRefType>(op->getOperand(numInputs).getType());
    auto out = cast<MemRefType>(op->getOperands().back().getType());
    if (r.getShape() != out.getShape())
      return op->emitOpError()
             << "residual (input " << numInputs
             << ") must have the output's shape " << out << ", got " << r;
  } else if (residual && inputs != static_cast<unsigned>(numInputs)) {
    return op->emitOpError() << "takes " << numInputs << " inputs and "
                             << "optionally a residual, got " << inputs;
  } else if (numInputs >= 0 && inputs != static_cast<unsigned>(numInputs)) {
    return op->emitOpError()
           << "takes " << numInputs << " input(s), got " << inputs;
  }
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    auto type = cast<MemRefType>(v.getType());
    if (!type.hasStaticShape() || !type.getElementType().isF32())
      return op->emitOpError()
             << "operand " << i << " must be a static f32 memref, got " << type;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(getStridesAndOffset(type, strides, offset)) ||
        ShapedType::isDynamic(offset) ||
        llvm::any_of(strides, ShapedType::isDynamic))
      return op->emitOpError()
             << "operand " << i << " must have static strides, got " << type;
    if (!strides.empty() && strides.back() != 1)
      return op->emitOpError()
             << "operand " << i
             << ": strided access along the innermost dimension is not "
                "supported (stride "
             << strides.back() << ")";
  }
  if (rank >= 0 &&
      cast<MemRefType>(op->getOperands().back().getType()).getRank() != rank)
    return op->emitOpError() << "output must have rank " << rank;
  return success();
}

/// Register tiles: one [lanes, vectors, channels] array per target.
static LogicalResult verifyTiles(Operation *op,
                                 std::optional<ArrayAttr> tiles) {
  if (!tiles)
    return success();
  for (Attribute t : *tiles) {
    auto tile = dyn_cast<DenseI64ArrayAttr>(t);
    if (!tile || tile.size() != 3 ||
        llvm::any_of(tile.asArrayRef(), [](int64_t v) { return v < 0; }))
      return op->emitOpError()
             << "tiles must be [lanes, vectors, channels] arrays, got " << t;
  }
  return success();
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyKernel(*this, kNumInputs, 4, /*residual=*/true)) ||
      failed(verifyTiles(*this, getTiles())))
    return failure();
  if (getStrides().size() != 2 || getDilations().size() != 2 ||
      getPads().size() != 4)
    return emitOpError("expects 2 strides, 2 dilations and 4 pads");
  auto w = cast<MemRefType>(getInputs()[1].getType());
  auto out = cast<MemRefType>(getOutput().getType());
  if (w.getRank() == 5) {
    int64_t co = out.getDimSize(1), b = w.getDimSize(4);
    if (getGroups() != 1 || b < 1 || w.getDimSize(0) != (co + b - 1) / b)
      return emitOpError() << "weights in blocks of output channels ([ceil(Co "
                              "/ B), C, Kh, Kw, B]) need one group and Co = "
                           << co << ", got " << w;
  } else if (w.getRank() != 4) {
    return emitOpError() << "expects weights [Co, C/groups, Kh, Kw] or "
                            "[ceil(Co / B), C, Kh, Kw, B], got "
                         << w;
  }
  return success();
}

LogicalResult Conv1x1Op::verify() {
  if (failed(verifyKernel(*this, kNumInputs, 3, /*residual=*/true)) ||
      failed(verifyTiles(*this, getTiles())))
    return failure();
  auto in = cast<MemRefType>(getInputs()[0].getType());
  auto w = cast<MemRefType>(getInputs()[1].getType());
  auto out = cast<MemRefType>(getOutput().getType());
  if (in.getRank() != 3 || w.getRank() != 2 ||
      w.getDimSize(1) != in.getDimSize(1) ||
      w.getDimSize(0) != out.getDimSize(1) ||
      in.getDimSize(2) != out.getDimSize(2))
    return emitOpError("expects input [N, C, P], weights [Co, C] and output "
                       "[N, Co, P]");
  return success();
}

bool ConvWinogradOp::hasRuntimeWeights() {
  auto u = cast<MemRefType>(getInputs()[1].getType());
  return u.getRank() == 4 && u.getDimSize(0) == 3;
}

int64_t ConvWinogradOp::getWeightBlock() {
  auto u = cast<MemRefType>(getInputs()[1].getType());
  return u.getRank() == 4 && !hasRuntimeWeights() ? u.getDimSize(3) : 0;
}

LogicalResult ConvWinogradOp::verify() {
  if (failed(verifyKernel(*this, kNumInputs, 4, /*residual=*/true)) ||
      failed(verifyTiles(*this, getTiles())))
    return failure();
  int64_t m = getM();
  if (m != 2 && m != 4 && m != 6)
    return emitOpError() << "m must be 2, 4 or 6, got " << m;
  ArrayRef<int64_t> pads = getPads();
  if (pads.size() != 4 ||
      llvm::any_of(pads, [](int64_t p) { return p < 0 || p > 2; }))
    return emitOpError("pads must be [top, left, bottom, right] in 0..2");
  auto in = cast<MemRefType>(getInputs()[0].getType());
  auto u = cast<MemRefType>(getInputs()[1].getType());
  auto b = cast<MemRefType>(getInputs()[2].getType());
  auto out = cast<MemRefType>(getOutput().getType());
  int64_t t = m + 2;
  // Transformed weights [t * t, C, Co] or, in blocks of B output channels,
  // [t * t, ceil(Co / B), C, B]; or 3x3 ones [3, 3, C, Co].
  int64_t cin = in.getRank() == 4 ? in.getDimSize(1) : -1,
          cout = out.getRank() == 4 ? out.getDimSize(1) : -1;
  bool transformed = u.getRank() == 3 && u.getDimSize(0) == t * t &&
                     u.getDimSize(1) == cin && u.getDimSize(2) == cout;
  bool blocked =
      u.getRank() == 4 && u.getDimSize(0) == t * t && u.getDimSize(3) > 0 &&
      u.getDimSize(2) == cin &&
      u.getDimSize(1) == (cout + u.getDimSize(3) - 1) / u.getDimSize(3);
  bool raw = u.getRank() == 4 && u.getDimSize(0) == 3 && u.getDimSize(1) == 3 &&
             u.getDimSize(2) == cin && u.getDimSize(3) == cout;
  if (in.getRank() != 4 || out.getRank() != 4 ||
      (!transformed && !blocked && !raw) || b.getRank() != 1 ||
      b.getDimSize(0) != cout || in.getDimSize(0) != out.getDimSize(0))
    return emitOpError() << "expects input [N, C, H, W], weights transformed "
                            "[(m + 2)^2, C, Co] = ["
                         << t * t << ", " << cin << ", " << cout
                         << "] or [(m + 2)^2, ceil(Co / B), C, B] = [" << t * t
                         << ", ceil(" << cout << " / B), " << cin
                         << ", B] or 3x3 [3, 3, C, Co] = [3, 3, " << cin << ", "
                         << cout << "], bias [Co] and output [N, Co, Ho, Wo]";
  if (out.getDimSize(2) != in.getDimSize(2) + pads[0] + pads[2] - 2 ||
      out.getDimSize(3) != in.getDimSize(3) + pads[1] + pads[3] - 2)
    return emitOpError("output height and width must be the input's plus "
                       "the pads minus 2 (3x3, stride 1)");
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyKernel(*this, kNumInputs, 4)))
    return failure();
  ArrayRef<int64_t> st = getStrides(), pads = getPads(), dil = getDilations(),
                    op = getOutputPadding();
  if (st.size() != 2 || dil.size() != 2 || pads.size() != 4 || op.size() != 2)
    return emitOpError("expects 2 strides, 4 pads, 2 dilations and 2 "
                       "output_padding values");
  int64_t groups = static_cast<int64_t>(getGroups());
  if (llvm::any_of(st, [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(dil, [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(pads, [](int64_t v) { return v < 0; }) ||
      llvm::any_of(op, [](int64_t v) { return v < 0; }) || groups <= 0)
    return emitOpError("expects positive strides, dilations and groups and "
                       "non-negative pads and output_padding");
  auto in = cast<MemRefType>(getInputs()[0].getType()).getShape();
  auto w = cast<MemRefType>(getInputs()[1].getType()).getShape();
  auto b = cast<MemRefType>(getInputs()[2].getType()).getShape();
  auto out = cast<MemRefType>(getOutput().getType()).getShape();
  if (in.size() != 4 || w.size() != 4 || b.size() != 1 || w[0] != in[1] ||
      in[1] % groups != 0 || out[0] != in[0] || out[1] != w[1] * groups ||
      b[0] != out[1])
    return emitOpError("expects input [N, C, H, W], weights [C, Co/groups, "
                       "Kh, Kw], bias [Co] and output [N, Co, Ho, Wo] with C "
                       "and Co divisible by groups (")
           << groups << ")";
  for (int d = 0; d < 2; ++d) {
    int64_t extent = (in[2 + d] - 1) * st[d] + dil[d] * (w[2 + d] - 1) + 1 +
                     op[d] - pads[d] - pads[d + 2];
    if (out[2 + d] != extent)
      return emitOpError("output ")
             << (d == 0 ? "height " : "width ") << out[2 + d]
             << " disagrees with the strides, pads, dilations and "
                "output_padding, which give "
             << extent;
  }
  return success();
}

LogicalResult MatMulOp::verify() {
  if (failed(verifyKernel(*this, kNumInputs)))
    return failure();
  auto l = cast<MemRefType>(getInputs()[0].getType()).getShape();
  auto r = cast<MemRefType>(getInputs()[1].getType()).getShape();
  auto out = cast<MemRefType>(getOutput().getType()).getShape();
  size_t rank = out.size();
  if (rank < 2 || l.size() != rank || r.size() != rank)
    return emitOpError("expects lhs, rhs and output of one rank, 2 or more, "
                       "got ranks ")
           << l.size() << ", " << r.size() << " and " << rank;
  if (l[rank - 2] != out[rank - 2] || r[rank - 1] != out[rank - 1] ||
      l[rank - 1] != r[rank - 2])
    return emitOpError("expects lhs [..., M, K], rhs [..., K, N] and output "
                       "[..., M, N]");
  for (size_t d = 0; d + 2 < rank; ++d)
    if ((l[d] != out[d] && l[d] != 1) || (r[d] != out[d] && r[d] != 1))
      return emitOpError("batch dimension ")
             << d << " of the operands (" << l[d] << ", " << r[d]
             << ") must be the output's (" << out[d] << ") or 1";
  return success();
}

LogicalResult MaxPoolOp::verify() { return verifyKernel(*this, kNumInputs, 4); }
LogicalResult AvgPoolOp::verify() { return verifyKernel(*this, kNumInputs, 4); }
LogicalResult ResizeOp::verify() {
  if (failed(verifyKernel(*this, kNumInputs, 4)))
    return failure();
  ArrayRef<int64_t> in = cast<MemRefType>(getInputs()[0].getType()).getShape();
  ArrayRef<int64_t> out = cast<MemRefType>(getOutput().getType()).getShape();
  if (in.size() != 4 || in[0] != out[0] || in[1] != out[1])
    return emitOpError("resizes H and W of a 4-D input only");
  if (getMode() == yolo::ResizeMode::linear) {
    std::optional<ArrayRef<float>> scales = getCoordinateScales();
    if (getScales() || !scales || scales->size() != 2)
      return emitOpError("linear resizing takes 2 coordinate_scales and no "
                         "integer scales");
    for (float s : *scales)
      if (!(s > 0.0f) || !std::isfinite(s))
        return emitOpError("expected positive finite coordinate_scales, got ")
               << (*scales)[0] << ", " << (*scales)[1];
    return success();
  }
  std::optional<ArrayRef<int64_t>> scales = getScales();
  if (getCoordinateScales() ||
      getCoordinateMode() != yolo::CoordinateMode::asymmetric || !scales ||
      scales->size() != 2)
    return emitOpError("nearest resizing takes 2 integer scales and "
                       "asymmetric coordinates");
  for (int d = 0; d < 2; ++d)
    if ((*scales)[d] <= 0 || in[2 + d] * (*scales)[d] != out[2 + d])
      return emitOpError("output ")
             << (d == 0 ? "height " : "width ") << out[2 + d]
             << " is not the input's " << in[2 + d] << " times scale "
             << (*scales)[d];
  return success();
}
LogicalResult BinaryOp::verify() { return verifyKernel(*this, kNumInputs); }
LogicalResult UnaryOp::verify() { return verifyKernel(*this, kNumInputs); }
LogicalResult PadOp::verify() { return verifyKernel(*this, kNumInputs); }
LogicalResult TransposeOp::verify() { return verifyKernel(*this, kNumInputs); }
LogicalResult SoftmaxOp::verify() { return verifyKernel(*this, kNumInputs); }
LogicalResult ReduceSumOp::verify() { return verifyKernel(*this, kNumInputs); }

LogicalResult CopyOp::verify() {
  if (failed(verifyKernel(*this, kNumInputs)))
    return failure();
  if (cast<MemRefType>(getInputs()[0].getType()).getShape() !=
      cast<MemRefType>(getOutput().getType()).getShape())
    return emitOpError("copies between views of one shape");
  return success();
}

#define GET_OP_CLASSES
#include "yolo/Dialect/YoloKernel/YoloKernelOps.cpp.inc"
