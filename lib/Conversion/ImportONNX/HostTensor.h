//===- HostTensor.h - constant tensors evaluated at import time -*- C++ -*-===//
//
// Exporters emit shape arithmetic (Shape -> Gather -> Div -> Slice chains),
// in-graph anchor grids (Range, Expand) and Identity/Constant nodes. The
// importer evaluates every node whose inputs are all known on the host with
// these small routines, so only real tensor work reaches the yolo dialect.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_CONVERSION_IMPORTONNX_HOSTTENSOR_H
#define YOLO_LIB_CONVERSION_IMPORTONNX_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace yolo {

/// A host tensor: floats (f16/f32/f64 all held as f32, the precision the
/// compiled model computes in) or integers (int8..int64 and bool).
struct HostTensor {
  bool isFloat = true;
  bool isBool = false;
  llvm::SmallVector<int64_t> shape;
  std::vector<float> f;
  std::vector<int64_t> i;

  static HostTensor floats(llvm::ArrayRef<int64_t> shape,
                           std::vector<float> data);
  static HostTensor ints(llvm::ArrayRef<int64_t> shape,
                         std::vector<int64_t> data, bool isBool = false);

  int64_t numel() const;
  double get(int64_t index) const {
    return isFloat ? static_cast<double>(f[index])
                   : static_cast<double>(i[index]);
  }
  /// Floats convert toward zero, saturating at the int64 range; NaN is 0
  /// (a plain cast of those is undefined behaviour).
  int64_t getInt(int64_t index) const {
    if (!isFloat)
      return i[index];
    float v = f[index];
    if (!(v == v))
      return 0;
    if (v >= 9.2233720368547758e18f)
      return INT64_MAX;
    if (v <= -9.2233720368547758e18f)
      return INT64_MIN;
    return static_cast<int64_t>(v);
  }
  /// All values as integers (shape vectors, axes, indices).
  std::vector<int64_t> toInts() const;
};

/// Evaluation failures carry a reason for the user.
struct HostResult {
  std::optional<HostTensor> value;
  std::string error;
  HostResult(HostTensor t) : value(std::move(t)) {}
  static HostResult fail(std::string why) {
    HostResult r;
    r.error = std::move(why);
    return r;
  }

private:
  HostResult() = default;
};

/// Numpy broadcasting of two shapes; false when incompatible.
bool broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
                     llvm::SmallVectorImpl<int64_t> &out);

/// Elementwise binary op named after its ONNX op type (Add, Sub, Mul, Div,
/// Pow, Mod, Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Max,
/// Min).
HostResult evalBinary(llvm::StringRef opType, const HostTensor &a,
                      const HostTensor &b);
/// Elementwise unary op (Neg, Abs, Sqrt, Exp, Log, Floor, Ceil, Round,
/// Sigmoid, Relu, Reciprocal, Not).
HostResult evalUnary(llvm::StringRef opType, const HostTensor &a);
HostResult evalCast(const HostTensor &a, bool toFloat, bool toBool);
HostResult evalWhere(const HostTensor &cond, const HostTensor &x,
                     const HostTensor &y);
HostResult evalTranspose(const HostTensor &a, llvm::ArrayRef<int64_t> perm);
HostResult evalConcat(llvm::ArrayRef<const HostTensor *> inputs, int64_t axis);
HostResult evalGather(const HostTensor &data, const HostTensor &indices,
                      int64_t axis);
/// Per-dimension strided slice with already normalized starts and sizes.
HostResult evalSlice(const HostTensor &a, llvm::ArrayRef<int64_t> starts,
                     llvm::ArrayRef<int64_t> sizes,
                     llvm::ArrayRef<int64_t> steps);
HostResult evalExpand(const HostTensor &a, llvm::ArrayRef<int64_t> shape);
HostResult evalRange(const HostTensor &start, const HostTensor &limit,
                     const HostTensor &delta);
HostResult evalReduce(llvm::StringRef opType, const HostTensor &a,
                      llvm::ArrayRef<int64_t> axes, bool keepDims);

} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_CONVERSION_IMPORTONNX_HOSTTENSOR_H
