//===- ExportONNX.cpp - the yolo dialect back to ONNX ---------------------===//
//
// Writes an optimized yolo graph as a standard ONNX model (IR version 8,
// opset 17), so that users of any runtime benefit from the passes and so
// that the passes can be checked with onnxruntime independently of our own
// code generation. Every yolo op maps to plain default-domain ONNX nodes:
// fused activations become the nodes they stand for and decode_detections
// becomes the DFL/anchor subgraph it summarizes. Node and tensor names come
// from the op locations, so the exported graph still names the original
// ONNX nodes. Every intermediate tensor is declared in value_info with its
// static shape, which lets onnx.checker's full check compare our shape
// inference with ONNX's.
//
//===----------------------------------------------------------------------===//

#include "yolo/Conversion/ExportONNX.h"
#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Support/AtomicOutput.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <onnx/onnx_pb.h>

using namespace mlir;
using namespace mlir::yolo;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;

namespace {

constexpr int64_t kIrVersion = 8;
constexpr int64_t kOpset = 17;

/// Hands out names that are unique within one ONNX namespace (node names
/// and tensor names are separate namespaces). Repeated bases get "_1",
/// "_2", ... so that names stay close to the locations they come from.
class NameSet {
public:
  std::string unique(StringRef base) {
    if (used.insert(base).second)
      return base.str();
    unsigned &next = nextSuffix[base];
    while (true) {
      std::string name = (base + "_" + Twine(++next)).str();
      if (used.insert(name).second)
        return name;
    }
  }

private:
  llvm::StringSet<> used;
  llvm::StringMap<unsigned> nextSuffix;
};

/// The names a location carries: a NameLoc's name, the names of a FusedLoc's
/// parts joined with '+' (an op that replaced several ONNX nodes), the
/// callee of a CallSiteLoc.
void collectNames(Location loc, SmallVectorImpl<std::string> &parts) {
  if (auto n = dyn_cast<NameLoc>(loc)) {
    parts.push_back(n.getName().str());
  } else if (auto f = dyn_cast<FusedLoc>(loc)) {
    for (Location l : f.getLocations())
      collectNames(l, parts);
  } else if (auto c = dyn_cast<CallSiteLoc>(loc)) {
    collectNames(c.getCallee(), parts);
  }
}

std::string locationName(Operation *op) {
  SmallVector<std::string> parts;
  collectNames(op->getLoc(), parts);
  std::string joined;
  for (const std::string &p : parts) {
    if (p.empty())
      continue;
    if (!joined.empty())
      joined += "+";
    joined += p;
  }
  return joined.empty() ? op->getName().stripDialect().str() : joined;
}

bool isStaticF32(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  return t && t.hasStaticShape() && t.getElementType().isF32();
}

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  type.print(os);
  return s;
}

class Exporter {
public:
  explicit Exporter(onnx::GraphProto &graph) : graph(graph) {}

  LogicalResult run(func::FuncOp func);
  std::string error;

private:
  LogicalResult exportOp(Operation *op);
  LogicalResult exportConstant(ConstantOp op);
  LogicalResult exportDecode(DecodeDetectionsOp op);
  LogicalResult fail(Operation *op, const Twine &why);

  /// The tensor name of `v`, chosen on first use after its producer.
  std::string nameOf(Value v);
  /// A fresh tensor name for an intermediate of `op`'s expansion.
  std::string temp(Operation *op, StringRef role);
  /// Adds a node named after `op`'s location, plus "/role" for the helper
  /// nodes of a multi-node expansion.
  onnx::NodeProto *addNode(Operation *op, StringRef opType,
                           ArrayRef<std::string> inputs,
                           ArrayRef<std::string> outputs, StringRef role = "");
  std::string addInts(Operation *op, StringRef role, ArrayRef<int64_t> values);
  std::string addFloats(Operation *op, StringRef role, ArrayRef<float> values,
                        ArrayRef<int64_t> shape);
  void addInitializer(const std::string &name, ArrayRef<float> values,
                      ArrayRef<int64_t> shape);
  void addValueInfo(onnx::ValueInfoProto *vi, const std::string &name,
                    ArrayRef<int64_t> shape);
  /// Emits `activation(input)` into `output`.
  void addActivation(Operation *op, Activation act, float alpha,
                     const std::string &input, const std::string &output);

  onnx::GraphProto &graph;
  llvm::DenseMap<Value, std::string> names;
  /// Values that are graph outputs under their own name, so they need no
  /// value_info of their own.
  llvm::DenseSet<Value> outputValues;
  NameSet tensorNames, nodeNames;
};

LogicalResult Exporter::fail(Operation *op, const Twine &why) {
  std::string loc;
  llvm::raw_string_ostream os(loc);
  op->getLoc().print(os);
  error =
      ("'" + op->getName().getStringRef() + "' at " + loc + ": " + why).str();
  return failure();
}

std::string Exporter::nameOf(Value v) {
  auto it = names.find(v);
  if (it != names.end())
    return it->second;
  // Block arguments are all named up front, so `v` is an op result.
  auto result = cast<OpResult>(v);
  Operation *op = result.getOwner();
  std::string base = locationName(op);
  if (op->getNumResults() > 1)
    base += "_" + std::to_string(result.getResultNumber());
  std::string name = tensorNames.unique(base);
  names[v] = name;
  return name;
}

std::string Exporter::temp(Operation *op, StringRef role) {
  return tensorNames.unique(locationName(op) + "/" + role.str());
}

onnx::NodeProto *Exporter::addNode(Operation *op, StringRef opType,
                                   ArrayRef<std::string> inputs,
                                   ArrayRef<std::string> outputs,
                                   StringRef role) {
  onnx::NodeProto *n = graph.add_node();
  n->set_op_type(opType.str());
  std::string base = locationName(op);
  if (!role.empty())
    base += "/" + role.str();
  n->set_name(nodeNames.unique(base));
  for (const std::string &in : inputs)
    n->add_input(in);
  for (const std::string &out : outputs)
    n->add_output(out);
  return n;
}

std::string Exporter::addInts(Operation *op, StringRef role,
                              ArrayRef<int64_t> values) {
  onnx::TensorProto *t = graph.add_initializer();
  std::string name = temp(op, role);
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(values.size());
  for (int64_t v : values)
    t->add_int64_data(v);
  return name;
}

void Exporter::addInitializer(const std::string &name, ArrayRef<float> values,
                              ArrayRef<int64_t> shape) {
  onnx::TensorProto *t = graph.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape)
    t->add_dims(d);
  // raw_data is little-endian; so are the hosts this compiler runs on.
  t->set_raw_data(std::string(reinterpret_cast<const char *>(values.data()),
                              values.size() * sizeof(float)));
}

std::string Exporter::addFloats(Operation *op, StringRef role,
                                ArrayRef<float> values,
                                ArrayRef<int64_t> shape) {
  std::string name = temp(op, role);
  addInitializer(name, values, shape);
  return name;
}

void Exporter::addValueInfo(onnx::ValueInfoProto *vi, const std::string &name,
                            ArrayRef<int64_t> shape) {
  vi->set_name(name);
  auto *tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  auto *s = tt->mutable_shape();
  for (int64_t d : shape)
    s->add_dim()->set_dim_value(d);
}

void setAttr(onnx::NodeProto *n, StringRef name, ArrayRef<int64_t> v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}

void setAttr(onnx::NodeProto *n, StringRef name, int64_t v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void setAttr(onnx::NodeProto *n, StringRef name, float v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void setAttr(onnx::NodeProto *n, StringRef name, StringRef v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v.str());
}

void Exporter::addActivation(Operation *op, Activation act, float alpha,
                             const std::string &in, const std::string &out) {
  switch (act) {
  case Activation::none:
    addNode(op, "Identity", {in}, {out}, "identity");
    return;
  case Activation::silu: {
    // Opset 17 has no SiLU node; Sigmoid and Mul are what PyTorch exports
    // for it, and what every runtime fuses back.
    std::string s = temp(op, "sigmoid");
    addNode(op, "Sigmoid", {in}, {s}, "sigmoid");
    addNode(op, "Mul", {in, s}, {out}, "mul");
    return;
  }
  case Activation::sigmoid:
    addNode(op, "Sigmoid", {in}, {out}, "sigmoid");
    return;
  case Activation::relu:
    addNode(op, "Relu", {in}, {out}, "relu");
    return;
  case Activation::leaky_relu:
    setAttr(addNode(op, "LeakyRelu", {in}, {out}, "leaky_relu"), "alpha",
            alpha);
    return;
  }
}

LogicalResult Exporter::exportConstant(ConstantOp c) {
  auto type = cast<RankedTensorType>(c.getType());
  std::optional<std::vector<float>> data = getConstantFloats(c);
  if (!data)
    return fail(c, "constant data is unreadable (elided resource blob?)");
  addInitializer(nameOf(c.getResult()), *data, type.getShape());
  return success();
}

/// The DFL decode of a YOLOv9 detect head, in the order of operations of
/// the upstream DFL module and dist2bbox (only the bin expectation is a
/// MatMul rather than a 1x1 Conv), so that it rounds close to models
/// exported straight from PyTorch:
///   box, cls = split(x, [4 * R, C], axis 1)
///   p        = softmax(reshape(box, [N, 4, R, A]), axis 2)
///   dist     = reshape(matmul([0 .. R-1], p), [N, 4, A])    // l, t, r, b
///   lt, rb   = split(dist, [2, 2], axis 1)
///   x1y1, x2y2 = anchors - lt, anchors + rb
///   box      = concat((x1y1 + x2y2) / 2, x2y2 - x1y1) * strides
///   out      = concat(box, sigmoid(cls), axis 1)
LogicalResult Exporter::exportDecode(DecodeDetectionsOp op) {
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  int64_t n = in[0], anchors = in[2];
  int64_t regMax = static_cast<int64_t>(op.getRegMax());
  int64_t classes = in[1] - 4 * regMax;

  // Anchor points at cell centres, row-major within a level, levels in order.
  std::vector<float> anchorData(2 * anchors), strideData(anchors);
  int64_t a = 0;
  for (auto [stride, gh, gw] :
       llvm::zip(op.getStrides(), op.getGridH(), op.getGridW()))
    for (int64_t y = 0; y < gh; ++y)
      for (int64_t x = 0; x < gw; ++x, ++a) {
        anchorData[a] = static_cast<float>(x) + 0.5f;
        anchorData[anchors + a] = static_cast<float>(y) + 0.5f;
        strideData[a] = static_cast<float>(stride);
      }
  std::vector<float> bins(regMax);
  for (int64_t k = 0; k < regMax; ++k)
    bins[k] = static_cast<float>(k);

  Operation *o = op;
  std::string box = temp(o, "box"), cls = temp(o, "cls");
  setAttr(addNode(o, "Split",
                  {nameOf(op.getInput()),
                   addInts(o, "split", {4 * regMax, classes})},
                  {box, cls}, "split"),
          "axis", int64_t(1));
  std::string binsT = temp(o, "bins");
  addNode(o, "Reshape",
          {box, addInts(o, "bins_shape", {n, 4, regMax, anchors})}, {binsT},
          "reshape_bins");
  std::string prob = temp(o, "softmax");
  setAttr(addNode(o, "Softmax", {binsT}, {prob}, "softmax"), "axis",
          int64_t(2));
  std::string expect = temp(o, "dfl");
  addNode(o, "MatMul", {addFloats(o, "dfl_weight", bins, {1, regMax}), prob},
          {expect}, "dfl");
  std::string dist = temp(o, "dist");
  addNode(o, "Reshape", {expect, addInts(o, "dist_shape", {n, 4, anchors})},
          {dist}, "reshape_dist");
  std::string lt = temp(o, "lt"), rb = temp(o, "rb");
  setAttr(addNode(o, "Split", {dist, addInts(o, "lt_rb", {2, 2})}, {lt, rb},
                  "split_dist"),
          "axis", int64_t(1));
  std::string anchorT = addFloats(o, "anchors", anchorData, {1, 2, anchors});
  std::string x1y1 = temp(o, "x1y1"), x2y2 = temp(o, "x2y2");
  addNode(o, "Sub", {anchorT, lt}, {x1y1}, "x1y1");
  addNode(o, "Add", {anchorT, rb}, {x2y2}, "x2y2");
  std::string sum = temp(o, "sum"), cxy = temp(o, "cxy"), wh = temp(o, "wh");
  addNode(o, "Add", {x1y1, x2y2}, {sum}, "sum");
  addNode(o, "Div", {sum, addFloats(o, "two", {2.0f}, {})}, {cxy}, "cxy");
  addNode(o, "Sub", {x2y2, x1y1}, {wh}, "wh");
  std::string cells = temp(o, "cells"), pixels = temp(o, "pixels");
  setAttr(addNode(o, "Concat", {cxy, wh}, {cells}, "concat_box"), "axis",
          int64_t(1));
  addNode(o, "Mul",
          {cells, addFloats(o, "strides", strideData, {1, 1, anchors})},
          {pixels}, "stride");
  std::string scores = temp(o, "scores");
  addNode(o, "Sigmoid", {cls}, {scores}, "sigmoid");
  setAttr(addNode(o, "Concat", {pixels, scores}, {nameOf(op.getResult())}),
          "axis", int64_t(1));
  return success();
}

LogicalResult Exporter::exportOp(Operation *op) {
  auto in = [&](unsigned k) { return nameOf(op->getOperand(k)); };
  auto out = [&](unsigned k = 0) { return nameOf(op->getResult(k)); };
  auto simple = [&](StringRef type) {
    SmallVector<std::string> ins;
    for (unsigned k = 0; k < op->getNumOperands(); ++k)
      ins.push_back(in(k));
    return addNode(op, type, ins, {out()});
  };
  auto plain = [&](StringRef type) {
    simple(type);
    return success();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ConstantOp c) { return exportConstant(c); })
      .Case([&](Conv2DOp conv) {
        SmallVector<std::string> ins = {in(0), in(1)};
        if (conv.getBias())
          ins.push_back(in(2));
        bool hasAct = conv.getActivation() != Activation::none;
        std::string result = hasAct ? temp(op, "conv") : out();
        onnx::NodeProto *n = addNode(op, "Conv", ins, {result});
        setAttr(n, "kernel_shape",
                conv.getWeight().getType().getShape().drop_front(2));
        setAttr(n, "strides", conv.getStrides());
        // [top, left, bottom, right] is ONNX's [x1_begin, x2_begin, x1_end,
        // x2_end] for 2-D.
        setAttr(n, "pads", conv.getPads());
        setAttr(n, "dilations", conv.getDilations());
        setAttr(n, "group", static_cast<int64_t>(conv.getGroups()));
        if (hasAct)
          addActivation(op, conv.getActivation(),
                        conv.getAlpha().convertToFloat(), result, out());
        return success();
      })
      .Case([&](ConvTransposeOp conv) {
        SmallVector<std::string> ins = {in(0), in(1)};
        if (conv.getBias())
          ins.push_back(in(2));
        onnx::NodeProto *n = addNode(op, "ConvTranspose", ins, {out()});
        setAttr(n, "kernel_shape",
                conv.getWeight().getType().getShape().drop_front(2));
        setAttr(n, "strides", conv.getStrides());
        // The yolo order [top, left, bottom, right] is ONNX's for 2-D.
        setAttr(n, "pads", conv.getPads());
        setAttr(n, "dilations", conv.getDilations());
        setAttr(n, "output_padding", conv.getOutputPadding());
        setAttr(n, "group", static_cast<int64_t>(conv.getGroups()));
        return success();
      })
      .Case([&](BatchNormOp bn) {
        setAttr(simple("BatchNormalization"), "epsilon",
                bn.getEpsilon().convertToFloat());
        return success();
      })
      .Case([&](SiLUOp) {
        addActivation(op, Activation::silu, 0, in(0), out());
        return success();
      })
      .Case([&](SigmoidOp) { return plain("Sigmoid"); })
      .Case([&](ReLUOp) { return plain("Relu"); })
      .Case([&](LeakyReLUOp l) {
        setAttr(simple("LeakyRelu"), "alpha", l.getAlpha().convertToFloat());
        return success();
      })
      .Case([&](AddOp) { return plain("Add"); })
      .Case([&](SubOp) { return plain("Sub"); })
      .Case([&](MulOp) { return plain("Mul"); })
      .Case([&](DivOp) { return plain("Div"); })
      .Case([&](SoftmaxOp s) {
        // Softmax-13 normalizes along the one axis, as yolo.softmax does
        // (opset < 13 would flatten the trailing dimensions).
        setAttr(simple("Softmax"), "axis", static_cast<int64_t>(s.getAxis()));
        return success();
      })
      .Case([&](MatMulOp) { return plain("MatMul"); })
      .Case([&](ReduceSumOp r) {
        onnx::NodeProto *n =
            addNode(op, "ReduceSum", {in(0), addInts(op, "axes", r.getAxes())},
                    {out()});
        setAttr(n, "keepdims", int64_t(r.getKeepDims() ? 1 : 0));
        // No axes means no reduction in yolo, but all axes in ONNX.
        if (r.getAxes().empty())
          setAttr(n, "noop_with_empty_axes", int64_t(1));
        return success();
      })
      .Case([&](MaxPoolOp p) {
        onnx::NodeProto *n = simple("MaxPool");
        setAttr(n, "kernel_shape", p.getKernel());
        setAttr(n, "strides", p.getStrides());
        setAttr(n, "pads", p.getPads());
        return success();
      })
      .Case([&](AvgPoolOp p) {
        onnx::NodeProto *n = simple("AveragePool");
        setAttr(n, "kernel_shape", p.getKernel());
        setAttr(n, "strides", p.getStrides());
        setAttr(n, "pads", p.getPads());
        setAttr(n, "count_include_pad",
                int64_t(p.getCountIncludePad() ? 1 : 0));
        return success();
      })
      .Case([&](ResizeOp r) {
        if (r.getMode() == ResizeMode::linear) {
          // The scales, which the coordinate mapping uses, when they give
          // the output size (floor(in * scale)); else sizes, from which
          // the mapping computes output / input, which is what
          // coordinate_scales then hold.
          // (onnxruntime multiplies in f32.)
          ArrayRef<int64_t> inShape = r.getInput().getType().getShape(),
                            outShape = r.getType().getShape();
          ArrayRef<float> cs = *r.getCoordinateScales();
          bool exactScales = true;
          for (int d = 0; d < 2; ++d)
            exactScales &=
                static_cast<int64_t>(static_cast<float>(inShape[2 + d]) *
                                     cs[d]) == outShape[2 + d];
          std::vector<std::string> inputs = {in(0), ""};
          if (exactScales) {
            inputs.push_back(
                addFloats(op, "scales", {1.0f, 1.0f, cs[0], cs[1]}, {4}));
          } else {
            inputs.push_back("");
            inputs.push_back(addInts(op, "sizes", outShape));
          }
          onnx::NodeProto *n = addNode(op, "Resize", inputs, {out()});
          setAttr(n, "mode", StringRef("linear"));
          setAttr(n, "coordinate_transformation_mode",
                  stringifyCoordinateMode(r.getCoordinateMode()));
          return success();
        }
        std::vector<float> scales = {1.0f, 1.0f,
                                     static_cast<float>((*r.getScales())[0]),
                                     static_cast<float>((*r.getScales())[1])};
        // An empty name skips the optional roi input.
        onnx::NodeProto *n =
            addNode(op, "Resize",
                    {in(0), "", addFloats(op, "scales", scales, {4})}, {out()});
        setAttr(n, "mode", StringRef("nearest"));
        setAttr(n, "coordinate_transformation_mode", StringRef("asymmetric"));
        setAttr(n, "nearest_mode", StringRef("floor"));
        return success();
      })
      .Case([&](ConcatOp c) {
        setAttr(simple("Concat"), "axis", static_cast<int64_t>(c.getAxis()));
        return success();
      })
      .Case([&](SliceOp s) {
        SmallVector<int64_t> ends, axes;
        for (auto [k, o] : llvm::enumerate(s.getOffsets())) {
          // One past the last element taken, which stays exact for strides
          // that do not divide the extent.
          ends.push_back(o + (s.getSizes()[k] - 1) * s.getStrides()[k] + 1);
          axes.push_back(k);
        }
        addNode(op, "Slice",
                {in(0), addInts(op, "starts", s.getOffsets()),
                 addInts(op, "ends", ends), addInts(op, "axes", axes),
                 addInts(op, "steps", s.getStrides())},
                {out()});
        return success();
      })
      .Case([&](SplitOp s) {
        std::string split = addInts(op, "split", s.getSizes());
        SmallVector<std::string> outs;
        for (unsigned k = 0; k < op->getNumResults(); ++k)
          outs.push_back(out(k));
        setAttr(addNode(op, "Split", {in(0), split}, outs), "axis",
                static_cast<int64_t>(s.getAxis()));
        return success();
      })
      .Case([&](PadOp p) {
        setAttr(addNode(op, "Pad",
                        {in(0), addInts(op, "pads", p.getPads()),
                         addFloats(op, "value", {p.getValue().convertToFloat()},
                                   {})},
                        {out()}),
                "mode", StringRef("constant"));
        return success();
      })
      .Case([&](ReshapeOp r) {
        addNode(op, "Reshape", {in(0), addInts(op, "shape", r.getShape())},
                {out()});
        return success();
      })
      .Case([&](TransposeOp t) {
        setAttr(simple("Transpose"), "perm", t.getPerm());
        return success();
      })
      .Case([&](DecodeDetectionsOp d) { return exportDecode(d); })
      .Default([&](Operation *) {
        return fail(op, "not supported by the ONNX exporter");
      });
}

LogicalResult Exporter::run(func::FuncOp func) {
  graph.set_name(func.getSymName().str());
  // Graph input and output names are fixed first so that no intermediate
  // takes them.
  for (BlockArgument arg : func.getArguments()) {
    unsigned k = arg.getArgNumber();
    if (!isStaticF32(arg.getType())) {
      error = "argument " + std::to_string(k) +
              ": expected a statically shaped f32 tensor, got " +
              typeString(arg.getType());
      return failure();
    }
    std::string name = "input" + std::to_string(k);
    if (auto n = func.getArgAttrOfType<StringAttr>(k, "yolo.name"))
      if (!n.getValue().empty())
        name = n.getValue().str();
    name = tensorNames.unique(name);
    names[arg] = name;
    addValueInfo(graph.add_input(), name,
                 cast<RankedTensorType>(arg.getType()).getShape());
  }
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  SmallVector<std::string> outNames;
  SmallVector<bool> needsIdentity;
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    if (!isStaticF32(v.getType())) {
      error = "result " + std::to_string(k) +
              ": expected a statically shaped f32 tensor, got " +
              typeString(v.getType());
      return failure();
    }
    std::string name = "output" + std::to_string(k);
    if (auto n = func.getResultAttrOfType<StringAttr>(k, "yolo.name"))
      if (!n.getValue().empty())
        name = n.getValue().str();
    name = tensorNames.unique(name);
    outNames.push_back(name);
    // The producing node writes the output directly, unless the value is
    // a graph input, an initializer, or already another output: those get
    // an Identity node so that every output has its own name.
    bool direct =
        isa<OpResult>(v) && !v.getDefiningOp<ConstantOp>() && !names.count(v);
    if (direct) {
      names[v] = name;
      outputValues.insert(v);
    }
    needsIdentity.push_back(!direct);
  }

  for (Operation &op : func.getBody().front().without_terminator()) {
    if (op.getNumRegions() != 0)
      return fail(&op, "ops with regions are not supported by the ONNX "
                       "exporter");
    for (Value r : op.getResults())
      if (!isStaticF32(r.getType()))
        return fail(&op, "expected statically shaped f32 tensors, got " +
                             typeString(r.getType()));
    if (failed(exportOp(&op)))
      return failure();
    if (isa<ConstantOp>(op))
      continue;
    for (Value r : op.getResults())
      if (!outputValues.contains(r))
        addValueInfo(graph.add_value_info(), nameOf(r),
                     cast<RankedTensorType>(r.getType()).getShape());
  }

  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    if (needsIdentity[k]) {
      onnx::NodeProto *n = graph.add_node();
      n->set_op_type("Identity");
      n->set_name(nodeNames.unique(outNames[k]));
      n->add_input(nameOf(v));
      n->add_output(outNames[k]);
    }
    addValueInfo(graph.add_output(), outNames[k],
                 cast<RankedTensorType>(v.getType()).getShape());
  }
  return success();
}

/// Builds the serialized model of `module`'s entry function.
LogicalResult buildModel(ModuleOp module, std::string &bytes,
                         std::string &error) {
  func::FuncOp func = module.lookupSymbol<func::FuncOp>("main");
  if (!func) {
    auto funcs = module.getOps<func::FuncOp>();
    if (std::distance(funcs.begin(), funcs.end()) != 1) {
      error = "expected a module with func.func @main";
      return failure();
    }
    func = *funcs.begin();
  }
  if (func.isExternal() || !llvm::hasSingleElement(func.getBody())) {
    error = "expected @" + func.getSymName().str() + " to have one block";
    return failure();
  }
  onnx::ModelProto model;
  model.set_ir_version(kIrVersion);
  model.set_producer_name("yolo-compiler");
  onnx::OperatorSetIdProto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  Exporter exporter(*model.mutable_graph());
  if (failed(exporter.run(func))) {
    error = exporter.error;
    return failure();
  }
  if (!model.SerializeToString(&bytes)) {
    error = "the model does not serialize (protobuf's limit is 2 GiB)";
    return failure();
  }
  return success();
}

} // namespace

LogicalResult mlir::yolo::exportONNX(ModuleOp module, llvm::raw_ostream &os,
                                     std::string &error) {
  std::string bytes;
  if (failed(buildModel(module, bytes, error)))
    return failure();
  os << bytes;
  return success();
}

LogicalResult mlir::yolo::exportONNXFile(ModuleOp module, StringRef path,
                                         std::string &error) {
  // The model is built before the file is touched, and written through an
  // AtomicOutputFile, so a failed export leaves no half file.
  std::string bytes;
  if (failed(buildModel(module, bytes, error)))
    return failure();
  return success(writeFileAtomically(
      path,
      [&](llvm::raw_ostream &os) {
        os << bytes;
        return true;
      },
      error));
}
