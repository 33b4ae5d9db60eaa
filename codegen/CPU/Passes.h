//===- Passes.h - the CPU backend's passes --------------------------------===//

#ifndef KILN_CODEGEN_CPU_PASSES_H
#define KILN_CODEGEN_CPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/Pass.h"

namespace mlir::kiln {

#define GEN_PASS_DECL
#include "codegen/CPU/Passes.h.inc"

/// The bufferization model of kiln.microkernel.
void registerMicrokernelBufferization(DialectRegistry &registry);

/// The register tile of the kernels of `isa` ("avx512", "avx2"): rows of
/// weights (MR) by output pixels (NR); {0, 0} for an unknown ISA.
std::pair<int64_t, int64_t> microkernelTile(llvm::StringRef isa);

#define GEN_PASS_REGISTRATION
#include "codegen/CPU/Passes.h.inc"

} // namespace mlir::kiln

#endif // KILN_CODEGEN_CPU_PASSES_H
