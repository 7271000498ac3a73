//===- Bufferize.cpp - yolo tensor ops to ykernel ops on memrefs ----------===//
//
// Rewrites @main into one block of kernel calls on memref views. The
// placement of values into concat buffers and the caller's output buffers
// is decided first (last concat first, so that a concat placed inside an
// outer one hands its placement on to its own inputs); then each op is
// lowered in order, writing into its placement or a fresh allocation.
// Most ops become one kernel; a transposed convolution whose kernel is its
// stride becomes a 1x1 convolution and a transpose (lowerUpsampling).
//
//===----------------------------------------------------------------------===//

#include "yolo/Dialect/Yolo/YoloOps.h"
#include "yolo/Dialect/Yolo/YoloUtils.h"
#include "yolo/Lowering/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::yolo {
#define GEN_PASS_DEF_YOLOBUFFERIZE
#include "yolo/Lowering/Passes.h.inc"
} // namespace mlir::yolo

using namespace mlir;
using namespace mlir::yolo;
namespace yk = mlir::ykernel;

namespace {

SmallVector<int64_t> rowMajor(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

using yk::getViewLayout;
using yk::getViewRoot;

bool isContiguous(Value view) {
  auto type = cast<MemRefType>(view.getType());
  return ArrayRef<int64_t>(getViewLayout(view).strides) ==
         ArrayRef<int64_t>(rowMajor(type.getShape()));
}

/// The strides of `view` reshaped to `shape` without moving an element, or
/// nothing where that needs a copy: each run of dimensions the reshape
/// merges or splits must be contiguous within itself in the view (a
/// channel slice [1, 64, A] of [1, 144, A] seen as [1, 4, 16, A]; a
/// [1, C, H, W] slot of a [1, C, A] buffer seen as [1, C, H * W]).
/// Dimensions of size 1 take any stride; they get the next one's.
std::optional<SmallVector<int64_t>> reshapeStrides(Value view,
                                                   ArrayRef<int64_t> shape) {
  ArrayRef<int64_t> oldShape = cast<MemRefType>(view.getType()).getShape();
  SmallVector<int64_t> viewStrides = getViewLayout(view).strides;
  SmallVector<int64_t> oldDims, oldStrides, newDims;
  for (auto [d, s] : llvm::zip(oldShape, viewStrides))
    if (d != 1) {
      oldDims.push_back(d);
      oldStrides.push_back(s);
    }
  for (int64_t d : shape)
    if (d != 1)
      newDims.push_back(d);
  SmallVector<int64_t> newStrides(newDims.size(), 1);
  size_t oi = 0, ni = 0;
  while (oi < oldDims.size() && ni < newDims.size()) {
    size_t oj = oi + 1, nj = ni + 1;
    int64_t op = oldDims[oi], np = newDims[ni];
    while (op != np) {
      if (np < op && nj < newDims.size())
        np *= newDims[nj++];
      else if (op < np && oj < oldDims.size())
        op *= oldDims[oj++];
      else
        return std::nullopt;
    }
    for (size_t k = oi; k + 1 < oj; ++k)
      if (oldStrides[k] != oldDims[k + 1] * oldStrides[k + 1])
        return std::nullopt;
    newStrides[nj - 1] = oldStrides[oj - 1];
    for (size_t k = nj - 1; k > ni; --k)
      newStrides[k - 1] = newStrides[k] * newDims[k];
    oi = oj;
    ni = nj;
  }
  if (oi != oldDims.size() || ni != newDims.size())
    return std::nullopt;
  SmallVector<int64_t> strides(shape.size(), 1);
  int64_t next = 1;
  size_t k = newDims.size();
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] != 1) {
      strides[d] = newStrides[--k];
      next = strides[d] * shape[d];
    } else {
      strides[d] = next;
    }
  }
  return strides;
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Values a kernel computes (not views, not constants).
bool isKernelValue(Value v) {
  Operation *def = v.getDefiningOp();
  return def && !isa<ConstantOp, SliceOp, SplitOp, ReshapeOp>(def);
}

/// The number of concat inputs, from position `i` on, that are unit-stride
/// slices or split pieces along `axis` of one kernel-computed tensor, in
/// order and covering it whole; 0 when they are not.
size_t piecesOfOneTensor(OperandRange inputs, size_t i, int64_t axis) {
  Operation *first = inputs[i].getDefiningOp();
  if (!first || !isa<SliceOp, SplitOp>(first))
    return 0;
  Value src = first->getOperand(0);
  if (!isKernelValue(src))
    return 0;
  ArrayRef<int64_t> srcShape = shapeOf(src);
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
    } else if (auto split = dyn_cast<SplitOp>(op)) {
      unsigned k = cast<OpResult>(in).getResultNumber();
      int64_t start = 0;
      for (unsigned j = 0; j < k; ++j)
        start += split.getSizes()[j];
      if (static_cast<int64_t>(split.getAxis()) != axis || start != covered)
        return 0;
      covered += split.getSizes()[k];
    } else {
      return 0;
    }
  }
  return covered == srcShape[axis] ? n : 0;
}

class Bufferizer {
public:
  Bufferizer(ModuleOp module, func::FuncOp func)
      : module(module), func(func), symbols(module),
        builder(func.getContext()) {}
  LogicalResult run();

private:
  LogicalResult place(Block &newBlock);
  LogicalResult lower(Operation *op);
  Value bufferOf(Value v) { return buffers.lookup(v); }
  Value alloc(Location loc, ArrayRef<int64_t> shape);
  /// The view a kernel computing `v` writes into.
  Value outputFor(Value v);
  Value subview(Location loc, Value base, int64_t axis, int64_t offset,
                int64_t size);
  /// A constant global holding `value` (its name made unique).
  memref::GlobalOp global(Location loc, StringRef name, ElementsAttr value);
  Value getGlobal(Location loc, memref::GlobalOp g);
  /// A view of the shared zero global of `n` elements.
  Value zeros(Location loc, int64_t n);
  void copy(Location loc, Value from, Value to);
  /// The kernel op `T` reading `inputs`, writing `output`.
  template <typename T, typename... Args>
  void kernel(Operation *op, ValueRange inputs, Value output, Args &&...args) {
    builder.create<T>(op->getLoc(), inputs, output,
                      std::forward<Args>(args)...);
  }
  LogicalResult checkInnermost(Operation *op);
  /// A transposed convolution whose kernel equals its stride (no pads,
  /// dilation or output padding) with constant weights, as a 1x1
  /// convolution to C_out * K_h * K_w channels and a transpose that
  /// interleaves them into `output`; fails, creating nothing, otherwise.
  LogicalResult lowerUpsampling(ConvTransposeOp conv, Value output);
  /// A grouped convolution of 8 or more input and output channels per
  /// group, as one ungrouped convolution per group on channel slices of
  /// its input and output (its own weights when they are constant); fails,
  /// creating nothing, otherwise.
  LogicalResult lowerGroups(Conv2DOp conv, Value input, Value w, Value bias,
                            Value output);

  ModuleOp module;
  func::FuncOp func;
  SymbolTable symbols;
  OpBuilder builder;
  llvm::DenseMap<Value, Value> buffers, placed;
  llvm::DenseMap<int64_t, memref::GlobalOp> zeroGlobals;
  SmallVector<Value> outputs;
};

Value Bufferizer::alloc(Location loc, ArrayRef<int64_t> shape) {
  auto type = MemRefType::get(shape, builder.getF32Type());
  return builder.create<memref::AllocOp>(loc, type);
}

Value Bufferizer::subview(Location loc, Value base, int64_t axis,
                          int64_t offset, int64_t size) {
  auto shape = shapeOf(base);
  SmallVector<int64_t> offsets(shape.size(), 0), sizes(shape),
      strides(shape.size(), 1);
  offsets[axis] = offset;
  sizes[axis] = size;
  return builder.create<memref::SubViewOp>(loc, base, offsets, sizes, strides);
}

memref::GlobalOp Bufferizer::global(Location loc, StringRef name,
                                    ElementsAttr value) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  auto type =
      MemRefType::get(tensorType.getShape(), tensorType.getElementType());
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(func);
  auto g = builder.create<memref::GlobalOp>(
      loc, name, builder.getStringAttr("private"), type, value,
      /*constant=*/true, builder.getI64IntegerAttr(64));
  symbols.insert(g); // renames on a clash
  return g;
}

Value Bufferizer::getGlobal(Location loc, memref::GlobalOp g) {
  return builder.create<memref::GetGlobalOp>(loc, g.getType(), g.getSymName());
}

Value Bufferizer::zeros(Location loc, int64_t n) {
  auto it = zeroGlobals.find(n);
  if (it == zeroGlobals.end()) {
    auto type = RankedTensorType::get({n}, builder.getF32Type());
    it = zeroGlobals
             .insert({n, global(loc, "zeros_" + std::to_string(n),
                                DenseElementsAttr::get(type, 0.0f))})
             .first;
  }
  return getGlobal(loc, it->second);
}

void Bufferizer::copy(Location loc, Value from, Value to) {
  builder.create<yk::CopyOp>(loc, ValueRange{from}, to);
}

Value Bufferizer::outputFor(Value v) {
  if (Value p = placed.lookup(v))
    return p;
  return alloc(v.getLoc(), shapeOf(v));
}

/// Decides, before anything is lowered, which values are written straight
/// into a concat's buffer or into the caller's output buffer. The buffers
/// and views are created at the start of the function.
LogicalResult Bufferizer::place(Block &newBlock) {
  builder.setInsertionPointToStart(&newBlock);
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  llvm::DenseSet<Value> returned;
  for (auto [k, v] : llvm::enumerate(ret.getOperands()))
    if (isKernelValue(v) && returned.insert(v).second)
      placed[v] = outputs[k];
  SmallVector<ConcatOp> concats;
  func.walk([&](ConcatOp c) { concats.push_back(c); });
  for (ConcatOp c : llvm::reverse(concats)) {
    Value base = placed.lookup(c.getResult());
    if (!base)
      base = alloc(c.getLoc(), c.getType().getShape());
    placed[c.getResult()] = base;
    int64_t axis = c.getAxis(), offset = 0;
    auto inputs = c.getInputs();
    for (size_t i = 0; i < inputs.size(); ++i) {
      Value in = inputs[i];
      int64_t size = shapeOf(in)[axis];
      size_t n = piecesOfOneTensor(inputs, i, axis);
      Value src = n ? inputs[i].getDefiningOp()->getOperand(0) : Value();
      if (n && !placed.count(src)) {
        int64_t total = shapeOf(src)[axis];
        placed[src] = subview(src.getLoc(), base, axis, offset, total);
        offset += total;
        i += n - 1;
        continue;
      }
      // A reshape of a tensor made only for this concat (YOLO's head: each
      // level's [1, 144, H, W] seen as [1, 144, H * W], concatenated along
      // the anchors): the tensor is made in its slot, seen in its own
      // shape, where the reshape can view the slot without a copy.
      if (auto r = in.getDefiningOp<ReshapeOp>()) {
        Value src = r.getInput();
        if (isKernelValue(src) && !placed.count(src) && in.hasOneUse() &&
            src.hasOneUse()) {
          Value slot = subview(in.getLoc(), base, axis, offset, size);
          if (std::optional<SmallVector<int64_t>> strides =
                  reshapeStrides(slot, shapeOf(src))) {
            placed[src] = yk::createReinterpretedView(
                builder, src.getLoc(), slot, shapeOf(src), *strides);
            offset += size;
            continue;
          }
          slot.getDefiningOp()->erase();
        }
      }
      bool single = llvm::count(c.getInputs(), in) == 1;
      bool usedByOtherConcat = llvm::any_of(in.getUsers(), [&](Operation *u) {
        return u != c.getOperation() && isa<ConcatOp>(u);
      });
      if (isKernelValue(in) && single && !usedByOtherConcat &&
          !placed.count(in))
        placed[in] = subview(in.getLoc(), base, axis, offset, size);
      offset += size;
    }
  }
  return success();
}

LogicalResult Bufferizer::checkInnermost(Operation *op) {
  for (Value operand : op->getOperands()) {
    Value view = bufferOf(operand);
    if (!view)
      return op->emitOpError("operand has no buffer (internal error)");
    yk::ViewLayout l = getViewLayout(view);
    if (!l.strides.empty() && l.strides.back() != 1)
      return op->emitOpError("strided access along the innermost dimension "
                             "is not supported");
  }
  return success();
}

// Each group of a grouped convolution is a convolution of its own: input
// channels [g C_in/G, (g + 1) C_in/G) to output channels [g C_out/G,
// (g + 1) C_out/G). Lowered one group at a time, a group gets what an
// ungrouped layer of its size gets: Winograd, the 1x1 matrix product, a
// register tile within the group. In one grouped kernel the channels of a
// register tile straddled groups, so each loaded its own input vectors
// (YOLOv9's box head: 3x3, 64 channels in 4 groups, 38 GFLOP/s on one
// core, gelan-t 640, against 70-120 for its ungrouped layers).
// Depthwise-like groups (fewer than 8 channels) stay one kernel.
LogicalResult Bufferizer::lowerGroups(Conv2DOp conv, Value input, Value w,
                                      Value bias, Value output) {
  int64_t groups = static_cast<int64_t>(conv.getGroups());
  ArrayRef<int64_t> ws = conv.getWeight().getType().getShape();
  int64_t cinG = ws[1], coutG = ws[0] / groups;
  if (groups == 1 || cinG < 8 || coutG < 8)
    return failure();
  std::optional<std::vector<float>> weights =
      getConstantFloats(conv.getWeight());
  Location loc = conv.getLoc();
  int64_t perGroup = coutG * cinG * ws[2] * ws[3];
  for (int64_t g = 0; g < groups; ++g) {
    Value wg;
    if (weights) {
      auto type = RankedTensorType::get({coutG, cinG, ws[2], ws[3]},
                                        builder.getF32Type());
      ArrayRef<float> slice(weights->data() + g * perGroup, perGroup);
      wg = getGlobal(loc,
                     global(loc, "cst", DenseElementsAttr::get(type, slice)));
    } else {
      wg = subview(loc, w, 0, g * coutG, coutG);
    }
    Value ig = subview(loc, input, 1, g * cinG, cinG);
    Value bg = subview(loc, bias, 0, g * coutG, coutG);
    Value og = subview(loc, output, 1, g * coutG, coutG);
    builder.create<yk::Conv2DOp>(
        loc, ValueRange{ig, wg, bg}, og, conv.getStridesAttr(),
        conv.getPadsAttr(), conv.getDilationsAttr(),
        builder.getI64IntegerAttr(1),
        ActivationAttr::get(builder.getContext(), conv.getActivation()),
        conv.getAlphaAttr(), ArrayAttr());
  }
  return success();
}

// Kernel K = stride, no padding: each input pixel fills its own K_h x K_w
// block of the output, so the transposed convolution is a matrix product
// (out channel (co, ky, kx) of input pixel p = sum over ci of
// w[ci, co, ky, kx] * in[ci, p]) followed by moving channel (co, ky, kx)
// of pixel (y, x) to output pixel (y * K_h + ky, x * K_w + kx). The product
// is a 1x1 convolution (SelectKernels gives it the matrix-product kernel
// and its register tile), the move a transpose of
// [N, C_out, K_h, K_w, H, W] into the output viewed as
// [N, C_out, H, K_h, W, K_w]. Ultralytics' 2x2 upsampling of the mask
// prototypes (256 channels, 80x80 to 160x160) takes about 85 ms on one
// core of the x86 VM this was measured on, as long as onnxruntime's; the
// gather kernel took 980 ms.
LogicalResult Bufferizer::lowerUpsampling(ConvTransposeOp conv, Value output) {
  auto wTy = conv.getWeight().getType();
  auto inTy = conv.getInput().getType();
  auto outTy = conv.getType();
  ArrayRef<int64_t> w = wTy.getShape(), x = inTy.getShape(),
                    y = outTy.getShape();
  int64_t kh = w[2], kw = w[3];
  if (conv.getStrides()[0] != kh || conv.getStrides()[1] != kw ||
      llvm::any_of(conv.getPads(), [](int64_t p) { return p != 0; }) ||
      llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
      y[2] != x[2] * kh || y[3] != x[3] * kw)
    return failure();
  std::optional<std::vector<float>> weights =
      getConstantFloats(conv.getWeight());
  if (!weights)
    return failure();
  std::optional<std::vector<float>> bias;
  if (conv.getBias() && !(bias = getConstantFloats(conv.getBias())))
    return failure();
  // Weights [C_in, C_out / g, K_h, K_w] to [C_out * K_h * K_w, C_in / g]:
  // row (co, ky, kx), rows of group g first, as a convolution groups them.
  int64_t groups = static_cast<int64_t>(conv.getGroups());
  int64_t cin = x[1], cinG = cin / groups, coutG = w[1], cout = y[1];
  int64_t taps = kh * kw, rows = cout * taps;
  std::vector<float> product(rows * cinG), productBias(rows, 0.0f);
  for (int64_t co = 0; co < cout; ++co) {
    int64_t g = co / coutG, cog = co % coutG;
    for (int64_t t = 0; t < taps; ++t) {
      int64_t row = co * taps + t;
      for (int64_t c = 0; c < cinG; ++c)
        product[row * cinG + c] =
            (*weights)[((g * cinG + c) * coutG + cog) * taps + t];
      if (bias)
        productBias[row] = (*bias)[co];
    }
  }
  Location loc = conv.getLoc();
  auto f32 = builder.getF32Type();
  auto wType = RankedTensorType::get({rows, cinG, 1, 1}, f32);
  auto bType = RankedTensorType::get({rows}, f32);
  Value pw =
      getGlobal(loc, global(loc, "cst",
                            DenseElementsAttr::get(wType, ArrayRef(product))));
  Value pb = getGlobal(
      loc,
      global(loc, "cst", DenseElementsAttr::get(bType, ArrayRef(productBias))));
  Value channels = alloc(loc, {x[0], rows, x[2], x[3]});
  builder.create<yk::Conv2DOp>(
      loc, ValueRange{bufferOf(conv.getInput()), pw, pb}, channels,
      builder.getDenseI64ArrayAttr({1, 1}),
      builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(groups),
      ActivationAttr::get(builder.getContext(), Activation::none),
      builder.getF32FloatAttr(0.0f), ArrayAttr());
  SmallVector<int64_t> blocks = {x[0], cout, kh, kw, x[2], x[3]};
  Value from = yk::createReinterpretedView(builder, loc, channels, blocks,
                                           rowMajor(blocks));
  yk::ViewLayout layout = getViewLayout(output);
  ArrayRef<int64_t> st = layout.strides;
  Value to = yk::createReinterpretedView(
      builder, loc, output, {y[0], cout, x[2], kh, x[3], kw},
      {st[0], st[1], st[2] * kh, st[2], kw, 1});
  builder.create<yk::TransposeOp>(
      loc, ValueRange{from}, to,
      builder.getDenseI64ArrayAttr({0, 1, 4, 2, 5, 3}));
  return success();
}

LogicalResult Bufferizer::lower(Operation *op) {
  // Views and constants need no kernel; every other op reads unit-stride
  // rows.
  if (!isa<ConstantOp, SliceOp, SplitOp, ReshapeOp>(op) &&
      failed(checkInnermost(op)))
    return failure();
  Location loc = op->getLoc();
  auto in = [&](unsigned i) { return bufferOf(op->getOperand(i)); };
  auto out = [&](unsigned i = 0) {
    Value o = outputFor(op->getResult(i));
    buffers[op->getResult(i)] = o;
    return o;
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ConstantOp c) -> LogicalResult {
        auto type = cast<RankedTensorType>(c.getType());
        auto value = dyn_cast<ElementsAttr>(c.getValue());
        if (!type.getElementType().isF32() || !value)
          return op->emitOpError("only f32 constants are supported");
        buffers[c.getResult()] = getGlobal(loc, global(loc, "cst", value));
        return success();
      })
      .Case([&](ReshapeOp r) -> LogicalResult {
        Value src = in(0);
        ArrayRef<int64_t> shape = r.getShape();
        std::optional<SmallVector<int64_t>> strides =
            reshapeStrides(src, shape);
        if (!strides) {
          Value tmp = alloc(loc, shapeOf(src));
          copy(loc, src, tmp);
          src = tmp;
          strides = rowMajor(shape);
        }
        Value view =
            yk::createReinterpretedView(builder, loc, src, shape, *strides);
        if (Value p = placed.lookup(r.getResult())) {
          copy(loc, view, p);
          view = p;
        }
        buffers[r.getResult()] = view;
        return success();
      })
      .Case([&](SliceOp s) -> LogicalResult {
        buffers[s.getResult()] = builder.create<memref::SubViewOp>(
            loc, in(0), s.getOffsets(), s.getSizes(), s.getStrides());
        return success();
      })
      .Case([&](SplitOp s) -> LogicalResult {
        int64_t offset = 0;
        for (auto [k, r] : llvm::enumerate(s.getResults())) {
          int64_t size = s.getSizes()[k];
          buffers[r] = subview(loc, in(0), s.getAxis(), offset, size);
          offset += size;
        }
        return success();
      })
      .Case([&](ConcatOp c) -> LogicalResult {
        Value base = placed.lookup(c.getResult());
        int64_t offset = 0;
        for (Value input : c.getInputs()) {
          int64_t size = shapeOf(input)[c.getAxis()];
          Value src = bufferOf(input);
          // Already there: written in place by its producer.
          auto target = memref::SubViewOp::inferResultType(
              cast<MemRefType>(base.getType()),
              [&] {
                SmallVector<int64_t> o(shapeOf(base).size(), 0);
                o[c.getAxis()] = offset;
                return o;
              }(),
              [&] {
                SmallVector<int64_t> s(shapeOf(base));
                s[c.getAxis()] = size;
                return s;
              }(),
              SmallVector<int64_t>(shapeOf(base).size(), 1));
          yk::ViewLayout want;
          (void)getStridesAndOffset(cast<MemRefType>(target), want.strides,
                                    want.offset);
          yk::ViewLayout have = getViewLayout(src);
          bool inPlace = getViewRoot(src) == getViewRoot(base) &&
                         have.offset == want.offset &&
                         have.strides == want.strides;
          if (!inPlace)
            copy(loc, src, subview(loc, base, c.getAxis(), offset, size));
          offset += size;
        }
        buffers[c.getResult()] = base;
        return success();
      })
      .Case([&](Conv2DOp conv) -> LogicalResult {
        Value w = in(1);
        if (!isContiguous(w))
          return op->emitOpError("weights must be contiguous");
        Value bias =
            conv.getBias() ? in(2) : zeros(loc, shapeOf(conv.getWeight())[0]);
        Value input = in(0), output = out();
        if (succeeded(lowerGroups(conv, input, w, bias, output)))
          return success();
        kernel<yk::Conv2DOp>(
            op, ValueRange{input, w, bias}, output, conv.getStridesAttr(),
            conv.getPadsAttr(), conv.getDilationsAttr(),
            builder.getI64IntegerAttr(conv.getGroups()),
            ActivationAttr::get(builder.getContext(), conv.getActivation()),
            conv.getAlphaAttr(), ArrayAttr());
        return success();
      })
      .Case([&](ConvTransposeOp conv) -> LogicalResult {
        Value w = in(1);
        if (!isContiguous(w))
          return op->emitOpError("weights must be contiguous");
        Value output = out();
        if (succeeded(lowerUpsampling(conv, output)))
          return success();
        Value bias =
            conv.getBias() ? in(2) : zeros(loc, conv.getType().getDimSize(1));
        Value input = in(0);
        kernel<yk::ConvTransposeOp>(
            op, ValueRange{input, w, bias}, output, conv.getStridesAttr(),
            conv.getPadsAttr(), conv.getDilationsAttr(),
            conv.getOutputPaddingAttr(),
            builder.getI64IntegerAttr(conv.getGroups()));
        return success();
      })
      .Case([&](BatchNormOp) -> LogicalResult {
        return op->emitOpError(
            "reached the back end: run --yolo-optimize first (it folds "
            "batch_norm into the producing convolution, or into mul and "
            "add)");
      })
      .Case<AddOp, SubOp, MulOp, DivOp>([&](Operation *) -> LogicalResult {
        yk::BinaryKind kind = isa<AddOp>(op)   ? yk::BinaryKind::add
                              : isa<SubOp>(op) ? yk::BinaryKind::sub
                              : isa<MulOp>(op) ? yk::BinaryKind::mul
                                               : yk::BinaryKind::div;
        Value l = in(0), r = in(1);
        kernel<yk::BinaryOp>(
            op, ValueRange{l, r}, out(),
            yk::BinaryKindAttr::get(builder.getContext(), kind));
        return success();
      })
      .Case<SiLUOp, SigmoidOp, ReLUOp, LeakyReLUOp>(
          [&](Operation *) -> LogicalResult {
            Activation act = isa<SiLUOp>(op)      ? Activation::silu
                             : isa<SigmoidOp>(op) ? Activation::sigmoid
                             : isa<ReLUOp>(op)    ? Activation::relu
                                                  : Activation::leaky_relu;
            float alpha = 0.0f;
            if (auto l = dyn_cast<LeakyReLUOp>(op))
              alpha = l.getAlpha().convertToFloat();
            Value x = in(0);
            kernel<yk::UnaryOp>(op, ValueRange{x}, out(),
                                ActivationAttr::get(builder.getContext(), act),
                                builder.getF32FloatAttr(alpha));
            return success();
          })
      .Case([&](MaxPoolOp p) -> LogicalResult {
        Value x = in(0);
        kernel<yk::MaxPoolOp>(op, ValueRange{x}, out(), p.getKernelAttr(),
                              p.getStridesAttr(), p.getPadsAttr());
        return success();
      })
      .Case([&](AvgPoolOp p) -> LogicalResult {
        Value x = in(0);
        kernel<yk::AvgPoolOp>(op, ValueRange{x}, out(), p.getKernelAttr(),
                              p.getStridesAttr(), p.getPadsAttr(),
                              builder.getBoolAttr(p.getCountIncludePad()));
        return success();
      })
      .Case([&](ResizeOp r) -> LogicalResult {
        Value x = in(0);
        kernel<yk::ResizeOp>(op, ValueRange{x}, out(), r.getScalesAttr(),
                             r.getModeAttr(), r.getCoordinateModeAttr(),
                             r.getCoordinateScalesAttr());
        return success();
      })
      .Case([&](PadOp p) -> LogicalResult {
        size_t rank = p.getType().getRank();
        Value x = in(0);
        kernel<yk::PadOp>(
            op, ValueRange{x}, out(),
            builder.getDenseI64ArrayAttr(p.getPads().take_front(rank)),
            p.getValueAttr());
        return success();
      })
      .Case([&](TransposeOp t) -> LogicalResult {
        Value x = in(0);
        kernel<yk::TransposeOp>(op, ValueRange{x}, out(), t.getPermAttr());
        return success();
      })
      .Case([&](SoftmaxOp s) -> LogicalResult {
        Value x = in(0);
        kernel<yk::SoftmaxOp>(op, ValueRange{x}, out(), s.getAxisAttr());
        return success();
      })
      .Case([&](MatMulOp) -> LogicalResult {
        // The kernel takes operands of the output's rank: a shorter one
        // gets leading 1s (broadcast batch dimensions), as a view.
        size_t rank = shapeOf(op->getResult(0)).size();
        auto ofRank = [&](Value view) {
          ArrayRef<int64_t> shape = shapeOf(view);
          if (shape.size() == rank)
            return view;
          yk::ViewLayout l = getViewLayout(view);
          SmallVector<int64_t> s(rank - shape.size(), 1), st;
          s.append(shape.begin(), shape.end());
          st.assign(rank - shape.size(), l.strides.front() * shape.front());
          st.append(l.strides.begin(), l.strides.end());
          return yk::createReinterpretedView(builder, loc, view, s, st);
        };
        Value l = ofRank(in(0)), r = ofRank(in(1));
        kernel<yk::MatMulOp>(op, ValueRange{l, r}, out());
        return success();
      })
      .Case([&](ReduceSumOp r) -> LogicalResult {
        Value x = in(0);
        kernel<yk::ReduceSumOp>(op, ValueRange{x}, out(), r.getAxesAttr(),
                                builder.getBoolAttr(r.getKeepDims()));
        return success();
      })
      .Default([&](Operation *) -> LogicalResult {
        return op->emitOpError("not supported by the code generator");
      });
}

LogicalResult Bufferizer::run() {
  if (!llvm::hasSingleElement(func.getBody()))
    return func.emitOpError("must have one block");
  Block &oldBlock = func.getBody().front();
  auto *newBlock = new Block();
  func.getBody().push_back(newBlock);
  MLIRContext *ctx = func.getContext();
  // Arguments: the inputs, then one output buffer per result.
  SmallVector<Type> argTypes;
  for (BlockArgument arg : oldBlock.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return func.emitOpError()
             << "argument " << arg.getArgNumber()
             << " is not a static f32 tensor: " << arg.getType();
    Value m = newBlock->addArgument(
        MemRefType::get(type.getShape(), type.getElementType()), arg.getLoc());
    buffers[arg] = m;
    argTypes.push_back(m.getType());
  }
  auto ret = cast<func::ReturnOp>(oldBlock.getTerminator());
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return func.emitOpError()
             << "result " << k
             << " is not a static f32 tensor: " << v.getType();
    outputs.push_back(newBlock->addArgument(
        MemRefType::get(type.getShape(), type.getElementType()), v.getLoc()));
    argTypes.push_back(outputs.back().getType());
  }
  if (failed(place(*newBlock)))
    return failure();
  builder.setInsertionPointToEnd(newBlock);
  for (Operation &op : oldBlock.without_terminator())
    if (failed(lower(&op)))
      return failure();
  // Results not computed in place (views, inputs, constants): copied.
  for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
    Value src = bufferOf(v);
    if (src == outputs[k])
      continue;
    copy(v.getLoc(), src, outputs[k]);
  }
  builder.create<func::ReturnOp>(ret.getLoc());
  // Constants no kernel reads (the weights of an upsampling that
  // lowerUpsampling rearranged into new globals) leave no global behind.
  for (Operation &op : llvm::make_early_inc_range(*newBlock))
    if (auto g = dyn_cast<memref::GetGlobalOp>(op); g && g.use_empty())
      g.erase();
  for (auto g : llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
    if (SymbolTable::symbolKnownUseEmpty(g, module))
      g.erase();
  // The new signature: argument attributes kept, result attributes moved
  // to the output arguments.
  unsigned numInputs = oldBlock.getNumArguments();
  SmallVector<DictionaryAttr> argAttrs;
  for (unsigned i = 0; i < numInputs; ++i)
    argAttrs.push_back(func.getArgAttrDict(i));
  for (unsigned k = 0; k < outputs.size(); ++k) {
    NamedAttrList attrs(func.getResultAttrDict(k));
    attrs.set(yk::kOutputAttr, IntegerAttr::get(IntegerType::get(ctx, 64), k));
    argAttrs.push_back(attrs.getDictionary(ctx));
  }
  oldBlock.dropAllDefinedValueUses();
  oldBlock.erase();
  func.setType(FunctionType::get(ctx, argTypes, {}));
  func.setAllArgAttrs(argAttrs);
  func->removeAttr(func.getResAttrsAttrName());
  return success();
}

struct YoloBufferizePass
    : public yolo::impl::YoloBufferizeBase<YoloBufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("main");
    if (!func || func.isExternal()) {
      module.emitError("expected func.func @main with a body");
      return signalPassFailure();
    }
    Bufferizer b(module, func);
    if (failed(b.run()))
      signalPassFailure();
  }
};

} // namespace
