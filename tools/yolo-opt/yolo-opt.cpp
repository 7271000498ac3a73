//===- yolo-opt.cpp - the yolo optimizer driver ---------------------------===//
//
// mlir-opt with the yolo dialect and all yolo passes registered. `-o FILE`
// (a regular file) is written through an AtomicOutputFile: a failed or
// interrupted run leaves FILE as it was.
//
//===----------------------------------------------------------------------===//

#include "yolo/InitAll.h"
#include "yolo/Support/AtomicOutput.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/WithColor.h"

int main(int argc, char **argv) {
  llvm::cl::AddExtraVersionPrinter([](llvm::raw_ostream &os) {
    os << "yolo-compiler " YOLO_VERSION_STRING "\n";
  });
  mlir::DialectRegistry registry;
  mlir::yolo::registerAllDialects(registry);
  mlir::yolo::registerAllPasses();
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "yolo optimizer driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing the dialects writes no output file; standard output and
  // destinations that are not regular files (/dev/null) are written in
  // place.
  std::optional<std::string> dest = mlir::yolo::atomicDestination(outputFile);
  if (outputFile == "-" || !dest || config.shouldShowDialects())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));

  std::string error;
  auto output = mlir::yolo::AtomicOutputFile::create(*dest, error);
  if (!output ||
      failed(mlir::MlirOptMain(argc, argv, inputFile, output->tempName(),
                               registry)) ||
      !output->commit(error)) {
    if (!error.empty())
      llvm::WithColor::error(llvm::errs(), "yolo-opt") << error << "\n";
    return 1;
  }
  return 0;
}
