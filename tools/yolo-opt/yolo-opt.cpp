//===- yolo-opt.cpp - the yolo optimizer driver ---------------------------===//
//
// mlir-opt with the yolo dialect and all yolo passes registered.
//
//===----------------------------------------------------------------------===//

#include "yolo/InitAll.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::yolo::registerAllDialects(registry);
  mlir::yolo::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "yolo optimizer driver\n", registry));
}
