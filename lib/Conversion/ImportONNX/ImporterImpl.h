//===- ImporterImpl.h - state shared by the ONNX importer files -*- C++ -*-===//
//
// The importer's state (the model, the value of every ONNX name so far, the
// node being imported, the first error) and the accessors that op handlers
// use to read a node's inputs and attributes and to set its outputs. Private
// to lib/Conversion/ImportONNX: the public entry points are in
// yolo/Conversion/ImportONNX.h.
//
// The files of the importer:
//   ImportONNX.cpp      the driver: graph inputs, node order, dispatch through
//                       the op registry, graph outputs; the public entry
//                       points
//   ModelLoader.cpp     protobuf parsing, name and opset checks, external data
//   TensorDecoding.cpp  TensorProto -> HostTensor
//   Importer.cpp        a node's inputs, attributes and outputs for handlers
//   HostEval.cpp        import-time evaluation of nodes whose inputs are known
//   HostTensor.cpp      the host tensor routines HostEval uses
//   OpRegistry.cpp      {op type, first opset} -> handlers
//   Ops*.cpp            the handlers, by op family
//
//===----------------------------------------------------------------------===//

#ifndef YOLO_LIB_CONVERSION_IMPORTONNX_IMPORTERIMPL_H
#define YOLO_LIB_CONVERSION_IMPORTONNX_IMPORTERIMPL_H

#include "HostTensor.h"
#include "OpRegistry.h"

#include "yolo/Conversion/ImportONNX.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <onnx/onnx_pb.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace yolo {
namespace onnx_import {

/// Opsets of the default domain the importer accepts.
constexpr int64_t kMinOpset = 9;
constexpr int64_t kMaxOpset = 21;
/// Largest element count of any one tensor (16 GiB of f32): declared shapes
/// beyond that are lies or not a YOLO model.
constexpr int64_t kMaxElements = int64_t(1) << 32;
/// Highest rank of any tensor: YOLO graphs stay at 6 and below; the runtime
/// describes tensors of up to 8 dimensions (YOLO_MAX_RANK).
constexpr size_t kMaxRank = 8;

/// Whether every dimension is positive and the element count (`numel`) stays
/// within kMaxElements, at rank kMaxRank or less.
bool isPositiveShape(llvm::ArrayRef<int64_t> shape, int64_t &numel);
/// "[1, 3, 640, 640]"; a hostile rank is cut short.
std::string shapeStr(llvm::ArrayRef<int64_t> shape);
/// "[1, 2.5]".
std::string floatsStr(llvm::ArrayRef<double> values);

/// What a value name refers to while importing: a runtime tensor, a host
/// constant, or an initializer not converted yet.
struct Entry {
  Value value;
  std::shared_ptr<HostTensor> constant;
  const onnx::TensorProto *initializer = nullptr;
  /// The yolo.constant made for a host constant, reused by later consumers.
  Value materialized;
};

class Importer {
public:
  Importer(MLIRContext *ctx, llvm::StringRef path, const ImportOptions &options,
           std::optional<llvm::StringRef> contents = std::nullopt)
      : ctx(ctx), builder(ctx), path(path.str()), options(options),
        contents(contents) {}

  OwningOpRef<ModuleOp> run(std::string &error);

  //===--------------------------------------------------------------------===//
  // For op handlers: the node being imported
  //===--------------------------------------------------------------------===//

  const onnx::NodeProto &node() const { return *currentNode; }
  llvm::StringRef opType() const { return currentNode->op_type(); }
  /// The model's opset of the default domain.
  int64_t opset() const { return modelOpset; }
  const ImportOptions &getOptions() const { return options; }
  int numInputs() const { return currentNode->input_size(); }
  int numOutputs() const { return currentNode->output_size(); }

  // Errors. `fail` records the first message and returns failure; `failNode`
  // prefixes it with the node's name and op type.
  LogicalResult fail(const llvm::Twine &message);
  LogicalResult failNode(const llvm::Twine &message);
  bool hasError() const { return !errorMessage.empty(); }

  // Inputs.
  bool hasInput(unsigned index) const;
  Entry *lookup(llvm::StringRef name);
  /// The value of input `index` as a host constant, or null when it is a
  /// runtime tensor (or absent, or an initializer that does not convert:
  /// then hasError()).
  std::shared_ptr<HostTensor> constantInput(unsigned index);
  /// Input `index` as a yolo value; host constants become yolo.constant.
  FailureOr<Value> runtimeInput(unsigned index);
  /// Input `index` as integers known at import time (shapes, axes).
  FailureOr<std::vector<int64_t>> intsInput(unsigned index,
                                            llvm::StringRef what);
  /// intsInput, or no values when the input is absent.
  FailureOr<std::vector<int64_t>> optionalIntsInput(unsigned index,
                                                    llvm::StringRef what);
  /// The shape of input `index`, constant or runtime.
  FailureOr<llvm::SmallVector<int64_t>> shapeOf(unsigned index);

  // Attributes.
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t intAttr(llvm::StringRef name, int64_t dflt) const;
  float floatAttr(llvm::StringRef name, float dflt) const;
  std::string stringAttr(llvm::StringRef name, llvm::StringRef dflt) const;
  std::optional<std::vector<int64_t>> intsAttr(llvm::StringRef name) const;

  // Outputs. Unnamed (optional) outputs are skipped.
  void setOutput(unsigned index, Value v);
  void setOutput(unsigned index, HostTensor t);
  /// Output `index` names what `e` names (Identity), even when unnamed.
  void setOutputEntry(unsigned index, const Entry &e);

  /// Decodes a TensorProto (an initializer, a Constant's value).
  FailureOr<HostTensor> convertTensor(const onnx::TensorProto &t,
                                      llvm::StringRef what);

  // Import-time evaluation (HostEval.cpp).
  /// Input `index`, known at import time; "missing input" when it is not.
  std::shared_ptr<HostTensor> hostInput(unsigned index);
  /// Fails when broadcasting the shapes gives a tensor larger than the
  /// host limit: checked before computing it.
  LogicalResult checkHostBroadcast(llvm::ArrayRef<int64_t> a,
                                   llvm::ArrayRef<int64_t> b,
                                   llvm::ArrayRef<int64_t> c = {});
  /// Sets output 0 to an evaluation's result, or fails with its reason.
  /// With `checkLimit`, a result larger than the host limit is an error (the
  /// elementwise ops and anchor grids); the slicing and reshaping ops do not
  /// check it (chargeHostOutputs still counts their results).
  LogicalResult setHostResult(HostResult r, bool checkLimit = true);

  /// Builds a yolo op after checking it with the op's own type inference,
  /// so that a bad model gives a diagnostic instead of an abort.
  template <typename OpTy, typename... Args>
  FailureOr<OpTy> create(Args &&...args);
  /// create<OpTy>, whose result is then output 0.
  template <typename OpTy, typename... Args>
  LogicalResult createOutput(Args &&...args) {
    FailureOr<OpTy> op = create<OpTy>(std::forward<Args>(args)...);
    if (failed(op))
      return failure();
    setOutput(0, op->getResult());
    return success();
  }

  Location nodeLoc() const;
  /// `axis` in [0, rank) (negative counts from the end); `ok` tells whether
  /// it was in range.
  int64_t normAxis(int64_t axis, int64_t rank, bool &ok) const;

private:
  // Reading the model (ModelLoader.cpp).
  bool load();
  bool checkNames();
  bool checkOpset();
  FailureOr<std::string> readExternal(const onnx::TensorProto &t);

  // The graph (ImportONNX.cpp).
  bool sortNodes(std::vector<const onnx::NodeProto *> &order);
  LogicalResult importNode(const onnx::NodeProto &node);
  void recordMetadata(ModuleOp module);

  // Import-time evaluation (HostEval.cpp).
  LogicalResult evaluateOnHost(const OpHandler &handler);
  LogicalResult chargeHostOutputs();

  // Host constants as yolo.constant (Importer.cpp).
  FailureOr<Value> materialize(Entry &entry, llvm::StringRef name);
  FailureOr<Value> materializeTensor(const HostTensor &t, llvm::StringRef name);

  MLIRContext *ctx;
  OpBuilder builder;
  std::string path;
  ImportOptions options;
  /// Elements of all host-evaluated results so far (chargeHostOutputs).
  int64_t hostElements = 0;
  /// The file's bytes when importing from memory (importONNXBuffer).
  std::optional<llvm::StringRef> contents;
  onnx::ModelProto model;
  int64_t modelOpset = 0;
  llvm::StringMap<Entry> values;
  const onnx::NodeProto *currentNode = nullptr;
  std::string nodeName;
  std::string errorMessage;
  llvm::StringSet<> graphInputs;
};

template <typename OpTy, typename... Args>
FailureOr<OpTy> Importer::create(Args &&...args) {
  Location loc = nodeLoc();
  OperationState state(loc, OpTy::getOperationName());
  // Build operands and attributes with the explicit-types builder, then
  // infer the types below (the inferring builder aborts on failure). The
  // builder asserts on the number of types for single-result ops: give it
  // a placeholder and drop it.
  if constexpr (OpTy::template hasTrait<OpTrait::OneResult>()) {
    Type placeholder = builder.getNoneType();
    OpTy::build(builder, state, TypeRange(placeholder),
                std::forward<Args>(args)...);
    state.types.clear();
  } else {
    OpTy::build(builder, state, TypeRange{}, std::forward<Args>(args)...);
  }
  llvm::SmallVector<Type> types;
  std::string diag;
  {
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
      if (diag.empty())
        diag = d.str();
      return success();
    });
    if (failed(OpTy::inferReturnTypes(
            ctx, loc, state.operands, state.attributes.getDictionary(ctx),
            state.getRawProperties(), state.regions, types))) {
      if (failed(failNode(diag.empty() ? "invalid operands" : diag)))
        return failure();
    }
  }
  // The ops do not guard their shape arithmetic against overflow (huge pads
  // or scales); keep every tensor within the element limit.
  for (Type t : types) {
    auto ranked = dyn_cast<RankedTensorType>(t);
    int64_t numel;
    if (ranked && !isPositiveShape(ranked.getShape(), numel) &&
        failed(failNode("result shape " + shapeStr(ranked.getShape()) +
                        " is invalid or too large")))
      return failure();
  }
  state.addTypes(types);
  return cast<OpTy>(builder.create(state));
}

//===----------------------------------------------------------------------===//
// Shared by the op families
//===----------------------------------------------------------------------===//

/// Reads the `axes` of a node: Squeeze, Unsqueeze and the reductions take
/// them as an attribute up to an opset (axesAttribute) and as input 1 from
/// then on (axesInput). Absent axes are an empty list.
using AxesFn = FailureOr<std::vector<int64_t>> (*)(Importer &imp);
FailureOr<std::vector<int64_t>> axesAttribute(Importer &imp);
FailureOr<std::vector<int64_t>> axesInput(Importer &imp);

/// Host evaluation of the elementwise binary ops (OpsElementwise.cpp).
LogicalResult foldBinary(Importer &imp);

/// The host evaluator `Fold` of an op that does not take two operands, for
/// which a node with two inputs is evaluated as an elementwise binary op
/// named after its op type, as the importer has always done: evalBinary then
/// refuses the op type ("unsupported op"). Kept so that such malformed nodes
/// fail as they did.
template <NodeImportFn Fold> LogicalResult binaryWhenTwoInputs(Importer &imp) {
  if (imp.numInputs() == 2)
    return foldBinary(imp);
  return Fold(imp);
}

} // namespace onnx_import
} // namespace yolo
} // namespace mlir

#endif // YOLO_LIB_CONVERSION_IMPORTONNX_IMPORTERIMPL_H
