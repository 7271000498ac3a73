//===- yolo-codegen.cpp - YOLO model to a standalone static library -------===//
//
// `yolo-codegen IN.(onnx|mlir) --target=<Halide target> -o OUTDIR
//  [--name=NAME] [--emit=lib|obj] [--emit-runner]` compiles a model into
// OUTDIR/libNAME.a and OUTDIR/NAME.h. An ONNX input is imported and run
// through --yolo-optimize first; an .mlir input is taken as optimized.
//
//===----------------------------------------------------------------------===//

#include "yolo/Conversion/ImportONNX.h"
#include "yolo/InitAll.h"
#include "yolo/Target/Halide/Codegen.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

#include <chrono>

using namespace mlir;
using namespace llvm;

static cl::OptionCategory category("yolo-codegen options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model>"),
                                      cl::cat(category));
static cl::opt<std::string> outputDir("o", cl::desc("output directory"),
                                      cl::value_desc("dir"), cl::init("."),
                                      cl::cat(category));
static cl::opt<std::string>
    target("target",
           cl::desc("Halide target string (e.g. host, "
                    "x86-64-linux-avx2-fma, x86-64-linux-avx512_skylake, "
                    "arm-64-linux), or a list T1,T2,...,BASE for one "
                    "library that picks the best variant at run time"),
           cl::init("host"), cl::cat(category));
static cl::opt<std::string> name("name", cl::desc("library name"),
                                 cl::init("yolo_model"), cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("lib (libNAME.a + NAME.pc, default), obj (one relocatable "
                  "NAME.o), shared (libNAME.so exporting NAME_* only) or "
                  "python (a CPython extension module NAME)"),
         cl::init("lib"), cl::cat(category));
static cl::opt<bool> emitRunner("emit-runner",
                                cl::desc("also build OUTDIR/NAME-run"),
                                cl::cat(category));
static cl::opt<bool> emitDetector(
    "emit-detector",
    cl::desc("also build OUTDIR/NAME-detect (images in, detections out)"),
    cl::cat(category));
static cl::opt<std::string> inputShape("input-shape",
                                       cl::desc("pin dynamic input dimensions"),
                                       cl::cat(category));
static cl::list<std::string> keep("keep",
                                  cl::desc("outputs to keep (yolo-prune-aux)"),
                                  cl::CommaSeparated, cl::cat(category));
static cl::opt<std::string> winograd(
    "winograd",
    cl::desc("3x3 stride-1 convolutions by Winograd F(m x m, 3 x 3) on CPU "
             "targets: auto (F(4x4) for layers of 32+ channels, or 16+ at "
             "80x80+ outputs or where every target's FMAs do 8 lanes a cycle; "
             "the exceptions by target are in --yolo-winograd's description), "
             "off, 2, 4 or 6 (every eligible layer)"),
    cl::init("auto"), cl::cat(category));
static cl::opt<double> winogradWeightGrowth(
    "winograd-weight-growth",
    cl::desc("the most the weights transformed at compile time may add to "
             "the library's weights, as a fraction (0.3: at most 30 % more "
             "weight memory), largest layers first; the other Winograd "
             "layers transform theirs at run time"),
    cl::init(0.3), cl::cat(category));
static cl::opt<bool> winogradRuntimeWeights(
    "winograd-runtime-weights",
    cl::desc("Winograd layers beyond --winograd-weight-growth transform "
             "their weights at run time, one block of output channels at a "
             "time (=false: direct convolutions under --winograd=auto)"),
    cl::init(true), cl::cat(category));
static cl::opt<std::string> avx512Fma(
    "avx512-fma",
    cl::desc("how 512-bit FMAs issue on the AVX-512 variants, which changes "
             "their register tiles: auto (measured on this CPU for --target "
             "host, else half for Zen 4 targets and full for the others), "
             "full (two per cycle: Zen 5, Xeons with two FMA units) or half "
             "(as two 256-bit halves: Zen 4)"),
    cl::init("auto"), cl::cat(category));
static cl::opt<bool> bands(
    "bands",
    cl::desc("split the image kernels into two row bands, each with memory "
             "of its own, that run at once on two threads "
             "(--yolo-split-bands; CPU targets)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> channelBlocks(
    "channel-blocks",
    cl::desc("3x3 stride-2 convolutions of 32+ input channels and output "
             "rows of at most 80 (40 where 512-bit FMAs issue as two "
             "halves) with weights in blocks of output channels (32 on "
             "AVX-512 targets, 16 on AVX2 ones), vectorized along them "
             "(--yolo-channel-blocks; =false: "
             "vectorized along the output row as the others)"),
    cl::init(true), cl::cat(category));
static cl::opt<std::string> fuseResidual(
    "fuse-residual",
    cl::desc("residual additions computed by the convolution before them "
             "(--yolo-fuse-residual; CPU targets): auto (the convolutions "
             "vectorized along the row), all (Winograd and channel-blocked "
             "ones too) or off (the additions as kernels of their own)"),
    cl::init("auto"), cl::cat(category));
static cl::opt<int> jobs("jobs", cl::desc("kernels compiled in parallel"),
                         cl::init(2), cl::cat(category));
static cl::opt<std::string> cc("cc", cl::desc("C compiler for the target"),
                               cl::cat(category));
static cl::opt<std::string> ar("ar", cl::desc("archiver for the target"),
                               cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("no progress output"),
                           cl::cat(category));
static cl::opt<bool> noRuntime(
    "no-runtime",
    cl::desc("leave the Halide runtime and the yolo runtime out of the "
             "library (--emit=lib/obj): link libyolo_runtime.a, made by "
             "--emit-runtime, once per program"),
    cl::cat(category));
static cl::opt<bool> emitRuntime(
    "emit-runtime",
    cl::desc("no model: write OUTDIR/libyolo_runtime.a (Halide runtime for "
             "--target's family + yolo runtime) and libyolo_image.a"),
    cl::cat(category));
static cl::opt<std::string>
    python("python", cl::desc("the interpreter --emit=python builds for"),
           cl::init("python3"), cl::cat(category));
static cl::opt<bool>
    keepTemps("keep-temps",
              cl::desc("keep the intermediates (kernel objects, C sources, "
                       "weights) in OUTDIR/NAME.tmp"),
              cl::cat(category));

static int error(const Twine &message) {
  WithColor::error(errs(), "yolo-codegen") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::AddExtraVersionPrinter(
      [](raw_ostream &os) { os << yolo::versionString() << "\n"; });
  cl::ParseCommandLineOptions(argc, argv, "YOLO model to a static library\n");
  auto start = std::chrono::steady_clock::now();

  if (emit != "lib" && emit != "obj" && emit != "shared" && emit != "python")
    return error("--emit must be 'lib', 'obj', 'shared' or 'python', got '" +
                 emit + "'");
  if (noRuntime && emit != "lib" && emit != "obj")
    return error("--no-runtime applies to --emit=lib and --emit=obj (a " +
                 emit + " module must hold its runtime)");
  if (!std::all_of(name.begin(), name.end(),
                   [](char c) { return isalnum(c) || c == '_'; }) ||
      name.empty() || isdigit(name[0]))
    return error("--name must be a C identifier, got '" + name + "'");

  yolo::CodegenOptions options;
  options.target = target;
  options.name = name;
  options.outputDir = outputDir;
  options.emit = emit;
  options.emitRunner = emitRunner;
  options.emitDetector = emitDetector;
  options.cc = cc;
  options.ar = ar;
  options.jobs = jobs;
  options.winograd = winograd;
  if (winogradWeightGrowth < 0) {
    llvm::errs() << "yolo-codegen: --winograd-weight-growth must be >= 0, got "
                 << winogradWeightGrowth << "\n";
    return 1;
  }
  options.winogradWeightGrowth = winogradWeightGrowth;
  options.winogradRuntimeWeights = winogradRuntimeWeights;
  if (avx512Fma != "auto" && avx512Fma != "full" && avx512Fma != "half") {
    llvm::errs() << "yolo-codegen: --avx512-fma must be auto, full or half, "
                    "got '"
                 << avx512Fma << "'\n";
    return 1;
  }
  options.avx512Fma = avx512Fma;
  options.bands = bands;
  options.channelBlocks = channelBlocks;
  if (fuseResidual != "auto" && fuseResidual != "all" &&
      fuseResidual != "off") {
    llvm::errs() << "yolo-codegen: --fuse-residual must be auto, all or off, "
                    "got '"
                 << fuseResidual << "'\n";
    return 1;
  }
  options.fuseResidual = fuseResidual;
  options.verbose = !quiet;
  options.keepTemps = keepTemps;
  options.noRuntime = noRuntime;
  options.python = python;
  if (emitRuntime) {
    if (!inputFile.empty())
      return error("--emit-runtime takes no model, got '" + inputFile + "'");
    options.name = "yolo_runtime";
    std::string message;
    if (failed(yolo::generateRuntime(options, message)))
      return error(message);
    return 0;
  }
  if (inputFile.empty())
    return error("no model given (yolo-codegen MODEL.onnx|MODEL.mlir "
                 "[options]; --help lists them)");

  DialectRegistry registry;
  yolo::registerAllDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module;
  if (StringRef(inputFile).ends_with(".mlir")) {
    module = parseSourceFile<ModuleOp>(inputFile, &context);
    if (!module)
      return 1;
  } else {
    yolo::ImportOptions options;
    if (!inputShape.empty() &&
        !yolo::parseShape(inputShape, options.inputShape))
      return error("--input-shape: expected dimensions like 1x3x640x640");
    std::string message;
    module = yolo::importONNXFile(inputFile, &context, options, message);
    if (!module)
      return error(message);
    PassManager pm(&context);
    std::vector<std::string> keepList(keep.begin(), keep.end());
    yolo::buildYoloOptimizePipeline(pm, keepList);
    if (failed(pm.run(*module)))
      return error("optimization failed");
  }

  std::string message;
  if (failed(yolo::generateLibrary(*module, options, message)))
    return error(inputFile + ": " + message);
  if (!quiet)
    errs() << format(
        "yolo-codegen: done in %.1f s\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  return 0;
}
