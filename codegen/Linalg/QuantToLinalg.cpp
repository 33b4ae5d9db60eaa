//===- QuantToLinalg.cpp - ONNX quantization ops to linalg ----------------===//
//
// Integer arithmetic as ONNX (and onnxruntime, which its tests follow)
// specifies: products of zero-point-adjusted operands accumulate in i32
// (wrapping on overflow); requantization multiplies the i32 accumulator by
// the f32 multiplier (scale_a * scale_b / scale_y), rounds half to even,
// adds the output zero point and saturates to the output type.
//
// Float-to-integer conversions saturate: values beyond the output type's
// range become its lowest or highest value, and NaN becomes 0, so no
// conversion is ever poison.
//
//===----------------------------------------------------------------------===//

#include "codegen/Linalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::kiln;

namespace {

using IT = utils::IteratorType;

Type computeFloat(Type element) {
  if (element.isF64())
    return element;
  return Float32Type::get(element.getContext());
}

/// An f64 scalar with an integral value converted to the integer kiln type
/// `element` with saturation (NaN becomes 0).
Value saturateToInteger(OpBuilder &b, Location l, Value v, Type element) {
  unsigned width = element.getIntOrFloatBitWidth();
  bool uns = isUnsigned(element);
  Type f64 = b.getF64Type();
  Type target = signlessElement(element);
  double lo = uns ? 0.0 : -std::ldexp(1.0, width - 1);
  double hi = uns ? std::ldexp(1.0, width) : std::ldexp(1.0, width - 1);
  Value loF = scalarConstant(b, l, f64, lo), hiF = scalarConstant(b, l, f64, hi);
  // Exactly representable in the target strictly between lo and hi.
  Value inside = arith::AndIOp::create(
      b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, loF),
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v, hiF));
  Value safe = arith::SelectOp::create(b, l, inside, v, scalarConstant(b, l, f64, 0));
  Value converted = uns ? Value(arith::FPToUIOp::create(b, l, target, safe))
                        : Value(arith::FPToSIOp::create(b, l, target, safe));
  Value high = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, hiF);
  Value low = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, v, loF);
  converted = arith::SelectOp::create(b, l, high, lowestValue(b, l, element, true), converted);
  return arith::SelectOp::create(b, l, low, lowestValue(b, l, element, false), converted);
}

/// saturate(round_half_even(v) + zeroPoint) with v in a float type and the
/// zero point (if any) of integer kiln type `zpElement`.
Value requantize(OpBuilder &b, Location l, Value v, Value zeroPoint, Type zpElement,
                 Type element) {
  Type f64 = b.getF64Type();
  Value rounded = math::RoundEvenOp::create(b, l, v);
  Value wide = convertScalar(b, l, rounded, rounded.getType(), f64);
  if (zeroPoint)
    wide = arith::AddFOp::create(b, l, wide, convertScalar(b, l, zeroPoint, zpElement, f64));
  return saturateToInteger(b, l, wide, element);
}

/// Whether `element` is an integer type quantized values may have.
bool isQuantInteger(Type element) {
  return llvm::isa<IntegerType>(element) && !element.isInteger(1);
}

/// Checks a scale or zero point holds one element (per tensor) or `size`
/// elements along a valid `axis` (per axis).
LogicalResult checkQuantParam(Operation *op, Value param, int64_t rank, int64_t axis,
                              int64_t size) {
  int64_t count = rankedType(param).getNumElements();
  if (count != 1 && (axis < 0 || axis >= rank || count != size))
    return op->emitOpError() << "has " << count << " quantization parameters, expects 1 or "
                             << size;
  return success();
}

/// A checked scale or zero point reshaped to broadcast against a rank-`rank`
/// tensor.
Value quantParam(OpBuilder &b, Location loc, Value param, int64_t rank, int64_t axis) {
  int64_t count = rankedType(param).getNumElements();
  SmallVector<int64_t> shape(rank, 1);
  if (count != 1)
    shape[axis] = count;
  return reshapeTensor(b, loc, param, shape);
}

//===----------------------------------------------------------------------===//
// quantize_linear, dequantize_linear, dynamic_quantize_linear
//===----------------------------------------------------------------------===//

struct LowerQuantizeLinear : public OpConversionPattern<QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    Type element = op.getType().getElementType();
    if (!isQuantInteger(element))
      return op.emitOpError() << "quantizes to " << element
                              << ", expects a non-boolean integer type";
    int64_t rank = inType.getRank(), axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    int64_t size = axis >= 0 && axis < rank ? inType.getDimSize(axis) : 1;
    Type inElement = inType.getElementType();
    Type scaleElement = op.getScale().getType().getElementType();
    Type ct = computeFloat(inElement);
    if (failed(checkQuantParam(op, op.getScale(), rank, axis, size)) ||
        (op.getZeroPoint() && failed(checkQuantParam(op, op.getZeroPoint(), rank, axis, size))))
      return failure();
    SmallVector<Value> inputs{adaptor.getInput(),
                              quantParam(rewriter, loc, adaptor.getScale(), rank, axis)};
    Type zpElement = element;
    if (Value zp = adaptor.getZeroPoint()) {
      inputs.push_back(quantParam(rewriter, loc, zp, rank, axis));
      zpElement = op.getZeroPoint().getType().getElementType();
    }
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(), inputs, [&](OpBuilder &b, Location l, ValueRange a) {
          Value x = convertScalar(b, l, a[0], inElement, ct);
          Value s = convertScalar(b, l, a[1], scaleElement, ct);
          return requantize(b, l, arith::DivFOp::create(b, l, x, s),
                            a.size() > 2 ? a[2] : Value(), zpElement, element);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerDequantizeLinear : public OpConversionPattern<DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    Type inElement = inType.getElementType();
    if (!isQuantInteger(inElement))
      return op.emitOpError() << "dequantizes " << inElement
                              << ", expects a non-boolean integer type";
    Type element = op.getType().getElementType();
    Type scaleElement = op.getScale().getType().getElementType();
    Type ct = computeFloat(element);
    int64_t rank = inType.getRank(), axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    int64_t size = axis >= 0 && axis < rank ? inType.getDimSize(axis) : 1;
    if (failed(checkQuantParam(op, op.getScale(), rank, axis, size)) ||
        (op.getZeroPoint() && failed(checkQuantParam(op, op.getZeroPoint(), rank, axis, size))))
      return failure();
    SmallVector<Value> inputs{adaptor.getInput(),
                              quantParam(rewriter, loc, adaptor.getScale(), rank, axis)};
    if (Value zp = adaptor.getZeroPoint())
      inputs.push_back(quantParam(rewriter, loc, zp, rank, axis));
    Type i64 = rewriter.getI64Type();
    Value result = buildBroadcastGeneric(
        rewriter, loc, op.getType(), inputs, [&](OpBuilder &b, Location l, ValueRange a) {
          // (x - zero_point) exactly in i64, then times the scale.
          Value x = convertScalar(b, l, a[0], inElement, i64);
          if (a.size() > 2)
            x = arith::SubIOp::create(b, l, x, convertScalar(b, l, a[2], inElement, i64));
          Value xf = arith::SIToFPOp::create(b, l, ct, x);
          Value y = arith::MulFOp::create(b, l, xf, convertScalar(b, l, a[1], scaleElement, ct));
          return convertScalar(b, l, y, ct, element);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// ONNX DynamicQuantizeLinear (to ui8):
///   scale = (max(0, max(x)) - min(0, min(x))) / 255
///   zero_point = saturate(round_half_even((0 - min(0, min(x))) / scale))
///   y = saturate(round_half_even(x / scale) + zero_point)
/// An all-zero input gives scale 0, zero point 0 and y 0 (0 / 0 is NaN,
/// which saturates to 0).
struct LowerDynamicQuantizeLinear : public OpConversionPattern<DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    Type inElement = inType.getElementType();
    Type element = op.getOutput().getType().getElementType();
    Type zpElement = op.getZeroPoint().getType().getElementType();
    Type scaleElement = op.getScale().getType().getElementType();
    if (!isQuantInteger(element) || !isQuantInteger(zpElement))
      return op.emitOpError("expects integer outputs");
    Type ct = computeFloat(inElement);
    double qmin = isUnsigned(element) ? 0.0 : -std::ldexp(1.0, element.getIntOrFloatBitWidth() - 1);
    double qmax = isUnsigned(element) ? std::ldexp(1.0, element.getIntOrFloatBitWidth()) - 1
                                      : std::ldexp(1.0, element.getIntOrFloatBitWidth() - 1) - 1;
    Value x = adaptor.getInput();
    if (signlessElement(inElement) != ct)
      x = buildBroadcastGeneric(rewriter, loc, inType.clone(ct), x,
                                [&](OpBuilder &b, Location l, ValueRange a) {
                                  return convertScalar(b, l, a[0], inElement, ct);
                                });
    SmallVector<int64_t> axes;
    for (int64_t i = 0; i < inType.getRank(); ++i)
      axes.push_back(i);
    // Reductions starting from 0 include 0 in the range.
    Value zero = scalarConstant(rewriter, loc, ct, 0);
    Value lo = reduceTensor(rewriter, loc, x, axes, zero,
                            [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                              return arith::MinimumFOp::create(b, l, acc, v);
                            });
    Value hi = reduceTensor(rewriter, loc, x, axes, zero,
                            [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                              return arith::MaximumFOp::create(b, l, acc, v);
                            });
    auto scalarType = RankedTensorType::get({}, ct);
    Value scale = buildBroadcastGeneric(
        rewriter, loc, scalarType, ValueRange{hi, lo}, [&](OpBuilder &b, Location l, ValueRange a) {
          Value range = arith::SubFOp::create(b, l, a[0], a[1]);
          return arith::DivFOp::create(b, l, range, scalarConstant(b, l, ct, qmax - qmin));
        });
    Value zeroPoint = buildBroadcastGeneric(
        rewriter, loc, RankedTensorType::get({}, zpElement), ValueRange{lo, scale},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, scalarConstant(b, l, ct, qmin), a[0]), a[1]);
          return requantize(b, l, v, Value(), zpElement, zpElement);
        });
    Value y = buildBroadcastGeneric(
        rewriter, loc, op.getOutput().getType(), ValueRange{x, scale, zeroPoint},
        [&](OpBuilder &b, Location l, ValueRange a) {
          return requantize(b, l, arith::DivFOp::create(b, l, a[0], a[1]), a[2], zpElement,
                            element);
        });
    if (signlessElement(scaleElement) != ct)
      scale = buildBroadcastGeneric(rewriter, loc, op.getScale().getType(), scale,
                                    [&](OpBuilder &b, Location l, ValueRange a) {
                                      return convertScalar(b, l, a[0], ct, scaleElement);
                                    });
    rewriter.replaceOp(op, {y, scale, zeroPoint});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer matrix products and convolutions
//===----------------------------------------------------------------------===//

/// An operand with its kiln element type and optional zero point.
struct IntOperand {
  Value value;     // converted (signless) tensor
  Type element;    // kiln element type
  Value zeroPoint; // converted tensor or null
  Type zpElement;  // kiln element type of the zero point
};

/// numpy matmul shapes with 1-D operands promoted: lhs [..., M, K], rhs
/// [..., K, N], and the product's [batch..., M, N].
struct MatmulShapes {
  SmallVector<int64_t> lhs, rhs, out;
  int64_t batchRank = 0, m = 0, n = 0;
};

FailureOr<MatmulShapes> matmulShapes(Operation *op, RankedTensorType lt, RankedTensorType rt) {
  MatmulShapes s;
  s.lhs.assign(lt.getShape().begin(), lt.getShape().end());
  s.rhs.assign(rt.getShape().begin(), rt.getShape().end());
  if (s.lhs.empty() || s.rhs.empty())
    return op->emitOpError("multiplies scalars");
  if (s.lhs.size() == 1)
    s.lhs.insert(s.lhs.begin(), 1);
  if (s.rhs.size() == 1)
    s.rhs.push_back(1);
  if (s.lhs.back() != s.rhs[s.rhs.size() - 2])
    return op->emitOpError("multiplies matrices of mismatched inner extents");
  FailureOr<Shape> batch = broadcastShapes(ArrayRef<int64_t>(s.lhs).drop_back(2),
                                           ArrayRef<int64_t>(s.rhs).drop_back(2));
  if (failed(batch))
    return op->emitOpError("has batch dimensions that do not broadcast");
  s.batchRank = batch->size();
  s.m = s.lhs[s.lhs.size() - 2];
  s.n = s.rhs.back();
  s.out.assign(batch->begin(), batch->end());
  s.out.push_back(s.m);
  s.out.push_back(s.n);
  return s;
}

/// Checks `param` (a zero point or scale, if given) holds 1 or `extent`
/// elements.
LogicalResult checkCount(Operation *op, Value param, int64_t extent, StringRef what) {
  if (!param)
    return success();
  int64_t count = rankedType(param).getNumElements();
  if (count != 1 && count != extent)
    return op->emitOpError() << "has " << count << " " << what << ", expects 1"
                             << (extent != 1 ? " or " + std::to_string(extent) : std::string());
  return success();
}

/// (lhs - lhs_zp) x (rhs - rhs_zp) in i32 over checked shapes; zero points
/// hold one element, or one per row of lhs / column of rhs (checked).
/// Returns the product in the shape `s.out`.
Value integerMatmul(OpBuilder &b, Location loc, const MatmulShapes &s, IntOperand lhs,
                    IntOperand rhs) {
  Value x = reshapeTensor(b, loc, lhs.value, s.lhs);
  Value y = reshapeTensor(b, loc, rhs.value, s.rhs);
  int64_t batchRank = s.batchRank;
  ArrayRef<int64_t> batch = ArrayRef<int64_t>(s.out).drop_back(2);
  // Iteration space: batch..., m, n, k.
  unsigned dims = batchRank + 3;
  auto dim = [&](unsigned i) { return b.getAffineDimExpr(i); };
  auto operandMap = [&](ArrayRef<int64_t> shape, bool isLhs) {
    SmallVector<AffineExpr> exprs;
    int64_t rank = shape.size(), offset = batchRank - (rank - 2);
    for (int64_t i = 0; i < rank - 2; ++i)
      exprs.push_back(shape[i] == 1 && batch[i + offset] != 1 ? b.getAffineConstantExpr(0)
                                                              : dim(i + offset));
    if (isLhs) {
      exprs.push_back(dim(batchRank));
      exprs.push_back(dim(batchRank + 2));
    } else {
      exprs.push_back(dim(batchRank + 2));
      exprs.push_back(dim(batchRank + 1));
    }
    return AffineMap::get(dims, 0, exprs, b.getContext());
  };
  SmallVector<Value> inputs{x, y};
  SmallVector<AffineMap> maps{operandMap(s.lhs, true), operandMap(s.rhs, false)};
  // Zero points as 1-D tensors read at row m / column n (or element 0).
  auto addZeroPoint = [&](Value zp, unsigned d) {
    if (!zp)
      return;
    int64_t count = rankedType(zp).getNumElements();
    inputs.push_back(reshapeTensor(b, loc, zp, {count}));
    maps.push_back(AffineMap::get(dims, 0, count == 1 ? b.getAffineConstantExpr(0) : dim(d),
                                  b.getContext()));
  };
  addZeroPoint(lhs.zeroPoint, batchRank);
  addZeroPoint(rhs.zeroPoint, batchRank + 1);
  SmallVector<AffineExpr> outExprs;
  for (unsigned i = 0; i < dims - 1; ++i)
    outExprs.push_back(dim(i));
  maps.push_back(AffineMap::get(dims, 0, outExprs, b.getContext()));
  Type i32 = b.getI32Type();
  Value init = filledTensor(b, loc, s.out, scalarConstant(b, loc, i32, 0));
  SmallVector<IT> iterators(batchRank + 2, IT::parallel);
  iterators.push_back(IT::reduction);
  return buildGeneric(
      b, loc, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) -> SmallVector<Value> {
        Value xv = convertScalar(nb, l, args[0], lhs.element, i32);
        Value yv = convertScalar(nb, l, args[1], rhs.element, i32);
        unsigned next = 2;
        if (lhs.zeroPoint)
          xv = arith::SubIOp::create(nb, l, xv,
                                     convertScalar(nb, l, args[next++], lhs.zpElement, i32));
        if (rhs.zeroPoint)
          yv = arith::SubIOp::create(nb, l, yv,
                                     convertScalar(nb, l, args[next++], rhs.zpElement, i32));
        Value p = arith::MulIOp::create(nb, l, xv, yv);
        return {arith::AddIOp::create(nb, l, args.back(), p)};
      })[0];
}

/// `operand - zero_point` in i32 over the whole tensor; the zero point has
/// one element or (checked) one per index of dimension 0.
Value subtractZeroPoint(OpBuilder &b, Location loc, IntOperand operand) {
  auto type = rankedType(operand.value);
  Type i32 = b.getI32Type();
  SmallVector<Value> inputs{operand.value};
  if (operand.zeroPoint) {
    int64_t count = rankedType(operand.zeroPoint).getNumElements();
    SmallVector<int64_t> shape(type.getRank(), 1);
    if (count != 1)
      shape[0] = count;
    inputs.push_back(reshapeTensor(b, loc, operand.zeroPoint, shape));
  }
  return buildBroadcastGeneric(
      b, loc, type.clone(i32), inputs, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = convertScalar(nb, l, a[0], operand.element, i32);
        if (a.size() > 1)
          v = arith::SubIOp::create(nb, l, v, convertScalar(nb, l, a[1], operand.zpElement, i32));
        return v;
      });
}

/// out[n, g*Mg + m, o...] = init + sum x[n, g*Cg + c, o*s + k*d] * w[g*Mg + m, c, k]
/// in i32 over an already padded input.
Value convolveI32(OpBuilder &b, Location loc, Value input, Value filter, Value init,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, int64_t group) {
  auto inType = rankedType(input), wType = rankedType(filter), outType = rankedType(init);
  int64_t spatial = inType.getRank() - 2;
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1), m = wType.getDimSize(0);
  int64_t cg = c / group, mg = m / group;
  SmallVector<int64_t> xShape{n, group, cg}, wShape{group, mg, cg}, oShape{n, group, mg};
  for (int64_t i = 0; i < spatial; ++i) {
    xShape.push_back(inType.getDimSize(i + 2));
    wShape.push_back(wType.getDimSize(i + 2));
    oShape.push_back(outType.getDimSize(i + 2));
  }
  Value x = reshapeTensor(b, loc, input, xShape);
  Value w = reshapeTensor(b, loc, filter, wShape);
  Value out = reshapeTensor(b, loc, init, oShape);
  // Iteration space: n, g, m, o_1..o_s, c, k_1..k_s.
  unsigned dims = 4 + 2 * spatial, dO = 3, dC = 3 + spatial, dK = 4 + spatial;
  auto dim = [&](unsigned i) { return b.getAffineDimExpr(i); };
  SmallVector<AffineExpr> xExprs{dim(0), dim(1), dim(dC)}, wExprs{dim(1), dim(2), dim(dC)},
      oExprs{dim(0), dim(1), dim(2)};
  for (int64_t i = 0; i < spatial; ++i) {
    xExprs.push_back(dim(dO + i) * strides[i] + dim(dK + i) * dilations[i]);
    wExprs.push_back(dim(dK + i));
    oExprs.push_back(dim(dO + i));
  }
  SmallVector<AffineMap> maps{AffineMap::get(dims, 0, xExprs, b.getContext()),
                              AffineMap::get(dims, 0, wExprs, b.getContext()),
                              AffineMap::get(dims, 0, oExprs, b.getContext())};
  SmallVector<IT> iterators(3 + spatial, IT::parallel);
  iterators.append(1 + spatial, IT::reduction);
  Value result = buildGeneric(
      b, loc, ValueRange{x, w}, out, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange a) -> SmallVector<Value> {
        Value p = arith::MulIOp::create(nb, l, a[0], a[1]);
        return {arith::AddIOp::create(nb, l, a[2], p)};
      })[0];
  return reshapeTensor(b, loc, result, outType.getShape());
}

/// Checks what integerConv needs: consistent shapes and group, one input
/// zero point, one or per-output-channel filter zero points, one bias per
/// output channel.
template <typename OpTy>
LogicalResult checkIntegerConv(OpTy op, Value inputZp, Value filterZp, Value bias) {
  auto inType = rankedType(op.getInput()), wType = rankedType(op.getFilter());
  auto outType = rankedType(op.getResult());
  int64_t spatial = inType.getRank() - 2, group = op.getGroup();
  if (spatial < 1 || wType.getRank() != inType.getRank() || group < 1 ||
      inType.getDimSize(1) % group != 0 || wType.getDimSize(0) % group != 0 ||
      wType.getDimSize(1) * group != inType.getDimSize(1) ||
      outType.getDimSize(1) != wType.getDimSize(0))
    return op.emitOpError("has inconsistent input, filter and group");
  if (failed(checkCount(op, inputZp, 1, "input zero points")) ||
      failed(checkCount(op, filterZp, wType.getDimSize(0), "filter zero points")))
    return failure();
  if (bias && rankedType(bias).getNumElements() != wType.getDimSize(0))
    return op.emitOpError("expects one bias per output channel");
  return success();
}

/// The i32 accumulator of conv_integer and qlinear_conv (checked with
/// checkIntegerConv): zero points subtracted, the input padded with zeros
/// after that (so pads contribute nothing, as padding with the zero point
/// does), `bias` (i32 per output channel) as the initial value.
template <typename OpTy>
Value integerConv(OpBuilder &b, Location loc, OpTy op, IntOperand input, IntOperand filter,
                  Value bias) {
  auto outShape = rankedType(op.getResult()).getShape();
  int64_t spatial = rankedType(input.value).getRank() - 2;
  Value x = subtractZeroPoint(b, loc, input);
  Value w = subtractZeroPoint(b, loc, filter);
  ArrayRef<int64_t> pads = op.getPads();
  SmallVector<int64_t> low{0, 0}, high{0, 0};
  for (int64_t i = 0; i < spatial; ++i) {
    low.push_back(pads[i]);
    high.push_back(pads[i + spatial]);
  }
  Type i32 = b.getI32Type();
  Value padded = padTensor(b, loc, x, low, high, scalarConstant(b, loc, i32, 0));
  auto outType = RankedTensorType::get(outShape, i32);
  Value init;
  if (bias) {
    SmallVector<int64_t> biasShape(spatial + 1, 1);
    biasShape[0] = outShape[1];
    init = buildBroadcastGeneric(b, loc, outType, reshapeTensor(b, loc, bias, biasShape),
                                 [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  } else {
    init = filledTensor(b, loc, outShape, scalarConstant(b, loc, i32, 0));
  }
  return convolveI32(b, loc, padded, w, init, op.getStrides(), op.getDilations(), op.getGroup());
}

struct LowerMatMulInteger : public OpConversionPattern<MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    FailureOr<MatmulShapes> shapes =
        matmulShapes(op, op.getLhs().getType(), op.getRhs().getType());
    if (failed(shapes) ||
        failed(checkCount(op, op.getLhsZeroPoint(), shapes->m, "lhs zero points")) ||
        failed(checkCount(op, op.getRhsZeroPoint(), shapes->n, "rhs zero points")))
      return failure();
    auto elementOf = [](Value v) { return v ? rankedType(v).getElementType() : Type(); };
    IntOperand lhs{adaptor.getLhs(), elementOf(op.getLhs()), adaptor.getLhsZeroPoint(),
                   elementOf(op.getLhsZeroPoint())};
    IntOperand rhs{adaptor.getRhs(), elementOf(op.getRhs()), adaptor.getRhsZeroPoint(),
                   elementOf(op.getRhsZeroPoint())};
    Location loc = op.getLoc();
    Value product = integerMatmul(rewriter, loc, *shapes, lhs, rhs);
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, product, op.getType().getShape()));
    return success();
  }
};

struct LowerConvInteger : public OpConversionPattern<ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)) ||
        failed(checkIntegerConv(op, op.getInputZeroPoint(), op.getFilterZeroPoint(), Value())))
      return failure();
    auto elementOf = [](Value v) { return v ? rankedType(v).getElementType() : Type(); };
    IntOperand input{adaptor.getInput(), elementOf(op.getInput()), adaptor.getInputZeroPoint(),
                     elementOf(op.getInputZeroPoint())};
    IntOperand filter{adaptor.getFilter(), elementOf(op.getFilter()),
                      adaptor.getFilterZeroPoint(), elementOf(op.getFilterZeroPoint())};
    rewriter.replaceOp(op, integerConv(rewriter, op.getLoc(), op, input, filter, Value()));
    return success();
  }
};

/// Requantizes an i32 accumulator of shape `type`'s: scales are given as
/// tensors broadcastable to it; multiplier = (scaleA * scaleB) / scaleY in
/// f32, as onnxruntime computes it.
Value requantizeAccumulator(OpBuilder &b, Location loc, RankedTensorType type, Value acc,
                            Value scaleA, Type scaleAElement, Value scaleB, Type scaleBElement,
                            Value scaleY, Type scaleYElement, Value zeroPoint, Type zpElement) {
  Type f32 = b.getF32Type();
  Type element = type.getElementType();
  return buildBroadcastGeneric(
      b, loc, type, ValueRange{acc, scaleA, scaleB, scaleY, zeroPoint},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value sa = convertScalar(nb, l, a[1], scaleAElement, f32);
        Value sb = convertScalar(nb, l, a[2], scaleBElement, f32);
        Value sy = convertScalar(nb, l, a[3], scaleYElement, f32);
        Value multiplier = arith::DivFOp::create(nb, l, arith::MulFOp::create(nb, l, sa, sb), sy);
        Value v = arith::MulFOp::create(nb, l, arith::SIToFPOp::create(nb, l, f32, a[0]),
                                        multiplier);
        return requantize(nb, l, v, a[4], zpElement, element);
      });
}

/// A scale or zero point (1 or `extent` elements, checked) reshaped to
/// broadcast along `axis` of a rank-`rank` tensor.
Value paramAlong(OpBuilder &b, Location loc, Value param, int64_t rank, int64_t axis) {
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = rankedType(param).getNumElements();
  return reshapeTensor(b, loc, param, shape);
}

struct LowerQLinearMatMul : public OpConversionPattern<QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    Type element = op.getType().getElementType();
    if (!isQuantInteger(element))
      return op.emitOpError("expects an integer result");
    FailureOr<MatmulShapes> shapes =
        matmulShapes(op, op.getLhs().getType(), op.getRhs().getType());
    // lhs parameters: one or per row; rhs: one or per column; output: one.
    if (failed(shapes) ||
        failed(checkCount(op, op.getLhsZeroPoint(), shapes->m, "lhs zero points")) ||
        failed(checkCount(op, op.getRhsZeroPoint(), shapes->n, "rhs zero points")) ||
        failed(checkCount(op, op.getLhsScale(), shapes->m, "lhs scales")) ||
        failed(checkCount(op, op.getRhsScale(), shapes->n, "rhs scales")) ||
        failed(checkCount(op, op.getOutputScale(), 1, "output scales")) ||
        failed(checkCount(op, op.getOutputZeroPoint(), 1, "output zero points")))
      return failure();
    Location loc = op.getLoc();
    auto elementOf = [](Value v) { return rankedType(v).getElementType(); };
    IntOperand lhs{adaptor.getLhs(), elementOf(op.getLhs()), adaptor.getLhsZeroPoint(),
                   elementOf(op.getLhsZeroPoint())};
    IntOperand rhs{adaptor.getRhs(), elementOf(op.getRhs()), adaptor.getRhsZeroPoint(),
                   elementOf(op.getRhsZeroPoint())};
    Value acc = integerMatmul(rewriter, loc, *shapes, lhs, rhs);
    int64_t rank = shapes->out.size();
    Value result = requantizeAccumulator(
        rewriter, loc, RankedTensorType::get(shapes->out, element), acc,
        paramAlong(rewriter, loc, adaptor.getLhsScale(), rank, rank - 2),
        elementOf(op.getLhsScale()),
        paramAlong(rewriter, loc, adaptor.getRhsScale(), rank, rank - 1),
        elementOf(op.getRhsScale()),
        paramAlong(rewriter, loc, adaptor.getOutputScale(), rank, 0),
        elementOf(op.getOutputScale()),
        paramAlong(rewriter, loc, adaptor.getOutputZeroPoint(), rank, 0),
        elementOf(op.getOutputZeroPoint()));
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, result, op.getType().getShape()));
    return success();
  }
};

struct LowerQLinearConv : public OpConversionPattern<QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QLinearConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op)))
      return failure();
    auto type = op.getType();
    Type element = type.getElementType();
    if (!isQuantInteger(element))
      return op.emitOpError("expects an integer result");
    int64_t rank = type.getRank(), channels = type.getDimSize(1);
    // Input and output parameters: one; filter scales: one or per output
    // channel.
    if (failed(checkIntegerConv(op, op.getInputZeroPoint(), op.getFilterZeroPoint(),
                                op.getBias())) ||
        failed(checkCount(op, op.getInputScale(), 1, "input scales")) ||
        failed(checkCount(op, op.getOutputScale(), 1, "output scales")) ||
        failed(checkCount(op, op.getOutputZeroPoint(), 1, "output zero points")) ||
        failed(checkCount(op, op.getFilterScale(), channels, "filter scales")))
      return failure();
    Location loc = op.getLoc();
    auto elementOf = [](Value v) { return rankedType(v).getElementType(); };
    IntOperand input{adaptor.getInput(), elementOf(op.getInput()), adaptor.getInputZeroPoint(),
                     elementOf(op.getInputZeroPoint())};
    IntOperand filter{adaptor.getFilter(), elementOf(op.getFilter()),
                      adaptor.getFilterZeroPoint(), elementOf(op.getFilterZeroPoint())};
    Value acc = integerConv(rewriter, loc, op, input, filter, adaptor.getBias());
    Value result = requantizeAccumulator(
        rewriter, loc, type, acc, paramAlong(rewriter, loc, adaptor.getInputScale(), rank, 1),
        elementOf(op.getInputScale()),
        paramAlong(rewriter, loc, adaptor.getFilterScale(), rank, 1),
        elementOf(op.getFilterScale()),
        paramAlong(rewriter, loc, adaptor.getOutputScale(), rank, 1),
        elementOf(op.getOutputScale()),
        paramAlong(rewriter, loc, adaptor.getOutputZeroPoint(), rank, 1),
        elementOf(op.getOutputZeroPoint()));
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::kiln::populateQuantToLinalgPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<LowerQuantizeLinear, LowerDequantizeLinear, LowerDynamicQuantizeLinear,
               LowerMatMulInteger, LowerConvInteger, LowerQLinearMatMul, LowerQLinearConv>(
      converter, patterns.getContext());
}
