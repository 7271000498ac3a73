//===- PlanFromKernels.cpp - lowered IR to a ModelPlan --------------------===//
//
// The translation from the ykernel dialect (after --yolo-lower-to-kernels)
// to the plain data emission works from. It decides nothing: each kernel
// op is one step, its descriptor read off the op's attributes and operand
// types, and each memref operand one view: the allocation's place in the
// arena (ykernel.arena_offset), a piece of the weights blob (the constant
// globals, packed 64-byte aligned in order of first use), or an input or
// output buffer of the caller; offsets and strides come from the memref's
// strided layout.
//
//===----------------------------------------------------------------------===//

#include "PlanFromKernels.h"
#include "yolo/Target/Halide/Codegen.h"

#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Dialect/YoloKernel/YoloKernel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <variant>

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

std::string mlir::yolo::locationName(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc))
    return n.getName().str();
  if (auto f = dyn_cast<FusedLoc>(loc)) {
    std::string s;
    for (Location l : f.getLocations()) {
      std::string part = locationName(l);
      if (!part.empty())
        s += (s.empty() ? "" : "+") + part;
    }
    return s;
  }
  return "";
}

namespace {

Shape shapeOf(Value v) {
  auto s = cast<ShapedType>(v.getType()).getShape();
  return Shape(s.begin(), s.end());
}

std::vector<ConvTile> tilesOf(std::optional<ArrayAttr> tiles) {
  std::vector<ConvTile> result;
  if (!tiles)
    return result;
  for (Attribute a : *tiles) {
    ArrayRef<int64_t> t = cast<DenseI64ArrayAttr>(a).asArrayRef();
    result.push_back({static_cast<int>(t[0]), static_cast<int>(t[1]),
                      static_cast<int>(t[2])});
  }
  return result;
}

/// Whether `v` is a buffer laid out densely, outermost dimension first:
/// every stride, those of extent-1 dimensions included, is the product of
/// the inner extents (the strides denseInput declares), at any offset.
bool isDense(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.hasStaticShape())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(getStridesAndOffset(type, strides, offset)))
    return false;
  int64_t expected = 1;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    if (strides[d] != expected)
      return false;
    expected *= type.getDimSize(d);
  }
  return true;
}

/// The descriptor of a kernel op.
std::optional<KernelDesc> descriptorOf(Operation *op) {
  auto in = [&](unsigned i) { return shapeOf(op->getOperand(i)); };
  Shape out = shapeOf(op->getOperands().back());
  if (auto c = dyn_cast<yk::Conv2DOp>(op)) {
    auto st = c.getStrides(), pads = c.getPads(), dil = c.getDilations();
    ConvDesc d{in(0),
               in(1),
               out,
               st[0],
               st[1],
               pads[0],
               pads[1],
               dil[0],
               dil[1],
               static_cast<int64_t>(c.getGroups()),
               c.getActivation(),
               c.getAlpha().convertToFloat(),
               tilesOf(c.getTiles()),
               isDense(op->getOperand(1))};
    d.residual = static_cast<bool>(c.getResidual());
    return d;
  }
  if (auto c = dyn_cast<yk::Conv1x1Op>(op)) {
    Conv1x1Desc d{in(0),
                  out,
                  c.getActivation(),
                  c.getAlpha().convertToFloat(),
                  tilesOf(c.getTiles()),
                  isDense(op->getOperand(1))};
    d.residual = static_cast<bool>(c.getResidual());
    return d;
  }
  if (auto c = dyn_cast<yk::ConvWinogradOp>(op)) {
    auto pads = c.getPads();
    WinogradDesc d{in(0),
                   out,
                   static_cast<int64_t>(c.getM()),
                   c.hasRuntimeWeights(),
                   pads[0],
                   pads[1],
                   c.getActivation(),
                   c.getAlpha().convertToFloat(),
                   tilesOf(c.getTiles()),
                   op->hasAttr(yk::kBandAttr),
                   c.getWeightBlock()};
    d.residual = static_cast<bool>(c.getResidual());
    return d;
  }
  if (auto c = dyn_cast<yk::ConvTransposeOp>(op)) {
    auto st = c.getStrides(), pads = c.getPads(), dil = c.getDilations();
    return ConvTransposeDesc{
        in(0),   in(1),   out,    st[0],  st[1],
        pads[0], pads[1], dil[0], dil[1], static_cast<int64_t>(c.getGroups())};
  }
  if (auto p = dyn_cast<yk::MaxPoolOp>(op)) {
    auto k = p.getKernel(), s = p.getStrides(), pads = p.getPads();
    return PoolDesc{PoolKind::Max, in(0), out,     k[0],    k[1],
                    s[0],          s[1],  pads[0], pads[1], false};
  }
  if (auto p = dyn_cast<yk::AvgPoolOp>(op)) {
    auto k = p.getKernel(), s = p.getStrides(), pads = p.getPads();
    return PoolDesc{
        PoolKind::Avg, in(0), out,     k[0],    k[1],
        s[0],          s[1],  pads[0], pads[1], p.getCountIncludePad()};
  }
  if (auto r = dyn_cast<yk::ResizeOp>(op)) {
    if (r.getMode() == ResizeMode::linear) {
      ResizeDesc d{in(0), out};
      d.mode = ResizeMode::linear;
      d.coordinateMode = r.getCoordinateMode();
      d.coordScaleH = (*r.getCoordinateScales())[0];
      d.coordScaleW = (*r.getCoordinateScales())[1];
      return d;
    }
    return ResizeDesc{in(0), out, (*r.getScales())[0], (*r.getScales())[1]};
  }
  if (auto b = dyn_cast<yk::BinaryOp>(op)) {
    return BinaryDesc{b.getKind(), in(0), in(1), out};
  }
  if (auto u = dyn_cast<yk::UnaryOp>(op)) {
    return UnaryDesc{u.getActivation(), u.getAlpha().convertToFloat(), in(0)};
  }
  if (isa<yk::CopyOp>(op)) {
    return CopyDesc{in(0), out};
  }
  if (auto p = dyn_cast<yk::PadOp>(op)) {
    return PadDesc{in(0), out,
                   std::vector<int64_t>(p.getLow().begin(), p.getLow().end()),
                   p.getValue().convertToFloat()};
  }
  if (auto t = dyn_cast<yk::TransposeOp>(op)) {
    return TransposeDesc{
        in(0), out,
        std::vector<int64_t>(t.getPerm().begin(), t.getPerm().end())};
  }
  if (auto s = dyn_cast<yk::SoftmaxOp>(op)) {
    return SoftmaxDesc{in(0), static_cast<int64_t>(s.getAxis())};
  }
  if (isa<yk::MatMulOp>(op)) {
    return MatMulDesc{in(0), in(1), out};
  }
  if (auto r = dyn_cast<yk::ReduceSumOp>(op)) {
    return ReduceSumDesc{
        in(0), out, r.getKeepDims(),
        std::vector<int64_t>(r.getAxes().begin(), r.getAxes().end())};
  }
  return std::nullopt;
}

class Planner {
public:
  Planner(ModuleOp module, func::FuncOp func, ModelPlan &plan)
      : module(module), func(func), plan(plan) {}
  LogicalResult run();

private:
  FailureOr<PlanView> viewOf(Operation *user, Value v);
  FailureOr<int64_t> weightsOffset(memref::GetGlobalOp g);

  ModuleOp module;
  func::FuncOp func;
  ModelPlan &plan;
  /// Where each global's data starts in the blob (elements).
  llvm::DenseMap<Operation *, int64_t> globals;
  std::map<std::string, int> kernelIndex;
};

FailureOr<int64_t> Planner::weightsOffset(memref::GetGlobalOp g) {
  auto global = module.lookupSymbol<memref::GlobalOp>(g.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return g.emitOpError("must name a constant global with a value");
  auto it = globals.find(global);
  if (it != globals.end())
    return it->second;
  std::optional<std::vector<float>> data =
      getElementsFloats(*global.getInitialValue());
  if (!data)
    return global.emitOpError(
        "holds no f32 data to embed (only f32 constants are supported; a "
        "resource blob must carry its data)");
  // 64-byte aligned, like everything in the blob.
  while (plan.weights.size() % 16)
    plan.weights.push_back(0.0f);
  int64_t offset = plan.weights.size();
  plan.weights.insert(plan.weights.end(), data->begin(), data->end());
  globals[global] = offset;
  return offset;
}

FailureOr<PlanView> Planner::viewOf(Operation *user, Value v) {
  auto type = cast<MemRefType>(v.getType());
  PlanView view;
  SmallVector<int64_t> strides;
  if (failed(getStridesAndOffset(type, strides, view.offset)))
    return user->emitOpError("operand without a strided layout");
  view.shape.assign(type.getShape().begin(), type.getShape().end());
  view.strides.assign(strides.begin(), strides.end());
  Value root = yk::getViewRoot(v);
  if (auto arg = dyn_cast<BlockArgument>(root)) {
    unsigned k = arg.getArgNumber();
    if (auto out = func.getArgAttrOfType<IntegerAttr>(k, yk::kOutputAttr)) {
      view.kind = StorageKind::Output;
      view.index = out.getInt();
    } else {
      view.kind = StorageKind::Input;
      view.index = k;
    }
    return view;
  }
  Operation *def = root.getDefiningOp();
  if (auto alloc = dyn_cast<memref::AllocOp>(def)) {
    auto offset = alloc->getAttrOfType<IntegerAttr>(yk::kArenaOffsetAttr);
    if (!offset)
      return alloc.emitOpError("has no ykernel.arena_offset: run "
                               "--yolo-plan-memory");
    view.kind = StorageKind::Arena;
    view.offset += offset.getInt() / 4;
    return view;
  }
  if (auto g = dyn_cast<memref::GetGlobalOp>(def)) {
    FailureOr<int64_t> offset = weightsOffset(g);
    if (failed(offset))
      return failure();
    view.kind = StorageKind::Weights;
    view.offset += *offset;
    return view;
  }
  return def->emitOpError("is not a view of an allocation, a global or an "
                          "argument");
}

LogicalResult Planner::run() {
  auto size = func->getAttrOfType<IntegerAttr>(yk::kArenaSizeAttr);
  if (!size)
    return func.emitOpError("has no ykernel.arena_size: run "
                            "--yolo-lower-to-kernels first");
  plan.arenaElements = size.getInt() / 4;
  if (auto names = module->getAttrOfType<ArrayAttr>("yolo.class_names"))
    for (Attribute n : names)
      if (auto s = dyn_cast<StringAttr>(n))
        plan.classNames.push_back(s.getValue().str());
  for (auto [k, arg] : llvm::enumerate(func.getArguments())) {
    auto type = cast<MemRefType>(arg.getType());
    PlanTensor t;
    auto name = func.getArgAttrOfType<StringAttr>(k, "yolo.name");
    auto out = func.getArgAttrOfType<IntegerAttr>(k, yk::kOutputAttr);
    t.name = name ? name.getValue().str() : (out ? "output" : "input");
    t.shape.assign(type.getShape().begin(), type.getShape().end());
    if (out) {
      if (out.getInt() != static_cast<int64_t>(plan.outputs.size()))
        return func.emitOpError("output arguments must follow the inputs, "
                                "in order");
      plan.outputs.push_back(t);
    } else {
      if (!plan.outputs.empty())
        return func.emitOpError("output arguments must follow the inputs");
      plan.inputs.push_back(t);
    }
  }
  Operation *previous = nullptr;
  for (Operation &op : func.getBody().front()) {
    if (isa<memref::AllocOp, memref::SubViewOp, memref::ReinterpretCastOp,
            memref::GetGlobalOp, func::ReturnOp>(op))
      continue;
    std::optional<KernelDesc> desc =
        yk::isKernel(&op) ? descriptorOf(&op) : std::nullopt;
    if (!desc)
      return op.emitOpError("is not a kernel the Halide back end compiles");
    PlanStep step;
    for (Value operand : op.getOperands()) {
      FailureOr<PlanView> v = viewOf(&op, operand);
      if (failed(v))
        return failure();
      step.args.push_back(*v);
    }
    std::string key = kernelKey(*desc);
    auto it = kernelIndex.find(key);
    if (it == kernelIndex.end()) {
      it = kernelIndex.insert({key, static_cast<int>(plan.kernels.size())})
               .first;
      plan.kernels.push_back(*desc);
    }
    step.kernel = it->second;
    step.name = locationName(op.getLoc());
    if (auto scratch = op.getAttrOfType<DenseI64ArrayAttr>(yk::kScratchAttr);
        scratch && scratch.size() == 2) {
      step.scratchOffset = scratch[0];
      step.scratchBytes = scratch[1];
    }
    if (yk::pairsWithPrevious(&op, previous))
      plan.steps.back().pairsWithNext = true;
    previous = &op;
    plan.steps.push_back(std::move(step));
  }
  return success();
}

} // namespace

LogicalResult mlir::yolo::planFromKernels(ModuleOp module, ModelPlan &plan) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal() || !llvm::hasSingleElement(func.getBody()))
    return module.emitError("expected func.func @main of one block");
  return Planner(module, func, plan).run();
}

void mlir::yolo::printModelPlan(const ModelPlan &plan,
                                ArrayRef<std::string> targets,
                                llvm::raw_ostream &os) {
  auto dims = [&](const std::vector<int64_t> &v, StringRef sep) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i)
      s += (i ? sep.str() : "") + std::to_string(v[i]);
    return s;
  };
  os << "// The plan the Halide back end compiles: the distinct kernels, then\n"
     << "// the steps in order, each on views [shape / strides] of the\n"
     << "// arena, the weights blob or the caller's buffers (offsets in\n"
     << "// elements).\n";
  os << "targets:";
  for (const std::string &t : targets)
    os << " " << t;
  os << "\n";
  for (auto [k, t] : llvm::enumerate(plan.inputs))
    os << "input " << k << " '" << t.name << "': " << dims(t.shape, "x")
       << "\n";
  for (auto [k, t] : llvm::enumerate(plan.outputs))
    os << "output " << k << " '" << t.name << "': " << dims(t.shape, "x")
       << "\n";
  os << "arena: " << plan.arenaElements * 4 << " bytes\n"
     << "weights: " << plan.weights.size() * 4 << " bytes\n";
  for (auto [k, desc] : llvm::enumerate(plan.kernels)) {
    os << "kernel " << k << ": " << describe(desc);
    const std::vector<ConvTile> *tiles = convTiles(desc);
    if (tiles && !tiles->empty()) {
      os << " tiles";
      for (const ConvTile &t : *tiles)
        os << " " << t.lanes << "x" << t.vectors << "x" << t.channels;
    }
    os << "\n";
  }
  static const char *const kinds[] = {"arena", "weights", "input", "output"};
  for (auto [i, step] : llvm::enumerate(plan.steps)) {
    os << "step " << i << ": kernel " << step.kernel;
    if (!step.name.empty())
      os << " '" << step.name << "'";
    os << " scratch @" << step.scratchOffset << " +" << step.scratchBytes;
    if (step.pairsWithNext)
      os << " pair";
    os << "\n";
    for (const PlanView &v : step.args) {
      os << "  " << kinds[static_cast<int>(v.kind)];
      if (v.kind == StorageKind::Input || v.kind == StorageKind::Output)
        os << " " << v.index;
      os << " @" << v.offset << " [" << dims(v.shape, "x") << " / "
         << dims(v.strides, ", ") << "]\n";
    }
  }
}

LogicalResult mlir::yolo::translateToHalidePlan(ModuleOp module,
                                                llvm::raw_ostream &os) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || !func->hasAttr(yk::kArenaSizeAttr))
    return module.emitError(
        "expected a lowered module: run yolo-opt --yolo-optimize "
        "--yolo-lower-to-kernels first");
  ModelPlan plan;
  if (failed(planFromKernels(module, plan)))
    return failure();
  std::vector<std::string> targets;
  if (auto list = func->getAttrOfType<ArrayAttr>(yk::kTargetsAttr))
    for (Attribute a : list)
      targets.push_back(cast<StringAttr>(a).getValue().str());
  printModelPlan(plan, targets, os);
  return success();
}
