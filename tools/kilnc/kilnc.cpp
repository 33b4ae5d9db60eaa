//===- kilnc.cpp - the Kiln compiler driver -------------------------------===//
//
// kilnc MODEL.onnx --emit=onnx-raw|kiln [-o FILE]: imports an ONNX model and
// prints the IR at the requested stage.
//
//===----------------------------------------------------------------------===//

#include "lib/Import/Importer.h"
#include "lib/Support/OutputFile.h"
#include "passes/Graph/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Emit { OnnxRaw, Kiln };

cl::OptionCategory kilncCategory("kilnc options");

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required, cl::cat(kilncCategory));
cl::opt<std::string> outputPath("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(kilncCategory));
cl::opt<Emit> emit(
    "emit", cl::desc("The stage to stop at"), cl::init(Emit::Kiln),
    cl::values(clEnumValN(Emit::OnnxRaw, "onnx-raw",
                          "kiln IR exactly as imported, before any pass"),
               clEnumValN(Emit::Kiln, "kiln",
                          "kiln IR after folding and graph cleanup")),
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

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  cl::ParseCommandLineOptions(
      argc, argv,
      "kilnc: compile an ONNX model with Kiln\n\n"
      "  kilnc model.onnx --emit=kiln -o model.mlir\n");

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

  MLIRContext context;
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  OwningOpRef<ModuleOp> module = mlir::kiln::import::importOnnxModel(context, options);
  if (!module)
    return 1;

  if (emit == Emit::Kiln) {
    PassManager pm(&context);
    if (failed(applyPassManagerCLOptions(pm)))
      return 1;
    mlir::kiln::GraphPipelineOptions pipeline;
    pipeline.foldBatchNorm = foldBatchNorm;
    mlir::kiln::buildKilnGraphPipeline(pm, pipeline);
    if (failed(pm.run(*module)))
      return 1;
  }

  std::vector<std::string> inputs{inputPath};
  for (const auto &[name, file] : options.constantInputs)
    inputs.push_back(file);
  if (llvm::Error error =
          mlir::kiln::writeOutputFile(outputPath, inputs, [&](llvm::raw_ostream &os) {
            module->print(os);
            os << "\n";
            return true;
          })) {
    llvm::errs() << "kilnc: error: " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}
