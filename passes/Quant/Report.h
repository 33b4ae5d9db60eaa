//===- Report.h - what quantization cost, measured -------------------------===//
//
// Runs the float and the quantized model on the same data sets and
// compares, per quantized layer, its output (SQNR) and, for the model, its
// f32 outputs (relative L2 error).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_QUANT_REPORT_H
#define KILN_PASSES_QUANT_REPORT_H

#include "passes/Quant/Observe.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::kiln {

/// The kind of layer a report lists `op` as: "conv", "gemm",
/// "conv_transpose" or "matmul"; empty for other ops.
llvm::StringRef layerKind(Operation *op);

struct LayerReport {
  std::string name;
  std::string op;        // "conv", "gemm", "conv_transpose" or "matmul"
  std::string precision; // "int8", "bf16", "f16" or "f32"
  /// 10 log10(sum f^2 / sum (f - q)^2) of the layer's output over all
  /// sets (infinite when equal); NaN when the layer stayed in float.
  double sqnrDb = 0;
  int64_t weightBytesBefore = 0, weightBytesAfter = 0;
  /// Why a layer stayed in float, or empty.
  std::string reason;
};

struct OutputReport {
  std::string name;
  /// ||q - f|| / ||f|| per set: the largest and the mean.
  double maxRelL2 = 0, meanRelL2 = 0;
};

struct QuantReport {
  std::vector<LayerReport> layers;
  std::vector<OutputReport> outputs;
  std::string dataDir;
  size_t dataSets = 0;
  double maxRelL2() const;
};

/// The float model to measure quantized versions of it against: kiln IR
/// before kiln-quantize (or kiln-quantize-float), whose convolutions,
/// gemms (and matmuls) carry kiln.layer names. It is compiled once,
/// returning every named layer's result, so that an accuracy budget's
/// attempts only compile their quantized model.
class FloatBaseline {
public:
  /// `original` must outlive the baseline.
  static FailureOr<std::unique_ptr<FloatBaseline>> create(ModuleOp original);

  /// Measures `quantized` (the same layer names) on `sets`: quantized to
  /// `mode` ("int8", or "bf16" / "f16": kiln-quantize-float's weights).
  /// Layers with no quantized counterpart are listed as f32, with the
  /// reason when known.
  FailureOr<QuantReport> measure(ModuleOp quantized, llvm::ArrayRef<DataSet> sets,
                                 llvm::StringRef mode);

private:
  FloatBaseline(ModuleOp original, SmallVector<Operation *> layers,
                std::unique_ptr<Observer> run)
      : original(original), layers(std::move(layers)), run(std::move(run)) {}
  ModuleOp original;
  /// The named convolutions and gemms, in order; run returns their results.
  SmallVector<Operation *> layers;
  std::unique_ptr<Observer> run;
};

/// The report as JSON, an object with `settings`' members and the
/// report's.
void writeReportJson(llvm::raw_ostream &os, const QuantReport &report,
                     const llvm::json::Object &settings);

/// The report as a table for people.
void writeReportTable(llvm::raw_ostream &os, const QuantReport &report);

} // namespace mlir::kiln

#endif // KILN_PASSES_QUANT_REPORT_H
