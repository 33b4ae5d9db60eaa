//===- PropagateTransposes.cpp - move transposes down and cancel them -----===//
//
// kiln-propagate-transposes: a transpose feeding an elementwise op or a
// concat moves past it (the op works on the untransposed operands, one
// transpose follows), so that transposes reach each other and compose;
// a composition that is the identity folds away. Layout passes that wrap
// kernels in transposes (kiln-cpu-microkernels with layout=nhwc) rely on
// it to keep the whole chain in the kernels' layout. Conversions between
// float and quantized tensors (quant.qcast, quant.dcast) are elementwise
// too.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNPROPAGATETRANSPOSES
#include "passes/Graph/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The permutation of a transpose that produces `v`, or none.
std::optional<ArrayRef<int64_t>> transposePerm(Value v) {
  if (auto t = v.getDefiningOp<TransposeOp>())
    return t.getPerm();
  return std::nullopt;
}

/// `type`'s shape with dimensions permuted by the inverse of `perm`: the
/// shape before a transpose by `perm` that gives `type`.
RankedTensorType unpermuted(RankedTensorType type, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    shape[perm[i]] = type.getDimSize(i);
  return RankedTensorType::get(shape, type.getElementType());
}

/// op(transpose(a), transpose(b), ...) -> transpose(op(a, b, ...)) for an
/// elementwise op whose tensor operands are all transposes by one
/// permutation and have the result's shape (no broadcasting).
struct SinkThroughElementwise : public RewritePattern {
  SinkThroughElementwise(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!op->hasTrait<mlir::kiln::OpTrait::KilnElementwise>() || op->getNumResults() != 1 ||
        op->getNumOperands() == 0 || op->getNumRegions() != 0)
      return failure();
    auto resultType = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType)
      return failure();
    std::optional<ArrayRef<int64_t>> perm;
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      std::optional<ArrayRef<int64_t>> p = transposePerm(operand);
      auto type = llvm::dyn_cast<RankedTensorType>(operand.getType());
      if (!p || !type || type.getShape() != resultType.getShape() || (perm && *perm != *p))
        return failure();
      perm = p;
      operands.push_back(operand.getDefiningOp<TransposeOp>().getInput());
    }
    Operation *moved = rewriter.clone(*op);
    moved->setOperands(operands);
    moved->getResult(0).setType(unpermuted(resultType, *perm));
    rewriter.replaceOpWithNewOp<TransposeOp>(op, resultType, moved->getResult(0),
                                             rewriter.getDenseI64ArrayAttr(*perm));
    return success();
  }
};

/// cast(transpose(a)) -> transpose(cast(a)) for the quant dialect's
/// conversions between float and quantized tensors, which are elementwise.
template <typename CastOp> struct SinkThroughQuantCast : public OpRewritePattern<CastOp> {
  using OpRewritePattern<CastOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op, PatternRewriter &rewriter) const override {
    auto transpose = op->getOperand(0).template getDefiningOp<TransposeOp>();
    auto resultType = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!transpose || !resultType)
      return failure();
    ArrayRef<int64_t> perm = transpose.getPerm();
    auto cast = CastOp::create(rewriter, op.getLoc(), unpermuted(resultType, perm),
                               transpose.getInput());
    rewriter.replaceOpWithNewOp<TransposeOp>(op, resultType, cast->getResult(0),
                                             rewriter.getDenseI64ArrayAttr(perm));
    return success();
  }
};

/// ONNX's QuantizeLinear / DequantizeLinear per tensor (scalar scale and
/// zero point) are elementwise too.
template <typename QOp> struct SinkThroughPerTensorQ : public OpRewritePattern<QOp> {
  using OpRewritePattern<QOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(QOp op, PatternRewriter &rewriter) const override {
    auto transpose = op.getInput().template getDefiningOp<TransposeOp>();
    auto scalar = [](Value v) {
      return !v || llvm::cast<RankedTensorType>(v.getType()).getRank() == 0;
    };
    if (!transpose || !scalar(op.getScale()) || !scalar(op.getZeroPoint()))
      return failure();
    ArrayRef<int64_t> perm = transpose.getPerm();
    auto resultType = llvm::cast<RankedTensorType>(op.getType());
    auto moved = QOp::create(rewriter, op.getLoc(), unpermuted(resultType, perm),
                             transpose.getInput(), op.getScale(), op.getZeroPoint(),
                             op.getAxisAttr());
    rewriter.replaceOpWithNewOp<TransposeOp>(op, resultType, moved.getResult(),
                                             rewriter.getDenseI64ArrayAttr(perm));
    return success();
  }
};


/// concat(transpose(a), transpose(b), ..., axis) ->
/// transpose(concat(a, b, ..., perm[axis])) when every input is a
/// transpose by the same permutation.
struct SinkThroughConcat : public OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op, PatternRewriter &rewriter) const override {
    auto resultType = llvm::dyn_cast<RankedTensorType>(op.getType());
    if (!resultType)
      return failure();
    std::optional<ArrayRef<int64_t>> perm;
    SmallVector<Value> inputs;
    for (Value input : op.getInputs()) {
      std::optional<ArrayRef<int64_t>> p = transposePerm(input);
      if (!p || (perm && *perm != *p))
        return failure();
      perm = p;
      inputs.push_back(input.getDefiningOp<TransposeOp>().getInput());
    }
    int64_t axis = (*perm)[op.getAxis()];
    auto concat = ConcatOp::create(rewriter, op.getLoc(), unpermuted(resultType, *perm),
                                   inputs, rewriter.getI64IntegerAttr(axis));
    rewriter.replaceOpWithNewOp<TransposeOp>(op, resultType, concat.getResult(),
                                             rewriter.getDenseI64ArrayAttr(*perm));
    return success();
  }
};

struct KilnPropagateTransposesPass
    : public mlir::kiln::impl::KilnPropagateTransposesBase<KilnPropagateTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkThroughElementwise, SinkThroughConcat,
                 SinkThroughQuantCast<quant::QuantizeCastOp>,
                 SinkThroughQuantCast<quant::DequantizeCastOp>,
                 SinkThroughPerTensorQ<QuantizeLinearOp>,
                 SinkThroughPerTensorQ<DequantizeLinearOp>>(&getContext());
    // Composing transposes, and folding an identity one.
    TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
