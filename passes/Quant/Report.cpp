//===- Report.cpp - what quantization cost, measured -----------------------===//

#include "passes/Quant/Report.h"
#include "passes/Quant/Passes.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

double QuantReport::maxRelL2() const {
  double worst = 0;
  for (const OutputReport &o : outputs)
    worst = std::max(worst, o.maxRelL2);
  return worst;
}

llvm::StringRef mlir::kiln::layerKind(Operation *op) {
  return llvm::TypeSwitch<Operation *, llvm::StringRef>(op)
      .Case([](ConvOp) { return "conv"; })
      .Case([](GemmOp) { return "gemm"; })
      .Case([](ConvTransposeOp) { return "conv_transpose"; })
      .Case([](MatMulOp) { return "matmul"; })
      .Default([](Operation *) { return ""; });
}

namespace {

int64_t elementsOf(Value v) {
  return v ? llvm::cast<RankedTensorType>(v.getType()).getNumElements() : 0;
}

std::string layerName(Operation *op) {
  auto name = op->getAttrOfType<StringAttr>(kLayerAttr);
  return name ? name.str() : std::string();
}

} // namespace

FailureOr<std::unique_ptr<FloatBaseline>> FloatBaseline::create(ModuleOp original) {
  SmallVector<Operation *> layers;
  SmallVector<Value> results;
  original.walk([&](Operation *op) {
    if (!layerKind(op).empty() && !layerName(op).empty()) {
      layers.push_back(op);
      results.push_back(op->getResult(0));
    }
  });
  auto run = Observer::create(original, results);
  if (failed(run))
    return failure();
  return std::unique_ptr<FloatBaseline>(
      new FloatBaseline(original, std::move(layers), std::move(*run)));
}

FailureOr<QuantReport> FloatBaseline::measure(ModuleOp quantized, llvm::ArrayRef<DataSet> sets,
                                              llvm::StringRef mode) {
  QuantReport report;
  report.dataSets = sets.size();
  // Each layer's op in the quantized model: quantized, or still float.
  llvm::StringMap<Operation *> byName;
  quantized.walk([&](Operation *op) {
    if ((llvm::isa<QuantizedConvOp>(op) || !layerKind(op).empty()) && !layerName(op).empty())
      byName[layerName(op)] = op;
  });
  // The quantized model returns every layer's result too, as the float
  // run does, so that the two compile alike where they have the same ops
  // (with every layer in float, exactly alike). Per quantized layer: its
  // index in `layers` (and in both runs' results) and its clamp.
  SmallVector<size_t> floatIndex;
  SmallVector<Value> quantValues;
  SmallVector<std::pair<float, float>> clamps;
  for (auto [index, op] : llvm::enumerate(layers)) {
    LayerReport layer;
    layer.name = layerName(op);
    layer.op = layerKind(op).str();
    layer.weightBytesBefore = 4 * (elementsOf(op->getOperand(1)) +
                                   (op->getNumOperands() > 2 ? elementsOf(op->getOperand(2)) : 0));
    layer.sqnrDb = std::nan("");
    auto it = byName.find(layer.name);
    if (it == byName.end())
      return op->emitError() << "layer '" << layer.name << "' is not in the quantized model";
    quantValues.push_back(it->second->getResult(0));
    auto q = llvm::dyn_cast<QuantizedConvOp>(it->second);
    // Weights rounded to 16 bits (kiln-quantize-float), computed in f32.
    auto precision = it->second->getAttrOfType<StringAttr>(kPrecisionAttr);
    if (!q && precision && (precision.getValue() == "bf16" || precision.getValue() == "f16")) {
      layer.precision = precision.str();
      layer.weightBytesAfter = layer.weightBytesBefore - 2 * elementsOf(op->getOperand(1));
      floatIndex.push_back(index);
      float inf = std::numeric_limits<float>::infinity();
      clamps.push_back({-inf, inf});
    } else if (!q) {
      layer.precision = "f32";
      layer.weightBytesAfter = layer.weightBytesBefore;
      if (auto reason = op->getAttrOfType<StringAttr>(kPrecisionReasonAttr))
        layer.reason = reason.str();
      else if (auto reason = it->second->getAttrOfType<StringAttr>(kPrecisionReasonAttr))
        layer.reason = reason.str();
      else if (mode != "int8" && !it->second->hasAttr(kPrecisionAttr))
        layer.reason = "weights not constant";
      else if (auto conv = llvm::dyn_cast<ConvOp>(op);
               mode == "int8" && conv && conv.getGroup() != 1)
        layer.reason = "grouped convolution: no int8 kernel";
      else if (mode == "int8" && !isQuantizable(op) && !op->hasAttr(kPrecisionAttr))
        layer.reason = "too few multiply-adds to gain from int8, or weights not constant";
    } else {
      layer.precision = "int8";
      int64_t m = llvm::cast<RankedTensorType>(q.getFilter().getType()).getDimSize(0);
      layer.weightBytesAfter = elementsOf(q.getFilter()) + 4 * m + 4 * elementsOf(q.getBias());
      floatIndex.push_back(index);
      float inf = std::numeric_limits<float>::infinity();
      clamps.push_back({q.getClampMin() ? q.getClampMin()->convertToFloat() : -inf,
                        q.getClampMax() ? q.getClampMax()->convertToFloat() : inf});
    }
    report.layers.push_back(layer);
  }
  auto quantRun = Observer::create(quantized, quantValues);
  if (failed(quantRun))
    return failure();
  auto main = original.lookupSymbol<func::FuncOp>("main");
  size_t numOutputs = run->numOutputs();
  for (size_t i = 0; i < numOutputs; ++i) {
    auto name = main.getResultAttrOfType<StringAttr>(i, "kiln.name");
    report.outputs.push_back({name ? name.str() : "#" + std::to_string(i), 0, 0});
  }
  std::vector<double> signal(floatIndex.size(), 0), noise(floatIndex.size(), 0);
  std::vector<std::vector<float>> fOut, qOut, fObs, qObs;
  for (const DataSet &set : sets) {
    if (failed(run->run(set, fOut, fObs)) || failed((*quantRun)->run(set, qOut, qObs)))
      return failure();
    for (size_t v = 0; v < floatIndex.size(); ++v) {
      auto [lo, hi] = clamps[v];
      const std::vector<float> &floats = fObs[floatIndex[v]], &quants = qObs[floatIndex[v]];
      for (size_t k = 0; k < floats.size(); ++k) {
        double f = std::clamp(floats[k], lo, hi), q = quants[k];
        signal[v] += f * f;
        noise[v] += (f - q) * (f - q);
      }
    }
    for (size_t i = 0; i < numOutputs; ++i) {
      if (fOut[i].empty() || qOut[i].size() != fOut[i].size())
        continue;
      double num = 0, den = 0;
      for (size_t k = 0; k < fOut[i].size(); ++k) {
        double d = static_cast<double>(qOut[i][k]) - fOut[i][k];
        num += d * d;
        den += static_cast<double>(fOut[i][k]) * fOut[i][k];
      }
      double rel = den > 0 ? std::sqrt(num / den) : std::sqrt(num);
      report.outputs[i].maxRelL2 = std::max(report.outputs[i].maxRelL2, rel);
      report.outputs[i].meanRelL2 += rel / static_cast<double>(sets.size());
    }
  }
  for (size_t v = 0; v < floatIndex.size(); ++v)
    report.layers[floatIndex[v]].sqnrDb =
        noise[v] > 0 ? 10.0 * std::log10(signal[v] / noise[v])
                     : std::numeric_limits<double>::infinity();
  return report;
}

void mlir::kiln::writeReportJson(llvm::raw_ostream &os, const QuantReport &report,
                                 const llvm::json::Object &settings) {
  // JSON has no infinity or NaN: the SQNR of a layer that stayed in float
  // is null, that of an exact one null with "exact": true.
  llvm::json::Object root = settings;
  llvm::json::Array layers;
  int64_t before = 0, after = 0;
  for (const LayerReport &l : report.layers) {
    before += l.weightBytesBefore;
    after += l.weightBytesAfter;
    llvm::json::Object o{{"name", l.name},
                         {"op", l.op},
                         {"precision", l.precision},
                         {"weight_bytes_f32", l.weightBytesBefore},
                         {"weight_bytes", l.weightBytesAfter}};
    if (std::isnan(l.sqnrDb))
      o["sqnr_db"] = nullptr;
    else if (std::isinf(l.sqnrDb))
      o["sqnr_db"] = nullptr, o["exact"] = true;
    else
      o["sqnr_db"] = std::round(l.sqnrDb * 100) / 100;
    if (!l.reason.empty())
      o["reason"] = l.reason;
    layers.push_back(std::move(o));
  }
  llvm::json::Array outputs;
  for (const OutputReport &o : report.outputs)
    outputs.push_back(llvm::json::Object{{"name", o.name},
                                         {"max_relative_l2", o.maxRelL2},
                                         {"mean_relative_l2", o.meanRelL2}});
  root["data"] = llvm::json::Object{{"folder", report.dataDir},
                                    {"sets", static_cast<int64_t>(report.dataSets)}};
  root["layers"] = std::move(layers);
  root["weight_bytes_f32"] = before;
  root["weight_bytes"] = after;
  root["outputs"] = std::move(outputs);
  root["max_relative_l2"] = report.maxRelL2();
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

void mlir::kiln::writeReportTable(llvm::raw_ostream &os, const QuantReport &report) {
  size_t width = 5, opWidth = 4;
  for (const LayerReport &l : report.layers) {
    width = std::max(width, l.name.size());
    opWidth = std::max(opWidth, l.op.size());
  }
  os << llvm::left_justify("layer", width) << "  " << llvm::left_justify("op", opWidth)
     << "  precision  SQNR(dB)  weights f32 -> now\n";
  int64_t before = 0, after = 0;
  for (const LayerReport &l : report.layers) {
    before += l.weightBytesBefore;
    after += l.weightBytesAfter;
    os << llvm::left_justify(l.name, width) << "  " << llvm::left_justify(l.op, opWidth) << "  "
       << llvm::left_justify(l.precision, 9) << "  ";
    if (std::isnan(l.sqnrDb))
      os << llvm::right_justify("-", 8);
    else if (std::isinf(l.sqnrDb))
      os << llvm::right_justify("exact", 8);
    else
      os << llvm::format("%8.1f", l.sqnrDb);
    os << "  " << llvm::format("%10lld -> %lld", static_cast<long long>(l.weightBytesBefore),
                               static_cast<long long>(l.weightBytesAfter));
    if (!l.reason.empty())
      os << "  (" << l.reason << ")";
    os << "\n";
  }
  os << "weights of these layers: " << before << " -> " << after << " bytes";
  if (after > 0)
    os << llvm::format(" (%.2fx smaller)", static_cast<double>(before) / static_cast<double>(after));
  os << "\n";
  for (const OutputReport &o : report.outputs)
    os << "output '" << o.name << "': relative L2 error vs float32 over " << report.dataSets
       << " input set" << (report.dataSets == 1 ? "" : "s") << " ("
       << report.dataDir << "): max " << llvm::format("%.4g", o.maxRelL2) << ", mean "
       << llvm::format("%.4g", o.meanRelL2) << "\n";
}
