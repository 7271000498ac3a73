//===- Codegen.cpp - yolo graphs to standalone Halide libraries -----------===//
//
// Turns an optimized `func.func @main` into a static library:
//  1. planning: every SSA value becomes a view (storage, offset, shape,
//     strides). Channel slices, splits and contiguous reshapes are views;
//     concat inputs are written by their producers straight into the concat
//     buffer; the returned value is written into the caller's buffer.
//  2. kernels: one Halide pipeline per distinct (op, shapes, attributes),
//     compiled in parallel processes, the Halide runtime once.
//  3. memory: intermediate storages share one scratch arena, packed by
//     liveness (greedy by size), sized at compile time.
//  4. emission: a C driver calling the kernels in order, the weights as one
//     embedded blob, the yolo runtime, a header, and the archive.
//
//===----------------------------------------------------------------------===//

#include "yolo/Target/Halide/Codegen.h"
#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"

#include "Kernels.h"
#include "Targets.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::yolo;
using llvm::SmallVector;
using llvm::StringRef;

namespace {

enum StorageKind { Arena = 0, Weights = 1, Input = 2, Output = 3 };

struct Storage {
  StorageKind kind;
  int index = 0;      // input/output number
  int64_t size = 0;   // elements
  int64_t offset = 0; // arena offset (elements), assigned by the planner
  int first = INT32_MAX, last = -1;
};

struct View {
  int storage = -1;
  int64_t offset = 0;
  SmallVector<int64_t> shape, strides;
};

struct Step {
  int kernel;
  SmallVector<View> args; // inputs..., output
  std::string name;       // ONNX node name(s)
};

SmallVector<int64_t> rowMajor(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool isContiguous(const View &v) {
  return ArrayRef<int64_t>(v.strides) == ArrayRef<int64_t>(rowMajor(v.shape));
}

std::string locName(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc))
    return n.getName().str();
  if (auto f = dyn_cast<FusedLoc>(loc)) {
    std::string s;
    for (Location l : f.getLocations()) {
      std::string part = locName(l);
      if (!part.empty())
        s += (s.empty() ? "" : "+") + part;
    }
    return s;
  }
  return "";
}

/// Where an installed yolo-codegen finds what it needs at run time:
/// PREFIX/share/yolo-compiler next to PREFIX/bin; empty in a build tree.
std::string installedShareDir() {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  SmallVector<char> dir(exe.begin(), exe.end());
  llvm::sys::path::remove_filename(dir); // bin
  llvm::sys::path::remove_filename(dir); // prefix
  llvm::sys::path::append(dir, "share", "yolo-compiler");
  std::string share(dir.begin(), dir.end());
  return llvm::sys::fs::is_directory(share + "/runtime") ? share : "";
}

/// The runtime sources: installed, or this build's source tree.
std::string installedRuntimeDir() {
  std::string share = installedShareDir();
  return share.empty() ? YOLO_RUNTIME_DIR : share + "/runtime";
}

/// HalideRuntime*.h: installed, or the Halide this build used.
std::string halideRuntimeIncludeDir() {
  std::string share = installedShareDir();
  return share.empty() ? halideIncludeDir() : share + "/halide/include";
}

class Generator {
public:
  /// Everything is written into `options.outputDir` (a staging folder);
  /// messages name the files by where they end up, in `finalDir`.
  Generator(const CodegenOptions &options, std::string finalDir)
      : opts(options), finalDir(std::move(finalDir)) {}
  LogicalResult run(func::FuncOp func);
  /// generateRuntime: the runtime libraries alone.
  LogicalResult runRuntimeOnly();
  std::string error;
  const std::vector<std::string> &outputs() const { return deliverables; }

private:
  std::string finalDir;
  /// `file` where the user will find it.
  std::string shown(StringRef file) const {
    SmallVector<char> p(finalDir.begin(), finalDir.end());
    llvm::sys::path::append(p, file);
    return std::string(p.begin(), p.end());
  }
  LogicalResult fail(Operation *op, const Twine &why);
  LogicalResult plan(func::FuncOp func);
  LogicalResult lower(Operation *op);
  View &viewOf(Value v) { return views[v]; }
  View freshView(ArrayRef<int64_t> shape);
  View constantView(ArrayRef<float> data, ArrayRef<int64_t> shape);
  /// The view a kernel producing `v` writes to.
  View outputViewFor(Value v);
  View subview(const View &base, int64_t axis, int64_t offset, int64_t size);
  void addStep(Operation *op, const KernelSpec &spec, SmallVector<View> args);
  void emitCopy(Operation *op, const View &from, const View &to);
  LogicalResult allocateArena();
  LogicalResult compileKernels();
  LogicalResult emitDriver(func::FuncOp func);
  LogicalResult build(func::FuncOp func);
  LogicalResult selectToolchain();
  /// Runs `argv`; with `out`, returns its standard output there.
  bool runTool(ArrayRef<std::string> argv, std::string *out = nullptr);
  bool compileC(const std::string &src, const std::string &obj);
  /// The resolved targets, comma-separated (NAME_TARGET).
  std::string targetList() const;
  LogicalResult compileRuntimeSources(std::vector<std::string> &core,
                                      std::vector<std::string> &image,
                                      bool withImage);
  std::string modelGlue(func::FuncOp func, StringRef suffix) const;
  LogicalResult buildPythonModule(func::FuncOp func,
                                  ArrayRef<std::string> model,
                                  ArrayRef<std::string> core,
                                  ArrayRef<std::string> image);
  LogicalResult writePkgConfig();
  std::string path(StringRef file) const;

  const CodegenOptions &opts;
  std::vector<Storage> storages;
  llvm::DenseMap<Value, View> views;
  /// Values placed inside a concat's (or an output's) storage.
  llvm::DenseMap<Value, View> placed;
  std::vector<float> weights;
  std::map<std::string, int> kernelIndex;
  std::vector<KernelSpec> kernels;
  std::vector<Step> steps;
  int64_t arenaElements = 0;
  std::map<int64_t, int64_t> zeroBlobs;
  std::string cc, ar; // the target's C compiler and archiver
  /// The runtime sources: YOLO_RUNTIME_DIR, else the installed copy, else
  /// this build's source tree (found once).
  const std::string runtimeDir = getenv("YOLO_RUNTIME_DIR")
                                     ? getenv("YOLO_RUNTIME_DIR")
                                     : installedRuntimeDir();
  /// The resolved --target entries: one, or a multi-target list whose
  /// last entry is the baseline.
  std::vector<ResolvedTarget> variants;
  /// What the user asked for, in the staging folder, moved to OUTDIR when
  /// everything is built.
  std::vector<std::string> deliverables;
  bool multi() const { return variants.size() > 1; }
  /// The C symbol of kernel `k` of variant `v`.
  std::string kernelSymbol(size_t v, size_t k) const {
    return opts.name + (multi() ? "_v" + std::to_string(v) : "") + "_k" +
           std::to_string(k);
  }
  /// Its object file (in the staging folder).
  std::string kernelObject(size_t v, size_t k) const {
    return path((multi() ? "v" + std::to_string(v) + "_" : "") + "k" +
                std::to_string(k) + ".o");
  }
};

LogicalResult Generator::fail(Operation *op, const Twine &why) {
  std::string where = op ? locName(op->getLoc()) : "";
  error = (op ? "'" + op->getName().getStringRef() + "'" +
                    (where.empty() ? "" : " ('" + where + "')") + ": "
              : Twine(""))
              .str() +
          why.str();
  return failure();
}

std::string Generator::path(StringRef file) const {
  SmallVector<char> p(opts.outputDir.begin(), opts.outputDir.end());
  llvm::sys::path::append(p, file);
  return std::string(p.begin(), p.end());
}

View Generator::freshView(ArrayRef<int64_t> shape) {
  Storage s;
  s.kind = Arena;
  s.size = numElements(shape);
  storages.push_back(s);
  View v;
  v.storage = storages.size() - 1;
  v.shape.assign(shape.begin(), shape.end());
  v.strides = rowMajor(shape);
  return v;
}

View Generator::constantView(ArrayRef<float> data, ArrayRef<int64_t> shape) {
  // 64-byte aligned, like everything in the blob.
  while (weights.size() % 16)
    weights.push_back(0.0f);
  View v;
  v.storage = 0; // the weights storage
  v.offset = weights.size();
  v.shape.assign(shape.begin(), shape.end());
  v.strides = rowMajor(shape);
  weights.insert(weights.end(), data.begin(), data.end());
  return v;
}

View Generator::subview(const View &base, int64_t axis, int64_t offset,
                        int64_t size) {
  View v = base;
  v.offset += offset * base.strides[axis];
  v.shape[axis] = size;
  return v;
}

View Generator::outputViewFor(Value v) {
  auto it = placed.find(v);
  if (it != placed.end())
    return it->second;
  return freshView(cast<RankedTensorType>(v.getType()).getShape());
}

void Generator::addStep(Operation *op, const KernelSpec &spec,
                        SmallVector<View> args) {
  std::string key = spec.key();
  auto it = kernelIndex.find(key);
  int index;
  if (it == kernelIndex.end()) {
    index = kernels.size();
    kernels.push_back(spec);
    kernelIndex[key] = index;
  } else {
    index = it->second;
  }
  steps.push_back({index, std::move(args), op ? locName(op->getLoc()) : ""});
}

void Generator::emitCopy(Operation *op, const View &from, const View &to) {
  KernelSpec spec{"copy",
                  {std::vector<int64_t>(from.shape.begin(), from.shape.end()),
                   std::vector<int64_t>(to.shape.begin(), to.shape.end())},
                  {},
                  {}};
  addStep(op, spec, {from, to});
}

/// The number of concat inputs, from position `i` on, that are unit-stride
/// slices or split pieces along `axis` of one kernel-computed tensor, in
/// order and covering it whole; 0 when they are not.
static size_t piecesOfOneTensor(OperandRange inputs, size_t i, int64_t axis) {
  Operation *first = inputs[i].getDefiningOp();
  if (!first || !isa<SliceOp, SplitOp>(first))
    return 0;
  Value src = first->getOperand(0);
  Operation *def = src.getDefiningOp();
  if (!def || isa<ConstantOp, SliceOp, SplitOp, ReshapeOp>(def))
    return 0;
  auto srcShape = cast<RankedTensorType>(src.getType()).getShape();
  int64_t covered = 0;
  size_t n = 0;
  for (; i + n < inputs.size() && covered < srcShape[axis]; ++n) {
    Value in = inputs[i + n];
    Operation *op = in.getDefiningOp();
    if (!op || op->getOperand(0) != src)
      return 0;
    if (auto slice = dyn_cast<SliceOp>(op)) {
      for (auto [d, off] : llvm::enumerate(slice.getOffsets()))
        if (slice.getStrides()[d] != 1 ||
            (int64_t(d) != axis &&
             (off != 0 || slice.getSizes()[d] != srcShape[d])) ||
            (int64_t(d) == axis && off != covered))
          return 0;
      covered += slice.getSizes()[axis];
    } else {
      auto split = cast<SplitOp>(op);
      unsigned k = cast<OpResult>(in).getResultNumber();
      int64_t start = 0;
      for (unsigned j = 0; j < k; ++j)
        start += split.getSizes()[j];
      if (split.getAxis() != axis || start != covered)
        return 0;
      covered += split.getSizes()[k];
    }
  }
  return covered == srcShape[axis] ? n : 0;
}

/// Decides, before anything is lowered, which values are written straight
/// into a concat's buffer or into the caller's output buffer.
LogicalResult Generator::plan(func::FuncOp func) {
  auto isKernelValue = [](Value v) {
    Operation *def = v.getDefiningOp();
    return def && !isa<ConstantOp, SliceOp, SplitOp, ReshapeOp>(def);
  };
  // Outputs first: the returned value lives in the caller's buffer.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  llvm::DenseSet<Value> returned;
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    if (!isKernelValue(v) || !returned.insert(v).second)
      continue;
    Storage s;
    s.kind = Output;
    s.index = k;
    s.size = numElements(cast<RankedTensorType>(v.getType()).getShape());
    storages.push_back(s);
    View view;
    view.storage = storages.size() - 1;
    view.shape.assign(cast<RankedTensorType>(v.getType()).getShape().begin(),
                      cast<RankedTensorType>(v.getType()).getShape().end());
    view.strides = rowMajor(view.shape);
    placed[v] = view;
  }
  // Concats, last first, so that a concat placed in an outer one passes
  // its placement on to its own inputs.
  SmallVector<ConcatOp> concats;
  func.walk([&](ConcatOp c) { concats.push_back(c); });
  for (ConcatOp c : llvm::reverse(concats)) {
    View base = placed.count(c.getResult()) ? placed[c.getResult()]
                                            : freshView(c.getType().getShape());
    placed[c.getResult()] = base;
    int64_t axis = c.getAxis(), offset = 0;
    auto inputs = c.getInputs();
    for (size_t i = 0; i < inputs.size(); ++i) {
      Value in = inputs[i];
      int64_t size = cast<RankedTensorType>(in.getType()).getDimSize(axis);
      // All the pieces of one tensor, in order, at this position (ELAN
      // blocks concatenate both halves of cv1's output): that tensor is
      // written into the concat buffer and its pieces become views.
      size_t n = piecesOfOneTensor(inputs, i, axis);
      Value src = n ? inputs[i].getDefiningOp()->getOperand(0) : Value();
      if (n && !placed.count(src)) {
        int64_t total = cast<RankedTensorType>(src.getType()).getDimSize(axis);
        placed[src] = subview(base, axis, offset, total);
        offset += total;
        i += n - 1;
        continue;
      }
      bool single = llvm::count(c.getInputs(), in) == 1;
      bool usedByOtherConcat = llvm::any_of(in.getUsers(), [&](Operation *u) {
        return u != c.getOperation() && isa<ConcatOp>(u);
      });
      if (isKernelValue(in) && single && !usedByOtherConcat &&
          !placed.count(in))
        placed[in] = subview(base, axis, offset, size);
      offset += size;
    }
  }
  return success();
}

LogicalResult Generator::lower(Operation *op) {
  auto shapeOf = [](Value v) {
    auto s = cast<RankedTensorType>(v.getType()).getShape();
    return std::vector<int64_t>(s.begin(), s.end());
  };
  auto requireUnitInner = [&](Value v) -> LogicalResult {
    const View &view = viewOf(v);
    if (!view.strides.empty() && view.strides.back() != 1)
      return fail(op, "strided access along the innermost dimension is not "
                      "supported");
    return success();
  };
  for (Value operand : op->getOperands())
    if (!views.count(operand))
      return fail(op, "operand has no storage (internal error)");
  for (Value operand : op->getOperands())
    if (failed(requireUnitInner(operand)))
      return failure();

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ConstantOp c) -> LogicalResult {
        auto data = getConstantFloats(c);
        if (!data)
          return fail(op, "only f32 constants are supported");
        views[c.getResult()] =
            constantView(*data, cast<RankedTensorType>(c.getType()).getShape());
        return success();
      })
      .Case([&](ReshapeOp r) -> LogicalResult {
        View in = viewOf(r.getInput());
        if (!isContiguous(in)) {
          View tmp = freshView(in.shape);
          emitCopy(op, in, tmp);
          in = tmp;
        }
        in.shape.assign(r.getShape().begin(), r.getShape().end());
        in.strides = rowMajor(in.shape);
        if (placed.count(r.getResult())) {
          emitCopy(op, in, placed[r.getResult()]);
          views[r.getResult()] = placed[r.getResult()];
        } else {
          views[r.getResult()] = in;
        }
        return success();
      })
      .Case([&](SliceOp s) -> LogicalResult {
        View v = viewOf(s.getInput());
        for (size_t d = 0; d < v.shape.size(); ++d) {
          v.offset += s.getOffsets()[d] * v.strides[d];
          v.strides[d] *= s.getStrides()[d];
          v.shape[d] = s.getSizes()[d];
        }
        views[s.getResult()] = v;
        return success();
      })
      .Case([&](SplitOp s) -> LogicalResult {
        int64_t offset = 0;
        for (auto [k, r] : llvm::enumerate(s.getResults())) {
          int64_t size = s.getSizes()[k];
          views[r] = subview(viewOf(s.getInput()), s.getAxis(), offset, size);
          offset += size;
        }
        return success();
      })
      .Case([&](ConcatOp c) -> LogicalResult {
        View base = placed[c.getResult()];
        int64_t offset = 0;
        for (Value in : c.getInputs()) {
          int64_t size =
              cast<RankedTensorType>(in.getType()).getDimSize(c.getAxis());
          View target = subview(base, c.getAxis(), offset, size);
          const View &src = viewOf(in);
          bool inPlace = src.storage == target.storage &&
                         src.offset == target.offset &&
                         src.strides == target.strides;
          if (!inPlace)
            emitCopy(op, src, target);
          offset += size;
        }
        views[c.getResult()] = base;
        return success();
      })
      .Case([&](Conv2DOp conv) -> LogicalResult {
        auto w = conv.getWeight().getType().getShape();
        View in = viewOf(conv.getInput()), wv = viewOf(conv.getWeight());
        if (!isContiguous(wv))
          return fail(op, "weights must be contiguous");
        View bias;
        if (conv.getBias()) {
          bias = viewOf(conv.getBias());
        } else {
          std::vector<float> zeros(w[0], 0.0f);
          auto it = zeroBlobs.find(w[0]);
          if (it == zeroBlobs.end()) {
            bias = constantView(zeros, {w[0]});
            zeroBlobs[w[0]] = bias.offset;
          } else {
            bias.storage = 0;
            bias.offset = it->second;
            bias.shape = {w[0]};
            bias.strides = {1};
          }
        }
        View out = outputViewFor(conv.getResult());
        views[conv.getResult()] = out;
        int64_t act = static_cast<int64_t>(conv.getActivation());
        float alpha = conv.getAlpha().convertToFloat();
        auto st = conv.getStrides(), pads = conv.getPads(),
             dil = conv.getDilations();
        bool pointwise = w[2] == 1 && w[3] == 1 && st[0] == 1 && st[1] == 1 &&
                         llvm::all_of(pads, [](int64_t p) { return p == 0; }) &&
                         conv.getGroups() == 1;
        auto flat = [](View v) -> std::optional<View> {
          if (v.strides[2] != v.shape[3] || v.strides[3] != 1)
            return std::nullopt;
          View f = v;
          f.shape = {v.shape[0], v.shape[1], v.shape[2] * v.shape[3]};
          f.strides = {v.strides[0], v.strides[1], 1};
          return f;
        };
        std::optional<View> fin = flat(in), fout = flat(out);
        if (pointwise && fin && fout) {
          View wf = wv;
          wf.shape = {w[0], w[1]};
          wf.strides = {w[1], 1};
          KernelSpec spec{
              "conv1x1",
              {std::vector<int64_t>(fin->shape.begin(), fin->shape.end()),
               {w[0], w[1]},
               {w[0]},
               std::vector<int64_t>(fout->shape.begin(), fout->shape.end())},
              {act},
              {alpha}};
          addStep(op, spec, {*fin, wf, bias, *fout});
          return success();
        }
        KernelSpec spec{"conv",
                        {shapeOf(conv.getInput()),
                         shapeOf(conv.getWeight()),
                         {w[0]},
                         shapeOf(conv.getResult())},
                        {w[2], w[3], st[0], st[1], pads[0], pads[1], dil[0],
                         dil[1], static_cast<int64_t>(conv.getGroups()), act},
                        {alpha}};
        addStep(op, spec, {in, wv, bias, out});
        return success();
      })
      .Case([&](BatchNormOp bn) -> LogicalResult {
        auto scale = getConstantFloats(bn.getScale());
        auto beta = getConstantFloats(bn.getBias());
        auto mean = getConstantFloats(bn.getMean());
        auto var = getConstantFloats(bn.getVar());
        if (!scale || !beta || !mean || !var)
          return fail(op, "batch_norm with non-constant statistics");
        double eps = bn.getEpsilon().convertToDouble();
        std::vector<float> s(scale->size()), t(scale->size());
        for (size_t c = 0; c < s.size(); ++c) {
          double k = (*scale)[c] / std::sqrt((*var)[c] + eps);
          s[c] = static_cast<float>(k);
          t[c] = static_cast<float>((*beta)[c] - (*mean)[c] * k);
        }
        int64_t channels = s.size();
        View sv = constantView(s, {channels}), tv = constantView(t, {channels});
        View out = outputViewFor(bn.getResult());
        views[bn.getResult()] = out;
        addStep(op,
                {"affine",
                 {shapeOf(bn.getInput()),
                  {channels},
                  {channels},
                  shapeOf(bn.getResult())},
                 {},
                 {}},
                {viewOf(bn.getInput()), sv, tv, out});
        return success();
      })
      .Case<AddOp, SubOp, MulOp, DivOp>([&](Operation *) -> LogicalResult {
        int64_t kind = isa<AddOp>(op)   ? 0
                       : isa<SubOp>(op) ? 1
                       : isa<MulOp>(op) ? 2
                                        : 3;
        Value l = op->getOperand(0), r = op->getOperand(1);
        View out = outputViewFor(op->getResult(0));
        views[op->getResult(0)] = out;
        addStep(op,
                {"binary",
                 {shapeOf(l), shapeOf(r), shapeOf(op->getResult(0))},
                 {kind},
                 {}},
                {viewOf(l), viewOf(r), out});
        return success();
      })
      .Case<SiLUOp, SigmoidOp, ReLUOp, LeakyReLUOp>(
          [&](Operation *) -> LogicalResult {
            int64_t act = isa<SiLUOp>(op)      ? 1
                          : isa<SigmoidOp>(op) ? 2
                          : isa<ReLUOp>(op)    ? 3
                                               : 4;
            float alpha = 0.0f;
            if (auto l = dyn_cast<LeakyReLUOp>(op))
              alpha = l.getAlpha().convertToFloat();
            Value in = op->getOperand(0);
            View out = outputViewFor(op->getResult(0));
            views[op->getResult(0)] = out;
            addStep(op, {"unary", {shapeOf(in), shapeOf(in)}, {act}, {alpha}},
                    {viewOf(in), out});
            return success();
          })
      .Case<MaxPoolOp, AvgPoolOp>([&](Operation *) -> LogicalResult {
        ArrayRef<int64_t> k, s, p;
        int64_t includePad = 0;
        if (auto m = dyn_cast<MaxPoolOp>(op)) {
          k = m.getKernel(), s = m.getStrides(), p = m.getPads();
        } else {
          auto a = cast<AvgPoolOp>(op);
          k = a.getKernel(), s = a.getStrides(), p = a.getPads();
          includePad = a.getCountIncludePad();
        }
        Value in = op->getOperand(0);
        View out = outputViewFor(op->getResult(0));
        views[op->getResult(0)] = out;
        addStep(op,
                {isa<MaxPoolOp>(op) ? "max_pool" : "avg_pool",
                 {shapeOf(in), shapeOf(op->getResult(0))},
                 {k[0], k[1], s[0], s[1], p[0], p[1], includePad},
                 {}},
                {viewOf(in), out});
        return success();
      })
      .Case([&](ResizeOp r) -> LogicalResult {
        View out = outputViewFor(r.getResult());
        views[r.getResult()] = out;
        addStep(op,
                {"resize",
                 {shapeOf(r.getInput()), shapeOf(r.getResult())},
                 {r.getScales()[0], r.getScales()[1]},
                 {}},
                {viewOf(r.getInput()), out});
        return success();
      })
      .Case([&](PadOp p) -> LogicalResult {
        View out = outputViewFor(p.getResult());
        views[p.getResult()] = out;
        size_t rank = p.getType().getRank();
        std::vector<int64_t> begin(p.getPads().begin(),
                                   p.getPads().begin() + rank);
        addStep(op,
                {"pad",
                 {shapeOf(p.getInput()), shapeOf(p.getResult())},
                 begin,
                 {p.getValue().convertToFloat()}},
                {viewOf(p.getInput()), out});
        return success();
      })
      .Case([&](TransposeOp t) -> LogicalResult {
        View out = outputViewFor(t.getResult());
        views[t.getResult()] = out;
        addStep(op,
                {"transpose",
                 {shapeOf(t.getInput()), shapeOf(t.getResult())},
                 std::vector<int64_t>(t.getPerm().begin(), t.getPerm().end()),
                 {}},
                {viewOf(t.getInput()), out});
        return success();
      })
      .Case([&](SoftmaxOp s) -> LogicalResult {
        View out = outputViewFor(s.getResult());
        views[s.getResult()] = out;
        addStep(op,
                {"softmax",
                 {shapeOf(s.getInput()), shapeOf(s.getResult())},
                 {static_cast<int64_t>(s.getAxis())},
                 {}},
                {viewOf(s.getInput()), out});
        return success();
      })
      .Case([&](ReduceSumOp r) -> LogicalResult {
        View out = outputViewFor(r.getResult());
        views[r.getResult()] = out;
        std::vector<int64_t> params = {r.getKeepDims() ? 1 : 0};
        params.insert(params.end(), r.getAxes().begin(), r.getAxes().end());
        addStep(op,
                {"reduce_sum",
                 {shapeOf(r.getInput()), shapeOf(r.getResult())},
                 params,
                 {}},
                {viewOf(r.getInput()), out});
        return success();
      })
      .Default([&](Operation *) -> LogicalResult {
        return fail(op, "not supported by the code generator");
      });
}

/// Packs the arena storages by liveness: greedy by size, first fit.
LogicalResult Generator::allocateArena() {
  for (auto [i, step] : llvm::enumerate(steps))
    for (const View &v : step.args) {
      Storage &s = storages[v.storage];
      s.first = std::min<int>(s.first, i);
      s.last = std::max<int>(s.last, i);
    }
  std::vector<int> order;
  for (auto [i, s] : llvm::enumerate(storages))
    if (s.kind == Arena && s.last >= 0)
      order.push_back(i);
  llvm::sort(order,
             [&](int a, int b) { return storages[a].size > storages[b].size; });
  std::vector<int> done;
  for (int i : order) {
    Storage &s = storages[i];
    int64_t size = (s.size + 15) / 16 * 16;
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (int j : done) {
      const Storage &o = storages[j];
      if (o.first <= s.last && s.first <= o.last)
        busy.push_back({o.offset, o.offset + (o.size + 15) / 16 * 16});
    }
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [b, e] : busy) {
      if (offset + size <= b)
        break;
      offset = std::max(offset, e);
    }
    s.offset = offset;
    arenaElements = std::max(arenaElements, offset + size);
    done.push_back(i);
  }
  return success();
}

bool Generator::runTool(ArrayRef<std::string> argv, std::string *out) {
  auto program = llvm::sys::findProgramByName(argv[0]);
  if (!program) {
    error = "cannot find '" + argv[0] + "' on PATH";
    return false;
  }
  SmallVector<char> tmp;
  if (out && llvm::sys::fs::createTemporaryFile("yolo-codegen", "txt", tmp)) {
    error = "cannot create a temporary file";
    return false;
  }
  std::string file(tmp.begin(), tmp.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(file),
                                          std::nullopt};
  SmallVector<StringRef> args(argv.begin(), argv.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(
      *program, args, std::nullopt,
      out ? ArrayRef<std::optional<StringRef>>(redirects)
          : ArrayRef<std::optional<StringRef>>(),
      0, 0, &message);
  if (out) {
    std::ifstream in(file);
    out->assign(std::istreambuf_iterator<char>(in),
                std::istreambuf_iterator<char>());
    llvm::sys::fs::remove(file);
  }
  if (rc != 0) {
    std::string cmd;
    for (const std::string &a : argv)
      cmd += a + " ";
    error = "command failed (" + std::to_string(rc) + "): " + cmd + message;
    return false;
  }
  return true;
}

/// Compiles every distinct kernel for every variant, `jobs` processes at a
/// time, printing a line per kernel.
LogicalResult Generator::compileKernels() {
  using Clock = std::chrono::steady_clock;
  size_t total = kernels.size() * variants.size();
  std::map<pid_t, std::pair<size_t, Clock::time_point>> running;
  size_t next = 0, finished = 0;
  bool failedAny = false;
  // Task t is kernel t % kernels.size() of variant t / kernels.size().
  auto label = [&](size_t t) {
    size_t v = t / kernels.size(), k = t % kernels.size();
    return (multi() ? "v" + std::to_string(v) + " " : std::string()) + "k" +
           std::to_string(k);
  };
  auto errFile = [&](size_t t) {
    return path("task" + std::to_string(t) + ".err");
  };
  auto reap = [&]() {
    int status = 0;
    pid_t pid = wait(&status);
    if (pid <= 0)
      return;
    auto [t, start] = running[pid];
    running.erase(pid);
    ++finished;
    size_t v = t / kernels.size(), k = t % kernels.size();
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
      failedAny = true;
      std::ifstream err(errFile(t));
      std::string msg((std::istreambuf_iterator<char>(err)),
                      std::istreambuf_iterator<char>());
      if (error.empty())
        error = "kernel " + kernels[k].describe() +
                (multi() ? " for target '" + variants[v].target + "'" : "") +
                ": " + (msg.empty() ? "compilation crashed" : msg);
    }
    if (opts.verbose)
      llvm::errs() << llvm::format("[%3zu/%zu] ", finished, total) << label(t)
                   << " " << kernels[k].describe()
                   << llvm::format(" (%.1f s)%s\n", secs, ok ? "" : " FAILED");
  };
  while (next < total || !running.empty()) {
    if (next < total && !failedAny &&
        running.size() < static_cast<size_t>(std::max(1, opts.jobs))) {
      size_t t = next++;
      size_t v = t / kernels.size(), k = t % kernels.size();
      llvm::errs().flush();
      pid_t pid = fork();
      if (pid == 0) {
        std::string err;
        bool ok = compileKernel(kernels[k], variants[v].target,
                                kernelObject(v, k), kernelSymbol(v, k), err);
        if (!ok) {
          std::ofstream(errFile(t)) << err;
          _exit(1);
        }
        _exit(0);
      }
      if (pid < 0)
        return error = "fork failed", failure();
      running[pid] = {t, Clock::now()};
      continue;
    }
    if (running.empty())
      break;
    reap();
  }
  return failure(failedAny);
}

LogicalResult Generator::run(func::FuncOp func) {
  std::vector<std::string> notes;
  if (!resolveTargets(opts.target, variants, notes, error))
    return failure();
  if (opts.verbose)
    for (const std::string &note : notes)
      llvm::errs() << "yolo-codegen: note: " << note << "\n";
  if (failed(selectToolchain()))
    return failure();
  // Storage 0: the weights blob.
  storages.push_back({Weights});
  for (auto [k, arg] : llvm::enumerate(func.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.getElementType().isF32())
      return fail(nullptr, "argument " + Twine(k) + " is not an f32 tensor");
    Storage s;
    s.kind = Input;
    s.index = k;
    s.size = type.getNumElements();
    storages.push_back(s);
    View v;
    v.storage = storages.size() - 1;
    v.shape.assign(type.getShape().begin(), type.getShape().end());
    v.strides = rowMajor(v.shape);
    views[arg] = v;
  }
  if (failed(plan(func)))
    return failure();
  for (Operation &op : func.getBody().front().without_terminator())
    if (failed(lower(&op)))
      return failure();
  // Outputs not computed in place (views, inputs, constants): copy.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    const View &src = viewOf(v);
    if (storages[src.storage].kind == Output &&
        storages[src.storage].index == static_cast<int>(k) &&
        isContiguous(src) && src.offset == 0)
      continue;
    Storage s;
    s.kind = Output;
    s.index = k;
    s.size = numElements(src.shape);
    storages.push_back(s);
    View dst;
    dst.storage = storages.size() - 1;
    dst.shape = src.shape;
    dst.strides = rowMajor(src.shape);
    emitCopy(nullptr, src, dst);
  }
  if (failed(allocateArena()))
    return failure();
  if (opts.verbose && multi()) {
    llvm::errs() << "yolo-codegen: " << variants.size()
                 << " variants, chosen at run time in this order:";
    for (const ResolvedTarget &v : variants)
      llvm::errs() << " " << v.target;
    llvm::errs() << "\n";
  } else if (opts.verbose && opts.target != variants[0].target) {
    llvm::errs() << "yolo-codegen: target " << opts.target << " is "
                 << variants[0].target << "\n";
  }
  if (opts.verbose)
    llvm::errs() << "yolo-codegen: " << steps.size() << " steps, "
                 << kernels.size() << " distinct kernels, "
                 << llvm::format("%.1f", weights.size() * 4.0 / 1e6)
                 << " MB of weights, "
                 << llvm::format("%.1f", arenaElements * 4.0 / 1e6)
                 << " MB of scratch\n";
  if (failed(compileKernels()))
    return failure();
  return build(func);
}

} // namespace

#include "Emit.inc"

/// Runs `build` on a Generator writing into a staging folder inside
/// OUTDIR, then moves what the user asked for into place (rename, atomic
/// per file), libraries last: an interrupted or failed run leaves the
/// previous outputs intact and never a truncated library. The
/// intermediates (kernel objects, C sources, the weights blob) are removed
/// with the staging folder, or kept in OUTDIR/NAME.tmp with --keep-temps.
static LogicalResult
staged(const CodegenOptions &options, std::string &error,
       llvm::function_ref<LogicalResult(Generator &)> build) {
  if (std::error_code ec =
          llvm::sys::fs::create_directories(options.outputDir)) {
    error = "cannot create '" + options.outputDir + "': " + ec.message();
    return failure();
  }
  SmallVector<char> stage(options.outputDir.begin(), options.outputDir.end());
  llvm::sys::path::append(stage, "." + options.name + ".partial-" +
                                     std::to_string(::getpid()));
  CodegenOptions stagedOptions = options;
  stagedOptions.outputDir.assign(stage.begin(), stage.end());
  llvm::sys::fs::remove_directories(stagedOptions.outputDir);
  if (std::error_code ec =
          llvm::sys::fs::create_directories(stagedOptions.outputDir)) {
    error = "cannot create '" + stagedOptions.outputDir + "': " + ec.message();
    return failure();
  }
  Generator gen(stagedOptions, options.outputDir);
  if (failed(build(gen))) {
    error = gen.error;
    llvm::sys::fs::remove_directories(stagedOptions.outputDir);
    return failure();
  }
  std::vector<std::string> files, last;
  for (const std::string &file : gen.outputs()) {
    StringRef f(file);
    (f.ends_with(".a") || f.ends_with(".so") || f.ends_with(".o") ? last
                                                                  : files)
        .push_back(file);
  }
  files.insert(files.end(), last.begin(), last.end());
  for (const std::string &file : files) {
    SmallVector<char> from(stage),
        to(options.outputDir.begin(), options.outputDir.end());
    llvm::sys::path::append(from, file);
    llvm::sys::path::append(to, file);
    if (std::error_code rc = llvm::sys::fs::rename(from, to)) {
      error = "cannot move '" + std::string(from.begin(), from.end()) +
              "' into place: " + rc.message();
      llvm::sys::fs::remove_directories(stagedOptions.outputDir);
      return failure();
    }
  }
  if (options.keepTemps) {
    SmallVector<char> temps(options.outputDir.begin(), options.outputDir.end());
    llvm::sys::path::append(temps, options.name + ".tmp");
    std::string tempDir(temps.begin(), temps.end());
    llvm::sys::fs::remove_directories(tempDir);
    if (std::error_code rc =
            llvm::sys::fs::rename(stagedOptions.outputDir, tempDir)) {
      error =
          "cannot keep the intermediates in '" + tempDir + "': " + rc.message();
      llvm::sys::fs::remove_directories(stagedOptions.outputDir);
      return failure();
    }
    if (options.verbose)
      llvm::errs() << "yolo-codegen: intermediates kept in " << tempDir << "\n";
    return success();
  }
  llvm::sys::fs::remove_directories(stagedOptions.outputDir);
  return success();
}

LogicalResult mlir::yolo::generateLibrary(ModuleOp module,
                                          const CodegenOptions &options,
                                          std::string &error) {
  func::FuncOp func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal() || !llvm::hasSingleElement(func.getBody())) {
    error = "expected a module with func.func @main of one block";
    return failure();
  }
  return staged(options, error, [&](Generator &gen) { return gen.run(func); });
}

LogicalResult mlir::yolo::generateRuntime(const CodegenOptions &options,
                                          std::string &error) {
  return staged(options, error,
                [&](Generator &gen) { return gen.runRuntimeOnly(); });
}

std::string mlir::yolo::versionString() {
  return std::string("yolo-compiler ") + YOLO_VERSION_STRING + " (LLVM/MLIR " +
         LLVM_VERSION_STRING + ", Halide " + halideVersion() +
         ")\n  runtime sources: " + installedRuntimeDir() +
         "\n  Halide runtime headers: " + halideRuntimeIncludeDir();
}
