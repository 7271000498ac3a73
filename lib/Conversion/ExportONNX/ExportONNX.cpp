//===- ExportONNX.cpp - the yolo dialect back to ONNX ---------------------===//
//
// Writes an optimized yolo graph as a standard ONNX model (opset 17), so
// that users of any runtime benefit from the passes and so that the passes
// can be checked with onnxruntime independently of our own code generation.
// Every yolo op maps to plain ONNX nodes; fused activations become the
// nodes they stand for. Node names come from the op locations.
//
//===----------------------------------------------------------------------===//

#include "yolo/Conversion/ExportONNX.h"
#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
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

constexpr int64_t kOpset = 17;

class Exporter {
public:
  explicit Exporter(onnx::GraphProto &graph) : graph(graph) {}

  LogicalResult run(func::FuncOp func);
  std::string error;

private:
  LogicalResult exportOp(Operation *op);
  LogicalResult fail(Operation *op, const Twine &why);

  std::string nameOf(Value v);
  std::string freshName(StringRef base);
  std::string nodeName(Operation *op);
  onnx::NodeProto *addNode(Operation *op, StringRef opType,
                           ArrayRef<std::string> inputs,
                           ArrayRef<std::string> outputs);
  std::string addInts(ArrayRef<int64_t> values);
  std::string addFloats(ArrayRef<float> values, ArrayRef<int64_t> shape);
  void addIntsAttr(onnx::NodeProto *n, StringRef name, ArrayRef<int64_t> v);
  void addIntAttr(onnx::NodeProto *n, StringRef name, int64_t v);
  void addFloatAttr(onnx::NodeProto *n, StringRef name, float v);
  void addStringAttr(onnx::NodeProto *n, StringRef name, StringRef v);
  /// Emits `activation(input)` into `output`.
  void addActivation(Operation *op, Activation act, float alpha,
                     const std::string &input, const std::string &output);

  onnx::GraphProto &graph;
  llvm::DenseMap<Value, std::string> names;
  llvm::StringSet<> used;
  unsigned counter = 0;
};

LogicalResult Exporter::fail(Operation *op, const Twine &why) {
  std::string loc;
  llvm::raw_string_ostream os(loc);
  op->getLoc().print(os);
  error = ("'" + op->getName().getStringRef() + "' at " + loc + ": " + why)
              .str();
  return failure();
}

std::string Exporter::freshName(StringRef base) {
  std::string name = base.str();
  while (name.empty() || !used.insert(name).second)
    name = base.str() + "_" + std::to_string(counter++);
  return name;
}

std::string Exporter::nameOf(Value v) {
  auto it = names.find(v);
  if (it != names.end())
    return it->second;
  std::string name = freshName("t" + std::to_string(counter++));
  names[v] = name;
  return name;
}

std::string Exporter::nodeName(Operation *op) {
  SmallVector<std::string> parts;
  std::function<void(Location)> collect = [&](Location loc) {
    if (auto n = dyn_cast<NameLoc>(loc))
      parts.push_back(n.getName().str());
    else if (auto f = dyn_cast<FusedLoc>(loc))
      for (Location l : f.getLocations())
        collect(l);
  };
  collect(op->getLoc());
  std::string joined;
  for (auto [i, p] : llvm::enumerate(parts))
    joined += (i ? "+" : "") + p;
  if (joined.empty())
    joined = op->getName().stripDialect().str();
  return freshName(joined);
}

onnx::NodeProto *Exporter::addNode(Operation *op, StringRef opType,
                                   ArrayRef<std::string> inputs,
                                   ArrayRef<std::string> outputs) {
  onnx::NodeProto *n = graph.add_node();
  n->set_op_type(opType.str());
  n->set_name(nodeName(op));
  for (const std::string &in : inputs)
    n->add_input(in);
  for (const std::string &out : outputs)
    n->add_output(out);
  return n;
}

std::string Exporter::addInts(ArrayRef<int64_t> values) {
  onnx::TensorProto *t = graph.add_initializer();
  std::string name = freshName("i" + std::to_string(counter++));
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(values.size());
  for (int64_t v : values)
    t->add_int64_data(v);
  return name;
}

std::string Exporter::addFloats(ArrayRef<float> values,
                                ArrayRef<int64_t> shape) {
  onnx::TensorProto *t = graph.add_initializer();
  std::string name = freshName("c" + std::to_string(counter++));
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape)
    t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char *>(values.data()),
                              values.size() * sizeof(float)));
  return name;
}

void Exporter::addIntsAttr(onnx::NodeProto *n, StringRef name,
                           ArrayRef<int64_t> v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v)
    a->add_ints(x);
}

void Exporter::addIntAttr(onnx::NodeProto *n, StringRef name, int64_t v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void Exporter::addFloatAttr(onnx::NodeProto *n, StringRef name, float v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void Exporter::addStringAttr(onnx::NodeProto *n, StringRef name,
                             StringRef v) {
  onnx::AttributeProto *a = n->add_attribute();
  a->set_name(name.str());
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v.str());
}

void Exporter::addActivation(Operation *op, Activation act, float alpha,
                             const std::string &in, const std::string &out) {
  switch (act) {
  case Activation::none:
    addNode(op, "Identity", {in}, {out});
    return;
  case Activation::silu: {
    std::string s = freshName(out + "_sigmoid");
    addNode(op, "Sigmoid", {in}, {s});
    addNode(op, "Mul", {in, s}, {out});
    return;
  }
  case Activation::sigmoid:
    addNode(op, "Sigmoid", {in}, {out});
    return;
  case Activation::relu:
    addNode(op, "Relu", {in}, {out});
    return;
  case Activation::leaky_relu:
    addFloatAttr(addNode(op, "LeakyRelu", {in}, {out}), "alpha", alpha);
    return;
  }
}

LogicalResult Exporter::exportOp(Operation *op) {
  auto in = [&](unsigned k) { return nameOf(op->getOperand(k)); };
  auto out = [&](unsigned k = 0) { return nameOf(op->getResult(k)); };
  auto unary = [&](StringRef type) {
    addNode(op, type, {in(0)}, {out()});
    return success();
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ConstantOp c) -> LogicalResult {
        auto type = cast<RankedTensorType>(c.getType());
        std::optional<std::vector<float>> data = getConstantFloats(c);
        if (!data)
          return fail(op, "only f32 constants can be exported");
        onnx::TensorProto *t = graph.add_initializer();
        t->set_name(out());
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (int64_t d : type.getShape())
          t->add_dims(d);
        t->set_raw_data(std::string(reinterpret_cast<const char *>(
                                        data->data()),
                                    data->size() * sizeof(float)));
        return success();
      })
      .Case([&](Conv2DOp conv) -> LogicalResult {
        SmallVector<std::string> ins = {in(0), in(1)};
        if (conv.getBias())
          ins.push_back(in(2));
        bool hasAct = conv.getActivation() != Activation::none;
        std::string result =
            hasAct ? freshName(out() + "_conv") : out();
        onnx::NodeProto *n = addNode(op, "Conv", ins, {result});
        addIntsAttr(n, "strides", conv.getStrides());
        addIntsAttr(n, "pads", conv.getPads());
        addIntsAttr(n, "dilations", conv.getDilations());
        addIntAttr(n, "group", conv.getGroups());
        auto w = conv.getWeight().getType().getShape();
        addIntsAttr(n, "kernel_shape", w.drop_front(2));
        if (hasAct)
          addActivation(op, conv.getActivation(),
                        conv.getAlpha().convertToFloat(), result, out());
        return success();
      })
      .Case([&](BatchNormOp bn) -> LogicalResult {
        addFloatAttr(addNode(op, "BatchNormalization",
                             {in(0), in(1), in(2), in(3), in(4)}, {out()}),
                     "epsilon", bn.getEpsilon().convertToFloat());
        return success();
      })
      .Case([&](SiLUOp) {
        addActivation(op, Activation::silu, 0, in(0), out());
        return success();
      })
      .Case([&](SigmoidOp) { return unary("Sigmoid"); })
      .Case([&](ReLUOp) { return unary("Relu"); })
      .Case([&](LeakyReLUOp l) {
        addActivation(op, Activation::leaky_relu,
                      l.getAlpha().convertToFloat(), in(0), out());
        return success();
      })
      .Case([&](AddOp) {
        addNode(op, "Add", {in(0), in(1)}, {out()});
        return success();
      })
      .Case([&](SubOp) {
        addNode(op, "Sub", {in(0), in(1)}, {out()});
        return success();
      })
      .Case([&](MulOp) {
        addNode(op, "Mul", {in(0), in(1)}, {out()});
        return success();
      })
      .Case([&](DivOp) {
        addNode(op, "Div", {in(0), in(1)}, {out()});
        return success();
      })
      .Case([&](SoftmaxOp s) {
        addIntAttr(addNode(op, "Softmax", {in(0)}, {out()}), "axis",
                   s.getAxis());
        return success();
      })
      .Case([&](ReduceSumOp r) {
        addIntAttr(addNode(op, "ReduceSum", {in(0), addInts(r.getAxes())},
                           {out()}),
                   "keepdims", r.getKeepDims() ? 1 : 0);
        return success();
      })
      .Case([&](MaxPoolOp p) {
        onnx::NodeProto *n = addNode(op, "MaxPool", {in(0)}, {out()});
        addIntsAttr(n, "kernel_shape", p.getKernel());
        addIntsAttr(n, "strides", p.getStrides());
        addIntsAttr(n, "pads", p.getPads());
        return success();
      })
      .Case([&](AvgPoolOp p) {
        onnx::NodeProto *n = addNode(op, "AveragePool", {in(0)}, {out()});
        addIntsAttr(n, "kernel_shape", p.getKernel());
        addIntsAttr(n, "strides", p.getStrides());
        addIntsAttr(n, "pads", p.getPads());
        addIntAttr(n, "count_include_pad", p.getCountIncludePad() ? 1 : 0);
        return success();
      })
      .Case([&](ResizeOp r) {
        std::vector<float> scales = {1.0f, 1.0f,
                                     static_cast<float>(r.getScales()[0]),
                                     static_cast<float>(r.getScales()[1])};
        onnx::NodeProto *n = addNode(
            op, "Resize", {in(0), "", addFloats(scales, {4})}, {out()});
        addStringAttr(n, "mode", "nearest");
        addStringAttr(n, "coordinate_transformation_mode", "asymmetric");
        addStringAttr(n, "nearest_mode", "floor");
        return success();
      })
      .Case([&](ConcatOp c) {
        SmallVector<std::string> ins;
        for (unsigned k = 0; k < op->getNumOperands(); ++k)
          ins.push_back(in(k));
        addIntAttr(addNode(op, "Concat", ins, {out()}), "axis", c.getAxis());
        return success();
      })
      .Case([&](SliceOp s) {
        SmallVector<int64_t> ends, axes;
        for (auto [k, o] : llvm::enumerate(s.getOffsets())) {
          ends.push_back(o + (s.getSizes()[k] - 1) * s.getStrides()[k] + 1);
          axes.push_back(k);
        }
        addNode(op, "Slice",
                {in(0), addInts(s.getOffsets()), addInts(ends), addInts(axes),
                 addInts(s.getStrides())},
                {out()});
        return success();
      })
      .Case([&](SplitOp s) {
        SmallVector<std::string> outs;
        for (unsigned k = 0; k < op->getNumResults(); ++k)
          outs.push_back(out(k));
        addIntAttr(addNode(op, "Split", {in(0), addInts(s.getSizes())}, outs),
                   "axis", s.getAxis());
        return success();
      })
      .Case([&](PadOp p) {
        addNode(op, "Pad",
                {in(0), addInts(p.getPads()),
                 addFloats({p.getValue().convertToFloat()}, {})},
                {out()});
        return success();
      })
      .Case([&](ReshapeOp r) {
        addNode(op, "Reshape", {in(0), addInts(r.getShape())}, {out()});
        return success();
      })
      .Case([&](TransposeOp t) {
        addIntsAttr(addNode(op, "Transpose", {in(0)}, {out()}), "perm",
                    t.getPerm());
        return success();
      })
      .Default([&](Operation *) {
        return fail(op, "not supported by the ONNX exporter");
      });
}

void setValueInfo(onnx::ValueInfoProto *vi, const std::string &name,
                  Type type) {
  vi->set_name(name);
  auto *tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : cast<RankedTensorType>(type).getShape())
    tt->mutable_shape()->add_dim()->set_dim_value(d);
}

LogicalResult Exporter::run(func::FuncOp func) {
  graph.set_name(func.getSymName().str());
  for (BlockArgument arg : func.getArguments()) {
    std::string name = "input" + std::to_string(arg.getArgNumber());
    if (auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                   "yolo.name"))
      name = n.getValue().str();
    if (!isa<RankedTensorType>(arg.getType()) ||
        !cast<RankedTensorType>(arg.getType()).getElementType().isF32()) {
      error = "argument " + std::to_string(arg.getArgNumber()) +
              " is not an f32 tensor";
      return failure();
    }
    used.insert(name);
    names[arg] = name;
    setValueInfo(graph.add_input(), name, arg.getType());
  }
  // Output names are fixed up front so no intermediate takes them.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  SmallVector<std::string> outNames;
  for (unsigned k = 0; k < func.getNumResults(); ++k) {
    std::string name = "output" + std::to_string(k);
    if (auto n = func.getResultAttrOfType<StringAttr>(k, "yolo.name"))
      name = n.getValue().str();
    outNames.push_back(freshName(name));
  }
  for (Operation &op : func.getBody().front().without_terminator()) {
    if (op.getNumRegions() != 0)
      return fail(&op, "ops with regions are not supported");
    if (failed(exportOp(&op)))
      return failure();
  }
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    // An output that is an input or another output still needs its own
    // name: an Identity node provides it.
    onnx::NodeProto *n = graph.add_node();
    n->set_op_type("Identity");
    n->set_name(freshName("output_identity"));
    n->add_input(nameOf(v));
    n->add_output(outNames[k]);
    setValueInfo(graph.add_output(), outNames[k], v.getType());
  }
  return success();
}

} // namespace

LogicalResult mlir::yolo::exportONNXFile(ModuleOp module, StringRef path,
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
    error = "expected @main to have one block";
    return failure();
  }
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("yolo-compiler");
  auto *opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  Exporter exporter(*model.mutable_graph());
  if (failed(exporter.run(func))) {
    error = exporter.error;
    return failure();
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) {
    error = "the model does not serialize (over 2 GiB?)";
    return failure();
  }
  // Written atomically: a temporary file renamed over the target.
  std::string tmp = (path + ".tmp").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(tmp, ec, llvm::sys::fs::OF_None);
    if (ec) {
      error = "cannot write '" + tmp + "': " + ec.message();
      return failure();
    }
    os << bytes;
    os.close();
    if (os.has_error()) {
      error = "cannot write '" + tmp + "': " + os.error().message();
      os.clear_error();
      return failure();
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    error = "cannot rename '" + tmp + "' to '" + path.str() +
            "': " + ec.message();
    return failure();
  }
  return success();
}
