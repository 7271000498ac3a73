//===- OpsSlice.cpp - Slice, Split, Concat and Gather ---------------------===//
//
// The ops that take parts of tensors or join them. Each evaluates on the
// host when its data is known (shape vectors) and becomes yolo.slice,
// yolo.split or yolo.concat otherwise; a runtime Gather must have known,
// contiguous indices and becomes a slice.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

namespace {
struct SliceArgs {
  std::vector<int64_t> starts, ends, axes, steps;
};
} // namespace

/// Slice-1: starts, ends and axes are attributes.
static LogicalResult sliceAttributes(Importer &imp, SliceArgs &args) {
  auto s = imp.intsAttr("starts"), e = imp.intsAttr("ends");
  if (!s || !e)
    return imp.failNode("missing attribute 'starts' or 'ends'");
  args.starts = *s;
  args.ends = *e;
  if (auto a = imp.intsAttr("axes"))
    args.axes = *a;
  return success();
}

/// Slice-10: starts, ends, axes and steps are inputs.
static LogicalResult sliceInputs(Importer &imp, SliceArgs &args) {
  auto s = imp.intsInput(1, "starts");
  if (failed(s))
    return failure();
  auto e = imp.intsInput(2, "ends");
  if (failed(e))
    return failure();
  args.starts = *s;
  args.ends = *e;
  auto a = imp.optionalIntsInput(3, "axes");
  if (failed(a))
    return failure();
  args.axes = *a;
  auto st = imp.optionalIntsInput(4, "steps");
  if (failed(st))
    return failure();
  args.steps = *st;
  return success();
}

template <LogicalResult (*ReadArgs)(Importer &, SliceArgs &)>
static LogicalResult importSlice(Importer &imp, bool host) {
  auto shapeOr = imp.shapeOf(0);
  if (failed(shapeOr))
    return failure();
  SmallVector<int64_t> shape = *shapeOr;
  int64_t rank = shape.size();
  SliceArgs args;
  if (failed(ReadArgs(imp, args)))
    return failure();
  std::vector<int64_t> &starts = args.starts, &ends = args.ends,
                       &axes = args.axes, &steps = args.steps;
  if (axes.empty())
    for (size_t k = 0; k < starts.size(); ++k)
      axes.push_back(k);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return imp.failNode("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> offsets(rank, 0), sizes(shape), strides(rank, 1);
  for (size_t k = 0; k < starts.size(); ++k) {
    bool ok;
    int64_t a = imp.normAxis(axes[k], rank, ok);
    if (!ok)
      return imp.failNode("slice axis " + Twine(axes[k]) + " out of range");
    int64_t dim = shape[a], step = steps[k];
    if (step <= 0)
      return imp.failNode("only positive slice steps are supported");
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v = v < -dim ? 0 : v + dim;
      return std::min(v, dim);
    };
    int64_t s = clampIndex(starts[k]), e = clampIndex(ends[k]);
    int64_t size = e > s ? (e - s - 1) / step + 1 : 0; // no overflow
    if (size == 0)
      return imp.failNode("slice of axis " + Twine(a) + " is empty");
    offsets[a] = s;
    sizes[a] = size;
    strides[a] = size == 1 ? 1 : step; // keeps offset arithmetic small
  }
  if (host)
    return imp.setHostResult(
        evalSlice(*imp.constantInput(0), offsets, sizes, strides),
        /*checkLimit=*/false);
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  return imp.createOutput<SliceOp>(*x, ArrayRef<int64_t>(offsets),
                                   ArrayRef<int64_t>(sizes),
                                   ArrayRef<int64_t>(strides));
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

namespace {
struct SplitArgs {
  /// The size of each piece; empty for equal pieces.
  std::vector<int64_t> sizes;
  /// The number of equal pieces.
  int64_t parts;
};
} // namespace

/// Split-2: the sizes are attribute `split`; one piece per output.
static LogicalResult splitAttribute(Importer &imp, SplitArgs &args) {
  if (auto s = imp.intsAttr("split"))
    args.sizes = *s;
  args.parts = imp.numOutputs();
  return success();
}

/// Split-13: the sizes are input 1; one piece per output.
static LogicalResult splitInput(Importer &imp, SplitArgs &args) {
  auto s = imp.optionalIntsInput(1, "split");
  if (failed(s))
    return failure();
  args.sizes = *s;
  args.parts = imp.numOutputs();
  return success();
}

/// Split-18: as Split-13, but attribute `num_outputs` counts equal pieces.
static LogicalResult splitInputOrCount(Importer &imp, SplitArgs &args) {
  if (failed(splitInput(imp, args)))
    return failure();
  args.parts = imp.intAttr("num_outputs", imp.numOutputs());
  return success();
}

template <LogicalResult (*ReadArgs)(Importer &, SplitArgs &)>
static LogicalResult importSplit(Importer &imp, bool host) {
  auto shapeOr = imp.shapeOf(0);
  if (failed(shapeOr))
    return failure();
  SmallVector<int64_t> shape = *shapeOr;
  bool ok;
  int64_t axis = imp.normAxis(imp.intAttr("axis", 0), shape.size(), ok);
  if (!ok)
    return imp.failNode("axis out of range for rank " + Twine(shape.size()));
  SplitArgs args;
  if (failed(ReadArgs(imp, args)))
    return failure();
  std::vector<int64_t> &sizes = args.sizes;
  int64_t outputs = imp.numOutputs();
  if (sizes.empty()) {
    int64_t parts = args.parts;
    if (parts <= 0)
      return imp.failNode("expected a positive number of outputs");
    int64_t chunk = (shape[axis] + parts - 1) / parts;
    for (int64_t k = 0, left = shape[axis]; k < parts; ++k, left -= chunk)
      sizes.push_back(std::min(chunk, left));
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return imp.failNode("split into " + Twine(sizes.size()) +
                        " pieces but the "
                        "node has " +
                        Twine(outputs) + " outputs");
  int64_t total = 0;
  for (int64_t s : sizes)
    total += std::clamp<int64_t>(s, 0, kMaxElements);
  if (host && total != shape[axis])
    return imp.failNode("split sizes " + shapeStr(sizes) +
                        " do not add up to " + "the extent of axis " +
                        Twine(axis) + " (" + Twine(shape[axis]) + ")");
  if (host) {
    auto t = imp.constantInput(0);
    int64_t offset = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
      if (sizes[k] <= 0)
        return imp.failNode("split sizes must be positive");
      SmallVector<int64_t> starts(shape.size(), 0), sz(shape),
          steps(shape.size(), 1);
      starts[axis] = offset;
      sz[axis] = sizes[k];
      offset += sizes[k];
      if (offset > shape[axis])
        return imp.failNode("split sizes exceed the axis extent");
      imp.setOutput(k, *evalSlice(*t, starts, sz, steps).value);
    }
    return success();
  }
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  auto r = imp.create<SplitOp>(*x, static_cast<uint64_t>(axis),
                               ArrayRef<int64_t>(sizes));
  if (failed(r))
    return failure();
  for (auto [k, v] : llvm::enumerate(r->getResults()))
    imp.setOutput(k, v);
  return success();
}
//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

static LogicalResult importConcat(Importer &imp, bool host) {
  if (imp.numInputs() == 0)
    return imp.failNode("expected at least one input");
  auto shapeOr = imp.shapeOf(0);
  if (failed(shapeOr))
    return failure();
  bool ok;
  const onnx::AttributeProto *axisAttr = imp.attr("axis");
  if (!axisAttr)
    return imp.failNode("missing attribute 'axis'");
  int64_t axis = imp.normAxis(axisAttr->i(), shapeOr->size(), ok);
  if (!ok)
    return imp.failNode("axis " + Twine(axisAttr->i()) +
                        " out of range for rank " + Twine(shapeOr->size()));
  if (host) {
    SmallVector<std::shared_ptr<HostTensor>> keep;
    SmallVector<const HostTensor *> ins;
    for (int k = 0; k < imp.numInputs(); ++k) {
      keep.push_back(imp.constantInput(k));
      if (!keep.back())
        return imp.failNode("missing input " + Twine(k));
      ins.push_back(keep.back().get());
    }
    return imp.setHostResult(evalConcat(ins, axis), /*checkLimit=*/false);
  }
  SmallVector<Value> ins;
  for (int k = 0; k < imp.numInputs(); ++k) {
    auto v = imp.runtimeInput(k);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  return imp.createOutput<ConcatOp>(ValueRange(ins),
                                    static_cast<uint64_t>(axis));
}
//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

static LogicalResult foldGather(Importer &imp) {
  auto a = imp.hostInput(0), idx = imp.hostInput(1);
  if (!a || !idx)
    return failure();
  bool ok;
  int64_t axis = imp.normAxis(imp.intAttr("axis", 0), a->shape.size(), ok);
  if (!ok)
    return imp.failNode("axis out of range for rank " + Twine(a->shape.size()));
  return imp.setHostResult(evalGather(*a, *idx, axis));
}

/// Gather of a runtime tensor with compile-time indices that form a
/// contiguous range: a slice (plus a reshape for a scalar index).
static LogicalResult buildGather(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  std::shared_ptr<HostTensor> idx = imp.constantInput(1);
  if (!idx)
    return imp.failNode("indices must be known at compile time");
  auto ty = cast<RankedTensorType>(x->getType());
  bool ok;
  int64_t axis = imp.normAxis(imp.intAttr("axis", 0), ty.getRank(), ok);
  if (!ok)
    return imp.failNode("axis out of range for rank " + Twine(ty.getRank()));
  int64_t dim = ty.getDimSize(axis);
  std::vector<int64_t> indices = idx->toInts();
  if (indices.empty() || idx->shape.size() > 1)
    return imp.failNode("only scalar or 1-D indices are supported");
  for (int64_t &i : indices) {
    if (i < 0)
      i += dim;
    if (i < 0 || i >= dim)
      return imp.failNode("index out of range for dimension of size " +
                          Twine(dim));
  }
  for (size_t k = 1; k < indices.size(); ++k)
    if (indices[k] != indices[0] + static_cast<int64_t>(k))
      return imp.failNode("only contiguous indices are supported");
  SmallVector<int64_t> offsets(ty.getRank(), 0), sizes(ty.getShape()),
      strides(ty.getRank(), 1);
  offsets[axis] = indices[0];
  sizes[axis] = indices.size();
  auto s =
      imp.create<SliceOp>(*x, ArrayRef<int64_t>(offsets),
                          ArrayRef<int64_t>(sizes), ArrayRef<int64_t>(strides));
  if (failed(s))
    return failure();
  Value result = s->getResult();
  if (idx->shape.empty()) {
    SmallVector<int64_t> shape(ty.getShape());
    shape.erase(shape.begin() + axis);
    auto r = imp.create<ReshapeOp>(result, ArrayRef<int64_t>(shape));
    if (failed(r))
      return failure();
    result = r->getResult();
  }
  imp.setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::yolo::onnx_import::registerSliceOps(OpRegistry &registry) {
  registry.onOp("Slice", 1, hostAndGraph<importSlice<sliceAttributes>>());
  registry.onOp("Slice", 10, hostAndGraph<importSlice<sliceInputs>>());
  registry.onOp("Split", 1, hostAndGraph<importSplit<splitAttribute>>());
  registry.onOp("Split", 13, hostAndGraph<importSplit<splitInput>>());
  registry.onOp("Split", 18, hostAndGraph<importSplit<splitInputOrCount>>());
  registry.onOp("Concat", 1, hostAndGraph<importConcat>());
  registry.onOp("Gather", 1, OpHandler::hostOrGraph(foldGather, buildGather));
}
