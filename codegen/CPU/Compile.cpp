//===- Compile.cpp - the stages from kiln IR to a shared library ----------===//

#include "codegen/CPU/Compile.h"
#include "codegen/CPU/Pipeline.h"
#include "codegen/CPU/Target.h"
#include "codegen/Library/Link.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

LogicalResult runPipeline(ModuleOp module, const mlir::kiln::PassManagerHook &hook,
                          const std::function<void(PassManager &)> &build) {
  PassManager pm(module.getContext());
  if (hook && failed(hook(pm)))
    return failure();
  build(pm);
  return pm.run(module);
}

} // namespace

FailureOr<mlir::kiln::ModelSignature>
mlir::kiln::lowerKilnToLinalg(ModuleOp module, llvm::TargetMachine &machine,
                              const PassManagerHook &hook) {
  if (failed(runPipeline(module, hook, [&](PassManager &pm) {
        buildKilnToLinalgPipeline(pm, microkernelISA(machine), hasInt8Kernels(machine));
      })))
    return failure();
  FailureOr<ModelSignature> signature = readModelSignature(module);
  if (failed(signature))
    return failure();
  if (failed(runPipeline(module, hook, [](PassManager &pm) { buildLibraryABIPipeline(pm); })))
    return failure();
  return signature;
}

LogicalResult mlir::kiln::lowerLinalgToLLVM(ModuleOp module, const PassManagerHook &hook) {
  return runPipeline(module, hook, [](PassManager &pm) { buildLinalgToLLVMPipeline(pm); });
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::kiln::translateToLibraryIR(ModuleOp module, llvm::LLVMContext &context,
                                 llvm::TargetMachine &machine,
                                 const ModelSignature &signature, LibraryConfig &config,
                                 std::vector<char> &weights) {
  // The arena of main's temporaries (kiln-plan-memory), which each context
  // allocates.
  config.arenaBytes = 0;
  if (Operation *main = module.lookupSymbol("main"))
    if (auto bytes = main->getAttrOfType<IntegerAttr>("kiln.arena_bytes"))
      config.arenaBytes = bytes.getInt();
  // The weights leave the module before translation; the glue places them.
  weights = takeWeights(module);
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, context, "kiln");
  if (!llvmModule)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "translation to LLVM IR failed");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  if (llvm::Error error = addModelGlue(*llvmModule, signature, weights, config))
    return std::move(error);
  optimizeModule(*llvmModule, machine);
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*llvmModule, &os))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the generated LLVM IR is invalid: " + problems);
  return llvmModule;
}

llvm::Error mlir::kiln::linkLibrary(llvm::Module &module, llvm::TargetMachine &machine,
                                    llvm::StringRef path, llvm::StringRef soname) {
  llvm::SmallString<128> object;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("kiln", "o", fd, object))
    return llvm::createStringError(ec, "cannot create a temporary object file");
  llvm::FileRemover remove(object);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (llvm::Error error = emitMachineCode(module, machine, /*assembly=*/false, os))
      return error;
    os.close();
    if (os.has_error())
      return llvm::createStringError(os.error(), "cannot write '%s'", object.c_str());
  }
  return linkSharedLibrary(object, path, soname);
}

llvm::Expected<mlir::kiln::ModelSignature>
mlir::kiln::compileToLibrary(ModuleOp module, llvm::TargetMachine &machine,
                             llvm::StringRef name, llvm::StringRef path) {
  auto failed = [](llvm::StringRef stage) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   ("the " + stage + " failed").str());
  };
  FailureOr<ModelSignature> signature = lowerKilnToLinalg(module, machine);
  if (mlir::failed(signature))
    return failed("lowering to linalg");
  if (mlir::failed(lowerLinalgToLLVM(module)))
    return failed("lowering to LLVM");
  LibraryConfig config;
  config.name = name.str();
  std::vector<char> weights;
  llvm::LLVMContext context;
  auto llvmModule = translateToLibraryIR(module, context, machine, *signature, config, weights);
  if (!llvmModule)
    return llvmModule.takeError();
  if (llvm::Error error =
          linkLibrary(**llvmModule, machine, path, llvm::sys::path::filename(path)))
    return std::move(error);
  return *signature;
}
