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
//===----------------------------------------------------------------------===//

#include "yolo/Conversion/ImportONNX.h"
#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"

#include "HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <optional>

using namespace mlir;
using namespace mlir::yolo;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;

namespace {

/// Opsets of the default domain the importer accepts.
constexpr int64_t kMinOpset = 9;
constexpr int64_t kMaxOpset = 21;
/// Largest element count of any one tensor (16 GiB of f32): declared shapes
/// beyond that are lies or not a YOLO model.
constexpr int64_t kMaxElements = int64_t(1) << 32;

/// Highest rank of any tensor: YOLO graphs stay at 6 and below; the runtime
/// describes tensors of up to 8 dimensions (YOLO_MAX_RANK).
constexpr size_t kMaxRank = 8;

bool isPositiveShape(ArrayRef<int64_t> shape, int64_t &numel) {
  numel = 1;
  if (shape.size() > kMaxRank)
    return false;
  for (int64_t d : shape) {
    if (d <= 0 || d > kMaxElements || numel > kMaxElements / d)
      return false;
    numel *= d;
  }
  return true;
}

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  // A hostile model can declare a million dimensions: show the first few.
  if (shape.size() > 2 * kMaxRank) {
    llvm::interleave(shape.take_front(kMaxRank), os, ", ");
    os << ", ... (rank " << shape.size() << ")";
  } else {
    llvm::interleave(shape, os, ", ");
  }
  os << "]";
  return s;
}

std::string floatsStr(ArrayRef<double> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(
      values, os, [&](double v) { os << v; }, ", ");
  os << "]";
  return s;
}

float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else { // subnormal: normalize
      exp = 127 - 15 + 1;
      while (!(man & 0x400)) {
        man <<= 1;
        --exp;
      }
      man &= 0x3ff;
      bits = sign | (exp << 23) | (man << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (man << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// What a value name refers to while importing: a runtime tensor, a host
/// constant, or an initializer not converted yet.
struct Entry {
  Value value;
  std::shared_ptr<HostTensor> constant;
  const onnx::TensorProto *initializer = nullptr;
  /// The yolo.constant made for a host constant, reused by later consumers.
  Value materialized;
};

class NodeError {};

class Importer {
public:
  Importer(MLIRContext *ctx, StringRef path, const ImportOptions &options,
           std::optional<StringRef> contents = std::nullopt)
      : ctx(ctx), builder(ctx), path(path.str()), options(options),
        contents(contents) {}

  OwningOpRef<ModuleOp> run(std::string &error);

private:
  // Reading the model.
  bool load();
  bool checkNames();
  bool checkOpset();
  bool sortNodes(std::vector<const onnx::NodeProto *> &order);

  // Errors. `fail` records the message and returns failure.
  LogicalResult fail(const Twine &message);
  LogicalResult failNode(const Twine &message);
  LogicalResult chargeHostOutputs();

  // Tensors.
  FailureOr<HostTensor> convertTensor(const onnx::TensorProto &t,
                                      StringRef what);
  FailureOr<std::string> readExternal(const onnx::TensorProto &t);
  Entry *lookup(StringRef name);
  /// The value of input `index` of the current node as a host constant, or
  /// null when it is a runtime tensor (or absent).
  std::shared_ptr<HostTensor> constantInput(unsigned index);
  FailureOr<Value> runtimeInput(unsigned index);
  FailureOr<Value> materialize(Entry &entry, StringRef name);
  FailureOr<Value> materializeTensor(const HostTensor &t, StringRef name);
  bool hasInput(unsigned index) const;
  FailureOr<std::vector<int64_t>> intsInput(unsigned index, StringRef what);
  FailureOr<SmallVector<int64_t>> shapeOf(unsigned index);

  // Attributes of the current node.
  const onnx::AttributeProto *attr(StringRef name) const;
  int64_t intAttr(StringRef name, int64_t dflt) const;
  float floatAttr(StringRef name, float dflt) const;
  std::string stringAttr(StringRef name, StringRef dflt) const;
  std::optional<std::vector<int64_t>> intsAttr(StringRef name) const;

  // Outputs of the current node.
  void setOutput(unsigned index, Value v);
  void setOutput(unsigned index, HostTensor t);

  // Node import.
  LogicalResult importNode(const onnx::NodeProto &node);
  LogicalResult tryHostEval();
  LogicalResult importRuntime();
  LogicalResult importConv();
  LogicalResult importBatchNorm();
  LogicalResult importPool(bool isMax);
  LogicalResult importResize();
  LogicalResult importPad();
  LogicalResult importSlice(bool host);
  LogicalResult importSplit(bool host);
  LogicalResult importReshapeLike(bool host);
  LogicalResult importSoftmax();
  LogicalResult importReduceSum(bool host);
  LogicalResult importConcat(bool host);
  LogicalResult importTranspose(bool host);
  LogicalResult importGather();

  /// Builds a yolo op after checking it with the op's own type inference,
  /// so that a bad model gives a diagnostic instead of an abort.
  template <typename OpTy, typename... Args>
  FailureOr<OpTy> create(Args &&...args);

  Location nodeLoc() const;
  int64_t normAxis(int64_t axis, int64_t rank, bool &ok) const;

  MLIRContext *ctx;
  OpBuilder builder;
  std::string path;
  ImportOptions options;
  /// Elements of all host-evaluated results so far (chargeHostOutputs).
  int64_t hostElements = 0;
  /// The file's bytes when importing from memory (importONNXBuffer).
  std::optional<StringRef> contents;
  onnx::ModelProto model;
  int64_t opset = 0;
  llvm::StringMap<Entry> values;
  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
  std::string errorMessage;
  llvm::StringSet<> graphInputs;
};

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

LogicalResult Importer::fail(const Twine &message) {
  if (errorMessage.empty())
    errorMessage = (path + ": " + message).str();
  return failure();
}

LogicalResult Importer::failNode(const Twine &message) {
  return fail("node '" + nodeName + "' (" + node->op_type() + "): " + message);
}

Location Importer::nodeLoc() const {
  return NameLoc::get(StringAttr::get(ctx, nodeName));
}

int64_t Importer::normAxis(int64_t axis, int64_t rank, bool &ok) const {
  int64_t a = axis < 0 ? axis + rank : axis;
  ok = a >= 0 && a < rank;
  return a;
}

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
  SmallVector<Type> types;
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
// Loading
//===----------------------------------------------------------------------===//

bool Importer::load() {
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  StringRef data;
  if (contents) {
    data = *contents;
  } else {
    auto bufferOr = llvm::MemoryBuffer::getFile(
        path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!bufferOr) {
      (void)fail("cannot read file: " + bufferOr.getError().message());
      return false;
    }
    buffer = std::move(*bufferOr);
    data = buffer->getBuffer();
  }
  StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".onnxtxt" || ext == ".pbtxt" || ext == ".prototxt") {
    struct Collector : google::protobuf::io::ErrorCollector {
      std::string first;
      void AddError(int line, int column, const std::string &msg) override {
        if (first.empty())
          first = "line " + std::to_string(line + 1) + ", column " +
                  std::to_string(column + 1) + ": " + msg;
      }
    } collector;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    if (!parser.ParseFromString(data.str(), &model)) {
      (void)fail("not a valid ONNX text-format model: " + collector.first);
      return false;
    }
  } else {
    google::protobuf::io::ArrayInputStream stream(
        data.data(), static_cast<int>(data.size()));
    google::protobuf::io::CodedInputStream coded(&stream);
    coded.SetTotalBytesLimit(INT32_MAX);
    if (data.size() > static_cast<size_t>(INT32_MAX)) {
      (void)fail("file is larger than 2 GiB; store the weights as external "
                 "data");
      return false;
    }
    if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
      (void)fail("not a valid ONNX model (the protobuf does not parse: the "
                 "file is truncated or not ONNX)");
      return false;
    }
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    (void)fail("not a valid ONNX model: it has no graph nodes");
    return false;
  }
  return checkNames();
}

/// `s` with every byte outside printable ASCII written as \xHH, for
/// messages about names that are not valid UTF-8.
static std::string escapeBytes(StringRef s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static const char hex[] = "0123456789ABCDEF";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// ONNX names end up in MLIR locations, attributes and the generated C
// header; a name that is not valid UTF-8 is refused here, once, instead of
// being carried into all of them.
bool Importer::checkNames() {
  const onnx::GraphProto &g = model.graph();
  auto check = [&](const std::string &name, const Twine &what) {
    const auto *begin = reinterpret_cast<const llvm::UTF8 *>(name.data());
    if (llvm::isLegalUTF8String(&begin, begin + name.size()))
      return true;
    (void)fail(what + " '" + escapeBytes(name) + "' is not valid UTF-8");
    return false;
  };
  for (const auto &v : g.input())
    if (!check(v.name(), "graph input"))
      return false;
  for (const auto &v : g.output())
    if (!check(v.name(), "graph output"))
      return false;
  for (const auto &t : g.initializer())
    if (!check(t.name(), "initializer"))
      return false;
  for (const auto &n : g.node()) {
    if (!check(n.name(), "node name") || !check(n.op_type(), "operator") ||
        !check(n.domain(), "operator domain"))
      return false;
    for (const auto &v : n.input())
      if (!check(v, "node input"))
        return false;
    for (const auto &v : n.output())
      if (!check(v, "node output"))
        return false;
    for (const auto &a : n.attribute())
      if (!check(a.name(), "attribute"))
        return false;
  }
  return true;
}

bool Importer::checkOpset() {
  bool found = false;
  for (const auto &o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") {
      opset = o.version();
      found = true;
    }
  }
  if (!found) {
    (void)fail("model imports no opset of the default ONNX domain");
    return false;
  }
  if (opset < kMinOpset || opset > kMaxOpset) {
    (void)fail("opset " + Twine(opset) + " is outside the supported range " +
               Twine(kMinOpset) + " to " + Twine(kMaxOpset));
    return false;
  }
  return true;
}

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
        node = &g.node(n);
        nodeName = node->name().empty()
                       ? node->op_type() + "#" + std::to_string(n)
                       : node->name();
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
          node = &nd;
          nodeName = nd.name().empty() ? nd.op_type() + "#" + std::to_string(n)
                                       : nd.name();
          (void)failNode("input '" + in +
                         "' is not defined by any node, "
                         "initializer or graph input");
          return false;
        }
        if (state[p->second] == 1) {
          node = &nd;
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

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

FailureOr<std::string> Importer::readExternal(const onnx::TensorProto &t) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset" || kv.key() == "length") {
      int64_t v;
      if (StringRef(kv.value()).getAsInteger(10, v) || v < 0) {
        (void)fail("initializer '" + t.name() + "': bad external data " +
                   kv.key() + " '" + kv.value() + "'");
        return failure();
      }
      (kv.key() == "offset" ? offset : length) = v;
    }
  }
  // External data must stay inside the model's folder.
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         "..")) {
    (void)fail("initializer '" + t.name() + "': external data location '" +
               location +
               "' is refused (it must be a relative path inside "
               "the model's folder)");
    return failure();
  }
  SmallVector<char> full(llvm::sys::path::parent_path(path).begin(),
                         llvm::sys::path::parent_path(path).end());
  llvm::sys::path::append(full, location);
  std::string fullPath(full.begin(), full.end());
  // The lexical check above does not see symbolic links: resolve the file
  // and the folder, and read the resolved file only if it lies inside.
  SmallString<256> realFile, realDir;
  StringRef dir = llvm::sys::path::parent_path(path);
  if (!llvm::sys::fs::real_path(fullPath, realFile)) {
    if (llvm::sys::fs::real_path(dir.empty() ? "." : dir, realDir) ||
        !StringRef(realFile).starts_with(
            (realDir + llvm::sys::path::get_separator()).str())) {
      (void)fail("initializer '" + t.name() + "': external data location '" +
                 location + "' resolves to '" + realFile +
                 "', outside the model's folder (refused)");
      return failure();
    }
    fullPath = realFile.str().str();
  }
  auto bufferOr = llvm::MemoryBuffer::getFile(fullPath, false, false);
  if (!bufferOr) {
    (void)fail("initializer '" + t.name() + "': cannot read external data '" +
               fullPath + "': " + bufferOr.getError().message());
    return failure();
  }
  StringRef data = (*bufferOr)->getBuffer();
  if (length < 0)
    length = static_cast<int64_t>(data.size()) - offset;
  if (offset > static_cast<int64_t>(data.size()) ||
      length > static_cast<int64_t>(data.size()) - offset) {
    (void)fail("initializer '" + t.name() + "': external data range (offset " +
               Twine(offset) + ", length " + Twine(length) +
               ") runs past the end of '" + fullPath + "'");
    return failure();
  }
  return data.substr(offset, length).str();
}

FailureOr<HostTensor> Importer::convertTensor(const onnx::TensorProto &t,
                                              StringRef what) {
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  if (shape.size() > kMaxRank) {
    (void)fail(what + " '" + t.name() + "' has rank " + Twine(shape.size()) +
               "; at most " + Twine(kMaxRank) + " dimensions are supported");
    return failure();
  }
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && numel > kMaxElements / d)) {
      (void)fail(what + " '" + t.name() + "' has invalid dimensions " +
                 shapeStr(shape));
      return failure();
    }
    numel *= d;
  }
  const std::string *raw = nullptr;
  std::string external;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    auto data = readExternal(t);
    if (failed(data))
      return failure();
    external = std::move(*data);
    raw = &external;
  } else if (t.has_raw_data()) {
    raw = &t.raw_data();
  }
  auto checkCount = [&](int64_t have) -> LogicalResult {
    if (have != numel)
      return fail(what + " '" + t.name() + "' holds " + Twine(have) +
                  " values but its shape " + shapeStr(shape) + " needs " +
                  Twine(numel));
    return success();
  };
  auto rawElems = [&](size_t elemSize) -> LogicalResult {
    if (raw->size() != static_cast<size_t>(numel) * elemSize)
      return fail(what + " '" + t.name() + "' has " + Twine(raw->size()) +
                  " bytes of data but its shape " + shapeStr(shape) +
                  " needs " + Twine(numel * elemSize));
    return success();
  };
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: {
    // Check the data against the shape before allocating: a few bytes of
    // file can declare a 16 GiB tensor.
    if (failed(raw ? rawElems(4) : checkCount(t.float_data_size())))
      return failure();
    std::vector<float> d(numel);
    if (raw) {
      if (numel) // memcpy's pointers must be valid even for 0 bytes.
        std::memcpy(d.data(), raw->data(), numel * 4);
    } else {
      std::copy(t.float_data().begin(), t.float_data().end(), d.begin());
    }
    return HostTensor::floats(shape, std::move(d));
  }
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    bool isHalf = t.data_type() == onnx::TensorProto::FLOAT16;
    if (failed(raw ? rawElems(2) : checkCount(t.int32_data_size())))
      return failure();
    std::vector<float> d(numel);
    if (raw) {
      for (int64_t k = 0; k < numel; ++k) {
        uint16_t h;
        std::memcpy(&h, raw->data() + 2 * k, 2);
        d[k] = isHalf ? halfToFloat(h) : bf16ToFloat(h);
      }
    } else {
      for (int64_t k = 0; k < numel; ++k) {
        uint16_t h = static_cast<uint16_t>(t.int32_data(k));
        d[k] = isHalf ? halfToFloat(h) : bf16ToFloat(h);
      }
    }
    return HostTensor::floats(shape, std::move(d));
  }
  case onnx::TensorProto::DOUBLE: {
    if (failed(raw ? rawElems(8) : checkCount(t.double_data_size())))
      return failure();
    std::vector<float> d(numel);
    if (raw) {
      for (int64_t k = 0; k < numel; ++k) {
        double v;
        std::memcpy(&v, raw->data() + 8 * k, 8);
        d[k] = static_cast<float>(v);
      }
    } else {
      for (int64_t k = 0; k < numel; ++k)
        d[k] = static_cast<float>(t.double_data(k));
    }
    return HostTensor::floats(shape, std::move(d));
  }
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL: {
    if (numel > options.maxHostElements) {
      (void)fail(what + " '" + t.name() + "' is an integer tensor of " +
                 Twine(numel) +
                 " elements; integer tensors are only "
                 "supported for shape computations");
      return failure();
    }
    bool isBool = t.data_type() == onnx::TensorProto::BOOL;
    std::vector<int64_t> d(numel);
    if (raw) {
      size_t size = t.data_type() == onnx::TensorProto::INT64   ? 8
                    : t.data_type() == onnx::TensorProto::INT32 ? 4
                    : t.data_type() == onnx::TensorProto::INT16 ? 2
                                                                : 1;
      if (failed(rawElems(size)))
        return failure();
      for (int64_t k = 0; k < numel; ++k) {
        const char *p = raw->data() + size * k;
        switch (t.data_type()) {
        case onnx::TensorProto::INT64: {
          int64_t v;
          std::memcpy(&v, p, 8);
          d[k] = v;
          break;
        }
        case onnx::TensorProto::INT32: {
          int32_t v;
          std::memcpy(&v, p, 4);
          d[k] = v;
          break;
        }
        case onnx::TensorProto::INT16: {
          int16_t v;
          std::memcpy(&v, p, 2);
          d[k] = v;
          break;
        }
        case onnx::TensorProto::INT8:
          d[k] = static_cast<int8_t>(*p);
          break;
        default:
          d[k] = static_cast<uint8_t>(*p);
        }
      }
    } else if (t.data_type() == onnx::TensorProto::INT64) {
      if (failed(checkCount(t.int64_data_size())))
        return failure();
      std::copy(t.int64_data().begin(), t.int64_data().end(), d.begin());
    } else {
      if (failed(checkCount(t.int32_data_size())))
        return failure();
      std::copy(t.int32_data().begin(), t.int32_data().end(), d.begin());
    }
    return HostTensor::ints(shape, std::move(d), isBool);
  }
  default:
    (void)fail(what + " '" + t.name() + "' has unsupported data type " +
               Twine(t.data_type()));
    return failure();
  }
}

Entry *Importer::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

bool Importer::hasInput(unsigned index) const {
  return static_cast<int>(index) < node->input_size() &&
         !node->input(index).empty();
}

std::shared_ptr<HostTensor> Importer::constantInput(unsigned index) {
  if (!hasInput(index))
    return nullptr;
  Entry *e = lookup(node->input(index));
  if (!e)
    return nullptr;
  if (!e->constant && e->initializer) {
    auto t = convertTensor(*e->initializer, "initializer");
    if (failed(t))
      return nullptr;
    e->constant = std::make_shared<HostTensor>(std::move(*t));
  }
  return e->constant;
}

FailureOr<Value> Importer::runtimeInput(unsigned index) {
  if (!hasInput(index)) {
    (void)failNode("missing input " + Twine(index));
    return failure();
  }
  StringRef name = node->input(index);
  Entry *e = lookup(name);
  if (!e) {
    (void)failNode("input '" + name + "' is undefined");
    return failure();
  }
  if (e->value)
    return e->value;
  return materialize(*e, name);
}

FailureOr<Value> Importer::materializeTensor(const HostTensor &t,
                                             StringRef name) {
  if (!t.isFloat) {
    (void)failNode("integer tensor '" + name +
                   "' is used as tensor data; only float tensors are "
                   "supported there");
    return failure();
  }
  int64_t numel;
  if (!isPositiveShape(t.shape, numel)) {
    (void)failNode("tensor '" + name + "' has unsupported shape " +
                   shapeStr(t.shape) + " (empty tensors are not supported)");
    return failure();
  }
  return createFloatConstant(
      builder, nodeLoc(), RankedTensorType::get(t.shape, builder.getF32Type()),
      t.f, name);
}

FailureOr<Value> Importer::materialize(Entry &e, StringRef name) {
  if (e.materialized)
    return e.materialized;
  std::shared_ptr<HostTensor> t = e.constant;
  if (!t && e.initializer) {
    auto converted = convertTensor(*e.initializer, "initializer");
    if (failed(converted))
      return failure();
    // Weights are used once: convert, copy into the blob, drop the copy.
    auto v = materializeTensor(*converted, name);
    if (failed(v))
      return failure();
    e.materialized = *v;
    return *v;
  }
  auto v = materializeTensor(*t, name);
  if (failed(v))
    return failure();
  e.materialized = *v;
  return *v;
}

FailureOr<std::vector<int64_t>> Importer::intsInput(unsigned index,
                                                    StringRef what) {
  std::shared_ptr<HostTensor> t = constantInput(index);
  if (!errorMessage.empty())
    return failure();
  if (!t) {
    (void)failNode(what + " (input " + Twine(index) +
                   ") must be known at compile time; pin dynamic input "
                   "dimensions with --input-shape");
    return failure();
  }
  if (t->isFloat) {
    (void)failNode(what + " (input " + Twine(index) +
                   ") must be an integer tensor (int64 in ONNX), got "
                   "floating-point values");
    return failure();
  }
  return t->toInts();
}

FailureOr<SmallVector<int64_t>> Importer::shapeOf(unsigned index) {
  if (std::shared_ptr<HostTensor> t = constantInput(index))
    return SmallVector<int64_t>(t->shape);
  if (!errorMessage.empty())
    return failure();
  auto v = runtimeInput(index);
  if (failed(v))
    return failure();
  return SmallVector<int64_t>(cast<RankedTensorType>(v->getType()).getShape());
}

//===----------------------------------------------------------------------===//
// Attributes and outputs
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *Importer::attr(StringRef name) const {
  for (const auto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t Importer::intAttr(StringRef name, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : dflt;
}

float Importer::floatAttr(StringRef name, float dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string Importer::stringAttr(StringRef name, StringRef dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : dflt.str();
}

std::optional<std::vector<int64_t>> Importer::intsAttr(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

void Importer::setOutput(unsigned index, Value v) {
  if (static_cast<int>(index) >= node->output_size() ||
      node->output(index).empty())
    return;
  Entry e;
  e.value = v;
  values[node->output(index)] = e;
}

void Importer::setOutput(unsigned index, HostTensor t) {
  if (static_cast<int>(index) >= node->output_size() ||
      node->output(index).empty())
    return;
  Entry e;
  e.constant = std::make_shared<HostTensor>(std::move(t));
  values[node->output(index)] = e;
}

//===----------------------------------------------------------------------===//
// Node import
//===----------------------------------------------------------------------===//

LogicalResult Importer::importNode(const onnx::NodeProto &n) {
  node = &n;
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    return failNode("operator domain '" + n.domain() + "' is not supported");
  if (n.output_size() == 0)
    return failNode("node has no outputs");
  StringRef op = n.op_type();

  // Nodes producing constants no matter what their inputs are.
  if (op == "Constant") {
    if (const onnx::AttributeProto *a = attr("value")) {
      auto t = convertTensor(a->t(), "constant");
      if (failed(t))
        return failure();
      setOutput(0, std::move(*t));
      return success();
    }
    if (const onnx::AttributeProto *a = attr("value_float")) {
      setOutput(0, HostTensor::floats({}, {a->f()}));
      return success();
    }
    if (const onnx::AttributeProto *a = attr("value_floats")) {
      std::vector<float> d(a->floats().begin(), a->floats().end());
      setOutput(0, HostTensor::floats({(int64_t)d.size()}, d));
      return success();
    }
    if (const onnx::AttributeProto *a = attr("value_int")) {
      setOutput(0, HostTensor::ints({}, {a->i()}));
      return success();
    }
    if (const onnx::AttributeProto *a = attr("value_ints")) {
      std::vector<int64_t> d(a->ints().begin(), a->ints().end());
      setOutput(0, HostTensor::ints({(int64_t)d.size()}, d));
      return success();
    }
    return failNode("missing attribute 'value' (or value_float(s), "
                    "value_int(s))");
  }
  if (op == "Shape" || op == "Size") {
    auto shape = shapeOf(0);
    if (failed(shape))
      return failure();
    if (op == "Size") {
      int64_t n = 1;
      for (int64_t d : *shape)
        n *= d;
      setOutput(0, HostTensor::ints({}, {n}));
      return success();
    }
    int64_t rank = shape->size();
    int64_t start = intAttr("start", 0), end = intAttr("end", rank);
    start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
    std::vector<int64_t> dims(shape->begin() + start,
                              shape->begin() + std::max(start, end));
    setOutput(0, HostTensor::ints({(int64_t)dims.size()}, dims));
    return success();
  }
  if (op == "Identity" || op == "Dropout") {
    if (!hasInput(0))
      return failNode("missing input 0");
    Entry *e = lookup(n.input(0));
    if (!e)
      return failNode("input '" + n.input(0) + "' is undefined");
    values[n.output(0)] = *e;
    return success();
  }

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
  if (allConstant) {
    LogicalResult r = tryHostEval();
    if (succeeded(r))
      return chargeHostOutputs();
    if (!errorMessage.empty())
      return r;
  }
  return importRuntime();
}

/// Adds the elements of the current node's host-evaluated outputs to the
/// import's total, which must stay within options.maxHostElementsTotal:
/// each tensor is bounded on its own, and this bounds their number (a chain
/// of large Range or Expand nodes in a small file).
LogicalResult Importer::chargeHostOutputs() {
  for (int k = 0; k < node->output_size(); ++k) {
    if (node->output(k).empty())
      continue;
    Entry *e = lookup(node->output(k));
    if (!e || !e->constant)
      continue;
    hostElements += e->constant->numel();
    if (hostElements > options.maxHostElementsTotal)
      return failNode("import-time evaluation holds " + Twine(hostElements) +
                      " elements in total, more than the limit of " +
                      Twine(options.maxHostElementsTotal) +
                      " (shape arithmetic and anchor grids need far less)");
  }
  return success();
}

/// Evaluates the current node on the host. Returns failure without an error
/// message when the op is not one the host evaluates (it is then imported
/// as a yolo op on constant operands).
LogicalResult Importer::tryHostEval() {
  StringRef op = node->op_type();
  auto in = [&](unsigned k) -> std::shared_ptr<HostTensor> {
    return constantInput(k);
  };
  // Weights feeding real tensor ops stay tensors.
  static const llvm::StringSet<> hostOps = {"Add",
                                            "Sub",
                                            "Mul",
                                            "Div",
                                            "Pow",
                                            "Mod",
                                            "Equal",
                                            "Less",
                                            "Greater",
                                            "LessOrEqual",
                                            "GreaterOrEqual",
                                            "And",
                                            "Or",
                                            "Max",
                                            "Min",
                                            "Neg",
                                            "Abs",
                                            "Sqrt",
                                            "Exp",
                                            "Log",
                                            "Floor",
                                            "Ceil",
                                            "Round",
                                            "Sigmoid",
                                            "Relu",
                                            "Reciprocal",
                                            "Not",
                                            "Cast",
                                            "Where",
                                            "Transpose",
                                            "Concat",
                                            "Gather",
                                            "Slice",
                                            "Unsqueeze",
                                            "Squeeze",
                                            "Reshape",
                                            "Flatten",
                                            "Expand",
                                            "Range",
                                            "ConstantOfShape",
                                            "ReduceSum",
                                            "ReduceProd",
                                            "ReduceMax",
                                            "ReduceMin",
                                            "ReduceMean",
                                            "Split"};
  if (!hostOps.contains(op))
    return failure();
  // Elementwise ops of big tensors (e.g. weight scaling) go to the graph,
  // where the optimizer folds them.
  for (int k = 0; k < node->input_size(); ++k) {
    std::shared_ptr<HostTensor> t = in(k);
    if (!errorMessage.empty())
      return failure();
    if (t && t->numel() > options.maxHostElements)
      return failure();
  }
  auto done = [&](HostResult r) -> LogicalResult {
    if (!r.value)
      return failNode(r.error);
    if (r.value->numel() > options.maxHostElements)
      return failNode("constant result of " + Twine(r.value->numel()) +
                      " elements is too large");
    setOutput(0, std::move(*r.value));
    return success();
  };
  auto need = [&](unsigned k) -> std::shared_ptr<HostTensor> {
    std::shared_ptr<HostTensor> t = in(k);
    if (!t && errorMessage.empty())
      (void)failNode("missing input " + Twine(k));
    return t;
  };
  // Results are checked before they are computed: two small operands can
  // broadcast to a tensor too large to allocate.
  auto fits = [&](ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                  ArrayRef<int64_t> c = {}) -> LogicalResult {
    SmallVector<int64_t> ab, shape;
    if (!broadcastShapes(a, b, ab) || !broadcastShapes(ab, c, shape))
      return success(); // the evaluator reports the mismatch
    int64_t numel = 1;
    for (int64_t d : shape) {
      if (d > 0 && numel > options.maxHostElements / d)
        return failNode("constant result of shape " + shapeStr(shape) +
                        " is too large");
      numel *= d;
    }
    return success();
  };

  if (node->input_size() == 2 &&
      !llvm::is_contained({"Gather", "Reshape", "Expand", "Unsqueeze",
                           "Squeeze", "Concat", "Slice", "ReduceSum", "Split",
                           "ReduceMax", "ReduceMin", "ReduceMean",
                           "ReduceProd"},
                          op)) {
    auto a = need(0), b = need(1);
    if (!a || !b || failed(fits(a->shape, b->shape)))
      return failure();
    // evalBinary refuses what int64 cannot hold (INT64_MIN / -1 included)
    // and division by zero, naming the operands.
    return done(evalBinary(op, *a, *b));
  }
  if (llvm::is_contained({"Neg", "Abs", "Sqrt", "Exp", "Log", "Floor", "Ceil",
                          "Round", "Sigmoid", "Relu", "Reciprocal", "Not"},
                         op)) {
    auto a = need(0);
    if (!a)
      return failure();
    return done(evalUnary(op, *a));
  }
  if (op == "Cast") {
    auto a = need(0);
    if (!a)
      return failure();
    int64_t to = intAttr("to", 0);
    bool toFloat =
        to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::FLOAT16 ||
        to == onnx::TensorProto::DOUBLE || to == onnx::TensorProto::BFLOAT16;
    return done(evalCast(*a, toFloat, to == onnx::TensorProto::BOOL));
  }
  if (op == "Where") {
    auto c = need(0), x = need(1), y = need(2);
    if (!c || !x || !y || failed(fits(c->shape, x->shape, y->shape)))
      return failure();
    return done(evalWhere(*c, *x, *y));
  }
  if (op == "Range") {
    auto s = need(0), l = need(1), d = need(2);
    if (!s || !l || !d)
      return failure();
    if (s->numel() != 1 || l->numel() != 1 || d->numel() != 1)
      return failNode("expected scalar start, limit and delta");
    double count = std::ceil((l->get(0) - s->get(0)) / d->get(0));
    if (!std::isfinite(count))
      return failNode("range from " + floatsStr({s->get(0)}) + " to " +
                      floatsStr({l->get(0)}) + " by " + floatsStr({d->get(0)}) +
                      " has no finite length");
    if (count > options.maxHostElements)
      return failNode("range of " + llvm::formatv("{0:e2}", count) +
                      " elements is too large");
    return done(evalRange(*s, *l, *d));
  }
  if (op == "ConstantOfShape") {
    auto s = need(0);
    if (!s)
      return failure();
    std::vector<int64_t> shape = s->toInts();
    int64_t numel = 1;
    for (int64_t d : shape) {
      if (d < 0 || (d > 0 && numel > options.maxHostElements / d))
        return failNode("shape " + shapeStr(shape) +
                        " is invalid or too large");
      numel *= d;
    }
    HostTensor value = HostTensor::floats({1}, {0.0f});
    if (const onnx::AttributeProto *a = attr("value")) {
      auto t = convertTensor(a->t(), "value");
      if (failed(t))
        return failure();
      if (t->numel() != 1)
        return failNode("attribute 'value' must hold one element");
      value = std::move(*t);
    }
    value.shape.clear();
    return done(evalExpand(value, shape));
  }
  if (op == "Expand") {
    auto a = need(0);
    auto s = intsInput(1, "shape");
    if (!a || failed(s))
      return failure();
    for (int64_t d : *s)
      if (d <= 0 || d > options.maxHostElements)
        return failNode("shape " + shapeStr(*s) + " is invalid");
    if (failed(fits(a->shape, *s)))
      return failure();
    return done(evalExpand(*a, *s));
  }
  if (op == "Gather") {
    auto a = need(0), idx = need(1);
    if (!a || !idx)
      return failure();
    bool ok;
    int64_t axis = normAxis(intAttr("axis", 0), a->shape.size(), ok);
    if (!ok)
      return failNode("axis out of range for rank " + Twine(a->shape.size()));
    return done(evalGather(*a, *idx, axis));
  }
  if (op == "Transpose")
    return importTranspose(/*host=*/true);
  if (op == "Concat")
    return importConcat(/*host=*/true);
  if (op == "Slice")
    return importSlice(/*host=*/true);
  if (op == "Split")
    return importSplit(/*host=*/true);
  if (op == "Reshape" || op == "Flatten" || op == "Unsqueeze" ||
      op == "Squeeze")
    return importReshapeLike(/*host=*/true);
  if (op.starts_with("Reduce"))
    return importReduceSum(/*host=*/true);
  return failure();
}

LogicalResult Importer::importRuntime() {
  StringRef op = node->op_type();
  auto unary = [&](auto tag) -> LogicalResult {
    using OpTy = decltype(tag);
    auto x = runtimeInput(0);
    if (failed(x))
      return failure();
    auto r = create<OpTy>(*x);
    if (failed(r))
      return failure();
    setOutput(0, r->getResult());
    return success();
  };
  auto binary = [&](auto tag) -> LogicalResult {
    using OpTy = decltype(tag);
    if (node->input_size() != 2)
      return failNode("expected 2 inputs, got " + Twine(node->input_size()));
    auto a = runtimeInput(0);
    if (failed(a))
      return failure();
    auto b = runtimeInput(1);
    if (failed(b))
      return failure();
    auto r = create<OpTy>(*a, *b);
    if (failed(r))
      return failure();
    setOutput(0, r->getResult());
    return success();
  };
  if (op == "Conv")
    return importConv();
  if (op == "BatchNormalization")
    return importBatchNorm();
  if (op == "Sigmoid")
    return unary(SigmoidOp());
  if (op == "Relu")
    return unary(ReLUOp());
  if (op == "LeakyRelu") {
    auto x = runtimeInput(0);
    if (failed(x))
      return failure();
    auto r = create<LeakyReLUOp>(*x, APFloat(floatAttr("alpha", 0.01f)));
    if (failed(r))
      return failure();
    setOutput(0, r->getResult());
    return success();
  }
  if (op == "Add")
    return binary(AddOp());
  if (op == "Sub")
    return binary(SubOp());
  if (op == "Mul")
    return binary(MulOp());
  if (op == "Div")
    return binary(DivOp());
  if (op == "Cast") {
    int64_t to = intAttr("to", 0);
    if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::FLOAT16 &&
        to != onnx::TensorProto::DOUBLE && to != onnx::TensorProto::BFLOAT16)
      return failNode("cast of a tensor to data type " + Twine(to) +
                      " is not supported (tensors are computed in f32)");
    auto x = runtimeInput(0);
    if (failed(x))
      return failure();
    setOutput(0, *x); // float tensors are all computed in f32
    return success();
  }
  if (op == "Concat")
    return importConcat(false);
  if (op == "Slice")
    return importSlice(false);
  if (op == "Split")
    return importSplit(false);
  if (op == "Reshape" || op == "Flatten" || op == "Unsqueeze" ||
      op == "Squeeze")
    return importReshapeLike(false);
  if (op == "Transpose")
    return importTranspose(false);
  if (op == "Softmax")
    return importSoftmax();
  if (op == "ReduceSum")
    return importReduceSum(false);
  if (op == "MaxPool")
    return importPool(/*isMax=*/true);
  if (op == "AveragePool")
    return importPool(/*isMax=*/false);
  if (op == "Resize" || op == "Upsample")
    return importResize();
  if (op == "Pad")
    return importPad();
  if (op == "Gather")
    return importGather();
  if (op == "Expand") {
    auto x = runtimeInput(0);
    auto s = intsInput(1, "shape");
    if (failed(x) || failed(s))
      return failure();
    SmallVector<int64_t> out;
    auto shape = cast<RankedTensorType>(x->getType()).getShape();
    if (!broadcastShapes(shape, *s, out))
      return failNode("cannot expand " + shapeStr(shape) + " to " +
                      shapeStr(*s));
    if (ArrayRef<int64_t>(out) != shape)
      return failNode("expanding a tensor (" + shapeStr(shape) + " to " +
                      shapeStr(out) + ") is not supported");
    setOutput(0, *x);
    return success();
  }
  return failNode("unsupported operator");
}

LogicalResult Importer::importConv() {
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto w = runtimeInput(1);
  if (failed(w))
    return failure();
  Value bias;
  if (hasInput(2)) {
    auto b = runtimeInput(2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto xTy = cast<RankedTensorType>(x->getType());
  auto wTy = cast<RankedTensorType>(w->getType());
  if (xTy.getRank() != 4 || wTy.getRank() != 4)
    return failNode("only 2-D convolutions are supported (input rank " +
                    Twine(xTy.getRank()) + ", weight rank " +
                    Twine(wTy.getRank()) + ")");
  if (bias && cast<RankedTensorType>(bias.getType()).getRank() != 1)
    return failNode("bias must be 1-D");
  SmallVector<int64_t> kernel(wTy.getShape().drop_front(2));
  if (auto ks = intsAttr("kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != ArrayRef<int64_t>(kernel))
      return failNode("kernel_shape " + shapeStr(*ks) +
                      " disagrees with the weight shape " +
                      shapeStr(wTy.getShape()));
  std::vector<int64_t> strides =
      intsAttr("strides").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> dil =
      intsAttr("dilations").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> onnxPads =
      intsAttr("pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (strides.size() != 2 || dil.size() != 2 || onnxPads.size() != 4)
    return failNode("expected 2 strides, 2 dilations and 4 pads");
  // Checked here, not only by the op: SAME padding divides by the strides.
  for (int d = 0; d < 2; ++d)
    if (strides[d] <= 0 || dil[d] <= 0)
      return failNode("expected positive strides and dilations, got strides " +
                      shapeStr(strides) + " and dilations " + shapeStr(dil));
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = xTy.getDimSize(2 + d);
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * strides[d] + dil[d] * (kernel[d] - 1) + 1 - in);
      int64_t small = total / 2, big = total - small;
      onnxPads[d] = autoPad == "SAME_UPPER" ? small : big;
      onnxPads[d + 2] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad == "VALID") {
    onnxPads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return failNode("unsupported auto_pad '" + autoPad + "'");
  }
  // ONNX pads are [top, left, bottom, right] for 2-D: the yolo order.
  auto conv = create<Conv2DOp>(
      *x, *w, bias, ArrayRef<int64_t>(strides), ArrayRef<int64_t>(onnxPads),
      ArrayRef<int64_t>(dil), static_cast<uint64_t>(intAttr("group", 1)),
      Activation::none, APFloat(0.01f));
  if (failed(conv))
    return failure();
  setOutput(0, conv->getResult());
  return success();
}

LogicalResult Importer::importBatchNorm() {
  if (node->input_size() != 5)
    return failNode("expected 5 inputs, got " + Twine(node->input_size()));
  for (int k = 1; k < node->output_size(); ++k)
    if (!node->output(k).empty())
      return failNode("training-mode outputs (running mean/var) are not "
                      "supported");
  if (intAttr("training_mode", 0) != 0)
    return failNode("training_mode=1 is not supported");
  SmallVector<Value> ins;
  for (unsigned k = 0; k < 5; ++k) {
    auto v = runtimeInput(k);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  for (unsigned k = 1; k < 5; ++k)
    if (cast<RankedTensorType>(ins[k].getType()).getRank() != 1)
      return failNode("expected 1-D scale, bias, mean and var");
  auto bn = create<BatchNormOp>(ins[0], ins[1], ins[2], ins[3], ins[4],
                                APFloat(floatAttr("epsilon", 1e-5f)));
  if (failed(bn))
    return failure();
  setOutput(0, bn->getResult());
  return success();
}

LogicalResult Importer::importPool(bool isMax) {
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto xTy = cast<RankedTensorType>(x->getType());
  if (xTy.getRank() != 4)
    return failNode("only 2-D pooling is supported");
  if (node->output_size() > 1 && !node->output(1).empty())
    return failNode("the Indices output is not supported");
  auto kernel = intsAttr("kernel_shape");
  if (!kernel)
    return failNode("missing attribute 'kernel_shape'");
  if (kernel->size() != 2)
    return failNode("expected 2 kernel dimensions, got " +
                    Twine(kernel->size()));
  std::vector<int64_t> strides =
      intsAttr("strides").value_or(std::vector<int64_t>{1, 1});
  std::vector<int64_t> pads =
      intsAttr("pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (strides.size() != 2 || pads.size() != 4)
    return failNode("expected 2 strides and 4 pads");
  // Checked here, not only by the op: ceil_mode divides by the strides.
  if (strides[0] <= 0 || strides[1] <= 0)
    return failNode("expected positive strides, got " + shapeStr(strides));
  if (auto d = intsAttr("dilations"))
    if (llvm::any_of(*d, [](int64_t v) { return v != 1; }))
      return failNode("dilated pooling is not supported");
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    return failNode("unsupported auto_pad '" + autoPad + "'");
  if (autoPad == "VALID")
    pads = {0, 0, 0, 0};
  if (intAttr("ceil_mode", 0) != 0) {
    // ceil_mode only matters when the last window is partial.
    for (int d = 0; d < 2; ++d) {
      int64_t span =
          xTy.getDimSize(2 + d) + pads[d] + pads[d + 2] - (*kernel)[d];
      if (span >= 0 && span % strides[d] != 0)
        return failNode("ceil_mode=1 with a partial last window is not "
                        "supported");
    }
  }
  Value result;
  if (isMax) {
    auto r =
        create<MaxPoolOp>(*x, ArrayRef<int64_t>(*kernel),
                          ArrayRef<int64_t>(strides), ArrayRef<int64_t>(pads));
    if (failed(r))
      return failure();
    result = r->getResult();
  } else {
    auto r = create<AvgPoolOp>(
        *x, ArrayRef<int64_t>(*kernel), ArrayRef<int64_t>(strides),
        ArrayRef<int64_t>(pads), intAttr("count_include_pad", 0) != 0);
    if (failed(r))
      return failure();
    result = r->getResult();
  }
  setOutput(0, result);
  return success();
}

LogicalResult Importer::importResize() {
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto xTy = cast<RankedTensorType>(x->getType());
  if (xTy.getRank() != 4)
    return failNode("only 4-D (NCHW) resizing is supported");
  std::string mode = stringAttr("mode", "nearest");
  if (mode != "nearest")
    return failNode("only mode 'nearest' is supported, got '" + mode + "'");
  std::string ctm = stringAttr("coordinate_transformation_mode", "half_pixel");
  std::string nearest = stringAttr("nearest_mode", "round_prefer_floor");
  bool isUpsample = node->op_type() == "Upsample" || opset < 11;
  // Index maps that equal floor(y / scale) for integer scales.
  bool exact =
      isUpsample || (ctm == "asymmetric" && nearest == "floor") ||
      ((ctm == "half_pixel" || ctm == "pytorch_half_pixel") &&
       (nearest == "round_prefer_floor" || nearest == "round_prefer_ceil"));
  if (!exact)
    return failNode("coordinate_transformation_mode '" + ctm +
                    "' with nearest_mode '" + nearest +
                    "' is not supported (use asymmetric/floor)");
  SmallVector<double> scales;
  std::shared_ptr<HostTensor> sizes, sc;
  if (isUpsample) {
    sc =
        node->op_type() == "Upsample" && opset < 9 ? nullptr : constantInput(1);
    if (!sc) {
      if (const onnx::AttributeProto *a = attr("scales")) {
        for (float f : a->floats())
          scales.push_back(f);
      }
    }
  } else {
    sc = constantInput(2);
    sizes = constantInput(3);
    if (!errorMessage.empty())
      return failure();
    if ((hasInput(2) && !sc) || (hasInput(3) && !sizes))
      return failNode("scales and sizes must be known at compile time; pin "
                      "dynamic input dimensions with --input-shape");
    if (sc && sc->numel() == 0)
      sc = nullptr;
  }
  if (!errorMessage.empty())
    return failure();
  if (sc)
    for (int64_t k = 0; k < sc->numel(); ++k)
      scales.push_back(sc->get(k));
  SmallVector<int64_t> factors;
  if (sizes && sizes->numel() > 0) {
    if (attr("axes"))
      return failNode("the 'axes' attribute is not supported");
    if (sizes->numel() != 4)
      return failNode("expected 4 sizes, got " + Twine(sizes->numel()));
    for (int d = 0; d < 4; ++d) {
      int64_t out = sizes->getInt(d), in = xTy.getDimSize(d);
      if (out <= 0 || out % in != 0 || (d < 2 && out != in))
        return failNode("sizes " + shapeStr(sizes->toInts()) +
                        " are not integer multiples of the spatial input "
                        "dimensions " +
                        shapeStr(xTy.getShape()));
      if (d >= 2)
        factors.push_back(out / in);
    }
  } else {
    if (scales.size() != 4)
      return failNode("expected 4 scales, got " + Twine(scales.size()));
    for (int d = 0; d < 4; ++d) {
      double s = scales[d];
      if (s != std::floor(s) || s < 1 || s > kMaxElements || (d < 2 && s != 1))
        return failNode("only integer upsampling of H and W is supported, "
                        "got scales " +
                        floatsStr(scales));
      if (d >= 2)
        factors.push_back(static_cast<int64_t>(s));
    }
  }
  auto r = create<ResizeOp>(*x, ArrayRef<int64_t>(factors));
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

LogicalResult Importer::importPad() {
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  std::string mode = stringAttr("mode", "constant");
  if (mode != "constant")
    return failNode("only constant padding is supported, got '" + mode + "'");
  std::vector<int64_t> pads;
  float value = 0.0f;
  if (opset < 11) {
    auto p = intsAttr("pads");
    if (!p)
      return failNode("missing attribute 'pads'");
    pads = *p;
    value = floatAttr("value", 0.0f);
  } else {
    auto p = intsInput(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (hasInput(2)) {
      std::shared_ptr<HostTensor> v = constantInput(2);
      if (!v || v->numel() != 1)
        return failNode("constant_value must be a compile-time scalar");
      value = static_cast<float>(v->get(0));
    }
    if (hasInput(3)) {
      auto axes = intsInput(3, "axes");
      if (failed(axes))
        return failure();
      std::vector<int64_t> full(2 * rank, 0);
      if (pads.size() != 2 * axes->size())
        return failNode("expected 2 pads per axis");
      for (size_t k = 0; k < axes->size(); ++k) {
        bool ok;
        int64_t a = normAxis((*axes)[k], rank, ok);
        if (!ok)
          return failNode("pad axis out of range");
        full[a] = pads[k];
        full[a + rank] = pads[k + axes->size()];
      }
      pads = full;
    }
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return failNode("expected " + Twine(2 * rank) + " pads, got " +
                    Twine(pads.size()));
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return failNode("negative pads (cropping) are not supported");
  auto r = create<PadOp>(*x, ArrayRef<int64_t>(pads), APFloat(value));
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

LogicalResult Importer::importSlice(bool host) {
  auto shapeOr = shapeOf(0);
  if (failed(shapeOr))
    return failure();
  SmallVector<int64_t> shape = *shapeOr;
  int64_t rank = shape.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (opset < 10) {
    auto s = intsAttr("starts"), e = intsAttr("ends");
    if (!s || !e)
      return failNode("missing attribute 'starts' or 'ends'");
    starts = *s;
    ends = *e;
    if (auto a = intsAttr("axes"))
      axes = *a;
  } else {
    auto s = intsInput(1, "starts");
    if (failed(s))
      return failure();
    auto e = intsInput(2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (hasInput(3)) {
      auto a = intsInput(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (hasInput(4)) {
      auto st = intsInput(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t k = 0; k < starts.size(); ++k)
      axes.push_back(k);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return failNode("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> offsets(rank, 0), sizes(shape), strides(rank, 1);
  for (size_t k = 0; k < starts.size(); ++k) {
    bool ok;
    int64_t a = normAxis(axes[k], rank, ok);
    if (!ok)
      return failNode("slice axis " + Twine(axes[k]) + " out of range");
    int64_t dim = shape[a], step = steps[k];
    if (step <= 0)
      return failNode("only positive slice steps are supported");
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v = v < -dim ? 0 : v + dim;
      return std::min(v, dim);
    };
    int64_t s = clampIndex(starts[k]), e = clampIndex(ends[k]);
    int64_t size = e > s ? (e - s - 1) / step + 1 : 0; // no overflow
    if (size == 0)
      return failNode("slice of axis " + Twine(a) + " is empty");
    offsets[a] = s;
    sizes[a] = size;
    strides[a] = size == 1 ? 1 : step; // keeps offset arithmetic small
  }
  if (host) {
    HostResult r = evalSlice(*constantInput(0), offsets, sizes, strides);
    if (!r.value)
      return failNode(r.error);
    setOutput(0, std::move(*r.value));
    return success();
  }
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto r =
      create<SliceOp>(*x, ArrayRef<int64_t>(offsets), ArrayRef<int64_t>(sizes),
                      ArrayRef<int64_t>(strides));
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

LogicalResult Importer::importSplit(bool host) {
  auto shapeOr = shapeOf(0);
  if (failed(shapeOr))
    return failure();
  SmallVector<int64_t> shape = *shapeOr;
  bool ok;
  int64_t axis = normAxis(intAttr("axis", 0), shape.size(), ok);
  if (!ok)
    return failNode("axis out of range for rank " + Twine(shape.size()));
  std::vector<int64_t> sizes;
  if (opset < 13) {
    if (auto s = intsAttr("split"))
      sizes = *s;
  } else if (hasInput(1)) {
    auto s = intsInput(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  }
  int64_t outputs = node->output_size();
  if (sizes.empty()) {
    int64_t parts = opset >= 18 ? intAttr("num_outputs", outputs) : outputs;
    if (parts <= 0)
      return failNode("expected a positive number of outputs");
    int64_t chunk = (shape[axis] + parts - 1) / parts;
    for (int64_t k = 0, left = shape[axis]; k < parts; ++k, left -= chunk)
      sizes.push_back(std::min(chunk, left));
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return failNode("split into " + Twine(sizes.size()) +
                    " pieces but the "
                    "node has " +
                    Twine(outputs) + " outputs");
  int64_t total = 0;
  for (int64_t s : sizes)
    total += std::clamp<int64_t>(s, 0, kMaxElements);
  if (host && total != shape[axis])
    return failNode("split sizes " + shapeStr(sizes) + " do not add up to " +
                    "the extent of axis " + Twine(axis) + " (" +
                    Twine(shape[axis]) + ")");
  if (host) {
    auto t = constantInput(0);
    int64_t offset = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
      if (sizes[k] <= 0)
        return failNode("split sizes must be positive");
      SmallVector<int64_t> starts(shape.size(), 0), sz(shape),
          steps(shape.size(), 1);
      starts[axis] = offset;
      sz[axis] = sizes[k];
      offset += sizes[k];
      if (offset > shape[axis])
        return failNode("split sizes exceed the axis extent");
      setOutput(k, *evalSlice(*t, starts, sz, steps).value);
    }
    return success();
  }
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto r = create<SplitOp>(*x, static_cast<uint64_t>(axis),
                           ArrayRef<int64_t>(sizes));
  if (failed(r))
    return failure();
  for (auto [k, v] : llvm::enumerate(r->getResults()))
    setOutput(k, v);
  return success();
}

LogicalResult Importer::importReshapeLike(bool host) {
  StringRef op = node->op_type();
  auto shapeOr = shapeOf(0);
  if (failed(shapeOr))
    return failure();
  SmallVector<int64_t> in = *shapeOr;
  int64_t numel = 1;
  for (int64_t d : in)
    numel *= d;
  SmallVector<int64_t> out;
  if (op == "Reshape") {
    auto s = intsInput(1, "shape");
    if (failed(s))
      return failure();
    bool allowZero = intAttr("allowzero", 0) != 0;
    int64_t known = 1, inferred = -1;
    for (size_t k = 0; k < s->size(); ++k) {
      int64_t d = (*s)[k];
      if (d == 0 && !allowZero) {
        if (k >= in.size())
          return failNode("shape " + shapeStr(*s) +
                          " copies a dimension the "
                          "input " +
                          shapeStr(in) + " does not have");
        d = in[k];
      }
      if (d == -1) {
        if (inferred >= 0)
          return failNode("shape " + shapeStr(*s) + " has more than one -1");
        inferred = k;
        out.push_back(1);
        continue;
      }
      if (d < 0)
        return failNode("invalid shape " + shapeStr(*s));
      if (d > 0 && known > std::numeric_limits<int64_t>::max() / d)
        return failNode("shape " + shapeStr(*s) + " is too large");
      out.push_back(d);
      known *= d;
    }
    if (inferred >= 0) {
      if (known == 0 || numel % known != 0)
        return failNode("cannot reshape " + shapeStr(in) + " to " +
                        shapeStr(*s));
      out[inferred] = numel / known;
    }
  } else if (op == "Flatten") {
    int64_t rank = in.size(), axis = intAttr("axis", 1);
    if (axis < -rank || axis > rank) // Flatten's axis may equal the rank
      return failNode("axis " + Twine(axis) + " out of range for rank " +
                      Twine(rank));
    if (axis < 0)
      axis += rank;
    int64_t outer = 1;
    for (int64_t d = 0; d < axis && d < (int64_t)in.size(); ++d)
      outer *= in[d];
    out = {outer, outer ? numel / outer : 0};
  } else {
    std::vector<int64_t> axes;
    if (opset < 13) {
      axes = intsAttr("axes").value_or(std::vector<int64_t>{});
    } else if (hasInput(1)) {
      auto a = intsInput(1, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (op == "Unsqueeze") {
      int64_t rank = in.size() + axes.size();
      SmallVector<bool> isNew(rank, false);
      for (int64_t a : axes) {
        bool ok;
        int64_t n = normAxis(a, rank, ok);
        if (!ok || isNew[n])
          return failNode("invalid axes " + shapeStr(axes));
        isNew[n] = true;
      }
      for (int64_t d = 0, k = 0; d < rank; ++d)
        out.push_back(isNew[d] ? 1 : in[k++]);
    } else {
      SmallVector<bool> drop(in.size(), axes.empty());
      for (int64_t a : axes) {
        bool ok;
        int64_t n = normAxis(a, in.size(), ok);
        if (!ok || in[n] != 1)
          return failNode("cannot squeeze axis " + Twine(a) + " of shape " +
                          shapeStr(in));
        drop[n] = true;
      }
      for (size_t d = 0; d < in.size(); ++d)
        if (!drop[d] || in[d] != 1)
          out.push_back(in[d]);
    }
  }
  int64_t outNumel = 1;
  for (int64_t d : out)
    outNumel *= d;
  if (outNumel != numel)
    return failNode("cannot reshape " + shapeStr(in) + " to " + shapeStr(out));
  if (host) {
    HostTensor t = *constantInput(0);
    t.shape = out;
    setOutput(0, std::move(t));
    return success();
  }
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto r = create<ReshapeOp>(*x, ArrayRef<int64_t>(out));
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

LogicalResult Importer::importTranspose(bool host) {
  auto shapeOr = shapeOf(0);
  if (failed(shapeOr))
    return failure();
  int64_t rank = shapeOr->size();
  std::vector<int64_t> perm;
  if (auto p = intsAttr("perm"))
    perm = *p;
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  // The host evaluator trusts perm: a repeated axis would read out of bounds.
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return failNode("perm " + shapeStr(perm) +
                      " is not a permutation of the " + Twine(rank) +
                      " dimensions");
    seen[p] = true;
  }
  if (static_cast<int64_t>(perm.size()) != rank)
    return failNode("perm " + shapeStr(perm) + " is not a permutation of the " +
                    Twine(rank) + " dimensions");
  if (host) {
    HostResult r = evalTranspose(*constantInput(0), perm);
    if (!r.value)
      return failNode(r.error);
    setOutput(0, std::move(*r.value));
    return success();
  }
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto r = create<TransposeOp>(*x, ArrayRef<int64_t>(perm));
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

LogicalResult Importer::importConcat(bool host) {
  if (node->input_size() == 0)
    return failNode("expected at least one input");
  auto shapeOr = shapeOf(0);
  if (failed(shapeOr))
    return failure();
  bool ok;
  const onnx::AttributeProto *axisAttr = attr("axis");
  if (!axisAttr)
    return failNode("missing attribute 'axis'");
  int64_t axis = normAxis(axisAttr->i(), shapeOr->size(), ok);
  if (!ok)
    return failNode("axis " + Twine(axisAttr->i()) + " out of range for rank " +
                    Twine(shapeOr->size()));
  if (host) {
    SmallVector<std::shared_ptr<HostTensor>> keep;
    SmallVector<const HostTensor *> ins;
    for (int k = 0; k < node->input_size(); ++k) {
      keep.push_back(constantInput(k));
      if (!keep.back())
        return failNode("missing input " + Twine(k));
      ins.push_back(keep.back().get());
    }
    HostResult r = evalConcat(ins, axis);
    if (!r.value)
      return failNode(r.error);
    setOutput(0, std::move(*r.value));
    return success();
  }
  SmallVector<Value> ins;
  for (int k = 0; k < node->input_size(); ++k) {
    auto v = runtimeInput(k);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  auto r = create<ConcatOp>(ValueRange(ins), static_cast<uint64_t>(axis));
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

LogicalResult Importer::importSoftmax() {
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto ty = cast<RankedTensorType>(x->getType());
  int64_t rank = ty.getRank();
  bool ok;
  int64_t axis = normAxis(intAttr("axis", opset < 13 ? 1 : -1), rank, ok);
  if (!ok)
    return failNode("axis out of range for rank " + Twine(rank));
  // Before opset 13 softmax normalizes over all dimensions from `axis` on.
  if (opset < 13) {
    int64_t inner = 1;
    for (int64_t d = axis; d < rank; ++d)
      inner *= ty.getDimSize(d);
    if (inner != ty.getDimSize(axis)) {
      int64_t outer = ty.getNumElements() / inner;
      auto flat = create<ReshapeOp>(*x, ArrayRef<int64_t>{outer, inner});
      if (failed(flat))
        return failure();
      auto sm = create<SoftmaxOp>(flat->getResult(), uint64_t(1));
      if (failed(sm))
        return failure();
      auto back = create<ReshapeOp>(sm->getResult(), ty.getShape());
      if (failed(back))
        return failure();
      setOutput(0, back->getResult());
      return success();
    }
  }
  auto sm = create<SoftmaxOp>(*x, static_cast<uint64_t>(axis));
  if (failed(sm))
    return failure();
  setOutput(0, sm->getResult());
  return success();
}

LogicalResult Importer::importReduceSum(bool host) {
  auto shapeOr = shapeOf(0);
  if (failed(shapeOr))
    return failure();
  int64_t rank = shapeOr->size();
  std::vector<int64_t> axes;
  bool axesAsInput =
      opset >= 18 || (node->op_type() == "ReduceSum" && opset >= 13);
  if (!axesAsInput) {
    axes = intsAttr("axes").value_or(std::vector<int64_t>{});
  } else if (hasInput(1)) {
    auto a = intsInput(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  bool keep = intAttr("keepdims", 1) != 0;
  if (axes.empty()) {
    if (intAttr("noop_with_empty_axes", 0)) {
      if (host) {
        setOutput(0, *constantInput(0));
        return success();
      }
      auto x = runtimeInput(0);
      if (failed(x))
        return failure();
      setOutput(0, *x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  for (int64_t &a : axes) {
    bool ok;
    a = normAxis(a, rank, ok);
    if (!ok)
      return failNode("axes " + shapeStr(axes) + " out of range for rank " +
                      Twine(rank));
  }
  if (host) {
    HostResult r = evalReduce(node->op_type(), *constantInput(0), axes, keep);
    if (!r.value)
      return failNode(r.error);
    setOutput(0, std::move(*r.value));
    return success();
  }
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  auto r = create<ReduceSumOp>(*x, ArrayRef<int64_t>(axes), keep);
  if (failed(r))
    return failure();
  setOutput(0, r->getResult());
  return success();
}

/// Gather of a runtime tensor with compile-time indices that form a
/// contiguous range: a slice (plus a reshape for a scalar index).
LogicalResult Importer::importGather() {
  auto x = runtimeInput(0);
  if (failed(x))
    return failure();
  std::shared_ptr<HostTensor> idx = constantInput(1);
  if (!idx)
    return failNode("indices must be known at compile time");
  auto ty = cast<RankedTensorType>(x->getType());
  bool ok;
  int64_t axis = normAxis(intAttr("axis", 0), ty.getRank(), ok);
  if (!ok)
    return failNode("axis out of range for rank " + Twine(ty.getRank()));
  int64_t dim = ty.getDimSize(axis);
  std::vector<int64_t> indices = idx->toInts();
  if (indices.empty() || idx->shape.size() > 1)
    return failNode("only scalar or 1-D indices are supported");
  for (int64_t &i : indices) {
    if (i < 0)
      i += dim;
    if (i < 0 || i >= dim)
      return failNode("index out of range for dimension of size " + Twine(dim));
  }
  for (size_t k = 1; k < indices.size(); ++k)
    if (indices[k] != indices[0] + static_cast<int64_t>(k))
      return failNode("only contiguous indices are supported");
  SmallVector<int64_t> offsets(ty.getRank(), 0), sizes(ty.getShape()),
      strides(ty.getRank(), 1);
  offsets[axis] = indices[0];
  sizes[axis] = indices.size();
  auto s =
      create<SliceOp>(*x, ArrayRef<int64_t>(offsets), ArrayRef<int64_t>(sizes),
                      ArrayRef<int64_t>(strides));
  if (failed(s))
    return failure();
  Value result = s->getResult();
  if (idx->shape.empty()) {
    SmallVector<int64_t> shape(ty.getShape());
    shape.erase(shape.begin() + axis);
    auto r = create<ReshapeOp>(result, ArrayRef<int64_t>(shape));
    if (failed(r))
      return failure();
    result = r->getResult();
  }
  setOutput(0, result);
  return success();
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
  for (size_t k = 0; k < order.size(); ++k) {
    node = order[k];
    nodeName = node->name().empty()
                   ? node->op_type() + "#" + std::to_string(fileIndex[node])
                   : node->name();
    if (failed(importNode(*node)))
      return finish();
  }

  SmallVector<Value> results;
  node = nullptr;
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
      node = &fake;
      auto m = materialize(*e, out.name());
      node = nullptr;
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

} // namespace

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
