//===- OpsElementwise.cpp - elementwise arithmetic and activations -------===//
//
// Binary arithmetic, comparisons and logic, unary math, activations, Cast and
// Where. All of them evaluate on the host when their operands are known
// (shape arithmetic); Add, Sub, Mul, Div, Sigmoid, Relu, LeakyRelu and float
// Casts also become yolo ops.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

//===----------------------------------------------------------------------===//
// Host evaluation
//===----------------------------------------------------------------------===//

/// A node with other than two inputs is left to the graph builder (which
/// reports the count, or that the op is unsupported).
LogicalResult mlir::yolo::onnx_import::foldBinary(Importer &imp) {
  if (imp.numInputs() != 2)
    return failure();
  auto a = imp.hostInput(0), b = imp.hostInput(1);
  if (!a || !b || failed(imp.checkHostBroadcast(a->shape, b->shape)))
    return failure();
  // evalBinary refuses what int64 cannot hold (INT64_MIN / -1 included)
  // and division by zero, naming the operands.
  return imp.setHostResult(evalBinary(imp.opType(), *a, *b));
}

static LogicalResult foldUnary(Importer &imp) {
  auto a = imp.hostInput(0);
  if (!a)
    return failure();
  return imp.setHostResult(evalUnary(imp.opType(), *a));
}

static bool isFloatType(int64_t to) {
  return to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::FLOAT16 ||
         to == onnx::TensorProto::DOUBLE || to == onnx::TensorProto::BFLOAT16;
}

static LogicalResult foldCast(Importer &imp) {
  auto a = imp.hostInput(0);
  if (!a)
    return failure();
  int64_t to = imp.intAttr("to", 0);
  return imp.setHostResult(
      evalCast(*a, isFloatType(to), to == onnx::TensorProto::BOOL));
}

static LogicalResult foldWhere(Importer &imp) {
  auto c = imp.hostInput(0), x = imp.hostInput(1), y = imp.hostInput(2);
  if (!c || !x || !y ||
      failed(imp.checkHostBroadcast(c->shape, x->shape, y->shape)))
    return failure();
  return imp.setHostResult(evalWhere(*c, *x, *y));
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

template <typename OpTy> static LogicalResult buildUnary(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  return imp.createOutput<OpTy>(*x);
}

template <typename OpTy> static LogicalResult buildBinary(Importer &imp) {
  if (imp.numInputs() != 2)
    return imp.failNode("expected 2 inputs, got " + Twine(imp.numInputs()));
  auto a = imp.runtimeInput(0);
  if (failed(a))
    return failure();
  auto b = imp.runtimeInput(1);
  if (failed(b))
    return failure();
  return imp.createOutput<OpTy>(*a, *b);
}

static LogicalResult buildLeakyRelu(Importer &imp) {
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  return imp.createOutput<LeakyReLUOp>(*x,
                                       APFloat(imp.floatAttr("alpha", 0.01f)));
}

/// Float tensors are all computed in f32: a Cast between float types is the
/// identity.
static LogicalResult buildCast(Importer &imp) {
  int64_t to = imp.intAttr("to", 0);
  if (!isFloatType(to))
    return imp.failNode("cast of a tensor to data type " + Twine(to) +
                        " is not supported (tensors are computed in f32)");
  auto x = imp.runtimeInput(0);
  if (failed(x))
    return failure();
  imp.setOutput(0, *x);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::yolo::onnx_import::registerElementwiseOps(OpRegistry &registry) {
  registry.onOp("Add", 1,
                OpHandler::hostOrGraph(foldBinary, buildBinary<AddOp>));
  registry.onOp("Sub", 1,
                OpHandler::hostOrGraph(foldBinary, buildBinary<SubOp>));
  registry.onOp("Mul", 1,
                OpHandler::hostOrGraph(foldBinary, buildBinary<MulOp>));
  registry.onOp("Div", 1,
                OpHandler::hostOrGraph(foldBinary, buildBinary<DivOp>));
  for (const char *op : {"Pow", "Mod", "Max", "Min", "Equal", "Less", "Greater",
                         "LessOrEqual", "GreaterOrEqual", "And", "Or"})
    registry.onOp(op, 1, OpHandler::hostOnly(foldBinary));

  constexpr NodeImportFn foldUnaryOp = binaryWhenTwoInputs<foldUnary>;
  registry.onOp("Sigmoid", 1,
                OpHandler::hostOrGraph(foldUnaryOp, buildUnary<SigmoidOp>));
  registry.onOp("Relu", 1,
                OpHandler::hostOrGraph(foldUnaryOp, buildUnary<ReLUOp>));
  for (const char *op : {"Neg", "Abs", "Sqrt", "Exp", "Log", "Floor", "Ceil",
                         "Round", "Reciprocal", "Not"})
    registry.onOp(op, 1, OpHandler::hostOnly(foldUnaryOp));
  registry.onOp("LeakyRelu", 1, OpHandler::graphOnly(buildLeakyRelu));

  registry.onOp(
      "Cast", 1,
      OpHandler::hostOrGraph(binaryWhenTwoInputs<foldCast>, buildCast));
  registry.onOp("Where", 1,
                OpHandler::hostOnly(binaryWhenTwoInputs<foldWhere>));
}
