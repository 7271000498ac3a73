//===- ImportONNX.cpp - ONNX protobuf to the yolo dialect -----------------===//
//
// Reads an ONNX model (binary or text protobuf) and builds `func.func @main`
// of yolo ops. Every node whose inputs are all known at import time (shape
// arithmetic, anchor grids, Constant/Identity) is evaluated on the host, so
// the emitted graph holds only tensor work with static shapes. Each op's
// location is its ONNX node name. Every way a file can be wrong ends in an
// error naming the file, the node, its op type and the reason; nothing in
// here trusts the file (sizes, counts and references are all checked).
//
// This file is the driver: graph inputs, node order, dispatch of each node
// to the handlers registered for its op (OpRegistry.h), graph outputs. The
// handlers are in Ops*.cpp, by op family.
//
//===----------------------------------------------------------------------===//

#include "yolo/Conversion/ImportONNX.h"
#include "yolo/Dialect/Yolo/YoloOps.h"

#include "ImporterImpl.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <optional>

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

/// Orders the nodes that the graph outputs depend on so that producers come
/// first. Rejects values defined twice, inputs nobody defines and cycles.
bool Importer::sortNodes(std::vector<const onnx::NodeProto *> &order) {
  const onnx::GraphProto &g = model.graph();
  llvm::StringMap<int> producer;
  for (int n = 0; n < g.node_size(); ++n)
    for (const std::string &out : g.node(n).output()) {
      if (out.empty())
        continue;
      if (values.count(out) || graphInputs.contains(out) ||
          !producer.try_emplace(out, n).second) {
        currentNode = &g.node(n);
        nodeName = currentNode->name().empty()
                       ? currentNode->op_type() + "#" + std::to_string(n)
                       : currentNode->name();
        (void)failNode("value '" + out + "' is defined more than once");
        return false;
      }
    }
  // Depth-first from the outputs; 0 = unvisited, 1 = on the stack, 2 = done.
  std::vector<int> state(g.node_size(), 0);
  std::vector<std::pair<int, int>> stack; // (node, next input)
  for (const auto &out : g.output()) {
    auto it = producer.find(out.name());
    if (it == producer.end()) {
      if (!values.count(out.name()) && !graphInputs.contains(out.name())) {
        (void)fail("graph output '" + out.name() + "' is never defined");
        return false;
      }
      continue;
    }
    if (state[it->second] == 2)
      continue;
    stack.push_back({it->second, 0});
    state[it->second] = 1;
    while (!stack.empty()) {
      auto &[n, next] = stack.back();
      const onnx::NodeProto &nd = g.node(n);
      if (next < nd.input_size()) {
        const std::string &in = nd.input(next++);
        if (in.empty() || values.count(in) || graphInputs.contains(in))
          continue;
        auto p = producer.find(in);
        if (p == producer.end()) {
          currentNode = &nd;
          nodeName = nd.name().empty() ? nd.op_type() + "#" + std::to_string(n)
                                       : nd.name();
          (void)failNode("input '" + in +
                         "' is not defined by any node, "
                         "initializer or graph input");
          return false;
        }
        if (state[p->second] == 1) {
          currentNode = &nd;
          nodeName = nd.name().empty() ? nd.op_type() + "#" + std::to_string(n)
                                       : nd.name();
          (void)failNode("the graph has a cycle through input '" + in + "'");
          return false;
        }
        if (state[p->second] == 0) {
          state[p->second] = 1;
          stack.push_back({p->second, 0});
        }
        continue;
      }
      state[n] = 2;
      order.push_back(&nd);
      stack.pop_back();
    }
  }
  return true;
}

/// The `names` metadata: a Python dict literal as Ultralytics writes it,
/// "{0: 'person', 1: 'bicycle', ...}", or JSON ("{\"0\": \"person\", ...}");
/// the names in key order when the keys are 0..n-1, else nothing.
static std::optional<std::vector<std::string>> parseNames(StringRef text) {
  std::map<int64_t, std::string> byKey;
  StringRef s = text.trim();
  if (!s.consume_front("{") || !s.consume_back("}"))
    return std::nullopt;
  while (!(s = s.ltrim()).empty()) {
    // Keys are integers, or quoted integers (the JSON form).
    int64_t key;
    char keyQuote =
        !s.empty() && (s.front() == '"' || s.front() == '\'') ? s.front() : 0;
    if (keyQuote)
      s = s.drop_front();
    if (s.consumeInteger(10, key) ||
        (keyQuote && !s.consume_front(StringRef(&keyQuote, 1))) ||
        !(s = s.ltrim()).consume_front(":"))
      return std::nullopt;
    s = s.ltrim();
    if (s.empty() || (s.front() != '\'' && s.front() != '"'))
      return std::nullopt;
    char quote = s.front();
    s = s.drop_front();
    std::string name;
    while (!s.empty() && s.front() != quote) {
      if (s.front() == '\\' && s.size() > 1)
        s = s.drop_front();
      name += s.front();
      s = s.drop_front();
    }
    if (!s.consume_front(StringRef(&quote, 1)) ||
        !byKey.emplace(key, name).second)
      return std::nullopt;
    s = s.ltrim();
    if (!s.consume_front(",") && !s.empty())
      return std::nullopt;
  }
  std::vector<std::string> names;
  for (auto &[key, name] : byKey) {
    if (key != static_cast<int64_t>(names.size()))
      return std::nullopt;
    names.push_back(name);
  }
  return names;
}

/// What exporters write about the model (Ultralytics: names, task), kept
/// on the module for the code generator: `yolo.class_names`, `yolo.task`.
void Importer::recordMetadata(ModuleOp module) {
  for (const onnx::StringStringEntryProto &p : model.metadata_props()) {
    if (p.key() == "names") {
      if (auto names = parseNames(p.value())) {
        SmallVector<Attribute> list;
        for (const std::string &n : *names)
          list.push_back(builder.getStringAttr(n));
        module->setAttr("yolo.class_names", builder.getArrayAttr(list));
      }
    } else if (p.key() == "task") {
      module->setAttr("yolo.task", builder.getStringAttr(p.value()));
    }
  }
}

/// Imports one node through the handlers registered for its op type and the
/// model's opset: evaluated on the host when all its inputs are known and
/// its op has a host evaluator, built as yolo ops otherwise.
LogicalResult Importer::importNode(const onnx::NodeProto &n) {
  currentNode = &n;
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    return failNode("operator domain '" + n.domain() + "' is not supported");
  if (n.output_size() == 0)
    return failNode("node has no outputs");
  const OpHandler *handler = OpRegistry::get().lookup(n.op_type(), modelOpset);

  // Nodes producing constants no matter what their inputs are.
  if (handler && handler->hostAlways)
    return handler->host(*this);

  // Every input known: evaluate on the host.
  bool allConstant = true;
  for (int k = 0; k < n.input_size(); ++k) {
    if (n.input(k).empty())
      continue;
    Entry *e = lookup(n.input(k));
    if (!e)
      return failNode("input '" + n.input(k) + "' is undefined");
    if (e->value)
      allConstant = false;
  }
  if (allConstant && handler && handler->host) {
    LogicalResult r = evaluateOnHost(*handler);
    if (succeeded(r))
      return chargeHostOutputs();
    if (!errorMessage.empty())
      return r;
  }
  if (!handler || !handler->graph)
    return failNode("unsupported operator");
  return handler->graph(*this);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> Importer::run(std::string &error) {
  ctx->loadDialect<YoloDialect, func::FuncDialect>();
  auto finish = [&]() -> OwningOpRef<ModuleOp> {
    error = errorMessage.empty() ? path + ": import failed" : errorMessage;
    return nullptr;
  };
  if (!load() || !checkOpset())
    return finish();
  const onnx::GraphProto &g = model.graph();

  for (const auto &init : g.initializer()) {
    if (init.name().empty()) {
      (void)fail("an initializer has no name");
      return finish();
    }
    if (values.count(init.name())) {
      (void)fail("initializer '" + init.name() + "' is defined twice");
      return finish();
    }
    Entry e;
    e.initializer = &init;
    values[init.name()] = e;
  }

  // Graph inputs that are not initializers are the function arguments.
  std::vector<const onnx::ValueInfoProto *> inputs;
  llvm::StringSet<> inputNames;
  for (const auto &in : g.input()) {
    if (values.count(in.name()))
      continue;
    if (!inputNames.insert(in.name()).second) {
      (void)fail("graph input '" + in.name() + "' is declared twice");
      return finish();
    }
    inputs.push_back(&in);
  }
  if (inputs.empty()) {
    (void)fail("the graph has no input");
    return finish();
  }
  if (g.output_size() == 0) {
    (void)fail("the graph has no output");
    return finish();
  }
  if (!options.inputShape.empty() && inputs.size() != 1) {
    (void)fail("--input-shape needs a model with one input, this one has " +
               Twine(inputs.size()));
    return finish();
  }
  SmallVector<Type> argTypes;
  SmallVector<std::string> argDtypes;
  for (const onnx::ValueInfoProto *in : inputs) {
    if (!in->type().has_tensor_type()) {
      (void)fail("input '" + in->name() + "' is not a tensor");
      return finish();
    }
    const auto &tt = in->type().tensor_type();
    int32_t et = tt.elem_type();
    if (et != onnx::TensorProto::FLOAT && et != onnx::TensorProto::FLOAT16 &&
        et != onnx::TensorProto::BFLOAT16 && et != onnx::TensorProto::DOUBLE) {
      (void)fail("input '" + in->name() + "' has element type " + Twine(et) +
                 "; only float inputs are supported");
      return finish();
    }
    argDtypes.push_back(et == onnx::TensorProto::FLOAT16    ? "f16"
                        : et == onnx::TensorProto::BFLOAT16 ? "bf16"
                        : et == onnx::TensorProto::DOUBLE   ? "f64"
                                                            : "f32");
    if (!tt.has_shape()) {
      (void)fail("input '" + in->name() + "' has no shape");
      return finish();
    }
    if (static_cast<size_t>(tt.shape().dim_size()) > kMaxRank) {
      (void)fail("input '" + in->name() + "' has rank " +
                 Twine(tt.shape().dim_size()) + "; at most " + Twine(kMaxRank) +
                 " dimensions are supported");
      return finish();
    }
    SmallVector<int64_t> shape;
    std::string dynamicName;
    for (const auto &d : tt.shape().dim()) {
      if (d.has_dim_value() && d.dim_value() > 0) {
        shape.push_back(d.dim_value());
      } else {
        if (dynamicName.empty())
          dynamicName = d.has_dim_param() ? "'" + d.dim_param() + "'"
                        : d.has_dim_value()
                            ? "#" + std::to_string(shape.size()) +
                                  " (declared as " +
                                  std::to_string(d.dim_value()) + ")"
                            : "#" + std::to_string(shape.size());
        shape.push_back(-1);
      }
    }
    if (!options.inputShape.empty()) {
      if (options.inputShape.size() != shape.size()) {
        (void)fail("--input-shape has " + Twine(options.inputShape.size()) +
                   " dimensions but input '" + in->name() + "' has rank " +
                   Twine(shape.size()));
        return finish();
      }
      for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] > 0 && shape[d] != options.inputShape[d]) {
          (void)fail("--input-shape " + shapeStr(options.inputShape) +
                     " disagrees with the static shape of input '" +
                     in->name() + "' in dimension " + Twine(d) + " (" +
                     Twine(shape[d]) + ")");
          return finish();
        }
        shape[d] = options.inputShape[d];
      }
    } else if (!dynamicName.empty()) {
      (void)fail("input '" + in->name() + "' has dynamic dimension " +
                 dynamicName +
                 "; pin it with --input-shape, e.g. "
                 "--input-shape=1x3x640x640");
      return finish();
    }
    int64_t numel;
    if (!isPositiveShape(shape, numel)) {
      (void)fail("input '" + in->name() + "' has invalid or too large shape " +
                 shapeStr(shape));
      return finish();
    }
    argTypes.push_back(RankedTensorType::get(shape, builder.getF32Type()));
  }

  for (const onnx::ValueInfoProto *in : inputs)
    graphInputs.insert(in->name());
  std::vector<const onnx::NodeProto *> order;
  if (!sortNodes(order))
    return finish();

  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(ctx, path, 0, 0));
  recordMetadata(*module);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      module->getLoc(), "main", builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [k, in] : llvm::enumerate(inputs)) {
    func.setArgAttr(k, "yolo.name", builder.getStringAttr(in->name()));
    if (argDtypes[k] != "f32")
      func.setArgAttr(k, "yolo.onnx_type", builder.getStringAttr(argDtypes[k]));
    Entry e;
    e.value = entry->getArgument(k);
    values[in->name()] = e;
  }
  builder.setInsertionPointToEnd(entry);

  // Unnamed nodes are called OpType#index after their place in the file,
  // as sortNodes calls them, not after their place in the sorted order.
  llvm::DenseMap<const onnx::NodeProto *, int> fileIndex;
  for (int n = 0; n < g.node_size(); ++n)
    fileIndex[&g.node(n)] = n;
  auto enter = [&](const onnx::NodeProto *node) {
    currentNode = node;
    nodeName = node->name().empty()
                   ? node->op_type() + "#" + std::to_string(fileIndex[node])
                   : node->name();
  };
  // Non-maximum suppression inside the graph (Ultralytics export(nms=True),
  // end-to-end heads): the generated library's runtime and NAME-detect do
  // NMS on the raw head output, so such a graph is refused at its NMS node,
  // before whatever else of the NMS block comes first.
  for (const onnx::NodeProto *node : order) {
    StringRef op = node->op_type();
    if (op == "NonMaxSuppression" || op.contains("NMS")) {
      enter(node);
      (void)failNode(
          "non-maximum suppression inside the graph is not supported: "
          "yolo-codegen compiles the raw detection head, and NMS runs in "
          "the runtime (yolo_decode_and_nms, NAME-detect); export the model "
          "without NMS (Ultralytics: export(format=\"onnx\", nms=False), "
          "the default)");
      return finish();
    }
  }
  for (const onnx::NodeProto *node : order) {
    enter(node);
    if (failed(importNode(*currentNode)))
      return finish();
  }

  SmallVector<Value> results;
  currentNode = nullptr;
  for (const auto &out : g.output()) {
    Entry *e = lookup(out.name());
    if (!e) {
      (void)fail("graph output '" + out.name() + "' is never defined");
      return finish();
    }
    Value v = e->value;
    if (!v) {
      nodeName = out.name();
      onnx::NodeProto fake;
      fake.set_op_type("output");
      currentNode = &fake;
      auto m = materialize(*e, out.name());
      currentNode = nullptr;
      if (failed(m))
        return finish();
      v = *m;
    }
    results.push_back(v);
  }
  builder.create<func::ReturnOp>(module->getLoc(), results);
  func.setType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [k, out] : llvm::enumerate(g.output()))
    func.setResultAttr(k, "yolo.name", builder.getStringAttr(out.name()));

  if (failed(verify(*module))) {
    (void)fail("internal error: the imported module does not verify");
    return finish();
  }
  return module;
}

bool mlir::yolo::parseShape(StringRef text, SmallVectorImpl<int64_t> &shape) {
  shape.clear();
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d <= 0)
      return false;
    shape.push_back(d);
  }
  return !shape.empty();
}

OwningOpRef<ModuleOp> mlir::yolo::importONNXFile(StringRef path,
                                                 MLIRContext *context,
                                                 const ImportOptions &options,
                                                 std::string &error) {
  Importer importer(context, path, options);
  return importer.run(error);
}

OwningOpRef<ModuleOp> mlir::yolo::importONNXBuffer(StringRef contents,
                                                   StringRef path,
                                                   MLIRContext *context,
                                                   const ImportOptions &options,
                                                   std::string &error) {
  Importer importer(context, path, options, contents);
  return importer.run(error);
}
