//===- Target.cpp - LLVM's TargetMachine for the CPU a library runs on ----===//

#include "codegen/CPU/Target.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::kiln::createCPUTargetMachine(llvm::StringRef cpu) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple("x86_64-pc-linux-gnu");
  std::string message;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no x86-64 target in this LLVM: " + message);
  std::string cpuName = cpu.str();
  std::string features;
  if (cpu.empty() || cpu == "native") {
    cpuName = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures list;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      list.AddFeature(feature.getKey(), feature.getValue());
    features = list.getString();
  } else {
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, cpuName, ""));
    if (!info || !info->isCPUStringValid(cpuName))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "unknown CPU '" + cpuName +
              "' for --mcpu (try native, x86-64-v2, x86-64-v3, x86-64-v4 or an "
              "LLVM CPU name such as skylake-avx512)");
  }
  llvm::TargetOptions options;
  // Multiply-adds fuse into FMAs where the CPU has them, as ML runtimes do.
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, options, llvm::Reloc::PIC_, llvm::CodeModel::Small,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot create a target machine for " + cpuName);
  return machine;
}

void mlir::kiln::optimizeModule(llvm::Module &module, llvm::TargetMachine &machine) {
  module.setTargetTriple(machine.getTargetTriple());
  module.setDataLayout(machine.createDataLayout());
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::ModulePassManager pipeline =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  pipeline.run(module, modules);
}

llvm::Error mlir::kiln::emitMachineCode(llvm::Module &module,
                                        llvm::TargetMachine &machine,
                                        bool assembly, llvm::raw_pwrite_stream &os) {
  module.setTargetTriple(machine.getTargetTriple());
  module.setDataLayout(machine.createDataLayout());
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr,
                                  assembly ? llvm::CodeGenFileType::AssemblyFile
                                           : llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the target cannot emit this file type");
  pm.run(module);
  return llvm::Error::success();
}

std::string mlir::kiln::microkernelISA(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (info->checkFeatures("+avx512f,+avx512vl,+avx512bw,+avx512dq,+fma"))
    return "avx512";
  if (info->checkFeatures("+avx2,+fma"))
    return "avx2";
  return "none";
}

bool mlir::kiln::hasInt8Kernels(const llvm::TargetMachine &machine) {
  return machine.getMCSubtargetInfo()->checkFeatures(
      "+avx512f,+avx512vl,+avx512bw,+avx512dq,+fma,+avx512vnni");
}
