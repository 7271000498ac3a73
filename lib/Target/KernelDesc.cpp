//===- KernelDesc.cpp - what a kernel is specialized on -------------------===//

#include "yolo/Target/KernelDesc.h"

#include <cstring>
#include <sstream>

namespace mlir {
namespace yolo {

Shape winogradWeightShape(const WinogradDesc &d) {
  int64_t t = d.m + 2, cin = d.input[1], cout = d.output[1];
  int64_t block = d.weightBlock;
  if (d.runtimeWeights)
    return {3, 3, cin, cout};
  if (block)
    return {t * t, (cout + block - 1) / block, cin, block};
  return {t * t, cin, cout};
}

namespace {

/// Writes the fields of a descriptor into a key, each ended by a comma.
class KeyWriter {
public:
  explicit KeyWriter(const char *kind) { os << kind << ":"; }
  KeyWriter &ints(const std::vector<int64_t> &values) {
    os << "[";
    for (int64_t v : values)
      os << v << ",";
    os << "]";
    return *this;
  }
  KeyWriter &i(int64_t v) {
    os << v << ",";
    return *this;
  }
  /// By its bits: -0.0 and 0.0 are different kernels.
  KeyWriter &f(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    os << "f" << bits << ",";
    return *this;
  }
  KeyWriter &act(Activation a, float alpha) {
    return i(static_cast<int64_t>(a)).f(alpha);
  }
  KeyWriter &tiles(const std::vector<ConvTile> &tiles) {
    os << "t";
    for (const ConvTile &t : tiles)
      os << t.lanes << "x" << t.vectors << "x" << t.channels << ",";
    return *this;
  }
  std::string str() const { return os.str(); }

private:
  std::ostringstream os;
};

// Per descriptor: its kind, its buffers' shapes and the fields of its key
// beyond the shapes.

const char *kindOf(const ConvDesc &) { return "conv"; }
/// A convolution's buffers: input, weights, bias, the residual if any,
/// output.
std::vector<Shape> convShapes(Shape input, Shape weight, const Shape &output,
                              bool residual) {
  std::vector<Shape> shapes = {
      std::move(input), std::move(weight), {output[1]}};
  if (residual)
    shapes.push_back(output);
  shapes.push_back(output);
  return shapes;
}

std::vector<Shape> shapesOf(const ConvDesc &d) {
  return convShapes(d.input, d.weight, d.output, d.residual);
}
void keyOf(const ConvDesc &d, KeyWriter &k) {
  k.i(d.strideH).i(d.strideW).i(d.padTop).i(d.padLeft);
  k.i(d.dilationH).i(d.dilationW).i(d.groups);
  k.act(d.activation, d.alpha).tiles(d.tiles).i(d.denseWeights);
  k.i(d.residual);
}

const char *kindOf(const Conv1x1Desc &) { return "conv1x1"; }
std::vector<Shape> shapesOf(const Conv1x1Desc &d) {
  return convShapes(d.input, {d.output[1], d.input[1]}, d.output, d.residual);
}
void keyOf(const Conv1x1Desc &d, KeyWriter &k) {
  k.act(d.activation, d.alpha).tiles(d.tiles).i(d.denseWeights);
  k.i(d.residual);
}

const char *kindOf(const WinogradDesc &) { return "conv_winograd"; }
std::vector<Shape> shapesOf(const WinogradDesc &d) {
  return convShapes(d.input, winogradWeightShape(d), d.output, d.residual);
}
void keyOf(const WinogradDesc &d, KeyWriter &k) {
  k.i(d.m).i(d.padTop).i(d.padLeft);
  k.act(d.activation, d.alpha).tiles(d.tiles).i(d.band).i(d.weightBlock);
  k.i(d.residual);
}

const char *kindOf(const ConvTransposeDesc &) { return "conv_transpose"; }
std::vector<Shape> shapesOf(const ConvTransposeDesc &d) {
  return {d.input, d.weight, {d.output[1]}, d.output};
}
void keyOf(const ConvTransposeDesc &d, KeyWriter &k) {
  k.i(d.strideH).i(d.strideW).i(d.padTop).i(d.padLeft);
  k.i(d.dilationH).i(d.dilationW).i(d.groups);
}

const char *kindOf(const PoolDesc &d) {
  return d.kind == PoolKind::Max ? "max_pool" : "avg_pool";
}
std::vector<Shape> shapesOf(const PoolDesc &d) { return {d.input, d.output}; }
void keyOf(const PoolDesc &d, KeyWriter &k) {
  k.i(d.kernelH).i(d.kernelW).i(d.strideH).i(d.strideW);
  k.i(d.padTop).i(d.padLeft).i(d.countIncludePad);
}

const char *kindOf(const ResizeDesc &d) {
  return d.mode == ResizeMode::linear ? "resize_linear" : "resize";
}
std::vector<Shape> shapesOf(const ResizeDesc &d) { return {d.input, d.output}; }
void keyOf(const ResizeDesc &d, KeyWriter &k) {
  k.i(d.scaleH).i(d.scaleW);
  if (d.mode == ResizeMode::linear)
    k.i(static_cast<int64_t>(d.coordinateMode))
        .f(d.coordScaleH)
        .f(d.coordScaleW);
}

const char *kindOf(const BinaryDesc &) { return "binary"; }
std::vector<Shape> shapesOf(const BinaryDesc &d) {
  return {d.lhs, d.rhs, d.output};
}
void keyOf(const BinaryDesc &d, KeyWriter &k) {
  k.i(static_cast<int64_t>(d.kind));
}

const char *kindOf(const UnaryDesc &) { return "unary"; }
std::vector<Shape> shapesOf(const UnaryDesc &d) { return {d.shape, d.shape}; }
void keyOf(const UnaryDesc &d, KeyWriter &k) { k.act(d.activation, d.alpha); }

const char *kindOf(const CopyDesc &) { return "copy"; }
std::vector<Shape> shapesOf(const CopyDesc &d) { return {d.input, d.output}; }
void keyOf(const CopyDesc &, KeyWriter &) {}

const char *kindOf(const PadDesc &) { return "pad"; }
std::vector<Shape> shapesOf(const PadDesc &d) { return {d.input, d.output}; }
void keyOf(const PadDesc &d, KeyWriter &k) { k.ints(d.begin).f(d.value); }

const char *kindOf(const TransposeDesc &) { return "transpose"; }
std::vector<Shape> shapesOf(const TransposeDesc &d) {
  return {d.input, d.output};
}
void keyOf(const TransposeDesc &d, KeyWriter &k) { k.ints(d.perm); }

const char *kindOf(const SoftmaxDesc &) { return "softmax"; }
std::vector<Shape> shapesOf(const SoftmaxDesc &d) { return {d.shape, d.shape}; }
void keyOf(const SoftmaxDesc &d, KeyWriter &k) { k.i(d.axis); }

const char *kindOf(const ReduceSumDesc &) { return "reduce_sum"; }
std::vector<Shape> shapesOf(const ReduceSumDesc &d) {
  return {d.input, d.output};
}
void keyOf(const ReduceSumDesc &d, KeyWriter &k) {
  k.i(d.keepDims).ints(d.axes);
}

const char *kindOf(const MatMulDesc &) { return "matmul"; }
std::vector<Shape> shapesOf(const MatMulDesc &d) {
  return {d.lhs, d.rhs, d.output};
}
void keyOf(const MatMulDesc &, KeyWriter &) {}

} // namespace

const char *kernelKind(const KernelDesc &desc) {
  return std::visit([](const auto &d) { return kindOf(d); }, desc);
}

std::vector<Shape> bufferShapes(const KernelDesc &desc) {
  return std::visit([](const auto &d) { return shapesOf(d); }, desc);
}

size_t arity(const KernelDesc &desc) { return bufferShapes(desc).size(); }

std::string kernelKey(const KernelDesc &desc) {
  KeyWriter k(kernelKind(desc));
  for (const Shape &s : bufferShapes(desc))
    k.ints(s);
  std::visit([&](const auto &d) { keyOf(d, k); }, desc);
  return k.str();
}

std::string describe(const KernelDesc &desc) {
  std::vector<Shape> shapes = bufferShapes(desc);
  std::ostringstream os;
  os << kernelKind(desc) << " ";
  for (size_t i = 0; i < shapes.size(); ++i) {
    os << (i ? (i + 1 == shapes.size() ? " -> " : ", ") : "");
    for (size_t d = 0; d < shapes[i].size(); ++d)
      os << (d ? "x" : "") << shapes[i][d];
  }
  return os.str();
}

ConvShape convShape(const ConvDesc &d) {
  const Shape &out = d.output;
  return {static_cast<int>(out[3]),
          static_cast<int>(out[1]),
          static_cast<int>(d.strideW),
          false,
          static_cast<int>(d.weight[1]),
          static_cast<int>(d.weight[2] * d.weight[3]),
          out[2] * out[0]};
}

const std::vector<ConvTile> *convTiles(const KernelDesc &desc) {
  if (const auto *d = std::get_if<ConvDesc>(&desc))
    return &d->tiles;
  if (const auto *d = std::get_if<Conv1x1Desc>(&desc))
    return &d->tiles;
  if (const auto *d = std::get_if<WinogradDesc>(&desc))
    return &d->tiles;
  return nullptr;
}

ConvShape convShape(const Conv1x1Desc &d) {
  return {static_cast<int>(d.output[2]),
          static_cast<int>(d.output[1]),
          1,
          true,
          static_cast<int>(d.input[1]),
          1,
          d.output[0]};
}

const char *profileClass(const KernelDesc &desc) {
  if (std::holds_alternative<WinogradDesc>(desc))
    return "conv3x3s1";
  if (std::holds_alternative<Conv1x1Desc>(desc))
    return "conv1x1";
  if (const auto *d = std::get_if<ConvDesc>(&desc)) {
    bool plain = d->groups == 1 && d->dilationH == 1 && d->dilationW == 1 &&
                 d->strideH == d->strideW;
    int64_t kh = d->weight[2], kw = d->weight[3];
    if (plain && kh == 3 && kw == 3 && d->strideH == 1)
      return "conv3x3s1";
    if (plain && kh == 3 && kw == 3 && d->strideH == 2)
      return "conv3x3s2";
    if (plain && kh == 1 && kw == 1 && d->strideH == 1)
      return "conv1x1";
    return "conv-other";
  }
  if (std::holds_alternative<ConvTransposeDesc>(desc))
    return "conv-other";
  if (std::holds_alternative<MatMulDesc>(desc))
    return "matmul";
  if (std::holds_alternative<PoolDesc>(desc))
    return "pool";
  if (std::holds_alternative<BinaryDesc>(desc) ||
      std::holds_alternative<UnaryDesc>(desc))
    return "elementwise";
  if (std::holds_alternative<CopyDesc>(desc) ||
      std::holds_alternative<PadDesc>(desc) ||
      std::holds_alternative<TransposeDesc>(desc))
    return "copy";
  return "other";
}

int64_t directFlops(const KernelDesc &desc) {
  auto product = [](const Shape &s) {
    int64_t p = 1;
    for (int64_t v : s)
      p *= v;
    return p;
  };
  // Output elements times the multiply-adds of each, twice.
  if (const auto *d = std::get_if<ConvDesc>(&desc))
    return 2 * product(d->output) * d->weight[1] * d->weight[2] * d->weight[3];
  if (const auto *d = std::get_if<Conv1x1Desc>(&desc))
    return 2 * product(d->output) * d->input[1];
  if (const auto *d = std::get_if<WinogradDesc>(&desc))
    return 2 * product(d->output) * d->input[1] * 9;
  // Input pixels times the weights each reaches.
  if (const auto *d = std::get_if<ConvTransposeDesc>(&desc))
    return 2 * d->input[0] * d->input[2] * d->input[3] * product(d->weight);
  if (const auto *d = std::get_if<MatMulDesc>(&desc))
    return 2 * product(d->output) * d->lhs.back();
  return 0;
}

} // namespace yolo
} // namespace mlir
