//===- OpsMatMul.cpp - MatMul and Gemm ------------------------------------===//
//
// MatMul as yolo.matmul (numpy batch broadcasting; ONNX's 1-D operands
// become matrices by reshapes around it), evaluated on the host when both
// operands are known at import time and the product is small. Gemm (the
// Linear layers of some exporters) as yolo.matmul with transA/transB as
// transposes (of the weights, at import time, when they are constants),
// alpha and beta as products with constants, and C as a broadcast add.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"

#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

/// The product of an import-time MatMul above this many multiply-adds is
/// left to the graph: it is model work (yolo.matmul folds what is small).
constexpr int64_t kMaxHostMACs = int64_t(1) << 24;

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

/// The shape of ONNX MatMul's result for operand shapes `a` and `b` (rank 1
/// or more), or a reason.
static LogicalResult matMulShape(Importer &imp, ArrayRef<int64_t> a,
                                 ArrayRef<int64_t> b,
                                 SmallVectorImpl<int64_t> &shape) {
  if (a.empty() || b.empty())
    return imp.failNode("expected operands of rank 1 or more, got " +
                        shapeStr(a) + " and " + shapeStr(b));
  SmallVector<int64_t> am(a), bm(b);
  if (a.size() == 1)
    am.insert(am.begin(), 1);
  if (b.size() == 1)
    bm.push_back(1);
  if (am.back() != bm[bm.size() - 2])
    return imp.failNode("the lhs columns (" + Twine(am.back()) +
                        ") differ from the rhs rows (" +
                        Twine(bm[bm.size() - 2]) + "): operand shapes " +
                        shapeStr(a) + " and " + shapeStr(b));
  if (!broadcastShapes(ArrayRef(am).drop_back(2), ArrayRef(bm).drop_back(2),
                       shape))
    return imp.failNode("batch dimensions of " + shapeStr(a) + " and " +
                        shapeStr(b) + " are not broadcast compatible");
  if (a.size() > 1)
    shape.push_back(am[am.size() - 2]);
  if (b.size() > 1)
    shape.push_back(bm.back());
  return success();
}

/// MatMul of two host tensors (floats in f32, summing over k in increasing
/// order as the kernels do; integers in int64).
static HostTensor evalMatMul(const HostTensor &a, const HostTensor &b,
                             ArrayRef<int64_t> shape) {
  // As matrices [..., M, K] and [..., K, N] of the result's batch rank.
  SmallVector<int64_t> as(a.shape), bs(b.shape);
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  size_t batchRank = std::max(as.size(), bs.size()) - 2;
  while (as.size() < batchRank + 2)
    as.insert(as.begin(), 1);
  while (bs.size() < batchRank + 2)
    bs.insert(bs.begin(), 1);
  int64_t m = as[batchRank], k = as[batchRank + 1], n = bs[batchRank + 1];
  SmallVector<int64_t> batch;
  int64_t batches = 1;
  for (size_t d = 0; d < batchRank; ++d) {
    batch.push_back(std::max(as[d], bs[d]));
    batches *= batch.back();
  }
  // The first element of batch `t`'s matrix in an operand of shape `s`.
  auto matrixOf = [&](ArrayRef<int64_t> s, int64_t t) {
    int64_t index = 0, stride = 1;
    for (int64_t d = static_cast<int64_t>(batchRank) - 1; d >= 0; --d) {
      int64_t coord = t % batch[d];
      t /= batch[d];
      index += (s[d] == 1 ? 0 : coord) * stride;
      stride *= s[d];
    }
    return index * s[batchRank] * s[batchRank + 1];
  };
  bool isFloat = a.isFloat && b.isFloat;
  std::vector<float> f(isFloat ? batches * m * n : 0);
  std::vector<int64_t> i(isFloat ? 0 : batches * m * n);
  for (int64_t t = 0; t < batches; ++t) {
    int64_t x = matrixOf(as, t), y = matrixOf(bs, t), z = t * m * n;
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = 0; c < n; ++c) {
        if (isFloat) {
          float acc = 0.0f;
          for (int64_t p = 0; p < k; ++p)
            acc += a.f[x + r * k + p] * b.f[y + p * n + c];
          f[z + r * n + c] = acc;
        } else {
          int64_t acc = 0;
          for (int64_t p = 0; p < k; ++p)
            acc += a.getInt(x + r * k + p) * b.getInt(y + p * n + c);
          i[z + r * n + c] = acc;
        }
      }
  }
  return isFloat ? HostTensor::floats(shape, std::move(f))
                 : HostTensor::ints(shape, std::move(i));
}

static LogicalResult foldMatMul(Importer &imp) {
  if (imp.numInputs() != 2)
    return failure();
  auto a = imp.hostInput(0), b = imp.hostInput(1);
  if (!a || !b)
    return failure();
  SmallVector<int64_t> shape;
  if (failed(matMulShape(imp, a->shape, b->shape, shape)))
    return failure();
  int64_t numel = 1;
  for (int64_t d : shape)
    numel *= d;
  int64_t k = a->shape.back();
  // Too large for import time: the graph builds yolo.matmul of constants.
  if (numel > imp.getOptions().maxHostElements || numel * k > kMaxHostMACs)
    return failure();
  return imp.setHostResult(evalMatMul(*a, *b, shape));
}

/// `x` reshaped to `shape` (no op when it has it).
static FailureOr<Value> reshaped(Importer &imp, Value x,
                                 ArrayRef<int64_t> shape) {
  if (cast<RankedTensorType>(x.getType()).getShape() == shape)
    return x;
  auto r = imp.create<ReshapeOp>(x, shape);
  if (failed(r))
    return failure();
  return r->getResult();
}

static LogicalResult buildMatMul(Importer &imp) {
  if (imp.numInputs() != 2)
    return imp.failNode("expected 2 inputs, got " + Twine(imp.numInputs()));
  auto a = imp.runtimeInput(0);
  if (failed(a))
    return failure();
  auto b = imp.runtimeInput(1);
  if (failed(b))
    return failure();
  ArrayRef<int64_t> as = cast<RankedTensorType>(a->getType()).getShape(),
                    bs = cast<RankedTensorType>(b->getType()).getShape();
  SmallVector<int64_t> shape;
  if (failed(matMulShape(imp, as, bs, shape)))
    return failure();
  // ONNX's vectors: [K] is [1, K] on the left and [K, 1] on the right, the
  // added dimension dropped from the result.
  Value lhs = *a, rhs = *b;
  if (as.size() == 1) {
    auto v = reshaped(imp, lhs, {1, as[0]});
    if (failed(v))
      return failure();
    lhs = *v;
  }
  if (bs.size() == 1) {
    auto v = reshaped(imp, rhs, {bs[0], 1});
    if (failed(v))
      return failure();
    rhs = *v;
  }
  auto mm = imp.create<MatMulOp>(lhs, rhs);
  if (failed(mm))
    return failure();
  auto result = reshaped(imp, mm->getResult(), shape);
  if (failed(result))
    return failure();
  imp.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Gemm
//===----------------------------------------------------------------------===//

/// A yolo.constant of f32 `t` (inline when small, else a resource blob).
static FailureOr<Value> constantOf(Importer &imp, const HostTensor &t,
                                   StringRef name) {
  auto type = RankedTensorType::get(
      t.shape, Float32Type::get(imp.nodeLoc().getContext()));
  ElementsAttr attr;
  if (static_cast<int64_t>(t.f.size()) <= kInlineConstantLimit)
    attr = DenseElementsAttr::get(type, ArrayRef<float>(t.f));
  else
    attr = DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(t.f)));
  auto c = imp.create<ConstantOp>(cast<TypedAttr>(attr));
  if (failed(c))
    return failure();
  return c->getResult();
}

/// Input `index` of a Gemm as a matrix, transposed when `transpose` (on the
/// host when it is a constant: Linear weights [out, in] with transB = 1).
static FailureOr<Value> gemmOperand(Importer &imp, unsigned index,
                                    bool transpose, StringRef what) {
  std::shared_ptr<HostTensor> host = imp.constantInput(index);
  if (imp.hasError())
    return failure();
  if (host && host->isFloat && transpose && host->shape.size() == 2) {
    HostResult t = evalTranspose(*host, {1, 0});
    if (!t.value) {
      (void)imp.failNode(t.error);
      return failure();
    }
    return constantOf(imp, *t.value, (imp.node().input(index) + "_transposed"));
  }
  auto v = imp.runtimeInput(index);
  if (failed(v))
    return failure();
  auto ty = cast<RankedTensorType>(v->getType());
  if (ty.getRank() != 2) {
    (void)imp.failNode("expected " + what + " (input " + Twine(index) +
                       ") of rank 2, got " + shapeStr(ty.getShape()));
    return failure();
  }
  if (!transpose)
    return *v;
  auto t = imp.create<TransposeOp>(*v, ArrayRef<int64_t>{1, 0});
  if (failed(t))
    return failure();
  return t->getResult();
}

/// `x * factor` (x itself when factor is 1).
static FailureOr<Value> scaled(Importer &imp, Value x, float factor) {
  if (factor == 1.0f)
    return x;
  auto c = constantOf(imp, HostTensor::floats({1}, {factor}), "scale");
  if (failed(c))
    return failure();
  auto mul = imp.create<MulOp>(x, *c);
  if (failed(mul))
    return failure();
  return mul->getResult();
}

static LogicalResult buildGemm(Importer &imp) {
  if (imp.numInputs() < 2 || imp.numInputs() > 3)
    return imp.failNode("expected 2 or 3 inputs, got " +
                        Twine(imp.numInputs()));
  auto a = gemmOperand(imp, 0, imp.intAttr("transA", 0) != 0, "A");
  if (failed(a))
    return failure();
  auto b = gemmOperand(imp, 1, imp.intAttr("transB", 0) != 0, "B");
  if (failed(b))
    return failure();
  auto mm = imp.create<MatMulOp>(*a, *b);
  if (failed(mm))
    return failure();
  auto y = scaled(imp, mm->getResult(), imp.floatAttr("alpha", 1.0f));
  if (failed(y))
    return failure();
  float beta = imp.floatAttr("beta", 1.0f);
  if (imp.hasInput(2) && beta != 0.0f) {
    auto c = imp.runtimeInput(2);
    if (failed(c))
      return failure();
    auto bc = scaled(imp, *c, beta);
    if (failed(bc))
      return failure();
    // C broadcasts to [M, N] (unidirectionally).
    auto add = imp.create<AddOp>(*y, *bc);
    if (failed(add))
      return failure();
    if (add->getType() != y->getType())
      return imp.failNode(
          "C of shape " +
          shapeStr(cast<RankedTensorType>(c->getType()).getShape()) +
          " does not broadcast to the product's shape " +
          shapeStr(cast<RankedTensorType>(y->getType()).getShape()));
    y = add->getResult();
  }
  imp.setOutput(0, *y);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void mlir::yolo::onnx_import::registerMatMulOps(OpRegistry &registry) {
  registry.onOp("MatMul", 1, OpHandler::hostOrGraph(foldMatMul, buildMatMul));
  registry.onOp("Gemm", 1, OpHandler::graphOnly(buildGemm));
}
