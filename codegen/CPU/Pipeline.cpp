//===- Pipeline.cpp - from kiln to the LLVM dialect for the CPU -----------===//

#include "codegen/CPU/Pipeline.h"
#include "codegen/CPU/Passes.h"
#include "codegen/Library/Passes.h"
#include "codegen/Linalg/Passes.h"
#include "passes/Graph/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::kiln::registerCodegenDialects(DialectRegistry &registry) {
  registry.insert<affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, LLVM::LLVMDialect, linalg::LinalgDialect,
                  math::MathDialect, memref::MemRefDialect, quant::QuantDialect,
                  scf::SCFDialect,
                  tensor::TensorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  registerMicrokernelBufferization(registry);
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  cf::registerBufferizableOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerSubsetOpInterfaceExternalModels(registry);
  linalg::registerTilingInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

void mlir::kiln::buildKilnToLinalgPipeline(OpPassManager &pm, llvm::StringRef isa,
                                           bool int8) {
  if (isa != "none") {
    KilnCPUMicrokernelsOptions options;
    options.isa = isa.str();
    options.layout = "auto";
    options.int8 = int8;
    pm.addNestedPass<func::FuncOp>(createKilnCPUMicrokernels(options));
    pm.addPass(createKilnPropagateTransposes());
  }
  // Quantized ops without an integer kernel, and quantized types, become
  // integer ops on storage types.
  KilnLowerQuantOptions lowerQuant;
  lowerQuant.kernelIsa = int8 ? "avx512vnni" : "";
  pm.addPass(createKilnLowerQuant(lowerQuant));
  pm.addPass(createKilnToLinalg());
  pm.addPass(createCanonicalizerPass());
  // Elementwise chains become one loop nest instead of one buffer per op.
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::kiln::buildLibraryABIPipeline(OpPassManager &pm) {
  pm.addPass(createKilnOutlineWeights());
  pm.addPass(createKilnDropEmptyTensors());
  pm.addPass(createKilnDistinctResults());
}

void mlir::kiln::buildLinalgToLLVMPipeline(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // Loop-carried values may be new buffers each iteration (kiln.loop).
  bufferize.allowReturnAllocsFromLoops = true;
  // Ops that fill a slice of a larger tensor (a concat's parts) write
  // straight into it instead of into a buffer of their own.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Results become out-parameters, written in place where possible.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createKilnLowerMicrokernels());
  pm.addPass(createKilnPlanMemory());
  // Integer powers become small outlined functions (LLVM has no intrinsic).
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(arith::createArithExpandOpsPass());
  // f16/bf16 math runs in f32, as libm offers it.
  pm.addPass(math::createMathExtendToSupportedTypes());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  // Memrefs cross calls as expanded descriptors; the library glue passes
  // main its buffers that way (static sizes, which LLVM then propagates).
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::kiln::registerCPUPipelines() {
  registerKilnCPUPasses();
  PassPipelineRegistration<>(
      "kiln-cpu-linalg",
      "Lower kiln to fused linalg on tensors in the library's calling "
      "convention (weights outlined, empty tensors dropped)",
      [](OpPassManager &pm) {
        buildKilnToLinalgPipeline(pm);
        buildLibraryABIPipeline(pm);
      });
  PassPipelineRegistration<>(
      "kiln-cpu-to-llvm",
      "Lower linalg on tensors to the LLVM dialect (bufferization, results "
      "as out-parameters, deallocation, loops)",
      [](OpPassManager &pm) { buildLinalgToLLVMPipeline(pm); });
}
