//===- ControlFlowOps.cpp - data-dependent control flow -------------------===//

#include "dialects/Kiln/KilnDialect.h"
#include "dialects/Kiln/ShapeUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::kiln;

#define GET_OP_CLASSES
#include "dialects/Kiln/KilnControlFlowOps.cpp.inc"

LogicalResult IfOp::verify() {
  auto condition = getCondition().getType();
  if (condition.hasStaticShape() && condition.getNumElements() != 1)
    return emitOpError("expects a one-element condition");
  for (Region *region : {&getThenBranch(), &getElseBranch()}) {
    auto yield = llvm::cast<YieldOp>(region->front().getTerminator());
    if (yield.getOperands().size() != getNumResults())
      return emitOpError() << "expects each branch to yield " << getNumResults()
                           << " values";
    for (auto [value, type] : llvm::zip(yield.getOperands(), getResultTypes()))
      if (value.getType() != type)
        return emitOpError() << "branch yields " << value.getType()
                             << " for a result of type " << type;
  }
  return success();
}

void IfOp::getSuccessorRegions(RegionBranchPoint point,
                               SmallVectorImpl<RegionSuccessor> &regions) {
  if (point.isParent()) {
    regions.push_back(RegionSuccessor(&getThenBranch()));
    regions.push_back(RegionSuccessor(&getElseBranch()));
    return;
  }
  regions.push_back(RegionSuccessor(getOperation(), getResults()));
}

namespace {
/// An `if` on a constant condition is replaced by the chosen branch.
struct InlineConstantIf : public OpRewritePattern<IfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IfOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<int64_t> condition = getConstantScalarInt(op.getCondition());
    if (!condition)
      return failure();
    Region &region = *condition ? op.getThenBranch() : op.getElseBranch();
    Block &block = region.front();
    auto yield = llvm::cast<YieldOp>(block.getTerminator());
    SmallVector<Value> results(yield.getOperands());
    rewriter.inlineBlockBefore(&block, op);
    rewriter.replaceOp(op, results);
    rewriter.eraseOp(yield);
    return success();
  }
};
} // namespace

void IfOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                       MLIRContext *context) {
  results.add<InlineConstantIf>(context);
}
