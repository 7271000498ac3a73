//===- YoloKernel.td - the kernel-level dialect ------------*- tablegen -*-===//
//
// `ykernel` is what a yolo graph lowers to before code generation: one op
// per kernel call, on memrefs. A memref operand is a view (storage, offset,
// strides) of an arena allocation, a weights global, or a function argument
// (the caller's input and output buffers), so every back-end decision is in
// the IR: which algorithm computes a layer and with which register tile,
// which tensors are written straight into a concat's buffer or the caller's
// output, and where in the scratch arena each allocation lives.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_KERNEL_TD
#define YOLO_KERNEL_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "yolo/Dialect/Yolo/YoloDialect.td"
include "yolo/Dialect/YoloKernel/YoloKernelEnums.td"

def YKernel_Dialect : Dialect {
  let name = "ykernel";
  let cppNamespace = "::mlir::ykernel";
  let summary = "kernel calls on buffers: the yolo back end's input";
  let description = [{
    Produced by `--yolo-lower-to-kernels` (bufferization, kernel selection,
    memory planning) and consumed by the Halide emitter, which maps each op
    to one compiled kernel and each memref to a buffer view without making
    decisions of its own. Attributes the passes add:
    - `ykernel.arena_offset` (bytes) on each `memref.alloc`, and
      `ykernel.arena_size` (bytes) on the function: the memory plan;
    - `tiles` on convolutions: the register tile per target
      (`[lanes, vectors, channels]`, in the order of the function's
      `ykernel.targets`);
    - `ykernel.output = k` on the function arguments that are the caller's
      output buffers (result k of the graph).
  }];
  let dependentDialects = ["::mlir::yolo::YoloDialect"];
  let useDefaultAttributePrinterParser = 1;
}

def YKernel_BinaryKindAttr : EnumAttr<YKernel_Dialect, YKernel_BinaryKind, "binary"> {
  let assemblyFormat = "`<` $value `>`";
}

// Every kernel writes its last operand and reads the others.
class YKernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<YKernel_Dialect, mnemonic, traits> {
  // The attributes of the op, after the operands.
  dag extraArguments = (ins);
  // The input count the verifier checks.
  int numInputs = 1;
  let arguments = !con((ins Arg<Variadic<AnyStridedMemRef>, "inputs", [MemRead]>:$inputs,
                            Arg<AnyStridedMemRef, "output", [MemWrite]>:$output),
                       extraArguments);
  let assemblyFormat = [{
    `ins` `(` $inputs `:` type($inputs) `)` `outs` `(` $output `:` type($output) `)` attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static constexpr int kNumInputs = }] # !cast<string>(numInputs) # [{;
  }];
}

// The convolutions take the input, the weights, the bias and, optionally,
// a residual of the output's shape, added after the activation.
defvar residualDeclaration = [{
    static constexpr int kNumInputs = 3;
    /// The residual added after the activation; null if none.
    ::mlir::Value getResidual() {
      return getInputs().size() > 3 ? getInputs()[3] : ::mlir::Value();
    }
}];

def YKernel_Conv2DOp : YKernel_Op<"conv2d"> {
  let summary = "direct 2-D convolution (NCHW) with bias and activation";
  let description = [{
    `inputs` are the input [N, C, H, W], the weights [Co, C/groups, Kh, Kw]
    and the bias [Co]. `pads` is [top, left, bottom, right]. With one
    group the weights may instead be [ceil(Co / B), C, Kh, Kw, B], in
    blocks of B output channels, innermost, the lanes of a last, partial
    block past Co zeros (made by `--yolo-channel-blocks`): the kernel then
    vectorizes along output channels. A fourth input, of the output's
    shape, is a residual added after the activation (made by
    `--yolo-fuse-residual`).
  }];
  let numInputs = 3;
  let extraArguments = (ins DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                        DenseI64ArrayAttr:$dilations, I64Attr:$groups,
                        Yolo_ActivationAttr:$activation, F32Attr:$alpha,
                        OptionalAttr<ArrayAttr>:$tiles);
  let extraClassDeclaration = residualDeclaration;
}

def YKernel_Conv1x1Op : YKernel_Op<"conv1x1"> {
  let summary = "pointwise convolution as a matrix product over H*W";
  let description = [{
    A 1x1, stride-1, unpadded, ungrouped convolution on flattened views:
    input [N, C, P], weights [Co, C], bias [Co], output [N, Co, P] with
    P = H * W (the pixels of a channel must be contiguous). A fourth
    input [N, Co, P] is a residual added after the activation.
  }];
  let numInputs = 3;
  let extraArguments = (ins Yolo_ActivationAttr:$activation, F32Attr:$alpha,
                        OptionalAttr<ArrayAttr>:$tiles);
  let extraClassDeclaration = residualDeclaration;
}

def YKernel_ConvWinogradOp : YKernel_Op<"conv_winograd"> {
  let summary = "3x3 stride-1 convolution by Winograd F(m x m, 3 x 3)";
  let description = [{
    Made by `--yolo-winograd` from a `ykernel.conv2d` with constant
    weights: `inputs` are the input [N, C, H, W], the weights and the
    bias [Co]. The weights are either transformed at compile time,
    [t * t, C, Co] (t = m + 2, index xi + t * nu with xi along W; see
    include/yolo/Target/Winograd.h) or, as --yolo-winograd makes them, in
    blocks of B output channels [t * t, ceil(Co / B), C, B] (zeros past
    Co), or the 3x3 ones as [3, 3, C, Co]
    (kernel row, column, input and output channel), which the kernel
    transforms at run time. `m` is the output
    tile (2, 4 or 6); `pads` [top, left, bottom, right]. `tiles`: per
    target, the register tile of the transformed-domain products
    [lanes, vectors of output channels, tiles along W]. A fourth input,
    of the output's shape, is a residual added after the activation.
  }];
  let numInputs = 3;
  let extraArguments = (ins I64Attr:$m, DenseI64ArrayAttr:$pads,
                        Yolo_ActivationAttr:$activation, F32Attr:$alpha,
                        OptionalAttr<ArrayAttr>:$tiles);
  let extraClassDeclaration = residualDeclaration # [{
    /// The weights are the 3x3 ones, [3, 3, C, Co], which the kernel
    /// transforms at run time.
    bool hasRuntimeWeights();
    /// B of transformed weights in blocks, [t * t, ceil(Co / B), C, B];
    /// 0 for the other layouts.
    int64_t getWeightBlock();
  }];
}

def YKernel_ConvTransposeOp : YKernel_Op<"conv_transpose"> {
  let summary = "2-D transposed convolution (NCHW) with bias";
  let description = [{
    `inputs` are the input [N, C, H, W], the weights [C, Co/groups, Kh, Kw]
    (ONNX's layout) and the bias [Co]. `pads` is [top, left, bottom, right],
    cropped off the full result; `output_padding` [h, w] extends it at the
    bottom and right. The verifier checks the output shape they imply.
    (Bufferize lowers a kernel equal to its stride, without padding, to a
    1x1 convolution and a transpose instead, when the weights are
    constants.)
  }];
  let numInputs = 3;
  let extraArguments = (ins DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                        DenseI64ArrayAttr:$dilations,
                        DenseI64ArrayAttr:$output_padding, I64Attr:$groups);
}

def YKernel_MaxPoolOp : YKernel_Op<"max_pool"> {
  let summary = "2-D max pooling (NCHW)";
  let extraArguments = (ins DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                        DenseI64ArrayAttr:$pads);
}

def YKernel_AvgPoolOp : YKernel_Op<"avg_pool"> {
  let summary = "2-D average pooling (NCHW)";
  let extraArguments = (ins DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                        DenseI64ArrayAttr:$pads, BoolAttr:$count_include_pad);
}

def YKernel_ResizeOp : YKernel_Op<"resize"> {
  let summary = "nearest upsampling by integer scales [h, w], or bilinear";
  let description = [{
    Mode `nearest`: upsampling by the integer `scales`. Mode `linear`:
    yolo.resize's bilinear interpolation to the output's H and W, with
    `coordinate_mode` and `coordinate_scales` [h, w].
  }];
  let extraArguments = (ins OptionalAttr<DenseI64ArrayAttr>:$scales,
      DefaultValuedAttr<Yolo_ResizeModeAttr,
          "::mlir::yolo::ResizeMode::nearest">:$mode,
      DefaultValuedAttr<Yolo_CoordinateModeAttr,
          "::mlir::yolo::CoordinateMode::asymmetric">:$coordinate_mode,
      OptionalAttr<DenseF32ArrayAttr>:$coordinate_scales);
}

def YKernel_BinaryOp : YKernel_Op<"binary"> {
  let summary = "elementwise binary operation with broadcasting";
  let numInputs = 2;
  let extraArguments = (ins YKernel_BinaryKindAttr:$kind);
}

def YKernel_UnaryOp : YKernel_Op<"unary"> {
  let summary = "elementwise activation";
  let extraArguments = (ins Yolo_ActivationAttr:$activation, F32Attr:$alpha);
}

def YKernel_CopyOp : YKernel_Op<"copy"> {
  let summary = "copies a view into another of the same shape";
}

def YKernel_PadOp : YKernel_Op<"pad"> {
  let summary = "constant padding: the input shifted by the leading pads";
  let extraArguments = (ins DenseI64ArrayAttr:$low, F32Attr:$value);
}

def YKernel_TransposeOp : YKernel_Op<"transpose"> {
  let summary = "permutes dimensions: output dim i is input dim perm[i]";
  let extraArguments = (ins DenseI64ArrayAttr:$perm);
}

def YKernel_SoftmaxOp : YKernel_Op<"softmax"> {
  let summary = "softmax along one axis";
  let extraArguments = (ins I64Attr:$axis);
}

def YKernel_MatMulOp : YKernel_Op<"matmul"> {
  let summary = "batched matrix product, batch dimensions broadcast";
  let description = [{
    `inputs` are the lhs [..., M, K] and the rhs [..., K, N], both of the
    output's rank ([..., M, N]); a batch dimension of an operand is the
    output's or 1 (broadcast). out[..., m, n] = sum over k, in increasing
    order, of lhs[..., m, k] * rhs[..., k, n].
  }];
  let numInputs = 2;
}

def YKernel_ReduceSumOp : YKernel_Op<"reduce_sum"> {
  let summary = "sum over axes";
  let extraArguments = (ins DenseI64ArrayAttr:$axes, BoolAttr:$keep_dims);
}

#endif // YOLO_KERNEL_TD
