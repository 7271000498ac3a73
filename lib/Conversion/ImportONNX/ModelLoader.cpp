//===- ModelLoader.cpp - reading an ONNX model file ----------------------===//
//
// Parses the model (binary or text protobuf, from a file or from memory),
// refuses names that are not UTF-8 and opsets outside the supported range,
// and reads external tensor data, which must stay inside the model's folder.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

using namespace mlir;
using namespace mlir::yolo::onnx_import;

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
      modelOpset = o.version();
      found = true;
    }
  }
  if (!found) {
    (void)fail("model imports no opset of the default ONNX domain");
    return false;
  }
  if (modelOpset < kMinOpset || modelOpset > kMaxOpset) {
    (void)fail("opset " + Twine(modelOpset) +
               " is outside the supported range " + Twine(kMinOpset) + " to " +
               Twine(kMaxOpset));
    return false;
  }
  return true;
}

/// The bytes of an initializer stored outside the model file.
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
