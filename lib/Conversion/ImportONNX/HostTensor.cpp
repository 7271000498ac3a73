//===- HostTensor.cpp - constant tensors evaluated at import time ---------===//
//
// Reference implementations of the ONNX ops the importer folds on the host.
// They run on small tensors (shapes, indices, anchor grids), so clarity wins
// over speed; sizes are bounded by the importer before they get here.
//
//===----------------------------------------------------------------------===//

#include "HostTensor.h"

#include "llvm/ADT/STLExtras.h"
#include <array>
#include <cmath>
#include <cstdint>

using namespace mlir;
using namespace mlir::yolo;
using llvm::ArrayRef;
using llvm::SmallVector;

HostTensor HostTensor::floats(ArrayRef<int64_t> shape, std::vector<float> d) {
  HostTensor t;
  t.isFloat = true;
  t.shape.assign(shape.begin(), shape.end());
  t.f = std::move(d);
  return t;
}

HostTensor HostTensor::ints(ArrayRef<int64_t> shape, std::vector<int64_t> d,
                            bool isBool) {
  HostTensor t;
  t.isFloat = false;
  t.isBool = isBool;
  t.shape.assign(shape.begin(), shape.end());
  t.i = std::move(d);
  return t;
}

int64_t HostTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> HostTensor::toInts() const {
  std::vector<int64_t> out(numel());
  for (int64_t k = 0; k < numel(); ++k)
    out[k] = getInt(k);
  return out;
}

bool mlir::yolo::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                                 llvm::SmallVectorImpl<int64_t> &out) {
  size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t k = 0; k < rank; ++k) {
    int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return false;
    out[k] = da == 1 ? db : da;
  }
  return true;
}

namespace {
/// 2^63 as a double: values strictly between -2^63 and 2^63 convert to
/// int64 without undefined behaviour.
constexpr double kTwoPow63 = 9.2233720368547758e18;
bool fitsInt64(double v) { return v > -kTwoPow63 && v < kTwoPow63; }

/// Row-major strides of `shape` aligned to the trailing dimensions of
/// `outShape`, with stride 0 on broadcast dimensions.
SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> outShape) {
  SmallVector<int64_t> strides(outShape.size(), 0);
  int64_t stride = 1;
  for (int64_t k = static_cast<int64_t>(shape.size()) - 1; k >= 0; --k) {
    size_t o = k + outShape.size() - shape.size();
    strides[o] = shape[k] == 1 ? 0 : stride;
    stride *= shape[k];
  }
  return strides;
}

/// Calls fn(outIndex, offsets...) for every element of `outShape`, with the
/// matching offset into each broadcast input.
template <size_t N, typename Fn>
void forEachBroadcast(ArrayRef<int64_t> outShape,
                      const std::array<SmallVector<int64_t>, N> &strides,
                      Fn fn) {
  int64_t total = 1;
  for (int64_t d : outShape)
    total *= d;
  SmallVector<int64_t> idx(outShape.size(), 0);
  std::array<int64_t, N> off{};
  for (int64_t n = 0; n < total; ++n) {
    fn(n, off);
    for (int64_t d = static_cast<int64_t>(outShape.size()) - 1; d >= 0; --d) {
      ++idx[d];
      for (size_t k = 0; k < N; ++k)
        off[k] += strides[k][d];
      if (idx[d] < outShape[d])
        break;
      for (size_t k = 0; k < N; ++k)
        off[k] -= strides[k][d] * outShape[d];
      idx[d] = 0;
    }
  }
}

SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t k = static_cast<int64_t>(shape.size()) - 2; k >= 0; --k)
    strides[k] = strides[k + 1] * shape[k + 1];
  return strides;
}

/// Copies element `from` of `src` to element `to` of `dst` (same kind).
void copyElement(const HostTensor &src, int64_t from, HostTensor &dst,
                 int64_t to) {
  if (src.isFloat)
    dst.f[to] = src.f[from];
  else
    dst.i[to] = src.i[from];
}

HostTensor like(const HostTensor &proto, ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  if (proto.isFloat)
    return HostTensor::floats(shape, std::vector<float>(n));
  return HostTensor::ints(shape, std::vector<int64_t>(n), proto.isBool);
}
} // namespace

HostResult mlir::yolo::evalBinary(llvm::StringRef op, const HostTensor &a,
                                  const HostTensor &b) {
  SmallVector<int64_t> shape;
  if (!broadcastShapes(a.shape, b.shape, shape))
    return HostResult::fail("operand shapes are not broadcast compatible");
  bool compare = llvm::is_contained(
      {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"}, op);
  bool logical = op == "And" || op == "Or";
  bool isFloat = (a.isFloat || b.isFloat) && !compare && !logical;
  std::array<SmallVector<int64_t>, 2> strides = {
      broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)};
  HostTensor out = isFloat ? HostTensor::floats(shape, {})
                           : HostTensor::ints(shape, {}, compare || logical);
  int64_t n = out.numel();
  if (isFloat)
    out.f.resize(n);
  else
    out.i.resize(n);
  std::string error;
  forEachBroadcast<2>(shape, strides, [&](int64_t k, auto off) {
    if (isFloat) {
      float x = static_cast<float>(a.get(off[0]));
      float y = static_cast<float>(b.get(off[1]));
      float r = 0;
      if (op == "Add")
        r = x + y;
      else if (op == "Sub")
        r = x - y;
      else if (op == "Mul")
        r = x * y;
      else if (op == "Div")
        r = x / y;
      else if (op == "Pow")
        r = std::pow(x, y);
      else if (op == "Mod")
        r = std::fmod(x, y);
      else if (op == "Max")
        r = std::max(x, y);
      else if (op == "Min")
        r = std::min(x, y);
      else
        error = "unsupported op";
      out.f[k] = r;
      return;
    }
    int64_t x = a.getInt(off[0]), y = b.getInt(off[1]);
    double fx = a.get(off[0]), fy = b.get(off[1]);
    int64_t r = 0;
    // int64 results that do not fit are errors, not wrapped values: these
    // are shape computations, and a wrapped shape is a wrong answer.
    bool overflow = false;
    if (op == "Add")
      overflow = __builtin_add_overflow(x, y, &r);
    else if (op == "Sub")
      overflow = __builtin_sub_overflow(x, y, &r);
    else if (op == "Mul")
      overflow = __builtin_mul_overflow(x, y, &r);
    else if (op == "Div" || op == "Mod") {
      if (y == 0) {
        error = "integer division by zero";
      } else if (y == -1) {
        overflow = op == "Div" && x == INT64_MIN;
        r = op == "Div" && !overflow ? -x : 0;
      } else if (op == "Div") {
        r = x / y; // ONNX integer Div truncates, like C++.
      } else {
        r = x % y; // fmod=0: the result takes the divisor's sign.
        if (r != 0 && ((r < 0) != (y < 0)))
          r += y;
      }
    } else if (op == "Pow") {
      double p = std::pow(fx, fy);
      overflow = !fitsInt64(p);
      r = overflow ? 0 : static_cast<int64_t>(p);
    } else if (op == "Max")
      r = std::max(x, y);
    else if (op == "Min")
      r = std::min(x, y);
    else if (op == "Equal")
      r = fx == fy;
    else if (op == "Less")
      r = fx < fy;
    else if (op == "Greater")
      r = fx > fy;
    else if (op == "LessOrEqual")
      r = fx <= fy;
    else if (op == "GreaterOrEqual")
      r = fx >= fy;
    else if (op == "And")
      r = (x != 0) && (y != 0);
    else if (op == "Or")
      r = (x != 0) || (y != 0);
    else
      error = "unsupported op";
    if (overflow && error.empty())
      error = "int64 overflow in " + op.str() + " (" + std::to_string(x) +
              ", " + std::to_string(y) + ")";
    out.i[k] = r;
  });
  if (!error.empty())
    return HostResult::fail(error);
  return out;
}

HostResult mlir::yolo::evalUnary(llvm::StringRef op, const HostTensor &a) {
  if (op == "Not") {
    HostTensor out = HostTensor::ints(a.shape, std::vector<int64_t>(a.numel()),
                                      /*isBool=*/true);
    for (int64_t k = 0; k < a.numel(); ++k)
      out.i[k] = a.getInt(k) == 0;
    return out;
  }
  if (!a.isFloat && (op == "Neg" || op == "Abs" || op == "Relu")) {
    HostTensor out = a;
    if (op != "Relu")
      for (int64_t v : out.i)
        if (v == INT64_MIN)
          return HostResult::fail("int64 overflow in " + op.str() + " (" +
                                  std::to_string(v) + ")");
    for (int64_t &v : out.i)
      v = op == "Neg"   ? -v
          : op == "Abs" ? std::abs(v)
                        : std::max<int64_t>(v, 0);
    return out;
  }
  HostTensor out = HostTensor::floats(a.shape, std::vector<float>(a.numel()));
  for (int64_t k = 0; k < a.numel(); ++k) {
    float x = static_cast<float>(a.get(k));
    float r;
    if (op == "Neg")
      r = -x;
    else if (op == "Abs")
      r = std::fabs(x);
    else if (op == "Sqrt")
      r = std::sqrt(x);
    else if (op == "Exp")
      r = std::exp(x);
    else if (op == "Log")
      r = std::log(x);
    else if (op == "Floor")
      r = std::floor(x);
    else if (op == "Ceil")
      r = std::ceil(x);
    else if (op == "Round")
      r = std::nearbyint(x);
    else if (op == "Sigmoid")
      r = 1.0f / (1.0f + std::exp(-x));
    else if (op == "Relu")
      r = std::max(x, 0.0f);
    else if (op == "Reciprocal")
      r = 1.0f / x;
    else
      return HostResult::fail("unsupported op");
    out.f[k] = r;
  }
  return out;
}

HostResult mlir::yolo::evalCast(const HostTensor &a, bool toFloat,
                                bool toBool) {
  int64_t n = a.numel();
  if (toFloat) {
    std::vector<float> d(n);
    for (int64_t k = 0; k < n; ++k)
      d[k] = static_cast<float>(a.get(k));
    return HostTensor::floats(a.shape, std::move(d));
  }
  std::vector<int64_t> d(n);
  for (int64_t k = 0; k < n; ++k)
    d[k] = toBool ? (a.get(k) != 0) : a.getInt(k);
  return HostTensor::ints(a.shape, std::move(d), toBool);
}

HostResult mlir::yolo::evalWhere(const HostTensor &c, const HostTensor &x,
                                 const HostTensor &y) {
  SmallVector<int64_t> s1, shape;
  if (!broadcastShapes(c.shape, x.shape, s1) ||
      !broadcastShapes(s1, y.shape, shape))
    return HostResult::fail("operand shapes are not broadcast compatible");
  if (x.isFloat != y.isFloat)
    return HostResult::fail("expected X and Y of the same type");
  std::array<SmallVector<int64_t>, 3> strides = {
      broadcastStrides(c.shape, shape), broadcastStrides(x.shape, shape),
      broadcastStrides(y.shape, shape)};
  HostTensor out = like(x, shape);
  forEachBroadcast<3>(shape, strides, [&](int64_t k, auto off) {
    if (c.getInt(off[0]))
      copyElement(x, off[1], out, k);
    else
      copyElement(y, off[2], out, k);
  });
  return out;
}

HostResult mlir::yolo::evalTranspose(const HostTensor &a,
                                     ArrayRef<int64_t> perm) {
  if (perm.size() != a.shape.size())
    return HostResult::fail("permutation does not match the rank");
  SmallVector<int64_t> shape, inStrides = rowMajorStrides(a.shape);
  std::array<SmallVector<int64_t>, 1> strides;
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(a.shape.size()))
      return HostResult::fail("permutation out of range");
    shape.push_back(a.shape[p]);
    strides[0].push_back(inStrides[p]);
  }
  HostTensor out = like(a, shape);
  forEachBroadcast<1>(shape, strides, [&](int64_t k, auto off) {
    copyElement(a, off[0], out, k);
  });
  return out;
}

HostResult mlir::yolo::evalConcat(ArrayRef<const HostTensor *> inputs,
                                  int64_t axis) {
  const HostTensor &first = *inputs.front();
  SmallVector<int64_t> shape(first.shape);
  shape[axis] = 0;
  for (const HostTensor *t : inputs) {
    if (t->shape.size() != first.shape.size() || t->isFloat != first.isFloat)
      return HostResult::fail("inputs differ in rank or type");
    for (size_t d = 0; d < shape.size(); ++d)
      if (static_cast<int64_t>(d) != axis && t->shape[d] != first.shape[d])
        return HostResult::fail("inputs differ outside the concat axis");
    shape[axis] += t->shape[axis];
  }
  HostTensor out = like(first, shape);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  int64_t outPos = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (const HostTensor *t : inputs) {
      int64_t chunk = t->numel() / std::max<int64_t>(outer, 1);
      for (int64_t k = 0; k < chunk; ++k)
        copyElement(*t, o * chunk + k, out, outPos++);
    }
  }
  return out;
}

HostResult mlir::yolo::evalGather(const HostTensor &data,
                                  const HostTensor &indices, int64_t axis) {
  SmallVector<int64_t> shape(data.shape.begin(), data.shape.begin() + axis);
  shape.append(indices.shape.begin(), indices.shape.end());
  shape.append(data.shape.begin() + axis + 1, data.shape.end());
  int64_t outer = 1, inner = 1, dim = data.shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= data.shape[d];
  for (size_t d = axis + 1; d < data.shape.size(); ++d)
    inner *= data.shape[d];
  HostTensor out = like(data, shape);
  int64_t pos = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t n = 0; n < indices.numel(); ++n) {
      int64_t index = indices.getInt(n);
      if (index < 0)
        index += dim;
      if (index < 0 || index >= dim)
        return HostResult::fail("index " + std::to_string(indices.getInt(n)) +
                                " out of range for dimension of size " +
                                std::to_string(dim));
      for (int64_t k = 0; k < inner; ++k)
        copyElement(data, (o * dim + index) * inner + k, out, pos++);
    }
  return out;
}

HostResult mlir::yolo::evalSlice(const HostTensor &a, ArrayRef<int64_t> starts,
                                 ArrayRef<int64_t> sizes,
                                 ArrayRef<int64_t> steps) {
  SmallVector<int64_t> inStrides = rowMajorStrides(a.shape);
  std::array<SmallVector<int64_t>, 1> strides;
  int64_t base = 0;
  for (size_t d = 0; d < a.shape.size(); ++d) {
    base += starts[d] * inStrides[d];
    strides[0].push_back(steps[d] * inStrides[d]);
  }
  HostTensor out = like(a, sizes);
  forEachBroadcast<1>(sizes, strides, [&](int64_t k, auto off) {
    copyElement(a, base + off[0], out, k);
  });
  return out;
}

HostResult mlir::yolo::evalExpand(const HostTensor &a, ArrayRef<int64_t> to) {
  SmallVector<int64_t> shape;
  if (!broadcastShapes(a.shape, to, shape))
    return HostResult::fail("shape is not broadcast compatible");
  std::array<SmallVector<int64_t>, 1> strides = {
      broadcastStrides(a.shape, shape)};
  HostTensor out = like(a, shape);
  forEachBroadcast<1>(shape, strides, [&](int64_t k, auto off) {
    copyElement(a, off[0], out, k);
  });
  return out;
}

HostResult mlir::yolo::evalRange(const HostTensor &start,
                                 const HostTensor &limit,
                                 const HostTensor &delta) {
  double s = start.get(0), l = limit.get(0), d = delta.get(0);
  if (d == 0)
    return HostResult::fail("delta is zero");
  // The length is computed in double; one that int64 cannot hold (or NaN)
  // is an error, not a conversion with undefined behaviour. A negative
  // length, however large, is an empty range.
  double count = std::ceil((l - s) / d);
  if (!(count < kTwoPow63)) // NaN included
    return HostResult::fail("Range length " + std::to_string(count) +
                            " does not fit int64");
  int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
  if (start.isFloat) {
    std::vector<float> v(n);
    for (int64_t k = 0; k < n; ++k)
      v[k] = static_cast<float>(s + k * d);
    return HostTensor::floats({n}, std::move(v));
  }
  std::vector<int64_t> v(n);
  int64_t first = start.getInt(0), step = delta.getInt(0);
  for (int64_t k = 0; k < n; ++k) {
    int64_t offset;
    if (__builtin_mul_overflow(k, step, &offset) ||
        __builtin_add_overflow(first, offset, &v[k]))
      return HostResult::fail("int64 overflow in Range");
  }
  return HostTensor::ints({n}, std::move(v));
}

HostResult mlir::yolo::evalReduce(llvm::StringRef op, const HostTensor &a,
                                  ArrayRef<int64_t> axes, bool keepDims) {
  size_t rank = a.shape.size();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes)
    reduced[axis] = true;
  SmallVector<int64_t> keptShape, outShape;
  for (size_t d = 0; d < rank; ++d) {
    keptShape.push_back(reduced[d] ? 1 : a.shape[d]);
    if (!reduced[d] || keepDims)
      outShape.push_back(reduced[d] ? 1 : a.shape[d]);
  }
  int64_t outCount = 1;
  for (int64_t d : keptShape)
    outCount *= d;
  bool isProd = op == "ReduceProd", isMax = op == "ReduceMax",
       isMin = op == "ReduceMin";
  std::vector<double> acc(outCount, isProd ? 1.0 : 0.0);
  std::vector<bool> seen(outCount, false);
  // Map each input element to its output slot through keptShape strides.
  std::array<SmallVector<int64_t>, 1> strides;
  SmallVector<int64_t> outStrides = rowMajorStrides(keptShape);
  for (size_t d = 0; d < rank; ++d)
    strides[0].push_back(reduced[d] ? 0 : outStrides[d]);
  std::string error;
  forEachBroadcast<1>(a.shape, strides, [&](int64_t k, auto off) {
    double v = a.get(k);
    double &r = acc[off[0]];
    if (op == "ReduceSum" || op == "ReduceMean")
      r += v;
    else if (isProd)
      r *= v;
    else if (isMax)
      r = seen[off[0]] ? std::max(r, v) : v;
    else if (isMin)
      r = seen[off[0]] ? std::min(r, v) : v;
    else
      error = "unsupported reduction";
    seen[off[0]] = true;
  });
  if (!error.empty())
    return HostResult::fail(error);
  if (op == "ReduceMean" && outCount)
    for (double &r : acc)
      r /= static_cast<double>(a.numel() / outCount);
  if (a.isFloat) {
    std::vector<float> v(acc.begin(), acc.end());
    return HostTensor::floats(outShape, std::move(v));
  }
  std::vector<int64_t> v(outCount);
  for (int64_t k = 0; k < outCount; ++k) {
    if (!fitsInt64(acc[k]))
      return HostResult::fail("int64 overflow in " + op.str());
    v[k] = static_cast<int64_t>(acc[k]);
  }
  return HostTensor::ints(outShape, std::move(v));
}
