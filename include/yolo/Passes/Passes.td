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

#endif // YOLO_PASSES_TD
