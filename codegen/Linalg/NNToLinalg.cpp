//===- NNToLinalg.cpp - convolution, matrix, pooling and norms to linalg --===//
//
// Straightforward, correct lowerings on linalg.generic; the CPU performance
// work replaces the hot ones (conv, matmul) with tiled and packed kernels.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

using IT = utils::IteratorType;

AffineExpr dim(OpBuilder &b, unsigned i) { return b.getAffineDimExpr(i); }

/// Scalar multiply-accumulate in the accumulator's type.
Value multiplyAdd(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (llvm::isa<FloatType>(acc.getType())) {
    Value p = arith::MulFOp::create(b, loc, x, y);
    return arith::AddFOp::create(b, loc, acc, p);
  }
  Value p = arith::MulIOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, acc, p);
}

/// Accumulation type: f16 and bf16 accumulate in f32.
Type accumulatorType(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return signlessElement(element);
}

/// out[n, m, o...] = bias[m] + sum x[n, g*Cg + c, o*s + k*d] * w[m, c, k]
/// over an already padded input. Shapes are static.
Value convolve(OpBuilder &b, Location loc, Value input, Value filter, Value bias,
               ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
               int64_t group, RankedTensorType resultType) {
  auto inType = rankedType(input), wType = rankedType(filter);
  int64_t spatial = inType.getRank() - 2;
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t m = wType.getDimSize(0);
  int64_t cg = c / group, mg = m / group;
  Type element = resultType.getElementType();
  Type acc = accumulatorType(element);
  SmallVector<int64_t> outShape(resultType.getShape());

  // Initial value: the bias broadcast over channels, or zero.
  Value init;
  if (bias) {
    SmallVector<int64_t> biasShape(spatial + 1, 1);
    biasShape[0] = m;
    Value b2 = reshapeTensor(b, loc, bias, biasShape);
    init = buildBroadcastGeneric(
        b, loc, RankedTensorType::get(outShape, acc), b2,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          return convertScalar(nb, nl, args[0], element, acc);
        });
  } else {
    init = filledTensor(b, loc, outShape, scalarConstant(b, loc, acc, 0));
  }

  // Group dimension made explicit: x [N, G, Cg, D..], w [G, Mg, Cg, K..],
  // out [N, G, Mg, O..].
  SmallVector<int64_t> xShape{n, group, cg}, wShape{group, mg, cg},
      oShape{n, group, mg};
  for (int64_t i = 0; i < spatial; ++i) {
    xShape.push_back(inType.getDimSize(i + 2));
    wShape.push_back(wType.getDimSize(i + 2));
    oShape.push_back(outShape[i + 2]);
  }
  Value x = reshapeTensor(b, loc, input, xShape);
  Value w = reshapeTensor(b, loc, filter, wShape);
  Value out = reshapeTensor(b, loc, init, oShape);

  // Iteration space: n, g, m, o_1..o_s, c, k_1..k_s.
  unsigned dims = 4 + 2 * spatial;
  unsigned dO = 3, dC = 3 + spatial, dK = 4 + spatial;
  SmallVector<AffineExpr> xExprs{dim(b, 0), dim(b, 1), dim(b, dC)};
  SmallVector<AffineExpr> wExprs{dim(b, 1), dim(b, 2), dim(b, dC)};
  SmallVector<AffineExpr> oExprs{dim(b, 0), dim(b, 1), dim(b, 2)};
  for (int64_t i = 0; i < spatial; ++i) {
    xExprs.push_back(dim(b, dO + i) * strides[i] + dim(b, dK + i) * dilations[i]);
    wExprs.push_back(dim(b, dK + i));
    oExprs.push_back(dim(b, dO + i));
  }
  SmallVector<AffineMap> maps{AffineMap::get(dims, 0, xExprs, b.getContext()),
                              AffineMap::get(dims, 0, wExprs, b.getContext()),
                              AffineMap::get(dims, 0, oExprs, b.getContext())};
  SmallVector<IT> iterators(3 + spatial, IT::parallel);
  iterators.append(1 + spatial, IT::reduction);
  Value result = buildGeneric(
      b, loc, ValueRange{x, w}, out, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value xv = convertScalar(nb, nl, args[0], element, acc);
        Value wv = convertScalar(nb, nl, args[1], element, acc);
        return SmallVector<Value>{multiplyAdd(nb, nl, args[2], xv, wv)};
      })[0];
  result = reshapeTensor(b, loc, result, outShape);
  if (acc != signlessElement(element))
    result = buildBroadcastGeneric(
        b, loc, RankedTensorType::get(outShape, element), result,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          return convertScalar(nb, nl, args[0], acc, element);
        });
  return result;
}

/// Low and high padding of the spatial dimensions of a [N, C, ...] tensor.
void spatialPads(ArrayRef<int64_t> pads, SmallVectorImpl<int64_t> &low,
                 SmallVectorImpl<int64_t> &high) {
  int64_t spatial = pads.size() / 2;
  low.assign({0, 0});
  high.assign({0, 0});
  for (int64_t i = 0; i < spatial; ++i) {
    low.push_back(pads[i]);
    high.push_back(pads[i + spatial]);
  }
}

struct LowerConv : public OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    if (!llvm::isa<FloatType>(op.getType().getElementType()))
      return op.emitOpError("lowers only float convolutions");
    Location loc = op.getLoc();
    SmallVector<int64_t> low, high;
    spatialPads(op.getPads(), low, high);
    Type element = op.getType().getElementType();
    Value padded = padTensor(rewriter, loc, adaptor.getInput(), low, high,
                             scalarConstant(rewriter, loc, element, 0));
    Value result = convolve(rewriter, loc, padded, adaptor.getFilter(),
                            adaptor.getBias(), op.getStrides(), op.getDilations(),
                            op.getGroup(), op.getType());
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// conv_transpose as a convolution: zeros are inserted between input
/// elements (stride), the input is padded by d*(K-1) minus the op's pads,
/// and the filter is transposed per group and flipped.
struct LowerConvTranspose : public OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    if (!llvm::isa<FloatType>(op.getType().getElementType()))
      return op.emitOpError("lowers only float convolutions");
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto wType = op.getFilter().getType();
    Type element = inType.getElementType();
    int64_t spatial = inType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t c = wType.getDimSize(0), mg = wType.getDimSize(1);
    int64_t cg = c / group, m = mg * group;
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      pads = op.getPads(), outputPadding = op.getOutputPadding();
    Value zero = scalarConstant(rewriter, loc, element, 0);

    // Zero insertion.
    SmallVector<int64_t> dilatedShape{inType.getDimSize(0), inType.getDimSize(1)};
    for (int64_t i = 0; i < spatial; ++i)
      dilatedShape.push_back((inType.getDimSize(i + 2) - 1) * strides[i] + 1);
    Value x = adaptor.getInput();
    if (llvm::any_of(strides, [](int64_t s) { return s != 1; })) {
      Value zeros = filledTensor(rewriter, loc, dilatedShape, zero);
      SmallVector<int64_t> offsets(inType.getRank(), 0), steps{1, 1};
      steps.append(strides.begin(), strides.end());
      x = tensor::InsertSliceOp::create(rewriter, loc, x, zeros, ValueRange{},
                                        ValueRange{}, ValueRange{}, offsets,
                                        inType.getShape(), steps);
    }
    // Padding (negative amounts crop).
    SmallVector<int64_t> low{0, 0}, high{0, 0}, cropLow(inType.getRank(), 0),
        cropHigh(inType.getRank(), 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t span = dilations[i] * (wType.getDimSize(i + 2) - 1);
      int64_t lo = span - pads[i], hi = span - pads[i + spatial] + outputPadding[i];
      low.push_back(std::max<int64_t>(lo, 0));
      high.push_back(std::max<int64_t>(hi, 0));
      cropLow[i + 2] = std::max<int64_t>(-lo, 0);
      cropHigh[i + 2] = std::max<int64_t>(-hi, 0);
    }
    x = padTensor(rewriter, loc, x, low, high, zero);
    if (llvm::any_of(cropLow, [](int64_t v) { return v; }) ||
        llvm::any_of(cropHigh, [](int64_t v) { return v; })) {
      auto type = rankedType(x);
      SmallVector<int64_t> sizes;
      for (int64_t i = 0; i < type.getRank(); ++i)
        sizes.push_back(type.getDimSize(i) - cropLow[i] - cropHigh[i]);
      x = extractSlice(rewriter, loc, x, cropLow, sizes,
                       SmallVector<int64_t>(sizes.size(), 1));
    }
    // Filter W'[g*Mg + m, c, k] = W[g*Cg + c, m, K-1-k].
    SmallVector<int64_t> flippedShape{m, cg};
    for (int64_t i = 0; i < spatial; ++i)
      flippedShape.push_back(wType.getDimSize(i + 2));
    unsigned dims = 2 + spatial;
    SmallVector<AffineExpr> exprs{
        dim(rewriter, 0).floorDiv(mg) * cg + dim(rewriter, 1),
        dim(rewriter, 0) % mg};
    for (int64_t i = 0; i < spatial; ++i)
      exprs.push_back(rewriter.getAffineConstantExpr(wType.getDimSize(i + 2) - 1) -
                      dim(rewriter, 2 + i));
    SmallVector<AffineMap> maps{
        AffineMap::get(dims, 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(dims)};
    Value flipped = buildGeneric(
        rewriter, loc, adaptor.getFilter(),
        emptyTensor(rewriter, loc, flippedShape, element), maps,
        SmallVector<IT>(dims, IT::parallel),
        [](OpBuilder &, Location, ValueRange args) {
          return SmallVector<Value>{args[0]};
        })[0];
    SmallVector<int64_t> ones(spatial, 1);
    Value result = convolve(rewriter, loc, x, flipped, adaptor.getBias(), ones,
                            dilations, group, op.getType());
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// numpy matmul over static shapes (1-D operands promoted and demoted).
Value matmul(OpBuilder &b, Location loc, Value lhs, Value rhs, Type element,
             RankedTensorType resultType) {
  auto lt = rankedType(lhs), rt = rankedType(rhs);
  SmallVector<int64_t> a(lt.getShape()), bb(rt.getShape());
  if (a.size() == 1)
    a.insert(a.begin(), 1);
  if (bb.size() == 1)
    bb.push_back(1);
  lhs = reshapeTensor(b, loc, lhs, a);
  rhs = reshapeTensor(b, loc, rhs, bb);
  FailureOr<Shape> batch = broadcastShapes(ArrayRef<int64_t>(a).drop_back(2),
                                           ArrayRef<int64_t>(bb).drop_back(2));
  int64_t batchRank = batch->size();
  SmallVector<int64_t> outShape(*batch);
  outShape.push_back(a[a.size() - 2]);
  outShape.push_back(bb.back());
  // Iteration space: batch..., m, n, k.
  unsigned dims = batchRank + 3;
  auto operandMap = [&](ArrayRef<int64_t> shape, bool isLhs) {
    SmallVector<AffineExpr> exprs;
    int64_t rank = shape.size(), offset = batchRank - (rank - 2);
    for (int64_t i = 0; i < rank - 2; ++i)
      exprs.push_back(shape[i] == 1 && (*batch)[i + offset] != 1
                          ? b.getAffineConstantExpr(0)
                          : dim(b, i + offset));
    if (isLhs) {
      exprs.push_back(dim(b, batchRank));
      exprs.push_back(dim(b, batchRank + 2));
    } else {
      exprs.push_back(dim(b, batchRank + 2));
      exprs.push_back(dim(b, batchRank + 1));
    }
    return AffineMap::get(dims, 0, exprs, b.getContext());
  };
  SmallVector<AffineExpr> outExprs;
  for (unsigned i = 0; i < dims - 1; ++i)
    outExprs.push_back(dim(b, i));
  Type acc = accumulatorType(element);
  Value init = filledTensor(b, loc, outShape, scalarConstant(b, loc, acc, 0));
  SmallVector<AffineMap> maps{operandMap(a, true), operandMap(bb, false),
                              AffineMap::get(dims, 0, outExprs, b.getContext())};
  SmallVector<IT> iterators(batchRank + 2, IT::parallel);
  iterators.push_back(IT::reduction);
  Value result = buildGeneric(
      b, loc, ValueRange{lhs, rhs}, init, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = convertScalar(nb, nl, args[0], element, acc);
        Value y = convertScalar(nb, nl, args[1], element, acc);
        return SmallVector<Value>{multiplyAdd(nb, nl, args[2], x, y)};
      })[0];
  if (acc != signlessElement(element))
    result = buildBroadcastGeneric(
        b, loc, RankedTensorType::get(outShape, element), result,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          return convertScalar(nb, nl, args[0], acc, element);
        });
  return reshapeTensor(b, loc, result, resultType.getShape());
}

struct LowerMatMul : public OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Type element = op.getType().getElementType();
    if (isUnsigned(element))
      return op.emitOpError("on unsigned integers has no lowering");
    rewriter.replaceOp(op, matmul(rewriter, op.getLoc(), adaptor.getLhs(),
                                  adaptor.getRhs(), element, op.getType()));
    return success();
  }
};

struct LowerGemm : public OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    if (!llvm::isa<FloatType>(element))
      return op.emitOpError("lowers only float gemm");
    auto transpose = [&](Value v) {
      auto t = rankedType(v);
      Value init = emptyTensor(rewriter, loc, {t.getDimSize(1), t.getDimSize(0)},
                               t.getElementType());
      return linalg::TransposeOp::create(rewriter, loc, v, init,
                                         ArrayRef<int64_t>{1, 0})
          .getResult()[0];
    };
    Value a = op.getTransA() ? transpose(adaptor.getA()) : adaptor.getA();
    Value bm = op.getTransB() ? transpose(adaptor.getB()) : adaptor.getB();
    Value product = matmul(rewriter, loc, a, bm, element, op.getType());
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (alpha == 1.0 && (!c || beta == 0.0)) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> inputs{product};
    if (c && beta != 0.0)
      inputs.push_back(c);
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(), inputs,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = arith::MulFOp::create(
              b, l, args[0], scalarConstant(b, l, element, alpha));
          if (args.size() > 1)
            v = arith::AddFOp::create(
                b, l, v,
                arith::MulFOp::create(b, l, args[1],
                                      scalarConstant(b, l, element, beta)));
          return v;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Window reduction over an input padded for the pool: returns the pooled
/// tensor. `combine(acc, x)` folds one element into the accumulator.
Value poolWindows(OpBuilder &b, Location loc, Value padded,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> dilations, ArrayRef<int64_t> outShape,
                  Value init,
                  function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  int64_t spatial = kernel.size();
  unsigned dims = 2 + 2 * spatial;
  SmallVector<AffineExpr> inExprs{dim(b, 0), dim(b, 1)}, winExprs, outExprs{dim(b, 0), dim(b, 1)};
  for (int64_t i = 0; i < spatial; ++i) {
    inExprs.push_back(dim(b, 2 + i) * strides[i] + dim(b, 2 + spatial + i) * dilations[i]);
    winExprs.push_back(dim(b, 2 + spatial + i));
    outExprs.push_back(dim(b, 2 + i));
  }
  Value window = tensor::EmptyOp::create(b, loc, kernel, b.getI1Type());
  Value acc = filledTensor(b, loc, outShape, init);
  SmallVector<AffineMap> maps{AffineMap::get(dims, 0, inExprs, b.getContext()),
                              AffineMap::get(dims, 0, winExprs, b.getContext()),
                              AffineMap::get(dims, 0, outExprs, b.getContext())};
  SmallVector<IT> iterators(2 + spatial, IT::parallel);
  iterators.append(spatial, IT::reduction);
  return buildGeneric(b, loc, ValueRange{padded, window}, acc, maps, iterators,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return SmallVector<Value>{combine(nb, nl, args[2], args[0])};
                      })[0];
}

/// End padding a ceil-mode pool needs beyond the op's pads.
SmallVector<int64_t> ceilExtra(RankedTensorType input, ArrayRef<int64_t> outShape,
                               ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads) {
  int64_t spatial = kernel.size();
  SmallVector<int64_t> extra(input.getRank(), 0);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t needed = (outShape[i + 2] - 1) * strides[i] +
                     (kernel[i] - 1) * dilations[i] + 1;
    int64_t have = input.getDimSize(i + 2) + pads[i] + pads[i + spatial];
    extra[i + 2] = std::max<int64_t>(needed - have, 0);
  }
  return extra;
}

template <typename PoolOp>
Value padForPool(OpBuilder &b, Location loc, PoolOp op, Value input, Value value) {
  SmallVector<int64_t> low, high;
  spatialPads(op.getPads(), low, high);
  SmallVector<int64_t> extra =
      ceilExtra(op.getInput().getType(), op.getType().getShape(),
                op.getKernelShape(), op.getStrides(), op.getDilations(), op.getPads());
  for (size_t i = 0; i < high.size(); ++i)
    high[i] += extra[i];
  return padTensor(b, loc, input, low, high, value);
}

struct LowerMaxPool : public OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    Value lowest = lowestValue(rewriter, loc, element, /*highest=*/false);
    Value padded = padForPool(rewriter, loc, op, adaptor.getInput(), lowest);
    bool isFloat = llvm::isa<FloatType>(element);
    Value result = poolWindows(
        rewriter, loc, padded, op.getKernelShape(), op.getStrides(),
        op.getDilations(), op.getType().getShape(), lowest,
        [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          if (isFloat)
            return arith::MaximumFOp::create(b, l, acc, x);
          return isUnsigned(element) ? Value(arith::MaxUIOp::create(b, l, acc, x))
                                     : Value(arith::MaxSIOp::create(b, l, acc, x));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The number of window positions inside [lo, hi) for output index `o` of
/// one dimension, from linalg.index values.
Value windowCount(OpBuilder &b, Location loc, Value o, int64_t kernel,
                  int64_t stride, int64_t dilation, int64_t padBegin, int64_t lo,
                  int64_t hi) {
  // Positions p = o*stride - padBegin + t*dilation, t in [0, kernel).
  Value count = arith::ConstantIndexOp::create(b, loc, 0);
  Value start = arith::SubIOp::create(
      b, loc, arith::MulIOp::create(b, loc, o, arith::ConstantIndexOp::create(b, loc, stride)),
      arith::ConstantIndexOp::create(b, loc, padBegin));
  for (int64_t t = 0; t < kernel; ++t) {
    Value p = arith::AddIOp::create(b, loc, start,
                                    arith::ConstantIndexOp::create(b, loc, t * dilation));
    Value inside = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, p,
                              arith::ConstantIndexOp::create(b, loc, lo)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, p,
                              arith::ConstantIndexOp::create(b, loc, hi)));
    count = arith::AddIOp::create(
        b, loc, count,
        arith::IndexCastOp::create(
            b, loc, b.getIndexType(),
            arith::ExtUIOp::create(b, loc, b.getI64Type(), inside)));
  }
  return count;
}

struct LowerAvgPool : public OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    if (!llvm::isa<FloatType>(element))
      return op.emitOpError("lowers only float pooling");
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value padded = padForPool(rewriter, loc, op, adaptor.getInput(), zero);
    Value sum = poolWindows(
        rewriter, loc, padded, op.getKernelShape(), op.getStrides(),
        op.getDilations(), op.getType().getShape(), zero,
        [](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          return arith::AddFOp::create(b, l, acc, x);
        });
    // Divide by the number of window positions that count: inside the input,
    // or inside input and pads with count_include_pad (never the ceil-mode
    // extension beyond the pads).
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      dilations = op.getDilations(), pads = op.getPads();
    auto inType = op.getInput().getType();
    int64_t spatial = kernel.size();
    bool includePad = op.getCountIncludePad();
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(), sum,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value count = arith::ConstantIndexOp::create(b, l, 1);
          for (int64_t i = 0; i < spatial; ++i) {
            Value o = linalg::IndexOp::create(b, l, 2 + i);
            int64_t size = inType.getDimSize(i + 2);
            int64_t lo = includePad ? -pads[i] : 0;
            int64_t hi = includePad ? size + pads[i + spatial] : size;
            count = arith::MulIOp::create(
                b, l, count,
                windowCount(b, l, o, kernel[i], strides[i], dilations[i],
                            pads[i], lo, hi));
          }
          Value countF = arith::SIToFPOp::create(
              b, l, args[0].getType(),
              arith::IndexCastOp::create(b, l, b.getI64Type(), count));
          return arith::DivFOp::create(b, l, args[0], countF);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerLpPool : public OpConversionPattern<LpPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LpPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value padded = padForPool(rewriter, loc, op, adaptor.getInput(), zero);
    double p = static_cast<double>(op.getP());
    Value sum = poolWindows(
        rewriter, loc, padded, op.getKernelShape(), op.getStrides(),
        op.getDilations(), op.getType().getShape(), zero,
        [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          Value a = math::AbsFOp::create(b, l, x);
          Value powered = math::PowFOp::create(b, l, a, scalarConstant(b, l, element, p));
          return arith::AddFOp::create(b, l, acc, powered);
        });
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(), sum,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return math::PowFOp::create(b, l, args[0],
                                      scalarConstant(b, l, element, 1.0 / p));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

/// [C] parameter reshaped to broadcast along dim 1 of a rank-`rank` tensor.
Value channelParam(OpBuilder &b, Location loc, Value param, int64_t rank) {
  SmallVector<int64_t> shape(rank - 1, 1);
  shape[0] = rankedType(param).getDimSize(0);
  return reshapeTensor(b, loc, param, shape);
}

struct LowerBatchNorm : public OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    int64_t rank = op.getType().getRank();
    double eps = op.getEpsilon().convertToDouble();
    // Per channel: s = scale / sqrt(var + eps), t = bias - mean * s.
    auto paramType = rankedType(adaptor.getScale());
    Value s = buildBroadcastGeneric(
        rewriter, loc, paramType, ValueRange{adaptor.getScale(), adaptor.getVar()},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value v = arith::AddFOp::create(b, l, args[1], scalarConstant(b, l, element, eps));
          return arith::DivFOp::create(b, l, args[0], math::SqrtOp::create(b, l, v));
        });
    Value t = buildBroadcastGeneric(
        rewriter, loc, paramType, ValueRange{adaptor.getBias(), adaptor.getMean(), s},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::SubFOp::create(b, l, args[0],
                                       arith::MulFOp::create(b, l, args[1], args[2]));
        });
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(),
        ValueRange{adaptor.getInput(), channelParam(rewriter, loc, s, rank),
                   channelParam(rewriter, loc, t, rank)},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, args[0], args[1]),
                                       args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Mean and variance of `x` over `axes`, shaped with those axes kept as 1.
std::pair<Value, Value> meanAndVariance(OpBuilder &b, Location loc, Value x,
                                        ArrayRef<int64_t> axes, Type element) {
  auto type = rankedType(x);
  int64_t count = 1;
  SmallVector<int64_t> keptShape(type.getShape());
  for (int64_t a : axes) {
    count *= type.getDimSize(a);
    keptShape[a] = 1;
  }
  Value zero = scalarConstant(b, loc, element, 0);
  auto add = [](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
    return arith::AddFOp::create(nb, l, acc, v);
  };
  Value n = scalarConstant(b, loc, element, static_cast<double>(count));
  auto keptType = RankedTensorType::get(keptShape, signlessElement(element));
  Value sum = reshapeTensor(b, loc, reduceTensor(b, loc, x, axes, zero, add), keptShape);
  Value mean = buildBroadcastGeneric(b, loc, keptType, sum,
                                     [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                                       return arith::DivFOp::create(nb, l, args[0], n);
                                     });
  Value centered = buildBroadcastGeneric(
      b, loc, type, ValueRange{x, mean},
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value d = arith::SubFOp::create(nb, l, args[0], args[1]);
        return arith::MulFOp::create(nb, l, d, d);
      });
  Value sq = reshapeTensor(b, loc, reduceTensor(b, loc, centered, axes, zero, add), keptShape);
  Value var = buildBroadcastGeneric(b, loc, keptType, sq,
                                    [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                                      return arith::DivFOp::create(nb, l, args[0], n);
                                    });
  return {mean, var};
}

/// 1 / sqrt(var + eps).
Value inverseStdDev(OpBuilder &b, Location loc, Value var, double eps, Type element) {
  return buildBroadcastGeneric(
      b, loc, rankedType(var), var,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value v = arith::AddFOp::create(nb, l, args[0], scalarConstant(nb, l, element, eps));
        return math::RsqrtOp::create(nb, l, v);
      });
}

struct LowerInstanceNorm : public OpConversionPattern<InstanceNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(InstanceNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    int64_t rank = op.getType().getRank();
    SmallVector<int64_t> axes;
    for (int64_t i = 2; i < rank; ++i)
      axes.push_back(i);
    auto [mean, var] = meanAndVariance(rewriter, loc, adaptor.getInput(), axes, element);
    Value inv = inverseStdDev(rewriter, loc, var, op.getEpsilon().convertToDouble(), element);
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(),
        ValueRange{adaptor.getInput(), mean, inv,
                   channelParam(rewriter, loc, adaptor.getScale(), rank),
                   channelParam(rewriter, loc, adaptor.getBias(), rank)},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]), a[2]);
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, v, a[3]), a[4]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerLayerNorm : public OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getOutput().getType().getElementType();
    Type stat = op.getMean().getType().getElementType();
    int64_t rank = op.getOutput().getType().getRank();
    SmallVector<int64_t> axes;
    for (int64_t i = op.getAxis(); i < rank; ++i)
      axes.push_back(i);
    // Statistics in f32 (stash type) whatever the input type.
    Value x = adaptor.getInput();
    if (element != stat)
      x = buildBroadcastGeneric(rewriter, loc, op.getOutput().getType().clone(stat), x,
                                [&](OpBuilder &b, Location l, ValueRange a) {
                                  return convertScalar(b, l, a[0], element, stat);
                                });
    auto [mean, var] = meanAndVariance(rewriter, loc, x, axes, stat);
    Value inv = inverseStdDev(rewriter, loc, var, op.getEpsilon().convertToDouble(), stat);
    SmallVector<Value> inputs{x, mean, inv, adaptor.getScale()};
    if (adaptor.getBias())
      inputs.push_back(adaptor.getBias());
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getOutput().getType(), inputs,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]), a[2]);
          v = convertScalar(b, l, v, stat, element);
          v = arith::MulFOp::create(b, l, v, a[3]);
          if (a.size() > 4)
            v = arith::AddFOp::create(b, l, v, a[4]);
          return v;
        });
    rewriter.replaceOp(op, {result, mean, inv});
    return success();
  }
};

struct LowerLrn : public OpConversionPattern<LrnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LrnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    Type element = op.getType().getElementType();
    auto type = op.getType();
    int64_t rank = type.getRank(), size = op.getSize();
    // Sum of squares over channels [c - (size-1)/2, c + size/2].
    Value squares = buildBroadcastGeneric(
        rewriter, loc, type, adaptor.getInput(),
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::MulFOp::create(b, l, a[0], a[0]);
        });
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    low[1] = (size - 1) / 2;
    high[1] = size / 2;
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value padded = padTensor(rewriter, loc, squares, low, high, zero);
    unsigned dims = rank + 1;
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t i = 0; i < rank; ++i) {
      inExprs.push_back(i == 1 ? dim(rewriter, 1) + dim(rewriter, rank) : dim(rewriter, i));
      outExprs.push_back(dim(rewriter, i));
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{size},
                                           rewriter.getI1Type());
    SmallVector<AffineMap> maps{
        AffineMap::get(dims, 0, inExprs, rewriter.getContext()),
        AffineMap::get(dims, 0, {dim(rewriter, rank)}, rewriter.getContext()),
        AffineMap::get(dims, 0, outExprs, rewriter.getContext())};
    SmallVector<IT> iterators(rank, IT::parallel);
    iterators.push_back(IT::reduction);
    Value sum = buildGeneric(
        rewriter, loc, ValueRange{padded, window},
        filledTensor(rewriter, loc, type.getShape(), zero), maps, iterators,
        [](OpBuilder &b, Location l, ValueRange a) {
          return SmallVector<Value>{arith::AddFOp::create(b, l, a[2], a[0])};
        })[0];
    double alpha = op.getAlpha().convertToDouble() / size;
    double beta = op.getBeta().convertToDouble(), bias = op.getBias().convertToDouble();
    Value result = buildBroadcastGeneric(
        rewriter, loc, type, ValueRange{adaptor.getInput(), sum},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::AddFOp::create(
              b, l, scalarConstant(b, l, element, bias),
              arith::MulFOp::create(b, l, scalarConstant(b, l, element, alpha), a[1]));
          d = math::PowFOp::create(b, l, d, scalarConstant(b, l, element, beta));
          return arith::DivFOp::create(b, l, a[0], d);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// softmax, log_softmax and hardmax along one axis.
template <typename OpTy>
struct LowerSoftmaxLike : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> keptShape(type.getShape());
    keptShape[axis] = 1;
    auto keptType = RankedTensorType::get(keptShape, signlessElement(element));
    Value x = adaptor.getInput();
    Value max = reshapeTensor(
        rewriter, loc,
        reduceTensor(rewriter, loc, x, {axis},
                     lowestValue(rewriter, loc, element, false),
                     [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                       return arith::MaximumFOp::create(b, l, acc, v);
                     }),
        keptShape);
    Value result;
    if constexpr (std::is_same_v<OpTy, HardmaxOp>) {
      // One at the first maximum along the axis: the index of the first
      // maximum is the smallest index whose value equals the maximum.
      Value big = arith::ConstantIndexOp::create(rewriter, loc, type.getDimSize(axis));
      Value bigI = arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), big);
      Value candidates = buildBroadcastGeneric(
          rewriter, loc, type.clone(rewriter.getI64Type()), ValueRange{x, max},
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value idx = arith::IndexCastOp::create(
                b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
            Value isMax = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[0], a[1]);
            return arith::SelectOp::create(b, l, isMax, idx, bigI);
          });
      Value first = reshapeTensor(
          rewriter, loc,
          reduceTensor(rewriter, loc, candidates, {axis}, bigI,
                       [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                         return arith::MinSIOp::create(b, l, acc, v);
                       }),
          keptShape);
      result = buildBroadcastGeneric(
          rewriter, loc, type, first,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value idx = arith::IndexCastOp::create(
                b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
            Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx, a[0]);
            return arith::SelectOp::create(b, l, hit, scalarConstant(b, l, element, 1),
                                           scalarConstant(b, l, element, 0));
          });
    } else {
      Value shifted = buildBroadcastGeneric(
          rewriter, loc, type, ValueRange{x, max},
          [](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::SubFOp::create(b, l, a[0], a[1]);
          });
      Value exps = buildBroadcastGeneric(
          rewriter, loc, type, shifted,
          [](OpBuilder &b, Location l, ValueRange a) -> Value {
            return math::ExpOp::create(b, l, a[0]);
          });
      Value sum = reshapeTensor(
          rewriter, loc,
          reduceTensor(rewriter, loc, exps, {axis}, scalarConstant(rewriter, loc, element, 0),
                       [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                         return arith::AddFOp::create(b, l, acc, v);
                       }),
          keptShape);
      (void)keptType;
      if constexpr (std::is_same_v<OpTy, SoftmaxOp>)
        result = buildBroadcastGeneric(
            rewriter, loc, type, ValueRange{exps, sum},
            [](OpBuilder &b, Location l, ValueRange a) -> Value {
              return arith::DivFOp::create(b, l, a[0], a[1]);
            });
      else
        result = buildBroadcastGeneric(
            rewriter, loc, type, ValueRange{shifted, sum},
            [](OpBuilder &b, Location l, ValueRange a) -> Value {
              return arith::SubFOp::create(b, l, a[0], math::LogOp::create(b, l, a[1]));
            });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::kiln::populateNNToLinalgPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<LowerConv, LowerConvTranspose, LowerMatMul, LowerGemm,
               LowerMaxPool, LowerAvgPool, LowerLpPool, LowerBatchNorm,
               LowerInstanceNorm, LowerLayerNorm, LowerLrn,
               LowerSoftmaxLike<SoftmaxOp>, LowerSoftmaxLike<LogSoftmaxOp>,
               LowerSoftmaxLike<HardmaxOp>>(converter, patterns.getContext());
}
