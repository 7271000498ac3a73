//===- KernelDesc.h - what a kernel is specialized on -----------*- C++ -*-===//
//
// A kernel is one Halide pipeline specialized to static shapes and to the
// parameters of its op; identical layers share one kernel (their
// kernelKey()s are equal). One descriptor struct per kernel, with named
// fields; KernelDesc is their variant. Shapes are in MLIR order (outermost
// first). Halide-free: the lowering passes build descriptors, the Halide
// algorithms (lib/Target/Halide/Algorithms/) read them.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_TARGET_KERNELDESC_H
#define YOLO_TARGET_KERNELDESC_H

#include "yolo/Dialect/Yolo/YoloEnums.h"
#include "yolo/Dialect/YoloKernel/YoloKernelEnums.h"
#include "yolo/Target/TargetInfo.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace mlir {
namespace yolo {

/// A tensor shape, outermost dimension first.
using Shape = std::vector<int64_t>;

/// A direct 2-D convolution, NCHW: out = act(conv(in, w) + b) with
/// weights [Cout, Cin / groups, KH, KW] and bias [Cout]. Padding at the
/// bottom and right is what the output shape implies. Weights of rank 5,
/// [ceil(Cout / B), Cin, KH, KW, B] (one group; --yolo-channel-blocks), are
/// in blocks of B output channels, innermost, a last block's lanes past
/// Cout zeros: the kernel then vectorizes along output channels
/// (channelBlock()).
struct ConvDesc {
  Shape input, weight, output;
  int64_t strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0;
  int64_t dilationH = 1, dilationW = 1;
  int64_t groups = 1;
  Activation activation = Activation::none;
  float alpha = 0.0f;
  /// The register tile for each --target variant, in variant order
  /// (chooseConvTile); the schedule uses it and chooses nothing.
  std::vector<ConvTile> tiles;
  /// Every call passes weights laid out densely, outermost dimension first
  /// (weights of their own, not a strided view): the kernel then fixes
  /// their strides at compile time (Algorithms/Common.cpp, denseInput).
  bool denseWeights = false;
  /// A residual of the output's shape, the buffer after the bias, added
  /// after the activation: out = act(conv(in, w) + b) + r
  /// (--yolo-fuse-residual).
  bool residual = false;
  /// B of weights in blocks of output channels; 0 for [Cout, Cin, KH, KW].
  int64_t channelBlock() const { return weight.size() == 5 ? weight[4] : 0; }
};

/// A 1x1, stride-1, unpadded, ungrouped convolution flattened to a matrix
/// product over H*W: input [N, Cin, P], weights [Cout, Cin], bias [Cout],
/// output [N, Cout, P].
struct Conv1x1Desc {
  Shape input, output;
  Activation activation = Activation::none;
  float alpha = 0.0f;
  std::vector<ConvTile> tiles;
  /// As ConvDesc::denseWeights.
  bool denseWeights = false;
  /// As ConvDesc::residual ([N, Cout, P]).
  bool residual = false;
};

/// A 2-D transposed convolution, NCHW: out = conv_transpose(in, w) + b
/// with weights [Cin, Cout / groups, KH, KW] (ONNX's layout) and bias
/// [Cout]. Input pixel (iy, ix) reaches output pixel
/// (iy * strideH + ky * dilationH - padTop, ix * strideW + kx * dilationW -
/// padLeft); the output shape implies the bottom and right pads and the
/// output padding.
struct ConvTransposeDesc {
  Shape input, weight, output;
  int64_t strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0;
  int64_t dilationH = 1, dilationW = 1;
  int64_t groups = 1;
};

/// A 3x3, stride-1, undilated, ungrouped convolution by Winograd
/// F(m x m, 3 x 3) (include/yolo/Target/Winograd.h), NCHW: weights already
/// transformed, [t * t, Cin, Cout] with t = m + 2 or, with weightBlock B,
/// [t * t, ceil(Cout / B), Cin, B]; or (runtimeWeights) the 3x3 ones as
/// [3, 3, Cin, Cout], transformed by the kernel; bias [Cout].
/// Padding at the bottom and right is what the output shape implies.
struct WinogradDesc {
  Shape input, output;
  int64_t m = 4;
  bool runtimeWeights = false;
  int64_t padTop = 0, padLeft = 0;
  Activation activation = Activation::none;
  float alpha = 0.0f;
  /// Per --target variant: `vectors` vectors of `lanes` output channels by
  /// `channels` tiles along W (chooseWinogradTile).
  std::vector<ConvTile> tiles;
  /// One of a pair of row bands (--yolo-split-bands), which runs on one
  /// thread: its run-time weights are transformed once per call.
  bool band = false;
  /// Output channels per block of the transformed weights; 0: not blocked.
  int64_t weightBlock = 0;
  /// As ConvDesc::residual.
  bool residual = false;
};

/// The shape of a Winograd layer's weights, as described above.
Shape winogradWeightShape(const WinogradDesc &d);
enum class PoolKind { Max, Avg };

/// Max or average pooling, NCHW.
struct PoolDesc {
  PoolKind kind = PoolKind::Max;
  Shape input, output;
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0;
  /// Average pooling divides by the whole window (else by its part inside
  /// the input).
  bool countIncludePad = false;
};

/// Nearest-neighbour upsampling by integer factors (scaleH, scaleW), or
/// bilinear resizing to the output's H and W (ONNX Resize, mode linear),
/// NCHW.
struct ResizeDesc {
  Shape input, output;
  int64_t scaleH = 1, scaleW = 1;
  ResizeMode mode = ResizeMode::nearest;
  /// Linear only: the coordinate mapping and its scales.
  CoordinateMode coordinateMode = CoordinateMode::asymmetric;
  float coordScaleH = 1.0f, coordScaleW = 1.0f;
};

/// lhs OP rhs, with numpy broadcasting to `output`.
struct BinaryDesc {
  ykernel::BinaryKind kind = ykernel::BinaryKind::add;
  Shape lhs, rhs, output;
};

/// An activation on its own (alpha: leaky_relu's slope).
struct UnaryDesc {
  Activation activation = Activation::none;
  float alpha = 0.0f;
  Shape shape;
};

/// A copy between views of the same shape.
struct CopyDesc {
  Shape input, output;
};

/// out = in shifted by the begin pads, `value` outside.
struct PadDesc {
  Shape input, output;
  /// Pads before each dimension, MLIR order.
  std::vector<int64_t> begin;
  float value = 0.0f;
};

/// Output dimension i is input dimension perm[i].
struct TransposeDesc {
  Shape input, output;
  std::vector<int64_t> perm;
};

/// Softmax along `axis` (MLIR order).
struct SoftmaxDesc {
  Shape shape;
  int64_t axis = 0;
};

/// Sum over `axes` (MLIR order), keeping them as 1s with `keepDims`.
struct ReduceSumDesc {
  Shape input, output;
  bool keepDims = false;
  std::vector<int64_t> axes;
};

/// A batched matrix product: output [..., M, N] = lhs [..., M, K] x rhs
/// [..., K, N], all three of one rank; an operand's batch dimension is the
/// output's or 1 (broadcast).
struct MatMulDesc {
  Shape lhs, rhs, output;
};

using KernelDesc =
    std::variant<ConvDesc, Conv1x1Desc, WinogradDesc, ConvTransposeDesc,
                 PoolDesc, ResizeDesc, BinaryDesc, UnaryDesc, CopyDesc, PadDesc,
                 TransposeDesc, SoftmaxDesc, ReduceSumDesc, MatMulDesc>;

/// The kernel's name in messages: "conv", "conv1x1", "conv_transpose",
/// "max_pool", ...
const char *kernelKind(const KernelDesc &desc);

/// The shapes of the buffers the kernel takes, its output last.
std::vector<Shape> bufferShapes(const KernelDesc &desc);

/// The number of buffers the kernel takes, its output included.
size_t arity(const KernelDesc &desc);

/// The deduplication key: equal for two descriptors exactly when they
/// compile to the same code.
std::string kernelKey(const KernelDesc &desc);

/// A short description for progress lines and errors:
/// "conv 1x3x320x320, 16x3x3x3, 16 -> 1x16x160x160".
std::string describe(const KernelDesc &desc);

/// The register tiles of a convolution (one per --target variant); null
/// for the other kernels.
const std::vector<ConvTile> *convTiles(const KernelDesc &desc);

/// What the choice of a convolution's register tile depends on.
ConvShape convShape(const ConvDesc &desc);
ConvShape convShape(const Conv1x1Desc &desc);

/// The class a kernel's time is counted under in a profile (YOLO_PROFILE,
/// bench/profile.py): "conv3x3s1" (3x3 stride-1 ungrouped convolutions,
/// Winograd or direct), "conv1x1", "conv3x3s2", "conv-other" (other
/// convolutions: grouped, depthwise, other kernel sizes, dilated,
/// transposed), "matmul", "pool", "elementwise" (binary and unary),
/// "copy" (copy, pad, transpose) or "other".
const char *profileClass(const KernelDesc &desc);

/// Twice the multiply-adds of the direct algorithm of a convolution or a
/// matrix product (a Winograd kernel counts as the direct 3x3 convolution
/// it replaces, so its rate compares with the direct one's); 0 for the
/// other kernels.
int64_t directFlops(const KernelDesc &desc);

} // namespace yolo
} // namespace mlir

#endif // YOLO_TARGET_KERNELDESC_H
