//===- RemoveIdentity.cpp - erase identity and inference dropout ----------===//

#include "passes/Graph/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNREMOVEIDENTITY
#include "passes/Graph/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {
/// Forwards the operand of a pass-through op. Where the op's declared type
/// is more static than its operand, a `tensor.cast` keeps it.
template <typename OpTy>
struct ForwardOperand : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    if (input.getType() == op.getType()) {
      rewriter.replaceOp(op, input);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::CastOp>(op, op.getType(), input);
    return success();
  }
};

struct KilnRemoveIdentityPass
    : public mlir::kiln::impl::KilnRemoveIdentityBase<KilnRemoveIdentityPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRemoveIdentityPatterns(patterns);
    // Only this pass's rewrites: folding is canonicalization's job.
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace

void mlir::kiln::populateRemoveIdentityPatterns(RewritePatternSet &patterns) {
  patterns.add<ForwardOperand<IdentityOp>, ForwardOperand<DropoutOp>>(
      patterns.getContext());
}
