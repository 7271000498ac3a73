//===- fuzz-import-onnx.cpp - libFuzzer target for the ONNX importer ------===//
//
// Feeds the bytes to importONNXBuffer as binary protobuf (or, built with
// YOLO_FUZZ_TEXT, as protobuf text format) in an MLIRContext (shared by a
// run of inputs, FuzzContext.h) whose diagnostics are swallowed, then runs
// the yolo-optimize pipeline on what imports. A crash, a sanitizer report, or
// an importer result that names an internal error is a finding. The model
// "lives" in a folder that does not exist, so external data references never
// read real files.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"
#include "yolo/Conversion/ImportONNX.h"
#include "yolo/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;

#ifdef YOLO_FUZZ_TEXT
static const char *kPath = "/nonexistent-yolo-fuzz/model.onnxtxt";
#else
static const char *kPath = "/nonexistent-yolo-fuzz/model.onnx";
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = yolo_fuzz::context();
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  std::string error;
  // The same code paths at a 64th of the default limits of import-time
  // evaluation: at the defaults an input can legitimately take 10 s under
  // ASan, and the fuzzer would spend its time on such inputs.
  yolo::ImportOptions options;
  options.maxHostElements = int64_t(1) << 18;
  options.maxHostElementsTotal = int64_t(1) << 18;
  OwningOpRef<ModuleOp> module =
      yolo::importONNXBuffer(bytes, kPath, &context, options, error);
  if (!module) {
    if (error.empty() || llvm::StringRef(error).contains("internal error")) {
      fprintf(stderr, "importer failed without a proper message: '%s'\n",
              error.c_str());
      abort();
    }
    return 0;
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
