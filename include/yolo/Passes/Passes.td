//===- Passes.td - yolo passes -----------------------------*- tablegen -*-===//
//
// Every pass of the compiler, declared in one place.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_PASSES_TD
#define YOLO_PASSES_TD

include "mlir/Pass/PassBase.td"

def PrintStats : Pass<"yolo-print-stats", "::mlir::ModuleOp"> {
  let summary = "print op counts, parameter count and GFLOPs of each function";
  let description = [{
    Prints, for every function, the count of each op kind, the number of
    parameters (elements of convolution weights and biases and of batch
    normalization scales and shifts, as PyTorch counts parameters) and the
    GFLOPs (2 x convolution multiply-accumulates, as upstream YOLOv9 counts
    them). `--yolo-print-stats=json` (or `format=json`) prints one JSON
    object per function instead of text. The output goes to stdout and the
    IR is left unchanged.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "output format: text or json">
  ];
}

def PruneAux : Pass<"yolo-prune-aux", "::mlir::ModuleOp"> {
  let summary = "remove the auxiliary (PGI) detection output and its branch";
  let description = [{
    YOLOv9 training models carry an auxiliary reversible branch that feeds a
    second detection head; the inference model is what the main output
    needs. The pass finds the detection outputs of `@main` (results of
    shape [N, 4 + classes, anchors] that are all alike), tells the main one
    from the auxiliary ones by structure, drops the auxiliary results and
    erases every op no longer reachable from a kept result. Outputs that the
    main output is itself computed from (the raw per-level head maps that
    yolov9-cf's export returns next to it) are dropped too. The main result
    is marked `yolo.role = "main"`.

    Structure, not names or positions: the main head consumes the main
    neck, which lies strictly deeper (more convolutions on its longest path
    from the input) than the auxiliary branch in every YOLOv9 variant -
    including yolov9-e, whose CBLinear/CBFuse second backbone is on the main
    path. When the deepest outputs tie, the pass reports the ambiguity and
    asks for `keep=`.

    `keep=NAME[,NAME]` names the outputs to keep (their `yolo.name` or
    result index) and skips the analysis. A function with one detection
    output is left unchanged.
  }];
  let options = [
    ListOption<"keep", "keep", "std::string",
               "names (yolo.name) or indices of the outputs to keep">
  ];
}

def FoldBatchNorm : Pass<"yolo-fold-batchnorm"> {
  let summary = "fold inference batch normalization into the producing convolution";
  let description = [{
    `batch_norm(conv(x, w, b))` becomes `conv(x, w * s, (b - mean) * s + beta)`
    with `s = scale / sqrt(var + eps)` per output channel; a bias is created
    when the convolution had none. Folds only when the convolution has no
    fused activation, its only user is the batch_norm, and all weights and
    statistics are constants. Other batch_norms stay, unless `decompose`
    is set: then a batch_norm with constant statistics that cannot fold
    becomes `x * s + t` (`yolo.mul` and `yolo.add` with per-channel
    constants), so that no batch_norm reaches the back end. The
    --yolo-optimize pipeline sets it on its last run, after RepConv merging
    has made more batch_norms foldable.
  }];
  let options = [
    Option<"decompose", "decompose", "bool", /*default=*/"false",
           "turn batch_norms that cannot fold into mul and add">
  ];
}

def MergeRepConv : Pass<"yolo-merge-repconv"> {
  let summary = "merge parallel 3x3 + 1x1 (+ identity) convolution branches into one 3x3";
  let description = [{
    RepConvN in training form is `conv3x3(x) + conv1x1(x)` (both BN-folded)
    with an optional identity branch. When both convolutions read the same
    input with the same stride and groups, the 3x3 has padding 1, the 1x1
    padding 0, neither has a fused activation and each has one use, the sum
    becomes one 3x3 convolution whose kernel is the 3x3 kernel plus the 1x1
    kernel placed at its centre (plus an identity kernel for an identity
    branch), with the biases added.
  }];
}

def FuseActivation : Pass<"yolo-fuse-activation"> {
  let summary = "fuse SiLU and other pointwise tails into convolutions";
  let description = [{
    Rewrites `x * sigmoid(x)` (either operand order) to `yolo.silu x`, then
    folds a silu, sigmoid, relu or leaky_relu that is the only user of a
    convolution without an activation into the convolution's `activation`.
  }];
}

def YoloOptimize : Pass<"yolo-optimize", "::mlir::ModuleOp"> {
  let summary = "the whole optimization pipeline";
  let description = [{
    Runs yolo-prune-aux, canonicalize, yolo-fold-batchnorm,
    yolo-merge-repconv, yolo-fold-batchnorm again (a BatchNorm after a
    RepConv's sum folds once the branches are merged), canonicalize,
    yolo-fuse-activation, cse, canonicalize and symbol-dce: the inference
    model, minimal and with fused activations.
  }];
  let options = [
    ListOption<"keep", "keep", "std::string",
               "outputs to keep (passed to yolo-prune-aux)">
  ];
}

#endif // YOLO_PASSES_TD
