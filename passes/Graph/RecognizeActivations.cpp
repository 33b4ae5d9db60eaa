//===- RecognizeActivations.cpp - activations spelled as elementwise ops --===//
//
// kiln-recognize-activations: exporters often write hard swish as
// x * clip(x + 3, 0, 6) / 6 (PaddleOCR's models do). As one kiln.hard_swish
// it is one op that the CPU kernels apply in a convolution's epilogue
// instead of four passes over the tensor.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "dialects/Kiln/ConstantFolding.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNRECOGNIZEACTIVATIONS
#include "passes/Graph/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// Whether `v` is a float constant with one element equal to `expected`
/// (to float precision).
bool isScalar(Value v, double expected) {
  std::optional<double> value = v ? scalarFloatConstant(v) : std::nullopt;
  return value && std::fabs(*value - expected) <= 1e-6 * std::fabs(expected);
}

/// Whether the float attribute `a` holds `expected`.
bool hasValue(Attribute a, double expected) {
  auto f = llvm::dyn_cast_or_null<FloatAttr>(a);
  return f && f.getValueAsDouble() == expected;
}

/// clip(x + 3, 0, 6) of the same type as x: returns x.
Value relu6Shifted(Value v, Type type) {
  auto clip = v.getDefiningOp<ClipOp>();
  if (!clip || clip.getType() != type || !hasValue(clip.getMinAttr(), 0.0) ||
      !hasValue(clip.getMaxAttr(), 6.0))
    return {};
  auto add = clip.getInput().getDefiningOp<AddOp>();
  if (!add || add.getType() != type)
    return {};
  if (isScalar(add.getRhs(), 3.0) && add.getLhs().getType() == type)
    return add.getLhs();
  if (isScalar(add.getLhs(), 3.0) && add.getRhs().getType() == type)
    return add.getRhs();
  return {};
}

/// x * clip(x + 3, 0, 6) (either order): returns x.
Value hardSwishTimesSix(Value v, Type type) {
  auto mul = v.getDefiningOp<MulOp>();
  if (!mul || mul.getType() != type)
    return {};
  for (auto [x, other] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                          std::make_pair(mul.getRhs(), mul.getLhs())})
    if (Value inner = relu6Shifted(other, type); inner && inner == x)
      return x;
  return {};
}

/// (x * clip(x + 3, 0, 6)) / 6 -> hard_swish(x).
struct HardSwishByDivision : public OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div, PatternRewriter &rewriter) const override {
    if (!isScalar(div.getRhs(), 6.0))
      return failure();
    Value x = hardSwishTimesSix(div.getLhs(), div.getType());
    if (!x)
      return failure();
    rewriter.replaceOpWithNewOp<HardSwishOp>(div, div.getType(), x);
    return success();
  }
};

/// (x * clip(x + 3, 0, 6)) * (1/6), either order -> hard_swish(x).
struct HardSwishByProduct : public OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    for (auto [value, scale] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                                std::make_pair(mul.getRhs(), mul.getLhs())}) {
      if (!isScalar(scale, 1.0 / 6.0))
        continue;
      if (Value x = hardSwishTimesSix(value, mul.getType())) {
        rewriter.replaceOpWithNewOp<HardSwishOp>(mul, mul.getType(), x);
        return success();
      }
    }
    return failure();
  }
};

struct KilnRecognizeActivationsPass
    : public mlir::kiln::impl::KilnRecognizeActivationsBase<KilnRecognizeActivationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<HardSwishByDivision, HardSwishByProduct>(&getContext());
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
