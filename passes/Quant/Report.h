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

struct LayerReport {
  std::string name;
  std::string op;        // "conv"
  std::string precision; // "int8" or "f32"
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

/// Measures `quantized` against `original` (kiln IR, the same model before
/// kiln-quantize, whose convolutions carry the same kiln.layer names) on
/// `sets`. Layers of `original` with no quantized counterpart are listed
/// as f32.
FailureOr<QuantReport> measureQuantization(ModuleOp original, ModuleOp quantized,
                                           llvm::ArrayRef<DataSet> sets);

/// The report as JSON, an object with `settings`' members and the
/// report's.
void writeReportJson(llvm::raw_ostream &os, const QuantReport &report,
                     const llvm::json::Object &settings);

/// The report as a table for people.
void writeReportTable(llvm::raw_ostream &os, const QuantReport &report);

} // namespace mlir::kiln

#endif // KILN_PASSES_QUANT_REPORT_H
