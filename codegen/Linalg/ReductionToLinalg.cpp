//===- ReductionToLinalg.cpp - reductions and scans to linalg -------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

using IT = utils::IteratorType;

/// Integer or float scalar ops by the kiln element type.
Value addOf(OpBuilder &b, Location l, Value x, Value y) {
  return llvm::isa<FloatType>(x.getType()) ? Value(arith::AddFOp::create(b, l, x, y))
                                           : Value(arith::AddIOp::create(b, l, x, y));
}
Value mulOf(OpBuilder &b, Location l, Value x, Value y) {
  return llvm::isa<FloatType>(x.getType()) ? Value(arith::MulFOp::create(b, l, x, y))
                                           : Value(arith::MulIOp::create(b, l, x, y));
}

template <typename OpTy>
struct LowerReduce : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto resultType = llvm::cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    ArrayRef<int64_t> axes = op.getAxes();
    Value x = adaptor.getInput();
    bool isFloat = llvm::isa<FloatType>(element);
    bool isUns = isUnsigned(element);
    int64_t count = 1;
    for (int64_t a : axes)
      count *= op.getInput().getType().getDimSize(a);
    Value zero = scalarConstant(rewriter, loc, element, 0);
    auto elementwise = [&](Value v, auto fn) {
      auto type = rankedType(v);
      return buildBroadcastGeneric(
          rewriter, loc, RankedTensorType::get(type.getShape(), element), v,
          [&](OpBuilder &b, Location l, ValueRange a) { return fn(b, l, a[0]); });
    };
    auto sum = [](OpBuilder &b, Location l, Value acc, Value v) {
      return addOf(b, l, acc, v);
    };
    Value reduced;
    if constexpr (std::is_same_v<OpTy, ReduceSumOp> || std::is_same_v<OpTy, ReduceMeanOp>) {
      reduced = reduceTensor(rewriter, loc, x, axes, zero, sum);
      if constexpr (std::is_same_v<OpTy, ReduceMeanOp>) {
        reduced = elementwise(reduced, [&](OpBuilder &b, Location l, Value v) -> Value {
          Value n = scalarConstant(b, l, element, static_cast<double>(count));
          if (isFloat)
            return arith::DivFOp::create(b, l, v, n);
          return isUns ? Value(arith::DivUIOp::create(b, l, v, n))
                       : Value(arith::DivSIOp::create(b, l, v, n));
        });
      }
    } else if constexpr (std::is_same_v<OpTy, ReduceMaxOp> ||
                         std::is_same_v<OpTy, ReduceMinOp>) {
      constexpr bool isMax = std::is_same_v<OpTy, ReduceMaxOp>;
      reduced = reduceTensor(
          rewriter, loc, x, axes, lowestValue(rewriter, loc, element, !isMax),
          [&](OpBuilder &b, Location l, Value acc, Value v) -> Value {
            if (isFloat)
              return isMax ? Value(arith::MaximumFOp::create(b, l, acc, v))
                           : Value(arith::MinimumFOp::create(b, l, acc, v));
            if (isUns)
              return isMax ? Value(arith::MaxUIOp::create(b, l, acc, v))
                           : Value(arith::MinUIOp::create(b, l, acc, v));
            return isMax ? Value(arith::MaxSIOp::create(b, l, acc, v))
                         : Value(arith::MinSIOp::create(b, l, acc, v));
          });
    } else if constexpr (std::is_same_v<OpTy, ReduceProdOp>) {
      reduced = reduceTensor(rewriter, loc, x, axes,
                             scalarConstant(rewriter, loc, element, 1),
                             [](OpBuilder &b, Location l, Value acc, Value v) {
                               return mulOf(b, l, acc, v);
                             });
    } else if constexpr (std::is_same_v<OpTy, ReduceL1Op>) {
      reduced = reduceTensor(
          rewriter, loc, x, axes, zero,
          [&](OpBuilder &b, Location l, Value acc, Value v) -> Value {
            Value a = isFloat ? Value(math::AbsFOp::create(b, l, v))
                              : (isUns ? v : Value(math::AbsIOp::create(b, l, v)));
            return addOf(b, l, acc, a);
          });
    } else if constexpr (std::is_same_v<OpTy, ReduceL2Op> ||
                         std::is_same_v<OpTy, ReduceSumSquareOp>) {
      reduced = reduceTensor(rewriter, loc, x, axes, zero,
                             [](OpBuilder &b, Location l, Value acc, Value v) {
                               return addOf(b, l, acc, mulOf(b, l, v, v));
                             });
      if constexpr (std::is_same_v<OpTy, ReduceL2Op>) {
        reduced = elementwise(reduced, [&](OpBuilder &b, Location l, Value v) -> Value {
          if (isFloat)
            return math::SqrtOp::create(b, l, v);
          // Integer L2 norm: truncated square root, computed in double.
          Value f = convertScalar(b, l, v, element, b.getF64Type());
          return convertScalar(b, l, math::SqrtOp::create(b, l, f), b.getF64Type(), element);
        });
      }
    } else if constexpr (std::is_same_v<OpTy, ReduceLogSumOp>) {
      reduced = reduceTensor(rewriter, loc, x, axes, zero, sum);
      reduced = elementwise(reduced, [](OpBuilder &b, Location l, Value v) -> Value {
        return math::LogOp::create(b, l, v);
      });
    } else if constexpr (std::is_same_v<OpTy, ReduceLogSumExpOp>) {
      // log(sum(exp(x - max))) + max, stable for large inputs.
      SmallVector<int64_t> keptShape(op.getInput().getType().getShape());
      for (int64_t a : axes)
        keptShape[a] = 1;
      Value max = reduceTensor(rewriter, loc, x, axes,
                               lowestValue(rewriter, loc, element, false),
                               [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                                 return arith::MaximumFOp::create(b, l, acc, v);
                               });
      Value maxKept = reshapeTensor(rewriter, loc, max, keptShape);
      Value exps = buildBroadcastGeneric(
          rewriter, loc, op.getInput().getType().clone(signlessElement(element)),
          ValueRange{x, maxKept}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
            // An all -inf slice would give NaN: subtract 0 there instead.
            Value finite = math::IsFiniteOp::create(b, l, a[1]);
            Value shift = arith::SelectOp::create(b, l, finite, a[1],
                                                  scalarConstant(b, l, a[1].getType(), 0));
            return math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], shift));
          });
      Value total = reduceTensor(rewriter, loc, exps, axes, zero, sum);
      reduced = buildBroadcastGeneric(
          rewriter, loc, rankedType(total).clone(signlessElement(element)),
          ValueRange{total, max}, [](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value finite = math::IsFiniteOp::create(b, l, a[1]);
            Value shift = arith::SelectOp::create(b, l, finite, a[1],
                                                  scalarConstant(b, l, a[1].getType(), 0));
            return arith::AddFOp::create(b, l, math::LogOp::create(b, l, a[0]), shift);
          });
    }
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, reduced, resultType.getShape()));
    return success();
  }
};

/// arg_max / arg_min: a two-result reduction carrying the best value and its
/// index along the axis.
template <typename OpTy>
struct LowerArgReduce : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    constexpr bool isMax = std::is_same_v<OpTy, ArgMaxOp>;
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    Type element = inType.getElementType();
    int64_t axis = op.getAxis(), rank = inType.getRank();
    bool last = op.getSelectLastIndex();
    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> outExprs;
    SmallVector<IT> iterators;
    for (int64_t i = 0; i < rank; ++i) {
      iterators.push_back(i == axis ? IT::reduction : IT::parallel);
      if (i != axis) {
        kept.push_back(inType.getDimSize(i));
        outExprs.push_back(rewriter.getAffineDimExpr(i));
      }
    }
    Value best = filledTensor(rewriter, loc, kept, lowestValue(rewriter, loc, element, !isMax));
    Value index = filledTensor(rewriter, loc, kept,
                               scalarConstant(rewriter, loc, rewriter.getI64Type(), -1));
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, rewriter.getContext());
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank), outMap, outMap};
    bool isFloat = llvm::isa<FloatType>(element);
    SmallVector<Value> results = buildGeneric(
        rewriter, loc, adaptor.getInput(), ValueRange{best, index}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value x = a[0], bestV = a[1], bestI = a[2];
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                               linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isFloat)
            better = arith::CmpFOp::create(
                b, l, isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                            : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT),
                x, bestV);
          else if (isUnsigned(element))
            better = arith::CmpIOp::create(
                b, l, isMax ? (last ? arith::CmpIPredicate::uge : arith::CmpIPredicate::ugt)
                            : (last ? arith::CmpIPredicate::ule : arith::CmpIPredicate::ult),
                x, bestV);
          else
            better = arith::CmpIOp::create(
                b, l, isMax ? (last ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sgt)
                            : (last ? arith::CmpIPredicate::sle : arith::CmpIPredicate::slt),
                x, bestV);
          // The first element always wins (so an all-NaN or all-lowest
          // slice still gets an index).
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, bestI,
                                              scalarConstant(b, l, b.getI64Type(), 0));
          better = arith::OrIOp::create(b, l, better, first);
          return SmallVector<Value>{arith::SelectOp::create(b, l, better, x, bestV),
                                    arith::SelectOp::create(b, l, better, i, bestI)};
        });
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, results[1], op.getType().getShape()));
    return success();
  }
};

/// cumsum as a triangular reduction: out[i] = sum of x[j] for j <= i
/// (j < i exclusive; reversed: j >= i).
struct LowerCumSum : public OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, op->getOperandTypes())))
      return failure();
    std::optional<int64_t> axisValue = getConstantScalarInt(op.getAxis());
    if (!axisValue)
      return op.emitOpError("needs a constant axis for code generation");
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis = *axisValue < 0 ? *axisValue + rank : *axisValue;
    Type element = type.getElementType();
    // Iteration space: the output dims, then j (reduction) along the axis.
    unsigned dims = rank + 1;
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t i = 0; i < rank; ++i) {
      inExprs.push_back(i == axis ? rewriter.getAffineDimExpr(rank)
                                  : rewriter.getAffineDimExpr(i));
      outExprs.push_back(rewriter.getAffineDimExpr(i));
    }
    SmallVector<AffineMap> maps{AffineMap::get(dims, 0, inExprs, rewriter.getContext()),
                                AffineMap::get(dims, 0, outExprs, rewriter.getContext())};
    SmallVector<IT> iterators(rank, IT::parallel);
    iterators.push_back(IT::reduction);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    Value init = filledTensor(rewriter, loc, type.getShape(),
                              scalarConstant(rewriter, loc, element, 0));
    Value result = buildGeneric(
        rewriter, loc, adaptor.getInput(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          arith::CmpIPredicate p =
              reverse ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
                      : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
          Value in = arith::CmpIOp::create(b, l, p, j, i);
          Value v = arith::SelectOp::create(b, l, in, a[0],
                                            scalarConstant(b, l, a[0].getType(), 0));
          return SmallVector<Value>{addOf(b, l, a[1], v)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::kiln::populateReductionToLinalgPatterns(const TypeConverter &converter,
                                                   RewritePatternSet &patterns) {
  patterns.add<LowerReduce<ReduceSumOp>, LowerReduce<ReduceMeanOp>,
               LowerReduce<ReduceMaxOp>, LowerReduce<ReduceMinOp>,
               LowerReduce<ReduceProdOp>, LowerReduce<ReduceL1Op>,
               LowerReduce<ReduceL2Op>, LowerReduce<ReduceSumSquareOp>,
               LowerReduce<ReduceLogSumOp>, LowerReduce<ReduceLogSumExpOp>,
               LowerArgReduce<ArgMaxOp>, LowerArgReduce<ArgMinOp>, LowerCumSum>(
      converter, patterns.getContext());
}
