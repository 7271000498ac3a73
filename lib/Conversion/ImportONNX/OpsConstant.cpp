//===- OpsConstant.cpp - Constant, Shape, Range, Identity ----------------===//
//
// Ops whose results are known at import time: Constant, Shape and Size
// whatever their inputs are, Identity and Dropout (inference) as aliases of
// their input, and ConstantOfShape and Range (anchor grids) when their
// inputs are known. None of them becomes a yolo op.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

static LogicalResult importConstant(Importer &imp) {
  if (const onnx::AttributeProto *a = imp.attr("value")) {
    auto t = imp.convertTensor(a->t(), "constant");
    if (failed(t))
      return failure();
    imp.setOutput(0, std::move(*t));
    return success();
  }
  if (const onnx::AttributeProto *a = imp.attr("value_float")) {
    imp.setOutput(0, HostTensor::floats({}, {a->f()}));
    return success();
  }
  if (const onnx::AttributeProto *a = imp.attr("value_floats")) {
    std::vector<float> d(a->floats().begin(), a->floats().end());
    imp.setOutput(0, HostTensor::floats({(int64_t)d.size()}, d));
    return success();
  }
  if (const onnx::AttributeProto *a = imp.attr("value_int")) {
    imp.setOutput(0, HostTensor::ints({}, {a->i()}));
    return success();
  }
  if (const onnx::AttributeProto *a = imp.attr("value_ints")) {
    std::vector<int64_t> d(a->ints().begin(), a->ints().end());
    imp.setOutput(0, HostTensor::ints({(int64_t)d.size()}, d));
    return success();
  }
  return imp.failNode("missing attribute 'value' (or value_float(s), "
                      "value_int(s))");
}

/// Shape, with Shape-15's start and end (read at every opset).
static LogicalResult importShape(Importer &imp) {
  auto shape = imp.shapeOf(0);
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  int64_t start = imp.intAttr("start", 0), end = imp.intAttr("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  std::vector<int64_t> dims(shape->begin() + start,
                            shape->begin() + std::max(start, end));
  imp.setOutput(0, HostTensor::ints({(int64_t)dims.size()}, dims));
  return success();
}

static LogicalResult importSize(Importer &imp) {
  auto shape = imp.shapeOf(0);
  if (failed(shape))
    return failure();
  int64_t n = 1;
  for (int64_t d : *shape)
    n *= d;
  imp.setOutput(0, HostTensor::ints({}, {n}));
  return success();
}

/// Identity and Dropout: the output names what the input names (a runtime
/// tensor or a host constant alike).
static LogicalResult importIdentity(Importer &imp) {
  if (!imp.hasInput(0))
    return imp.failNode("missing input 0");
  Entry *e = imp.lookup(imp.node().input(0));
  if (!e)
    return imp.failNode("input '" + imp.node().input(0) + "' is undefined");
  imp.setOutputEntry(0, *e);
  return success();
}

static LogicalResult foldConstantOfShape(Importer &imp) {
  auto s = imp.hostInput(0);
  if (!s)
    return failure();
  std::vector<int64_t> shape = s->toInts();
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && numel > imp.getOptions().maxHostElements / d))
      return imp.failNode("shape " + shapeStr(shape) +
                          " is invalid or too large");
    numel *= d;
  }
  HostTensor value = HostTensor::floats({1}, {0.0f});
  if (const onnx::AttributeProto *a = imp.attr("value")) {
    auto t = imp.convertTensor(a->t(), "value");
    if (failed(t))
      return failure();
    if (t->numel() != 1)
      return imp.failNode("attribute 'value' must hold one element");
    value = std::move(*t);
  }
  value.shape.clear();
  return imp.setHostResult(evalExpand(value, shape));
}

static LogicalResult foldRange(Importer &imp) {
  auto s = imp.hostInput(0), l = imp.hostInput(1), d = imp.hostInput(2);
  if (!s || !l || !d)
    return failure();
  if (s->numel() != 1 || l->numel() != 1 || d->numel() != 1)
    return imp.failNode("expected scalar start, limit and delta");
  double count = std::ceil((l->get(0) - s->get(0)) / d->get(0));
  if (!std::isfinite(count))
    return imp.failNode("range from " + floatsStr({s->get(0)}) + " to " +
                        floatsStr({l->get(0)}) + " by " +
                        floatsStr({d->get(0)}) + " has no finite length");
  if (count > imp.getOptions().maxHostElements)
    return imp.failNode("range of " + llvm::formatv("{0:e2}", count) +
                        " elements is too large");
  return imp.setHostResult(evalRange(*s, *l, *d));
}

void mlir::yolo::onnx_import::registerConstantOps(OpRegistry &registry) {
  registry.onOp("Constant", 1, OpHandler::importTime(importConstant));
  registry.onOp("Shape", 1, OpHandler::importTime(importShape));
  registry.onOp("Size", 1, OpHandler::importTime(importSize));
  registry.onOp("Identity", 1, OpHandler::importTime(importIdentity));
  registry.onOp("Dropout", 1, OpHandler::importTime(importIdentity));
  registry.onOp("ConstantOfShape", 1,
                OpHandler::hostOnly(binaryWhenTwoInputs<foldConstantOfShape>));
  registry.onOp("Range", 1,
                OpHandler::hostOnly(binaryWhenTwoInputs<foldRange>));
}
