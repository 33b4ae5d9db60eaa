//===- kilnc.cpp - the Kiln compiler driver -------------------------------===//
//
// kilnc MODEL.onnx -o libNAME.so: compiles an ONNX model into a standalone
// shared library and its header NAME.h. --emit stops at any earlier stage
// and writes that stage's IR, assembly or object code instead.
//
//===----------------------------------------------------------------------===//

#include "codegen/CPU/Compile.h"
#include "codegen/CPU/Pipeline.h"
#include "codegen/CPU/Target.h"
#include "codegen/Library/ModelGlue.h"
#include "codegen/Library/Signature.h"
#include "lib/Import/Importer.h"
#include "lib/Support/OutputFile.h"
#include "passes/Graph/Passes.h"
#include "passes/Quant/Observe.h"
#include "passes/Quant/Passes.h"
#include "passes/Quant/Report.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>

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
cl::opt<std::string> quantizeMode(
    "quantize",
    cl::desc("none (the default); int8: post-training quantization of "
             "convolutions, calibrated on --calibration; bf16 or fp16: the "
             "weights of convolutions and matrix products rounded to 16 bits "
             "and stored so (no calibration needed)"),
    cl::value_desc("none|int8|bf16|fp16"), cl::init("none"), cl::cat(kilncCategory));
cl::opt<std::string> calibrationDir(
    "calibration",
    cl::desc("Input sets to calibrate on: DIR/set_K/input_J.pb or DIR/input_J.pb"),
    cl::value_desc("dir"), cl::cat(kilncCategory));
cl::opt<std::string> calibrationMethod(
    "calibration-method",
    cl::desc("How ranges become scales: percentile:P (the default is "
             "percentile:99.99), minmax or entropy"),
    cl::value_desc("method"), cl::init("percentile:99.99"), cl::cat(kilncCategory));
cl::opt<std::string> activationType(
    "quantize-activations",
    cl::desc("uint8 (asymmetric, the default) or int8 (symmetric)"),
    cl::value_desc("uint8|int8"), cl::init("uint8"), cl::cat(kilncCategory));
cl::opt<std::string> reportPath(
    "report",
    cl::desc("Write the quantization report: FILE.json, or '-' for a table on "
             "stderr"),
    cl::value_desc("file"), cl::cat(kilncCategory));
cl::opt<std::string> validationDir(
    "validation",
    cl::desc("Input sets to measure the report's output error on (default: "
             "the calibration sets)"),
    cl::value_desc("dir"), cl::cat(kilncCategory));
cl::opt<double> accuracyBudget(
    "accuracy-budget",
    cl::desc("The largest relative L2 error of the outputs against float32 "
             "allowed: the most sensitive layers stay in float until it holds"),
    cl::value_desc("x"), cl::init(-1.0), cl::cat(kilncCategory));
cl::opt<bool> foldQDQ(
    "fold-qdq",
    cl::desc("Map a pre-quantized model's QuantizeLinear / DequantizeLinear "
             "pairs, QLinearConv and QLinearMatMul onto the integer kernels "
             "(default true; false computes each ONNX op as it stands)"),
    cl::init(true), cl::cat(kilncCategory));
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

/// Gives every convolution and gemm (and with `allProducts`, transposed
/// convolution and matmul: the ops kiln-quantize-float rounds) a layer name
/// for reports: its ONNX node's name, else conv_N, gemm_N, ...
void nameLayers(ModuleOp module, bool allProducts = false) {
  int64_t next = 0;
  module.walk([&](Operation *op) {
    llvm::StringRef kind = mlir::kiln::layerKind(op);
    if (kind.empty() ||
        (!allProducts && llvm::isa<mlir::kiln::ConvTransposeOp, mlir::kiln::MatMulOp>(op)))
      return;
    std::string name;
    if (auto loc = llvm::dyn_cast<NameLoc>(op->getLoc()))
      name = loc.getName().str();
    if (name.empty())
      name = (kind + "_" + llvm::Twine(next)).str();
    ++next;
    op->setAttr(mlir::kiln::kLayerAttr, StringAttr::get(module.getContext(), name));
  });
}

/// With the integer kernels, a model that stays channels-first (it has
/// grouped or transposed convolutions, whose kernels are NCHW only) has
/// int8 NCHW kernels for convolutions of stride and dilation 1 alone: the
/// others would sit between transposes costing more than integers save, so
/// they stay f32.
/// Returns whether that is the case (quantized results then stay f32,
/// which those kernels read and write).
bool keepFloatWithoutKernel(ModuleOp module, bool int8Kernels) {
  bool nchw = false;
  module.walk([&](Operation *op) {
    auto conv = llvm::dyn_cast<mlir::kiln::ConvOp>(op);
    nchw |= llvm::isa<mlir::kiln::ConvTransposeOp>(op) || (conv && conv.getGroup() != 1);
  });
  if (!int8Kernels || !nchw)
    return false;
  MLIRContext *ctx = module.getContext();
  module.walk([&](mlir::kiln::ConvOp conv) {
    auto one = [](int64_t v) { return v == 1; };
    if ((llvm::all_of(conv.getStrides(), one) && llvm::all_of(conv.getDilations(), one)) ||
        conv.getGroup() != 1)
      return;
    conv->setAttr(mlir::kiln::kPrecisionAttr, StringAttr::get(ctx, "f32"));
    conv->setAttr(mlir::kiln::kPrecisionReasonAttr,
                  StringAttr::get(ctx, "no int8 kernel in this model's NCHW layout for "
                                       "strided or dilated convolutions"));
  });
  return true;
}

/// `value` with 4 significant digits ("0.05", "31.42").
std::string shortNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", value);
  return text;
}

/// Runs kiln-quant-choose-scales and kiln-quantize on `module` (which has
/// recorded ranges).
LogicalResult chooseAndQuantize(ModuleOp module, bool requantize) {
  PassManager pm(module.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  mlir::kiln::KilnQuantChooseScalesOptions scales;
  scales.method = calibrationMethod;
  scales.activations = activationType;
  pm.addPass(mlir::kiln::createKilnQuantChooseScales(scales));
  mlir::kiln::KilnQuantizeOptions quantize;
  quantize.requantize = requantize;
  pm.addPass(mlir::kiln::createKilnQuantize(quantize));
  pm.addPass(createCanonicalizerPass());
  return pm.run(module);
}

/// Quantizes a copy of the model with the layers named in `keptFloat`
/// marked kiln.precision = "f32" (they stay in float).
using QuantizeAttempt = std::function<FailureOr<OwningOpRef<ModuleOp>>(
    const std::map<std::string, std::string> &keptFloat)>;

/// What --report and --accuracy-budget ask of any --quantize mode, once
/// `module` is quantized: measure it against `original` (the float model,
/// layers named) on the validation (else calibration) sets; under a budget
/// that does not hold, quantize again with the layers of lowest SQNR kept
/// in float, 1, 2, 4, ... of them, until it holds (`module` becomes the
/// last attempt); then write the report with `settings`.
LogicalResult measureAndReport(ModuleOp module, ModuleOp original, llvm::StringRef precision,
                               const QuantizeAttempt &attempt, llvm::json::Object settings) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  std::string dataDir = validationDir.empty() ? calibrationDir : validationDir;
  auto sets = mlir::kiln::loadDataSets(main, dataDir,
                                       validationDir.empty() ? "calibration" : "validation");
  if (failed(sets))
    return failure();
  auto baseline = mlir::kiln::FloatBaseline::create(original);
  if (failed(baseline))
    return failure();
  auto report = (*baseline)->measure(module, *sets, precision);
  if (failed(report))
    return failure();
  std::map<std::string, std::string> keptFloat;
  if (accuracyBudget >= 0 && report->maxRelL2() > accuracyBudget) {
    std::vector<mlir::kiln::LayerReport> order;
    for (const auto &l : report->layers)
      if (l.precision == precision)
        order.push_back(l);
    std::stable_sort(order.begin(), order.end(), [](const auto &a, const auto &b) {
      return a.sqnrDb < b.sqnrDb;
    });
    double first = report->maxRelL2();
    for (size_t k = 1; !order.empty(); k = std::min(2 * k, order.size())) {
      keptFloat.clear();
      for (size_t i = 0; i < k; ++i)
        keptFloat[order[i].name] =
            llvm::formatv("kept in f32 for --accuracy-budget={0}: SQNR {1} dB, among the {2} "
                          "lowest; all-{3} error {4}",
                          shortNumber(accuracyBudget), shortNumber(order[i].sqnrDb), k,
                          precision, shortNumber(first))
                .str();
      auto quantized = attempt(keptFloat);
      if (failed(quantized))
        return failure();
      auto measured = (*baseline)->measure(**quantized, *sets, precision);
      if (failed(measured))
        return failure();
      report = std::move(measured);
      module.getBodyRegion().takeBody((*quantized)->getBodyRegion());
      if (report->maxRelL2() <= accuracyBudget || k == order.size())
        break;
    }
    if (report->maxRelL2() > accuracyBudget)
      emitWarning(module.getLoc()) << "--accuracy-budget=" << shortNumber(accuracyBudget)
                                   << " does not hold even with every layer in float";
  }
  for (auto &l : report->layers)
    if (auto it = keptFloat.find(l.name); it != keptFloat.end())
      l.reason = it->second;
  report->dataDir = dataDir;
  if (reportPath.empty())
    return success();
  if (reportPath == "-") {
    mlir::kiln::writeReportTable(llvm::errs(), *report);
    return success();
  }
  if (accuracyBudget >= 0)
    settings["accuracy_budget"] = accuracyBudget.getValue();
  if (writeFile(reportPath, [&](llvm::raw_ostream &os) {
        mlir::kiln::writeReportJson(os, *report, settings);
      }))
    return failure();
  return success();
}

/// `module` with the layers in `keptFloat` marked to stay in float.
void keepFloat(ModuleOp module, const std::map<std::string, std::string> &keptFloat) {
  MLIRContext *ctx = module.getContext();
  module.walk([&](Operation *op) {
    auto name = op->getAttrOfType<StringAttr>(mlir::kiln::kLayerAttr);
    if (name && keptFloat.count(name.str())) {
      op->removeAttr(mlir::kiln::kInputRangeAttr);
      op->setAttr(mlir::kiln::kPrecisionAttr, StringAttr::get(ctx, "f32"));
    }
  });
}

/// The attempt that quantizes a copy of `source` (which must outlive it)
/// with `quantize`.
QuantizeAttempt attemptOn(ModuleOp source, std::function<LogicalResult(ModuleOp)> quantize) {
  return [source, quantize](const std::map<std::string, std::string> &keptFloat)
             mutable -> FailureOr<OwningOpRef<ModuleOp>> {
    OwningOpRef<ModuleOp> copy(source.clone());
    keepFloat(*copy, keptFloat);
    if (failed(quantize(*copy)))
      return failure();
    return copy;
  };
}

/// --quantize=int8 for `machine`'s CPU: calibrate, quantize, and measure
/// what it cost when a report or an accuracy budget asks.
LogicalResult quantizeInt8(ModuleOp module, const llvm::TargetMachine &machine) {
  MLIRContext *ctx = module.getContext();
  if (calibrationDir.empty())
    return emitError(module.getLoc(), "--quantize=int8 needs --calibration=DIR");
  nameLayers(module);
  bool requantize = !keepFloatWithoutKernel(module, mlir::kiln::hasInt8Kernels(machine));
  OwningOpRef<ModuleOp> original(module.clone());
  PassManager pm(ctx);
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  mlir::kiln::KilnQuantCollectRangesOptions collect;
  collect.calibration = calibrationDir;
  pm.addPass(mlir::kiln::createKilnQuantCollectRanges(collect));
  if (failed(pm.run(module)))
    return failure();
  bool measure = !reportPath.empty() || accuracyBudget >= 0;
  if (!measure)
    return chooseAndQuantize(module, requantize);
  OwningOpRef<ModuleOp> ranged(module.clone());
  if (failed(chooseAndQuantize(module, requantize)))
    return failure();
  auto attempt = attemptOn(*ranged, [&](ModuleOp copy) {
    return chooseAndQuantize(copy, requantize);
  });
  return measureAndReport(module, *original, "int8", attempt,
                          llvm::json::Object{{"model", inputPath.getValue()},
                                             {"quantize", "int8"},
                                             {"calibration", calibrationDir.getValue()},
                                             {"calibration_method", calibrationMethod.getValue()},
                                             {"activations", activationType.getValue()},
                                             {"weights", "int8 per output channel, symmetric"}});
}

/// Runs kiln-quantize-float (weights rounded to `type`, bf16 or f16) on
/// `module`, then canonicalize (which drops the f32 weights).
LogicalResult roundWeights(ModuleOp module, llvm::StringRef type) {
  PassManager pm(module.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  mlir::kiln::KilnQuantizeFloatOptions options;
  options.type = type.str();
  pm.addPass(mlir::kiln::createKilnQuantizeFloat(options));
  pm.addPass(createCanonicalizerPass());
  return pm.run(module);
}

/// --quantize=bf16 or fp16: weights rounded, measured when a report or an
/// accuracy budget asks (on --validation, else --calibration).
LogicalResult quantizeFloat(ModuleOp module, llvm::StringRef type) {
  bool measure = !reportPath.empty() || accuracyBudget >= 0;
  if (!measure && (!calibrationDir.empty() || !validationDir.empty()))
    emitWarning(module.getLoc())
        << "--quantize=" << quantizeMode.getValue()
        << " needs no calibration: input sets are only measured on for --report or "
           "--accuracy-budget";
  if (!measure)
    return roundWeights(module, type);
  if (calibrationDir.empty() && validationDir.empty())
    return emitError(module.getLoc(), "--report and --accuracy-budget need input sets to "
                                      "measure on: --validation=DIR or --calibration=DIR");
  nameLayers(module, /*allProducts=*/true);
  OwningOpRef<ModuleOp> original(module.clone());
  if (failed(roundWeights(module, type)))
    return failure();
  auto attempt = attemptOn(*original, [&](ModuleOp copy) { return roundWeights(copy, type); });
  return measureAndReport(
      module, *original, type, attempt,
      llvm::json::Object{{"model", inputPath.getValue()},
                         {"quantize", quantizeMode.getValue()},
                         {"weights", (type + ", rounded to nearest even; stored so").str()},
                         {"activations", "f32"}});
}

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
  if (quantizeMode != "none" && quantizeMode != "int8" && quantizeMode != "bf16" &&
      quantizeMode != "fp16") {
    llvm::errs() << "kilnc: error: --quantize must be none, int8, bf16 or fp16, not '"
                 << quantizeMode << "'\n";
    return 1;
  }
  if (quantizeMode == "none" && (!calibrationDir.empty() || !reportPath.empty() ||
                                 !validationDir.empty() || accuracyBudget >= 0)) {
    llvm::errs() << "kilnc: error: --calibration, --report, --validation and "
                    "--accuracy-budget need --quantize=int8, bf16 or fp16\n";
    return 1;
  }
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
  // An error names the ONNX file and what is wrong; the IR of the op it is
  // attached to (kilnc's own functions, say) only with
  // --mlir-print-op-on-diagnostic.
  if (auto *flag = cl::getRegisteredOptions().lookup("mlir-print-op-on-diagnostic");
      flag && flag->getNumOccurrences() == 0)
    context.printOpOnDiagnostic(false);
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
  // A pre-quantized model's quantization ops onto the quantized ops that
  // reach the integer kernels.
  if (foldQDQ)
    pm.addPass(mlir::kiln::createKilnFoldQDQ());
  pm.addPass(createCanonicalizerPass());
  if (failed(pm.run(*module)))
    return 1;
  // The target CPU, which quantization (its kernels) and code generation
  // need; --emit=kiln without quantization does not.
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine(nullptr);
  if (quantizeMode == "int8" || stage != Emit::Kiln) {
    machine = mlir::kiln::createCPUTargetMachine(
        targetCPU == "native" ? "" : targetCPU.getValue());
    if (!machine)
      return fail(machine.takeError());
  }
  if (quantizeMode == "int8" && failed(quantizeInt8(*module, **machine)))
    return 1;
  if ((quantizeMode == "bf16" || quantizeMode == "fp16") &&
      failed(quantizeFloat(*module, quantizeMode == "bf16" ? "bf16" : "f16")))
    return 1;
  if (stage == Emit::Kiln)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  // Code generation, for the target CPU.
  auto hook = [](PassManager &pm) { return applyPassManagerCLOptions(pm); };
  FailureOr<mlir::kiln::ModelSignature> signature =
      mlir::kiln::lowerKilnToLinalg(*module, **machine, hook);
  if (failed(signature))
    return 1;
  if (stage == Emit::Linalg)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });
  if (failed(mlir::kiln::lowerLinalgToLLVM(*module, hook)))
    return 1;
  if (stage == Emit::LLVMMLIR)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  mlir::kiln::LibraryConfig config;
  config.name = name;
  config.externalWeights = externalWeights;
  std::vector<char> weights;
  llvm::LLVMContext llvmContext;
  auto translated = mlir::kiln::translateToLibraryIR(*module, llvmContext, **machine,
                                                     *signature, config, weights);
  if (!translated)
    return fail(translated.takeError());
  std::unique_ptr<llvm::Module> llvmModule = std::move(*translated);
  module = nullptr;
  if (stage == Emit::LLVMIR)
    return writeText([&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); });
  if (stage == Emit::Asm || stage == Emit::Obj)
    return writeBinary(outputPath, [&](llvm::raw_pwrite_stream &os) {
      return mlir::kiln::emitMachineCode(*llvmModule, **machine,
                                         stage == Emit::Asm, os);
    });

  // The shared library: linked in a temporary folder, then every output
  // moves into place.
  TempDir temp;
  if (std::error_code ec = temp.create())
    return fail(llvm::createStringError(ec, "cannot create a temporary folder"));
  std::string library = temp.file("model.so");
  if (llvm::Error error = mlir::kiln::linkLibrary(*llvmModule, **machine, library,
                                                  llvm::sys::path::filename(outputPath)))
    return fail(std::move(error));
  llvmModule.reset();
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
