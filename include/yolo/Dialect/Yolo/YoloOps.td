//===- YoloOps.td - yolo dialect operations ----------------*- tablegen -*-===//
//
// Every op of the yolo dialect. Result types are inferred from operands and
// attributes (InferTypeOpInterface), so builders take no result types and
// the verifier rejects any result type that disagrees with inference.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_OPS_TD
#define YOLO_OPS_TD

include "yolo/Dialect/Yolo/YoloDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

// Ops whose result types are computed by inferReturnTypes (in YoloOps.cpp).
class Yolo_InferredOp<string mnemonic, list<Trait> traits = []>
    : Yolo_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])>;

// Ops whose result type is their operand's type (inferred by ODS).
class Yolo_SameTypeOp<string mnemonic, list<Trait> traits = []>
    : Yolo_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Yolo_ConstantOp : Yolo_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "a constant tensor (weights are dense_resource blobs)";
  let description = [{
    Produces a constant tensor. Weights imported from ONNX initializers are
    `dense_resource` blobs, so large tensors are not printed inline (use
    `--mlir-elide-resource-strings-if-larger` in tests).

    ```mlir
    %w = yolo.constant dense_resource<conv0.weight> : tensor<16x3x3x3xf32>
    %z = yolo.constant dense<0.0> : tensor<1xf32>
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and normalization
//===----------------------------------------------------------------------===//

def Yolo_Conv2DOp : Yolo_InferredOp<"conv2d"> {
  let summary = "2-D convolution (NCHW, OIHW) with optional bias and fused activation";
  let description = [{
    `result = activation(conv(input, weight) + bias)`. `pads` is
    [top, left, bottom, right]; the weight has shape
    [C_out, C_in / groups, K_h, K_w]; `alpha` is the slope of `leaky_relu`.

    ```mlir
    %y = yolo.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>,
           activation = #yolo.activation<silu>}
         : (tensor<1x3x64x64xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
         -> tensor<1x16x64x64xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor4D:$input, Yolo_Tensor4D:$weight,
      Optional<Yolo_Tensor1D>:$bias,
      DefaultValuedAttr<Yolo_HW, "{1, 1}">:$strides,
      DefaultValuedAttr<Yolo_Pads4, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<Yolo_HW, "{1, 1}">:$dilations,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">:$groups,
      DefaultValuedAttr<Yolo_ActivationAttr, "::mlir::yolo::Activation::none">:$activation,
      DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
  let results = (outs Yolo_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Multiply-accumulates of one evaluation, as upstream YOLOv9 counts them.
    int64_t getMACs();
  }];
}

def Yolo_ConvTransposeOp : Yolo_InferredOp<"conv_transpose"> {
  let summary = "2-D transposed convolution (NCHW; weight [C_in, C_out / groups, K_h, K_w])";
  let description = [{
    The gradient of `yolo.conv2d` with respect to its input, as ONNX
    ConvTranspose and PyTorch's ConvTranspose2d define it (learned
    upsampling, e.g. the mask prototypes of YOLO segmentation heads). Input
    pixel (y, x) of channel ci adds `input * weight[ci, co % (C_out /
    groups), ky, kx]` to output pixel
    (y * strides[0] + ky * dilations[0] - pads[0],
     x * strides[1] + kx * dilations[1] - pads[1]) of every output channel co
    of ci's group; the bias is added once per output pixel. The weight keeps
    ONNX's layout [C_in, C_out / groups, K_h, K_w], so C_in is its first
    dimension and C_out = weight[1] * groups.

    `pads` is [top, left, bottom, right]: rows and columns cropped off the
    full result. `output_padding` [h, w] adds rows and columns at the bottom
    and right (each smaller than its stride or its dilation) that only the
    bias reaches. The output extent is
    `strides * (in - 1) + dilations * (K - 1) + 1 + output_padding - pad_begin - pad_end`.
    No fused activation: no YOLO graph applies one right after a
    transposed convolution.

    ```mlir
    // Ultralytics' Proto upsampling: kernel 2, stride 2.
    %y = yolo.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>}
         : (tensor<1x32x80x80xf32>, tensor<32x32x2x2xf32>, tensor<32xf32>)
         -> tensor<1x32x160x160xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor4D:$input, Yolo_Tensor4D:$weight,
      Optional<Yolo_Tensor1D>:$bias,
      DefaultValuedAttr<Yolo_HW, "{1, 1}">:$strides,
      DefaultValuedAttr<Yolo_Pads4, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<Yolo_HW, "{1, 1}">:$dilations,
      DefaultValuedAttr<Yolo_HW, "{0, 0}">:$output_padding,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "1">:$groups);
  let results = (outs Yolo_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Yolo_BatchNormOp : Yolo_InferredOp<"batch_norm"> {
  let summary = "inference batch normalization over the channel axis (axis 1)";
  let description = [{
    `result = (input - mean) / sqrt(var + epsilon) * scale + bias`, each of
    `scale`, `bias`, `mean`, `var` having one value per channel.

    ```mlir
    %y = yolo.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-03 : f32}
         : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>,
            tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, Yolo_Tensor1D:$scale,
      Yolo_Tensor1D:$bias, Yolo_Tensor1D:$mean, Yolo_Tensor1D:$var,
      DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = [{
    operands attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pointwise
//===----------------------------------------------------------------------===//

class Yolo_UnaryOp<string mnemonic, string math>
    : Yolo_SameTypeOp<mnemonic> {
  let summary = "elementwise " # math;
  let description = "Computes `" # math # "` elementwise.\n\n```mlir\n%y = yolo." #
      mnemonic # " %x : tensor<1x16x8x8xf32>\n```";
  let arguments = (ins Yolo_Tensor:$input);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Yolo_SiLUOp : Yolo_UnaryOp<"silu", "x * sigmoid(x)">;
def Yolo_SigmoidOp : Yolo_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def Yolo_ReLUOp : Yolo_UnaryOp<"relu", "max(x, 0)">;
def Yolo_LeakyReLUOp : Yolo_SameTypeOp<"leaky_relu"> {
  let summary = "elementwise x >= 0 ? x : alpha * x";
  let description = [{
    ```mlir
    %y = yolo.leaky_relu %x {alpha = 1.0e-01 : f32} : tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, F32Attr:$alpha);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

class Yolo_BinaryOp<string mnemonic, string math, list<Trait> traits = []>
    : Yolo_InferredOp<mnemonic, traits> {
  let summary = "elementwise " # math # " with numpy broadcasting";
  let description = "Computes `" # math # "` with numpy-style broadcasting; " #
      "the result shape is the broadcast of both operand shapes.\n\n```mlir\n" #
      "%z = yolo." # mnemonic # " %x, %y : (tensor<1x4x8x8xf32>, " #
      "tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>\n```";
  let arguments = (ins Yolo_Tensor:$lhs, Yolo_Tensor:$rhs);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Yolo_AddOp : Yolo_BinaryOp<"add", "lhs + rhs", [Commutative]>;
def Yolo_SubOp : Yolo_BinaryOp<"sub", "lhs - rhs">;
def Yolo_MulOp : Yolo_BinaryOp<"mul", "lhs * rhs", [Commutative]>;
def Yolo_DivOp : Yolo_BinaryOp<"div", "lhs / rhs">;

def Yolo_SoftmaxOp : Yolo_SameTypeOp<"softmax"> {
  let summary = "softmax along one axis";
  let description = [{
    ```mlir
    %y = yolo.softmax %x {axis = 1 : i64} : tensor<1x16x4x8400xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, I64Attr:$axis);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Yolo_MatMulOp : Yolo_InferredOp<"matmul"> {
  let summary = "batched matrix product with numpy broadcasting (ONNX MatMul)";
  let description = [{
    `result[..., m, n] = sum over k of lhs[..., m, k] * rhs[..., k, n]`:
    both operands have rank 2 or more, the last two dimensions are the
    matrices ([M, K] and [K, N]) and the leading (batch) dimensions
    broadcast as numpy broadcasts them, the shorter list padded with 1s on
    the left. The sum runs over k in increasing order in f32. (ONNX's 1-D
    operands are reshaped to matrices by the importer.) Folds when both
    operands are f32 constants (up to 2^24 multiply-adds).

    ```mlir
    // Attention scores of 2 heads over 100 positions (key dimension 32).
    %s = yolo.matmul %qt, %k
         : (tensor<1x2x100x32xf32>, tensor<1x2x32x100xf32>) -> tensor<1x2x100x100xf32>
    // A linear layer: constant weights, broadcast over the batch.
    %y = yolo.matmul %x, %w : (tensor<4x8x16xf32>, tensor<16x10xf32>) -> tensor<4x8x10xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$lhs, Yolo_Tensor:$rhs);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Multiply-accumulates of one evaluation.
    int64_t getMACs();
  }];
}

def Yolo_ReduceSumOp : Yolo_InferredOp<"reduce_sum"> {
  let summary = "sum over the given axes";
  let description = [{
    ```mlir
    %y = yolo.reduce_sum %x {axes = array<i64: 0>, keep_dims = false}
         : (tensor<3x1x64x80x80xf32>) -> tensor<1x64x80x80xf32>
    ```

    Canonicalization: the sum over one axis of a concat along that axis of
    pieces one wide there (YOLOv9-E's CBFuse, `torch.sum(torch.stack(xs),
    0)`) becomes a chain of `yolo.add`s of the pieces, reshaped to the
    result's shape, in the stack's order: the same sums in the same order,
    without the stacked tensor (157 MB in gelan-e at 640x640).
  }];
  let arguments = (ins Yolo_Tensor:$input, DenseI64ArrayAttr:$axes,
      DefaultValuedAttr<BoolAttr, "true">:$keep_dims);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Pooling and resampling
//===----------------------------------------------------------------------===//

def Yolo_MaxPoolOp : Yolo_InferredOp<"max_pool"> {
  let summary = "2-D max pooling (padding never wins the max)";
  let description = [{
    ```mlir
    %y = yolo.max_pool %x {kernel = array<i64: 5, 5>,
           pads = array<i64: 2, 2, 2, 2>}
         : (tensor<1x8x20x20xf32>) -> tensor<1x8x20x20xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor4D:$input, Yolo_HW:$kernel,
      DefaultValuedAttr<Yolo_HW, "{1, 1}">:$strides,
      DefaultValuedAttr<Yolo_Pads4, "{0, 0, 0, 0}">:$pads);
  let results = (outs Yolo_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Yolo_AvgPoolOp : Yolo_InferredOp<"avg_pool"> {
  let summary = "2-D average pooling";
  let description = [{
    With `count_include_pad`, padded zeros count in the divisor (PyTorch's
    default, used by YOLOv9's AConv/ADown).

    ```mlir
    %y = yolo.avg_pool %x {kernel = array<i64: 2, 2>, count_include_pad = true}
         : (tensor<1x8x21x21xf32>) -> tensor<1x8x20x20xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor4D:$input, Yolo_HW:$kernel,
      DefaultValuedAttr<Yolo_HW, "{1, 1}">:$strides,
      DefaultValuedAttr<Yolo_Pads4, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs Yolo_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Yolo_ResizeOp : Yolo_InferredOp<"resize"> {
  let summary = "nearest (integer factors) or bilinear resizing of H and W";
  let description = [{
    Mode `nearest` (the default) upsamples by the integer `scales`:
    `result[n, c, y, x] = input[n, c, y / scales[0], x / scales[1]]`, ONNX
    Resize with mode nearest, asymmetric coordinates and floor rounding.

    Mode `linear` is ONNX Resize's bilinear interpolation on H and W: the
    result is [N, C, size[0], size[1]]; output index y samples the input
    at the coordinate `coordinate_mode` maps it to with the scale
    `coordinate_scales[0]` (ONNX's scale, or output / input length when
    the model gave sizes), clamped to the input, from its two neighbouring
    rows (the same along W), in f32.

    ```mlir
    %y = yolo.resize %x {scales = array<i64: 2, 2>}
         : (tensor<1x8x20x20xf32>) -> tensor<1x8x40x40xf32>
    %z = yolo.resize %x {mode = #yolo.resize_mode<linear>,
           coordinate_mode = #yolo.coordinate_mode<half_pixel>,
           size = array<i64: 30, 30>,
           coordinate_scales = array<f32: 1.5, 1.5>}
         : (tensor<1x8x20x20xf32>) -> tensor<1x8x30x30xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor4D:$input,
      OptionalAttr<ConfinedAttr<Yolo_HW,
          [DenseArrayStrictlyPositive<DenseI64ArrayAttr>]>>:$scales,
      DefaultValuedAttr<Yolo_ResizeModeAttr,
          "::mlir::yolo::ResizeMode::nearest">:$mode,
      DefaultValuedAttr<Yolo_CoordinateModeAttr,
          "::mlir::yolo::CoordinateMode::asymmetric">:$coordinate_mode,
      OptionalAttr<ConfinedAttr<Yolo_HW,
          [DenseArrayStrictlyPositive<DenseI64ArrayAttr>]>>:$size,
      OptionalAttr<ConfinedAttr<DenseF32ArrayAttr,
          [DenseArrayCount<2>]>>:$coordinate_scales);
  let results = (outs Yolo_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Yolo_ConcatOp : Yolo_InferredOp<"concat"> {
  let summary = "concatenation along one axis";
  let description = [{
    ```mlir
    %y = yolo.concat %a, %b {axis = 1 : i64}
         : (tensor<1x8x4x4xf32>, tensor<1x16x4x4xf32>) -> tensor<1x24x4x4xf32>
    ```
  }];
  let arguments = (ins Variadic<Yolo_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Yolo_SliceOp : Yolo_InferredOp<"slice"> {
  let summary = "strided slice: offsets, sizes and strides for every dimension";
  let description = [{
    `result[i...] = input[offsets + i * strides ...]`, result shape `sizes`.
    Channel chunks (`x.chunk(2, 1)`) are slices along axis 1.

    ```mlir
    %y = yolo.slice %x {offsets = array<i64: 0, 8, 0, 0>,
           sizes = array<i64: 1, 8, 4, 4>, strides = array<i64: 1, 1, 1, 1>}
         : (tensor<1x16x4x4xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, DenseI64ArrayAttr:$offsets,
      DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Yolo_SplitOp : Yolo_InferredOp<"split"> {
  let summary = "split into consecutive pieces along one axis";
  let description = [{
    ```mlir
    %a, %b = yolo.split %x {axis = 1 : i64, sizes = array<i64: 64, 80>}
         : (tensor<1x144x8400xf32>) -> (tensor<1x64x8400xf32>, tensor<1x80x8400xf32>)
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, I64Attr:$axis,
      DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Yolo_Tensor>:$results);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Yolo_PadOp : Yolo_InferredOp<"pad"> {
  let summary = "constant padding of every dimension";
  let description = [{
    `pads` holds the begin paddings of all dimensions, then the end paddings
    (ONNX order). Negative values are not allowed.

    ```mlir
    %y = yolo.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 1>, value = 0.0 : f32}
         : (tensor<1x8x20x20xf32>) -> tensor<1x8x21x21xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Yolo_ReshapeOp : Yolo_InferredOp<"reshape"> {
  let summary = "reshape to a static shape with the same element count";
  let description = [{
    ```mlir
    %y = yolo.reshape %x {shape = array<i64: 1, 144, 6400>}
         : (tensor<1x144x80x80xf32>) -> tensor<1x144x6400xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Yolo_TransposeOp : Yolo_InferredOp<"transpose"> {
  let summary = "permutation of dimensions";
  let description = [{
    `result` dimension i is `input` dimension `perm[i]`.

    ```mlir
    %y = yolo.transpose %x {perm = array<i64: 0, 2, 1, 3>}
         : (tensor<1x4x16x8400xf32>) -> tensor<1x16x4x8400xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// YOLO-level ops
//===----------------------------------------------------------------------===//

def Yolo_DecodeDetectionsOp : Yolo_InferredOp<"decode_detections"> {
  let summary = "DFL box decoding, anchors and strides of a YOLOv9 detect head";
  let description = [{
    Decodes the concatenated raw head output of all pyramid levels.
    `input` is [N, 4 * reg_max + num_classes, A] with
    A = sum(grid_h[i] * grid_w[i]); anchors run row-major over the levels in
    order, at cell centres. For every anchor the box logits are a softmax over
    `reg_max` bins per side, whose expectation gives the distances
    (left, top, right, bottom) in cells; the result holds the box as
    (cx, cy, w, h) times the level's stride, then the class sigmoids:
    [N, 4 + num_classes, A].

    ```mlir
    %d = yolo.decode_detections %raw {reg_max = 16 : i64,
           strides = array<i64: 8, 16, 32>, grid_h = array<i64: 80, 40, 20>,
           grid_w = array<i64: 80, 40, 20>}
         : (tensor<1x144x8400xf32>) -> tensor<1x84x8400xf32>
    ```
  }];
  let arguments = (ins Yolo_Tensor:$input,
      DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>, "16">:$reg_max,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$grid_h,
      DenseI64ArrayAttr:$grid_w);
  let results = (outs Yolo_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // YOLO_OPS_TD
