//===- HostEval.cpp - evaluating nodes at import time --------------------===//
//
// Exporters emit shape arithmetic (Shape -> Gather -> Div -> Slice chains),
// in-graph anchor grids (Range, Expand) and Constant/Identity nodes. A node
// whose inputs are all known at import time is evaluated here, through its
// op's host evaluator, so that only real tensor work reaches the yolo
// dialect. Every result is bounded: each tensor by
// ImportOptions::maxHostElements, all of them together by
// maxHostElementsTotal.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

/// Evaluates the current node, all of whose inputs are known, with the host
/// evaluator of its op. Returns failure without an error message when the
/// node is left to the graph: operands too large to evaluate on the host
/// (e.g. weight scaling, which the optimizer folds), or an evaluator that
/// does not apply.
LogicalResult Importer::evaluateOnHost(const OpHandler &handler) {
  // Elementwise ops of big tensors (e.g. weight scaling) go to the graph,
  // where the optimizer folds them.
  for (int k = 0; k < currentNode->input_size(); ++k) {
    std::shared_ptr<HostTensor> t = constantInput(k);
    if (!errorMessage.empty())
      return failure();
    if (t && t->numel() > options.maxHostElements)
      return failure();
  }
  return handler.host(*this);
}

/// Adds the elements of the current node's host-evaluated outputs to the
/// import's total, which must stay within options.maxHostElementsTotal:
/// each tensor is bounded on its own, and this bounds their number (a chain
/// of large Range or Expand nodes in a small file).
LogicalResult Importer::chargeHostOutputs() {
  for (int k = 0; k < currentNode->output_size(); ++k) {
    if (currentNode->output(k).empty())
      continue;
    Entry *e = lookup(currentNode->output(k));
    if (!e || !e->constant)
      continue;
    hostElements += e->constant->numel();
    if (hostElements > options.maxHostElementsTotal)
      return failNode("import-time evaluation holds " + Twine(hostElements) +
                      " elements in total, more than the limit of " +
                      Twine(options.maxHostElementsTotal) +
                      " (shape arithmetic and anchor grids need far less)");
  }
  return success();
}

/// Evaluates the current node on the host. Returns failure without an error

std::shared_ptr<HostTensor> Importer::hostInput(unsigned index) {
  std::shared_ptr<HostTensor> t = constantInput(index);
  if (!t && errorMessage.empty())
    (void)failNode("missing input " + Twine(index));
  return t;
}

// Results are checked before they are computed: two small operands can
// broadcast to a tensor too large to allocate.
LogicalResult Importer::checkHostBroadcast(ArrayRef<int64_t> a,
                                           ArrayRef<int64_t> b,
                                           ArrayRef<int64_t> c) {
  SmallVector<int64_t> ab, shape;
  if (!broadcastShapes(a, b, ab) || !broadcastShapes(ab, c, shape))
    return success(); // the evaluator reports the mismatch
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d > 0 && numel > options.maxHostElements / d)
      return failNode("constant result of shape " + shapeStr(shape) +
                      " is too large");
    numel *= d;
  }
  return success();
}

LogicalResult Importer::setHostResult(HostResult r, bool checkLimit) {
  if (!r.value)
    return failNode(r.error);
  if (checkLimit && r.value->numel() > options.maxHostElements)
    return failNode("constant result of " + Twine(r.value->numel()) +
                    " elements is too large");
  setOutput(0, std::move(*r.value));
  return success();
}
