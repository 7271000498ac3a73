//===- Importer.cpp - a node's inputs, attributes and outputs ------------===//
//
// What op handlers use to read the node being imported and to record its
// results: inputs as yolo values or as host constants, attributes with
// their ONNX defaults, outputs, and errors that name the node. Host
// constants used as tensor data become yolo.constant ops here.
//
//===----------------------------------------------------------------------===//

#include "ImporterImpl.h"

#include "yolo/Dialect/Yolo/YoloUtils.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::yolo;
using namespace mlir::yolo::onnx_import;

bool mlir::yolo::onnx_import::isPositiveShape(ArrayRef<int64_t> shape,
                                              int64_t &numel) {
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

std::string mlir::yolo::onnx_import::shapeStr(ArrayRef<int64_t> shape) {
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

std::string mlir::yolo::onnx_import::floatsStr(ArrayRef<double> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(
      values, os, [&](double v) { os << v; }, ", ");
  os << "]";
  return s;
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

LogicalResult Importer::fail(const Twine &message) {
  if (errorMessage.empty())
    errorMessage = (path + ": " + message).str();
  return failure();
}

LogicalResult Importer::failNode(const Twine &message) {
  return fail("node '" + nodeName + "' (" + currentNode->op_type() +
              "): " + message);
}

Location Importer::nodeLoc() const {
  return NameLoc::get(StringAttr::get(ctx, nodeName));
}

int64_t Importer::normAxis(int64_t axis, int64_t rank, bool &ok) const {
  int64_t a = axis < 0 ? axis + rank : axis;
  ok = a >= 0 && a < rank;
  return a;
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

Entry *Importer::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

bool Importer::hasInput(unsigned index) const {
  return static_cast<int>(index) < currentNode->input_size() &&
         !currentNode->input(index).empty();
}

std::shared_ptr<HostTensor> Importer::constantInput(unsigned index) {
  if (!hasInput(index))
    return nullptr;
  Entry *e = lookup(currentNode->input(index));
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
  StringRef name = currentNode->input(index);
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

FailureOr<std::vector<int64_t>> Importer::optionalIntsInput(unsigned index,
                                                            StringRef what) {
  if (!hasInput(index))
    return std::vector<int64_t>();
  return intsInput(index, what);
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
  for (const auto &a : currentNode->attribute())
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
  if (static_cast<int>(index) >= currentNode->output_size() ||
      currentNode->output(index).empty())
    return;
  Entry e;
  e.value = v;
  values[currentNode->output(index)] = e;
}

void Importer::setOutput(unsigned index, HostTensor t) {
  if (static_cast<int>(index) >= currentNode->output_size() ||
      currentNode->output(index).empty())
    return;
  Entry e;
  e.constant = std::make_shared<HostTensor>(std::move(t));
  values[currentNode->output(index)] = e;
}

void Importer::setOutputEntry(unsigned index, const Entry &e) {
  values[currentNode->output(index)] = e;
}

//===----------------------------------------------------------------------===//
// Axes
//===----------------------------------------------------------------------===//

FailureOr<std::vector<int64_t>>
mlir::yolo::onnx_import::axesAttribute(Importer &imp) {
  return imp.intsAttr("axes").value_or(std::vector<int64_t>{});
}

FailureOr<std::vector<int64_t>>
mlir::yolo::onnx_import::axesInput(Importer &imp) {
  return imp.optionalIntsInput(1, "axes");
}
