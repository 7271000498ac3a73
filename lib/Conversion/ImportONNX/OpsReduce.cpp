//===- OpsReduce.cpp - reductions and Softmax -----------------------------===//
//
// ReduceSum (host or yolo.reduce_sum), the other reductions (host only:
// shape arithmetic), and Softmax, with its pre-13 meaning of a softmax over
// all dimensions from `axis` on.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// ReduceSum, ReduceProd, ReduceMax, ReduceMin and ReduceMean on the host;
/// ReduceSum as yolo.reduce_sum.
template <AxesFn Axes>
static LogicalResult importReduce(Importer &imp, bool host) {
  auto shapeOr = imp.shapeOf(0);
  if (failed(shapeOr))
    return failure();
  int64_t rank = shapeOr->size();
  auto axesOr = Axes(imp);
  if (failed(axesOr))
    return failure();
  std::vector<int64_t> axes = *axesOr;
  bool keep = imp.intAttr("keepdims", 1) != 0;
  if (axes.empty()) {
    if (imp.intAttr("noop_with_empty_axes", 0)) {
      if (host) {
        imp.setOutput(0, *imp.constantInput(0));
        return success();
      }
      auto x = imp.runtimeInput(0);
      if (failed(x))
        return failure();
      imp.setOutput(0, *x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  for (int64_t &a : axes) {
    bool ok;
    a = imp.normAxis(a, rank, ok);
    if (!ok)
      return imp.failNode("axes " + shapeStr(axes) + " out of range for rank " +
                          Twine(rank));
  }
  if (host)
    return imp.setHostResult(
        evalReduce(imp.opType(), *imp.constantInput(0), axes, keep),
        /*checkLimit=*/false);
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  return imp.createOutput<ReduceSumOp>(*x, ArrayRef<int64_t>(axes), keep);
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// Softmax-1 and -11: the input is seen as a matrix whose rows are the
/// dimensions before `axis` (default 1) and whose columns are all the
/// others; the softmax is over the columns.
static LogicalResult buildSoftmax1(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  auto ty = cast<RankedTensorType>(x->getType());
  int64_t rank = ty.getRank();
  bool ok;
  int64_t axis = imp.normAxis(imp.intAttr("axis", 1), rank, ok);
  if (!ok)
    return imp.failNode("axis out of range for rank " + Twine(rank));
  int64_t inner = 1;
  for (int64_t d = axis; d < rank; ++d)
    inner *= ty.getDimSize(d);
  if (inner == ty.getDimSize(axis))
    return imp.createOutput<SoftmaxOp>(*x, static_cast<uint64_t>(axis));
  int64_t outer = ty.getNumElements() / inner;
  auto flat = imp.create<ReshapeOp>(*x, ArrayRef<int64_t>{outer, inner});
  if (failed(flat))
    return failure();
  auto sm = imp.create<SoftmaxOp>(flat->getResult(), uint64_t(1));
  if (failed(sm))
    return failure();
  return imp.createOutput<ReshapeOp>(sm->getResult(), ty.getShape());
}

/// Softmax-13: over dimension `axis` (default -1) alone.
static LogicalResult buildSoftmax13(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  bool ok;
  int64_t axis = imp.normAxis(imp.intAttr("axis", -1), rank, ok);
  if (!ok)
    return imp.failNode("axis out of range for rank " + Twine(rank));
  return imp.createOutput<SoftmaxOp>(*x, static_cast<uint64_t>(axis));
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::yolo::onnx_import::registerReduceOps(OpRegistry &registry) {
  // ReduceSum took its axes as an input from opset 13, the others from 18.
  registry.onOp("ReduceSum", 1, hostAndGraph<importReduce<axesAttribute>>());
  registry.onOp("ReduceSum", 13, hostAndGraph<importReduce<axesInput>>());
  for (const char *op :
       {"ReduceProd", "ReduceMax", "ReduceMin", "ReduceMean"}) {
    registry.onOp(op, 1,
                  OpHandler::hostOnly(hostPath<importReduce<axesAttribute>>));
    registry.onOp(op, 18,
                  OpHandler::hostOnly(hostPath<importReduce<axesInput>>));
  }
  registry.onOp("Softmax", 1, OpHandler::graphOnly(buildSoftmax1));
  registry.onOp("Softmax", 13, OpHandler::graphOnly(buildSoftmax13));
}
