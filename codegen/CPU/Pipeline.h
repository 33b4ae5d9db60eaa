//===- Pipeline.h - from kiln to the LLVM dialect for the CPU -------------===//

#ifndef KILN_CODEGEN_CPU_PIPELINE_H
#define KILN_CODEGEN_CPU_PIPELINE_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::kiln {

/// Registers every dialect and external interface model that code
/// generation uses (bufferization, deallocation, LLVM translation).
void registerCodegenDialects(DialectRegistry &registry);

/// kiln (after the graph pipeline) to linalg on tensors, fused;
/// convolutions call the runtime's kernels for `isa` ("avx512", "avx2"; see
/// kiln-cpu-microkernels), or lower like everything else with "none";
/// quantized convolutions call the integer kernels when `int8` is set.
void buildKilnToLinalgPipeline(OpPassManager &pm, llvm::StringRef isa = "none",
                               bool int8 = false);

/// @main in the library's calling convention: weights outlined into one
/// blob argument, inputs and results without elements dropped. The model's
/// signature is read before this (codegen/Library/Signature.h).
void buildLibraryABIPipeline(OpPassManager &pm);

/// linalg on tensors to the LLVM dialect: bufferization with the model's
/// results as out-parameters, deallocation, loops, and the conversions to
/// LLVM: `kilnc --emit=llvm-mlir`.
void buildLinalgToLLVMPipeline(OpPassManager &pm);

/// Registers `kiln-cpu-linalg` and `kiln-cpu-to-llvm` with the pass
/// registry, for kiln-opt.
void registerCPUPipelines();

} // namespace mlir::kiln

#endif // KILN_CODEGEN_CPU_PIPELINE_H
