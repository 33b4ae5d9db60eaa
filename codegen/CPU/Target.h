//===- Target.h - LLVM's TargetMachine for the CPU a library runs on ------===//

#ifndef KILN_CODEGEN_CPU_TARGET_H
#define KILN_CODEGEN_CPU_TARGET_H

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

namespace mlir::kiln {

/// A TargetMachine for x86-64 Linux and `cpu`: "" or "native" for the host
/// CPU (its name and features), or an LLVM CPU name such as "x86-64-v3" or
/// "skylake-avx512". Unknown names are an error.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(llvm::StringRef cpu);

/// The instruction set of the runtime's compute kernels that `machine` can
/// run: "avx512" (AVX-512 F/VL), "avx2" (AVX2 and FMA), or "none".
std::string microkernelISA(const llvm::TargetMachine &machine);

/// Whether the runtime's integer kernels (AVX-512 VNNI) run on the target.
bool hasInt8Kernels(const llvm::TargetMachine &machine);

/// Sets the module's triple and data layout for `machine` and runs LLVM's
/// O3 pipeline on it.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &machine);

/// Writes the module as an object file or as assembly.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            bool assembly, llvm::raw_pwrite_stream &os);

} // namespace mlir::kiln

#endif // KILN_CODEGEN_CPU_TARGET_H
