//===- yolo-translate.cpp - ONNX <-> yolo dialect translation -------------===//
//
// `yolo-translate --import-onnx model.onnx [-o out.mlir]
//  [--input-shape=1x3xHxW]` imports an ONNX model into the yolo dialect.
// Errors print `error: <file>: node '<name>' (<op>): <reason>` and exit 1.
// `yolo-translate --export-onnx in.mlir -o out.onnx` writes `@main` of a
// yolo module back as an ONNX model (IR 8, opset 17) for other runtimes;
// ops the exporter cannot write print `error: <file>: '<op>' at <loc>:
// <reason>` and exit 1 without touching the output file.
// `yolo-translate --emit-halide-plan lowered.mlir` prints what the Halide
// back end compiles from a module lowered by `yolo-opt --yolo-optimize
// --yolo-lower-to-kernels`: the kernels and the steps on their views
// (yolo-codegen runs the same translation).
//
//===----------------------------------------------------------------------===//

#include "yolo/Conversion/ExportONNX.h"
#include "yolo/Conversion/ImportONNX.h"
#include "yolo/InitAll.h"
#include "yolo/Support/AtomicOutput.h"
#include "yolo/Target/Halide/Codegen.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <optional>

using namespace mlir;
using namespace llvm;

static cl::OptionCategory category("yolo-translate options");

static cl::opt<bool> importOnnx("import-onnx",
                                cl::desc("import an ONNX model into the yolo "
                                         "dialect"),
                                cl::cat(category));
static cl::opt<bool> exportOnnx("export-onnx",
                                cl::desc("write a yolo module (.mlir) as an "
                                         "ONNX model"),
                                cl::cat(category));
static cl::opt<bool>
    emitHalidePlan("emit-halide-plan",
                   cl::desc("print the kernels and steps the Halide back end "
                            "compiles from a lowered module (yolo-opt "
                            "--yolo-lower-to-kernels)"),
                   cl::cat(category));
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input file>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("output file"),
                                       cl::value_desc("filename"),
                                       cl::init("-"), cl::cat(category));
static cl::opt<std::string>
    inputShape("input-shape",
               cl::desc("pin the input shape, e.g. 1x3x640x640 (needed for "
                        "dynamic dimensions)"),
               cl::cat(category));

static int error(const Twine &message) {
  WithColor::error(errs(), "") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::AddExtraVersionPrinter(
      [](raw_ostream &os) { os << "yolo-compiler " YOLO_VERSION_STRING "\n"; });
  cl::ParseCommandLineOptions(argc, argv, "yolo translation tool\n");

  if (int(importOnnx) + int(exportOnnx) + int(emitHalidePlan) != 1)
    return error("pass exactly one of --import-onnx, --export-onnx and "
                 "--emit-halide-plan");
  if (inputFile.empty())
    return error("no input file");

  DialectRegistry registry;
  yolo::registerAllDialects(registry);
  MLIRContext context(registry);

  // Parse and translation errors of .mlir input are printed as
  // file:line:col with the source line.
  SourceMgr sourceMgr;
  std::optional<SourceMgrDiagnosticHandler> diagnostics;
  auto parseInput = [&]() -> OwningOpRef<ModuleOp> {
    diagnostics.emplace(sourceMgr, &context);
    std::string ioError;
    std::unique_ptr<MemoryBuffer> input = openInputFile(inputFile, &ioError);
    if (!input) {
      error(ioError);
      return nullptr;
    }
    sourceMgr.AddNewSourceBuffer(std::move(input), SMLoc());
    return parseSourceFile<ModuleOp>(sourceMgr, &context);
  };

  if (emitHalidePlan) {
    OwningOpRef<ModuleOp> module = parseInput();
    if (!module)
      return 1;
    std::string text, ioError;
    raw_string_ostream os(text);
    if (failed(yolo::translateToHalidePlan(*module, os)))
      return 1;
    if (!yolo::writeFileAtomically(
            outputFile,
            [&](raw_ostream &out) {
              out << text;
              return true;
            },
            ioError))
      return error(ioError);
    return 0;
  }

  if (exportOnnx) {
    if (outputFile == "-")
      return error("--export-onnx writes a binary file: pass -o FILE.onnx");
    OwningOpRef<ModuleOp> module = parseInput();
    if (!module)
      return 1;
    std::string message;
    if (failed(yolo::exportONNXFile(*module, outputFile, message)))
      return error(inputFile + ": " + message);
    return 0;
  }

  yolo::ImportOptions options;
  if (!inputShape.empty() && !yolo::parseShape(inputShape, options.inputShape))
    return error("--input-shape: expected dimensions like 1x3x640x640, got '" +
                 inputShape + "'");

  std::string message;
  OwningOpRef<ModuleOp> module =
      yolo::importONNXFile(inputFile, &context, options, message);
  if (!module)
    return error(message);

  std::string ioError;
  if (!yolo::writeFileAtomically(
          outputFile,
          [&](raw_ostream &os) {
            module->print(os, OpPrintingFlags());
            return true;
          },
          ioError))
    return error(ioError);
  return 0;
}
