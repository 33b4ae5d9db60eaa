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

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

static bool isScalarOf(Type type, unsigned width) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isSignlessInteger(width) &&
         tensor.hasStaticShape() && tensor.getNumElements() == 1;
}

LogicalResult LoopOp::verify() {
  for (Value v : {getMaxTripCount(), getCondition()})
    if (v && (!rankedType(v).hasStaticShape() ||
              rankedType(v).getNumElements() != 1))
      return emitOpError("expects one-element trip count and condition");
  Block &body = getBody().front();
  unsigned carried = getNumCarried();
  if (body.getNumArguments() != 2 + carried)
    return emitOpError() << "expects the body to take the iteration number, "
                            "the condition and "
                         << carried << " carried values";
  if (!isScalarOf(body.getArgument(0).getType(), 64) ||
      !isScalarOf(body.getArgument(1).getType(), 1))
    return emitOpError("expects the body's first arguments to be an i64 "
                       "iteration number and an i1 condition");
  auto yield = llvm::dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("expects the body to end in kiln.yield");
  if (yield.getNumOperands() < 1 + carried ||
      !isScalarOf(yield.getOperand(0).getType(), 1))
    return emitOpError("expects the body to yield the condition and the "
                       "carried values first");
  unsigned scans = yield.getNumOperands() - 1 - carried;
  if (getNumResults() != carried + scans)
    return emitOpError() << "expects " << carried + scans
                         << " results (carried values, then scan outputs)";
  for (unsigned i = 0; i < carried; ++i) {
    Type argType = body.getArgument(2 + i).getType();
    if (getResult(i).getType() != argType ||
        yield.getOperand(1 + i).getType() != argType ||
        !areCompatibleReturnTypes(getInitial()[i].getType(), argType))
      return emitOpError() << "carried value #" << i
                           << " has inconsistent types";
  }
  for (unsigned i = 0; i < scans; ++i) {
    auto element = rankedType(yield.getOperand(1 + carried + i));
    auto stacked = rankedType(getResult(carried + i));
    if (stacked.getRank() != element.getRank() + 1 ||
        stacked.getElementType() != element.getElementType() ||
        failed(joinShapes(stacked.getShape().drop_front(), element.getShape())))
      return emitOpError() << "scan output #" << i << " of type " << stacked
                           << " does not stack values of type " << element;
  }
  return success();
}
