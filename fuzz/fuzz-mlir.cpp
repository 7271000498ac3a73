//===- fuzz-mlir.cpp - libFuzzer target for the .mlir path of the tools ---===//
//
// What yolo-opt and yolo-codegen do with a .mlir file: parse it (the parser
// verifies), and on success print it and parse the printed form again (it
// must round-trip), then run the yolo-optimize pipeline; a module the
// pipeline accepts must still verify. Diagnostics are swallowed; crashes,
// sanitizer reports and broken round-trips or pipelines are findings.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"
#include "yolo/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = yolo_fuzz::context();
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  // The tools read files into NUL-terminated buffers, and MLIR's lexer
  // relies on that terminator: give it one.
  std::string text(reinterpret_cast<const char *>(data), size);
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module)
    return 0;

  std::string printed;
  {
    llvm::raw_string_ostream os(printed);
    module->print(os);
  }
  if (!parseSourceString<ModuleOp>(printed, config)) {
    fprintf(stderr, "the printed module does not parse again:\n%s\n",
            printed.c_str());
    abort();
  }

  PassManager pm(&context);
  pm.enableVerifier(false);
  yolo::buildYoloOptimizePipeline(pm);
  if (succeeded(pm.run(*module)) && failed(verify(*module))) {
    fprintf(stderr, "yolo-optimize produced a module that does not verify\n");
    abort();
  }
  return 0;
}
