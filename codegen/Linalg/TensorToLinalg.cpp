//===- TensorToLinalg.cpp - constants and data movement to tensor/linalg --===//
//
// Index computations that depend on data (gather, pad modes, resize) read
// their inputs with tensor.extract inside a linalg.generic over the result;
// indices are clamped into range so generated code never reads out of
// bounds, whatever the input.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

using IT = utils::IteratorType;

/// A generic over `resultType` whose body gets linalg.index values of every
/// result dimension (and the scalars of `inputs`, read with identity or
/// broadcast maps) and returns the result scalar.
Value indexedGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                     ValueRange inputs,
                     function_ref<Value(OpBuilder &, Location, ValueRange indices,
                                        ValueRange args)> body) {
  return buildBroadcastGeneric(
      b, loc, resultType, inputs, [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t i = 0; i < resultType.getRank(); ++i)
          indices.push_back(linalg::IndexOp::create(nb, nl, i));
        return body(nb, nl, indices, args);
      });
}

struct LowerConstant : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dense = llvm::dyn_cast<DenseElementsAttr>(op.getValue());
    if (!dense)
      return op.emitOpError("holds a constant kind code generation cannot read");
    Type element = signlessElement(dense.getElementType());
    if (element != dense.getElementType())
      dense = dense.bitcast(element);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, dense.getType(), dense);
    return success();
  }
};

/// reshape, flatten, squeeze and unsqueeze: a static reshape.
template <typename OpTy>
struct LowerReshapeLike : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = llvm::cast<RankedTensorType>(op.getType());
    if (failed(requireStaticShapes(op, {type, op.getInput().getType()})))
      return failure();
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(), adaptor.getInput(),
                                         type.getShape()));
    return success();
  }
};

struct LowerTranspose : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Value init = emptyTensor(rewriter, op.getLoc(), op.getType().getShape(),
                             op.getType().getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPerm())
                               .getResult()[0]);
    return success();
  }
};

struct LowerConcat : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto type = op.getType();
    Value result = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    int64_t offset = 0, axis = op.getAxis();
    for (Value input : adaptor.getInputs()) {
      auto inType = rankedType(input);
      SmallVector<int64_t> offsets(type.getRank(), 0);
      offsets[axis] = offset;
      offset += inType.getDimSize(axis);
      if (inType.getNumElements() == 0)
        continue;
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result, ValueRange{}, ValueRange{}, ValueRange{},
          offsets, inType.getShape(), SmallVector<int64_t>(type.getRank(), 1));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerSplit : public OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    SmallVector<Value> results;
    int64_t offset = 0, axis = op.getAxis();
    for (Value result : op.getResults()) {
      auto type = rankedType(result);
      SmallVector<int64_t> offsets(type.getRank(), 0);
      offsets[axis] = offset;
      offset += type.getDimSize(axis);
      results.push_back(extractSlice(
          rewriter, op.getLoc(), adaptor.getInput(), offsets, type.getShape(),
          SmallVector<int64_t>(type.getRank(), 1)));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct LowerSlice : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    auto starts = getConstantInts(op.getStarts()), ends = getConstantInts(op.getEnds());
    std::optional<SmallVector<int64_t>> axes, steps;
    if (op.getAxes())
      axes = getConstantInts(op.getAxes());
    else if (starts) {
      axes.emplace();
      for (size_t i = 0; i < starts->size(); ++i)
        axes->push_back(i);
    }
    steps = op.getSteps() ? getConstantInts(op.getSteps())
                          : std::optional<SmallVector<int64_t>>(
                                SmallVector<int64_t>(starts ? starts->size() : 0, 1));
    if (!starts || !ends || !axes || !steps)
      return op.emitOpError("needs constant slice parameters for code generation");
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    for (size_t i = 0; i < axes->size(); ++i) {
      int64_t a = (*axes)[i] < 0 ? (*axes)[i] + rank : (*axes)[i];
      int64_t d = inType.getDimSize(a), step = (*steps)[i];
      int64_t start = (*starts)[i];
      if (start < 0)
        start = start < -d ? 0 : start + d;
      start = step > 0 ? std::clamp<int64_t>(start, 0, d)
                       : std::clamp<int64_t>(start, 0, d - 1);
      offsets[a] = start;
      strides[a] = step;
    }
    Location loc = op.getLoc();
    ArrayRef<int64_t> sizes = op.getType().getShape();
    if (llvm::all_of(strides, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOp(op, extractSlice(
                                 rewriter, loc, adaptor.getInput(), offsets, sizes, strides));
      return success();
    }
    // Negative steps: read start + i * step with an affine map.
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i)
      exprs.push_back(rewriter.getAffineDimExpr(i) * strides[i] + offsets[i]);
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, exprs, rewriter.getContext()),
                                rewriter.getMultiDimIdentityMap(rank)};
    Value result = buildGeneric(
        rewriter, loc, adaptor.getInput(),
        emptyTensor(rewriter, loc, sizes, op.getType().getElementType()), maps,
        SmallVector<IT>(rank, IT::parallel),
        [](OpBuilder &, Location, ValueRange a) { return SmallVector<Value>{a[0]}; })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerGather : public OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto indexType = op.getIndices().getType();
    Type indexElement = indexType.getElementType();
    int64_t axis = op.getAxis(), q = indexType.getRank(), extent = inType.getDimSize(axis);
    // Read the index operand over the result's middle dimensions.
    auto resultType = op.getType();
    int64_t rank = resultType.getRank();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < q; ++i)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + i));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, indexExprs, rewriter.getContext()),
                                rewriter.getMultiDimIdentityMap(rank)};
    Value input = adaptor.getInput();
    Value result = buildGeneric(
        rewriter, loc, adaptor.getIndices(),
        emptyTensor(rewriter, loc, resultType.getShape(), resultType.getElementType()),
        maps, SmallVector<IT>(rank, IT::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = toIndex(b, l, a[0], indexElement);
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, idx(b, l, 0));
          i = arith::SelectOp::create(b, l, negative,
                                      arith::AddIOp::create(b, l, i, idx(b, l, extent)), i);
          i = clampIndex(b, l, i, extent);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          coords.push_back(i);
          for (int64_t d = axis + q; d < rank; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          return SmallVector<Value>{tensor::ExtractOp::create(b, l, input, coords)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Compress with a constant condition: a gather of the kept positions.
struct LowerCompress : public OpConversionPattern<CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CompressOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    DenseElementsAttr condition;
    if (!matchPattern(op.getCondition(), m_Constant(&condition)))
      return op.emitOpError("needs a constant condition for code generation "
                            "(its result size depends on the data)");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = op.getInput().getType();
    int64_t axis = 0;
    if (op.getAxis()) {
      axis = *op.getAxis();
      if (axis < 0)
        axis += inType.getRank();
    } else {
      input = reshapeTensor(rewriter, loc, input, {inType.getNumElements()});
    }
    auto flatType = rankedType(input);
    SmallVector<int64_t> kept;
    int64_t position = 0;
    for (bool keep : condition.getValues<bool>()) {
      if (position >= flatType.getDimSize(axis))
        break;
      if (keep)
        kept.push_back(position);
      ++position;
    }
    auto resultType = op.getType();
    if (resultType.getDimSize(op.getAxis() ? axis : 0) != static_cast<int64_t>(kept.size()))
      return op.emitOpError("result type does not match the constant condition");
    int64_t rank = resultType.getRank();
    auto keptType = RankedTensorType::get({static_cast<int64_t>(kept.size())},
                                          rewriter.getI64Type());
    Value positions = arith::ConstantOp::create(
        rewriter, loc, keptType, DenseIntElementsAttr::get(keptType, kept));
    SmallVector<AffineMap> maps{
        AffineMap::get(rank, 0, rewriter.getAffineDimExpr(axis), rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    Value result = buildGeneric(
        rewriter, loc, positions,
        emptyTensor(rewriter, loc, resultType.getShape(), resultType.getElementType()),
        maps, SmallVector<IT>(rank, IT::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(d == axis ? Value(arith::IndexCastOp::create(
                                             b, l, b.getIndexType(), a[0]))
                                       : Value(linalg::IndexOp::create(b, l, d)));
          return SmallVector<Value>{tensor::ExtractOp::create(b, l, input, coords)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerGatherElements : public OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    int64_t extent = op.getInput().getType().getDimSize(axis);
    Type indexElement = op.getIndices().getType().getElementType();
    Value input = adaptor.getInput();
    Value result = indexedGeneric(
        rewriter, loc, op.getType(), adaptor.getIndices(),
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange a) -> Value {
          Value i = toIndex(b, l, a[0], indexElement);
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, idx(b, l, 0));
          i = arith::SelectOp::create(b, l, negative,
                                      arith::AddIOp::create(b, l, i, idx(b, l, extent)), i);
          SmallVector<Value> coords(indices);
          coords[axis] = clampIndex(b, l, i, extent);
          return tensor::ExtractOp::create(b, l, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerPad : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto pads = getConstantInts(op.getPads());
    if (!pads)
      return op.emitOpError("needs constant pads for code generation");
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    Type element = inType.getElementType();
    if (op.getMode() == PadMode::constant) {
      Value value = scalarConstant(rewriter, loc, element, 0);
      if (Value v = adaptor.getConstantValue()) {
        auto vType = rankedType(v);
        value = tensor::ExtractOp::create(
            rewriter, loc, v, SmallVector<Value>(vType.getRank(), idx(rewriter, loc, 0)));
      }
      // Negative pads crop first.
      Value x = adaptor.getInput();
      SmallVector<int64_t> cropOffsets(rank, 0), cropSizes(inType.getShape()), low(rank), high(rank);
      bool crop = false;
      for (int64_t i = 0; i < rank; ++i) {
        int64_t lo = (*pads)[i], hi = (*pads)[i + rank];
        if (lo < 0) { cropOffsets[i] = -lo; cropSizes[i] += lo; crop = true; }
        if (hi < 0) { cropSizes[i] += hi; crop = true; }
        low[i] = std::max<int64_t>(lo, 0);
        high[i] = std::max<int64_t>(hi, 0);
      }
      if (crop)
        x = extractSlice(rewriter, loc, x, cropOffsets, cropSizes,
                             SmallVector<int64_t>(rank, 1));
      rewriter.replaceOp(op, padTensor(rewriter, loc, x, low, high, value));
      return success();
    }
    // Edge and reflect read a mapped input coordinate.
    bool reflect = op.getMode() == PadMode::reflect;
    Value input = adaptor.getInput();
    Value result = indexedGeneric(
        rewriter, loc, op.getType(), ValueRange{},
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) -> Value {
          SmallVector<Value> coords;
          for (int64_t i = 0; i < rank; ++i) {
            int64_t d = inType.getDimSize(i);
            Value j = arith::SubIOp::create(b, l, indices[i], idx(b, l, (*pads)[i]));
            if (reflect && d > 1) {
              // Mirror without repeating the edge, as often as needed.
              int64_t period = 2 * (d - 1);
              Value m = arith::RemSIOp::create(b, l, j, idx(b, l, period));
              Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, idx(b, l, 0));
              m = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, m, idx(b, l, period)), m);
              Value high = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, m, idx(b, l, d));
              j = arith::SelectOp::create(b, l, high, arith::SubIOp::create(b, l, idx(b, l, period), m), m);
            }
            coords.push_back(clampIndex(b, l, j, d));
          }
          return tensor::ExtractOp::create(b, l, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerExpand : public OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, {op.getType(), op.getInput().getType()})))
      return failure();
    rewriter.replaceOp(op, buildBroadcastGeneric(
                               rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                               [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct LowerTile : public OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, {op.getType(), op.getInput().getType()})))
      return failure();
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i)
      exprs.push_back(rewriter.getAffineDimExpr(i) % std::max<int64_t>(inType.getDimSize(i), 1));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, exprs, rewriter.getContext()),
                                rewriter.getMultiDimIdentityMap(rank)};
    Value result = buildGeneric(
        rewriter, op.getLoc(), adaptor.getInput(),
        emptyTensor(rewriter, op.getLoc(), op.getType().getShape(), inType.getElementType()),
        maps, SmallVector<IT>(rank, IT::parallel),
        [](OpBuilder &, Location, ValueRange a) { return SmallVector<Value>{a[0]}; })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// depth_to_space and space_to_depth: reshape, transpose, reshape.
struct LowerDepthToSpace : public OpConversionPattern<DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DepthToSpaceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto in = op.getInput().getType();
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), h = in.getDimSize(2),
            w = in.getDimSize(3), bs = op.getBlocksize(), oc = c / (bs * bs);
    bool dcr = op.getMode() == DepthToSpaceMode::dcr;
    SmallVector<int64_t> split = dcr ? SmallVector<int64_t>{n, bs, bs, oc, h, w}
                                     : SmallVector<int64_t>{n, oc, bs, bs, h, w};
    SmallVector<int64_t> perm = dcr ? SmallVector<int64_t>{0, 3, 4, 1, 5, 2}
                                    : SmallVector<int64_t>{0, 1, 4, 2, 5, 3};
    Location loc = op.getLoc();
    Value x = reshapeTensor(rewriter, loc, adaptor.getInput(), split);
    SmallVector<int64_t> permuted;
    for (int64_t p : perm)
      permuted.push_back(split[p]);
    Value t = linalg::TransposeOp::create(
                  rewriter, loc, x, emptyTensor(rewriter, loc, permuted, in.getElementType()), perm)
                  .getResult()[0];
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, t, op.getType().getShape()));
    return success();
  }
};

struct LowerSpaceToDepth : public OpConversionPattern<SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SpaceToDepthOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto in = op.getInput().getType();
    int64_t n = in.getDimSize(0), c = in.getDimSize(1), h = in.getDimSize(2),
            w = in.getDimSize(3), bs = op.getBlocksize();
    SmallVector<int64_t> split{n, c, h / bs, bs, w / bs, bs};
    SmallVector<int64_t> perm{0, 3, 5, 1, 2, 4};
    Location loc = op.getLoc();
    Value x = reshapeTensor(rewriter, loc, adaptor.getInput(), split);
    SmallVector<int64_t> permuted;
    for (int64_t p : perm)
      permuted.push_back(split[p]);
    Value t = linalg::TransposeOp::create(
                  rewriter, loc, x, emptyTensor(rewriter, loc, permuted, in.getElementType()), perm)
                  .getResult()[0];
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, t, op.getType().getShape()));
    return success();
  }
};

/// Ops that fold to constants when shapes are static; lowered in case they
/// reach code generation unfolded.
template <typename OpTy>
struct LowerByFolding : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Attribute> operands;
    for (Value v : op->getOperands()) {
      Attribute attr;
      matchPattern(v, m_Constant(&attr));
      operands.push_back(attr);
    }
    SmallVector<OpFoldResult> results;
    if (failed(op->fold(operands, results)) || results.size() != 1 ||
        !llvm::isa<Attribute>(results[0]))
      return op.emitOpError("must fold to a constant before code generation");
    auto dense = llvm::cast<DenseElementsAttr>(llvm::cast<Attribute>(results[0]));
    Type element = signlessElement(dense.getElementType());
    if (element != dense.getElementType())
      dense = dense.bitcast(element);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, dense.getType(), dense);
    return success();
  }
};

struct LowerOneHot : public OpConversionPattern<OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t axis = op.getAxis(), depth = type.getDimSize(axis), rank = type.getRank();
    Type indexElement = op.getIndices().getType().getElementType();
    // Read indices over all result dimensions but the axis.
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis)
        exprs.push_back(rewriter.getAffineDimExpr(i));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, exprs, rewriter.getContext()),
                                rewriter.getMultiDimIdentityMap(rank)};
    Value values = adaptor.getValues();
    Value result = buildGeneric(
        rewriter, loc, adaptor.getIndices(),
        emptyTensor(rewriter, loc, type.getShape(), type.getElementType()), maps,
        SmallVector<IT>(rank, IT::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i;
          if (llvm::isa<FloatType>(indexElement))
            i = arith::IndexCastOp::create(
                b, l, b.getIndexType(), arith::FPToSIOp::create(b, l, b.getI64Type(), a[0]));
          else
            i = toIndex(b, l, a[0], indexElement);
          Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, idx(b, l, 0));
          i = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, i, idx(b, l, depth)), i);
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i,
                                            linalg::IndexOp::create(b, l, axis));
          Value on = tensor::ExtractOp::create(b, l, values, ValueRange{idx(b, l, 1)});
          Value off = tensor::ExtractOp::create(b, l, values, ValueRange{idx(b, l, 0)});
          return SmallVector<Value>{arith::SelectOp::create(b, l, hit, on, off)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerTrilu : public OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank();
    Value k = idx(rewriter, loc, 0);
    if (Value kv = adaptor.getK()) {
      auto kType = rankedType(kv);
      Value scalar = tensor::ExtractOp::create(
          rewriter, loc, kv, SmallVector<Value>(kType.getRank(), idx(rewriter, loc, 0)));
      k = toIndex(rewriter, loc, scalar, rewriter.getI64Type());
    }
    bool upper = op.getUpper();
    Type element = type.getElementType();
    Value result = indexedGeneric(
        rewriter, loc, type, adaptor.getInput(),
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange a) -> Value {
          // Keep where col - row >= k (upper) or <= k (lower).
          Value diff = arith::SubIOp::create(b, l, indices[rank - 1], indices[rank - 2]);
          Value keep = arith::CmpIOp::create(
              b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff, k);
          return arith::SelectOp::create(b, l, keep, a[0], scalarConstant(b, l, element, 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerEyeLike : public OpConversionPattern<EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EyeLikeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Type element = op.getType().getElementType();
    int64_t k = op.getK();
    Value result = indexedGeneric(
        rewriter, op.getLoc(), op.getType(), ValueRange{},
        [&](OpBuilder &b, Location l, ValueRange i, ValueRange) -> Value {
          Value diff = arith::SubIOp::create(b, l, i[1], i[0]);
          Value on = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, diff, idx(b, l, k));
          return arith::SelectOp::create(b, l, on, scalarConstant(b, l, element, 1),
                                         scalarConstant(b, l, element, 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Resize: one 1-D interpolation per resized dimension
//===----------------------------------------------------------------------===//

/// Resizes `input` along `axis` to `outSize` with `scale` (output/input).
Value resizeAxis(OpBuilder &b, Location loc, ResizeOp op, Value input, int64_t axis,
                 int64_t outSize, double scale, double roiStart, double roiEnd) {
  auto inType = rankedType(input);
  int64_t inSize = inType.getDimSize(axis);
  SmallVector<int64_t> shape(inType.getShape());
  shape[axis] = outSize;
  auto resultType = RankedTensorType::get(shape, inType.getElementType());
  Type element = inType.getElementType();
  Type f32 = b.getF32Type();
  ResizeMode mode = op.getMode();
  CoordinateTransform transform = op.getCoordinateTransformationMode();
  NearestMode nearest = op.getNearestMode();
  double a = op.getCubicCoeffA().convertToDouble();
  bool excludeOutside = op.getExcludeOutside();
  double extrapolation = op.getExtrapolationValue().convertToDouble();
  return indexedGeneric(
      b, loc, resultType, ValueRange{},
      [&](OpBuilder &nb, Location l, ValueRange indices, ValueRange) -> Value {
        auto f = [&](double v) { return scalarConstant(nb, l, f32, v); };
        // Nearest, asymmetric, floor at a whole scale (an upsampling by an
        // integer factor): the source index is the output index divided by
        // the factor, exactly as the float formula gives it.
        if (mode == ResizeMode::nearest && transform == CoordinateTransform::asymmetric &&
            nearest == NearestMode::floor && scale >= 1.0 && std::floor(scale) == scale &&
            outSize == inSize * static_cast<int64_t>(scale)) {
          SmallVector<Value> coords(indices);
          coords[axis] = arith::DivUIOp::create(nb, l, indices[axis],
                                                idx(nb, l, static_cast<int64_t>(scale)));
          return tensor::ExtractOp::create(nb, l, input, coords);
        }
        Value x = arith::SIToFPOp::create(
            nb, l, f32, arith::IndexCastOp::create(nb, l, nb.getI64Type(), indices[axis]));
        Value s = f(scale);
        // ONNX measures the output in scaled input lengths (not the
        // rounded output size) when mapping coordinates.
        double outWidth = scale * double(inSize);
        Value coord;
        switch (transform) {
        case CoordinateTransform::half_pixel:
          coord = arith::SubFOp::create(nb, l, arith::DivFOp::create(nb, l, arith::AddFOp::create(nb, l, x, f(0.5)), s), f(0.5));
          break;
        case CoordinateTransform::pytorch_half_pixel:
          coord = outWidth != 1.0
                      ? Value(arith::SubFOp::create(nb, l, arith::DivFOp::create(nb, l, arith::AddFOp::create(nb, l, x, f(0.5)), s), f(0.5)))
                      : f(-0.5);
          break;
        case CoordinateTransform::align_corners:
          coord = outWidth == 1.0
                      ? f(0)
                      : Value(arith::MulFOp::create(nb, l, x, f(double(inSize - 1) / (outWidth - 1))));
          break;
        case CoordinateTransform::asymmetric:
          coord = arith::DivFOp::create(nb, l, x, s);
          break;
        case CoordinateTransform::tf_half_pixel_for_nn:
          coord = arith::DivFOp::create(nb, l, arith::AddFOp::create(nb, l, x, f(0.5)), s);
          break;
        case CoordinateTransform::tf_crop_and_resize:
          coord = outWidth != 1.0
                      ? Value(arith::AddFOp::create(nb, l, f(roiStart * (inSize - 1)),
                                                    arith::MulFOp::create(nb, l, x, f((roiEnd - roiStart) * (inSize - 1) / (outWidth - 1)))))
                      : f(0.5 * (roiStart + roiEnd) * (inSize - 1));
          break;
        }
        auto read = [&](Value i) -> Value {
          SmallVector<Value> coords(indices);
          coords[axis] = clampIndex(nb, l, i, inSize);
          return tensor::ExtractOp::create(nb, l, input, coords);
        };
        // Float to index with the value first clamped (NaN to the low end)
        // into a range a few past the input, so the conversion is defined;
        // `read` clamps into the input.
        auto toIdx = [&](Value v) -> Value {
          Value low = arith::MaxNumFOp::create(nb, l, v, f(-4));
          Value both = arith::MinNumFOp::create(nb, l, low, f(double(inSize + 4)));
          return arith::IndexCastOp::create(nb, l, nb.getIndexType(),
                                            arith::FPToSIOp::create(nb, l, nb.getI64Type(), both));
        };
        Value result;
        if (mode == ResizeMode::nearest) {
          Value r;
          switch (nearest) {
          case NearestMode::floor: r = math::FloorOp::create(nb, l, coord); break;
          case NearestMode::ceil: r = math::CeilOp::create(nb, l, coord); break;
          case NearestMode::round_prefer_floor:
          case NearestMode::round_prefer_ceil: {
            Value fl = math::FloorOp::create(nb, l, coord);
            Value frac = arith::SubFOp::create(nb, l, coord, fl);
            Value half = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, frac, f(0.5));
            Value rounded = math::RoundOp::create(nb, l, coord);
            Value tie = nearest == NearestMode::round_prefer_floor
                            ? fl
                            : Value(arith::AddFOp::create(nb, l, fl, f(1)));
            r = arith::SelectOp::create(nb, l, half, tie, rounded);
            break;
          }
          }
          result = read(toIdx(r));
        } else if (mode == ResizeMode::linear) {
          Value fl = math::FloorOp::create(nb, l, coord);
          Value w = arith::SubFOp::create(nb, l, coord, fl);
          Value i0 = toIdx(fl);
          Value i1 = arith::AddIOp::create(nb, l, i0, idx(nb, l, 1));
          Value v0 = convertScalar(nb, l, read(i0), element, f32);
          Value v1 = convertScalar(nb, l, read(i1), element, f32);
          Value v = arith::AddFOp::create(
              nb, l, arith::MulFOp::create(nb, l, v0, arith::SubFOp::create(nb, l, f(1), w)),
              arith::MulFOp::create(nb, l, v1, w));
          result = convertScalar(nb, l, v, f32, element);
        } else {
          // Cubic convolution with coefficient a over taps floor-1 .. floor+2.
          Value fl = math::FloorOp::create(nb, l, coord);
          Value t = arith::SubFOp::create(nb, l, coord, fl);
          Value base = toIdx(fl);
          auto weight = [&](Value d) -> Value {
            // |d| <= 1: (a+2)|d|^3 - (a+3)|d|^2 + 1; 1 < |d| < 2: a|d|^3 - 5a|d|^2 + 8a|d| - 4a
            Value ad = math::AbsFOp::create(nb, l, d);
            Value d2 = arith::MulFOp::create(nb, l, ad, ad);
            Value d3 = arith::MulFOp::create(nb, l, d2, ad);
            Value near = arith::AddFOp::create(
                nb, l, arith::SubFOp::create(nb, l, arith::MulFOp::create(nb, l, f(a + 2), d3),
                                             arith::MulFOp::create(nb, l, f(a + 3), d2)),
                f(1));
            Value far = arith::SubFOp::create(
                nb, l,
                arith::AddFOp::create(
                    nb, l,
                    arith::SubFOp::create(nb, l, arith::MulFOp::create(nb, l, f(a), d3),
                                          arith::MulFOp::create(nb, l, f(5 * a), d2)),
                    arith::MulFOp::create(nb, l, f(8 * a), ad)),
                f(4 * a));
            Value isNear = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OLE, ad, f(1));
            Value isFar = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OLT, ad, f(2));
            return arith::SelectOp::create(nb, l, isNear, near,
                                           arith::SelectOp::create(nb, l, isFar, far, f(0)));
          };
          Value sum = f(0), wsum = f(0);
          for (int64_t k = -1; k <= 2; ++k) {
            Value i = arith::AddIOp::create(nb, l, base, idx(nb, l, k));
            Value w = weight(arith::SubFOp::create(nb, l, t, f(double(k))));
            if (excludeOutside) {
              Value inside = arith::AndIOp::create(
                  nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, i, idx(nb, l, 0)),
                  arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, i, idx(nb, l, inSize)));
              w = arith::SelectOp::create(nb, l, inside, w, f(0));
            }
            Value v = convertScalar(nb, l, read(i), element, f32);
            sum = arith::AddFOp::create(nb, l, sum, arith::MulFOp::create(nb, l, w, v));
            wsum = arith::AddFOp::create(nb, l, wsum, w);
          }
          Value v = excludeOutside ? Value(arith::DivFOp::create(nb, l, sum, wsum)) : sum;
          result = convertScalar(nb, l, v, f32, element);
        }
        if (transform == CoordinateTransform::tf_crop_and_resize) {
          Value outside = arith::OrIOp::create(
              nb, l, arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OLT, coord, f(0)),
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, coord, f(double(inSize - 1))));
          result = arith::SelectOp::create(nb, l, outside,
                                           scalarConstant(nb, l, element, extrapolation), result);
        }
        return result;
      });
}

struct LowerResize : public OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, {op.getType(), op.getInput().getType()})))
      return failure();
    auto inType = op.getInput().getType();
    int64_t rank = inType.getRank();
    SmallVector<double> scales(rank, 1.0), roi(2 * rank, 0.0);
    for (int64_t i = 0; i < rank; ++i)
      roi[rank + i] = 1.0;
    if (op.getScales()) {
      auto values = getConstantFloats(op.getScales());
      if (!values)
        return op.emitOpError("needs constant scales for code generation");
      scales.assign(values->begin(), values->end());
    } else {
      for (int64_t i = 0; i < rank; ++i)
        scales[i] = double(op.getType().getDimSize(i)) / double(inType.getDimSize(i));
    }
    if (op.getRoi()) {
      auto values = getConstantFloats(op.getRoi());
      if (!values || static_cast<int64_t>(values->size()) != 2 * rank)
        return op.emitOpError("needs a constant roi for code generation");
      roi.assign(values->begin(), values->end());
    }
    // Scales are float32 in ONNX; compute with their float32 values.
    for (double &s : scales)
      s = static_cast<float>(s);
    Value x = adaptor.getInput();
    for (int64_t axis = 0; axis < rank; ++axis) {
      int64_t out = op.getType().getDimSize(axis);
      bool identity = out == inType.getDimSize(axis) && scales[axis] == 1.0 &&
                      op.getCoordinateTransformationMode() != CoordinateTransform::tf_crop_and_resize;
      if (identity)
        continue;
      x = resizeAxis(rewriter, op.getLoc(), op, x, axis, out, scales[axis], roi[axis],
                     roi[rank + axis]);
    }
    rewriter.replaceOp(op, x);
    return success();
  }
};

} // namespace

void mlir::kiln::populateTensorToLinalgPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<LowerConstant, LowerReshapeLike<ReshapeOp>, LowerReshapeLike<FlattenOp>,
               LowerReshapeLike<SqueezeOp>, LowerReshapeLike<UnsqueezeOp>,
               LowerTranspose, LowerConcat, LowerSplit, LowerSlice, LowerGather,
               LowerGatherElements, LowerCompress, LowerPad, LowerExpand, LowerTile,
               LowerDepthToSpace, LowerSpaceToDepth, LowerByFolding<ShapeOp>,
               LowerByFolding<SizeOp>, LowerByFolding<ConstantOfShapeOp>,
               LowerByFolding<RangeOp>, LowerOneHot, LowerTrilu, LowerEyeLike,
               LowerResize>(converter, patterns.getContext());
}
