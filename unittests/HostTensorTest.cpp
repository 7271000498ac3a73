//===- HostTensorTest.cpp - import-time constant evaluation ---------------===//
//
// Unit tests for the host reference implementations of ONNX ops that the
// importer folds at import time (HostTensor.h): broadcasting, elementwise
// binary and unary ops, Cast, Where, Transpose, Concat, Gather, Slice, Expand,
// Range and the reductions. Every expected value below was computed by hand
// from the ONNX operator specification, never by calling the code under test.
//
//===----------------------------------------------------------------------===//

#include "HostTensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace mlir::yolo;
using llvm::SmallVector;

namespace {

std::vector<int64_t> shapeOf(const HostTensor &t) {
  return std::vector<int64_t>(t.shape.begin(), t.shape.end());
}

/// Checks that `r` holds a float tensor of `shape` with exactly `values`.
void expectFloats(const HostResult &r, std::vector<int64_t> shape,
                  std::vector<float> values) {
  ASSERT_TRUE(r.value) << "evaluation failed: " << r.error;
  const HostTensor &t = *r.value;
  EXPECT_TRUE(t.isFloat);
  EXPECT_FALSE(t.isBool);
  EXPECT_EQ(shapeOf(t), shape);
  ASSERT_EQ(t.f.size(), values.size());
  for (size_t k = 0; k < values.size(); ++k)
    EXPECT_FLOAT_EQ(t.f[k], values[k]) << "at element " << k;
}

/// Checks that `r` holds an integer (or bool, per `isBool`) tensor of `shape`
/// with exactly `values`.
void expectInts(const HostResult &r, std::vector<int64_t> shape,
                std::vector<int64_t> values, bool isBool = false) {
  ASSERT_TRUE(r.value) << "evaluation failed: " << r.error;
  const HostTensor &t = *r.value;
  EXPECT_FALSE(t.isFloat);
  EXPECT_EQ(t.isBool, isBool);
  EXPECT_EQ(shapeOf(t), shape);
  EXPECT_EQ(t.i, values);
}

void expectBools(const HostResult &r, std::vector<int64_t> shape,
                 std::vector<int64_t> values) {
  expectInts(r, std::move(shape), std::move(values), /*isBool=*/true);
}

void expectFailure(const HostResult &r) {
  EXPECT_FALSE(r.value);
  EXPECT_FALSE(r.error.empty());
}

HostTensor bools(llvm::ArrayRef<int64_t> shape, std::vector<int64_t> data) {
  return HostTensor::ints(shape, std::move(data), /*isBool=*/true);
}

/// 0, 1, ..., n-1 as floats with the given shape.
HostTensor iotaFloats(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<float> v(n);
  for (int64_t k = 0; k < n; ++k)
    v[k] = static_cast<float>(k);
  return HostTensor::floats(shape, std::move(v));
}

//===----------------------------------------------------------------------===//
// HostTensor basics and broadcastShapes
//===----------------------------------------------------------------------===//

TEST(HostTensor, NumelAndToInts) {
  HostTensor f = HostTensor::floats({2, 2}, {1.9f, -1.9f, 0.0f, 640.0f});
  EXPECT_EQ(f.numel(), 4);
  EXPECT_EQ(f.toInts(), (std::vector<int64_t>{1, -1, 0, 640}));
  HostTensor scalar = HostTensor::ints({}, {7});
  EXPECT_EQ(scalar.numel(), 1);
  EXPECT_EQ(scalar.toInts(), (std::vector<int64_t>{7}));
  EXPECT_EQ(HostTensor::ints({3, 0}, {}).numel(), 0);
}

TEST(HostTensor, BroadcastShapesCompatible) {
  SmallVector<int64_t> out;
  ASSERT_TRUE(broadcastShapes({2, 1}, {3}, out));
  EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()),
            (std::vector<int64_t>{2, 3}));
  ASSERT_TRUE(broadcastShapes({3}, {2, 1}, out));
  EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()),
            (std::vector<int64_t>{2, 3}));
  ASSERT_TRUE(broadcastShapes({4, 1, 5}, {3, 1}, out));
  EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()),
            (std::vector<int64_t>{4, 3, 5}));
  ASSERT_TRUE(broadcastShapes({}, {2, 2}, out));
  EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()),
            (std::vector<int64_t>{2, 2}));
  ASSERT_TRUE(broadcastShapes({}, {}, out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(broadcastShapes({0, 1}, {1, 5}, out));
  EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()),
            (std::vector<int64_t>{0, 5}));
}

TEST(HostTensor, BroadcastShapesIncompatible) {
  SmallVector<int64_t> out;
  EXPECT_FALSE(broadcastShapes({2, 3}, {4, 3}, out));
  EXPECT_FALSE(broadcastShapes({2, 3}, {3, 2}, out));
  EXPECT_FALSE(broadcastShapes({3}, {4}, out));
  EXPECT_FALSE(broadcastShapes({2, 1, 3}, {2}, out));
}

//===----------------------------------------------------------------------===//
// evalBinary
//===----------------------------------------------------------------------===//

TEST(HostTensorBinary, FloatAddSubBroadcast2x1By3) {
  HostTensor a = HostTensor::floats({2, 1}, {1, 2});
  HostTensor b = HostTensor::floats({3}, {10, 20, 30});
  expectFloats(evalBinary("Add", a, b), {2, 3}, {11, 21, 31, 12, 22, 32});
  expectFloats(evalBinary("Sub", a, b), {2, 3}, {-9, -19, -29, -8, -18, -28});
  // Operand order matters for Sub.
  expectFloats(evalBinary("Sub", b, a), {2, 3}, {9, 19, 29, 8, 18, 28});
}

TEST(HostTensorBinary, FloatMulDivScalar) {
  HostTensor a = HostTensor::floats({3}, {1.5f, -2, 4});
  HostTensor two = HostTensor::floats({}, {2});
  expectFloats(evalBinary("Mul", a, two), {3}, {3, -4, 8});
  expectFloats(evalBinary("Div", a, two), {3}, {0.75f, -1, 2});
  expectFloats(evalBinary("Div", two, a), {3}, {4.0f / 3.0f, -1, 0.5f});
  // Scalar op scalar stays rank 0.
  expectFloats(evalBinary("Mul", two, two), {}, {4});
}

TEST(HostTensorBinary, FloatDivByZeroIsInfinity) {
  HostResult r = evalBinary("Div", HostTensor::floats({2}, {1, -1}),
                            HostTensor::floats({}, {0}));
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_TRUE(std::isinf(r.value->f[0]) && r.value->f[0] > 0);
  EXPECT_TRUE(std::isinf(r.value->f[1]) && r.value->f[1] < 0);
}

TEST(HostTensorBinary, IntAddSubMul) {
  HostTensor a = HostTensor::ints({2}, {5, -3});
  HostTensor b = HostTensor::ints({1}, {2});
  expectInts(evalBinary("Add", a, b), {2}, {7, -1});
  expectInts(evalBinary("Sub", a, b), {2}, {3, -5});
  expectInts(evalBinary("Mul", a, HostTensor::ints({1}, {-4})), {2}, {-20, 12});
}

TEST(HostTensorBinary, IntAddBroadcast2x1By3) {
  HostTensor a = HostTensor::ints({2, 1}, {100, 200});
  HostTensor b = HostTensor::ints({3}, {1, 2, 3});
  expectInts(evalBinary("Add", a, b), {2, 3}, {101, 102, 103, 201, 202, 203});
  expectInts(evalBinary("Add", b, a), {2, 3}, {101, 102, 103, 201, 202, 203});
}

TEST(HostTensorBinary, IntDivTruncatesTowardZero) {
  HostTensor a = HostTensor::ints({5}, {7, -7, 7, -7, 640});
  HostTensor b = HostTensor::ints({5}, {2, 2, -2, -2, 32});
  expectInts(evalBinary("Div", a, b), {5}, {3, -3, -3, 3, 20});
}

TEST(HostTensorBinary, IntDivAndModByZeroFail) {
  HostTensor a = HostTensor::ints({2}, {7, 8});
  HostTensor b = HostTensor::ints({2}, {1, 0});
  expectFailure(evalBinary("Div", a, b));
  expectFailure(evalBinary("Mod", a, b));
}

TEST(HostTensorBinary, IntModTakesDivisorSign) {
  // ONNX Mod with fmod=0: the result has the sign of the divisor (Python %).
  HostTensor a = HostTensor::ints({6}, {7, -7, 7, -7, 6, -6});
  HostTensor b = HostTensor::ints({6}, {3, 3, -3, -3, 3, -3});
  expectInts(evalBinary("Mod", a, b), {6}, {1, 2, -2, -1, 0, 0});
}

TEST(HostTensorBinary, FloatModIsFmod) {
  // Floating-point Mod requires fmod=1: the result has the dividend's sign.
  HostTensor a = HostTensor::floats({3}, {7.5f, -7, 7});
  HostTensor b = HostTensor::floats({3}, {2, 3, -3});
  expectFloats(evalBinary("Mod", a, b), {3}, {1.5f, -1, 1});
}

TEST(HostTensorBinary, Pow) {
  expectFloats(evalBinary("Pow", HostTensor::floats({3}, {2, 4, 9}),
                          HostTensor::floats({3}, {3, 0.5f, -0.5f})),
               {3}, {8, 2, 1.0f / 3.0f});
  expectInts(evalBinary("Pow", HostTensor::ints({3}, {2, 3, -2}),
                        HostTensor::ints({3}, {10, 2, 3})),
             {3}, {1024, 9, -8});
}

TEST(HostTensorBinary, ComparisonsProduceBoolsWithBroadcast) {
  HostTensor a = HostTensor::ints({2, 1}, {1, 2});
  HostTensor b = HostTensor::ints({3}, {1, 2, 3});
  expectBools(evalBinary("Equal", a, b), {2, 3}, {1, 0, 0, 0, 1, 0});
  expectBools(evalBinary("Less", a, b), {2, 3}, {0, 1, 1, 0, 0, 1});
  expectBools(evalBinary("Greater", a, b), {2, 3}, {0, 0, 0, 1, 0, 0});
  expectBools(evalBinary("LessOrEqual", a, b), {2, 3}, {1, 1, 1, 0, 1, 1});
  expectBools(evalBinary("GreaterOrEqual", a, b), {2, 3}, {1, 0, 0, 1, 1, 0});
}

TEST(HostTensorBinary, FloatComparisonsProduceBools) {
  // Fractional parts must not be truncated before comparing.
  HostTensor a = HostTensor::floats({3}, {0.5f, 1.0f, 1.5f});
  HostTensor one = HostTensor::floats({}, {1.0f});
  expectBools(evalBinary("Less", a, one), {3}, {1, 0, 0});
  expectBools(evalBinary("Greater", a, one), {3}, {0, 0, 1});
  expectBools(evalBinary("Equal", a, one), {3}, {0, 1, 0});
  HostTensor quarter = HostTensor::floats({}, {0.25f});
  HostTensor threeQuarters = HostTensor::floats({}, {0.75f});
  expectBools(evalBinary("Equal", quarter, threeQuarters), {}, {0});
  expectBools(evalBinary("Less", quarter, threeQuarters), {}, {1});
  expectBools(evalBinary("LessOrEqual", threeQuarters, quarter), {}, {0});
  expectBools(evalBinary("Greater", threeQuarters, quarter), {}, {1});
  expectBools(evalBinary("GreaterOrEqual", quarter, threeQuarters), {}, {0});
}

TEST(HostTensorBinary, AndOr) {
  HostTensor a = bools({4}, {1, 1, 0, 0});
  HostTensor b = bools({4}, {1, 0, 1, 0});
  expectBools(evalBinary("And", a, b), {4}, {1, 0, 0, 0});
  expectBools(evalBinary("Or", a, b), {4}, {1, 1, 1, 0});
  expectBools(evalBinary("And", a, bools({}, {1})), {4}, {1, 1, 0, 0});
  expectBools(evalBinary("Or", bools({2, 1}, {0, 1}), bools({2}, {0, 1})),
              {2, 2}, {0, 1, 1, 1});
}

TEST(HostTensorBinary, MaxMin) {
  HostTensor fa = HostTensor::floats({3}, {1, -2, 3});
  HostTensor fb = HostTensor::floats({3}, {0, 0, 5});
  expectFloats(evalBinary("Max", fa, fb), {3}, {1, 0, 5});
  expectFloats(evalBinary("Min", fa, fb), {3}, {0, -2, 3});
  HostTensor ia = HostTensor::ints({2, 1}, {1, 5});
  HostTensor ib = HostTensor::ints({3}, {0, 3, 6});
  expectInts(evalBinary("Max", ia, ib), {2, 3}, {1, 3, 6, 5, 5, 6});
  expectInts(evalBinary("Min", ia, ib), {2, 3}, {0, 1, 1, 0, 3, 5});
}

TEST(HostTensorBinary, MixedFloatAndIntGivesFloat) {
  expectFloats(evalBinary("Add", HostTensor::floats({1}, {1.5f}),
                          HostTensor::ints({1}, {2})),
               {1}, {3.5f});
}

TEST(HostTensorBinary, Errors) {
  expectFailure(evalBinary("Add",
                           HostTensor::floats({2, 3}, {1, 2, 3, 4, 5, 6}),
                           HostTensor::floats({4}, {1, 2, 3, 4})));
  expectFailure(evalBinary("Add", HostTensor::ints({2}, {1, 2}),
                           HostTensor::ints({3}, {1, 2, 3})));
  expectFailure(evalBinary("BitShift", HostTensor::ints({1}, {1}),
                           HostTensor::ints({1}, {1})));
  expectFailure(evalBinary("Atan2", HostTensor::floats({1}, {1}),
                           HostTensor::floats({1}, {1})));
}

//===----------------------------------------------------------------------===//
// evalUnary
//===----------------------------------------------------------------------===//

TEST(HostTensorUnary, FloatOps) {
  HostTensor a = HostTensor::floats({2}, {1.5f, -2});
  expectFloats(evalUnary("Neg", a), {2}, {-1.5f, 2});
  expectFloats(evalUnary("Abs", a), {2}, {1.5f, 2});
  expectFloats(evalUnary("Relu", a), {2}, {1.5f, 0});
  expectFloats(evalUnary("Reciprocal", HostTensor::floats({2}, {4, -0.5f})),
               {2}, {0.25f, -2});
  expectFloats(evalUnary("Sqrt", HostTensor::floats({3}, {4, 9, 2.25f})), {3},
               {2, 3, 1.5f});
  expectFloats(evalUnary("Exp", HostTensor::floats({2}, {0, 1})), {2},
               {1, 2.7182817f});
  expectFloats(evalUnary("Log", HostTensor::floats({2}, {1, 2.7182817f})), {2},
               {0, 1});
}

TEST(HostTensorUnary, Rounding) {
  HostTensor a =
      HostTensor::floats({3, 2}, {1.5f, -1.5f, 2, 0.2f, -0.2f, 2.5f});
  expectFloats(evalUnary("Floor", a), {3, 2}, {1, -2, 2, 0, -1, 2});
  expectFloats(evalUnary("Ceil", a), {3, 2}, {2, -1, 2, 1, -0.0f, 3});
  // Round is round-half-to-even.
  expectFloats(
      evalUnary("Round", HostTensor::floats(
                             {6}, {0.5f, 1.5f, 2.5f, -0.5f, -1.6f, 2.4f})),
      {6}, {0, 2, 2, -0.0f, -2, 2});
}

TEST(HostTensorUnary, Sigmoid) {
  float ln3 = std::log(3.0f);
  expectFloats(evalUnary("Sigmoid", HostTensor::floats({3}, {0, ln3, -ln3})),
               {3}, {0.5f, 0.75f, 0.25f});
}

TEST(HostTensorUnary, IntNegAbsReluStayInt) {
  HostTensor a = HostTensor::ints({3}, {3, -4, 0});
  expectInts(evalUnary("Neg", a), {3}, {-3, 4, 0});
  expectInts(evalUnary("Abs", a), {3}, {3, 4, 0});
  expectInts(evalUnary("Relu", a), {3}, {3, 0, 0});
}

TEST(HostTensorUnary, IntSqrtGivesFloat) {
  expectFloats(evalUnary("Sqrt", HostTensor::ints({2}, {16, 2})), {2},
               {4, std::sqrt(2.0f)});
}

TEST(HostTensorUnary, Not) {
  expectBools(evalUnary("Not", bools({2, 2}, {1, 0, 0, 1})), {2, 2},
              {0, 1, 1, 0});
  expectBools(evalUnary("Not", HostTensor::ints({3}, {0, 5, -1})), {3},
              {1, 0, 0});
}

TEST(HostTensorUnary, Unsupported) {
  expectFailure(evalUnary("Tanh", HostTensor::floats({1}, {0})));
}

//===----------------------------------------------------------------------===//
// evalCast
//===----------------------------------------------------------------------===//

TEST(HostTensorCast, FloatToIntTruncates) {
  expectInts(evalCast(HostTensor::floats({2, 2}, {1.9f, -1.9f, 0, 2.5f}),
                      /*toFloat=*/false, /*toBool=*/false),
             {2, 2}, {1, -1, 0, 2});
}

TEST(HostTensorCast, ToBool) {
  // Any nonzero value is true, including fractions below one.
  expectBools(evalCast(HostTensor::floats({4}, {0.1f, -2, 0, 3}),
                       /*toFloat=*/false, /*toBool=*/true),
              {4}, {1, 1, 0, 1});
  expectBools(evalCast(HostTensor::ints({3}, {3, 0, -2}), /*toFloat=*/false,
                       /*toBool=*/true),
              {3}, {1, 0, 1});
}

TEST(HostTensorCast, ToFloat) {
  expectFloats(evalCast(HostTensor::ints({3}, {3, 0, -2}), /*toFloat=*/true,
                        /*toBool=*/false),
               {3}, {3, 0, -2});
  expectFloats(evalCast(bools({2}, {1, 0}), /*toFloat=*/true,
                        /*toBool=*/false),
               {2}, {1, 0});
}

TEST(HostTensorCast, BoolToInt) {
  expectInts(evalCast(bools({2}, {1, 0}), /*toFloat=*/false,
                      /*toBool=*/false),
             {2}, {1, 0});
}

//===----------------------------------------------------------------------===//
// evalWhere
//===----------------------------------------------------------------------===//

TEST(HostTensorWhere, BroadcastCondAndScalar) {
  HostTensor c = bools({2, 1}, {1, 0});
  HostTensor x = HostTensor::floats({3}, {1, 2, 3});
  HostTensor y = HostTensor::floats({}, {9});
  expectFloats(evalWhere(c, x, y), {2, 3}, {1, 2, 3, 9, 9, 9});
}

TEST(HostTensorWhere, BroadcastAllThree) {
  HostTensor c = bools({3}, {1, 0, 1});
  HostTensor x = HostTensor::ints({2, 1}, {10, 20});
  HostTensor y = HostTensor::ints({2, 3}, {-1, -2, -3, -4, -5, -6});
  expectInts(evalWhere(c, x, y), {2, 3}, {10, -2, 10, 20, -5, 20});
}

TEST(HostTensorWhere, Errors) {
  HostTensor c = bools({2}, {1, 0});
  expectFailure(evalWhere(c, HostTensor::floats({2}, {1, 2}),
                          HostTensor::ints({2}, {1, 2})));
  expectFailure(evalWhere(c, HostTensor::floats({3}, {1, 2, 3}),
                          HostTensor::floats({2}, {1, 2})));
}

//===----------------------------------------------------------------------===//
// evalTranspose
//===----------------------------------------------------------------------===//

TEST(HostTensorTranspose, Matrix) {
  expectInts(
      evalTranspose(HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6}), {1, 0}),
      {3, 2}, {1, 4, 2, 5, 3, 6});
}

TEST(HostTensorTranspose, Rank3Perm201) {
  // a[i][j][k] = 12i + 4j + k; out = transpose(a, [2, 0, 1]) has shape
  // [4, 2, 3] and out[k][i][j] = a[i][j][k].
  HostResult r = evalTranspose(iotaFloats({2, 3, 4}), {2, 0, 1});
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(shapeOf(*r.value), (std::vector<int64_t>{4, 2, 3}));
  ASSERT_EQ(r.value->f.size(), 24u);
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        EXPECT_EQ(r.value->f[k * 6 + i * 3 + j], 12 * i + 4 * j + k)
            << "at out[" << k << "][" << i << "][" << j << "]";
  // Spot-check the first row literally.
  EXPECT_EQ(std::vector<float>(r.value->f.begin(), r.value->f.begin() + 6),
            (std::vector<float>{0, 4, 8, 12, 16, 20}));
}

TEST(HostTensorTranspose, KeepsBool) {
  expectBools(evalTranspose(bools({2, 2}, {1, 1, 0, 0}), {1, 0}), {2, 2},
              {1, 0, 1, 0});
}

TEST(HostTensorTranspose, Errors) {
  HostTensor a = iotaFloats({2, 3});
  expectFailure(evalTranspose(a, {0}));
  expectFailure(evalTranspose(a, {0, 2}));
  expectFailure(evalTranspose(a, {-1, 0}));
}

//===----------------------------------------------------------------------===//
// evalConcat
//===----------------------------------------------------------------------===//

TEST(HostTensorConcat, Axis0) {
  HostTensor a = HostTensor::floats({2, 2}, {1, 2, 3, 4});
  HostTensor b = HostTensor::floats({1, 2}, {5, 6});
  expectFloats(evalConcat({&a, &b}, 0), {3, 2}, {1, 2, 3, 4, 5, 6});
  expectFloats(evalConcat({&b, &a}, 0), {3, 2}, {5, 6, 1, 2, 3, 4});
}

TEST(HostTensorConcat, Axis1) {
  HostTensor a = HostTensor::floats({2, 2}, {1, 2, 3, 4});
  HostTensor b = HostTensor::floats({2, 1}, {5, 6});
  expectFloats(evalConcat({&a, &b}, 1), {2, 3}, {1, 2, 5, 3, 4, 6});
  expectFloats(evalConcat({&b, &a}, 1), {2, 3}, {5, 1, 2, 6, 3, 4});
}

TEST(HostTensorConcat, ShapeVectors) {
  HostTensor a = HostTensor::ints({1}, {1});
  HostTensor b = HostTensor::ints({2}, {-1, 3});
  HostTensor c = HostTensor::ints({1}, {80});
  expectInts(evalConcat({&a, &b, &c}, 0), {4}, {1, -1, 3, 80});
}

TEST(HostTensorConcat, Errors) {
  HostTensor a = HostTensor::floats({2, 2}, {1, 2, 3, 4});
  HostTensor b = HostTensor::floats({1, 3}, {5, 6, 7});
  HostTensor c = HostTensor::ints({1, 2}, {5, 6});
  HostTensor d = HostTensor::floats({4}, {1, 2, 3, 4});
  expectFailure(evalConcat({&a, &b}, 0));
  expectFailure(evalConcat({&a, &c}, 0));
  expectFailure(evalConcat({&a, &d}, 0));
}

//===----------------------------------------------------------------------===//
// evalGather
//===----------------------------------------------------------------------===//

TEST(HostTensorGather, ScalarIndexDropsRank) {
  HostTensor shape = HostTensor::ints({4}, {1, 3, 640, 480});
  expectInts(evalGather(shape, HostTensor::ints({}, {2}), 0), {}, {640});
  HostTensor data = HostTensor::floats({3, 2}, {1, 2, 3, 4, 5, 6});
  expectFloats(evalGather(data, HostTensor::ints({}, {2}), 0), {2}, {5, 6});
  expectFloats(evalGather(data, HostTensor::ints({}, {1}), 1), {3}, {2, 4, 6});
}

TEST(HostTensorGather, NegativeIndex) {
  HostTensor data = HostTensor::floats({3, 2}, {1, 2, 3, 4, 5, 6});
  expectFloats(evalGather(data, HostTensor::ints({1}, {-1}), 0), {1, 2},
               {5, 6});
  expectFloats(evalGather(data, HostTensor::ints({}, {-3}), 0), {2}, {1, 2});
  HostTensor shape = HostTensor::ints({4}, {1, 3, 640, 480});
  expectInts(evalGather(shape, HostTensor::ints({}, {-1}), 0), {}, {480});
}

TEST(HostTensorGather, IndexTensorAlongAxis1) {
  HostTensor data = HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6});
  expectInts(evalGather(data, HostTensor::ints({2}, {2, 0}), 1), {2, 2},
             {3, 1, 6, 4});
  expectInts(evalGather(data, HostTensor::ints({2, 2}, {1, 0, 0, 1}), 0),
             {2, 2, 3}, {4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6});
}

TEST(HostTensorGather, OutOfRange) {
  HostTensor data = HostTensor::ints({2, 3}, {1, 2, 3, 4, 5, 6});
  expectFailure(evalGather(data, HostTensor::ints({}, {3}), 1));
  expectFailure(evalGather(data, HostTensor::ints({}, {-4}), 1));
  expectFailure(evalGather(data, HostTensor::ints({2}, {0, 2}), 0));
}

//===----------------------------------------------------------------------===//
// evalSlice
//===----------------------------------------------------------------------===//

TEST(HostTensorSlice, PositiveStep) {
  HostTensor a = HostTensor::ints({10}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  expectInts(evalSlice(a, {1}, {3}, {3}), {3}, {1, 4, 7});
  expectInts(evalSlice(a, {2}, {4}, {1}), {4}, {2, 3, 4, 5});
}

TEST(HostTensorSlice, NegativeStep) {
  HostTensor a = HostTensor::ints({10}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  expectInts(evalSlice(a, {9}, {4}, {-2}), {4}, {9, 7, 5, 3});
}

TEST(HostTensorSlice, TwoDims) {
  // a[r][c] = 4r + c, rows {0, 2}, columns {1, 3}.
  expectFloats(evalSlice(iotaFloats({3, 4}), {0, 1}, {2, 2}, {2, 2}), {2, 2},
               {1, 3, 9, 11});
  // Rows {2, 1} reversed, columns {0, 1, 2}.
  expectFloats(evalSlice(iotaFloats({3, 4}), {2, 0}, {2, 3}, {-1, 1}), {2, 3},
               {8, 9, 10, 4, 5, 6});
}

TEST(HostTensorSlice, Empty) {
  HostResult r = evalSlice(iotaFloats({5}), {5}, {0}, {1});
  expectFloats(r, {0}, {});
}

//===----------------------------------------------------------------------===//
// evalExpand
//===----------------------------------------------------------------------===//

TEST(HostTensorExpand, Basic) {
  expectInts(evalExpand(HostTensor::ints({3, 1}, {1, 2, 3}), {3, 2}), {3, 2},
             {1, 1, 2, 2, 3, 3});
  expectFloats(evalExpand(HostTensor::floats({}, {7}), {2, 2}), {2, 2},
               {7, 7, 7, 7});
}

TEST(HostTensorExpand, Bidirectional) {
  // The target shape may be smaller than the input: [2] with [3, 1] is [3, 2].
  expectInts(evalExpand(HostTensor::ints({2}, {7, 8}), {3, 1}), {3, 2},
             {7, 8, 7, 8, 7, 8});
  expectFloats(evalExpand(HostTensor::floats({2, 1}, {1, 2}), {2, 1, 3}),
               {2, 2, 3}, {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2});
}

TEST(HostTensorExpand, Incompatible) {
  expectFailure(evalExpand(HostTensor::ints({3}, {1, 2, 3}), {2}));
}

//===----------------------------------------------------------------------===//
// evalRange
//===----------------------------------------------------------------------===//

TEST(HostTensorRange, Int) {
  auto i = [](int64_t v) { return HostTensor::ints({}, {v}); };
  expectInts(evalRange(i(0), i(5), i(1)), {5}, {0, 1, 2, 3, 4});
  expectInts(evalRange(i(1), i(10), i(4)), {3}, {1, 5, 9});
  expectInts(evalRange(i(10), i(4), i(-3)), {2}, {10, 7});
  expectInts(evalRange(i(0), i(5), i(2)), {3}, {0, 2, 4});
}

TEST(HostTensorRange, Float) {
  auto f = [](float v) { return HostTensor::floats({}, {v}); };
  expectFloats(evalRange(f(0), f(1), f(0.25f)), {4}, {0, 0.25f, 0.5f, 0.75f});
  expectFloats(evalRange(f(1), f(2.1f), f(0.5f)), {3}, {1, 1.5f, 2});
  expectFloats(evalRange(f(0.5f), f(-1), f(-0.5f)), {3}, {0.5f, 0, -0.5f});
}

TEST(HostTensorRange, Empty) {
  auto i = [](int64_t v) { return HostTensor::ints({}, {v}); };
  expectInts(evalRange(i(5), i(0), i(1)), {0}, {});
  expectInts(evalRange(i(3), i(3), i(1)), {0}, {});
  expectInts(evalRange(i(0), i(5), i(-1)), {0}, {});
  expectFloats(evalRange(HostTensor::floats({}, {2}),
                         HostTensor::floats({}, {1}),
                         HostTensor::floats({}, {0.5f})),
               {0}, {});
}

TEST(HostTensorRange, HugeLengths) {
  // Found by scripts/fuzz.sh: start 3.4e38, limit 2.1e9 and delta 1 give a
  // length of -3.4e38, which was converted to int64 with undefined
  // behaviour. Any negative length is an empty range; a positive one that
  // int64 cannot hold (or NaN) is an error.
  auto f = [](float v) { return HostTensor::floats({}, {v}); };
  expectFloats(evalRange(f(3.4e38f), f(2.0f), f(1.0f)), {0}, {});
  expectFloats(evalRange(f(0), f(-INFINITY), f(1.0f)), {0}, {});
  expectFailure(evalRange(f(-3.4e38f), f(3.4e38f), f(1.0f)));
  expectFailure(evalRange(f(0), f(INFINITY), f(1.0f)));
  expectFailure(evalRange(f(0), f(NAN), f(1.0f)));
}

TEST(HostTensorRange, ZeroDelta) {
  expectFailure(evalRange(HostTensor::ints({}, {0}), HostTensor::ints({}, {5}),
                          HostTensor::ints({}, {0})));
}

//===----------------------------------------------------------------------===//
// evalReduce
//===----------------------------------------------------------------------===//

TEST(HostTensorReduce, Sum) {
  HostTensor a = HostTensor::floats({2, 3}, {1, 2, 3, 4, 5, 6});
  expectFloats(evalReduce("ReduceSum", a, {1}, false), {2}, {6, 15});
  expectFloats(evalReduce("ReduceSum", a, {1}, true), {2, 1}, {6, 15});
  expectFloats(evalReduce("ReduceSum", a, {0}, false), {3}, {5, 7, 9});
  expectFloats(evalReduce("ReduceSum", a, {0}, true), {1, 3}, {5, 7, 9});
  expectFloats(evalReduce("ReduceSum", a, {}, false), {}, {21});
  expectFloats(evalReduce("ReduceSum", a, {0, 1}, true), {1, 1}, {21});
}

TEST(HostTensorReduce, SumRank3OuterAndInnerAxes) {
  // a[i][j][k] = 6i + 2j + k; summing over i and k gives 14 + 8j.
  HostTensor a = iotaFloats({2, 3, 2});
  expectFloats(evalReduce("ReduceSum", a, {0, 2}, false), {3}, {14, 22, 30});
  expectFloats(evalReduce("ReduceSum", a, {0, 2}, true), {1, 3, 1},
               {14, 22, 30});
  // Over the middle axis only: sum_j = 3 * (6i + k) + 6.
  expectFloats(evalReduce("ReduceSum", a, {1}, false), {2, 2}, {6, 9, 24, 27});
}

TEST(HostTensorReduce, Mean) {
  HostTensor a = HostTensor::floats({2, 3}, {1, 2, 3, 4, 5, 6});
  expectFloats(evalReduce("ReduceMean", a, {1}, false), {2}, {2, 5});
  expectFloats(evalReduce("ReduceMean", a, {0}, true), {1, 3},
               {2.5f, 3.5f, 4.5f});
  expectFloats(evalReduce("ReduceMean", a, {}, false), {}, {3.5f});
  expectFloats(evalReduce("ReduceMean", a, {}, true), {1, 1}, {3.5f});
}

TEST(HostTensorReduce, MaxMinOfNegatives) {
  // All values are negative, so an accumulator that starts at 0 would show.
  HostTensor a = HostTensor::floats({2, 2}, {-1, -5, -3, -2});
  expectFloats(evalReduce("ReduceMax", a, {1}, false), {2}, {-1, -2});
  expectFloats(evalReduce("ReduceMax", a, {0}, true), {1, 2}, {-1, -2});
  expectFloats(evalReduce("ReduceMax", a, {}, false), {}, {-1});
  expectFloats(evalReduce("ReduceMin", a, {0}, false), {2}, {-3, -5});
  HostTensor p = HostTensor::floats({2, 2}, {1, 5, 3, 2});
  expectFloats(evalReduce("ReduceMin", p, {1}, true), {2, 1}, {1, 2});
}

TEST(HostTensorReduce, Prod) {
  HostTensor a = HostTensor::floats({2, 3}, {1, 2, 3, 4, 5, 6});
  expectFloats(evalReduce("ReduceProd", a, {1}, false), {2}, {6, 120});
}

TEST(HostTensorReduce, IntStaysInt) {
  HostTensor a = HostTensor::ints({2, 2}, {1, 2, 4, 8});
  expectInts(evalReduce("ReduceSum", a, {0}, false), {2}, {5, 10});
  expectInts(evalReduce("ReduceMax", a, {1}, true), {2, 1}, {2, 8});
}

TEST(HostTensorReduce, Unsupported) {
  expectFailure(
      evalReduce("ReduceL2", HostTensor::floats({2}, {3, 4}), {0}, false));
}

} // namespace

//===----------------------------------------------------------------------===//
// int64 overflow (found by scripts/fuzz.sh): an error, never a wrapped value
//===----------------------------------------------------------------------===//

TEST(HostTensorOverflow, BinaryInt64) {
  HostTensor big = HostTensor::ints({}, {INT64_MAX - 1});
  HostTensor two = HostTensor::ints({}, {2});
  HostTensor minusOne = HostTensor::ints({}, {-1});
  HostTensor lowest = HostTensor::ints({}, {INT64_MIN});
  expectFailure(evalBinary("Add", big, two));
  expectFailure(evalBinary("Sub", lowest, two));
  expectFailure(evalBinary("Mul", big, two));
  expectFailure(evalBinary("Div", lowest, minusOne));
  expectFailure(evalBinary("Pow", two, HostTensor::ints({}, {64})));
  HostResult r = evalBinary("Add", big, two);
  EXPECT_NE(r.error.find("int64 overflow in Add"), std::string::npos)
      << r.error;
  // In range: exact.
  expectInts(evalBinary("Add", big, HostTensor::ints({}, {1})), {},
             {INT64_MAX});
  expectInts(evalBinary("Mod", lowest, minusOne), {}, {0});
  expectInts(evalBinary("Div", big, minusOne), {}, {-(INT64_MAX - 1)});
  expectInts(evalBinary("Pow", two, HostTensor::ints({}, {62})), {},
             {int64_t(1) << 62});
}

TEST(HostTensorOverflow, UnaryInt64AndFloatToInt) {
  HostTensor lowest = HostTensor::ints({}, {INT64_MIN});
  expectFailure(evalUnary("Neg", lowest));
  expectFailure(evalUnary("Abs", lowest));
  expectInts(evalUnary("Relu", lowest), {}, {0});
  HostTensor f = HostTensor::floats({4}, {1e30f, -1e30f, NAN, -2.75f});
  EXPECT_EQ(f.getInt(0), INT64_MAX);
  EXPECT_EQ(f.getInt(1), INT64_MIN);
  EXPECT_EQ(f.getInt(2), 0);
  EXPECT_EQ(f.getInt(3), -2);
}
