//===- ControlFlowToSCF.cpp - kiln.if and kiln.loop to scf ----------------===//
//
// Regions move into scf ops as they are; their ops are converted like any
// others. kiln.if becomes scf.if, its kiln.yield terminators scf.yield.
// kiln.loop becomes scf.for when its trip count is a constant and its
// condition cannot end it early (the case whose scan outputs have static
// shapes); scan outputs are written into their stacked results slice by
// slice.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The scalar of a one-element tensor.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = rankedType(tensor);
  SmallVector<Value> indices(type.getRank(),
                             arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, indices);
}

struct LowerIf : public OpConversionPattern<IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op.getResultTypes(), resultTypes)))
      return failure();
    Location loc = op.getLoc();
    Value condition = extractScalar(rewriter, loc, adaptor.getCondition());
    auto ifOp = scf::IfOp::create(rewriter, loc, resultTypes, condition,
                                  /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// Whether `value` is a one-element constant equal to `expected`.
bool isConstantBool(Value value, bool expected) {
  DenseElementsAttr attr;
  return matchPattern(value, m_Constant(&attr)) && attr.getNumElements() == 1 &&
         attr.getValues<bool>()[0] == expected;
}

struct LowerLoop : public OpConversionPattern<LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    DenseElementsAttr tripAttr;
    if (!op.getMaxTripCount() ||
        !matchPattern(op.getMaxTripCount(), m_Constant(&tripAttr)))
      return op.emitOpError("needs a constant trip count for code generation");
    int64_t trips = std::max<int64_t>(0, tripAttr.getValues<APInt>()[0].getSExtValue());
    Block &body = op.getBody().front();
    auto yield = llvm::cast<YieldOp>(body.getTerminator());
    bool startsTrue = !op.getCondition() || isConstantBool(op.getCondition(), true);
    bool keepsGoing = yield.getOperand(0) == body.getArgument(1) ||
                      isConstantBool(yield.getOperand(0), true);
    if (!startsTrue || !keepsGoing)
      return op.emitOpError("with a condition that can end it early needs "
                            "dynamic shapes, which code generation does not "
                            "support yet");
    unsigned carried = op.getNumCarried();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op.getResultTypes(), resultTypes)))
      return failure();

    // Initial values: the carried values, then empty stacked scan outputs.
    SmallVector<Value> inits;
    for (auto [value, type] : llvm::zip(adaptor.getInitial(), resultTypes))
      inits.push_back(value.getType() == type
                          ? value
                          : Value(tensor::CastOp::create(rewriter, loc, type, value)));
    for (Type type : ArrayRef<Type>(resultTypes).drop_front(carried)) {
      auto tensor = llvm::cast<RankedTensorType>(type);
      inits.push_back(emptyTensor(rewriter, loc, tensor.getShape(), tensor.getElementType()));
    }
    auto forOp = scf::ForOp::create(
        rewriter, loc, arith::ConstantIndexOp::create(rewriter, loc, 0),
        arith::ConstantIndexOp::create(rewriter, loc, trips),
        arith::ConstantIndexOp::create(rewriter, loc, 1), inits);

    // The body's arguments: the iteration number as a one-element i64
    // tensor, the condition (true), the carried values.
    Block *forBody = forOp.getBody();
    rewriter.setInsertionPointToStart(forBody);
    Value iv = forOp.getInductionVar();
    Value iteration = tensor::FromElementsOp::create(
        rewriter, loc, body.getArgument(0).getType(),
        ValueRange{arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), iv)});
    Value condition = tensor::FromElementsOp::create(
        rewriter, loc, body.getArgument(1).getType(),
        ValueRange{arith::ConstantIntOp::create(rewriter, loc, 1, 1)});
    SmallVector<Value> replacements{iteration, condition};
    for (unsigned i = 0; i < carried; ++i)
      replacements.push_back(forOp.getRegionIterArgs()[i]);
    // scf.for has an implicit terminator when it has no results.
    if (forBody->mightHaveTerminator())
      rewriter.eraseOp(forBody->getTerminator());
    rewriter.inlineBlockBefore(&body, forBody, forBody->end(), replacements);

    // The yield: carried values pass on, scan values go into their slice.
    rewriter.setInsertionPoint(yield);
    SmallVector<Value> next(yield.getOperands().slice(1, carried));
    for (unsigned i = 0; i < next.size(); ++i)
      if (next[i].getType() != resultTypes[i])
        next[i] = tensor::CastOp::create(rewriter, loc, resultTypes[i], next[i]);
    for (unsigned i = carried; i < resultTypes.size(); ++i) {
      Value element = yield.getOperand(1 + i);
      auto stacked = llvm::cast<RankedTensorType>(resultTypes[i]);
      SmallVector<OpFoldResult> offsets(stacked.getRank(), rewriter.getIndexAttr(0));
      offsets[0] = iv;
      SmallVector<OpFoldResult> sizes{rewriter.getIndexAttr(1)};
      for (int64_t d : stacked.getShape().drop_front())
        sizes.push_back(rewriter.getIndexAttr(d));
      SmallVector<OpFoldResult> strides(stacked.getRank(), rewriter.getIndexAttr(1));
      auto sliceType = RankedTensorType::get(stacked.getShape().drop_front(),
                                             stacked.getElementType());
      if (rankedType(element) != sliceType)
        element = tensor::CastOp::create(rewriter, loc, sliceType, element);
      next.push_back(tensor::InsertSliceOp::create(
          rewriter, loc, element, forOp.getRegionIterArgs()[i], offsets, sizes, strides));
    }
    rewriter.replaceOpWithNewOp<scf::YieldOp>(yield, next);
    rewriter.replaceOp(op, forOp.getResults());
    return success();
  }
};

/// kiln.yield in a region that already moved into an scf op.
struct LowerYield : public OpConversionPattern<YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!llvm::isa<scf::IfOp>(op->getParentOp()))
      return failure();
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, adaptor.getOperands());
    return success();
  }
};

} // namespace

void mlir::kiln::populateControlFlowToSCFPatterns(const TypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<LowerIf, LowerLoop, LowerYield>(converter, patterns.getContext());
}
