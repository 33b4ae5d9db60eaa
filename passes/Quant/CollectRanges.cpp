//===- CollectRanges.cpp - value ranges on calibration data ---------------===//

#include "passes/Quant/Observe.h"
#include "passes/Quant/Passes.h"

#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNQUANTCOLLECTRANGES
#include "passes/Quant/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

bool mlir::kiln::isQuantizable(Operation *op) {
  if (auto precision = op->getAttrOfType<StringAttr>(kPrecisionAttr);
      precision && precision.getValue() == "f32")
    return false;
  auto isF32 = [](Value v, int64_t rank) {
    auto t = llvm::dyn_cast<RankedTensorType>(v.getType());
    return t && t.getRank() == rank && t.hasStaticShape() && t.getElementType().isF32();
  };
  if (auto gemm = llvm::dyn_cast<GemmOp>(op)) {
    // A [M][K] times constant weights, plus a constant per column: a 1x1
    // convolution of M one-pixel images.
    Value c = gemm.getC();
    auto b = llvm::dyn_cast<RankedTensorType>(gemm.getB().getType());
    return !gemm.getTransA() && gemm.getAlpha().convertToFloat() == 1.0f &&
           (!c || gemm.getBeta().convertToFloat() == 1.0f) && isF32(gemm.getA(), 2) &&
           isF32(gemm.getB(), 2) && isF32(gemm.getResult(), 2) &&
           matchPattern(gemm.getB(), m_Constant()) &&
           (!c || (isF32(c, 1) && matchPattern(c, m_Constant()))) &&
           b.getNumElements() * llvm::cast<RankedTensorType>(gemm.getType()).getDimSize(0) >=
               kMinQuantizedMacs;
  }
  auto conv = llvm::dyn_cast<ConvOp>(op);
  if (!conv)
    return false;
  if (!(conv.getGroup() == 1 && isF32(conv.getInput(), 4) && isF32(conv.getFilter(), 4) &&
        isF32(conv.getResult(), 4) && matchPattern(conv.getFilter(), m_Constant()) &&
        (!conv.getBias() ||
         (isF32(conv.getBias(), 1) && matchPattern(conv.getBias(), m_Constant())))))
    return false;
  // Convolutions too small to gain from integer arithmetic (the 1x1 ones of
  // squeeze-and-excitation blocks, on one pixel) would only lose accuracy.
  auto filter = llvm::cast<RankedTensorType>(conv.getFilter().getType());
  auto out = llvm::cast<RankedTensorType>(conv.getType());
  return filter.getNumElements() * out.getDimSize(2) * out.getDimSize(3) >= kMinQuantizedMacs;
}

Value mlir::kiln::quantizedOperand(Operation *op) { return op->getOperand(0); }

namespace {

struct Range {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  std::vector<int64_t> histogram;
  /// The histogram's domain: [min(min, 0), max(max, 0)].
  float lo() const { return std::min(min, 0.0f); }
  float hi() const { return std::max(max, 0.0f); }
};

struct KilnQuantCollectRangesPass
    : public mlir::kiln::impl::KilnQuantCollectRangesBase<KilnQuantCollectRangesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError("kiln-quant-collect-ranges: the module has no @main");
      return signalPassFailure();
    }
    if (calibration.empty()) {
      module.emitError("kiln-quant-collect-ranges: no calibration folder "
                       "(calibration=DIR)");
      return signalPassFailure();
    }
    if (bins < 16) {
      module.emitError("kiln-quant-collect-ranges: bins must be at least 16");
      return signalPassFailure();
    }
    // The ops to calibrate and the distinct values they read.
    SmallVector<Operation *> ops;
    SmallVector<Value> values;
    llvm::DenseMap<Value, size_t> index;
    main.walk([&](Operation *op) {
      if (!isQuantizable(op))
        return;
      ops.push_back(op);
      Value v = quantizedOperand(op);
      if (index.try_emplace(v, values.size()).second)
        values.push_back(v);
    });
    if (ops.empty())
      return;
    FailureOr<std::vector<DataSet>> sets = loadDataSets(main, calibration, "calibration");
    if (failed(sets))
      return signalPassFailure();
    FailureOr<std::unique_ptr<Observer>> observer = Observer::create(module, values);
    if (failed(observer))
      return signalPassFailure();

    // Two sweeps: the extremes, then histograms over them.
    std::vector<Range> ranges(values.size());
    std::vector<std::vector<float>> outputs, observed;
    for (int sweep = 0; sweep < 2; ++sweep)
      for (const DataSet &set : *sets) {
        if (failed((*observer)->run(set, outputs, observed)))
          return signalPassFailure();
        for (size_t v = 0; v < values.size(); ++v) {
          Range &r = ranges[v];
          if (sweep == 0) {
            for (float x : observed[v])
              if (std::isfinite(x)) {
                r.min = std::min(r.min, x);
                r.max = std::max(r.max, x);
              }
            continue;
          }
          if (r.histogram.empty())
            r.histogram.assign(static_cast<size_t>(bins), 0);
          float lo = r.lo(), width = (r.hi() - lo) / static_cast<float>(bins);
          for (float x : observed[v]) {
            if (!std::isfinite(x))
              continue;
            int64_t b = width > 0 ? static_cast<int64_t>((x - lo) / width) : 0;
            r.histogram[static_cast<size_t>(std::clamp<int64_t>(b, 0, bins - 1))] += 1;
          }
        }
      }
    Builder b(&getContext());
    for (Operation *op : ops) {
      Range &r = ranges[index.lookup(quantizedOperand(op))];
      if (r.min > r.max) // no finite value at all
        r.min = r.max = 0.0f;
      op->setAttr(kInputRangeAttr,
                  b.getDictionaryAttr({b.getNamedAttr("min", b.getF32FloatAttr(r.min)),
                                       b.getNamedAttr("max", b.getF32FloatAttr(r.max)),
                                       b.getNamedAttr("histogram",
                                                      b.getDenseI64ArrayAttr(r.histogram))}));
    }
  }
};

} // namespace
