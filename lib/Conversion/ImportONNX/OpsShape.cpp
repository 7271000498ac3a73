//===- OpsShape.cpp - Reshape, Flatten, Squeeze, Transpose, Expand --------===//
//
// The ops that change only how a tensor's elements are arranged: Reshape,
// Flatten, Squeeze and Unsqueeze (all a yolo.reshape), Transpose, and
// Expand, which is evaluated on the host or must be the identity at run
// time.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

//===----------------------------------------------------------------------===//
// Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// Computes the result shape `out` of a reshaping op from the input shape
/// `in` of `numel` elements.
using ResultShapeFn = LogicalResult (*)(Importer &imp, ArrayRef<int64_t> in,
                                        int64_t numel,
                                        SmallVectorImpl<int64_t> &out);

static LogicalResult reshapeShape(Importer &imp, ArrayRef<int64_t> in,
                                  int64_t numel,
                                  SmallVectorImpl<int64_t> &out) {
  auto s = imp.intsInput(1, "shape");
  if (failed(s))
    return failure();
  bool allowZero = imp.intAttr("allowzero", 0) != 0;
  int64_t known = 1, inferred = -1;
  for (size_t k = 0; k < s->size(); ++k) {
    int64_t d = (*s)[k];
    if (d == 0 && !allowZero) {
      if (k >= in.size())
        return imp.failNode("shape " + shapeStr(*s) +
                            " copies a dimension the "
                            "input " +
                            shapeStr(in) + " does not have");
      d = in[k];
    }
    if (d == -1) {
      if (inferred >= 0)
        return imp.failNode("shape " + shapeStr(*s) + " has more than one -1");
      inferred = k;
      out.push_back(1);
      continue;
    }
    if (d < 0)
      return imp.failNode("invalid shape " + shapeStr(*s));
    if (d > 0 && known > std::numeric_limits<int64_t>::max() / d)
      return imp.failNode("shape " + shapeStr(*s) + " is too large");
    out.push_back(d);
    known *= d;
  }
  if (inferred >= 0) {
    if (known == 0 || numel % known != 0)
      return imp.failNode("cannot reshape " + shapeStr(in) + " to " +
                          shapeStr(*s));
    out[inferred] = numel / known;
  }
  return success();
}

static LogicalResult flattenShape(Importer &imp, ArrayRef<int64_t> in,
                                  int64_t numel,
                                  SmallVectorImpl<int64_t> &out) {
  int64_t rank = in.size(), axis = imp.intAttr("axis", 1);
  if (axis < -rank || axis > rank) // Flatten's axis may equal the rank
    return imp.failNode("axis " + Twine(axis) + " out of range for rank " +
                        Twine(rank));
  if (axis < 0)
    axis += rank;
  int64_t outer = 1;
  for (int64_t d = 0; d < axis && d < (int64_t)in.size(); ++d)
    outer *= in[d];
  out.assign({outer, outer ? numel / outer : 0});
  return success();
}

static LogicalResult unsqueezeShape(Importer &imp, ArrayRef<int64_t> in,
                                    ArrayRef<int64_t> axes,
                                    SmallVectorImpl<int64_t> &out) {
  int64_t rank = in.size() + axes.size();
  SmallVector<bool> isNew(rank, false);
  for (int64_t a : axes) {
    bool ok;
    int64_t n = imp.normAxis(a, rank, ok);
    if (!ok || isNew[n])
      return imp.failNode("invalid axes " + shapeStr(axes));
    isNew[n] = true;
  }
  for (int64_t d = 0, k = 0; d < rank; ++d)
    out.push_back(isNew[d] ? 1 : in[k++]);
  return success();
}

static LogicalResult squeezeShape(Importer &imp, ArrayRef<int64_t> in,
                                  ArrayRef<int64_t> axes,
                                  SmallVectorImpl<int64_t> &out) {
  SmallVector<bool> drop(in.size(), axes.empty());
  for (int64_t a : axes) {
    bool ok;
    int64_t n = imp.normAxis(a, in.size(), ok);
    if (!ok || in[n] != 1)
      return imp.failNode("cannot squeeze axis " + Twine(a) + " of shape " +
                          shapeStr(in));
    drop[n] = true;
  }
  for (size_t d = 0; d < in.size(); ++d)
    if (!drop[d] || in[d] != 1)
      out.push_back(in[d]);
  return success();
}

/// Squeeze and Unsqueeze, whose axes are read as their opset says.
template <LogicalResult (*AxesShape)(Importer &, ArrayRef<int64_t>,
                                     ArrayRef<int64_t>,
                                     SmallVectorImpl<int64_t> &),
          AxesFn Axes>
static LogicalResult shapeFromAxes(Importer &imp, ArrayRef<int64_t> in,
                                   int64_t numel,
                                   SmallVectorImpl<int64_t> &out) {
  auto axes = Axes(imp);
  if (failed(axes))
    return failure();
  return AxesShape(imp, in, *axes, out);
}

template <ResultShapeFn ResultShape>
static LogicalResult importReshapeLike(Importer &imp, bool host) {
  auto shapeOr = imp.shapeOf(0);
  if (failed(shapeOr))
    return failure();
  SmallVector<int64_t> in = *shapeOr;
  int64_t numel = 1;
  for (int64_t d : in)
    numel *= d;
  SmallVector<int64_t> out;
  if (failed(ResultShape(imp, in, numel, out)))
    return failure();
  int64_t outNumel = 1;
  for (int64_t d : out)
    outNumel *= d;
  if (outNumel != numel)
    return imp.failNode("cannot reshape " + shapeStr(in) + " to " +
                        shapeStr(out));
  if (host) {
    HostTensor t = *imp.constantInput(0);
    t.shape = out;
    imp.setOutput(0, std::move(t));
    return success();
  }
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  return imp.createOutput<ReshapeOp>(*x, ArrayRef<int64_t>(out));
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

static LogicalResult importTranspose(Importer &imp, bool host) {
  auto shapeOr = imp.shapeOf(0);
  if (failed(shapeOr))
    return failure();
  int64_t rank = shapeOr->size();
  std::vector<int64_t> perm;
  if (auto p = imp.intsAttr("perm"))
    perm = *p;
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  // The host evaluator trusts perm: a repeated axis would read out of bounds.
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return imp.failNode("perm " + shapeStr(perm) +
                          " is not a permutation of the " + Twine(rank) +
                          " dimensions");
    seen[p] = true;
  }
  if (static_cast<int64_t>(perm.size()) != rank)
    return imp.failNode("perm " + shapeStr(perm) +
                        " is not a permutation of the " + Twine(rank) +
                        " dimensions");
  if (host)
    return imp.setHostResult(evalTranspose(*imp.constantInput(0), perm),
                             /*checkLimit=*/false);
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  return imp.createOutput<TransposeOp>(*x, ArrayRef<int64_t>(perm));
}

//===----------------------------------------------------------------------===//
// Expand
//===----------------------------------------------------------------------===//

static LogicalResult foldExpand(Importer &imp) {
  auto a = imp.hostInput(0);
  auto s = imp.intsInput(1, "shape");
  if (!a || failed(s))
    return failure();
  for (int64_t d : *s)
    if (d <= 0 || d > imp.getOptions().maxHostElements)
      return imp.failNode("shape " + shapeStr(*s) + " is invalid");
  if (failed(imp.checkHostBroadcast(a->shape, *s)))
    return failure();
  return imp.setHostResult(evalExpand(*a, *s));
}

/// At run time only an Expand that changes nothing is supported.
static LogicalResult buildExpand(Importer &imp) {
  auto x = imp.runtimeInput(0);
  auto s = imp.intsInput(1, "shape");
  if (failed(x) || failed(s))
    return failure();
  SmallVector<int64_t> out;
  auto shape = cast<RankedTensorType>(x->getType()).getShape();
  if (!broadcastShapes(shape, *s, out))
    return imp.failNode("cannot expand " + shapeStr(shape) + " to " +
                        shapeStr(*s));
  if (ArrayRef<int64_t>(out) != shape)
    return imp.failNode("expanding a tensor (" + shapeStr(shape) + " to " +
                        shapeStr(out) + ") is not supported");
  imp.setOutput(0, *x);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::yolo::onnx_import::registerShapeOps(OpRegistry &registry) {
  registry.onOp("Reshape", 1, hostAndGraph<importReshapeLike<reshapeShape>>());
  constexpr auto flatten = importReshapeLike<flattenShape>;
  registry.onOp("Flatten", 1,
                OpHandler::hostOrGraph(binaryWhenTwoInputs<hostPath<flatten>>,
                                       graphPath<flatten>));

  // Squeeze and Unsqueeze take their axes as input 1 from opset 13 on.
  constexpr auto squeeze1 =
      importReshapeLike<shapeFromAxes<squeezeShape, axesAttribute>>;
  constexpr auto squeeze13 =
      importReshapeLike<shapeFromAxes<squeezeShape, axesInput>>;
  constexpr auto unsqueeze1 =
      importReshapeLike<shapeFromAxes<unsqueezeShape, axesAttribute>>;
  constexpr auto unsqueeze13 =
      importReshapeLike<shapeFromAxes<unsqueezeShape, axesInput>>;
  registry.onOp("Squeeze", 1, hostAndGraph<squeeze1>());
  registry.onOp("Squeeze", 13, hostAndGraph<squeeze13>());
  registry.onOp("Unsqueeze", 1, hostAndGraph<unsqueeze1>());
  registry.onOp("Unsqueeze", 13, hostAndGraph<unsqueeze13>());

  registry.onOp(
      "Transpose", 1,
      OpHandler::hostOrGraph(binaryWhenTwoInputs<hostPath<importTranspose>>,
                             graphPath<importTranspose>));
  registry.onOp("Expand", 1, OpHandler::hostOrGraph(foldExpand, buildExpand));
}
