//===- kilnc.cpp - the Kiln compiler driver -------------------------------===//
//
// kilnc MODEL.onnx -o libNAME.so: compiles an ONNX model into a standalone
// shared library and its header NAME.h. --emit stops at any earlier stage
// and writes that stage's IR, assembly or object code instead.
//
//===----------------------------------------------------------------------===//

#include "codegen/CPU/Pipeline.h"
#include "codegen/CPU/Target.h"
#include "codegen/Library/Link.h"
#include "codegen/Library/ModelGlue.h"
#include "codegen/Library/Signature.h"
#include "lib/Import/Importer.h"
#include "lib/Support/OutputFile.h"
#include "passes/Graph/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Emit { Auto, OnnxRaw, Kiln, Linalg, LLVMMLIR, LLVMIR, Asm, Obj, So };

cl::OptionCategory kilncCategory("kilnc options");

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required, cl::cat(kilncCategory));
cl::opt<std::string> outputPath("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(kilncCategory));
cl::opt<Emit> emit(
    "emit",
    cl::desc("The stage to stop at (default: from the output file's "
             "extension: .so, .o, .s, .ll, else kiln)"),
    cl::init(Emit::Auto),
    cl::values(clEnumValN(Emit::OnnxRaw, "onnx-raw",
                          "kiln IR exactly as imported, before any pass"),
               clEnumValN(Emit::Kiln, "kiln",
                          "kiln IR after folding and graph cleanup"),
               clEnumValN(Emit::Linalg, "linalg",
                          "linalg on tensors, fused, weights outlined"),
               clEnumValN(Emit::LLVMMLIR, "llvm-mlir",
                          "the LLVM dialect, after bufferization"),
               clEnumValN(Emit::LLVMIR, "llvm-ir",
                          "optimized LLVM IR with the library's C ABI"),
               clEnumValN(Emit::Asm, "asm", "assembly for the target CPU"),
               clEnumValN(Emit::Obj, "obj", "an object file"),
               clEnumValN(Emit::So, "so",
                          "a shared library and its C header")),
    cl::cat(kilncCategory));
cl::opt<std::string> libraryName(
    "name",
    cl::desc("The symbol prefix of the library's functions (default: the "
             "output's name without 'lib' and '.so')"),
    cl::value_desc("identifier"), cl::cat(kilncCategory));
cl::opt<std::string> targetCPU(
    "mcpu",
    cl::desc("The CPU to generate code for: native (the default), or an LLVM "
             "CPU name such as x86-64-v3 or skylake-avx512"),
    cl::value_desc("cpu"), cl::init("native"), cl::cat(kilncCategory));
cl::opt<std::string> weightsMode(
    "weights",
    cl::desc("embedded (the default): weights inside the library; external: "
             "in NAME.weights beside it, mapped when a context is created"),
    cl::value_desc("embedded|external"), cl::init("embedded"),
    cl::cat(kilncCategory));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix the shape of a graph input, e.g. x=1x3x224x224 (repeatable)"),
    cl::value_desc("name=dims"), cl::cat(kilncCategory));
cl::list<std::string> constantInputs(
    "constant-input",
    cl::desc("Freeze a graph input to the tensor in a .pb file (repeatable)"),
    cl::value_desc("name=file.pb"), cl::cat(kilncCategory));
cl::opt<std::string> inputFormat(
    "input-format",
    cl::desc("binary, text (ONNX's textual syntax) or auto (text for "
             ".onnxtxt files)"),
    cl::init("auto"), cl::cat(kilncCategory));
cl::opt<bool> foldBatchNorm("fold-batchnorm",
                            cl::desc("Fold batch norms into preceding ops"),
                            cl::init(true), cl::cat(kilncCategory));

/// Splits "name=value" at the last '=' (ONNX names may contain '=').
bool splitAssignment(llvm::StringRef text, std::string &name, std::string &value) {
  size_t eq = text.rfind('=');
  if (eq == llvm::StringRef::npos || eq == 0 || eq + 1 == text.size())
    return false;
  name = text.substr(0, eq).str();
  value = text.substr(eq + 1).str();
  return true;
}

bool parseInputShape(llvm::StringRef text, mlir::kiln::import::InputShape &shape) {
  std::string dims;
  if (!splitAssignment(text, shape.name, dims))
    return false;
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(dims).split(parts, 'x');
  for (llvm::StringRef part : parts) {
    int64_t d;
    if (part.trim().getAsInteger(10, d) || d < 0 || d > (int64_t(1) << 40))
      return false;
    shape.dims.push_back(d);
  }
  return true;
}

/// Prints diagnostics as "file: node 'name': error: message".
void printDiagnostic(Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  std::string where;
  Location loc = diag.getLocation();
  if (auto name = llvm::dyn_cast<NameLoc>(loc)) {
    if (auto file = llvm::dyn_cast<FileLineColLoc>(name.getChildLoc()))
      where = file.getFilename().str() + ": ";
    where += "node '" + name.getName().str() + "': ";
  } else if (auto file = llvm::dyn_cast<FileLineColLoc>(loc)) {
    where = file.getFilename().str() + ": ";
    if (file.getLine() != 0)
      where = file.getFilename().str() + ":" + std::to_string(file.getLine()) + ": ";
  }
  const char *severity = diag.getSeverity() == DiagnosticSeverity::Error ? "error"
                         : diag.getSeverity() == DiagnosticSeverity::Warning
                             ? "warning"
                             : "note";
  os << "kilnc: " << where << severity << ": " << diag << "\n";
  for (Diagnostic &note : diag.getNotes())
    os << "kilnc: note: " << note << "\n";
}

int fail(llvm::Error error) {
  llvm::errs() << "kilnc: error: " << llvm::toString(std::move(error)) << "\n";
  return 1;
}

/// The stage to stop at: --emit, or what the output's extension asks for.
Emit resolveStage() {
  if (emit != Emit::Auto)
    return emit;
  llvm::StringRef extension = llvm::sys::path::extension(outputPath.getValue());
  return llvm::StringSwitch<Emit>(extension)
      .Case(".so", Emit::So)
      .Case(".o", Emit::Obj)
      .Case(".s", Emit::Asm)
      .Case(".ll", Emit::LLVMIR)
      .Default(Emit::Kiln);
}

/// The library name implied by a file name: libNAME.so gives NAME, model.onnx
/// gives model; characters other than letters, digits and '_' become '_'.
std::string defaultLibraryName(llvm::StringRef path) {
  llvm::StringRef stem = llvm::sys::path::stem(path);
  stem.consume_front("lib");
  std::string name;
  for (char c : stem)
    name += llvm::isAlnum(c) ? c : '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name = "model_" + name;
  return name;
}

/// `file` in the folder of `path`.
std::string sibling(llvm::StringRef path, llvm::StringRef file) {
  llvm::SmallString<256> result(llvm::sys::path::parent_path(path));
  llvm::sys::path::append(result, file);
  return std::string(result);
}

/// The files kilnc must never overwrite.
std::vector<std::string> protectedInputs;

int writeFile(llvm::StringRef path, const std::function<void(llvm::raw_ostream &)> &write) {
  if (llvm::Error error =
          mlir::kiln::writeOutputFile(path, protectedInputs, [&](llvm::raw_ostream &os) {
            write(os);
            return true;
          }))
    return fail(std::move(error));
  return 0;
}

/// Writes IR text to -o.
int writeText(const std::function<void(llvm::raw_ostream &)> &print) {
  return writeFile(outputPath, [&](llvm::raw_ostream &os) {
    print(os);
    os << "\n";
  });
}

/// Writes a binary file through a seekable stream (object emission needs one).
int writeBinary(llvm::StringRef path,
                const std::function<llvm::Error(llvm::raw_pwrite_stream &)> &write) {
  llvm::Error failure = llvm::Error::success();
  if (llvm::Error error =
          mlir::kiln::writeOutputFile(path, protectedInputs, [&](llvm::raw_ostream &os) {
            llvm::SmallVector<char, 0> buffer;
            llvm::raw_svector_ostream stream(buffer);
            if (llvm::Error e = write(stream)) {
              failure = std::move(e);
              return false;
            }
            os.write(buffer.data(), buffer.size());
            return true;
          })) {
    if (failure)
      llvm::consumeError(std::move(error));
    return fail(failure ? std::move(failure) : std::move(error));
  }
  llvm::consumeError(std::move(failure));
  return 0;
}

int copyFile(llvm::StringRef from, llvm::StringRef to) {
  auto buffer = llvm::MemoryBuffer::getFile(from, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(llvm::createStringError(buffer.getError(), "cannot read '%s'",
                                        from.str().c_str()));
  return writeFile(to, [&](llvm::raw_ostream &os) { os << (*buffer)->getBuffer(); });
}

/// A temporary folder removed with everything in it.
struct TempDir {
  llvm::SmallString<128> path;
  std::error_code create() {
    return llvm::sys::fs::createUniqueDirectory("kilnc", path);
  }
  std::string file(llvm::StringRef name) const {
    llvm::SmallString<128> result(path);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }
  ~TempDir() {
    if (!path.empty())
      llvm::sys::fs::remove_directories(path);
  }
};

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  // --help lists kilnc's own options; LLVM's and MLIR's debugging options
  // (--mlir-print-ir-after-all, ...) still work and are in --help-hidden.
  cl::HideUnrelatedOptions(kilncCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "kilnc: compile an ONNX model with Kiln\n\n"
      "  kilnc model.onnx -o libnet.so          # libnet.so and net.h\n"
      "  kilnc model.onnx --emit=kiln -o model.mlir\n");

  Emit stage = resolveStage();
  bool externalWeights = weightsMode == "external";
  if (!externalWeights && weightsMode != "embedded") {
    llvm::errs() << "kilnc: error: --weights must be embedded or external\n";
    return 1;
  }
  std::string name =
      !libraryName.empty() ? libraryName.getValue()
      : outputPath != "-"  ? defaultLibraryName(outputPath)
                           : defaultLibraryName(inputPath);
  if (stage == Emit::So) {
    if (outputPath == "-") {
      llvm::errs() << "kilnc: error: a shared library needs an output file: -o libNAME.so\n";
      return 1;
    }
    if (!mlir::kiln::isValidLibraryName(name)) {
      llvm::errs() << "kilnc: error: --name '" << name
                   << "' is not a C identifier (letters, digits and '_', at most 64)\n";
      return 1;
    }
  }

  mlir::kiln::import::LoadOptions options;
  options.path = inputPath;
  if (inputFormat == "text")
    options.textFormat = true;
  else if (inputFormat == "auto")
    options.textFormat = llvm::StringRef(inputPath).ends_with(".onnxtxt");
  else if (inputFormat != "binary") {
    llvm::errs() << "kilnc: error: --input-format must be binary, text or auto\n";
    return 1;
  }
  for (const std::string &text : inputShapes) {
    mlir::kiln::import::InputShape shape;
    if (!parseInputShape(text, shape)) {
      llvm::errs() << "kilnc: error: --input-shape expects NAME=D0xD1x..., got '"
                   << text << "'\n";
      return 1;
    }
    options.inputShapes.push_back(shape);
  }
  for (const std::string &text : constantInputs) {
    std::string name, file;
    if (!splitAssignment(text, name, file)) {
      llvm::errs() << "kilnc: error: --constant-input expects NAME=FILE.pb, got '"
                   << text << "'\n";
      return 1;
    }
    options.constantInputs.push_back({name, file});
  }

  protectedInputs.push_back(inputPath);
  for (const auto &[inputName, file] : options.constantInputs)
    protectedInputs.push_back(file);

  DialectRegistry registry;
  mlir::kiln::registerCodegenDialects(registry);
  MLIRContext context(registry);
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  OwningOpRef<ModuleOp> module = mlir::kiln::import::importOnnxModel(context, options);
  if (!module)
    return 1;

  if (stage == Emit::OnnxRaw)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  mlir::kiln::GraphPipelineOptions pipeline;
  pipeline.foldBatchNorm = foldBatchNorm;
  mlir::kiln::buildKilnGraphPipeline(pm, pipeline);
  if (failed(pm.run(*module)))
    return 1;
  if (stage == Emit::Kiln)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  // Code generation, for the target CPU.
  auto machine = mlir::kiln::createCPUTargetMachine(
      targetCPU == "native" ? "" : targetCPU.getValue());
  if (!machine)
    return fail(machine.takeError());
  pm.clear();
  mlir::kiln::buildKilnToLinalgPipeline(pm, mlir::kiln::microkernelISA(**machine));
  if (failed(pm.run(*module)))
    return 1;
  FailureOr<mlir::kiln::ModelSignature> signature =
      mlir::kiln::readModelSignature(*module);
  if (failed(signature))
    return 1;
  pm.clear();
  mlir::kiln::buildLibraryABIPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;
  if (stage == Emit::Linalg)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  pm.clear();
  mlir::kiln::buildLinalgToLLVMPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;
  if (stage == Emit::LLVMMLIR)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  // The arena of main's temporaries (kiln-plan-memory), which each context
  // allocates.
  int64_t arenaBytes = 0;
  if (Operation *main = module->lookupSymbol("main"))
    if (auto bytes = main->getAttrOfType<IntegerAttr>("kiln.arena_bytes"))
      arenaBytes = bytes.getInt();
  // The weights leave the module before translation; the glue places them.
  std::vector<char> weights = mlir::kiln::takeWeights(*module);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, "kiln");
  if (!llvmModule) {
    llvm::errs() << "kilnc: error: translation to LLVM IR failed\n";
    return 1;
  }
  module = nullptr;
  mlir::kiln::LibraryConfig config;
  config.name = name;
  config.externalWeights = externalWeights;
  config.arenaBytes = arenaBytes;
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  llvmModule->setDataLayout((*machine)->createDataLayout());
  if (llvm::Error error = mlir::kiln::addModelGlue(*llvmModule, *signature, weights, config))
    return fail(std::move(error));
  mlir::kiln::optimizeModule(*llvmModule, **machine);
  if (llvm::verifyModule(*llvmModule, &llvm::errs())) {
    llvm::errs() << "kilnc: error: the generated LLVM IR is invalid\n";
    return 1;
  }
  if (stage == Emit::LLVMIR)
    return writeText([&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); });
  if (stage == Emit::Asm || stage == Emit::Obj)
    return writeBinary(outputPath, [&](llvm::raw_pwrite_stream &os) {
      return mlir::kiln::emitMachineCode(*llvmModule, **machine,
                                         stage == Emit::Asm, os);
    });

  // The shared library: object and link in a temporary folder, then every
  // output moves into place.
  TempDir temp;
  if (std::error_code ec = temp.create())
    return fail(llvm::createStringError(ec, "cannot create a temporary folder"));
  std::string object = temp.file("model.o"), library = temp.file("model.so");
  if (int rc = writeBinary(object, [&](llvm::raw_pwrite_stream &os) {
        return mlir::kiln::emitMachineCode(*llvmModule, **machine, false, os);
      }))
    return rc;
  llvmModule.reset();
  if (llvm::Error error = mlir::kiln::linkSharedLibrary(
          object, library, llvm::sys::path::filename(outputPath)))
    return fail(std::move(error));
  if (int rc = copyFile(library, outputPath))
    return rc;
  std::string header = mlir::kiln::generateHeader(*signature, config,
                                                  llvm::sys::path::filename(inputPath));
  if (int rc = writeFile(sibling(outputPath, name + ".h"),
                         [&](llvm::raw_ostream &os) { os << header; }))
    return rc;
  if (externalWeights) {
    std::string path = sibling(outputPath, name + ".weights");
    if (int rc = writeFile(path, [&](llvm::raw_ostream &os) {
          mlir::kiln::writeWeightsFile(os, weights);
        }))
      return rc;
  }
  return 0;
}
