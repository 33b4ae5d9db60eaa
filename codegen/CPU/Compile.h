//===- Compile.h - the stages from kiln IR to a shared library ------------===//
//
// kilnc drives these one at a time (it may stop after any and write that
// stage's output); passes that need to run a model (calibration, accuracy
// measurement) call compileToLibrary for all of them at once.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_CPU_COMPILE_H
#define KILN_CODEGEN_CPU_COMPILE_H

#include "codegen/Library/ModelGlue.h"
#include "codegen/Library/Signature.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <functional>
#include <memory>

namespace mlir::kiln {

/// Sets up a pass manager before a stage runs it (kilnc applies its
/// --mlir-print-ir-* options); may be empty.
using PassManagerHook = std::function<LogicalResult(PassManager &)>;

/// kiln IR (after the graph pipeline) to fused linalg on tensors in the
/// library's calling convention, with kernels for `machine`'s CPU; reads
/// the model's signature before the calling convention changes it.
FailureOr<ModelSignature> lowerKilnToLinalg(ModuleOp module, llvm::TargetMachine &machine,
                                            const PassManagerHook &hook = {});

/// Linalg on tensors to the LLVM dialect.
LogicalResult lowerLinalgToLLVM(ModuleOp module, const PassManagerHook &hook = {});

/// The LLVM dialect to an optimized LLVM module with the library's C ABI;
/// takes the weights out of `module` into `weights` and sets the arena
/// size in `config`. The module is unusable afterwards.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLibraryIR(ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &machine, const ModelSignature &signature,
                     LibraryConfig &config, std::vector<char> &weights);

/// Object code for `module`, linked into the shared library `path`
/// (written directly: callers that must not leave a partial file write to
/// a temporary and move it).
llvm::Error linkLibrary(llvm::Module &module, llvm::TargetMachine &machine,
                        llvm::StringRef path, llvm::StringRef soname);

/// All stages: kiln IR (after the graph pipeline) to the shared library
/// `path` with embedded weights, for `machine`. Returns its signature.
llvm::Expected<ModelSignature> compileToLibrary(ModuleOp module, llvm::TargetMachine &machine,
                                                llvm::StringRef name, llvm::StringRef path);

} // namespace mlir::kiln

#endif // KILN_CODEGEN_CPU_COMPILE_H
