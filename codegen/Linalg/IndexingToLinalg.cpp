//===- IndexingToLinalg.cpp - data-dependent indexing ops to linalg/scf ---===//
//
// Gathers, scatters, top-k, pooling with indices and unpooling, sampling
// (grid_sample, roi_align), einsum and det.
//
// Reads whose position depends on data use tensor.extract with index values
// inside a linalg.generic over the result; sequential algorithms (scatters
// where later updates see earlier ones, top-k selection, Gaussian
// elimination) are scf.for loops carrying tensors.
//
// Generated code never reads or writes out of bounds, whatever the data:
// ONNX indices that are negative count from the end, and indices still
// outside the valid range after that are clamped into it (the nearest valid
// element is read or written). Float coordinates (grid_sample, roi_align)
// are checked against the input's extent in the float domain before they
// become indices, so NaN and huge values cannot make poison indices.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <map>

using namespace mlir;
using namespace mlir::kiln;

namespace {

using IT = utils::IteratorType;

Value indexToI64(OpBuilder &b, Location l, Value v) {
  return arith::IndexCastOp::create(b, l, b.getI64Type(), v);
}

/// An ONNX index into a dimension of `extent`: negative values count from
/// the end; what is still out of range is clamped into [0, extent - 1].
Value normalizeIndex(OpBuilder &b, Location l, Value i, int64_t extent) {
  Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, idx(b, l, 0));
  i = arith::SelectOp::create(b, l, negative,
                              arith::AddIOp::create(b, l, i, idx(b, l, extent)), i);
  return clampIndex(b, l, i, extent);
}

Value notI1(OpBuilder &b, Location l, Value v) {
  return arith::XOrIOp::create(b, l, v,
                               arith::ConstantIntOp::create(b, l, b.getI1Type(), 1));
}

Value andI1(OpBuilder &b, Location l, Value x, Value y) {
  return arith::AndIOp::create(b, l, x, y);
}

Value orI1(OpBuilder &b, Location l, Value x, Value y) {
  return arith::OrIOp::create(b, l, x, y);
}

/// 0 <= i < size on index values.
Value inRange(OpBuilder &b, Location l, Value i, int64_t size) {
  return andI1(b, l,
               arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, i, idx(b, l, 0)),
               arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, idx(b, l, size)));
}

/// An index from an integral float value, clamped in the float domain to
/// [-margin, size + margin] first: NaN goes to -margin, so the result is
/// never poison, and values outside the extent stay outside it.
Value floatToIndex(OpBuilder &b, Location l, Value v, int64_t size, int64_t margin = 8) {
  Type type = v.getType();
  Value lo = scalarConstant(b, l, type, static_cast<double>(-margin));
  Value hi = scalarConstant(b, l, type, static_cast<double>(size + margin));
  Value aboveLo = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, lo);
  v = arith::SelectOp::create(b, l, aboveLo, v, lo);
  Value belowHi = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, v, hi);
  v = arith::SelectOp::create(b, l, belowHi, v, hi);
  return arith::IndexCastOp::create(b, l, b.getIndexType(),
                                    arith::FPToSIOp::create(b, l, b.getI64Type(), v));
}

/// A scf.for from `lb` to `ub` (step 1) whose body returns the values to
/// yield; returns the loop results.
SmallVector<Value>
forLoop(OpBuilder &b, Location l, Value lb, Value ub, ValueRange init,
        function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(
      b, l, lb, ub, idx(b, l, 1), init,
      [&](OpBuilder &nb, Location nl, Value iv, ValueRange args) {
        scf::YieldOp::create(nb, nl, body(nb, nl, iv, args));
      });
  return SmallVector<Value>(loop.getResults());
}

/// Nested scf.for loops over `shape` carrying `init`; the body gets the
/// induction variables and returns the values to yield.
SmallVector<Value>
loopNest(OpBuilder &b, Location l, ArrayRef<int64_t> shape, ValueRange init,
         function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t extent : shape) {
    lbs.push_back(idx(b, l, 0));
    ubs.push_back(idx(b, l, extent));
    steps.push_back(idx(b, l, 1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, l, lbs, ubs, steps, init,
      [&](OpBuilder &nb, Location nl, ValueRange ivs, ValueRange args) -> scf::ValueVector {
        SmallVector<Value> results = body(nb, nl, ivs, args);
        return scf::ValueVector(results.begin(), results.end());
      });
  return SmallVector<Value>(nest.results.begin(), nest.results.end());
}

/// A generic over `resultType` whose body gets linalg.index values of every
/// result dimension and returns the result scalar.
Value indexedGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                     function_ref<Value(OpBuilder &, Location, ValueRange indices)> body) {
  return buildBroadcastGeneric(
      b, loc, resultType, ValueRange{}, [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t i = 0; i < resultType.getRank(); ++i)
          indices.push_back(linalg::IndexOp::create(nb, nl, i));
        return body(nb, nl, indices);
      });
}

SmallVector<Value> linalgIndices(OpBuilder &b, Location l, int64_t rank) {
  SmallVector<Value> indices;
  for (int64_t i = 0; i < rank; ++i)
    indices.push_back(linalg::IndexOp::create(b, l, i));
  return indices;
}

/// A map from `rank` loop dimensions to all but `skip`.
AffineMap dropDimMap(MLIRContext *context, int64_t rank, int64_t skip) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (i != skip)
      exprs.push_back(getAffineDimExpr(i, context));
  return AffineMap::get(rank, 0, exprs, context);
}

/// Float compute type for an element type (f16/bf16 compute in f32).
Type computeFloat(Type element) {
  if (element.isF64())
    return element;
  return Float32Type::get(element.getContext());
}

//===----------------------------------------------------------------------===//
// gather_nd
//===----------------------------------------------------------------------===//

struct LowerGatherND : public OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto indexType = op.getIndices().getType();
    auto resultType = op.getType();
    int64_t batch = op.getBatchDims(), q = indexType.getRank();
    int64_t depth = indexType.getDimSize(q - 1);
    if (indexType.getShape().take_front(batch) != inType.getShape().take_front(batch))
      return op.emitOpError("expects indices and input of one extent in each batch dimension");
    if (inType.getNumElements() == 0 && resultType.getNumElements() != 0)
      return op.emitOpError("gathers from an empty input (every index is out of range)");
    Value input = adaptor.getInput(), indices = adaptor.getIndices();
    Value result = indexedGeneric(
        rewriter, loc, resultType, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
          // Batch dimensions, then one index per tuple entry, then the slice.
          SmallVector<Value> coords(iv.begin(), iv.begin() + batch);
          SmallVector<Value> tuple(iv.begin(), iv.begin() + (q - 1));
          for (int64_t t = 0; t < depth; ++t) {
            SmallVector<Value> at(tuple);
            at.push_back(idx(b, l, t));
            Value i = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, at),
                              b.getI64Type());
            coords.push_back(normalizeIndex(b, l, i, inType.getDimSize(batch + t)));
          }
          for (int64_t d = batch + depth; d < inType.getRank(); ++d)
            coords.push_back(iv[q - 1 + d - batch - depth]);
          return tensor::ExtractOp::create(b, l, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// scatter_elements, scatter_nd
//===----------------------------------------------------------------------===//

Value combineScatter(OpBuilder &b, Location l, ScatterReduction reduction, Value current,
                     Value update) {
  bool isFloat = llvm::isa<FloatType>(current.getType());
  bool isBool = current.getType().isInteger(1);
  switch (reduction) {
  case ScatterReduction::none:
    return update;
  case ScatterReduction::add:
    if (isFloat)
      return arith::AddFOp::create(b, l, current, update);
    if (isBool)
      return arith::OrIOp::create(b, l, current, update);
    return arith::AddIOp::create(b, l, current, update);
  case ScatterReduction::mul:
    if (isFloat)
      return arith::MulFOp::create(b, l, current, update);
    if (isBool)
      return arith::AndIOp::create(b, l, current, update);
    return arith::MulIOp::create(b, l, current, update);
  }
  return update;
}

/// Updates are applied one at a time in row-major order of `updates`, so
/// duplicate indices combine (or, without a reduction, the last one wins)
/// as the ONNX reference does.
struct LowerScatterElements : public OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto dataType = op.getData().getType();
    auto updateType = op.getUpdates().getType();
    int64_t axis = op.getAxis(), rank = dataType.getRank();
    if (op.getIndices().getType().getShape() != updateType.getShape())
      return op.emitOpError("expects indices and updates of one shape");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && updateType.getDimSize(d) > dataType.getDimSize(d))
        return op.emitOpError() << "has updates larger than the data along dimension " << d;
    if (updateType.getNumElements() == 0) {
      rewriter.replaceOp(op, adaptor.getData());
      return success();
    }
    if (dataType.getNumElements() == 0)
      return op.emitOpError("scatters into an empty tensor (every index is out of range)");
    int64_t extent = dataType.getDimSize(axis);
    Type indexElement = op.getIndices().getType().getElementType();
    ScatterReduction reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    SmallVector<Value> result = loopNest(
        rewriter, loc, updateType.getShape(), ValueRange{adaptor.getData()},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) -> SmallVector<Value> {
          Value i = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, ivs), indexElement);
          SmallVector<Value> coords(ivs);
          coords[axis] = normalizeIndex(b, l, i, extent);
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          if (reduction != ScatterReduction::none)
            update = combineScatter(b, l, reduction,
                                    tensor::ExtractOp::create(b, l, args[0], coords), update);
          return {tensor::InsertOp::create(b, l, update, args[0], coords)};
        });
    rewriter.replaceOp(op, result[0]);
    return success();
  }
};

struct LowerScatterND : public OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto dataType = op.getData().getType();
    auto indexType = op.getIndices().getType();
    auto updateType = op.getUpdates().getType();
    int64_t q = indexType.getRank(), depth = indexType.getDimSize(q - 1);
    // updates: indices.shape[:-1] + data.shape[depth:].
    SmallVector<int64_t> expected(indexType.getShape().drop_back());
    expected.append(dataType.getShape().begin() + depth, dataType.getShape().end());
    if (updateType.getShape() != ArrayRef<int64_t>(expected))
      return op.emitOpError("expects updates of shape indices.shape[:-1] + data.shape[depth:]");
    if (updateType.getNumElements() == 0) {
      rewriter.replaceOp(op, adaptor.getData());
      return success();
    }
    if (dataType.getNumElements() == 0)
      return op.emitOpError("scatters into an empty tensor (every index is out of range)");
    ScatterReduction reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    SmallVector<Value> result = loopNest(
        rewriter, loc, updateType.getShape(), ValueRange{adaptor.getData()},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) -> SmallVector<Value> {
          SmallVector<Value> tuple(ivs.begin(), ivs.begin() + (q - 1)), coords;
          for (int64_t t = 0; t < depth; ++t) {
            SmallVector<Value> at(tuple);
            at.push_back(idx(b, l, t));
            Value i = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, at),
                              b.getI64Type());
            coords.push_back(normalizeIndex(b, l, i, dataType.getDimSize(t)));
          }
          coords.append(ivs.begin() + (q - 1), ivs.end());
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          if (reduction != ScatterReduction::none)
            update = combineScatter(b, l, reduction,
                                    tensor::ExtractOp::create(b, l, args[0], coords), update);
          return {tensor::InsertOp::create(b, l, update, args[0], coords)};
        });
    rewriter.replaceOp(op, result[0]);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// top_k
//===----------------------------------------------------------------------===//

/// x > y for top_k, with NaN above every number (numpy's sort order).
Value greaterThan(OpBuilder &b, Location l, Value x, Value y, Type element) {
  if (!llvm::isa<FloatType>(element))
    return arith::CmpIOp::create(
        b, l, isUnsigned(element) ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, x, y);
  Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, y);
  Value xNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
  Value yNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, y, y);
  return orI1(b, l, gt, andI1(b, l, xNaN, notI1(b, l, yNaN)));
}

Value equalTo(OpBuilder &b, Location l, Value x, Value y, Type element) {
  if (!llvm::isa<FloatType>(element))
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, y);
  Value eq = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, y);
  Value xNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
  Value yNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, y, y);
  return orI1(b, l, eq, andI1(b, l, xNaN, yNaN));
}

/// The k results are selected one after the other: the r-th is the first,
/// in the order (value, then lower index first), among the elements that
/// come after the (r-1)-th. That is O(k * n) per slice, sorted, with ties
/// broken by the lower index as ONNX specifies.
struct LowerTopK : public OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto resultType = op.getValues().getType();
    int64_t axis = op.getAxis(), rank = inType.getRank();
    int64_t n = inType.getDimSize(axis), k = resultType.getDimSize(axis);
    if (k > n)
      return op.emitOpError() << "selects " << k << " of " << n << " elements";
    if (std::optional<int64_t> kv = getConstantScalarInt(op.getK()); kv && *kv != k)
      return op.emitOpError("has a result extent that differs from k");
    Type element = inType.getElementType();
    Type i64 = rewriter.getI64Type();
    bool largest = op.getLargest();
    SmallVector<int64_t> outer(inType.getShape());
    outer.erase(outer.begin() + axis);
    Value values = emptyTensor(rewriter, loc, resultType.getShape(), element);
    Value indices = emptyTensor(rewriter, loc, resultType.getShape(), i64);
    if (k == 0) {
      rewriter.replaceOp(op, {values, indices});
      return success();
    }
    Value x = adaptor.getInput();
    MLIRContext *context = rewriter.getContext();
    AffineMap full = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = dropDimMap(context, rank, axis);
    SmallVector<AffineMap> maps{full, reduced, reduced, reduced, reduced};
    SmallVector<IT> iterators(rank, IT::parallel);
    iterators[axis] = IT::reduction;
    // (x, ix) comes before (y, iy) in the output order.
    auto before = [&](OpBuilder &b, Location l, Value xv, Value xi, Value yv, Value yi) {
      Value better = largest ? greaterThan(b, l, xv, yv, element)
                             : greaterThan(b, l, yv, xv, element);
      Value tie = andI1(b, l, equalTo(b, l, xv, yv, element),
                        arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, xi, yi));
      return orI1(b, l, better, tie);
    };
    // The results start defined (lowest value, index -1) so that reading
    // the previous selection in the first iteration reads defined data.
    values = filledTensor(rewriter, loc, resultType.getShape(),
                          lowestValue(rewriter, loc, element, /*highest=*/false));
    indices = filledTensor(rewriter, loc, resultType.getShape(),
                           arith::ConstantIntOp::create(rewriter, loc, i64, -1));
    auto outerType = RankedTensorType::get(outer, signlessElement(element));
    auto outerIndexType = RankedTensorType::get(outer, i64);
    SmallVector<Value> results = forLoop(
        rewriter, loc, idx(rewriter, loc, 0), idx(rewriter, loc, k), ValueRange{values, indices},
        [&](OpBuilder &b, Location l, Value r, ValueRange args) -> SmallVector<Value> {
          // The previous selection: slice r - 1 of the results (unused when
          // r is 0).
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, r, idx(b, l, 0));
          Value prevAt = arith::MaxSIOp::create(
              b, l, arith::SubIOp::create(b, l, r, idx(b, l, 1)), idx(b, l, 0));
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), prevOffsets,
              sizes, strides(rank, b.getIndexAttr(1));
          for (int64_t d = 0; d < rank; ++d)
            sizes.push_back(b.getIndexAttr(d == axis ? 1 : resultType.getDimSize(d)));
          prevOffsets = offsets;
          prevOffsets[axis] = prevAt;
          offsets[axis] = r;
          Value prevValues = tensor::ExtractSliceOp::create(b, l, outerType, args[0], prevOffsets,
                                                            sizes, strides);
          Value prevIndices = tensor::ExtractSliceOp::create(b, l, outerIndexType, args[1],
                                                             prevOffsets, sizes, strides);
          Value bestValues = filledTensor(b, l, outer, lowestValue(b, l, element, false));
          Value bestIndices =
              filledTensor(b, l, outer, arith::ConstantIntOp::create(b, l, i64, -1));
          SmallVector<Value> best = buildGeneric(
              b, l, ValueRange{x, prevValues, prevIndices}, ValueRange{bestValues, bestIndices},
              maps, iterators, [&](OpBuilder &nb, Location nl, ValueRange a) -> SmallVector<Value> {
                Value i = indexToI64(nb, nl, linalg::IndexOp::create(nb, nl, axis));
                Value zero = arith::ConstantIntOp::create(nb, nl, i64, 0);
                Value yes = arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1);
                Value eligible = arith::SelectOp::create(nb, nl, first, yes,
                                                         before(nb, nl, a[1], a[2], a[0], i));
                Value noBest = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, a[4], zero);
                Value better = orI1(nb, nl, noBest, before(nb, nl, a[0], i, a[3], a[4]));
                Value take = andI1(nb, nl, eligible, better);
                return {arith::SelectOp::create(nb, nl, take, a[0], a[3]),
                        arith::SelectOp::create(nb, nl, take, i, a[4])};
              });
          Value v = tensor::InsertSliceOp::create(b, l, best[0], args[0], offsets, sizes, strides);
          Value ix = tensor::InsertSliceOp::create(b, l, best[1], args[1], offsets, sizes, strides);
          return {v, ix};
        });
    rewriter.replaceOp(op, {results[0], results[1]});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// reverse_sequence
//===----------------------------------------------------------------------===//

struct LowerReverseSequence : public OpConversionPattern<ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReverseSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto type = op.getType();
    int64_t rank = type.getRank(), batchAxis = op.getBatchAxis(), timeAxis = op.getTimeAxis();
    int64_t steps = type.getDimSize(timeAxis);
    if (op.getSequenceLens().getType().getShape() !=
        ArrayRef<int64_t>{type.getDimSize(batchAxis)})
      return op.emitOpError("expects one sequence length per batch entry");
    Value input = adaptor.getInput();
    SmallVector<AffineMap> maps{
        AffineMap::get(rank, 0, rewriter.getAffineDimExpr(batchAxis), rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    Value result = buildGeneric(
        rewriter, loc, adaptor.getSequenceLens(),
        emptyTensor(rewriter, loc, type.getShape(), type.getElementType()), maps,
        SmallVector<IT>(rank, IT::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          // Lengths outside [0, steps] are clamped into it.
          Value len = toIndex(b, l, a[0], b.getI64Type());
          len = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, len, idx(b, l, 0)),
                                       idx(b, l, steps));
          SmallVector<Value> coords = linalgIndices(b, l, rank);
          Value t = coords[timeAxis];
          Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
          Value reversed = arith::SubIOp::create(
              b, l, arith::SubIOp::create(b, l, len, idx(b, l, 1)), t);
          coords[timeAxis] = clampIndex(b, l, arith::SelectOp::create(b, l, inside, reversed, t),
                                        steps);
          return {tensor::ExtractOp::create(b, l, input, coords)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// max_pool_with_indices, max_unpool
//===----------------------------------------------------------------------===//

/// Values and flat indices of the first maximum of each window (window
/// positions in row-major order; positions in the padding never count).
struct LowerMaxPoolWithIndices : public OpConversionPattern<MaxPoolWithIndicesOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolWithIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    int64_t storageOrder = op.getStorageOrder();
    if (storageOrder != 0 && storageOrder != 1)
      return op.emitOpError() << "has storage_order " << storageOrder << " (expects 0 or 1)";
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto outType = op.getOutput().getType();
    Type element = inType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      dilations = op.getDilations(), pads = op.getPads();
    int64_t spatial = kernel.size();
    Type i64 = rewriter.getI64Type();
    Value values = filledTensor(rewriter, loc, outType.getShape(),
                                lowestValue(rewriter, loc, element, false));
    Value indices = filledTensor(rewriter, loc, outType.getShape(),
                                 arith::ConstantIntOp::create(rewriter, loc, i64, -1));
    if (inType.getNumElements() == 0) {
      // No window holds an element.
      rewriter.replaceOp(op, {values, indices});
      return success();
    }
    unsigned dims = 2 + 2 * spatial;
    SmallVector<AffineExpr> winExprs, outExprs;
    for (unsigned i = 0; i < 2 + spatial; ++i)
      outExprs.push_back(rewriter.getAffineDimExpr(i));
    for (int64_t i = 0; i < spatial; ++i)
      winExprs.push_back(rewriter.getAffineDimExpr(2 + spatial + i));
    MLIRContext *context = rewriter.getContext();
    AffineMap outMap = AffineMap::get(dims, 0, outExprs, context);
    SmallVector<AffineMap> maps{AffineMap::get(dims, 0, winExprs, context), outMap, outMap};
    SmallVector<IT> iterators(2 + spatial, IT::parallel);
    iterators.append(spatial, IT::reduction);
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, rewriter.getI1Type());
    Value input = adaptor.getInput();
    int64_t channels = inType.getDimSize(1), plane = 1;
    for (int64_t i = 0; i < spatial; ++i)
      plane *= inType.getDimSize(2 + i);
    bool isFloat = llvm::isa<FloatType>(element);
    SmallVector<Value> results = buildGeneric(
        rewriter, loc, window, ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          Value n = linalg::IndexOp::create(b, l, 0), c = linalg::IndexOp::create(b, l, 1);
          Value inside = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
          SmallVector<Value> coords{n, c}, positions;
          for (int64_t i = 0; i < spatial; ++i) {
            Value o = linalg::IndexOp::create(b, l, 2 + i);
            Value k = linalg::IndexOp::create(b, l, 2 + spatial + i);
            Value p = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, o, idx(b, l, strides[i])),
                arith::MulIOp::create(b, l, k, idx(b, l, dilations[i])));
            p = arith::SubIOp::create(b, l, p, idx(b, l, pads[i]));
            int64_t size = inType.getDimSize(2 + i);
            inside = andI1(b, l, inside, inRange(b, l, p, size));
            p = clampIndex(b, l, p, size);
            coords.push_back(p);
            positions.push_back(p);
          }
          Value v = tensor::ExtractOp::create(b, l, input, coords);
          Value greater =
              isFloat ? Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, a[1]))
                      : Value(arith::CmpIOp::create(b, l,
                                                    isUnsigned(element) ? arith::CmpIPredicate::ugt
                                                                        : arith::CmpIPredicate::sgt,
                                                    v, a[1]));
          Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, a[2],
                                             arith::ConstantIntOp::create(b, l, i64, 0));
          Value take = andI1(b, l, inside, orI1(b, l, none, greater));
          // Flat index: (n * C + c) * plane + the position within the plane,
          // row-major, or column-major with storage_order 1.
          Value flat = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, n, idx(b, l, channels)), c);
          flat = arith::MulIOp::create(b, l, flat, idx(b, l, plane));
          Value within = idx(b, l, 0);
          if (storageOrder == 0) {
            for (int64_t i = 0; i < spatial; ++i)
              within = arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, within, idx(b, l, inType.getDimSize(2 + i))),
                  positions[i]);
          } else {
            int64_t stride = 1;
            for (int64_t i = 0; i < spatial; ++i) {
              within = arith::AddIOp::create(
                  b, l, within, arith::MulIOp::create(b, l, positions[i], idx(b, l, stride)));
              stride *= inType.getDimSize(2 + i);
            }
          }
          flat = indexToI64(b, l, arith::AddIOp::create(b, l, flat, within));
          return {arith::SelectOp::create(b, l, take, v, a[1]),
                  arith::SelectOp::create(b, l, take, flat, a[2])};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Writes each input element at its flat index into a zero tensor of the
/// output shape, in row-major order of the input (a later duplicate wins).
/// The indices address the output tensor, as the operator definition and
/// ONNX Runtime have it, so that MaxUnpool inverts a MaxPool whose input had
/// that shape; an output_shape smaller than the default unpooled shape
/// ((D - 1) * stride + K - pads per spatial dimension) is rejected.
struct LowerMaxUnpool : public OpConversionPattern<MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxUnpoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, {op.getInput().getType(), op.getIndices().getType(),
                                        op.getType()})))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto outType = op.getType();
    Type element = outType.getElementType();
    if (op.getIndices().getType().getShape() != inType.getShape())
      return op.emitOpError("expects indices of the input's shape");
    int64_t rank = inType.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      pads = op.getPads();
    SmallVector<int64_t> shape{inType.getDimSize(0), inType.getDimSize(1)};
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t d = (inType.getDimSize(i + 2) - 1) * strides[i] + kernel[i] - pads[i] -
                  pads[i + spatial];
      shape.push_back(std::max<int64_t>(d, 0));
    }
    for (int64_t i = 0; i < rank; ++i)
      if (outType.getDimSize(i) < shape[i] || (i < 2 && outType.getDimSize(i) != shape[i]))
        return op.emitOpError() << "has output shape " << outType
                                << " smaller than the unpooled shape (or with other N, C)";
    int64_t count = inType.getNumElements(), total = outType.getNumElements();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value result = filledTensor(rewriter, loc, {total}, zero);
    if (count != 0 && total != 0) {
      Value x = reshapeTensor(rewriter, loc, adaptor.getInput(), {count});
      Value indices = reshapeTensor(rewriter, loc, adaptor.getIndices(), {count});
      result = forLoop(
          rewriter, loc, idx(rewriter, loc, 0), idx(rewriter, loc, count), ValueRange{result},
          [&](OpBuilder &b, Location l, Value i, ValueRange args) -> SmallVector<Value> {
            // Flat indices outside the tensor are clamped into it.
            Value at = toIndex(b, l, tensor::ExtractOp::create(b, l, indices, i), b.getI64Type());
            at = clampIndex(b, l, at, total);
            Value v = tensor::ExtractOp::create(b, l, x, i);
            return {tensor::InsertOp::create(b, l, v, args[0], at)};
          })[0];
    }
    // (With nothing to write, or nowhere to write it, the result is zeros.)
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, result, outType.getShape()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// det
//===----------------------------------------------------------------------===//

/// Gaussian elimination with partial pivoting, per matrix, in f64.
struct LowerDet : public OpConversionPattern<DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    Type element = inType.getElementType();
    int64_t rank = inType.getRank(), m = inType.getDimSize(rank - 1);
    if (inType.getDimSize(rank - 2) != m)
      return op.emitOpError("expects square matrices");
    int64_t batch = 1;
    for (int64_t i = 0; i < rank - 2; ++i)
      batch *= inType.getDimSize(i);
    Type f64 = rewriter.getF64Type();
    Value a = adaptor.getInput();
    if (element != f64)
      a = buildBroadcastGeneric(rewriter, loc, inType.clone(f64), a,
                                [&](OpBuilder &b, Location l, ValueRange args) {
                                  return convertScalar(b, l, args[0], element, f64);
                                });
    a = reshapeTensor(rewriter, loc, a, {batch, m, m});
    Value dets = emptyTensor(rewriter, loc, {batch}, f64);
    auto c = [&](OpBuilder &b, Location l, double v) { return scalarConstant(b, l, f64, v); };
    SmallVector<Value> perBatch = forLoop(
        rewriter, loc, idx(rewriter, loc, 0), idx(rewriter, loc, batch), ValueRange{a, dets},
        [&](OpBuilder &b, Location l, Value bi, ValueRange batchArgs) -> SmallVector<Value> {
          SmallVector<Value> elim = forLoop(
              b, l, idx(b, l, 0), idx(b, l, m), ValueRange{batchArgs[0], c(b, l, 1.0)},
              [&](OpBuilder &b, Location l, Value k, ValueRange args) -> SmallVector<Value> {
                Value mat = args[0], det = args[1];
                // Pivot: the row at or below k with the largest |a[i, k]|.
                SmallVector<Value> pivot = forLoop(
                    b, l, k, idx(b, l, m), ValueRange{k, c(b, l, -1.0)},
                    [&](OpBuilder &b, Location l, Value i, ValueRange p) -> SmallVector<Value> {
                      Value v = math::AbsFOp::create(
                          b, l, tensor::ExtractOp::create(b, l, mat, ValueRange{bi, i, k}));
                      Value take = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, p[1]);
                      return {arith::SelectOp::create(b, l, take, i, p[0]),
                              arith::SelectOp::create(b, l, take, v, p[1])};
                    });
                Value p = pivot[0];
                mat = forLoop(b, l, idx(b, l, 0), idx(b, l, m), ValueRange{mat},
                              [&](OpBuilder &b, Location l, Value j,
                                  ValueRange s) -> SmallVector<Value> {
                                Value rowK = tensor::ExtractOp::create(b, l, s[0], ValueRange{bi, k, j});
                                Value rowP = tensor::ExtractOp::create(b, l, s[0], ValueRange{bi, p, j});
                                Value t = tensor::InsertOp::create(b, l, rowP, s[0], ValueRange{bi, k, j});
                                return {tensor::InsertOp::create(b, l, rowK, t, ValueRange{bi, p, j})};
                              })[0];
                Value swapped = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, p, k);
                det = arith::SelectOp::create(b, l, swapped, arith::NegFOp::create(b, l, det), det);
                Value pv = tensor::ExtractOp::create(b, l, mat, ValueRange{bi, k, k});
                det = arith::MulFOp::create(b, l, det, pv);
                // A zero pivot (the column is zero) makes det 0; skip the
                // elimination then so no inf or NaN appears.
                Value nonZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, pv, c(b, l, 0.0));
                Value next = arith::AddIOp::create(b, l, k, idx(b, l, 1));
                mat = forLoop(
                    b, l, next, idx(b, l, m), ValueRange{mat},
                    [&](OpBuilder &b, Location l, Value i, ValueRange s) -> SmallVector<Value> {
                      Value f = arith::DivFOp::create(
                          b, l, tensor::ExtractOp::create(b, l, s[0], ValueRange{bi, i, k}), pv);
                      f = arith::SelectOp::create(b, l, nonZero, f, c(b, l, 0.0));
                      return forLoop(
                          b, l, next, idx(b, l, m), ValueRange{s[0]},
                          [&](OpBuilder &b, Location l, Value j, ValueRange t) -> SmallVector<Value> {
                            Value aij = tensor::ExtractOp::create(b, l, t[0], ValueRange{bi, i, j});
                            Value akj = tensor::ExtractOp::create(b, l, t[0], ValueRange{bi, k, j});
                            Value v = arith::SubFOp::create(b, l, aij,
                                                            arith::MulFOp::create(b, l, f, akj));
                            return {tensor::InsertOp::create(b, l, v, t[0], ValueRange{bi, i, j})};
                          });
                    })[0];
                return {mat, det};
              });
          return {elim[0], tensor::InsertOp::create(b, l, elim[1], batchArgs[1], bi)};
        });
    Value result = perBatch[1];
    if (element != f64)
      result = buildBroadcastGeneric(rewriter, loc, RankedTensorType::get({batch}, element),
                                     result, [&](OpBuilder &b, Location l, ValueRange args) {
                                       return convertScalar(b, l, args[0], f64, element);
                                     });
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, result, op.getType().getShape()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// einsum
//===----------------------------------------------------------------------===//

/// Subscripts of one einsum term; -1 marks "...".
using EinsumTerm = SmallVector<int>;

FailureOr<EinsumTerm> parseEinsumTerm(StringRef term) {
  EinsumTerm labels;
  for (size_t i = 0; i < term.size();) {
    if (term.substr(i).starts_with("...")) {
      if (llvm::is_contained(labels, -1))
        return failure();
      labels.push_back(-1);
      i += 3;
    } else if (llvm::isAlpha(term[i])) {
      labels.push_back(term[i++]);
    } else {
      return failure();
    }
  }
  return labels;
}

/// One linalg.generic: a loop dimension per distinct subscript (and per
/// broadcast "..." dimension); those in the output are parallel, the others
/// reductions. A subscript repeated within a term reads a diagonal.
struct LowerEinsum : public OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    std::string text;
    for (char ch : op.getEquation())
      if (ch != ' ')
        text.push_back(ch);
    size_t arrow = text.find("->");
    if (arrow == std::string::npos)
      return op.emitOpError("needs an explicit einsum output");
    SmallVector<StringRef> parts;
    StringRef(text).substr(0, arrow).split(parts, ',');
    SmallVector<EinsumTerm> terms;
    for (StringRef part : parts) {
      FailureOr<EinsumTerm> term = parseEinsumTerm(part);
      if (failed(term))
        return op.emitOpError("has a malformed einsum equation");
      terms.push_back(*term);
    }
    FailureOr<EinsumTerm> output = parseEinsumTerm(StringRef(text).substr(arrow + 2));
    if (failed(output) || terms.size() != op.getInputs().size())
      return op.emitOpError("has a malformed einsum equation");
    Type element = op.getType().getElementType();
    if (element.isInteger(1))
      return op.emitOpError("on booleans has no lowering");
    for (Value input : op.getInputs())
      if (rankedType(input).getElementType() != element)
        return op.emitOpError("expects operands of the result's element type");

    // Broadcast "..." dimensions (right-aligned across operands).
    int64_t ellipsisRank = 0;
    SmallVector<int64_t> termEllipsis;
    for (auto [term, input] : llvm::zip(terms, op.getInputs())) {
      int64_t named = term.size() - (llvm::is_contained(term, -1) ? 1 : 0);
      int64_t e = rankedType(input).getRank() - named;
      if (e < 0 || (!llvm::is_contained(term, -1) && e != 0))
        return op.emitOpError("has an einsum term whose rank differs from its operand's");
      termEllipsis.push_back(e);
      ellipsisRank = std::max(ellipsisRank, e);
    }
    SmallVector<int64_t> ellipsisShape(ellipsisRank, 1);
    for (auto [term, input, e] : llvm::zip(terms, op.getInputs(), termEllipsis)) {
      auto shape = rankedType(input).getShape();
      int64_t at = llvm::find(term, -1) - term.begin();
      for (int64_t j = 0; j < e; ++j) {
        int64_t size = shape[at + j], &target = ellipsisShape[ellipsisRank - e + j];
        if (size == 1)
          continue;
        if (target != 1 && target != size)
          return op.emitOpError("has \"...\" dimensions that do not broadcast");
        target = size;
      }
    }
    // Loop dimensions: the "..." ones first, then one per subscript.
    std::map<int, std::pair<unsigned, int64_t>> labels; // label -> (dim, size)
    unsigned dims = ellipsisRank;
    for (auto [term, input, e] : llvm::zip(terms, op.getInputs(), termEllipsis)) {
      auto shape = rankedType(input).getShape();
      int64_t d = 0;
      for (int label : term) {
        if (label == -1) {
          d += e;
          continue;
        }
        auto [it, inserted] = labels.try_emplace(label, dims, shape[d]);
        if (inserted)
          ++dims;
        else if (it->second.second != shape[d])
          return op.emitOpError() << "uses subscript '" << char(label) << "' with extents "
                                  << it->second.second << " and " << shape[d];
        ++d;
      }
    }
    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineMap> maps;
    for (auto [term, input, e] : llvm::zip(terms, op.getInputs(), termEllipsis)) {
      auto shape = rankedType(input).getShape();
      SmallVector<AffineExpr> exprs;
      for (int label : term) {
        if (label != -1) {
          exprs.push_back(rewriter.getAffineDimExpr(labels[label].first));
          continue;
        }
        for (int64_t j = 0; j < e; ++j) {
          int64_t target = ellipsisRank - e + j;
          bool broadcast = shape[exprs.size()] == 1 && ellipsisShape[target] != 1;
          exprs.push_back(broadcast ? rewriter.getAffineConstantExpr(0)
                                    : rewriter.getAffineDimExpr(target));
        }
      }
      maps.push_back(AffineMap::get(dims, 0, exprs, context));
    }
    SmallVector<AffineExpr> outExprs;
    SmallVector<int64_t> outShape;
    SmallVector<IT> iterators(dims, IT::reduction);
    for (int label : *output) {
      if (label == -1) {
        for (int64_t j = 0; j < ellipsisRank; ++j) {
          outExprs.push_back(rewriter.getAffineDimExpr(j));
          outShape.push_back(ellipsisShape[j]);
          iterators[j] = IT::parallel;
        }
        continue;
      }
      auto it = labels.find(label);
      if (it == labels.end())
        return op.emitOpError() << "has output subscript '" << char(label)
                                << "' that no operand uses";
      if (iterators[it->second.first] == IT::parallel)
        return op.emitOpError() << "repeats output subscript '" << char(label) << "'";
      outExprs.push_back(rewriter.getAffineDimExpr(it->second.first));
      outShape.push_back(it->second.second);
      iterators[it->second.first] = IT::parallel;
    }
    if (ArrayRef<int64_t>(outShape) != op.getType().getShape())
      return op.emitOpError("has a result shape that differs from its equation's");
    maps.push_back(AffineMap::get(dims, 0, outExprs, context));
    // f16 and bf16 accumulate in f32.
    Type acc = (element.isF16() || element.isBF16()) ? rewriter.getF32Type()
                                                     : signlessElement(element);
    bool isFloat = llvm::isa<FloatType>(acc);
    Value init = filledTensor(rewriter, loc, outShape, scalarConstant(rewriter, loc, acc, 0));
    Value result = buildGeneric(
        rewriter, loc, adaptor.getInputs(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          Value product;
          for (Value v : a.drop_back()) {
            v = convertScalar(b, l, v, element, acc);
            product = !product ? v
                      : isFloat ? Value(arith::MulFOp::create(b, l, product, v))
                                : Value(arith::MulIOp::create(b, l, product, v));
          }
          return {isFloat ? Value(arith::AddFOp::create(b, l, a.back(), product))
                          : Value(arith::AddIOp::create(b, l, a.back(), product))};
        })[0];
    if (acc != signlessElement(element))
      result = buildBroadcastGeneric(rewriter, loc, op.getType(), result,
                                     [&](OpBuilder &b, Location l, ValueRange a) {
                                       return convertScalar(b, l, a[0], acc, element);
                                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// grid_sample
//===----------------------------------------------------------------------===//

/// PyTorch's grid_sampler_2d, which ONNX GridSample (opset 16) follows.
struct LowerGridSample : public OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto outType = op.getType();
    if (op.getGrid().getType().getDimSize(3) != 2 ||
        op.getGrid().getType().getDimSize(0) != inType.getDimSize(0))
      return op.emitOpError("expects a grid of shape N x H_out x W_out x 2");
    int64_t height = inType.getDimSize(2), width = inType.getDimSize(3);
    if ((height == 0 || width == 0) && outType.getNumElements() != 0)
      return op.emitOpError("samples an empty image");
    Type element = inType.getElementType();
    Type ct = computeFloat(element);
    GridSampleMode mode = op.getMode();
    GridSamplePadding padding = op.getPaddingMode();
    bool alignCorners = op.getAlignCorners();
    Value input = adaptor.getInput();
    MLIRContext *context = rewriter.getContext();
    auto d = [&](unsigned i) { return rewriter.getAffineDimExpr(i); };
    SmallVector<AffineMap> maps{
        AffineMap::get(4, 0, {d(0), d(2), d(3), rewriter.getAffineConstantExpr(0)}, context),
        AffineMap::get(4, 0, {d(0), d(2), d(3), rewriter.getAffineConstantExpr(1)}, context),
        rewriter.getMultiDimIdentityMap(4)};
    Value result = buildGeneric(
        rewriter, loc, ValueRange{adaptor.getGrid(), adaptor.getGrid()},
        emptyTensor(rewriter, loc, outType.getShape(), element), maps,
        SmallVector<IT>(4, IT::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          auto f = [&](double v) { return scalarConstant(b, l, ct, v); };
          auto add = [&](Value x, Value y) -> Value { return arith::AddFOp::create(b, l, x, y); };
          auto sub = [&](Value x, Value y) -> Value { return arith::SubFOp::create(b, l, x, y); };
          auto mul = [&](Value x, Value y) -> Value { return arith::MulFOp::create(b, l, x, y); };
          auto div = [&](Value x, Value y) -> Value { return arith::DivFOp::create(b, l, x, y); };
          auto floor = [&](Value x) -> Value { return math::FloorOp::create(b, l, x); };
          Value n = linalg::IndexOp::create(b, l, 0), c = linalg::IndexOp::create(b, l, 1);
          Value gx = convertScalar(b, l, a[0], element, ct);
          Value gy = convertScalar(b, l, a[1], element, ct);
          // [-1, 1] to pixel coordinates.
          auto unnormalize = [&](Value v, int64_t size) -> Value {
            if (alignCorners)
              return mul(div(add(v, f(1)), f(2)), f(double(size - 1)));
            return div(sub(mul(add(v, f(1)), f(double(size))), f(1)), f(2));
          };
          auto clip = [&](Value v, int64_t size) -> Value {
            return arith::MinimumFOp::create(
                b, l, arith::MaximumFOp::create(b, l, v, f(0)), f(double(size - 1)));
          };
          auto reflect = [&](Value v, double twiceLow, double twiceHigh) -> Value {
            if (twiceLow == twiceHigh)
              return f(0);
            double lo = twiceLow / 2, span = (twiceHigh - twiceLow) / 2;
            Value in = math::AbsFOp::create(b, l, sub(v, f(lo)));
            Value extra = arith::RemFOp::create(b, l, in, f(span));
            Value flips = floor(div(in, f(span)));
            Value even = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               arith::RemFOp::create(b, l, flips, f(2)), f(0));
            return arith::SelectOp::create(b, l, even, add(extra, f(lo)),
                                           add(sub(f(span), extra), f(lo)));
          };
          // The padding mode applied to a pixel coordinate.
          auto pad = [&](Value v, int64_t size) -> Value {
            switch (padding) {
            case GridSamplePadding::zeros:
              return v;
            case GridSamplePadding::border:
              return clip(v, size);
            case GridSamplePadding::reflection:
              v = alignCorners ? reflect(v, 0, 2.0 * (size - 1))
                               : reflect(v, -1, 2.0 * size - 1);
              return clip(v, size);
            }
            return v;
          };
          // input[n, c, y, x] for integral float coordinates, 0 outside.
          auto read = [&](Value y, Value x) -> Value {
            Value yi = floatToIndex(b, l, y, height), xi = floatToIndex(b, l, x, width);
            Value inside = andI1(b, l, inRange(b, l, yi, height), inRange(b, l, xi, width));
            Value v = tensor::ExtractOp::create(
                b, l, input,
                ValueRange{n, c, clampIndex(b, l, yi, height), clampIndex(b, l, xi, width)});
            return arith::SelectOp::create(b, l, inside, convertScalar(b, l, v, element, ct),
                                           f(0));
          };
          Value out;
          if (mode == GridSampleMode::bicubic) {
            Value ix = unnormalize(gx, width), iy = unnormalize(gy, height);
            Value x0 = floor(ix), y0 = floor(iy);
            Value tx = sub(ix, x0), ty = sub(iy, y0);
            const double A = -0.75;
            auto near = [&](Value t) { // ((A + 2) t - (A + 3)) t t + 1
              return add(mul(mul(sub(mul(f(A + 2), t), f(A + 3)), t), t), f(1));
            };
            auto far = [&](Value t) { // ((A t - 5A) t + 8A) t - 4A
              return sub(mul(add(mul(sub(mul(f(A), t), f(5 * A)), t), f(8 * A)), t), f(4 * A));
            };
            auto cubic = [&](ArrayRef<Value> v, Value t) {
              Value w0 = far(add(t, f(1))), w1 = near(t), w2 = near(sub(f(1), t)),
                    w3 = far(sub(f(2), t));
              return add(add(add(mul(v[0], w0), mul(v[1], w1)), mul(v[2], w2)), mul(v[3], w3));
            };
            SmallVector<Value> rows;
            for (int i = 0; i < 4; ++i) {
              Value y = pad(add(y0, f(i - 1)), height);
              SmallVector<Value> taps;
              for (int j = 0; j < 4; ++j)
                taps.push_back(read(y, pad(add(x0, f(j - 1)), width)));
              rows.push_back(cubic(taps, tx));
            }
            out = cubic(rows, ty);
          } else {
            Value ix = pad(unnormalize(gx, width), width);
            Value iy = pad(unnormalize(gy, height), height);
            if (mode == GridSampleMode::nearest) {
              out = read(math::RoundEvenOp::create(b, l, iy), math::RoundEvenOp::create(b, l, ix));
            } else {
              Value x0 = floor(ix), y0 = floor(iy);
              Value x1 = add(x0, f(1)), y1 = add(y0, f(1));
              Value nw = mul(sub(x1, ix), sub(y1, iy)), ne = mul(sub(ix, x0), sub(y1, iy));
              Value sw = mul(sub(x1, ix), sub(iy, y0)), se = mul(sub(ix, x0), sub(iy, y0));
              out = add(add(add(mul(read(y0, x0), nw), mul(read(y0, x1), ne)),
                            mul(read(y1, x0), sw)),
                        mul(read(y1, x1), se));
            }
          }
          return {convertScalar(b, l, out, ct, element)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// roi_align
//===----------------------------------------------------------------------===//

/// ONNX RoiAlign (opset 16) as its reference and onnxruntime compute it:
/// bilinear samples on a roi_bin_grid_h x roi_bin_grid_w grid per bin
/// (adaptive, ceil(roi extent / output extent), when sampling_ratio is 0);
/// avg mode averages them, max mode takes the largest weighted corner value.
struct LowerRoiAlign : public OpConversionPattern<RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto outType = op.getType();
    int64_t batch = inType.getDimSize(0), height = inType.getDimSize(2),
            width = inType.getDimSize(3);
    int64_t rois = op.getRois().getType().getDimSize(0);
    if (op.getRois().getType().getDimSize(1) != 4 ||
        op.getBatchIndices().getType().getShape() != ArrayRef<int64_t>{rois})
      return op.emitOpError("expects rois of shape R x 4 and R batch indices");
    if (inType.getNumElements() == 0 && outType.getNumElements() != 0)
      return op.emitOpError("pools from an empty input");
    Type element = inType.getElementType();
    Type ct = computeFloat(element);
    Type roiElement = op.getRois().getType().getElementType();
    bool isMax = op.getMode() == RoiPoolingMode::max;
    bool halfPixel = op.getHalfPixel();
    int64_t pooledH = op.getOutputHeight(), pooledW = op.getOutputWidth();
    int64_t samplingRatio = op.getSamplingRatio();
    double scale = op.getSpatialScale().convertToDouble();
    Value input = adaptor.getInput();
    MLIRContext *context = rewriter.getContext();
    auto d = [&](unsigned i) { return rewriter.getAffineDimExpr(i); };
    auto k = [&](int64_t v) { return rewriter.getAffineConstantExpr(v); };
    SmallVector<AffineMap> maps;
    for (int64_t j = 0; j < 4; ++j)
      maps.push_back(AffineMap::get(4, 0, {d(0), k(j)}, context));
    maps.push_back(AffineMap::get(4, 0, {d(0)}, context));
    maps.push_back(rewriter.getMultiDimIdentityMap(4));
    Value r = adaptor.getRois();
    Value result = buildGeneric(
        rewriter, loc, ValueRange{r, r, r, r, adaptor.getBatchIndices()},
        emptyTensor(rewriter, loc, outType.getShape(), element), maps,
        SmallVector<IT>(4, IT::parallel),
        [&](OpBuilder &b, Location l, ValueRange a) -> SmallVector<Value> {
          auto f = [&](double v) { return scalarConstant(b, l, ct, v); };
          auto add = [&](Value x, Value y) -> Value { return arith::AddFOp::create(b, l, x, y); };
          auto sub = [&](Value x, Value y) -> Value { return arith::SubFOp::create(b, l, x, y); };
          auto mul = [&](Value x, Value y) -> Value { return arith::MulFOp::create(b, l, x, y); };
          auto div = [&](Value x, Value y) -> Value { return arith::DivFOp::create(b, l, x, y); };
          auto toFloat = [&](Value i) -> Value { // index -> ct
            return arith::SIToFPOp::create(b, l, ct, indexToI64(b, l, i));
          };
          Value c = linalg::IndexOp::create(b, l, 1);
          Value ph = toFloat(linalg::IndexOp::create(b, l, 2));
          Value pw = toFloat(linalg::IndexOp::create(b, l, 3));
          // Batch indices outside [0, N) are clamped into it.
          Value n = clampIndex(b, l, toIndex(b, l, a[4], b.getI64Type()), batch);
          double offset = halfPixel ? 0.5 : 0.0;
          auto coord = [&](Value v) {
            return sub(mul(convertScalar(b, l, v, roiElement, ct), f(scale)), f(offset));
          };
          Value startW = coord(a[0]), startH = coord(a[1]);
          Value roiW = sub(coord(a[2]), startW), roiH = sub(coord(a[3]), startH);
          if (!halfPixel) {
            roiW = arith::MaximumFOp::create(b, l, roiW, f(1));
            roiH = arith::MaximumFOp::create(b, l, roiH, f(1));
          }
          Value binH = div(roiH, f(double(pooledH))), binW = div(roiW, f(double(pooledW)));
          // Samples per bin: the sampling ratio, or ceil(bin extent); NaN
          // and negative extents give none, huge ones are capped.
          auto gridCount = [&](Value bin) -> Value {
            if (samplingRatio > 0)
              return idx(b, l, samplingRatio);
            Value v = math::CeilOp::create(b, l, bin);
            Value positive = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, f(0));
            v = arith::SelectOp::create(b, l, positive, v, f(0));
            v = arith::MinimumFOp::create(b, l, v, f(1 << 20));
            return arith::IndexCastOp::create(b, l, b.getIndexType(),
                                              arith::FPToSIOp::create(b, l, b.getI64Type(), v));
          };
          Value gridH = gridCount(binH), gridW = gridCount(binW);
          Value count = arith::MaxSIOp::create(b, l, arith::MulIOp::create(b, l, gridH, gridW),
                                               idx(b, l, 1));
          Value gridHF = toFloat(gridH), gridWF = toFloat(gridW);
          auto read = [&](Value yi, Value xi) -> Value {
            return convertScalar(b, l, tensor::ExtractOp::create(b, l, input, ValueRange{n, c, yi, xi}),
                                 element, ct);
          };
          // One bilinear sample: its value (avg) or largest weighted corner (max).
          auto sample = [&](OpBuilder &, Value y, Value x) -> Value {
            Value inside = andI1(
                b, l,
                andI1(b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, y, f(-1)),
                      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, y, f(double(height)))),
                andI1(b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x, f(-1)),
                      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, x, f(double(width)))));
            y = arith::SelectOp::create(b, l, inside, arith::MaximumFOp::create(b, l, y, f(0)), f(0));
            x = arith::SelectOp::create(b, l, inside, arith::MaximumFOp::create(b, l, x, f(0)), f(0));
            // y in [0, height]: the low corner truncates, the high one is
            // one further unless at the last row.
            auto corners = [&](Value v, int64_t size) {
              Value low = arith::IndexCastOp::create(
                  b, l, b.getIndexType(), arith::FPToSIOp::create(b, l, b.getI64Type(), v));
              Value last = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, low,
                                                 idx(b, l, size - 1));
              low = clampIndex(b, l, low, size);
              Value high = arith::SelectOp::create(
                  b, l, last, low, arith::AddIOp::create(b, l, low, idx(b, l, 1)));
              v = arith::SelectOp::create(b, l, last, toFloat(low), v);
              return std::make_tuple(low, clampIndex(b, l, high, size), sub(v, toFloat(low)));
            };
            auto [yLow, yHigh, ly] = corners(y, height);
            auto [xLow, xHigh, lx] = corners(x, width);
            Value hy = sub(f(1), ly), hx = sub(f(1), lx);
            Value t1 = mul(mul(hy, hx), read(yLow, xLow));
            Value t2 = mul(mul(hy, lx), read(yLow, xHigh));
            Value t3 = mul(mul(ly, hx), read(yHigh, xLow));
            Value t4 = mul(mul(ly, lx), read(yHigh, xHigh));
            Value v = isMax ? Value(arith::MaximumFOp::create(
                                  b, l,
                                  arith::MaximumFOp::create(
                                      b, l, arith::MaximumFOp::create(b, l, t1, t2), t3),
                                  t4))
                            : add(add(add(t1, t2), t3), t4);
            return arith::SelectOp::create(b, l, inside, v, f(0));
          };
          Value zero = f(0);
          Value none = arith::ConstantIntOp::create(b, l, b.getI1Type(), 0);
          SmallVector<Value> acc = forLoop(
              b, l, idx(b, l, 0), gridH, ValueRange{zero, none},
              [&](OpBuilder &, Location, Value iy, ValueRange outer) -> SmallVector<Value> {
                Value yy = add(add(startH, mul(ph, binH)),
                               div(mul(add(toFloat(iy), f(0.5)), binH), gridHF));
                return forLoop(
                    b, l, idx(b, l, 0), gridW, outer,
                    [&](OpBuilder &, Location, Value ix, ValueRange inner) -> SmallVector<Value> {
                      Value xx = add(add(startW, mul(pw, binW)),
                                     div(mul(add(toFloat(ix), f(0.5)), binW), gridWF));
                      Value v = sample(b, yy, xx);
                      Value yes = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
                      if (!isMax)
                        return {add(inner[0], v), yes};
                      Value m = arith::SelectOp::create(
                          b, l, inner[1], arith::MaximumFOp::create(b, l, inner[0], v), v);
                      return {m, yes};
                    });
              });
          Value out = isMax ? acc[0] : div(acc[0], toFloat(count));
          return {convertScalar(b, l, out, ct, element)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::kiln::populateIndexingToLinalgPatterns(const TypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<LowerGatherND, LowerScatterElements, LowerScatterND, LowerTopK,
               LowerReverseSequence, LowerMaxPoolWithIndices, LowerMaxUnpool, LowerDet,
               LowerEinsum, LowerGridSample, LowerRoiAlign>(converter, patterns.getContext());
}
