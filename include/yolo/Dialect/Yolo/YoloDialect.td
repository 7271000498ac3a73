//===- YoloDialect.td - The yolo dialect definition --------*- tablegen -*-===//
//
// The `yolo` dialect models YOLOv9 inference graphs as imported from ONNX:
// NCHW convolutions with fusable activations, the pointwise and data-movement
// ops a YOLOv9 export contains, and YOLO-level ops (detection decode) where
// they make optimization and code generation simpler.
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_DIALECT_TD
#define YOLO_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Yolo_Dialect : Dialect {
  let name = "yolo";
  let cppNamespace = "::mlir::yolo";
  let summary = "YOLOv9 inference graphs";
  let description = [{
    Ops operate on statically shaped float tensors in NCHW layout. Function
    arguments and results may carry `yolo.name` (the ONNX value name) and,
    once the auxiliary branch analysis has run, `yolo.role` ("main" or
    "aux") attributes.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

class Yolo_Op<string mnemonic, list<Trait> traits = []>
    : Op<Yolo_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Shared type and attribute constraints
//===----------------------------------------------------------------------===//

def Yolo_Float : AnyTypeOf<[F32, F16, BF16]>;
def Yolo_Tensor : StaticShapeTensorOf<[Yolo_Float]>;
def Yolo_Tensor4D : RankedTensorOf<[Yolo_Float],
    [HasStaticShapePred, HasAnyRankOfPred<[4]>], "4-D static float tensor">;
def Yolo_Tensor1D : RankedTensorOf<[Yolo_Float],
    [HasStaticShapePred, HasAnyRankOfPred<[1]>], "1-D static float tensor">;

// A pair of values for the two spatial dimensions (H, W).
def Yolo_HW : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
// Spatial padding as [top, left, bottom, right].
def Yolo_Pads4 : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

def Yolo_Activation : I32EnumAttr<"Activation", "activation fused into an op", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"silu", 1>,
    I32EnumAttrCase<"sigmoid", 2>,
    I32EnumAttrCase<"relu", 3>,
    I32EnumAttrCase<"leaky_relu", 4>
  ]> {
  let cppNamespace = "::mlir::yolo";
  let genSpecializedAttr = 0;
}
def Yolo_ActivationAttr : EnumAttr<Yolo_Dialect, Yolo_Activation, "activation"> {
  let assemblyFormat = "`<` $value `>`";
}

// How yolo.resize and ykernel.resize interpolate.
def Yolo_ResizeMode : I32EnumAttr<"ResizeMode", "resize interpolation", [
    I32EnumAttrCase<"nearest", 0>,
    I32EnumAttrCase<"linear", 1>
  ]> {
  let cppNamespace = "::mlir::yolo";
  let genSpecializedAttr = 0;
}
def Yolo_ResizeModeAttr : EnumAttr<Yolo_Dialect, Yolo_ResizeMode, "resize_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

// ONNX Resize's coordinate_transformation_mode: where output index x of an
// axis samples the input (s: the axis' scale, in/out: its lengths).
def Yolo_CoordinateMode : I32EnumAttr<"CoordinateMode",
    "resize coordinate transformation", [
    // (x + 0.5) / s - 0.5
    I32EnumAttrCase<"half_pixel", 0>,
    // (x + 0.5) / s - 0.5, or 0 when out == 1
    I32EnumAttrCase<"pytorch_half_pixel", 1>,
    // x * (in - 1) / (out - 1), or 0 when out == 1
    I32EnumAttrCase<"align_corners", 2>,
    // x / s
    I32EnumAttrCase<"asymmetric", 3>
  ]> {
  let cppNamespace = "::mlir::yolo";
  let genSpecializedAttr = 0;
}
def Yolo_CoordinateModeAttr : EnumAttr<Yolo_Dialect, Yolo_CoordinateMode,
    "coordinate_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // YOLO_DIALECT_TD
