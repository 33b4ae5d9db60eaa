//===- FoldQDQ.cpp - pre-quantized ONNX ops onto quantized types ----------===//
//
// kiln-fold-qdq: models quantized ahead of time (by ONNX Runtime's
// quantization tools, say) state quantization with ONNX ops whose scales
// and zero points are constants: QuantizeLinear / DequantizeLinear pairs
// around float ops (the QDQ format), or QLinearConv and QLinearMatMul (the
// operator format). This pass turns them into the form Kiln's own
// quantization produces, so that they reach the same integer kernels:
//
//   1. QLinearConv and QLinearMatMul with constant i8 weights (zero point 0)
//      become kiln.quantized_conv between a DequantizeLinear of their input
//      and a QuantizeLinear of their result.
//   2. DequantizeLinear(QuantizeLinear(x)) with the same constant scale and
//      zero point becomes quant.dcast(quant.qcast(x)); DequantizeLinear of
//      an 8-bit constant becomes quant.dcast(quant.scast(constant)); of an
//      i32 constant (a bias), the f32 constant it computes.
//   3. quant.qcast(quant.dcast(v)) to v's own type is v.
//   4. A conv (one group), gemm or matmul whose input is quant.dcast of a
//      per-tensor type and whose weights are quant.dcast of i8 constants
//      with zero point 0 becomes kiln.quantized_conv (gemm and matmul as
//      1x1 convolutions); its result is requantized when every user
//      converts it to one type (as kiln-quantize does).
//   5. A signed 8-bit activation type whose values only feed quant.dcast
//      and kiln.quantized_conv becomes the unsigned type with the zero
//      point moved by 128: the same real numbers and the same saturation,
//      in the u8 x i8 form the integer kernels take.
//   6. What is left dequantizing constants folds to f32 constants.
//
// Every rewrite computes what the ONNX ops compute: the quantize and
// dequantize steps stay where the model has them, and only their form
// changes.
//
//===----------------------------------------------------------------------===//

#include "passes/Quant/Passes.h"

#include "mlir/IR/Iterators.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

#include <cmath>

namespace mlir::kiln {
#define GEN_PASS_DEF_KILNFOLDQDQ
#include "passes/Quant/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// Constant quantization parameters: one scale and zero point per tensor
/// (axis < 0) or per index along `axis`.
struct Params {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = -1;
  bool operator==(const Params &o) const {
    return scales == o.scales && zeroPoints == o.zeroPoints && axis == o.axis;
  }
};

/// For each element of a row-major tensor of type `type`, the index of its
/// scale and zero point in `p`.
struct ChannelOf {
  ChannelOf(const Params &p, RankedTensorType type)
      : count(static_cast<int64_t>(p.scales.size())), perAxis(p.axis >= 0) {
    for (int64_t d = p.axis + 1; perAxis && d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  }
  size_t operator()(int64_t i) const {
    return perAxis ? static_cast<size_t>((i / inner) % count) : 0;
  }
  int64_t inner = 1, count;
  bool perAxis;
};

/// (q - zero point) * scale in f32 for each of the stored values `q` of a
/// tensor of type `type`, as DequantizeLinear computes.
SmallVector<float> dequantizeValues(ArrayRef<int64_t> q, const Params &p,
                                    RankedTensorType type) {
  ChannelOf channel(p, type);
  SmallVector<float> f;
  for (size_t i = 0; i < q.size(); ++i) {
    size_t c = channel(static_cast<int64_t>(i));
    f.push_back(static_cast<float>(q[i] - p.zeroPoints[c]) * static_cast<float>(p.scales[c]));
  }
  return f;
}

/// The values of an integer constant, sign- or zero-extended as its element
/// type is signed or unsigned.
std::optional<SmallVector<int64_t>> constantInts(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto element = llvm::dyn_cast<IntegerType>(attr.getElementType());
  if (!element)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (APInt a : attr.getValues<APInt>())
    values.push_back(element.isUnsigned() ? static_cast<int64_t>(a.getZExtValue())
                                          : a.getSExtValue());
  return values;
}

/// The bounds of an integer element type's values.
std::pair<int64_t, int64_t> storageBounds(IntegerType type) {
  unsigned w = type.getWidth();
  if (type.isUnsigned())
    return {0, static_cast<int64_t>((uint64_t(1) << w) - 1)};
  return {-(int64_t(1) << (w - 1)), (int64_t(1) << (w - 1)) - 1};
}

/// The constant parameters of a QuantizeLinear / DequantizeLinear-like use
/// of `scale` and `zeroPoint` (absent: 0) on data of type `data` whose
/// integer side has element type `storage`; nullopt when they are not
/// constants or not valid (non-positive scale, zero point out of range).
std::optional<Params> constantParams(Value scale, Value zeroPoint, int64_t axis,
                                     RankedTensorType data, IntegerType storage) {
  ElementsAttr attr;
  if (!matchPattern(scale, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  Params p;
  for (float s : attr.getValues<float>()) {
    if (!(s > 0.0f) || !std::isfinite(s))
      return std::nullopt;
    p.scales.push_back(s);
  }
  if (zeroPoint) {
    auto zps = constantInts(zeroPoint);
    if (!zps || zps->size() != p.scales.size())
      return std::nullopt;
    p.zeroPoints = *zps;
  } else {
    p.zeroPoints.assign(p.scales.size(), 0);
  }
  auto [lo, hi] = storageBounds(storage);
  for (int64_t z : p.zeroPoints)
    if (z < lo || z > hi)
      return std::nullopt;
  if (llvm::cast<RankedTensorType>(scale.getType()).getRank() == 0 || p.scales.size() == 1) {
    p.scales.resize(1);
    p.zeroPoints.resize(1);
    return p;
  }
  int64_t rank = data.getRank();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank ||
      data.getDimSize(axis) != static_cast<int64_t>(p.scales.size()))
    return std::nullopt;
  p.axis = axis;
  return p;
}

/// The `!quant.uniform` type of `p` on storage `storage`, over the
/// storage's full range (ONNX saturates there).
quant::QuantizedType quantType(const Params &p, IntegerType storage) {
  MLIRContext *ctx = storage.getContext();
  Type bits = IntegerType::get(ctx, storage.getWidth());
  unsigned flags = storage.isUnsigned() ? 0 : quant::QuantizationFlags::Signed;
  auto [lo, hi] = storageBounds(storage);
  Type f32 = Float32Type::get(ctx);
  if (p.axis < 0)
    return quant::UniformQuantizedType::get(flags, bits, f32, p.scales[0], p.zeroPoints[0],
                                            lo, hi);
  return quant::UniformQuantizedPerAxisType::get(flags, bits, f32, p.scales, p.zeroPoints,
                                                 static_cast<int32_t>(p.axis), lo, hi);
}

IntegerType integerElement(Value v) {
  return llvm::dyn_cast<IntegerType>(llvm::cast<ShapedType>(v.getType()).getElementType());
}

RankedTensorType rankedType(Value v) { return llvm::cast<RankedTensorType>(v.getType()); }

/// `constant`'s bits as a signless integer constant (kiln's ui8 constants
/// hold the same bits as the signless i8 that quant.scast takes).
Value signlessConstant(OpBuilder &b, Location loc, Value constant) {
  DenseElementsAttr attr;
  matchPattern(constant, m_Constant(&attr));
  auto element = llvm::cast<IntegerType>(attr.getElementType());
  if (element.isSignless())
    return constant;
  return ConstantOp::create(b, loc, attr.bitcast(b.getIntegerType(element.getWidth())));
}

/// quant.scast of the 8-bit constant `constant` to `type`'s elements.
Value castConstant(OpBuilder &b, Location loc, Value constant, quant::QuantizedType type) {
  Value bits = signlessConstant(b, loc, constant);
  return quant::StorageCastOp::create(b, loc, rankedType(constant).clone(type), bits);
}

/// Per-output-channel scales of the i8 weights `w` (of the quant type
/// `wType`) along `axis`, or why they do not suit kiln.quantized_conv.
FailureOr<SmallVector<double>> filterScales(quant::QuantizedType wType, int64_t axis,
                                            int64_t channels, std::string &why) {
  if (!wType.isSigned() || wType.getStorageTypeIntegralWidth() != 8) {
    why = "its weights are not int8";
    return failure();
  }
  if (auto t = llvm::dyn_cast<quant::UniformQuantizedType>(wType)) {
    if (t.getZeroPoint() != 0) {
      why = "its weights have a zero point other than 0";
      return failure();
    }
    return SmallVector<double>(channels, t.getScale());
  }
  auto a = llvm::cast<quant::UniformQuantizedPerAxisType>(wType);
  if (a.getQuantizedDimension() != axis) {
    why = "its weights are quantized along another axis than the output channels";
    return failure();
  }
  if (llvm::any_of(a.getZeroPoints(), [](int64_t z) { return z != 0; })) {
    why = "its weights have zero points other than 0";
    return failure();
  }
  return SmallVector<double>(a.getScales().begin(), a.getScales().end());
}

/// The i8 filter type with `scales` per output channel (axis 0), or one
/// per-tensor scale when they are all equal.
quant::QuantizedType filterType(MLIRContext *ctx, ArrayRef<double> scales) {
  Params p;
  p.scales.assign(scales.begin(), scales.end());
  p.zeroPoints.assign(scales.size(), 0);
  p.axis = 0;
  if (llvm::all_equal(scales)) {
    p.scales.resize(1);
    p.zeroPoints.resize(1);
    p.axis = -1;
  }
  return quantType(p, IntegerType::get(ctx, 8, IntegerType::Signed));
}

/// The weights `w` ([K][N], or [N][K] when `transposed`), quant.scast of an
/// i8 constant with `scales` per column, as a [N][K][1][1] filter.
Value filterFromMatrix(OpBuilder &b, Location loc, Value wBits, bool transposed,
                       ArrayRef<double> scales) {
  DenseElementsAttr attr;
  matchPattern(wBits, m_Constant(&attr));
  auto type = rankedType(wBits);
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  int64_t n = transposed ? rows : cols, k = transposed ? cols : rows;
  SmallVector<int8_t> values;
  for (APInt v : attr.getValues<APInt>())
    values.push_back(static_cast<int8_t>(v.getSExtValue()));
  SmallVector<int8_t> filter(values.size());
  for (int64_t o = 0; o < n; ++o)
    for (int64_t i = 0; i < k; ++i)
      filter[o * k + i] = transposed ? values[o * k + i] : values[i * n + o];
  auto storage = RankedTensorType::get({n, k, 1, 1}, b.getI8Type());
  Value bits = ConstantOp::create(b, loc,
                                  DenseElementsAttr::get(storage, ArrayRef<int8_t>(filter)));
  return quant::StorageCastOp::create(b, loc, storage.clone(filterType(b.getContext(), scales)),
                                      bits);
}

/// A 1-D f32 constant.
Value f32Constant(OpBuilder &b, Location loc, ArrayRef<float> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())}, b.getF32Type());
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

/// A 1x1 kiln.quantized_conv of the quantized rows `x` ([..][K], static)
/// by `filter` ([N][K][1][1]) plus `bias`, reshaped to `resultType`.
Value rowsTimesFilter(OpBuilder &b, Location loc, Value x, Value filter, Value bias,
                      RankedTensorType resultType) {
  auto xType = rankedType(x);
  int64_t k = xType.getDimSize(xType.getRank() - 1);
  int64_t m = xType.getNumElements() / std::max<int64_t>(k, 1);
  int64_t n = rankedType(filter).getDimSize(0);
  Value rows = createReshape(b, loc, x, {m, k, 1, 1});
  Value y = QuantizedConvOp::create(
      b, loc, RankedTensorType::get({m, n, 1, 1}, b.getF32Type()), rows, filter, bias,
      b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({1, 1}),
      b.getDenseI64ArrayAttr({0, 0, 0, 0}), b.getI64IntegerAttr(1), FloatAttr(), FloatAttr());
  return createReshape(b, loc, y, resultType.getShape());
}

/// Why `op` (a QLinearConv / QLinearMatMul, or a float op on dequantized
/// values) stays as it is, as a remark when `explain` is set.
struct Explainer {
  bool enabled;
  void operator()(Operation *op, const Twine &why) const {
    if (enabled)
      op->emitRemark() << "stays " << why;
  }
};

/// Step 1 for QLinearConv.
void bridgeQLinearConv(QLinearConvOp op, const Explainer &explain) {
  auto xType = op.getInput().getType();
  auto wType = op.getFilter().getType();
  IntegerType xBits = integerElement(op.getInput()), wBits = integerElement(op.getFilter());
  auto xp = constantParams(op.getInputScale(), op.getInputZeroPoint(), 1, xType, xBits);
  auto wp = constantParams(op.getFilterScale(), op.getFilterZeroPoint(), 0, wType, wBits);
  auto yp = constantParams(op.getOutputScale(), op.getOutputZeroPoint(), 1, op.getType(),
                           integerElement(op.getResult()));
  const char *generic = "on the generic integer lowering: ";
  if (!xp || !wp || !yp || xp->axis >= 0 || yp->axis >= 0)
    return explain(op, Twine(generic) + "its scales and zero points are not constants "
                                        "(per tensor for the input and the output)");
  if (!matchPattern(op.getFilter(), m_Constant()))
    return explain(op, Twine(generic) + "its filter is not a constant");
  if (xBits.getWidth() != 8 || !xType.hasStaticShape() || !op.getType().hasStaticShape())
    return explain(op, Twine(generic) + "its input is not 8-bit with a static shape");
  if (op.getGroup() != 1)
    return explain(op, Twine(generic) + "it has groups");
  std::string why;
  auto scales = filterScales(quantType(*wp, wBits), wp->axis < 0 ? 0 : wp->axis,
                             wType.getDimSize(0), why);
  if (failed(scales))
    return explain(op, Twine(generic) + why);
  SmallVector<int64_t> bias;
  if (Value b = op.getBias()) {
    auto values = constantInts(b);
    if (!values)
      return explain(op, Twine(generic) + "its bias is not a constant");
    bias = *values;
  }
  OpBuilder b(op);
  Location loc = op.getLoc();
  // bias * sx * sw[m]: ONNX adds the i32 bias to the accumulator, whose
  // scale that is.
  Value biasValue;
  if (!bias.empty()) {
    SmallVector<float> f;
    for (size_t m = 0; m < bias.size(); ++m)
      f.push_back(static_cast<float>(static_cast<double>(bias[m]) * xp->scales[0] *
                                     (*scales)[m]));
    biasValue = f32Constant(b, loc, f);
  }
  Value xf = DequantizeLinearOp::create(b, loc, xType.clone(b.getF32Type()), op.getInput(),
                                        op.getInputScale(), op.getInputZeroPoint(),
                                        b.getI64IntegerAttr(1));
  Value x = quant::QuantizeCastOp::create(b, loc, xType.clone(quantType(*xp, xBits)), xf);
  Value w = castConstant(b, loc, op.getFilter(), filterType(b.getContext(), *scales));
  Value y = QuantizedConvOp::create(b, loc, op.getType().clone(b.getF32Type()), x, w,
                                    biasValue, op.getStridesAttr(), op.getDilationsAttr(),
                                    op.getPadsAttr(), op.getGroupAttr(), FloatAttr(),
                                    FloatAttr());
  Value out = QuantizeLinearOp::create(b, loc, op.getType(), y, op.getOutputScale(),
                                       op.getOutputZeroPoint(), b.getI64IntegerAttr(1));
  op.replaceAllUsesWith(out);
  op.erase();
}

/// Step 1 for QLinearMatMul with constant 2-D i8 weights.
void bridgeQLinearMatMul(QLinearMatMulOp op, const Explainer &explain) {
  auto aType = op.getLhs().getType();
  auto bType = op.getRhs().getType();
  IntegerType aBits = integerElement(op.getLhs()), bBits = integerElement(op.getRhs());
  const char *generic = "on the generic integer lowering: ";
  if (bType.getRank() != 2 || !matchPattern(op.getRhs(), m_Constant()) ||
      aType.getRank() < 2 || !aType.hasStaticShape() || !op.getType().hasStaticShape() ||
      aBits.getWidth() != 8)
    return explain(op, Twine(generic) + "its right operand is not a constant matrix, or "
                                        "its left one not 8-bit with a static shape");
  auto ap = constantParams(op.getLhsScale(), op.getLhsZeroPoint(), 1, aType, aBits);
  auto bp = constantParams(op.getRhsScale(), op.getRhsZeroPoint(), 1, bType, bBits);
  auto yp = constantParams(op.getOutputScale(), op.getOutputZeroPoint(), 1, op.getType(),
                           integerElement(op.getResult()));
  if (!ap || !bp || !yp || ap->axis >= 0 || yp->axis >= 0)
    return explain(op, Twine(generic) + "its scales and zero points are not constants "
                                        "(per tensor for the input and the output)");
  std::string why;
  int64_t n = bType.getDimSize(1);
  auto scales = filterScales(quantType(*bp, bBits), bp->axis < 0 ? 1 : bp->axis, n, why);
  if (failed(scales))
    return explain(op, Twine(generic) + why);
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value af = DequantizeLinearOp::create(b, loc, aType.clone(b.getF32Type()), op.getLhs(),
                                        op.getLhsScale(), op.getLhsZeroPoint(),
                                        b.getI64IntegerAttr(1));
  Value a = quant::QuantizeCastOp::create(b, loc, aType.clone(quantType(*ap, aBits)), af);
  Value filter = filterFromMatrix(b, loc, op.getRhs(), /*transposed=*/false, *scales);
  Value y = rowsTimesFilter(b, loc, a, filter, Value(), op.getType().clone(b.getF32Type()));
  Value out = QuantizeLinearOp::create(b, loc, op.getType(), y, op.getOutputScale(),
                                       op.getOutputZeroPoint(), b.getI64IntegerAttr(1));
  op.replaceAllUsesWith(out);
  op.erase();
}

/// QuantizeLinear of the f32 constant `x` with `p` (rounding half to even,
/// saturating), as an integer constant of element type `bits`; null when
/// `x` is not a constant.
Value quantizeConstant(OpBuilder &b, Location loc, Value x, const Params &p,
                       IntegerType bits) {
  DenseElementsAttr attr;
  if (!matchPattern(x, m_Constant(&attr)))
    return {};
  auto type = rankedType(x);
  ChannelOf channel(p, type);
  auto [lo, hi] = storageBounds(bits);
  SmallVector<APInt> values;
  int64_t i = 0;
  for (float v : attr.getValues<float>()) {
    size_t c = channel(i++);
    float q = std::nearbyint(v / static_cast<float>(p.scales[c])) +
              static_cast<float>(p.zeroPoints[c]);
    int64_t clamped = static_cast<int64_t>(std::clamp<float>(q, lo, hi));
    values.push_back(APInt(bits.getWidth(), static_cast<uint64_t>(clamped), !bits.isUnsigned()));
  }
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type.clone(bits), values));
}

/// Step 2 for one DequantizeLinear.
void foldDequantize(DequantizeLinearOp dq,
                    DenseMap<std::pair<Operation *, Type>, Value> &qcasts) {
  auto inType = dq.getInput().getType();
  IntegerType bits = integerElement(dq.getInput());
  if (!dq.getType().getElementType().isF32())
    return;
  auto p = constantParams(dq.getScale(), dq.getZeroPoint(), dq.getAxis(), inType, bits);
  if (!p)
    return;
  OpBuilder b(dq);
  Location loc = dq.getLoc();
  // An i32 constant (a quantized bias): the f32 values it stands for.
  if (auto values = constantInts(dq.getInput()); values && bits.getWidth() == 32) {
    SmallVector<float> f = dequantizeValues(*values, *p, inType);
    Value c = ConstantOp::create(b, loc, DenseElementsAttr::get(dq.getType(), ArrayRef(f)));
    dq.replaceAllUsesWith(c);
    dq.erase();
    return;
  }
  if (bits.getWidth() != 8)
    return;
  quant::QuantizedType type = quantType(*p, bits);
  Value quantized;
  if (matchPattern(dq.getInput(), m_Constant())) {
    quantized = castConstant(b, loc, dq.getInput(), type);
  } else if (auto q = dq.getInput().getDefiningOp<QuantizeLinearOp>()) {
    auto qp = constantParams(q.getScale(), q.getZeroPoint(), q.getAxis(), inType, bits);
    if (!qp || !(*qp == *p) || !q.getInput().getType().getElementType().isF32())
      return;
    if (Value folded = quantizeConstant(b, loc, q.getInput(), *p, bits)) {
      Value dcast = quant::DequantizeCastOp::create(b, loc, dq.getType(),
                                                    castConstant(b, loc, folded, type));
      dq.replaceAllUsesWith(dcast);
      dq.erase();
      return;
    }
    Value &cached = qcasts[{q, type}];
    if (!cached) {
      OpBuilder after(q);
      cached = quant::QuantizeCastOp::create(after, q.getLoc(), inType.clone(type),
                                             q.getInput());
    }
    quantized = cached;
  } else {
    return;
  }
  Value dcast = quant::DequantizeCastOp::create(b, loc, dq.getType(), quantized);
  dq.replaceAllUsesWith(dcast);
  dq.erase();
}

/// The quantized value and type a quant.dcast operand comes from.
Value dequantizedFrom(Value v) {
  auto dcast = v.getDefiningOp<quant::DequantizeCastOp>();
  return dcast ? dcast.getInput() : Value();
}

quant::QuantizedType quantizedElement(Value v) {
  return llvm::dyn_cast<quant::QuantizedType>(rankedType(v).getElementType());
}

/// The i8 constant weights under a quant.scast, or null.
Value weightBits(Value quantized) {
  auto scast = quantized ? quantized.getDefiningOp<quant::StorageCastOp>() : nullptr;
  return scast && matchPattern(scast.getInput(), m_Constant()) ? scast.getInput() : Value();
}

/// The per-tensor quantized input of a float op, or why there is none.
Value quantizedInput(Value v, std::string &why) {
  Value x = dequantizedFrom(v);
  if (!x) {
    why = "its input is not dequantized with a constant scale and zero point";
    return {};
  }
  auto t = llvm::dyn_cast_or_null<quant::UniformQuantizedType>(quantizedElement(x));
  if (!t || t.getStorageTypeIntegralWidth() != 8 || !rankedType(x).hasStaticShape()) {
    why = "its input is not quantized per tensor to 8 bits with a static shape";
    return {};
  }
  return x;
}

/// Step 4: `op` as kiln.quantized_conv when its operands allow, else
/// `why` says what does not.
Value mapFloatOp(Operation *op, std::string &why) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  if (auto conv = llvm::dyn_cast<ConvOp>(op)) {
    Value x = quantizedInput(conv.getInput(), why);
    if (!x)
      return {};
    Value w = dequantizedFrom(conv.getFilter());
    if (!weightBits(w) || rankedType(w).getRank() != 4) {
      why = "its filter is not a dequantized 2-D constant";
      return {};
    }
    if (conv.getGroup() != 1) {
      why = "integer kernels take convolutions of one group";
      return {};
    }
    auto scales = filterScales(quantizedElement(w), 0, rankedType(w).getDimSize(0), why);
    if (failed(scales))
      return {};
    Value bias = conv.getBias();
    if (bias && !rankedType(bias).getElementType().isF32()) {
      why = "its bias is not f32";
      return {};
    }
    return QuantizedConvOp::create(b, loc, conv.getType(), x, w, bias, conv.getStridesAttr(),
                                   conv.getDilationsAttr(), conv.getPadsAttr(),
                                   conv.getGroupAttr(), FloatAttr(), FloatAttr());
  }
  // Gemm and MatMul: rows of the input times constant weights.
  Value a, weights, c;
  bool transposed = false;
  auto resultType = rankedType(op->getResult(0));
  if (auto gemm = llvm::dyn_cast<GemmOp>(op)) {
    if (gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f ||
        (gemm.getC() && gemm.getBeta().convertToFloat() != 1.0f)) {
      why = "its alpha, beta or transA is not the default";
      return {};
    }
    a = gemm.getA();
    weights = gemm.getB();
    c = gemm.getC();
    transposed = gemm.getTransB();
  } else {
    auto matmul = llvm::cast<MatMulOp>(op);
    a = matmul.getLhs();
    weights = matmul.getRhs();
  }
  // Rows reshaped (flattened) after the dequantization: the quantized
  // values reshaped.
  Value rows = a;
  while (auto reshape = rows.getDefiningOp<ReshapeOp>())
    rows = reshape.getInput();
  Value x = quantizedInput(rows, why);
  if (x && rows != a) {
    if (!rankedType(a).hasStaticShape())
      return {};
    x = createReshape(b, loc, x, rankedType(a).getShape());
  }
  if (!x)
    return {};
  Value w = dequantizedFrom(weights);
  Value bits = weightBits(w);
  if (!bits || rankedType(w).getRank() != 2 || rankedType(x).getRank() < 2 ||
      !resultType.hasStaticShape()) {
    why = "its weights are not a dequantized constant matrix";
    return {};
  }
  int64_t n = rankedType(w).getDimSize(transposed ? 0 : 1);
  auto scales = filterScales(quantizedElement(w), transposed ? 0 : 1, n, why);
  if (failed(scales))
    return {};
  if (c) {
    auto cType = rankedType(c);
    if (!cType.getElementType().isF32() || cType.getNumElements() != n ||
        (cType.getRank() == 2 && cType.getDimSize(0) != 1) || cType.getRank() > 2) {
      why = "its C is not one value per column";
      return {};
    }
    if (cType.getRank() != 1)
      c = createReshape(b, loc, c, {n});
  }
  Value filter = filterFromMatrix(b, loc, bits, transposed, *scales);
  return rowsTimesFilter(b, loc, x, filter, c, resultType);
}

/// Step 5 for the value `v`.
void preferUnsigned(Value v) {
  auto t = llvm::dyn_cast_or_null<quant::UniformQuantizedType>(quantizedElement(v));
  if (!t || !t.isSigned() || t.getStorageTypeIntegralWidth() != 8 ||
      t.getStorageTypeMin() != -128 || t.getStorageTypeMax() != 127)
    return;
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (!llvm::isa<quant::DequantizeCastOp>(user) &&
        !(llvm::isa<QuantizedConvOp>(user) && use.getOperandNumber() == 0))
      return;
  }
  auto u = quant::UniformQuantizedType::get(0, t.getStorageType(), t.getExpressedType(),
                                            t.getScale(), t.getZeroPoint() + 128, 0, 255);
  v.setType(rankedType(v).clone(u));
}

/// quant.dcast(quant.qcast(x)) per tensor as kiln.dequantize_linear of
/// kiln.quantize_linear.
void roundTripAsIntegers(quant::DequantizeCastOp dcast) {
  auto qcast = dcast.getInput().getDefiningOp<quant::QuantizeCastOp>();
  auto t = llvm::dyn_cast_or_null<quant::UniformQuantizedType>(quantizedElement(qcast));
  if (!t)
    return;
  OpBuilder b(dcast);
  Location loc = dcast.getLoc();
  auto bits = IntegerType::get(b.getContext(), t.getStorageTypeIntegralWidth(),
                               t.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
  auto scalar = [&](Type type, Attribute value) {
    return ConstantOp::create(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, type), value));
  };
  Value scale = scalar(b.getF32Type(), b.getF32FloatAttr(static_cast<float>(t.getScale())));
  Value zp = scalar(bits, IntegerAttr::get(bits, t.getZeroPoint()));
  Value x = qcast.getInput();
  Value q = QuantizeLinearOp::create(b, loc, rankedType(x).clone(bits), x, scale, zp,
                                     b.getI64IntegerAttr(1));
  Value f = DequantizeLinearOp::create(b, loc, dcast.getType(), q, scale, zp,
                                       b.getI64IntegerAttr(1));
  dcast.replaceAllUsesWith(f);
  dcast.erase();
}

/// Step 6: quant.dcast of a quant.scast of a constant as the f32 constant.
void foldConstant(quant::DequantizeCastOp dcast) {
  Value bits = weightBits(dcast.getInput());
  if (!bits)
    return;
  auto q = quantizedElement(dcast.getInput());
  Params p;
  if (auto t = llvm::dyn_cast<quant::UniformQuantizedType>(q)) {
    p.scales = {t.getScale()};
    p.zeroPoints = {t.getZeroPoint()};
  } else if (auto a = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
    p.scales.assign(a.getScales().begin(), a.getScales().end());
    p.zeroPoints.assign(a.getZeroPoints().begin(), a.getZeroPoints().end());
    p.axis = a.getQuantizedDimension();
  } else {
    return;
  }
  // The storage constant is signless; the quantized type says how to read it.
  DenseElementsAttr attr;
  matchPattern(bits, m_Constant(&attr));
  SmallVector<int64_t> values;
  for (APInt v : attr.getValues<APInt>())
    values.push_back(q.isSigned() ? v.getSExtValue() : static_cast<int64_t>(v.getZExtValue()));
  SmallVector<float> f = dequantizeValues(values, p, rankedType(dcast.getInput()));
  OpBuilder b(dcast);
  Value c = ConstantOp::create(b, dcast.getLoc(),
                               DenseElementsAttr::get(rankedType(dcast.getResult()), ArrayRef(f)));
  dcast.replaceAllUsesWith(c);
  dcast.erase();
}

/// Erases ops without uses or side effects, users first.
void eraseDeadOps(ModuleOp module) {
  module.walk<WalkOrder::PostOrder, mlir::ReverseIterator>([](Operation *op) {
    if (!llvm::isa<ModuleOp, func::FuncOp>(op) && isOpTriviallyDead(op))
      op->erase();
  });
}

struct KilnFoldQDQPass : public mlir::kiln::impl::KilnFoldQDQBase<KilnFoldQDQPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Explainer explainer{explain};
    // 1. The operator format.
    SmallVector<Operation *> qlinear;
    module.walk([&](Operation *op) {
      if (llvm::isa<QLinearConvOp, QLinearMatMulOp>(op))
        qlinear.push_back(op);
    });
    for (Operation *op : qlinear) {
      if (auto conv = llvm::dyn_cast<QLinearConvOp>(op))
        bridgeQLinearConv(conv, explainer);
      else
        bridgeQLinearMatMul(llvm::cast<QLinearMatMulOp>(op), explainer);
    }
    // 2. Quantize-dequantize pairs and dequantized constants.
    SmallVector<DequantizeLinearOp> dqs;
    module.walk([&](DequantizeLinearOp op) { dqs.push_back(op); });
    DenseMap<std::pair<Operation *, Type>, Value> qcasts;
    for (DequantizeLinearOp dq : dqs)
      foldDequantize(dq, qcasts);
    // 3. A value quantized back to the type it was dequantized from.
    SmallVector<quant::QuantizeCastOp> requantized;
    module.walk([&](quant::QuantizeCastOp op) { requantized.push_back(op); });
    for (quant::QuantizeCastOp op : requantized) {
      Value from = dequantizedFrom(op.getInput());
      if (from && from.getType() == op.getType()) {
        op.replaceAllUsesWith(from);
        op.erase();
      }
    }
    eraseDeadOps(module);
    // 4. Float ops on dequantized values.
    SmallVector<Operation *> candidates;
    module.walk([&](Operation *op) {
      if (llvm::isa<ConvOp, GemmOp, MatMulOp>(op) &&
          llvm::any_of(op->getOperands(), [](Value v) {
            return v.getDefiningOp<quant::DequantizeCastOp>() ||
                   v.getDefiningOp<DequantizeLinearOp>();
          }))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      std::string why;
      Value mapped = mapFloatOp(op, why);
      if (!mapped) {
        explainer(op, Twine("in float: ") + why);
        continue;
      }
      if (Attribute layer = op->getAttr(kLayerAttr))
        if (auto q = llvm::dyn_cast_or_null<QuantizedConvOp>(mapped.getDefiningOp()))
          q->setAttr(kLayerAttr, layer);
      op->getResult(0).replaceAllUsesWith(mapped);
      op->erase();
    }
    eraseDeadOps(module);
    SmallVector<QuantizedConvOp> convs;
    module.walk([&](QuantizedConvOp op) { convs.push_back(op); });
    for (QuantizedConvOp op : convs)
      requantizeResult(op);
    // 5. Signed activations in the kernels' unsigned form.
    module.walk([&](Operation *op) {
      if (llvm::isa<quant::QuantizeCastOp, QuantizedConvOp>(op))
        preferUnsigned(op->getResult(0));
    });
    // A quantization that only float ops read back as kiln's integer ops
    // (upstream folds quant.dcast(quant.qcast(x)) to x, dropping the
    // rounding the model asks for).
    SmallVector<quant::DequantizeCastOp> roundTrips;
    module.walk([&](quant::DequantizeCastOp op) {
      if (op.getInput().getDefiningOp<quant::QuantizeCastOp>())
        roundTrips.push_back(op);
    });
    for (quant::DequantizeCastOp op : roundTrips)
      roundTripAsIntegers(op);
    // 6. Dequantized constants nothing integer reads.
    SmallVector<quant::DequantizeCastOp> dcasts;
    module.walk([&](quant::DequantizeCastOp op) { dcasts.push_back(op); });
    for (quant::DequantizeCastOp op : dcasts)
      foldConstant(op);
    eraseDeadOps(module);
  }
};

} // namespace
