//===- kiln-opt.cpp - run kiln passes one at a time, opt-style ------------===//

#include "dialects/Kiln/KilnDialect.h"
#include "codegen/CPU/Pipeline.h"
#include "codegen/Library/Passes.h"
#include "codegen/Linalg/Passes.h"
#include "passes/Graph/Passes.h"
#include "passes/Quant/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::kiln::KilnDialect, mlir::arith::ArithDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::func::FuncDialect, mlir::LLVM::LLVMDialect,
                  mlir::linalg::LinalgDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::quant::QuantDialect,
                  mlir::scf::SCFDialect, mlir::tensor::TensorDialect,
                  mlir::vector::VectorDialect>();
  mlir::registerTransformsPasses();
  mlir::kiln::registerKilnGraphPasses();
  mlir::kiln::registerKilnGraphPipeline();
  mlir::kiln::registerKilnQuantPasses();
  mlir::kiln::registerKilnLinalgPasses();
  mlir::kiln::registerKilnLibraryPasses();
  mlir::kiln::registerCPUPipelines();
  mlir::kiln::registerCodegenDialects(registry);
  // Upstream passes, to run the lowering one step at a time.
  mlir::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Kiln optimizer driver\n", registry));
}
