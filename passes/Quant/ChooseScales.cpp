//===- ChooseScales.cpp - quantized types from recorded ranges ------------===//

#include "passes/Quant/Passes.h"

#include <cmath>
#include <numeric>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNQUANTCHOOSESCALES
#include "passes/Quant/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// A recorded range: extremes and a histogram over [min(min,0), max(max,0)].
struct Recorded {
  double min = 0, max = 0;
  ArrayRef<int64_t> histogram;
  double lo() const { return std::min(min, 0.0); }
  double hi() const { return std::max(max, 0.0); }
  double binWidth() const { return (hi() - lo()) / static_cast<double>(histogram.size()); }
};

FailureOr<Recorded> readRange(Operation *op, DictionaryAttr dict) {
  Recorded r;
  auto min = dict ? dict.getAs<FloatAttr>("min") : nullptr;
  auto max = dict ? dict.getAs<FloatAttr>("max") : nullptr;
  auto histogram = dict ? dict.getAs<DenseI64ArrayAttr>("histogram") : nullptr;
  if (!min || !max || !histogram)
    return op->emitOpError() << "has a malformed " << kInputRangeAttr
                             << " (expects {min, max, histogram})";
  r.min = min.getValueAsDouble();
  r.max = max.getValueAsDouble();
  r.histogram = histogram.asArrayRef();
  if (!(r.min <= r.max) || !std::isfinite(r.min) || !std::isfinite(r.max))
    return op->emitOpError() << "has a " << kInputRangeAttr << " with min > max";
  if (llvm::any_of(r.histogram, [](int64_t c) { return c < 0; }))
    return op->emitOpError() << "has a " << kInputRangeAttr << " with a negative count";
  return r;
}

/// The range the P-th percentile at the top and the (100 - P)-th at the
/// bottom of the histogram bound.
std::pair<double, double> percentileRange(const Recorded &r, double p) {
  int64_t total = std::accumulate(r.histogram.begin(), r.histogram.end(), int64_t(0));
  if (total == 0 || r.histogram.empty())
    return {r.lo(), r.hi()};
  double keep = p / 100.0, w = r.binWidth();
  double below = static_cast<double>(total) * (1.0 - keep);
  double upTo = static_cast<double>(total) * keep;
  int64_t n = static_cast<int64_t>(r.histogram.size()), cum = 0, lowBin = 0, highBin = n - 1;
  bool lowSet = false;
  for (int64_t i = 0; i < n; ++i) {
    cum += r.histogram[i];
    if (!lowSet && static_cast<double>(cum) > below) {
      lowBin = i;
      lowSet = true;
    }
    if (static_cast<double>(cum) >= upTo) {
      highBin = i;
      break;
    }
  }
  double a = std::max(r.lo(), r.lo() + static_cast<double>(lowBin) * w);
  double b = std::min(r.hi(), r.lo() + static_cast<double>(highBin + 1) * w);
  return {std::min(a, 0.0), std::max(b, 0.0)};
}

/// Kullback-Leibler divergence of the histogram clipped to bins [i0, i1)
/// from its quantization to `levels` levels.
double divergence(ArrayRef<int64_t> h, int64_t i0, int64_t i1, int64_t levels) {
  int64_t n = i1 - i0;
  std::vector<double> p(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    p[i] = static_cast<double>(h[i0 + i]);
  for (int64_t i = 0; i < i0; ++i)
    p[0] += static_cast<double>(h[i]);
  for (int64_t i = i1; i < static_cast<int64_t>(h.size()); ++i)
    p[n - 1] += static_cast<double>(h[i]);
  // Q: each level's mass (of the unclipped bins) spread over its nonzero bins.
  std::vector<double> q(static_cast<size_t>(n), 0.0);
  for (int64_t l = 0; l < levels; ++l) {
    int64_t b0 = l * n / levels, b1 = (l + 1) * n / levels;
    double mass = 0;
    int64_t nonzero = 0;
    for (int64_t i = b0; i < b1; ++i) {
      mass += static_cast<double>(h[i0 + i]);
      nonzero += h[i0 + i] != 0;
    }
    for (int64_t i = b0; i < b1; ++i)
      if (h[i0 + i] != 0)
        q[i] = mass / static_cast<double>(nonzero);
  }
  double sp = std::accumulate(p.begin(), p.end(), 0.0);
  double sq = std::accumulate(q.begin(), q.end(), 0.0);
  if (sp <= 0 || sq <= 0)
    return 0;
  double kl = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (p[i] <= 0)
      continue;
    double pi = p[i] / sp, qi = q[i] > 0 ? q[i] / sq : 1e-12;
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

/// The range, among [lo * f, hi * f] for fractions f = k/128 in [1/8, 1]
/// (while the range keeps `levels` bins), whose quantization to `levels`
/// levels loses the least information.
std::pair<double, double> entropyRange(const Recorded &recorded, int64_t levels) {
  // Few samples spread over many bins make every quantization look alike:
  // bins merge in pairs while the nonzero ones hold under 32 samples on
  // average (down to 2 * levels bins).
  std::vector<int64_t> merged(recorded.histogram.begin(), recorded.histogram.end());
  auto sparse = [&] {
    int64_t total = 0, nonzero = 0;
    for (int64_t c : merged)
      total += c, nonzero += c != 0;
    return nonzero > 0 && total < 32 * nonzero;
  };
  while (static_cast<int64_t>(merged.size()) >= 4 * levels && sparse()) {
    std::vector<int64_t> half(merged.size() / 2);
    for (size_t i = 0; i < half.size(); ++i)
      half[i] = merged[2 * i] + merged[2 * i + 1];
    merged = std::move(half);
  }
  Recorded r = recorded;
  r.histogram = merged;
  int64_t n = static_cast<int64_t>(r.histogram.size());
  if (n < levels || r.hi() <= r.lo())
    return {r.lo(), r.hi()};
  // Bin z holds zero: candidates shrink both sides of it alike.
  double w = r.binWidth();
  int64_t zero = std::clamp<int64_t>(static_cast<int64_t>(std::llround(-r.lo() / w)), 0, n);
  // The bin of zero (a ReLU's spike, exact under every range) is left out
  // of the divergence: it would drown the tails the ranges differ in.
  if (zero < n)
    merged[zero] = 0;
  double best = std::numeric_limits<double>::infinity();
  std::pair<double, double> range{r.lo(), r.hi()};
  for (int64_t step = 128; step >= 16; --step) {
    double f = static_cast<double>(step) / 128.0;
    int64_t i0 = zero - static_cast<int64_t>(std::llround(static_cast<double>(zero) * f));
    int64_t i1 = zero + static_cast<int64_t>(std::llround(static_cast<double>(n - zero) * f));
    if (i1 - i0 < levels)
      break;
    double kl = divergence(r.histogram, i0, i1, levels);
    if (kl < best) {
      best = kl;
      range = {r.lo() + static_cast<double>(i0) * w, r.lo() + static_cast<double>(i1) * w};
    }
  }
  return {std::min(range.first, 0.0), std::max(range.second, 0.0)};
}

struct KilnQuantChooseScalesPass
    : public mlir::kiln::impl::KilnQuantChooseScalesBase<KilnQuantChooseScalesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    enum { MinMax, Percentile, Entropy } kind;
    double percentile = 100;
    llvm::StringRef m = method;
    if (m == "minmax") {
      kind = MinMax;
    } else if (m == "entropy") {
      kind = Entropy;
    } else if (m.consume_front("percentile:") && !m.getAsDouble(percentile) &&
               percentile > 0 && percentile <= 100) {
      kind = Percentile;
    } else {
      module.emitError() << "kiln-quant-choose-scales: unknown method '" << method
                         << "' (minmax, percentile:P with 0 < P <= 100, or entropy)";
      return signalPassFailure();
    }
    if (activations != "uint8" && activations != "int8") {
      module.emitError() << "kiln-quant-choose-scales: activations must be uint8 or int8, not '"
                         << activations << "'";
      return signalPassFailure();
    }
    bool symmetric = activations == "int8";
    MLIRContext *ctx = &getContext();
    Type i8 = IntegerType::get(ctx, 8), f32 = Float32Type::get(ctx);
    auto result = module.walk([&](Operation *op) -> WalkResult {
      Attribute attr = op->getAttr(kInputRangeAttr);
      if (!attr)
        return WalkResult::advance();
      FailureOr<Recorded> r = readRange(op, llvm::dyn_cast<DictionaryAttr>(attr));
      if (failed(r))
        return WalkResult::interrupt();
      std::pair<double, double> range{r->lo(), r->hi()};
      if (kind == Percentile)
        range = percentileRange(*r, percentile);
      else if (kind == Entropy)
        range = entropyRange(*r, 255);
      auto [a, b] = range;
      quant::UniformQuantizedType type;
      if (symmetric) {
        double amax = std::max(-a, b), scale = amax > 0 ? amax / 127.0 : 1.0;
        type = quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed, i8, f32, scale,
                                                0, -128, 127);
      } else {
        double scale = b > a ? (b - a) / 255.0 : 1.0;
        int64_t zp = std::clamp<int64_t>(std::llround(-a / scale), 0, 255);
        type = quant::UniformQuantizedType::get(0, i8, f32, scale, zp, 0, 255);
      }
      op->removeAttr(kInputRangeAttr);
      op->setAttr(kInputQTypeAttr, TypeAttr::get(type));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
